"""The hand-written LeadDesk schemas (schemas/leaddesk/) and their OpenAPI document.

The cases are data, in the manner of the JSON-Schema-Test-Suite: a schema file, an instance, the verdict
and why. The instances are the examples of leaddesk-api.txt (copied below; its placeholders such as
<error_code> filled in with the values it suggests) and mutations of them that the document rules out.
They are validated through the Coliving test module's `referencing` registry and format checker, so the
relative `$ref`s between the files are exercised. Where the document is silent the schemas accept every
reading (suites/leaddesk/readings.toml): the prose's member names, links without self, meta without
total, null and relative links, any underscore name, dates in any form (a rule of their own checks
ISO 8601), and no property the document does not show is typed.
"""

from __future__ import annotations

from typing import Any, Final

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from jsonschema import Draft202012Validator
from schemathesis.core.result import Err

from tests.schema_cases import (
    DELETE,
    FORMAT_CHECKER,
    REGISTRY,
    SCHEMAS,
    Case,
    ResponseCase,
    changed,
    example_response,
    load,
    refs,
    uri_of,
    validator,
)

LEADDESK: Final = SCHEMAS / "leaddesk"
OPENAPI: Final = LEADDESK / "openapi.yaml"
NAMES: Final = (
    "error",
    "token",
    "token-request",
    "object",
    "user",
    "product",
    "product-create",
    "campaign",
    "collection",
    "users-collection",
    "created",
)
ALL_SCHEMAS: Final = tuple(f"leaddesk/{name}.schema.json" for name in NAMES)
ROOT: Final = "https://restapi-nor.leaddesk.com/stable"
DATE: Final = "2018-12-30T16:18:40+02:00"  # Data format, Example
PAGE: Final = f"{ROOT}/agents?page="
BAD_DATE: Final = "30.12.2018 16:18"  # not ISO 8601

# --- the document's examples -----------------------------------------------------------------------

ERROR_404: Final = {"error": "user_not_found", "error_description": "User not found"}  # Error example
ERROR_422: Final = {  # Validation error
    "error": "validation_failed",
    "error_description": "Parameter validation failed",
    "error_validation": {"per_page": ["The per page must be at least 1."]},
}
SECRETS: Final = {"client_id": "example-client-id", "client_secret": "client-secret-password"}


def grant(grant_type: str, **fields: Any) -> dict[str, Any]:
    return {"grant_type": grant_type, **SECRETS, **fields}


GRANTS: Final = {  # Authentication: the four request bodies
    "password": grant("password", username="leaddesk-username", password="very-secret-password"),
    "leaddesk_client_id": grant("leaddesk_client_id", leaddesk_client_id=1),
    "client_user": grant("client_user", username="example-username", leaddesk_client_id=1),
    "refresh_token": grant("refresh_token", refresh_token="OCqak57Um37Hacuw9vwbufnCWiRgqhiuUwKN4k9S"),
}
TOKEN: Final = {  # Authentication: the response of every grant
    "access_token": "CHGK3f04In4Zn6Kp6rfsUZlrJJCzXJH5wSAqAY2j",
    "token_type": "Bearer",
    "expires_in": 3600,
    "refresh_token": "9ufdtxPDrkpGywUB4Wm6Rot8rejfQAwXkQCgB4v0",
}
USER: Final = {  # Objects, Example (its '...' left out)
    "id": 12345,
    "username": "example-user",
    "_links": {"self": f"{ROOT}/users/12345", "custom_fields": f"{ROOT}/users/12345/custom_fields"},
}
USERS: Final = {  # Collections, Example (its <user-object-N> filled in)
    "collection": [USER, {"id": 12346, "username": "example-user-2", "created_at": DATE}],
    "_links": {"self": f"{PAGE}2", "prev": f"{PAGE}1", "next": f"{PAGE}3"},
    "_meta": {"total": 201},
}
PROSE_USERS: Final = {  # the same page with the members named as the Collections prose names them
    "collection": USERS["collection"],
    "links": {"previous": f"{PAGE}1", "next": f"{PAGE}3"},
    "meta": {"total": 201},
}
CREATED: Final = {"id": 1}  # Response
PRODUCT: Final = {"id": 12345, "name": "Example product", "price": 100, "created_at": DATE}
CAMPAIGN: Final = {  # Sub-resources and Operation mode: users and products as arrays of {id}
    "id": 123,
    "name": "Example campaign",
    "users": [{"id": 1}, {"id": 2}],
    "products": [{"id": 1}, {"id": 6}],
    "created_at": DATE,
    "_links": {"self": f"{ROOT}/campaigns/123"},
}

