"""The generic runner of the schema cases: every hand-written JSON Schema (schemas/) against the
instances of tests/schema_cases/, in the manner of the JSON-Schema-Test-Suite (its README says how).

`tests/schema_cases/<provider>/<name>.json` holds the cases of `schemas/<provider>/<name>.schema.json`
(`results.json` those of `schemas/results.schema.json`): a list of groups `{description, schema,
tests: [{description, data, valid}]}`, the group's schema a `$ref` to the file (relative to schemas/).
A test may give its instance as one of the folder's named examples (`examples.json`: the document's
examples, verbatim) with an RFC 6902 JSON Patch applied, instead of `data`. `<provider>/openapi.json`
holds the response cases of `schemas/<provider>/openapi.yaml`: groups of one operation, each test a
status, a body and whether schemathesis must find it conformant.

What stays in Python is what is not a case: reading the files (the examples, JSON Pointer and the patch
operations, which no JSON library here applies), the checks of the schema files themselves, and the
format checker's own behaviour.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import pytest
import schemathesis
from jsonschema import Draft202012Validator

from tests.openapi_documents import example_response, openapi_path, operations
from tests.schema_validation import FORMAT_CHECKER, REGISTRY, SCHEMAS, load, refs, uri_of, validator_for

CASES: Final = Path(__file__).parent / "schema_cases"
EXAMPLES: Final = "examples.json"
RESPONSES: Final = "openapi.json"
WITHOUT_CASES: Final = {"livespace": "no cases written yet (its files are checked as schemas all the same)"}
"""Providers whose schema files have no case file, and why."""
REF_PREFIXES: Final = {"leaddesk": ("#", "./")}
"""The form of the $refs of a provider's schemas beyond being relative (LeadDesk writes ./file names)."""

# --- reading the case files ------------------------------------------------------------------------


