"""The hand-written Spaces schemas (schemas/spaces/) and their OpenAPI document.

The Spaces document describes no object field: only the list envelope {object, data, has_more}, data
as "An array of objects", the cursors (object IDs, but the member holding the ID is never named, so
the schema requires none: spaces.lists.objects-have-id reads the member `id_field` names) and an error
JSON that often carries a message. The cases are data, in the manner of the JSON-Schema-Test-Suite,
validated through the same `referencing` registry as the Coliving schemas (the helpers are imported
from that test module), so the relative `$ref` from list.schema.json to customer.schema.json is
exercised.
"""

from __future__ import annotations

from typing import Any, Final

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.result import Err, Ok

from tests.schema_cases import (
    REGISTRY,
    SCHEMAS,
    Case,
    example_response,
    load,
    refs,
    uri_of,
    validator,
)

SPACES: Final = SCHEMAS / "spaces"
OPENAPI: Final = SPACES / "openapi.yaml"
SPACES_SCHEMAS: Final = ("customer.schema.json", "list.schema.json", "error.schema.json")
ALL_SCHEMAS: Final = tuple(f"spaces/{name}" for name in SPACES_SCHEMAS)

CUSTOMER: Final = {"id": "cus_123", "name": "Ana", "email": "ana@example.com"}
LIST: Final = {"object": "list", "data": [CUSTOMER, {"id": 42}], "has_more": False}


def valid(schema: str, description: str, instance: Any) -> Case:
    return Case(f"spaces/{schema}", description, instance, valid=True)


def invalid(schema: str, description: str, instance: Any) -> Case:
    return Case(f"spaces/{schema}", description, instance, valid=False)


CASES: Final[list[Case]] = [
    # customer: an object; no member is named by the document (not even the one holding the ID)
    valid("customer.schema.json", "a string id and extra fields", CUSTOMER),
    valid("customer.schema.json", "an integer id", {"id": 42}),
    valid("customer.schema.json", "a nested extra field", {"id": "c1", "metadata": {"plan": None}}),
    valid("customer.schema.json", "the ID in another member", {"customer_id": "5f0c", "name": "Ana"}),
    valid("customer.schema.json", "an empty object", {}),
    invalid("customer.schema.json", "not an object", ["cus_123"]),
    invalid("customer.schema.json", "a bare id", "cus_123"),
    # list: {object: "list", data, has_more}, all required
    valid("list.schema.json", "two customers", LIST),
    valid("list.schema.json", "an empty last page", {"object": "list", "data": [], "has_more": False}),
    valid("list.schema.json", "an extra top-level field", {**LIST, "url": "/api/v1/customers"}),
    valid("list.schema.json", "a full page", {**LIST, "data": [{"id": n} for n in range(100)]}),
    invalid("list.schema.json", "has_more as a string", {**LIST, "has_more": "false"}),
    invalid("list.schema.json", "object 'lists'", {**LIST, "object": "lists"}),
    valid("list.schema.json", "an item without id", {**LIST, "data": [{"customer_id": "5f0c"}]}),
    invalid("list.schema.json", "an item that is not an object", {**LIST, "data": ["cus_123"]}),
    invalid("list.schema.json", "no has_more", {"object": "list", "data": []}),
    invalid("list.schema.json", "no object", {"data": [], "has_more": False}),
    invalid("list.schema.json", "data not an array", {**LIST, "data": CUSTOMER}),
    invalid("list.schema.json", "over 100 items", {**LIST, "data": [{"id": n} for n in range(101)]}),
    # error: message 'often' there, a string when it is
    valid("error.schema.json", "a message", {"message": "Invalid parameter: limit"}),
    valid("error.schema.json", "no message", {}),
    valid("error.schema.json", "extra fields", {"message": "Not found", "code": "not_found"}),
    invalid("error.schema.json", "message 5", {"message": 5}),
    invalid("error.schema.json", "message null", {"message": None}),
    invalid("error.schema.json", "not an object", "Not Found"),
]


# --- the schema files -----------------------------------------------------------------------------


def test_the_spaces_folder_holds_exactly_the_expected_schemas() -> None:
    assert sorted(path.name for path in SPACES.glob("*.json")) == sorted(SPACES_SCHEMAS)