# --- the cases: (schema name, valid, why, instance) ------------------------------------------------

TABLE: Final[list[tuple[str, bool, str, Any]]] = [
    ("error", True, "the Error example", ERROR_404),
    ("error", True, "the Validation error example", ERROR_422),
    ("error", True, "additional parameters in special cases", {**ERROR_404, "retry_after": 5}),
    ("error", False, "no error_description", changed(ERROR_404, {"error_description": DELETE})),
    ("error", False, "no error", changed(ERROR_404, {"error": DELETE})),
    ("error", False, "error a number", {**ERROR_404, "error": 404}),
    ("error", False, "a message not in an array", changed(ERROR_422, {"error_validation.per_page": "x"})),
    ("error", False, "error_validation a list", {**ERROR_422, "error_validation": ["per_page"]}),
    ("error", False, "a plain string", "Not Found"),
    ("token", True, "the grants' response", TOKEN),
    ("token", True, "token_type bearer (case-insensitive)", {**TOKEN, "token_type": "bearer"}),
    ("token", True, "an extra scope", {**TOKEN, "scope": "users"}),
    ("token", False, "token_type mac", {**TOKEN, "token_type": "mac"}),
    ("token", False, "expires_in 0", {**TOKEN, "expires_in": 0}),
    ("token", False, "expires_in a string", {**TOKEN, "expires_in": "3600"}),
    ("token", False, "no refresh_token", changed(TOKEN, {"refresh_token": DELETE})),
    ("token", False, "an empty access_token", {**TOKEN, "access_token": ""}),
    *(("token-request", True, f"the {name} example", body) for name, body in GRANTS.items()),
    ("token-request", False, "an unknown grant_type", grant("client_credentials")),
    ("token-request", False, "no password", changed(GRANTS["password"], {"password": DELETE})),
    ("token-request", False, "client id '1'", grant("leaddesk_client_id", leaddesk_client_id="1")),
    ("token-request", False, "no secret", changed(GRANTS["refresh_token"], {"client_secret": DELETE})),
    ("token-request", False, "an undocumented field", {**GRANTS["password"], "scope": "all"}),
    ("object", True, "_links, _meta and _embedded", {"id": 1, "_links": {}, "_meta": {}, "_embedded": {}}),
    ("object", True, "no properties at all", {}),
    ("object", True, "an underscore inside a name", {"custom_field_1": "x"}),
    ("object", True, "an _internal property (reserved for internal use)", {"id": 1, "_internal": True}),
    ("object", True, "_link (the prose's spelling)", {"_link": {"custom_fields": f"{ROOT}/users/1/cf"}}),
    ("object", True, "a relative and a null link", {"_links": {"self": "/stable/users/1", "next": None}}),
    ("object", False, "a link that is not a string", {"_links": {"self": {"href": f"{ROOT}/users/1"}}}),
    ("object", False, "_link a list", {"_link": [f"{ROOT}/users/1"]}),
    ("object", False, "_meta a number", {"_meta": 3}),
    ("user", True, "the Objects example", USER),
    ("user", True, "a string id, no _links (its own rule)", {"id": "u-1"}),
    ("user", True, "created_at ISO 8601", {**USER, "created_at": DATE, "updated_at": "2018-12-30T14:18:40Z"}),
    ("user", True, "dates are not the schema's business", {**USER, "created_at": BAD_DATE}),
    ("user", True, "an undocumented email of any type", {**USER, "email": None}),
    ("user", False, "no id", changed(USER, {"id": DELETE})),
    ("user", False, "an empty id", {**USER, "id": ""}),
    ("user", False, "username a number", {**USER, "username": 12345}),
    ("product", True, "id, name, price and created_at", PRODUCT),
    ("product", True, "undocumented properties of any type", {**PRODUCT, "price": "100", "created_at": 0}),
    ("product", False, "no id", {"name": "Example product"}),
    ("product-create", True, "name and price", {"name": "Example", "price": 0}),
    ("product-create", True, "name only", {"name": "Example"}),
    ("product-create", False, "an empty name", {"name": ""}),
    ("product-create", False, "a negative price", {"name": "Example", "price": -1}),
    ("product-create", False, "no name", {"price": 1}),
    ("product-create", False, "an undocumented field", {"name": "Example", "colour": "red"}),
    ("campaign", True, "users and products as arrays of {id}", CAMPAIGN),
    ("campaign", True, "no relations", {"id": 123}),
    ("campaign", False, "a product without id", changed(CAMPAIGN, {"products.1": {"name": "x"}})),
    ("campaign", False, "users an object", {**CAMPAIGN, "users": {"id": 1}}),
    ("campaign", True, "relations as bare ids", {**CAMPAIGN, "users": [1, 2], "products": [1, 6]}),
    ("campaign", False, "a relation of booleans", {**CAMPAIGN, "users": [True]}),
    ("collection", True, "the Collections example", USERS),
    ("collection", True, "the first page: no prev", changed(USERS, {"_links.prev": DELETE})),
    ("collection", True, "an empty one", {"collection": [], "_links": {"self": ROOT}, "_meta": {"total": 0}}),
    ("collection", False, "total a string", changed(USERS, {"_meta.total": "201"})),
    ("collection", False, "total negative", changed(USERS, {"_meta.total": -1})),
    (
        "collection",
        True,
        "no self link (only next and previous are promised)",
        changed(USERS, {"_links.self": DELETE}),
    ),
    ("collection", True, "no total ('like total amount')", changed(USERS, {"_meta.total": DELETE})),
    ("collection", True, "the prose's names: links, meta, previous", PROSE_USERS),
    (
        "collection",
        True,
        "null and relative links",
        changed(USERS, {"_links.prev": None, "_links.next": "/users?page=3"}),
    ),
    ("collection", True, "an item with _internal", changed(USERS, {"collection.0._internal": 1})),
    ("collection", False, "no _meta", changed(USERS, {"_meta": DELETE})),
    ("collection", False, "no links at all", changed(USERS, {"_links": DELETE})),
    ("collection", False, "links a list", {**changed(USERS, {"_links": DELETE}), "links": []}),
    ("collection", False, "501 items", {**USERS, "collection": [{"id": n} for n in range(501)]}),
    ("users-collection", True, "the Collections example", USERS),
    ("users-collection", False, "a user without id", changed(USERS, {"collection.1.id": DELETE})),
    ("users-collection", True, "the prose's names", PROSE_USERS),
    ("users-collection", False, "a username that is no string", changed(USERS, {"collection.1.username": 1})),
    ("users-collection", False, "total a string", changed(USERS, {"_meta.total": "201"})),
    ("created", True, "the Response example", CREATED),
    ("created", True, "other values as well", {"id": "p-1", "name": "Example"}),
    ("created", False, "no id", {"name": "Example"}),
    ("created", False, "id null", {"id": None}),
]
CASES: Final = [Case(f"leaddesk/{name}.schema.json", why, instance, ok) for name, ok, why, instance in TABLE]


