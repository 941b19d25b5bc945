"""The LeadDesk OpenAPI document (schemas/leaddesk/openapi.yaml) as schemathesis loads it: its operations,
what they document, and what schemathesis generates from them, which must fit the schema files they $ref.

The schema files' own cases and the documented responses' cases are data (tests/schema_cases/leaddesk/,
run by tests/test_schema_cases.py); what is here asserts the document's structure and generated traffic,
which no instance-and-verdict case can express.
"""

from __future__ import annotations

from typing import Final

import pytest
import yaml

from tests.openapi_documents import generated, openapi_path, operations
from tests.schema_validation import validator

OPENAPI: Final = openapi_path("leaddesk")


def test_openapi_document_uses_bearer_auth() -> None:
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    assert document["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["paths"]["/oauth/access-token"]["post"]["security"] == []


def test_schemathesis_lists_the_operations() -> None:
    found = operations("leaddesk")
    assert {name: (op.method.upper(), op.path) for name, op in found.items()} == {
        "requestToken": ("POST", "/oauth/access-token"),
        "listUsers": ("GET", "/users"),
        "createUser": ("POST", "/users"),
        "deleteUser": ("DELETE", "/users/{id}"),
        "getUser": ("GET", "/users/{id}"),
        "listProducts": ("GET", "/products"),
        "createProduct": ("POST", "/products"),
        "getProduct": ("GET", "/products/{id}"),
        "updateProduct": ("PATCH", "/products/{id}"),
        "deleteProduct": ("DELETE", "/products/{id}"),
        "getCampaign": ("GET", "/campaigns/{id}"),
        "updateCampaign": ("PATCH", "/campaigns/{id}"),
        "addToCampaign": ("POST", "/campaigns/{id}"),
        "updateCampaignUsers": ("PATCH", "/campaigns/{id}/users"),
    }
    statuses = {name: set(op.definition.raw["responses"]) for name, op in found.items()}
    assert statuses["listUsers"] == {"200", "400", "401", "403", "404", "422"}
    assert statuses["requestToken"] == {"200", "400", "401"}
    assert {"200", "201", "401", "403", "415", "422"} <= statuses["createProduct"]
    assert {"200", "201", "422"} <= statuses["createUser"] and "204" in statuses["deleteUser"]
    assert "204" in statuses["updateProduct"] & statuses["deleteProduct"] & statuses["updateCampaign"]


def test_list_users_has_the_documented_page_and_per_page_bounds() -> None:
    list_users = operations("leaddesk")["listUsers"]
    parameters = {p.name: p.definition for p in list_users.query}
    assert parameters["per_page"]["schema"] == dict(type="integer", minimum=1, maximum=500, default=25)
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert not any(p.get("required") for p in parameters.values())
    for case in generated(list_users, 20):
        query = dict(case.query or {})
        assert set(query) <= {"page", "per_page"}
        assert 1 <= query.get("per_page", 25) <= 500 and query.get("page", 1) >= 1


@pytest.mark.parametrize(
    ("operation", "schema"), [("requestToken", "token-request"), ("createProduct", "product-create")]
)
def test_generated_bodies_match_our_request_schemas(operation: str, schema: str) -> None:
    """The body schemas come through the external $refs: what schemathesis generates fits the files."""
    check = validator(f"leaddesk/{schema}.schema.json")
    for case in generated(operations("leaddesk")[operation], 10):
        check.validate(case.body)