def pointed(document: Any, pointer: str) -> Any:
    """The value a JSON Pointer (RFC 6901) names in `document`; KeyError, IndexError or ValueError if none."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise ValueError(f"{pointer!r} is not a JSON Pointer")
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


def patched(document: Any, operations: Sequence[Mapping[str, Any]]) -> Any:
    """A copy of `document` with a JSON Patch (RFC 6902: add, remove, replace, copy) applied; an operation
    on a member or item that is not there (but `add`'s last step) raises KeyError or IndexError."""
    result = copy.deepcopy(document)
    for operation in operations:
        op, path = operation["op"], operation["path"]
        if op not in ("add", "remove", "replace", "copy"):
            raise ValueError(f"unsupported patch operation {op!r}")
        value = copy.deepcopy(pointed(result, operation["from"]) if op == "copy" else operation.get("value"))
        if path == "":
            result = value
            continue
        parent, _, token = path.rpartition("/")
        target = pointed(result, parent)
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(target, list):
            index = len(target) if token == "-" else int(token)
            if op in ("add", "copy"):
                if index > len(target):
                    raise IndexError(path)
                target.insert(index, value)
            elif op == "replace":
                target[index] = value
            else:
                del target[index]
        elif op in ("add", "copy"):
            target[token] = value
        elif token not in target:
            raise KeyError(path)
        elif op == "replace":
            target[token] = value
        else:
            del target[token]
    return result


def instance(test: Mapping[str, Any], examples: Mapping[str, Any], *, fields: Sequence[str] = ()) -> Any:
    """The instance a test (or an example) gives: its `data`, or the example `name#pointer` it names with
    its `patch` applied. ValueError for a member outside `fields` and the instance's own."""
    unknown = set(test) - {"description", "valid", "data", "example", "patch", *fields}
    if unknown or ("data" in test) == ("example" in test) or ("patch" in test and "data" in test):
        raise ValueError(f"{test.get('description')!r}: data, or example with an optional patch ({unknown})")
    if "data" in test:
        return test["data"]
    name, _, pointer = test["example"].partition("#")
    return patched(pointed(examples[name], pointer), test.get("patch", []))


@cache
def examples(folder: Path) -> dict[str, Any]:
    """The named examples of a folder's examples.json (each may build on one named before it)."""
    path = folder / EXAMPLES
    named: dict[str, Any] = {}
    if path.is_file():
        for name, example in json.loads(path.read_text(encoding="utf-8"))["examples"].items():
            named[name] = instance(example, named)
    return named


@dataclass(frozen=True)
class SchemaCase:
    """One instance and the verdict a schema must give it."""

    file: str
    schema: Mapping[str, Any]
    description: str
    instance: Any
    valid: bool

    @property
    def id(self) -> str:
        return f"{self.file}: {'valid' if self.valid else 'invalid'}: {self.description}"


@dataclass(frozen=True)
class ResponseCase:
    """A response and whether schemathesis must find it conformant to the operation's documented schema."""

    provider: str
    operation: str
    path: str
    status: int
    description: str
    body: Any
    valid: bool

    @property
    def id(self) -> str:
        verdict = "valid" if self.valid else "invalid"
        return f"{self.provider} {self.operation} {self.status}: {verdict}: {self.description}"


def case_files() -> list[Path]:
    """Every file of schema cases, in name order."""
    return sorted(path for path in CASES.rglob("*.json") if path.name not in (EXAMPLES, RESPONSES))


def schema_cases() -> Iterator[SchemaCase]:
    for path in case_files():
        for group in json.loads(path.read_text(encoding="utf-8")):
            for test in group["tests"]:
                yield SchemaCase(
                    path.relative_to(CASES).with_suffix("").as_posix(),
                    group["schema"],
                    test["description"],
                    instance(test, examples(path.parent)),
                    test["valid"],
                )


def response_cases() -> Iterator[ResponseCase]:
    for path in sorted(CASES.glob(f"*/{RESPONSES}")):
        provider = path.parent.name
        for group in json.loads(path.read_text(encoding="utf-8")):
            for test in group["tests"]:
                yield ResponseCase(
                    provider,
                    group["operation"],
                    group.get("path", ""),
                    test["status"],
                    test["description"],
                    instance(test, examples(path.parent), fields=["status"]),
                    test["valid"],
                )


SCHEMA_CASES: Final = list(schema_cases())
RESPONSE_CASES: Final = list(response_cases())
SCHEMA_FILES: Final = sorted(path.relative_to(SCHEMAS).as_posix() for path in SCHEMAS.rglob("*.schema.json"))


def cases_of(schema: str) -> str:
    """The case file (relative to tests/schema_cases/, no suffix) of a schema file (relative to schemas/)."""
    return schema.removesuffix(".schema.json")


# --- the cases -------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=lambda case: case.id)
def test_case(case: SchemaCase) -> None:
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator_for(case.schema).iter_errors(case.instance)
    ]
    if case.valid:
        assert errors == [], errors
    else:
        assert errors, "the instance should be rejected"


@pytest.mark.parametrize("case", RESPONSE_CASES, ids=lambda case: case.id)
def test_schemathesis_validates_responses_through_the_external_refs(case: ResponseCase) -> None:
    """An unresolved response $ref makes schemathesis skip the check: the invalid bodies prove it is not."""
    op = operations(case.provider)[case.operation]
    url = f"http://{case.provider}.test{case.path or op.path}"
    response = example_response(case.status, case.body, op.method.upper(), url)
    if case.valid:
        op.validate_response(response)
    else:
        with pytest.raises((AssertionError, schemathesis.errors.FailureGroup)):
            op.validate_response(response)