def test_the_leaddesk_folder_holds_exactly_the_expected_schemas() -> None:
    assert sorted(path.name for path in LEADDESK.glob("*.json")) == sorted(
        name.split("/")[1] for name in ALL_SCHEMAS
    )


@pytest.mark.parametrize("schema", ALL_SCHEMAS)
def test_schema_file_is_draft_2020_12_with_relative_refs_that_resolve(schema: str) -> None:
    contents = load(schema)
    Draft202012Validator.check_schema(contents)
    assert contents["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "$id" not in contents and contents["title"] and contents["description"]
    resolver = REGISTRY.resolver(base_uri=uri_of(schema))
    for ref in refs(contents):
        assert ref.startswith(("#", "./")), f"{ref}: cross-file refs are ./relative file names"
        resolver.lookup(ref)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id.removeprefix("leaddesk/"))
def test_case(case: Case) -> None:
    errors = [error.message for error in validator(case.schema).iter_errors(case.instance)]
    assert (errors == []) is case.valid, errors or "the instance should be rejected"


def test_every_schema_has_valid_and_invalid_cases() -> None:
    assert {(case.schema, case.valid) for case in CASES} == {
        (s, v) for s in ALL_SCHEMAS for v in (True, False)
    }


def test_the_format_checker_really_checks_date_time() -> None:
    assert FORMAT_CHECKER.conforms(DATE, "date-time")
    assert not FORMAT_CHECKER.conforms(BAD_DATE, "date-time")


# --- the OpenAPI document, through schemathesis ---------------------------------------------------


@pytest.fixture(scope="module")
def operations() -> dict[str, Any]:
    """The operations as schemathesis 4 loads them (an unresolvable $ref would come back as an Err)."""
    results = list(schemathesis.openapi.from_path(str(OPENAPI)).get_all_operations())
    assert [result.err() for result in results if isinstance(result, Err)] == []
    return {op.definition.raw["operationId"]: op for op in (result.ok() for result in results)}


