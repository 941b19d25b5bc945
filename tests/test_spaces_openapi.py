"""The Spaces OpenAPI document (schemas/spaces/openapi.yaml) as schemathesis loads it: its operations, what
they document, and what schemathesis generates from them.

The schema files' own cases and the documented responses' cases are data (tests/schema_cases/spaces/, run
by tests/test_schema_cases.py); what is here asserts the document's structure and generated traffic,
which no instance-and-verdict case can express.
"""

from __future__ import annotations

from typing import Any, Final

import yaml

from tests.openapi_documents import generated, openapi_path, operations

OPENAPI: Final = openapi_path("spaces")


def test_openapi_document_basics() -> None:
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    assert document["security"] == [{"basicAuth": []}]
    assert document["components"]["securitySchemes"]["basicAuth"]["type"] == "http"
    assert document["components"]["securitySchemes"]["basicAuth"]["scheme"] == "basic"


def test_schemathesis_lists_the_operations() -> None:
    found = operations("spaces")
    assert {name: (op.method.upper(), op.path) for name, op in found.items()} == {
        "listCustomers": ("GET", "/customers"),
        "getCustomer": ("GET", "/customers/{id}"),
    }
    assert set(found["listCustomers"].definition.raw["responses"]) == {"200", "400", "401", "404"}
    assert set(found["getCustomer"].definition.raw["responses"]) == {"200", "401", "404"}


def test_list_customers_documents_the_pagination_parameters() -> None:
    parameters = {p["name"]: p for p in operations("spaces")["listCustomers"].definition.raw["parameters"]}
    assert sorted(parameters) == ["limit", "starting_after", "starting_before"]
    assert all(p["in"] == "query" and not p.get("required", False) for p in parameters.values())
    assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    for cursor in ("starting_after", "starting_before"):
        assert parameters[cursor]["schema"] == {"type": "string", "minLength": 1}


def test_generated_list_queries_respect_the_limit_bounds() -> None:
    seen: list[dict[str, Any]] = []
    for case in generated(operations("spaces")["listCustomers"], 20):
        query = dict(case.query or {})
        assert set(query) <= {"limit", "starting_after", "starting_before"}
        if "limit" in query:
            assert isinstance(query["limit"], int)
            assert 1 <= query["limit"] <= 100
        seen.append(query)
    assert seen