def test_every_schema_file_has_its_case_file_and_every_case_file_a_schema() -> None:
    expected = {cases_of(schema) for schema in SCHEMA_FILES if schema.split("/")[0] not in WITHOUT_CASES}
    assert {case.file for case in SCHEMA_CASES} == expected
    assert {path.relative_to(CASES).with_suffix("").as_posix() for path in case_files()} == expected
    for path in case_files():
        schema = f"{path.relative_to(CASES).with_suffix('').as_posix()}.schema.json"
        assert {json.dumps(group["schema"]) for group in json.loads(path.read_text(encoding="utf-8"))} == {
            json.dumps({"$ref": schema})
        }, path


@pytest.mark.parametrize("file", sorted({case.file for case in SCHEMA_CASES}))
def test_every_schema_has_valid_and_invalid_cases(file: str) -> None:
    assert {case.valid for case in SCHEMA_CASES if case.file == file} == {True, False}


def test_the_descriptions_tell_the_cases_apart() -> None:
    ids = [case.id for case in [*SCHEMA_CASES, *RESPONSE_CASES]]
    assert sorted(ids) == sorted(set(ids))


def test_the_patches_are_json_patch() -> None:
    document = {"a": {"b": [1, 2]}, "c~/": 0}
    assert patched(document, [{"op": "remove", "path": "/c~0~1"}]) == {"a": {"b": [1, 2]}}
    assert patched(document, [{"op": "copy", "from": "/a/b/0", "path": "/a/b/-"}])["a"] == {"b": [1, 2, 1]}
    assert patched(document, [{"op": "add", "path": "/a/b/0", "value": 0}])["a"] == {"b": [0, 1, 2]}
    assert patched(document, [{"op": "replace", "path": "/a/b/1", "value": 3}])["a"] == {"b": [1, 3]}
    assert document == {"a": {"b": [1, 2]}, "c~/": 0}
    for wrong in ({"op": "replace", "path": "/x", "value": 1}, {"op": "remove", "path": "/a/c"}):
        with pytest.raises(KeyError):
            patched(document, [wrong])
    with pytest.raises(ValueError, match="move"):
        patched(document, [{"op": "move", "from": "/a", "path": "/b"}])


# --- the schema files ------------------------------------------------------------------------------


@pytest.mark.parametrize("schema", SCHEMA_FILES)
def test_schema_is_a_valid_draft_2020_12_schema(schema: str) -> None:
    contents = load(schema)
    Draft202012Validator.check_schema(contents)
    assert contents["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "$id" not in contents, "the files are referenced by relative file names, never by $id"
    assert contents["title"]
    assert contents["description"]


@pytest.mark.parametrize("schema", SCHEMA_FILES)
def test_every_ref_resolves(schema: str) -> None:
    resolver = REGISTRY.resolver(base_uri=uri_of(schema))
    prefixes = REF_PREFIXES.get(schema.split("/")[0])
    for ref in refs(load(schema)):
        assert not ref.startswith(("http:", "https:", "/")), f"{ref}: cross-file refs are relative file names"
        assert prefixes is None or ref.startswith(prefixes), f"{ref}: cross-file refs are {prefixes[1]}names"
        resolver.lookup(ref)  # raises Unresolvable for a missing file or a dangling pointer


@pytest.mark.parametrize("provider", sorted(path.parent.name for path in SCHEMAS.glob("*/openapi.yaml")))
def test_openapi_document_is_valid_openapi_3_1(provider: str) -> None:
    schemathesis.openapi.from_path(str(openapi_path(provider))).validate()  # the OpenAPI 3.1 meta-schema


def test_the_date_time_check_follows_rfc_3339() -> None:
    for good in ("2026-04-19T02:18:50.000000Z", "2026-04-06T10:15:05+02:00", "2018-12-30T16:18:40+02:00"):
        assert FORMAT_CHECKER.conforms(good, "date-time"), good
    for bad in (
        "2026-04-06",
        "2026-04-06 10:15:05",
        "2026-02-30T10:15:05Z",
        "2026-04-06T25:00:00Z",
        "yesterday",
        "30.12.2018 16:18",
    ):
        assert not FORMAT_CHECKER.conforms(bad, "date-time"), bad