def test_openapi_document_is_valid_openapi_3_1_with_bearer_auth() -> None:
    schemathesis.openapi.from_path(str(OPENAPI)).validate()
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    assert document["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["paths"]["/oauth/access-token"]["post"]["security"] == []


def test_schemathesis_lists_the_operations(operations: dict[str, Any]) -> None:
    assert {name: (op.method.upper(), op.path) for name, op in operations.items()} == {
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
    statuses = {name: set(op.definition.raw["responses"]) for name, op in operations.items()}
    assert statuses["listUsers"] == {"200", "400", "401", "403", "404", "422"}
    assert statuses["requestToken"] == {"200", "400", "401"}
    assert {"200", "201", "401", "403", "415", "422"} <= statuses["createProduct"]
    assert {"200", "201", "422"} <= statuses["createUser"] and "204" in statuses["deleteUser"]
    assert "204" in statuses["updateProduct"] & statuses["deleteProduct"] & statuses["updateCampaign"]


def _generated(operation: Any, count: int = 20) -> list[Any]:
    """Cases schemathesis generates for an operation (positive data)."""
    seen: list[Any] = []

    @settings(
        max_examples=count,
        phases=[Phase.generate],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def collect(case: Any) -> None:
        seen.append(case)

    collect()
    return seen


def test_list_users_has_the_documented_page_and_per_page_bounds(operations: dict[str, Any]) -> None:
    parameters = {p.name: p.definition for p in operations["listUsers"].query}
    assert parameters["per_page"]["schema"] == dict(type="integer", minimum=1, maximum=500, default=25)
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert not any(p.get("required") for p in parameters.values())
    for case in _generated(operations["listUsers"]):
        query = dict(case.query or {})
        assert set(query) <= {"page", "per_page"}
        assert 1 <= query.get("per_page", 25) <= 500 and query.get("page", 1) >= 1


@pytest.mark.parametrize(
    ("operation", "schema"), [("requestToken", "token-request"), ("createProduct", "product-create")]
)
def test_generated_bodies_match_our_request_schemas(
    operations: dict[str, Any], operation: str, schema: str
) -> None:
    """The body schemas come through the external $refs: what schemathesis generates fits the files."""
    check = validator(f"leaddesk/{schema}.schema.json")
    for case in _generated(operations[operation], 10):
        check.validate(case.body)


RESPONSES: Final[list[tuple[str, int, bool, str, Any]]] = [  # operation, status, valid, why, body
    ("listUsers", 200, True, "the Collections example", USERS),
    ("listUsers", 422, True, "the Validation error example", ERROR_422),
    ("listUsers", 200, False, "total a string", changed(USERS, {"_meta.total": "2"})),
    ("listUsers", 200, False, "a user without id", changed(USERS, {"collection.0.id": DELETE})),
    ("listUsers", 200, False, "a user's id null (3 files away)", changed(USERS, {"collection.0.id": None})),
    ("listUsers", 200, True, "a relative self link", changed(USERS, {"_links.self": "/users?page=2"})),
    ("listUsers", 404, True, "a page that is not available", ERROR_404),
    ("listUsers", 401, False, "no error_description", {"error": "invalid_token"}),
    ("getUser", 200, True, "the Objects example", USER),
    ("getUser", 404, True, "the Error example", ERROR_404),
    ("getUser", 200, False, "username a number", {**USER, "username": 5}),
    ("requestToken", 200, True, "the grants' response", TOKEN),
    ("requestToken", 200, False, "expires_in 0", {**TOKEN, "expires_in": 0}),
    ("createProduct", 200, True, "the Response example (prose: 200)", CREATED),
    ("createProduct", 201, True, "the Response example (status table: 201)", CREATED),
    ("createProduct", 201, False, "no id", {"name": "Example"}),
    ("getCampaign", 200, True, "users and products", CAMPAIGN),
    ("getCampaign", 200, False, "a product without id", changed(CAMPAIGN, {"products.0": {}})),
    ("listProducts", 200, True, "a page of products", {**USERS, "collection": [PRODUCT]}),
    ("listProducts", 200, False, "a product without id", {**USERS, "collection": [{"price": "1"}]}),
]
RESPONSE_CASES: Final = [ResponseCase(op, status, why, body, ok) for op, status, ok, why, body in RESPONSES]


@pytest.mark.parametrize("case", RESPONSE_CASES, ids=lambda case: case.id)
def test_schemathesis_validates_responses_through_the_external_refs(
    operations: dict[str, Any], case: ResponseCase
) -> None:
    """An unresolved response $ref makes schemathesis skip the check: the invalid bodies prove it is not."""
    op = operations[case.operation]
    response = example_response(case.status, case.body, op.method.upper(), op.path.replace("{id}", "123"))
    if case.valid:
        op.validate_response(response)
    else:
        with pytest.raises((AssertionError, schemathesis.errors.FailureGroup)):
            op.validate_response(response)
