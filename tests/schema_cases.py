"""Shared by the schema tests of every provider (cases as data, in the manner of the
JSON-Schema-Test-Suite): the case types, the mutation helper, and the schemas loaded the way the
suite loads them (a `referencing.Registry` serving the sibling files by their file: URIs).

jsonschema checks `date-time` only when the optional rfc3339-validator package is installed (it is
not a dependency), while schemathesis validates responses with jsonschema_rs, which always checks
it; the format checker here adds an RFC 3339 `date-time` check so that both agree.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

SCHEMAS: Final = Path(__file__).parents[1] / "schemas"

# --- mutations ------------------------------------------------------------------------------------

DELETE: Final = object()
"""An edit value: remove the key (or list item) at the path."""


def changed(instance: Any, edits: Mapping[str, Any]) -> Any:
    """A deep copy of `instance` with each dotted path ("data.room_types.0.id") set, or removed by DELETE."""
    result = copy.deepcopy(instance)
    for path, value in edits.items():
        *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]
        target = result
        for part in parents:
            target = target[part]
        if value is DELETE:
            del target[last]
        else:
            target[last] = copy.deepcopy(value)
    return result


# --- cases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One instance and the verdict a schema (a path under schemas/) must give it."""

    schema: str
    description: str
    instance: Any
    valid: bool

    @property
    def id(self) -> str:
        verdict = "valid" if self.valid else "invalid"
        return f"{self.schema.removeprefix('coliving/')}: {verdict}: {self.description}"


def example_response(status: int, body: Any, method: str, path: str) -> httpx.Response:
    response = httpx.Response(status, json=body, request=httpx.Request(method, f"http://coliving.test{path}"))
    response.elapsed = timedelta(0)
    return response


@dataclass(frozen=True)
class ResponseCase:
    """A response and whether schemathesis must find it conformant to the operation's documented schema."""

    operation: str
    status: int
    description: str
    body: Any
    valid: bool

    @property
    def id(self) -> str:
        return f"{self.operation} {self.status}: {'valid' if self.valid else 'invalid'}: {self.description}"


# --- loading the schemas --------------------------------------------------------------------------

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
    return (SCHEMAS / schema).resolve().as_uri()


def load(schema: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))
    return result


@cache
def validator(schema: str) -> Draft202012Validator:
    """A validator for one schema file (a path under schemas/), its relative $refs resolved through REGISTRY.

    The files have no $id, so the file's URI is given as its $id: the base its relative $refs resolve against.
    """
    contents = {**load(schema), "$id": uri_of(schema)}
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
