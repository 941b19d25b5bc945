"""The hand-written schemas (schemas/) loaded the way the suite loads them: a `referencing.Registry`
serving the files by their file: URIs, so the relative `$ref`s between files are exercised, and a
format checker that checks what schemathesis checks. Shared by the generic schema-case runner
(tests/test_schema_cases.py) and the OpenAPI tests of each provider.

jsonschema checks `date-time` only when the optional rfc3339-validator package is installed (it is
not a dependency), while schemathesis validates responses with jsonschema_rs, which always checks
it; the format checker here adds an RFC 3339 `date-time` check so that both agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

SCHEMAS: Final = Path(__file__).parents[1] / "schemas"

_RFC3339_DATE_TIME: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?P<fraction>\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def _is_rfc3339_date_time(instance: object) -> bool:
    """RFC 3339 section 5.6 date-time (what jsonschema_rs and rfc3339-validator check)."""
    if not isinstance(instance, str):
        return True
    match = _RFC3339_DATE_TIME.fullmatch(instance)
    if match is None:
        return False
    plain = (
        instance[: match.start("fraction")] + instance[match.end("fraction") :]
        if match["fraction"]
        else instance
    )
    datetime.fromisoformat(
        plain.upper().replace("Z", "+00:00")
    )  # ValueError for a day or hour that does not exist
    return True


FORMAT_CHECKER: Final = FormatChecker(formats=())
FORMAT_CHECKER.checkers.update(Draft202012Validator.FORMAT_CHECKER.checkers)
if "date-time" not in FORMAT_CHECKER.checkers:
    FORMAT_CHECKER.checks("date-time", raises=ValueError)(_is_rfc3339_date_time)


@cache
def _retrieve(uri: str) -> Resource[Any]:
    """The schema file a file: URI names; only files under schemas/ are served."""
    parts = urlsplit(uri)
    path = Path(url2pathname(parts.path)).resolve()
    if parts.scheme != "file" or SCHEMAS.resolve() not in path.parents or not path.is_file():
        raise NoSuchResource(ref=uri)
    return Resource.from_contents(
        json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
    )


REGISTRY: Final[Registry[Any]] = Registry(retrieve=_retrieve)


def uri_of(schema: str) -> str:
    """The file: URI of a schema file (a path under schemas/)."""
    return (SCHEMAS / schema).resolve().as_uri()


def load(schema: str) -> dict[str, Any]:
    """The contents of a schema file (a path under schemas/)."""
    result: dict[str, Any] = json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))
    return result


@cache
def validator(schema: str) -> Draft202012Validator:
    """A validator for one schema file (a path under schemas/), its relative $refs resolved through REGISTRY.

    The files have no $id, so the file's URI is given as its $id: the base its relative $refs resolve against.
    """
    contents = {**load(schema), "$id": uri_of(schema)}
    return Draft202012Validator(contents, registry=REGISTRY, format_checker=FORMAT_CHECKER)


def validator_for(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A validator for a schema document whose relative $refs name files under schemas/
    (`{"$ref": "coliving/user.schema.json"}`), with the same registry and format checker as `validator`."""
    return _validator_for(json.dumps(schema, sort_keys=True))


@cache
def _validator_for(schema: str) -> Draft202012Validator:
    contents = {**json.loads(schema), "$id": SCHEMAS.resolve().as_uri() + "/"}
    return Draft202012Validator(contents, registry=REGISTRY, format_checker=FORMAT_CHECKER)


def refs(node: Any) -> Iterator[str]:
    """Every $ref in a schema document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)