@pytest.mark.parametrize("schema", ALL_SCHEMAS)
def test_schema_is_a_valid_draft_2020_12_schema(schema: str) -> None:
    contents = load(schema)
    validator(schema).check_schema(contents)
    assert contents["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "$id" not in contents, "the files are referenced by relative file names, never by $id"
    assert contents["title"]
    assert contents["description"]


@pytest.mark.parametrize("schema", ALL_SCHEMAS)
def test_every_ref_resolves(schema: str) -> None:
    resolver = REGISTRY.resolver(base_uri=uri_of(schema))
    for ref in refs(load(schema)):
        assert not ref.startswith(("http:", "https:", "/")), f"{ref}: cross-file refs are relative file names"
        resolver.lookup(ref)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_case(case: Case) -> None:
    errors = [error.message for error in validator(case.schema).iter_errors(case.instance)]
    if case.valid:
        assert errors == [], errors
    else:
        assert errors, "the instance should be rejected"


def test_every_schema_has_valid_and_invalid_cases() -> None:
    for schema in ALL_SCHEMAS:
        assert {case.valid for case in CASES if case.schema == schema} == {True, False}, schema


# --- the OpenAPI document, through schemathesis ---------------------------------------------------


@pytest.fixture(scope="module")
def operations() -> dict[str, Any]:
    """The operations of openapi.yaml as schemathesis loads them (external $refs resolved), by operationId."""
    schema = schemathesis.openapi.from_path(str(OPENAPI))
    results = list(schema.get_all_operations())
    assert [result.err() for result in results if isinstance(result, Err)] == []
    return {
        op.definition.raw["operationId"]: op
        for op in (result.ok() for result in results if isinstance(result, Ok))
    }


def test_openapi_document_is_valid_openapi_3_1() -> None:
    schemathesis.openapi.from_path(str(OPENAPI)).validate()


def test_openapi_document_basics() -> None:
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    assert document["security"] == [{"basicAuth": []}]
    assert document["components"]["securitySchemes"]["basicAuth"]["type"] == "http"
    assert document["components"]["securitySchemes"]["basicAuth"]["scheme"] == "basic"


def test_schemathesis_lists_the_operations(operations: dict[str, Any]) -> None:
    assert {name: (op.method.upper(), op.path) for name, op in operations.items()} == {
        "listCustomers": ("GET", "/customers"),
        "getCustomer": ("GET", "/customers/{id}"),
    }
    assert set(operations["listCustomers"].definition.raw["responses"]) == {"200", "400", "401", "404"}
    assert set(operations["getCustomer"].definition.raw["responses"]) == {"200", "401", "404"}


def test_list_customers_documents_the_pagination_parameters(operations: dict[str, Any]) -> None:
    parameters = {p["name"]: p for p in operations["listCustomers"].definition.raw["parameters"]}
    assert sorted(parameters) == ["limit", "starting_after", "starting_before"]
    assert all(p["in"] == "query" and not p.get("required", False) for p in parameters.values())
    assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    for cursor in ("starting_after", "starting_before"):
        assert parameters[cursor]["schema"] == {"type": "string", "minLength": 1}


def test_generated_list_queries_respect_the_limit_bounds(operations: dict[str, Any]) -> None:
    seen: list[dict[str, Any]] = []

    @settings(
        max_examples=20,
        phases=[Phase.generate],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operations["listCustomers"].as_strategy())
    def query_is_valid(case: Any) -> None:
        query = dict(case.query or {})
        assert set(query) <= {"limit", "starting_after", "starting_before"}
        if "limit" in query:
            assert isinstance(query["limit"], int)
            assert 1 <= query["limit"] <= 100
        seen.append(query)

    query_is_valid()
    assert seen


@pytest.mark.parametrize(
    ("operation", "status", "body", "conformant"),
    [
        ("listCustomers", 200, LIST, True),
        ("listCustomers", 200, {**LIST, "has_more": "false"}, False),
        ("listCustomers", 200, {**LIST, "data": ["cus_123"]}, False),  # two files away
        ("listCustomers", 400, {"message": "Invalid limit"}, True),
        ("listCustomers", 404, {"message": 5}, False),
        ("getCustomer", 200, {"id": 42}, True),
        ("getCustomer", 200, {"name": "Ana"}, True),
        ("getCustomer", 200, ["cus_123"], False),
        ("getCustomer", 401, {}, True),
    ],
)
def test_schemathesis_validates_responses_through_the_external_refs(
    operations: dict[str, Any], operation: str, status: int, body: Any, conformant: bool
) -> None:
    """An unresolved response $ref would make schemathesis skip the check, so the invalid bodies prove it."""
    op = operations[operation]
    response = example_response(status, body, op.method.upper(), op.path.replace("{id}", "cus_123"))
    if conformant:
        op.validate_response(response)
    else:
        with pytest.raises((AssertionError, schemathesis.errors.FailureGroup)):
            op.validate_response(response)
