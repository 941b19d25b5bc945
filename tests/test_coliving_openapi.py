"""The Coliving OpenAPI document (schemas/coliving/openapi.yaml) as schemathesis loads it: its operations,
what they document, and what schemathesis generates from them, which must fit the schema files they $ref.

The schema files' own cases and the documented responses' cases are data (tests/schema_cases/coliving/,
run by tests/test_schema_cases.py); what is here asserts the document's structure and generated traffic,
which no instance-and-verdict case can express.
"""

from __future__ import annotations

from typing import Any, Final

import pytest
import yaml
from jsonschema import Draft202012Validator
from schemathesis.core import NOT_SET

from tests.openapi_documents import generated, openapi_path, operations
from tests.schema_validation import FORMAT_CHECKER, validator

OPENAPI: Final = openapi_path("coliving")
OPERATION_IDS: Final = {
    "createUser": ("POST", "/v1/users"),
    "createBooking": ("POST", "/v1/bookings"),
    "listListings": ("GET", "/v1/listings"),
    "upsertListing": ("POST", "/v1/listings"),
    "updateListing": ("PATCH", "/v1/listings/{id}"),
    "setProviderKey": ("POST", "/v1/integrations/{provider}/provider-key"),
}
REQUEST_SCHEMAS: Final = {
    "createUser": "coliving/user-create.schema.json",
    "createBooking": "coliving/booking-create.schema.json",
    "upsertListing": "coliving/listing-upsert.schema.json",
    "updateListing": "coliving/listing-patch.schema.json",
    "setProviderKey": "coliving/provider-key-request.schema.json",
}


def test_openapi_document_basics() -> None:
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    assert [server["url"] for server in document["servers"]] == ["/"]
    assert document["security"] == [{"apiKeyHeader": []}, {"bearer": []}]
    schemes = document["components"]["securitySchemes"]
    assert schemes["apiKeyHeader"] == {
        **schemes["apiKeyHeader"],
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}


def test_schemathesis_lists_the_six_operations() -> None:
    found = {name: (op.method.upper(), op.path) for name, op in operations("coliving").items()}
    assert found == OPERATION_IDS


def test_every_operation_documents_auth_validation_and_throttling() -> None:
    for name, op in operations("coliving").items():
        statuses = set(op.definition.raw["responses"])
        assert {"401", "403", "422", "429", "500"} <= statuses, name
        for status, response in op.definition.raw["responses"].items():
            resolved = response if "content" in response else None
            if resolved is not None:
                assert list(resolved["content"]) == ["application/json"], (name, status)


def test_every_body_is_required_json() -> None:
    for name, op in operations("coliving").items():
        if name == "listListings":
            assert "requestBody" not in op.definition.raw
            continue
        body = op.definition.raw["requestBody"]
        assert body["required"] is True, name
        assert list(body["content"]) == ["application/json"], name


@pytest.mark.parametrize("name", sorted(REQUEST_SCHEMAS))
def test_generated_bodies_match_our_request_schemas(name: str) -> None:
    """schemathesis resolves the external $refs: what it generates from openapi.yaml fits the schema file."""
    check = validator(REQUEST_SCHEMAS[name])
    for case in generated(operations("coliving")[name], 5):
        assert case.body is not NOT_SET
        check.validate(case.body)


def test_generated_upsert_bodies_carry_the_required_room_type_fields() -> None:
    """The nested required fields come through two levels of $ref (the file, then its $defs)."""
    for case in generated(operations("coliving")["upsertListing"], 5):
        assert case.body["name"]
        for room_type in case.body["room_types"]:
            assert room_type["room_type"] in ("private", "shared")
            assert room_type["prices"]["base_price"] >= 1


def test_generated_list_queries_respect_the_documented_bounds() -> None:
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    parameters = document["paths"]["/v1/listings"]["get"]["parameters"]
    assert sorted(p["name"] for p in parameters) == [
        "listing_status",
        "order",
        "page",
        "per_page",
        "q",
        "sort",
    ]
    query_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {p["name"]: p["schema"] for p in parameters},
    }
    check = Draft202012Validator(query_schema, format_checker=FORMAT_CHECKER)
    seen: list[dict[str, Any]] = []
    for case in generated(operations("coliving")["listListings"], 5):
        query = dict(case.query or {})
        check.validate(query)
        seen.append(query)
    assert seen
