"""The Coliving reference server's authentication, permissions and rate limit (access.py)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from apiconform.providers.coliving.server import create_app
from apiconform.providers.coliving.store import normalize_permissions
from apiconform.reference.serving import ServerOptions
from tests.reference.coliving.helpers import (
    DEFAULT_ORDER,
    EXPIRED,
    INACTIVE,
    LEGACY,
    MAIN,
    NO_READ,
    OTHER,
    READ,
    L,
    TestClient,
    booking_body,
    error,
    listed,
    listing,
    listing_body,
    make,
    user_body,
)


@pytest.mark.parametrize(
    "headers",
    [
        MAIN,
        {"Authorization": "Bearer key-main"},
        {"authorization": "bearer key-main"},
        {"Authorization": "BEARER   key-main "},
        {"x-api-key": "key-main"},
    ],
)
def test_both_key_headers_authenticate(c: TestClient, headers: dict[str, str]) -> None:
    assert c.get(L, headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "API key is required"),
        ({"X-API-Key": ""}, "API key is required"),
        ({"Authorization": "Basic a2V5LW1haW46"}, "API key is required"),
        ({"Authorization": "Bearer "}, "API key is required"),
        ({"X-API-Key": "nope"}, "Invalid API key"),
        ({"Authorization": "Bearer nope"}, "Invalid API key"),
        (INACTIVE, "API key is inactive"),
        ({"Authorization": "Bearer key-inactive"}, "API key is inactive"),
        ({"X-API-Key": "nope", "Authorization": "Bearer key-main"}, "Invalid API key"),
        (EXPIRED, "API key has expired"),
    ],
)
def test_unauthenticated_requests_get_401(c: TestClient, headers: dict[str, str], message: str) -> None:
    response = c.get(L, headers=headers)
    assert response.status_code == 401
    assert error(response) == {
        "type": "auth_error",
        "message": message,
        "request_id": response.headers["x-request-id"],
        "errors": [],
    }
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/users", {}),
        ("POST", "/v1/bookings", {}),
        ("POST", L, {}),
        ("PATCH", f"{L}/101", {"name": None}),
        ("POST", "/v1/bookings/1/messages", {}),
        ("POST", "/v1/integrations/hostaway/provider-key", {}),
        ("POST", "/v1/users", None),
    ],
)
def test_authentication_precedes_validation(c: TestClient, method: str, path: str, body: Any) -> None:
    content = b"{not json" if body is None else None
    response = c.request(method, path, json=body if body is not None else None, content=content)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body", "permission"),
    [
        ("POST", "/v1/users", user_body(), "users.write"),
        ("POST", "/v1/bookings", booking_body(), "bookings.write"),
        ("POST", L, listing_body("x-1"), "listings.write"),
        ("PATCH", f"{L}/101", {"name": "Renamed"}, "listings.write"),
        ("POST", "/v1/bookings/777001/messages", {"message": "hi"}, "bookings.write"),
        ("POST", "/v1/integrations/hostaway/provider-key", {"provider_api_key": "pk"}, "listings.write"),
    ],
)
def test_missing_permission_is_403_naming_it(
    c: TestClient, method: str, path: str, body: Any, permission: str
) -> None:
    response = c.request(method, path, headers=READ, json=body)
    assert response.status_code == 403
    assert error(response) == {
        "type": "forbidden",
        "message": "Missing required API key permission.",
        "request_id": response.headers["x-request-id"],
        "errors": [{"path": "required_permission", "code": "forbidden", "message": permission}],
    }
    assert listing(c, 101)["name"] == "Sunny Apartment"  # type: ignore[index]


def test_read_only_key_lists(c: TestClient) -> None:
    assert [item["id"] for item in listed(c, READ)] == DEFAULT_ORDER


def test_rate_limit_key_and_legacy_permission_names(c: TestClient) -> None:
    assert c.get(L, headers={"X-API-Key": "key-rate"}).status_code == 200
    assert normalize_permissions(["users.create", "bookings.create", "listings.read"]) == {
        "users.write",
        "bookings.write",
        "listings.read",
    }


def test_a_legacy_create_permission_writes_and_no_listings_read_cannot_list(c: TestClient) -> None:
    assert c.post("/v1/users", headers=LEGACY, json=user_body()).status_code == 201
    refused = c.get(L, headers=NO_READ)
    assert refused.status_code == 403 and error(refused)["errors"][0]["message"] == "listings.read"


def test_a_key_in_the_query_string_is_no_key(c: TestClient) -> None:
    assert c.get(f"{L}?api_key=key-main").status_code == 401


def test_only_configured_credentials_exist() -> None:
    c = TestClient(create_app(ServerOptions(credentials={"api_key": "only"})))
    assert c.get(L, headers={"X-API-Key": "only"}).status_code == 200
    assert c.get(L, headers={"X-API-Key": "key-read"}).status_code == 401


def test_rate_limit_per_key_counts_errors_and_sets_retry_after() -> None:
    c = make(rate_limit=(3, 60.0))
    assert c.get(L, headers=MAIN).status_code == 200
    assert c.patch(f"{L}/999999", headers=MAIN, json={}).status_code == 404
    assert c.post("/v1/users", headers=MAIN, json={}).status_code == 422
    response = c.get(L, headers=MAIN)
    assert response.status_code == 429
    assert error(response)["type"] == "rate_limit_exceeded"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert c.get(L, headers=OTHER).status_code == 200  # per key
    assert c.get(L, headers={"Authorization": "Bearer key-main"}).status_code == 429  # per key value
    for _ in range(5):  # unauthenticated requests are not limited (and do not count)
        assert c.get(L).status_code == 401
    assert c.get(L, headers={"X-API-Key": "nope"}).status_code == 401


def test_rate_limit_window_slides() -> None:
    c = make(rate_limit=(2, 0.3))
    assert [c.get(L, headers=MAIN).status_code for _ in range(3)] == [200, 200, 429]
    time.sleep(0.35)
    assert c.get(L, headers=MAIN).status_code == 200
