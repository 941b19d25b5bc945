"""The hand-written JSON Schemas of a provider (`schemas/<provider>/*.schema.json`), ready to validate.

Schemas reference each other by relative file name; they are resolved through a `referencing`
registry keyed by file URIs, and validated as Draft 2020-12 with format checking on.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from apiconform.resources import schemas_dir


class SchemaStore:
    """Validators for one provider's schemas, by file name without `.schema.json`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        registry: Registry[Any] = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]
        # every schema of the folder, loaded and crawled once: a validation then never reads a file
        resources = [
            (path.as_uri(), self._retrieve(path.as_uri())) for path in self.folder.glob("*.schema.json")
        ]
        self._registry = registry.with_resources(resources).crawl()

    def _retrieve(self, uri: str) -> Resource[Any]:
        path = Path(uri.removeprefix("file://"))
        return Resource.from_contents(
            json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
        )

    def uri(self, name: str) -> str:
        return (self.folder / f"{name}.schema.json").as_uri()

    @cache  # noqa: B019 - stores live for the process
    def validator(self, name: str) -> Draft202012Validator:
        schema = {"$ref": self.uri(name)}
        return Draft202012Validator(
            schema, registry=self._registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    def errors(self, name: str, instance: Any, limit: int = 5) -> list[str]:
        """Human-readable violations of schema `name` by `instance` (empty when valid)."""
        found = []
        for error in sorted(self.validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))[
            :limit
        ]:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            found.append(f"{where}: {error.message[:200]}")
        return found


@cache
def store(provider: str) -> SchemaStore:
    return SchemaStore(schemas_dir(provider))
