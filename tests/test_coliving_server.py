"""Unit tests of the Coliving reference server (apiconform.providers.coliving.server).

Every behaviour the server guarantees, the quirky variant, and every fault of its catalogue: for
each fault, one scenario whose observation is conformant on the clean server and deviates with
the fault switched on.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest

from apiconform.providers.coliving.faults import FAULTS
from apiconform.providers.coliving.server import ColivingServer, create_app
from apiconform.providers.coliving.store import Listing, normalize_permissions
from apiconform.reference.limits import FixedWindowLimiter, SlidingWindowLimiter
from apiconform.reference.serving import RunningServer, ServerOptions, Variant
from tests.conformance import assert_fault_cases_cover_the_catalogue

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CREDS = {
    "api_key": "key-main",
    "api_key_read_only": "key-read",
    "api_key_inactive": "key-inactive",
    "api_key_other_host": "key-other",
    "api_key_rate_limit": "key-rate",
}
MAIN = {"X-API-Key": "key-main"}
READ = {"X-API-Key": "key-read"}
OTHER = {"X-API-Key": "key-other"}
INACTIVE = {"X-API-Key": "key-inactive"}
L = "/v1/listings"
DEFAULT_ORDER = [
    110,
    121,
    109,
    103,
    122,
    120,
    119,
    108,
    112,
    105,
    104,
    123,
    117,
    118,
    106,
    101,
    102,
    111,
    107,
]
HOST1_IDS = set(range(101, 113)) | set(range(117, 124))
USER_KEYS = [
    "user_id",
    "name",
    "email",
    "first_name",
    "last_name",
    "phone",
    "date_of_birth",
    "gender",
    "country",
    "city",
    "timezone",
    "language",
    "status",
    "role_name",
    "lifecycle",
    "email_verified_at",
    "login_at",
    "login_amount",
    "login_ip",
    "source",
    "api_created",
    "created_at",
    "updated_at",
]
BOOKING_KEYS = [
    "booking_id",
    "booking_no",
    "user_id",
    "host_id",
    "listing_id",
    "checkin_at",
    "checkout_at",
    "nights",
    "guests",
    "rooms",
    "status",
    "type",
    "currency",
    "price",
    "price_local",
    "price_total",
    "price_total_local",
    "security_deposit",
    "security_deposit_local",
    "discount",
    "transaction_fee",
    "service_fee",
    "service_fee_total",
    "is_recurring",
    "recurring_at",
    "managed",
    "lifecycle",
    "payment_status",
    "lead_status",
    "payout_ready",
    "source",
    "api_created",
    "special_requests",
    "cancellation_reason",
    "dispute_reason",
    "paid_at",
    "paid_to_host_at",
    "invoiced_at",
    "canceled_at",
    "missed_at",
    "confirmed_at",
    "extended_at",
    "meta",
    "created_at",
    "updated_at",
]
UPSERT_KEYS = [
    "id",
    "unique_id",
    "original_id",
    "name",
    "listing_status",
    "action",
    "room_types_count",
    "match",
    "links",
    "updated_at",
]
MICRO_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z")
SECOND_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
GENERATED_ID = re.compile(r"req_[0-9a-f]{32}")


def make(
    faults: tuple[str, ...] = (),
    quirky: bool = False,
    variant: Variant = "clean",
    rate_limit: tuple[int, float] = (10_000, 60.0),
    **kwargs: Any,
) -> TestClient:
    options = ServerOptions(
        credentials=CREDS,
        faults=frozenset(faults),
        variant="quirky" if quirky else variant,
        rate_limit=rate_limit,
    )
    return TestClient(create_app(options, **kwargs))


def server_of(client: TestClient) -> ColivingServer:
    server: ColivingServer = client.app.state.coliving  # type: ignore[attr-defined]
    return server


@pytest.fixture
def c() -> TestClient:
    return make()


def user_body(**over: Any) -> dict[str, Any]:
    body = {
        "email": f"u-{uuid.uuid4().hex[:8]}@example.com",
        "password": "securepassword123",
        "first_name": "John",
        "last_name": "Doe",
        "phone": "+1234567890",
        "date_of_birth": "1990-01-01",
        "gender": "male",
        "country": "United States",
        "city": "New York",
        "timezone": "America/New_York",
        "language": "en",
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not ...}


def room_type(name: str = "Private room", kind: Any = "private", base_price: Any = 900, **extra: Any) -> Any:
    return {
        "id": f"rt-{name}",
        "name": name,
        "room_type": kind,
        "prices": {"base_price": base_price},
        "rooms": [{"id": "room-1", "name": "Room 1"}],
        **extra,
    }


def listing_body(original_id: str | None = None, name: Any = "Test Listing", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "room_types": [room_type()], "location": {"city": "Lisbon"}}
    if original_id is not None:
        body["original_id"] = original_id
    body.update(extra)
    return {k: v for k, v in body.items() if v is not ...}


def booking_body(**over: Any) -> dict[str, Any]:
    body = {
        "user_id": 123,
        "listing_id": 101,
        "checkin_at": "2026-06-01",
        "checkout_at": "2026-06-15",
        "message": "Looking forward to my stay!",
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not ...}


def error(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    err: dict[str, Any] = body["error"]
    return err


def paths(response: httpx.Response) -> list[str]:
    return [item["path"] for item in error(response)["errors"]]


def listed(c: TestClient, headers: dict[str, str] = MAIN, **params: Any) -> list[dict[str, Any]]:
    response = c.get(L, headers=headers, params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["data"]
    return items


def listing(c: TestClient, listing_id: int, headers: dict[str, str] = MAIN) -> dict[str, Any] | None:
    return next((item for item in listed(c, headers) if item["id"] == listing_id), None)


# --- authentication and permissions ------------------------------------------------------------


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


def test_only_configured_credentials_exist() -> None:
    c = TestClient(create_app(ServerOptions(credentials={"api_key": "only"})))
    assert c.get(L, headers={"X-API-Key": "only"}).status_code == 200
    assert c.get(L, headers={"X-API-Key": "key-read"}).status_code == 401


# --- envelopes and request ids --------------------------------------------------------------


def test_success_envelope_and_request_id(c: TestClient) -> None:
    response = c.get(L, headers=MAIN)
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["data", "meta"]
    assert list(body["meta"]) == ["request_id", "pagination"]
    assert GENERATED_ID.fullmatch(body["meta"]["request_id"])
    assert response.headers["x-request-id"] == body["meta"]["request_id"]
    assert c.get(L, headers=MAIN).json()["meta"]["request_id"] != body["meta"]["request_id"]


@pytest.mark.parametrize("headers", [MAIN, {}])
def test_sent_request_id_is_echoed(c: TestClient, headers: dict[str, str]) -> None:
    response = c.get(L, headers={**headers, "X-Request-Id": "trace-42"})
    holder = response.json().get("meta") or response.json()["error"]
    assert holder["request_id"] == response.headers["x-request-id"] == "trace-42"


@pytest.mark.parametrize("sent", ["", "x" * 201])
def test_unusable_request_ids_are_replaced(c: TestClient, sent: str) -> None:
    response = c.get(L, headers={**MAIN, "X-Request-Id": sent})
    assert GENERATED_ID.fullmatch(response.headers["x-request-id"])
    assert c.get(L, headers={**MAIN, "X-Request-Id": "y" * 200}).headers["x-request-id"] == "y" * 200


@pytest.mark.parametrize(
    ("method", "path", "status", "type_"),
    [
        ("GET", "/v1/nothing", 404, "not_found"),
        ("GET", "/", 404, "not_found"),
        ("GET", "/v1/listings/", 404, "not_found"),
        ("DELETE", L, 405, "method_not_allowed"),
        ("GET", "/v1/users", 405, "method_not_allowed"),
        ("PUT", f"{L}/101", 405, "method_not_allowed"),
    ],
)
def test_unknown_routes_and_methods(c: TestClient, method: str, path: str, status: int, type_: str) -> None:
    response = c.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert error(response)["type"] == type_
    assert error(response)["request_id"] == response.headers["x-request-id"]
    if status == 405:
        assert response.headers["allow"]


@pytest.mark.parametrize("content", [b"", b"{", b"[1, 2]", b'"text"', b"null", b'{"a": NaN}', b"\xff\xfe"])
def test_malformed_bodies_are_422_body(c: TestClient, content: bytes) -> None:
    response = c.post("/v1/users", headers={**MAIN, "Content-Type": "application/json"}, content=content)
    assert response.status_code == 422
    assert error(response)["type"] == "validation_error"
    assert paths(response) == ["body"]


def test_unhandled_exception_is_500_envelope(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(server_of(c).listings, "list_item", boom)
    response = c.get(L, headers=MAIN)
    assert response.status_code == 500
    assert error(response) == {
        "type": "internal_error",
        "message": "An unexpected error occurred.",
        "request_id": response.headers["x-request-id"],
        "errors": [],
    }


# --- rate limit -----------------------------------------------------------------------------


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


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_limiter_is_exact() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(3, 10.0, clock=clock)
    admitted = []
    for step in range(200):  # a request every 0.7 s: never more than 3 admitted in any 10 s window
        clock.now = 1000.0 + step * 0.7
        if limiter.acquire("k").allowed:
            admitted.append(clock.now)
    assert all(later - earlier >= 10.0 for earlier, later in zip(admitted, admitted[3:], strict=False))
    assert len(admitted) >= 3 * 13


def test_sliding_window_limiter_retry_after() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(2, 10.0, clock=clock)
    assert limiter.acquire("k").allowed
    clock.now += 4
    assert limiter.acquire("k").allowed
    clock.now += 1
    refused = limiter.acquire("k")
    assert not refused.allowed and refused.retry_after == pytest.approx(5.0)
    assert refused.retry_after_header == "5"
    assert limiter.acquire("other").allowed
    clock.now += 5  # the first request leaves the window
    assert limiter.acquire("k").allowed
    assert not limiter.acquire("k").allowed
    limiter.reset("k")
    assert limiter.acquire("k").allowed
    clock.now += 0.9999
    refused = limiter.acquire("k")
    assert (
        refused.retry_after_header == "1" if refused.retry_after < 1 else refused.retry_after_header.isdigit()
    )
    with pytest.raises(ValueError):
        SlidingWindowLimiter(0, 1.0)
    with pytest.raises(ValueError):
        SlidingWindowLimiter(1, 0)


def test_decisions_tell_the_rate_limit_header_values() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(3, 10.0, clock=clock)
    first = limiter.acquire("k")
    assert (first.limit, first.used, first.remaining, first.reset_after) == (3, 1, 2, 10.0)
    clock.now += 2.5
    second = limiter.acquire("k")
    assert (second.remaining, second.reset_after, second.reset_header) == (1, 7.5, "8")
    limiter.acquire("k")
    refused = limiter.acquire("k")
    assert (refused.allowed, refused.remaining, refused.used, refused.reset_after) == (False, 0, 3, 7.5)
    date = refused.retry_after_date(now=1_700_000_000.2)  # 7.5 s later, rounded up: ...007.7 -> ...008
    assert date == "Tue, 14 Nov 2023 22:13:28 GMT"
    assert parsedate_to_datetime(date).timestamp() == 1_700_000_008


def test_retry_after_header_rounds_up() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(1, 2.5, clock=clock)
    limiter.acquire("k")
    assert limiter.acquire("k").retry_after_header == "3"
    clock.now += 2.4
    assert limiter.acquire("k").retry_after_header == "1"


# --- users ----------------------------------------------------------------------------------


def test_create_user(c: TestClient) -> None:
    sent = user_body(first_name="john", last_name="o'neil van dyke")
    response = c.post("/v1/users", headers=MAIN, json=sent)
    assert response.status_code == 201
    data = response.json()["data"]
    assert list(data) == USER_KEYS
    assert data["user_id"] == 555001
    assert data["name"] == "John O'neil Van Dyke"
    for key in USER_KEYS[2:12]:
        assert data[key] == sent[key]
    assert (data["status"], data["role_name"], data["lifecycle"], data["email_verified_at"]) == (
        1,
        "user",
        "subscriber",
        None,
    )
    assert (data["login_amount"], data["source"], data["api_created"]) == (1, "api", True)
    assert data["login_ip"] == "testclient"
    assert all(MICRO_STAMP.fullmatch(data[k]) for k in ("login_at", "created_at", "updated_at"))
    assert "password" not in data and sent["password"] not in response.text
    second = c.post("/v1/users", headers=MAIN, json=user_body(first_name=..., last_name=...))
    assert second.json()["data"]["user_id"] == 555002
    assert second.json()["data"]["name"] == ""
    assert second.json()["data"]["first_name"] is None


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"email": ...}, [("email", "invalid", "Email address is required.")]),
        ({"email": None}, [("email", "invalid", "Email address is required.")]),
        ({"email": "not-an-email"}, [("email", "invalid", "Email address is invalid.")]),
        ({"email": "a b@example.com"}, [("email", "invalid", "Email address is invalid.")]),
        ({"email": 42}, [("email", "invalid", "Email address is invalid.")]),
        ({"email": "SEED.ONE@example.com"}, [("email", "taken", "Email address has already been taken.")]),
        ({"password": ...}, [("password", "invalid", "Password is required.")]),
        (
            {"password": "short"},
            [("password", "invalid", "Password must be a string of at least 8 characters.")],
        ),
        (
            {"password": 12345678},
            [("password", "invalid", "Password must be a string of at least 8 characters.")],
        ),
        (
            {"date_of_birth": "01/01/1990"},
            [("date_of_birth", "invalid", "Date of birth must be a date in YYYY-MM-DD format.")],
        ),
        (
            {"date_of_birth": "1990-02-30"},
            [("date_of_birth", "invalid", "Date of birth must be a date in YYYY-MM-DD format.")],
        ),
        ({"city": 7}, [("city", "invalid", "The city field must be a string.")]),
        (
            {"email": ..., "password": ...},
            [
                ("email", "invalid", "Email address is required."),
                ("password", "invalid", "Password is required."),
            ],
        ),
    ],
)
def test_invalid_users_are_422(
    c: TestClient, over: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    response = c.post("/v1/users", headers=MAIN, json=user_body(**over))
    assert response.status_code == 422
    err = error(response)
    assert (err["type"], err["message"]) == ("validation_error", "Validation failed")
    assert [(i["path"], i["code"], i["message"]) for i in err["errors"]] == expected


def test_duplicate_email_is_case_insensitive(c: TestClient) -> None:
    assert c.post("/v1/users", headers=MAIN, json=user_body(email="Ada@Example.com")).status_code == 201
    response = c.post("/v1/users", headers=MAIN, json=user_body(email="ada@example.COM"))
    assert (response.status_code, paths(response)) == (422, ["email"])


def test_optional_user_fields_may_be_null(c: TestClient) -> None:
    response = c.post("/v1/users", headers=MAIN, json=user_body(phone=None, date_of_birth=None))
    assert response.status_code == 201
    assert response.json()["data"]["phone"] is None


# --- bookings -------------------------------------------------------------------------------


def test_create_booking(c: TestClient) -> None:
    response = c.post("/v1/bookings", headers=MAIN, json=booking_body())
    assert response.status_code == 201
    data = response.json()["data"]
    assert list(data) == BOOKING_KEYS
    assert data["booking_id"] == 777001 and data["booking_no"] == "BKG-777001"
    assert (data["user_id"], data["host_id"], data["listing_id"]) == (123, 321, 101)
    assert (data["checkin_at"], data["checkout_at"], data["nights"]) == ("2026-06-01", "2026-06-15", 14)
    assert (data["guests"], data["rooms"], data["status"], data["type"], data["currency"]) == (
        1,
        1,
        1,
        "api_booking",
        "USD",
    )
    assert (data["price"], data["price_local"], data["service_fee"], data["service_fee_total"]) == (
        1200,
        1200,
        150,
        150,
    )
    assert (data["price_total"], data["price_total_local"]) == (1350, 1350)
    assert (data["security_deposit"], data["security_deposit_local"]) == (300, 300)
    assert data["meta"] == {"source": "api", "api_created": True, "special_requests": None}
    for key in (
        "recurring_at",
        "lifecycle",
        "payment_status",
        "lead_status",
        "special_requests",
        "paid_at",
        "canceled_at",
        "confirmed_at",
        "extended_at",
    ):
        assert data[key] is None
    assert data["discount"] == data["transaction_fee"] == data["is_recurring"] == data["managed"] == 0
    assert MICRO_STAMP.fullmatch(data["created_at"])
    second = c.post("/v1/bookings", headers=MAIN, json=booking_body())
    assert second.json()["data"]["booking_id"] == 777002


def test_booking_price_of_the_chosen_room_type(c: TestClient) -> None:
    room_types = listing(c, 101)["room_types"]  # type: ignore[index]
    response = c.post("/v1/bookings", headers=MAIN, json=booking_body(room_type_id=room_types[1]["id"]))
    data = response.json()["data"]
    assert (data["price"], data["service_fee"], data["price_total"]) == (1650, 206, 1856)
    other = c.post("/v1/bookings", headers=MAIN, json=booking_body(listing_id=103))
    assert other.json()["data"]["security_deposit"] == 0
    assert other.json()["data"]["service_fee"] == 81  # 650 * 0.125 = 81.25


def test_booking_for_a_new_user(c: TestClient) -> None:
    user_id = c.post("/v1/users", headers=MAIN, json=user_body()).json()["data"]["user_id"]
    assert c.post("/v1/bookings", headers=MAIN, json=booking_body(user_id=user_id)).status_code == 201


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"user_id": ...}, [("user_id", "invalid", "User ID is required.")]),
        ({"user_id": "123"}, [("user_id", "invalid", "User ID must be an integer.")]),
        ({"user_id": 999999999}, [("user_id", "not_found", "User not found.")]),
        ({"listing_id": ...}, [("listing_id", "invalid", "Listing ID is required.")]),
        ({"listing_id": 113}, [("listing_id", "not_found", "Listing not found for this host.")]),
        ({"listing_id": 999999}, [("listing_id", "not_found", "Listing not found for this host.")]),
        ({"room_type_id": 999}, [("room_type_id", "not_found", "Room type not found for this listing.")]),
        ({"room_type_id": True}, [("room_type_id", "invalid", "Room type ID must be an integer.")]),
        ({"checkin_at": ...}, [("checkin_at", "invalid", "The check-in date is required.")]),
        (
            {"checkout_at": "2026/06/15"},
            [("checkout_at", "invalid", "The checkout date must be a date in YYYY-MM-DD format.")],
        ),
        (
            {"checkout_at": "2026-05-20"},
            [("checkout_at", "invalid", "The checkout date must be after the check-in date.")],
        ),
        (
            {"checkout_at": "2026-06-01"},
            [("checkout_at", "invalid", "The checkout date must be after the check-in date.")],
        ),
        ({"message": 5}, [("message", "invalid", "The message field must be a string.")]),
        (
            {"user_id": ..., "listing_id": ...},
            [
                ("user_id", "invalid", "User ID is required."),
                ("listing_id", "invalid", "Listing ID is required."),
            ],
        ),
    ],
)
def test_invalid_bookings_are_422(
    c: TestClient, over: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    response = c.post("/v1/bookings", headers=MAIN, json=booking_body(**over))
    assert response.status_code == 422
    assert [(i["path"], i["code"], i["message"]) for i in error(response)["errors"]] == expected


# --- booking messages -----------------------------------------------------------------------


def test_booking_messages_and_deduplication(c: TestClient) -> None:
    booking_id = c.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    first = c.post(path, headers=MAIN, json={"message": "Hello host"})
    assert first.status_code == 201
    data = first.json()["data"]
    assert list(data) == ["message_id", "booking_id", "message", "created_at"]
    assert (data["message_id"], data["booking_id"], data["message"]) == (888001, booking_id, "Hello host")
    again = c.post(path, headers={**MAIN, "Idempotency-Key": "ignored"}, json={"message": "Hello host"})
    assert again.status_code == 200 and again.json()["data"] == data
    other = c.post(path, headers=MAIN, json={"message": "Hello host!"})
    assert other.status_code == 201 and other.json()["data"]["message_id"] == 888002
    assert len(server_of(c).store.messages[booking_id]) == 2


def test_booking_message_dedup_window_is_configurable() -> None:
    c = make(message_dedup_seconds=0.2)
    booking_id = c.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    assert c.post(path, headers=MAIN, json={"message": "Hi"}).status_code == 201
    assert c.post(path, headers=MAIN, json={"message": "Hi"}).status_code == 200
    time.sleep(0.25)
    assert c.post(path, headers=MAIN, json={"message": "Hi"}).status_code == 201


@pytest.mark.parametrize(
    ("headers", "booking", "body", "status", "path"),
    [
        (MAIN, "mine", {}, 422, "message"),
        (MAIN, "mine", {"message": "  "}, 422, "message"),
        (MAIN, "mine", {"message": 3}, 422, "message"),
        (OTHER, "mine", {"message": "Hi"}, 404, None),
        (MAIN, "999", {"message": "Hi"}, 404, None),
        (MAIN, "abc", {"message": "Hi"}, 404, None),
    ],
)
def test_invalid_booking_messages(
    c: TestClient, headers: dict[str, str], booking: str, body: Any, status: int, path: str | None
) -> None:
    booking_id = c.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    response = c.post(
        f"/v1/bookings/{booking_id if booking == 'mine' else booking}/messages", headers=headers, json=body
    )
    assert response.status_code == status
    if path:
        assert paths(response) == [path]
    else:
        assert error(response)["type"] == "not_found"


# --- listing list ---------------------------------------------------------------------------


def test_list_default_order_and_item_shape(c: TestClient) -> None:
    items = listed(c)
    assert [item["id"] for item in items] == DEFAULT_ORDER
    first = items[0]
    assert list(first) == [
        "id",
        "unique_id",
        "original_id",
        "name",
        "listing_status",
        "updated_at",
        "room_types",
    ]
    assert re.fullmatch(r"[a-z0-9]{8}", first["unique_id"])
    assert SECOND_STAMP.fullmatch(first["updated_at"])
    assert first["room_types"] == [
        {
            "id": first["room_types"][0]["id"],
            "name": "Oak Room",
            "rooms": [{"id": first["room_types"][0]["rooms"][0]["id"], "name": "Oak 1"}],
        }
    ]
    statuses = {item["listing_status"] for item in items}
    assert statuses == {"draft", "pending", "published", "inactive"}
    assert len({item["updated_at"] for item in items}) == 18  # 121 and 122 share theirs
    assert [item["original_id"] for item in items if item["listing_status"] == "inactive"] == [
        "seed-h1-11",
        "seed-h1-07",
    ]
    assert all(
        1 <= len(item["room_types"]) <= 2 and all(rt["rooms"] for rt in item["room_types"][:1])
        for item in items
    )


def test_list_is_scoped_to_the_host(c: TestClient) -> None:
    assert {item["id"] for item in listed(c, OTHER)} == {113, 114, 115, 116}
    assert [item["id"] for item in listed(c, OTHER, q="Sunny Apartment")] == [113]
    assert [item["id"] for item in listed(c, q="Sunny Apartment")] == [101, 102]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sort": "id"}, sorted(HOST1_IDS)),
        ({"sort": "id", "order": "desc"}, sorted(HOST1_IDS, reverse=True)),
        ({"order": "desc"}, DEFAULT_ORDER),
        (
            {"sort": "name"},  # alpha Loft / Alpha Loft tie (case-insensitive): id asc
            [104, 110, 122, 121, 123, 109, 111, 117, 118, 119, 120, 108, 107, 112, 105, 106, 101, 102, 103],
        ),
        (
            {"sort": "name", "order": "desc"},
            [103, 102, 101, 106, 105, 112, 107, 108, 120, 119, 118, 117, 111, 109, 123, 121, 122, 110, 104],
        ),
        (
            {"sort": "updated_at"},  # 121 and 122 tie: id desc
            [123, 122, 121, 120, 117, 119, 118, *range(112, 100, -1)],
        ),
        ({"sort": "updated_at", "order": "asc"}, [*range(101, 113), 118, 119, 117, 120, 121, 122, 123]),
        (
            {"sort": "listing_status"},
            [103, 109, 110, 121, 105, 108, 112, 119, 120, 122, 101, 102, 104, 106, 117, 118, 123, 107, 111],
        ),
        (
            {"sort": "listing_status", "order": "desc"},
            [111, 107, 123, 118, 117, 106, 104, 102, 101, 122, 120, 119, 112, 108, 105, 121, 110, 109, 103],
        ),
    ],
)
def test_list_sorting(c: TestClient, params: dict[str, str], expected: list[int]) -> None:
    assert [item["id"] for item in listed(c, **params)] == expected


def test_default_order_breaks_name_ties_by_updated_at_desc_then_id() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)

    def row(listing_id: int, name: str, status: str, minutes: int) -> Listing:
        return Listing(listing_id, 1, "u", status, now + timedelta(minutes=minutes), {"name": name})

    rows = [
        row(1, "b", "pending", 0),
        row(2, "B", "pending", 5),
        row(3, "b", "pending", 5),
        row(4, "a", "published", 9),
        row(5, "z", "draft", 0),
    ]
    server_of(make()).listings.sort_listings(rows, None, None)
    assert [r.id for r in rows] == [5, 2, 3, 1, 4]
    rows = [row(1, "b", "pending", 9), row(2, "B", "pending", 0)]
    server_of(make()).listings.sort_listings(rows, None, None)
    assert [r.id for r in rows] == [1, 2]  # same name ignoring case: updated_at desc
    server_of(make(quirky=True)).listings.sort_listings(rows, None, None)
    assert [r.id for r in rows] == [2, 1]  # binary collation: "B" < "b"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("listing_status=published", {101, 102, 104, 106, 117, 118, 123}),
        ("listing_status=draft&listing_status=inactive", {103, 109, 110, 121, 107, 111}),
        (
            "listing_status[]=pending&listing_status[]=draft",
            {105, 108, 112, 119, 120, 122, 103, 109, 110, 121},
        ),
        ("listing_status=pending&listing_status[]=inactive", {105, 108, 112, 119, 120, 122, 107, 111}),
        ("q=sunny", {101, 102, 103}),
        ("q=SUNNY%20apart", {101, 102}),
        ("q=100%25", {104}),
        ("q=Room_Share", {105}),
        ("q=_", {105}),
        ("q=", HOST1_IDS),
        ("q=nothing-like-this", set()),
        ("q=sunny&listing_status=draft", {103}),
    ],
)
def test_list_filters(c: TestClient, query: str, expected: set[int]) -> None:
    response = c.get(f"{L}?{query}", headers=MAIN)
    assert response.status_code == 200
    assert {item["id"] for item in response.json()["data"]} == expected
    assert response.json()["meta"]["pagination"]["total"] == len(expected)


@pytest.mark.parametrize(
    ("params", "pagination", "ids"),
    [
        ({}, (1, 50, 19, 1, 1, 19), DEFAULT_ORDER),
        ({"per_page": 5}, (1, 5, 19, 4, 1, 5), DEFAULT_ORDER[:5]),
        ({"per_page": 5, "page": 3}, (3, 5, 19, 4, 11, 15), DEFAULT_ORDER[10:15]),
        ({"per_page": 5, "page": 4}, (4, 5, 19, 4, 16, 19), DEFAULT_ORDER[15:]),
        ({"per_page": 5, "page": 5}, (5, 5, 19, 4, None, None), []),
        ({"page": 99999999999999999999}, (99999999999999999999, 50, 19, 1, None, None), []),
        ({"per_page": 100, "page": 1}, (1, 100, 19, 1, 1, 19), DEFAULT_ORDER),
        ({"per_page": 19, "page": 1}, (1, 19, 19, 1, 1, 19), DEFAULT_ORDER),
        ({"q": "zzz"}, (1, 50, 0, 1, None, None), []),
    ],
)
def test_list_pagination(
    c: TestClient, params: dict[str, Any], pagination: tuple[Any, ...], ids: list[int]
) -> None:
    response = c.get(L, headers=MAIN, params=params)
    keys = ("current_page", "per_page", "total", "last_page", "from", "to")
    assert response.json()["meta"]["pagination"] == dict(zip(keys, pagination, strict=True))
    assert [item["id"] for item in response.json()["data"]] == ids


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=", "page"),
        ("page=%201", "page"),
        ("page=1&page=2", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=x", "per_page"),
        ("sort=foo", "sort"),
        ("sort=ID", "sort"),
        ("order=up", "order"),
        ("order=asc&order=desc", "order"),
        ("listing_status=foo", "listing_status"),
        ("listing_status=draft,published", "listing_status"),
        ("listing_status[]=foo", "listing_status"),
        ("listing_status=", "listing_status"),
        ("q=" + "a" * 256, "q"),
    ],
)
def test_invalid_list_queries_are_422(c: TestClient, query: str, path: str) -> None:
    response = c.get(f"{L}?{query}", headers=MAIN)
    assert response.status_code == 422
    assert error(response)["type"] == "validation_error"
    assert paths(response) == [path]
    assert c.get(L, headers=MAIN, params={"q": "a" * 255}).status_code == 200


def test_list_many_generated_listings_is_fast() -> None:
    c = make(extra_listings=10_000)
    response = c.get(L, headers=MAIN, params={"per_page": 100, "page": 101})
    assert response.json()["meta"]["pagination"] == {
        "current_page": 101,
        "per_page": 100,
        "total": 10_019,
        "last_page": 101,
        "from": 10_001,
        "to": 10_019,
    }
    assert {item["listing_status"] for item in listed(c, q="Generated Listing 0000")} == set(
        ["draft", "pending", "published", "inactive"]
    )
    started = time.perf_counter()
    for page in range(1, 21):
        assert c.get(L, headers=MAIN, params={"per_page": 100, "page": page}).status_code == 200
    assert time.perf_counter() - started < 5
    assert listed(c, q="Generated Listing 00001")[0]["name"] == "Generated Listing 00001"


# --- listing upsert -------------------------------------------------------------------------


def test_upsert_creates(c: TestClient) -> None:
    response = c.post(L, headers=MAIN, json=listing_body("partner-1", name="New Place"))
    assert response.status_code == 201
    data = response.json()["data"]
    assert list(data) == UPSERT_KEYS
    assert (data["original_id"], data["name"], data["listing_status"], data["action"]) == (
        "partner-1",
        "New Place",
        "pending",
        "created",
    )
    assert data["room_types_count"] == 1
    assert data["match"] == {"matched": False, "method": None, "confidence": {"level": None, "score": None}}
    assert re.fullmatch(r"[a-z0-9]{8}", data["unique_id"])
    assert data["links"] == {"preview": f"https://coliving.com/spaces/{data['unique_id']}?preview=true"}
    assert SECOND_STAMP.fullmatch(data["updated_at"])
    item = listing(c, data["id"])
    assert item is not None and item["room_types"][0]["name"] == "Private room"
    assert isinstance(item["room_types"][0]["id"], int) and isinstance(
        item["room_types"][0]["rooms"][0]["id"], int
    )
    assert listing(c, data["id"], OTHER) is None


def test_upsert_without_original_id_always_creates(c: TestClient) -> None:
    first = c.post(L, headers=MAIN, json=listing_body())
    second = c.post(L, headers=MAIN, json=listing_body())
    assert first.status_code == second.status_code == 201
    assert first.json()["data"]["id"] != second.json()["data"]["id"]
    assert first.json()["data"]["original_id"] is None


def test_upsert_updates_the_matched_listing(c: TestClient) -> None:
    created = c.post(L, headers=MAIN, json=listing_body("partner-2", name="Before")).json()["data"]
    room_type_id = listing(c, created["id"])["room_types"][0]["id"]  # type: ignore[index]
    body = listing_body("partner-2", name="After", status="published")
    response = c.post(L, headers=MAIN, json=body)
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["id"], data["name"], data["action"], data["listing_status"]) == (
        created["id"],
        "After",
        "updated",
        "pending",
    )
    assert data["match"] == {
        "matched": True,
        "method": "original_id",
        "confidence": {"level": "high", "score": 0.92},
    }
    item = listing(c, created["id"])
    assert item is not None and item["name"] == "After" and item["room_types"][0]["id"] == room_type_id
    again = c.post(L, headers=MAIN, json=body).json()["data"]
    assert (again["action"], again["updated_at"]) == ("unchanged", data["updated_at"])
    seed = c.post(L, headers=MAIN, json=listing_body("seed-h1-01", name="Sunny Apartment Renamed")).json()[
        "data"
    ]
    assert (seed["id"], seed["listing_status"], seed["action"]) == (101, "published", "updated")


def test_upsert_of_an_inactive_match_is_409(c: TestClient) -> None:
    before = listing(c, 107)
    response = c.post(L, headers=MAIN, json=listing_body("seed-h1-07", name="Revived"))
    assert response.status_code == 409
    assert error(response) == {
        "type": "conflict_error",
        "message": "A listing with this external identity already exists for this host but is inactive.",
        "request_id": response.headers["x-request-id"],
        "errors": [
            {"path": "action", "code": "conflict", "message": "skipped"},
            {"path": "listing_id", "code": "conflict", "message": "107"},
            {"path": "match.matched", "code": "conflict", "message": "true"},
            {"path": "match.method", "code": "conflict", "message": "original_id"},
            {"path": "match.confidence.level", "code": "conflict", "message": "high"},
            {"path": "match.confidence.score", "code": "conflict", "message": "0.92"},
        ],
    }
    assert listing(c, 107) == before


def test_upsert_of_another_hosts_original_id_creates_a_separate_listing(c: TestClient) -> None:
    response = c.post(L, headers=OTHER, json=listing_body("seed-h1-01", name="Host Two Copy"))
    assert response.status_code == 201
    assert response.json()["data"]["id"] not in HOST1_IDS
    assert listing(c, 101)["name"] == "Sunny Apartment"  # type: ignore[index]
    assert (
        c.post(L, headers=OTHER, json=listing_body("seed-h1-01", name="Copy 2")).json()["data"]["action"]
        == "updated"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (listing_body(name=...), [("name", "required", "The name field is required.")]),
        (listing_body(name=None), [("name", "required", "The name field is required.")]),
        (listing_body(name="   "), [("name", "required", "The name field is required.")]),
        (listing_body(name=5), [("name", "invalid", "The name field must be a string.")]),
        (listing_body(room_types=...), [("room_types", "required", "The room types field is required.")]),
        (listing_body(room_types=[]), [("room_types", "min", "At least one room type entry is required.")]),
        (listing_body(room_types={}), [("room_types", "invalid", "The room types field must be an array.")]),
        (listing_body(room_types=["x"]), [("room_types.0", "invalid", "Each room type must be an object.")]),
        (
            listing_body(room_types=[room_type(kind="suite")]),
            [("room_types.0.room_type", "invalid", "The room_type must be one of: private, shared.")],
        ),
        (
            listing_body(room_types=[room_type(), room_type(kind=None)]),
            [("room_types.1.room_type", "required", "The room_type field is required.")],
        ),
        (
            listing_body(room_types=[room_type(base_price=0)]),
            [("room_types.0.prices.base_price", "min", "The base price must be at least 1.")],
        ),
        (
            listing_body(room_types=[room_type(base_price=-5)]),
            [("room_types.0.prices.base_price", "min", "The base price must be at least 1.")],
        ),
        (
            listing_body(room_types=[room_type(base_price="900")]),
            [("room_types.0.prices.base_price", "invalid", "The base price must be an integer.")],
        ),
        (
            listing_body(room_types=[room_type(base_price=900.5)]),
            [("room_types.0.prices.base_price", "invalid", "The base price must be an integer.")],
        ),
        (
            listing_body(room_types=[room_type(base_price=None)]),
            [("room_types.0.prices.base_price", "required", "The base price field is required.")],
        ),
        (
            listing_body(room_types=[{"name": "x", "room_type": "shared"}]),
            [("room_types.0.prices.base_price", "required", "The base price field is required.")],
        ),
        (
            listing_body(room_types=[room_type(name="")]),
            [("room_types.0.name", "invalid", "The room type name must be a non-empty string.")],
        ),
        (
            listing_body(room_types=[room_type(rooms="x")]),
            [("room_types.0.rooms", "invalid", "The rooms field must be an array.")],
        ),
        (
            listing_body(room_types=[room_type(rooms=[{"name": 3}])]),
            [("room_types.0.rooms.0.name", "invalid", "The room name must be a string.")],
        ),
        (
            listing_body(original_id=""),
            [("original_id", "invalid", "The original_id field must be a string of 1-255 characters.")],
        ),
        (
            listing_body(name=..., room_types=[]),
            [
                ("name", "required", "The name field is required."),
                ("room_types", "min", "At least one room type entry is required."),
            ],
        ),
    ],
)
def test_invalid_upserts_are_422(
    c: TestClient, body: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    response = c.post(L, headers=MAIN, json=body)
    assert response.status_code == 422
    assert error(response)["type"] == "validation_error"
    assert [(i["path"], i["code"], i["message"]) for i in error(response)["errors"]] == expected
    assert len(listed(c)) == 19


def test_upsert_stores_unknown_fields_and_rooms_without_names(c: TestClient) -> None:
    body = listing_body("partner-3", room_types=[room_type(rooms=[{"id": 1}, {}])], faq=[{"question": "?"}])
    data = c.post(L, headers=MAIN, json=body).json()["data"]
    assert server_of(c).store.listings[data["id"]].fields["faq"] == [{"question": "?"}]
    assert [room["name"] for room in listing(c, data["id"])["room_types"][0]["rooms"]] == ["Room 1", "Room 2"]  # type: ignore[index]


# --- listing patch --------------------------------------------------------------------------


def test_patch_changes_only_the_sent_fields(c: TestClient) -> None:
    before = listing(c, 101)
    assert before is not None
    response = c.patch(
        f"{L}/101", headers=MAIN, json={"name": "Sunny Apartment II", "bookings": {"stay_min": 3}}
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == UPSERT_KEYS
    assert (data["id"], data["name"], data["action"], data["listing_status"]) == (
        101,
        "Sunny Apartment II",
        "updated",
        "published",
    )
    assert data["match"] == {"matched": True, "method": "id", "confidence": {"level": "high", "score": 0.99}}
    assert data["updated_at"] > before["updated_at"]
    after = listing(c, 101)
    assert after == {**before, "name": "Sunny Apartment II", "updated_at": data["updated_at"]}
    fields = server_of(c).store.listings[101].fields
    assert fields["bookings"] == {"stay_min": 3} and fields["location"]["city"] == "San Francisco"


def test_patch_status_room_types_and_unchanged(c: TestClient) -> None:
    response = c.patch(f"{L}/103", headers=MAIN, json={"status": "published"})
    assert response.json()["data"]["listing_status"] == "published"
    assert listing(c, 103)["listing_status"] == "published"  # type: ignore[index]
    same = c.patch(f"{L}/103", headers=MAIN, json={"status": "published", "name": "Sunny Side Loft"})
    assert (same.status_code, same.json()["data"]["action"]) == (200, "unchanged")
    assert same.json()["data"]["updated_at"] == response.json()["data"]["updated_at"]
    assert c.patch(f"{L}/103", headers=MAIN, json={}).json()["data"]["action"] == "unchanged"
    rooms = c.patch(f"{L}/103", headers=MAIN, json={"room_types": [room_type("A"), room_type("B", "shared")]})
    assert rooms.json()["data"]["room_types_count"] == 2
    assert [rt["name"] for rt in listing(c, 103)["room_types"]] == ["A", "B"]  # type: ignore[index]


def test_patch_null_clears_nullable_fields(c: TestClient) -> None:
    response = c.patch(f"{L}/101", headers=MAIN, json={"location": None, "original_id": None})
    assert response.json()["data"]["action"] == "updated"
    assert "location" not in server_of(c).store.listings[101].fields
    assert listing(c, 101)["original_id"] is None  # type: ignore[index]
    assert c.post(L, headers=MAIN, json=listing_body("seed-h1-01")).status_code == 201


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"name": None}, [("name", "invalid", "The name field cannot be null.")]),
        ({"name": ""}, [("name", "required", "The name field is required.")]),
        (
            {"status": None},
            [("status", "invalid", "The status field must be one of: draft, pending, published, inactive.")],
        ),
        (
            {"status": "live"},
            [("status", "invalid", "The status field must be one of: draft, pending, published, inactive.")],
        ),
        ({"room_types": None}, [("room_types", "invalid", "The room types field cannot be null.")]),
        ({"room_types": []}, [("room_types", "min", "At least one room type entry is required.")]),
        (
            {"room_types": [room_type(name=None)]},
            [("room_types.0.name", "invalid", "The room type name field cannot be null.")],
        ),
        (
            {"room_types": [{"name": "x", "room_type": "private", "prices": None}]},
            [("room_types.0.prices.base_price", "invalid", "The base price field cannot be null.")],
        ),
        (
            {"room_types": [room_type(base_price=None)]},
            [("room_types.0.prices.base_price", "invalid", "The base price field cannot be null.")],
        ),
        (
            {"room_types": [{"name": "x", "room_type": "private"}]},
            [("room_types.0.prices.base_price", "required", "The base price field is required.")],
        ),
        (
            {"original_id": "seed-h1-02"},
            [("original_id", "taken", "Another listing of this host already has this original_id.")],
        ),
        (
            {"name": None, "status": "x"},
            [
                ("name", "invalid", "The name field cannot be null."),
                (
                    "status",
                    "invalid",
                    "The status field must be one of: draft, pending, published, inactive.",
                ),
            ],
        ),
    ],
)
def test_invalid_patches_are_422_and_change_nothing(
    c: TestClient, body: Any, expected: list[tuple[str, ...]]
) -> None:
    before = listing(c, 101)
    response = c.patch(f"{L}/101", headers=MAIN, json=body)
    assert response.status_code == 422
    assert [(i["path"], i["code"], i["message"]) for i in error(response)["errors"]] == expected
    assert listing(c, 101) == before


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (f"{L}/999999999", MAIN),
        (f"{L}/abc", MAIN),
        (f"{L}/-1", MAIN),
        (f"{L}/113", MAIN),
        (f"{L}/101", OTHER),
        (f"{L}/1" + "0" * 30, MAIN),
    ],
)
def test_patch_of_unknown_or_foreign_listing_is_404(
    c: TestClient, path: str, headers: dict[str, str]
) -> None:
    response = c.patch(path, headers=headers, json={"name": "Taken over"})
    assert response.status_code == 404
    err = error(response)
    assert (err["type"], err["message"], err["errors"]) == (
        "not_found",
        "Listing not found or unauthorized",
        [],
    )
    assert listing(c, 101)["name"] == "Sunny Apartment"  # type: ignore[index]
    assert listing(c, 113, OTHER)["name"] == "Sunny Apartment"  # type: ignore[index]


def test_room_type_ids_are_stable_across_updates(c: TestClient) -> None:
    ids = [rt["id"] for rt in listing(c, 101)["room_types"]]  # type: ignore[index]
    raw = server_of(c).store.listings[101].fields["room_types"]
    c.patch(
        f"{L}/101",
        headers=MAIN,
        json={"room_types": [raw[1], {**raw[0], "name": "Renamed"}, room_type("New")]},
    )
    new_ids = [rt["id"] for rt in listing(c, 101)["room_types"]]  # type: ignore[index]
    assert new_ids[:2] == [ids[1], ids[0]] and new_ids[2] not in ids


# --- integrations ---------------------------------------------------------------------------


def test_provider_key(c: TestClient) -> None:
    path = "/v1/integrations/hostaway/provider-key"
    response = c.post(path, headers=MAIN, json={"provider_api_key": "pk-1"})
    assert response.status_code == 200
    assert response.json()["data"] == {"provider": "hostaway", "connected": True}
    assert c.post(path, headers=MAIN, json={"provider_api_key": "pk-1"}).status_code == 200
    conflict = c.post(path, headers=OTHER, json={"provider_api_key": "pk-1"})
    assert (conflict.status_code, error(conflict)["type"]) == (409, "conflict_error")
    assert (
        c.post(
            "/v1/integrations/guesty/provider-key", headers=OTHER, json={"provider_api_key": "pk-1"}
        ).status_code
        == 200
    )
    assert c.post(path, headers=MAIN, json={"provider_api_key": "pk-2"}).status_code == 200  # replaces pk-1
    assert c.post(path, headers=OTHER, json={"provider_api_key": "pk-1"}).status_code == 200


@pytest.mark.parametrize(
    ("provider", "body", "status", "type_", "path"),
    [
        ("airbnb", {"provider_api_key": "pk"}, 404, "unsupported_provider", "provider"),
        ("Hostaway", {"provider_api_key": "pk"}, 404, "unsupported_provider", "provider"),
        ("ownerrez", {}, 422, "validation_error", "provider_api_key"),
        ("ownerrez", {"provider_api_key": ""}, 422, "validation_error", "provider_api_key"),
        ("ownerrez", {"provider_api_key": 5}, 422, "validation_error", "provider_api_key"),
    ],
)
def test_invalid_provider_keys(
    c: TestClient, provider: str, body: Any, status: int, type_: str, path: str
) -> None:
    response = c.post(f"/v1/integrations/{provider}/provider-key", headers=MAIN, json=body)
    assert (response.status_code, error(response)["type"], paths(response)) == (status, type_, [path])
    if status == 404:
        assert error(response)["message"] == "Unsupported provider"


# --- idempotency ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/users", user_body(email="idem@example.com")),
        ("/v1/bookings", booking_body()),
        (L, listing_body("idem-1")),
    ],
)
def test_idempotent_replay(c: TestClient, path: str, body: dict[str, Any]) -> None:
    headers = {**MAIN, "Idempotency-Key": "op-1"}
    first = c.post(path, headers=headers, json=body)
    assert first.status_code == 201
    reordered = dict(reversed(list(body.items())))
    replay = c.post(path, headers={**headers, "X-Request-Id": "retry-1"}, json=reordered)
    assert (replay.status_code, replay.json()["data"]) == (201, first.json()["data"])
    assert replay.json()["meta"]["request_id"] == replay.headers["x-request-id"] == "retry-1"
    mismatch = c.post(path, headers=headers, json={**body, "extra": 1})
    assert (mismatch.status_code, error(mismatch)["type"]) == (409, "idempotency_key_mismatch")
    other_key = c.post(path, headers={**OTHER, "Idempotency-Key": "op-1"}, json=body)
    assert other_key.status_code != 409  # cached per API key
    store = server_of(c).store
    assert (len(store.users), len(store.bookings)) == (
        (3, 0) if path == "/v1/users" else (2, 1) if "book" in path else (2, 0)
    )


def test_idempotency_compares_json_values(c: TestClient) -> None:
    headers = {**MAIN, "Idempotency-Key": "op-2"}
    assert c.post(L, headers=headers, json=listing_body("idem-2", bedrooms=1)).status_code == 201
    assert c.post(L, headers=headers, json=listing_body("idem-2", bedrooms=1.0)).status_code == 409
    assert c.post(L, headers=headers, json=listing_body("idem-2", bedrooms=True)).status_code == 409


def test_failures_are_not_cached_and_keys_are_checked(c: TestClient) -> None:
    headers = {**MAIN, "Idempotency-Key": "op-3"}
    assert c.post("/v1/users", headers=headers, json=user_body(email=...)).status_code == 422
    assert c.post("/v1/users", headers=headers, json=user_body()).status_code == 201
    long = c.post("/v1/users", headers={**MAIN, "Idempotency-Key": "k" * 256}, json=user_body())
    assert (long.status_code, paths(long)) == (422, ["Idempotency-Key"])
    assert (
        c.post("/v1/users", headers={**MAIN, "Idempotency-Key": "k" * 255}, json=user_body()).status_code
        == 201
    )
    empty = c.post("/v1/users", headers={**MAIN, "Idempotency-Key": ""}, json=user_body())
    assert (empty.status_code, paths(empty)) == (422, ["Idempotency-Key"])
    same_key_other_route = c.post("/v1/bookings", headers=headers, json=booking_body())
    assert same_key_other_route.status_code == 201


def test_idempotency_entries_expire(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    headers = {**MAIN, "Idempotency-Key": "op-4"}
    assert c.post(L, headers=headers, json=listing_body("idem-4")).status_code == 201
    for entry in server_of(c).store.idempotency.values():
        entry.expires_at = time.monotonic() - 1
    assert c.post(L, headers=headers, json=listing_body("idem-4", name="Other")).status_code == 200


# --- quirky variant -------------------------------------------------------------------------


def test_quirky_variant_differs_where_the_document_is_silent() -> None:
    q = make(quirky=True)
    response = q.get(L, headers=MAIN)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert "x-request-id" not in response.headers
    body = response.json()
    assert list(body) == ["meta", "data"]
    assert body["meta"]["api_version"] == "v1"
    uuid.UUID(body["meta"]["request_id"])
    assert body["data"][0]["object"] == "listing"
    assert next(iter(body["data"][0])) == "object"
    echoed = q.get(L, headers={**MAIN, "X-Request-Id": "trace-q"})
    assert echoed.json()["meta"]["request_id"] == "trace-q" and "x-request-id" not in echoed.headers
    missing = q.post("/v1/users", headers=MAIN, json=user_body(email=...))
    err = error(missing)
    assert err["errors"] == [{"message": "The email field is required.", "code": "required", "path": "email"}]
    assert err["message"] == "The given data was invalid." and "documentation_url" in err
    assert error(q.get(L))["message"] == "No API key was provided."
    created = q.post(L, headers=MAIN, json=listing_body("q-1")).json()["data"]
    assert created["listing_status"] == "draft"
    assert q.patch(f"{L}/{created['id']}", headers=MAIN, json={}).json()["data"]["action"] == "unchanged"
    assert q.post("/v1/users", headers=MAIN, json=user_body()).status_code == 201
    assert q.post("/v1/bookings", headers=MAIN, json=booking_body()).status_code == 201
    started = time.perf_counter()
    for _ in range(10):
        q.get(L, headers=MAIN)
    assert time.perf_counter() - started < 5


def test_quirky_replays_searches_and_sorts_differently() -> None:
    q = make(quirky=True)
    headers = _key("q-op")
    first = q.post(L, headers=headers, json=listing_body("q-idem"))
    replay = q.post(L, headers=headers, json=listing_body("q-idem"))
    assert (first.status_code, replay.status_code) == (201, 200)
    assert replay.json()["data"] == first.json()["data"]
    long = q.post("/v1/users", headers=_key("k" * 256), json=user_body())
    assert (long.status_code, error(long)["type"], paths(long)) == (400, "bad_request", ["Idempotency-Key"])
    assert q.post("/v1/users", headers=_key("k" * 255), json=user_body()).status_code == 201
    empty = q.post("/v1/users", headers=_key(""), json=user_body())
    assert (empty.status_code, paths(empty)) == (422, ["Idempotency-Key"])
    # q compares letter case; name order is binary (sort=name and the default order)
    assert {i["id"] for i in listed(q, q="sunny")} == set()
    assert {i["id"] for i in listed(q, q="Sunny")} == {101, 102, 103}
    assert {i["id"] for i in listed(q, q="alpha")} == {121}
    assert {i["id"] for i in listed(q, q="100%")} == {104}
    by_name = [(i["name"], i["id"]) for i in listed(q, sort="name") if i["id"] in HOST1_IDS]
    assert by_name == sorted(by_name)
    assert [i["id"] for i in listed(q, sort="name")][:5] == [104, 110, 122, 123, 109]
    drafts = [i["id"] for i in listed(q) if i["listing_status"] == "draft" and i["id"] in HOST1_IDS]
    assert drafts == [110, 109, 103, 121]  # "Alpine Lodge" < "Sunny Side Loft" < "alpha Loft"


@pytest.mark.parametrize(
    ("query", "page", "per_page"),
    [
        ("per_page=101", 1, 100),
        ("per_page=0", 1, 1),
        ("per_page=ten", 1, 50),
        ("page=0&per_page=5", 1, 5),
        ("page=first", 1, 50),
        ("sort=color&order=sideways", 1, 50),
        ("listing_status=sold", 1, 50),
        ("q=" + "x" * 256, 1, 50),
    ],
)
def test_quirky_clamps_list_values_beyond_the_bounds(query: str, page: int, per_page: int) -> None:
    """The other reading of "strict error semantics": Laravel's paginator clamps, and unknown
    values are ignored; the answer stays within the documented bounds."""
    response = make(quirky=True).get(f"{L}?{query}", headers=MAIN)
    assert response.status_code == 200
    pagination = response.json()["meta"]["pagination"]
    assert (pagination["current_page"], pagination["per_page"]) == (page, per_page)
    assert len(response.json()["data"]) <= per_page


def test_quirky_duplicate_message_is_409() -> None:

    q = make(quirky=True)
    booking_id = q.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    assert q.post(path, headers=MAIN, json={"message": "Hi"}).status_code == 201
    duplicate = q.post(path, headers=MAIN, json={"message": "Hi"})
    assert (duplicate.status_code, error(duplicate)["type"]) == (409, "conflict_error")
    assert q.post(path, headers=MAIN, json={"message": "Hi again"}).status_code == 201
    assert len(server_of(q).store.messages[booking_id]) == 2


def test_quirky_rate_limit_headers_and_http_date_retry_after() -> None:
    q = make(quirky=True, rate_limit=(3, 60.0))
    responses = [
        q.get(L, headers=MAIN),
        q.post("/v1/users", headers=MAIN, json={}),  # errors of a valid key carry them too
        q.patch(f"{L}/999999", headers=MAIN, json={}),
        q.get(L, headers=MAIN),
    ]
    assert [r.status_code for r in responses] == [200, 422, 404, 429]
    readings = [
        (
            r.headers["x-ratelimit-limit"],
            r.headers["x-ratelimit-remaining"],
            int(r.headers["x-ratelimit-reset"]),
        )
        for r in responses
    ]
    assert [reading[:2] for reading in readings] == [("3", "2"), ("3", "1"), ("3", "0"), ("3", "0")]
    assert all(1 <= reset <= 60 for _, _, reset in readings)
    retry_after = responses[-1].headers["retry-after"]
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT", retry_after)
    wait = parsedate_to_datetime(retry_after).timestamp() - time.time()
    assert 55 <= wait <= 61
    unauthenticated = q.get(L)
    assert unauthenticated.status_code == 401 and "x-ratelimit-limit" not in unauthenticated.headers
    assert "x-ratelimit-limit" not in make().get(L, headers=MAIN).headers  # the reference sends none


# --- a real server --------------------------------------------------------------------------


def test_serves_over_http_with_uvicorn() -> None:
    app = create_app(ServerOptions(credentials=CREDS))
    with RunningServer(app) as server:
        response = httpx.get(f"{server.base_url}{L}", headers=MAIN, params={"per_page": 1})
        assert response.status_code == 200 and len(response.json()["data"]) == 1
        head = httpx.head(f"{server.base_url}{L}", headers=MAIN)
        assert head.status_code == 200 and head.content == b""
        assert httpx.post(f"{server.base_url}/v1/users", headers=MAIN, content=b"{").status_code == 422


# --- the alternate variant ------------------------------------------------------------------


def alt() -> TestClient:
    return make(variant="alternate")


def alt_error(response: httpx.Response) -> dict[str, Any]:
    """The error object of an alternate answer (which carries the legacy `success: false`)."""
    body = response.json()
    assert set(body) == {"error", "success"} and body["success"] is False, body
    err: dict[str, Any] = body["error"]
    return err


def alt_listing_body(original_id: str, **extra: Any) -> dict[str, Any]:
    """A listing with the strongly recommended fields the alternate variant requires."""
    return listing_body(
        original_id,
        original_url=f"https://example.com/{original_id}",
        location={"city": "Lisbon", "country": "Portugal"},
        descriptions={"property": "A listing."},
        media={"photos": {"property": [{"url": "https://example.com/p.jpg"}]}},
        **extra,
    )


def alt_booking_body(**over: Any) -> dict[str, Any]:
    """A booking of published listing 101 with every field of the document's example."""
    return booking_body(**{"room_type_id": 501, **over})


def test_alternate_envelopes_request_ids_and_methods() -> None:
    a = alt()
    listed_ = a.get(L, headers={**MAIN, "X-Request-Id": "trace-a"})
    body = listed_.json()
    assert body["success"] is True and "request_id" not in body["meta"]  # ids in the header only
    assert GENERATED_ID.fullmatch(listed_.headers["x-request-id"])  # not echoed: GET lists no X-Request-Id
    patched = a.patch(f"{L}/999999999", headers={**MAIN, "X-Request-Id": "trace-p"}, json={"name": "x"})
    assert patched.headers["x-request-id"] == "trace-p" and "request_id" not in alt_error(patched)
    assert a.head(L, headers=MAIN).status_code == 405  # an operation the document does not show


def test_alternate_requires_x_api_key_on_listing_writes_and_validates_first() -> None:
    a = alt()
    bearer = {"Authorization": "Bearer key-main"}
    assert a.get(L, headers=bearer).status_code == 200
    refused = a.post(L, headers=bearer, json=alt_listing_body("alt-bearer"))
    assert (refused.status_code, alt_error(refused)["type"]) == (401, "auth_error")
    assert a.patch(f"{L}/101", headers=bearer, json={"name": "x"}).status_code == 401
    assert a.post(L, headers={**bearer, **MAIN}, json=alt_listing_body("alt-both")).status_code == 201
    early = a.post("/v1/users", json={"first_name": "x"})  # validation precedes authentication
    assert early.status_code == 422


def test_alternate_timestamps_dates_and_absent_values() -> None:
    a = alt()
    items = {item["id"]: item for item in listed(a)}
    assert items[101]["updated_at"].endswith("+0000") and "original_id" not in items[106]
    user = a.post("/v1/users", headers=MAIN, json=user_body(first_name="ada")).json()["data"]
    assert user["first_name"] == "Ada" and user["date_of_birth"] == "1990-01-01T00:00:00.000000Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", user["created_at"])
    booking = a.post("/v1/bookings", headers=MAIN, json=alt_booking_body()).json()["data"]
    assert (booking["checkin_at"], booking["nights"]) == ("2026-06-01T00:00:00.000000Z", 14)
    rooms = alt_listing_body("alt-rooms", room_types=[room_type(rooms=[{"id": "r1"}])])
    created = a.post(L, headers=MAIN, json=rooms).json()["data"]
    assert listing(a, created["id"])["room_types"][0]["rooms"][0]["name"] is None  # type: ignore[index]


def test_alternate_requires_every_example_field() -> None:
    a = alt()
    user = a.post("/v1/users", headers=MAIN, json=user_body(phone=..., language=...))
    assert (user.status_code, sorted(i["path"] for i in alt_error(user)["errors"])) == (
        422,
        ["language", "phone"],
    )
    booking = a.post("/v1/bookings", headers=MAIN, json=booking_body(message=...))
    assert {i["path"] for i in alt_error(booking)["errors"]} == {"room_type_id", "message"}
    thin = a.post(L, headers=MAIN, json=listing_body("alt-thin"))
    assert {i["path"] for i in alt_error(thin)["errors"]} == {
        "original_url",
        "location.country",
        "descriptions.property",
        "media.photos",
    }
    assert a.post(L, headers=MAIN, json=alt_listing_body("alt-full")).status_code == 201


def test_alternate_bookings_unknown_users_and_patches() -> None:
    a = alt()
    pending = a.post("/v1/bookings", headers=MAIN, json=alt_booking_body(listing_id=105, room_type_id=506))
    assert (pending.status_code, alt_error(pending)["errors"][0]["code"]) == (422, "not_bookable")
    unknown = a.post("/v1/bookings", headers=MAIN, json=alt_booking_body(user_id=999999))
    assert (unknown.status_code, alt_error(unknown)["type"]) == (404, "not_found")
    assert a.post("/v1/bookings", headers=MAIN, json=alt_booking_body()).status_code == 201
    empty = a.patch(f"{L}/101", headers=MAIN, json={})
    assert (empty.status_code, alt_error(empty)["errors"][0]["path"]) == (422, "body")
    publish = a.patch(f"{L}/103", headers=MAIN, json={"status": "published"})
    assert (publish.status_code, alt_error(publish)["errors"][0]["path"]) == (422, "status")
    assert a.patch(f"{L}/103", headers=MAIN, json={"status": "inactive"}).status_code == 200


def test_alternate_original_ids_are_unique_across_hosts_and_provider_errors() -> None:
    a = alt()
    taken = a.post(L, headers=OTHER, json=alt_listing_body("seed-h1-01"))
    assert (taken.status_code, alt_error(taken)["errors"][0]["code"]) == (422, "taken")
    unknown = a.post("/v1/integrations/nope/provider-key", headers=MAIN, json={"provider_api_key": "k"})
    err = alt_error(unknown)
    assert (unknown.status_code, err["type"], err["errors"][0]["code"]) == (
        404,
        "not_found",
        "unsupported_provider",
    )
    read_only = a.post("/v1/integrations/hostaway/provider-key", headers=READ, json={"provider_api_key": "k"})
    assert alt_error(read_only)["errors"][0]["message"] == "integrations.write"


def test_alternate_list_query_reading() -> None:
    a = alt()
    assert a.get(f"{L}?page=&q=%20&sort=", headers=MAIN).status_code == 200  # empty: absent
    assert (
        a.get(f"{L}?page=2&page=1&per_page=%2050%20", headers=MAIN).json()["meta"]["pagination"][
            "current_page"
        ]
        == 1
    )  # the last value, trimmed
    last = {i["id"] for i in listed(a, listing_status=["inactive", "draft"])}
    both = {
        i["id"]
        for i in a.get(
            f"{L}?listing_status[]=inactive&listing_status[]=draft&per_page=100", headers=MAIN
        ).json()["data"]
    }
    assert last < both and {107, 111} <= both - last
    for query in (
        "page=10001",
        "order=asc",
        "q=a%00b",
        f"q={'é' * 128}",
        "listing_status[]=draft&listing_status[]=draft",
    ):
        response = a.get(f"{L}?{query}", headers=MAIN)
        assert (response.status_code, alt_error(response)["type"]) == (400, "bad_request"), query
    assert a.get(f"{L}?q={'x' * 255}", headers=MAIN).status_code == 200
    past = a.get(f"{L}?page=50", headers=MAIN).json()
    assert past["data"] == [] and (past["meta"]["pagination"]["from"], past["meta"]["pagination"]["to"]) == (
        0,
        0,
    )


def test_alternate_default_order_collation_and_ties() -> None:
    a = alt()
    items = listed(a)
    statuses = [status for status, _ in itertools.groupby(i["listing_status"] for i in items)]
    assert statuses == ["published", "pending", "draft", "inactive"]
    drafts = [i["name"] for i in items if i["listing_status"] == "draft"]
    assert drafts == ["1000 Oaks House", "alpha Loft", "Alpine Lodge", "Élan Vital Loft", "Sunny Side Loft"]
    assert {i["id"] for i in listed(a, q="elan")} == {124}
    tied = alt_listing_body("alt-tie-1", name="Tie Loft")
    for original_id in ("alt-tie-1", "alt-tie-2", "alt-tie-3"):
        a.post(L, headers=MAIN, json={**tied, "original_id": original_id})
    orders = {tuple(i["id"] for i in listed(a, q="Tie Loft")) for _ in range(12)}
    assert len(orders) > 1  # ties come in a new order per request
    assert len({tuple(i["id"] for i in listed(a, q="Tie Loft", sort="name")) for _ in range(5)}) == 1


def test_alternate_idempotency_and_messages() -> None:
    a = alt()
    headers = _key("alt-op")
    first = a.post(L, headers=headers, json=alt_listing_body("alt-idem"))
    replay = a.post(L, headers=headers, json=alt_listing_body("alt-idem"))
    assert (first.status_code, replay.status_code, replay.headers["idempotent-replayed"]) == (
        201,
        201,
        "true",
    )
    long = a.post(L, headers=_key("k" * 256), json=alt_listing_body("alt-long"))
    assert (long.status_code, alt_error(long)["type"]) == (400, "bad_request")
    booking_id = a.post("/v1/bookings", headers=MAIN, json=alt_booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    wrong = a.post(path, headers=MAIN, json={"message": "Hi"})
    assert (wrong.status_code, alt_error(wrong)["errors"][0]["path"]) == (422, "body")
    sent = a.post(path, headers=MAIN, json={"body": "Hi"})
    assert sent.status_code == 201 and set(sent.json()["data"]) == {"id", "booking_id", "body", "created_at"}
    again = a.post(path, headers=MAIN, json={"body": "Hi"})
    assert (again.status_code, again.json()["data"]["id"]) == (200, sent.json()["data"]["id"])
    assert server_of(a).messages.dedup_seconds == 30


def test_alternate_rate_limit_is_a_fixed_window_without_retry_after() -> None:
    a = make(variant="alternate", rate_limit=(3, 60.0))
    assert [a.get(L, headers=MAIN).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "retry-after" not in a.get(L, headers=MAIN).headers


def test_fixed_window_limiter() -> None:
    clock = FakeClock()
    limiter = FixedWindowLimiter(2, 10.0, clock=clock)
    assert limiter.acquire("k").allowed
    clock.now += 9
    assert limiter.acquire("k").allowed
    refused = limiter.acquire("k")
    assert not refused.allowed and refused.retry_after == pytest.approx(1.0)
    assert limiter.acquire("other").allowed
    clock.now += 1  # the window, anchored at the first request, ends: a burst may span it
    assert limiter.acquire("k").allowed and limiter.acquire("k").allowed
    assert not limiter.acquire("k").allowed
    limiter.reset()
    assert limiter.acquire("k").allowed
    with pytest.raises(ValueError):
        FixedWindowLimiter(1, 0)


# --- faults ---------------------------------------------------------------------------------

Scenario = Callable[[TestClient], Any]


def _status(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Scenario:
    return lambda c: c.request(method, path, headers=headers, **kwargs).status_code


def _error_of(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Scenario:
    def run(c: TestClient) -> Any:
        response = c.request(method, path, headers=headers, **kwargs)
        return response.status_code, response.json()

    return run


def _data(method: str, path: str, body: Any, headers: dict[str, str] = MAIN) -> Scenario:
    def run(c: TestClient) -> Any:
        response = c.request(method, path, headers=headers, json=body)
        return response.status_code, response.json().get("data")

    return run


def _missing_key_body(c: TestClient) -> Any:
    response = c.get(L)
    return response.status_code, response.json()


def _request_ids(c: TestClient) -> Any:
    first, second = c.get(L, headers=MAIN), c.get(L, headers=MAIN)
    return [(r.headers.get("x-request-id"), r.json()["meta"].get("request_id")) for r in (first, second)]


def _traced(c: TestClient) -> Any:
    response = c.get(L, headers={**MAIN, "X-Request-Id": "trace-1"})
    return response.headers.get("x-request-id"), response.json()["meta"].get("request_id")


def _patch_then_read(body: Any, listing_id: int = 101, headers: dict[str, str] = MAIN) -> Scenario:
    def run(c: TestClient) -> Any:
        response = c.patch(f"{L}/{listing_id}", headers=headers, json=body)
        return response.status_code, response.json().get("data"), listing(c, listing_id)

    return run


def _other_host_upsert(c: TestClient) -> Any:
    response = c.post(L, headers=OTHER, json=listing_body("seed-h1-01", name="Host Two Copy"))
    return response.json()["data"]["id"], listing(c, 101)["name"]  # type: ignore[index]


def _upsert_update(c: TestClient) -> Any:
    response = c.post(L, headers=MAIN, json=listing_body("seed-h1-01", name="Renamed by upsert"))
    return response.status_code, response.json()["data"]["id"], listing(c, 101)["name"]  # type: ignore[index]


def _inactive_upsert(c: TestClient) -> Any:
    response = c.post(L, headers=MAIN, json=listing_body("seed-h1-07", name="Revived"))
    return response.status_code, response.json(), listing(c, 107)["name"]  # type: ignore[index]


def _user(**over: Any) -> Scenario:
    def run(c: TestClient) -> Any:
        sent = user_body(**over)
        response = c.post("/v1/users", headers=MAIN, json=sent)
        return sent, response.status_code, response.text, response.json()

    return run


def _booking(**over: Any) -> Scenario:
    def run(c: TestClient) -> Any:
        sent = booking_body(**over)
        response = c.post("/v1/bookings", headers=MAIN, json=sent)
        return sent, response.status_code, response.json()

    return run


def _conformant_user(observed: Any) -> bool:
    sent, status, text, body = observed
    data = body.get("data", {})
    return (
        status == 201
        and isinstance(data["user_id"], int)
        and data["status"] == 1
        and "password" not in data
        and sent["password"] not in text
        and all(data[k] == sent[k] for k in sent if k != "password")
    )


def _conformant_booking(observed: Any) -> bool:
    sent, status, body = observed
    data = body.get("data", {})
    return (
        status == 201
        and data["nights"] == 14
        and data["checkin_at"] == sent["checkin_at"]
        and data["checkout_at"] == sent["checkout_at"]
    )


def _is_422_at(path: str) -> Callable[[Any], bool]:
    def check(observed: Any) -> bool:
        status, body = observed[-2:] if len(observed) > 2 else observed
        error_obj = body.get("error", {}) if isinstance(body, dict) else {}
        return (
            status == 422
            and error_obj.get("type") == "validation_error"
            and path in [i.get("path") for i in error_obj.get("errors", [])]
        )

    return check


def _user_422(observed: Any) -> bool:
    return _is_422_at("email")(observed[1::2])


def _booking_422(path: str) -> Callable[[Any], bool]:
    return lambda observed: _is_422_at(path)(observed[1:])


def _listed_room_types(c: TestClient) -> Any:
    return "room_types" in c.get(L, headers=MAIN).json()["data"][0]


def _new_listing(c: TestClient) -> Any:
    response = c.post(L, headers=MAIN, json=listing_body("fresh-1"))
    return response.status_code, response.json()["data"]["action"]


def _upsert_and_patch_match(c: TestClient) -> Any:
    upsert = c.post(L, headers=MAIN, json=listing_body("fresh-2")).json()["data"]
    patch = c.patch(f"{L}/{upsert['id']}", headers=MAIN, json={"name": "x"}).json()["data"]
    return "match" in upsert, "match" in patch


def _list_queries(*queries: str) -> Scenario:
    return lambda c: [c.get(f"{L}?{query}", headers=MAIN).status_code for query in queries]


def _listing_422(body: dict[str, Any], path: str) -> tuple[Scenario, Callable[[Any], bool]]:
    def run(c: TestClient) -> Any:
        response = c.post(L, headers=MAIN, json=body)
        return response.status_code, response.json()

    return run, _is_422_at(path)


NO_ROOM_TYPES = _listing_422(listing_body("r-1", room_types=[]), "room_types")
BAD_ROOM_TYPE = _listing_422(
    listing_body("r-2", room_types=[room_type(kind="suite")]), "room_types.0.room_type"
)
ZERO_PRICE = _listing_422(
    listing_body("r-3", room_types=[room_type(base_price=0)]), "room_types.0.prices.base_price"
)
NO_NAME = _listing_422(listing_body("r-4", name=...), "name")
SEED_101 = {"id": 101, "name": "Sunny Apartment", "listing_status": "published"}


def _kept(observed: Any, **expected: Any) -> bool:
    status, _, item = observed
    return status == 200 and all(item[k] == v for k, v in expected.items())


# pagination, sorting and filtering


def _walk(per_page: int, **params: Any) -> Scenario:
    """Pages 1.. until current_page equals last_page (at most 10): ids in order, and per page
    its meta.pagination and item count."""

    def run(c: TestClient) -> Any:
        ids: list[int] = []
        pages: list[tuple[dict[str, Any], int]] = []
        for number in range(1, 11):
            body = c.get(L, headers=MAIN, params={**params, "per_page": per_page, "page": number}).json()
            ids += [item["id"] for item in body["data"]]
            pages.append((body["meta"]["pagination"], len(body["data"])))
            if body["meta"]["pagination"]["current_page"] >= body["meta"]["pagination"]["last_page"]:
                break
        return ids, pages

    return run


def _walked_once(observed: Any) -> bool:
    ids, _ = observed
    return ids == DEFAULT_ORDER


def _meta_consistent(observed: Any) -> bool:
    _, pages = observed
    for meta, count in pages:
        page, per_page, total = meta["current_page"], meta["per_page"], meta["total"]
        expected = max(0, min(per_page, total - (page - 1) * per_page))
        first = (page - 1) * per_page + 1
        if meta["last_page"] != max(1, -(-total // per_page)) or count != expected:
            return False
        if (meta["from"], meta["to"]) != ((first, first + count - 1) if count else (None, None)):
            return False
    return True


def _ids(**params: Any) -> Scenario:
    return lambda c: [item["id"] for item in listed(c, **params)]


def _found(query: str) -> Scenario:
    def run(c: TestClient) -> Any:
        response = c.get(f"{L}?{query}", headers=MAIN)
        return response.status_code, {item["id"] for item in response.json().get("data") or []}

    return run


# idempotency and booking messages


def _posts(path: str, *requests: tuple[dict[str, str], Any]) -> Scenario:
    """POST each (headers, body) in turn: (status, data or error type) of each, and the store sizes."""

    def run(c: TestClient) -> Any:
        answers = []
        for headers, body in requests:
            response = c.post(path, headers=headers, json=body)
            payload = response.json()
            answers.append((response.status_code, payload.get("data") or payload["error"]["type"]))
        store = server_of(c).store
        return answers, len(store.users), len(store.bookings), len(store.listings)

    return run


def _first_two_created_alike(observed: Any) -> bool:
    (first, second), *_ = observed
    return bool(first[0] == 201 and second == first)


def _key(key: str, headers: dict[str, str] = MAIN) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


def _concurrent_bookings(c: TestClient) -> Any:
    """Three bookings with one Idempotency-Key and body, released at once from threads through a
    real uvicorn server: the booking ids answered, and the bookings stored."""
    barrier = threading.Barrier(3)
    answers: list[Any] = [None] * 3
    with RunningServer(c.app) as server:

        def send(index: int) -> None:
            with httpx.Client(base_url=server.base_url) as client:
                barrier.wait(timeout=10)
                response = client.post("/v1/bookings", headers=_key("together"), json=booking_body())
                answers[index] = response.json()["data"]["booking_id"]

        threads = [threading.Thread(target=send, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    return set(answers), len(server_of(c).store.bookings)


def _messages(*texts: str, key: str | None = None) -> Scenario:
    """A new booking, then each text posted to it: (status, message_id) of each, and the count stored."""

    def run(c: TestClient) -> Any:
        booking_id = c.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
        headers = MAIN if key is None else _key(key)
        answers = []
        for text in texts:
            response = c.post(f"/v1/bookings/{booking_id}/messages", headers=headers, json={"message": text})
            answers.append((response.status_code, (response.json().get("data") or {}).get("message_id")))
        return answers, len(server_of(c).store.messages[booking_id])

    return run


# rate limiting (these faults run with CLIENT_OPTIONS: 3 requests per 0.5 s)

RATE_LIMIT = (3, 0.5)


def _burst(c: TestClient) -> Any:
    """Four requests of one key, then one of another key: statuses, the 4th answer's headers and
    envelope, and the X-RateLimit-Remaining values seen."""
    responses = [c.get(L, headers=MAIN) for _ in range(4)]
    other = c.get(L, headers=OTHER)
    remaining = [r.headers.get("x-ratelimit-remaining") for r in responses]
    last = responses[-1]
    return [r.status_code for r in responses], other.status_code, last.headers, last.json(), remaining


def _throttled_then_waits(c: TestClient) -> Any:
    statuses = [c.get(L, headers=MAIN).status_code for _ in range(4)]
    time.sleep(RATE_LIMIT[1] + 0.1)
    return statuses, c.get(L, headers=MAIN).status_code


def _remaining_never_grows(observed: Any) -> bool:
    values = [int(v) for v in observed[-1][:3] if v is not None]
    return all(later <= earlier for earlier, later in itertools.pairwise(values))


CLIENT_OPTIONS: dict[str, dict[str, Any]] = {
    name: {"rate_limit": RATE_LIMIT} for name in FAULTS.names if name.startswith("ratelimit-")
}


FAULT_CASES: list[tuple[str, Scenario, Callable[[Any], bool]]] = [
    ("x-api-key-ignored", _status("GET", L, MAIN), lambda s: s == 200),
    ("bearer-ignored", _status("GET", L, {"Authorization": "Bearer key-main"}), lambda s: s == 200),
    ("missing-key-served", _status("GET", L), lambda s: s == 401),
    ("missing-key-403", _status("GET", L), lambda s: s == 401),
    ("invalid-key-served", _status("GET", L, {"X-API-Key": "nope"}), lambda s: s == 401),
    ("inactive-key-served", _status("GET", L, INACTIVE), lambda s: s == 401),
    ("auth-error-type", _missing_key_body, lambda o: o[1]["error"]["type"] == "auth_error"),
    ("permissions-ignored", _status("POST", L, READ, json=listing_body("p-1")), lambda s: s == 403),
    ("forbidden-as-401", _status("POST", L, READ, json=listing_body("p-1")), lambda s: s == 403),
    (
        "forbidden-unnamed",
        _error_of("POST", L, READ, json=listing_body("p-1")),
        lambda o: (
            {"path": "required_permission", "code": "forbidden", "message": "listings.write"}
            in o[1]["error"]["errors"]
        ),
    ),
    ("read-needs-write", _status("GET", L, READ), lambda s: s == 200),
    ("validation-before-auth", _status("POST", "/v1/users", json={"first_name": "x"}), lambda s: s == 401),
    ("list-all-hosts", lambda c: {i["id"] for i in listed(c, OTHER)}, lambda ids: not ids & HOST1_IDS),
    (
        "search-all-hosts",
        lambda c: {i["id"] for i in listed(c, OTHER, q="Sunny Apartment")},
        lambda ids: ids == {113},
    ),
    ("patch-any-host", _patch_then_read({"name": "Taken"}, headers=OTHER), lambda o: o[0] == 404),
    (
        "patch-other-host-403",
        _error_of("PATCH", f"{L}/101", OTHER, json={"name": "Taken"}),
        lambda o: (o[0], o[1]["error"]["type"]) == (404, "not_found"),
    ),
    ("upsert-match-any-host", _other_host_upsert, lambda o: o[0] != 101 and o[1] == "Sunny Apartment"),
    ("success-without-meta", _error_of("GET", L, MAIN), lambda o: isinstance(o[1].get("meta"), dict)),
    ("error-flat", _missing_key_body, lambda o: set(o[1]) == {"error"}),
    (
        "error-items-unpathed",
        _error_of("POST", "/v1/users", MAIN, json={}),
        lambda o: all(set(i) == {"path", "code", "message"} for i in o[1]["error"]["errors"]),
    ),
    (
        "error-html-content-type",
        lambda c: c.get(L).headers["content-type"],
        lambda t: t == "application/json",
    ),
    ("no-request-id", _request_ids, lambda ids: all(h and b for h, b in ids)),
    ("request-id-not-echoed", _traced, lambda o: o == ("trace-1", "trace-1")),
    ("request-id-header-mismatch", _request_ids, lambda ids: all(h == b for h, b in ids)),
    ("request-id-constant", _request_ids, lambda ids: ids[0][0] != ids[1][0]),
    (
        "timestamps-not-rfc3339",
        lambda c: c.get(L, headers=MAIN).json()["data"][0]["updated_at"],
        lambda stamp: SECOND_STAMP.fullmatch(stamp) is not None,
    ),
    (
        "unknown-listing-500",
        _error_of("PATCH", f"{L}/999999999", MAIN, json={}),
        lambda o: (o[0], o[1]["error"]["type"]) == (404, "not_found"),
    ),
    (
        "unknown-listing-type",
        _error_of("PATCH", f"{L}/999999999", MAIN, json={}),
        lambda o: (o[0], o[1]["error"]["type"]) == (404, "not_found"),
    ),
    (
        "unsupported-provider-400",
        _error_of("POST", "/v1/integrations/nope/provider-key", MAIN, json={"provider_api_key": "pk"}),
        lambda o: (o[0], o[1]["error"]["type"]) == (404, "unsupported_provider"),
    ),
    (
        "validation-type",
        _error_of("POST", "/v1/users", MAIN, json={}),
        lambda o: o[1]["error"]["type"] == "validation_error",
    ),
    ("users-200", _user(), _conformant_user),
    ("users-names-swapped", _user(), _conformant_user),
    ("users-inactive", _user(), _conformant_user),
    ("users-email-optional", _user(email=...), _user_422),
    ("users-password-echoed", _user(), _conformant_user),
    ("users-id-string", _user(), _conformant_user),
    ("bookings-200", _booking(), _conformant_booking),
    (
        "bookings-example-dates",
        _booking(checkin_at="2026-07-01", checkout_at="2026-07-15"),
        _conformant_booking,
    ),
    ("bookings-nights-off-by-one", _booking(), _conformant_booking),
    ("bookings-missing-user-500", _booking(user_id=...), _booking_422("user_id")),
    ("bookings-unknown-user-accepted", _booking(user_id=999999999), _booking_422("user_id")),
    (
        "bookings-date-order-accepted",
        _booking(checkin_at="2026-06-15", checkout_at="2026-06-01"),
        _booking_422("checkout_at"),
    ),
    ("list-items-without-room-types", _listed_room_types, lambda present: present),
    ("upsert-create-200", _new_listing, lambda o: o == (201, "created")),
    ("upsert-never-matches", _upsert_update, lambda o: o[:2] == (200, 101)),
    ("upsert-update-not-stored", _upsert_update, lambda o: o == (200, 101, "Renamed by upsert")),
    ("upsert-inactive-updated", _inactive_upsert, lambda o: o[0] == 409 and o[2] == "Old Town Rooms"),
    (
        "upsert-inactive-422",
        _inactive_upsert,
        lambda o: o[0] == 409 and o[1]["error"]["type"] == "conflict_error",
    ),
    (
        "conflict-type",
        _inactive_upsert,
        lambda o: (
            o[1]["error"]["type"] == "conflict_error"
            and {"path": "listing_id", "code": "conflict", "message": "107"} in o[1]["error"]["errors"]
        ),
    ),
    ("upsert-result-without-match", _upsert_and_patch_match, lambda o: o == (True, True)),
    ("listing-name-optional", *NO_NAME),
    ("room-types-empty-accepted", *NO_ROOM_TYPES),
    ("room-type-unchecked", *BAD_ROOM_TYPE),
    ("base-price-zero-accepted", *ZERO_PRICE),
    (
        "patch-replaces",
        _patch_then_read({"name": "Kept"}),
        lambda o: (
            _kept(o, name="Kept", listing_status="published", original_id="seed-h1-01")
            and len(o[2]["room_types"]) == 2
        ),
    ),
    ("patch-not-stored", _patch_then_read({"name": "Stored"}), lambda o: _kept(o, name="Stored")),
    ("patch-action-created", _patch_then_read({"name": "Acted"}), lambda o: o[1]["action"] == "updated"),
    (
        "patch-null-accepted",
        _patch_then_read({"name": None}),
        lambda o: o[0] == 422 and o[2]["name"] == "Sunny Apartment",
    ),
    ("list-per-page-unbounded", _list_queries("per_page=101", "page=0"), lambda s: s == [422, 422]),
    ("list-sort-unchecked", _list_queries("sort=foo", "order=up"), lambda s: s == [422, 422]),
    ("list-long-q-500", _list_queries("q=" + "a" * 256), lambda s: s == [422]),
    ("list-invalid-400", _list_queries("page=0", "listing_status=foo"), lambda s: s == [422, 422]),
    # pagination
    ("page-off-by-one", _walk(5), lambda o: _walked_once(o) and _meta_consistent(o)),
    ("pages-overlap", _walk(5), _walked_once),
    ("last-page-floor", _walk(5), lambda o: _walked_once(o) and _meta_consistent(o)),
    ("from-zero-based", _walk(5), _meta_consistent),
    (
        "default-per-page-20",
        lambda c: c.get(L, headers=MAIN).json()["meta"]["pagination"]["per_page"],
        lambda per_page: per_page == 50,
    ),
    ("past-end-404", _found("page=2"), lambda o: o == (200, set())),
    # sorting
    ("default-order-ignores-status", _ids(), lambda ids: ids == DEFAULT_ORDER),
    ("default-order-updated-asc", _ids(), lambda ids: ids == DEFAULT_ORDER),
    (
        "sort-updated-default-asc",
        _ids(sort="updated_at"),
        lambda ids: ids[:4] == [123, 122, 121, 120],
    ),
    ("sort-order-ignored", _ids(sort="id", order="desc"), lambda ids: ids == sorted(HOST1_IDS, reverse=True)),
    (
        "status-rank-alphabetical",
        lambda c: (_ids(sort="listing_status")(c), _ids()(c)),
        lambda o: o[0][3:5] == [121, 105] and o[1] == DEFAULT_ORDER,
    ),
    (
        "tie-breaker-always-desc",
        _ids(sort="listing_status"),
        lambda ids: ids[:4] == [103, 109, 110, 121],
    ),
    # filtering
    (
        "status-filter-first-only",
        _found("listing_status=draft&listing_status=inactive"),
        lambda o: o == (200, {103, 109, 110, 121, 107, 111}),
    ),
    ("status-filter-array-ignored", _found("listing_status[]=inactive"), lambda o: o == (200, {107, 111})),
    (
        "status-filter-repeat-last",
        _found("listing_status=inactive&listing_status=draft"),
        lambda o: o == (200, {103, 107, 109, 110, 111, 121}),
    ),
    (
        "q-wildcards",
        lambda c: (_found("q=%25")(c), _found("q=_")(c)),
        lambda o: o == ((200, {104}), (200, {105})),
    ),
    ("q-prefix-only", _found("q=apartment"), lambda o: o == (200, {101, 102})),
    ("q-max-254", _found("q=" + "a" * 255), lambda o: o == (200, set())),
    # idempotency
    (
        "idempotency-no-replay",
        _posts("/v1/bookings", (_key("k"), booking_body()), (_key("k"), booking_body())),
        lambda o: _first_two_created_alike(o) and o[2] == 1,
    ),
    (
        "idempotency-replay-across-keys",
        _posts(L, (_key("k"), listing_body("across")), (_key("k", OTHER), listing_body("across"))),
        lambda o: o[0][1][0] == 201 and o[0][1][1]["id"] != o[0][0][1]["id"],
    ),
    (
        "idempotency-errors-cached",
        _posts("/v1/users", (_key("k"), user_body(email=...)), (_key("k"), user_body())),
        lambda o: [status for status, _ in o[0]] == [422, 201],
    ),
    (
        "idempotency-mismatch-replays",
        _posts(L, (_key("k"), listing_body("mm")), (_key("k"), listing_body("mm", name="Other"))),
        lambda o: o[0][1] == (409, "idempotency_key_mismatch"),
    ),
    (
        "idempotency-mismatch-type",
        _posts(L, (_key("k"), listing_body("mm")), (_key("k"), listing_body("mm", name="Other"))),
        lambda o: o[0][1] == (409, "idempotency_key_mismatch"),
    ),
    (
        "idempotency-long-key-accepted",
        _posts("/v1/users", (_key("k" * 256), user_body())),
        lambda o: o[0][0][0] == 422 and o[1] == 2,
    ),
    (
        "idempotency-key-max-254",
        _posts("/v1/users", (_key("k" * 255), user_body())),
        lambda o: o[0][0][0] == 201,
    ),
    ("idempotency-race", _concurrent_bookings, lambda o: len(o[0]) == 1 and o[1] == 1),
    (
        "messages-honour-idempotency-key",
        _messages("First note", "Second note", key="k"),
        lambda o: [status for status, _ in o[0]] == [201, 201] and o[1] == 2,
    ),
    # booking messages
    (
        "messages-no-dedup",
        _messages("Same text", "Same text"),
        lambda o: o[0][1] == (200, o[0][0][1]) and o[1] == 1,
    ),
    (
        "messages-dedup-any-text",
        _messages("One text", "Another text"),
        lambda o: [status for status, _ in o[0]] == [201, 201] and o[1] == 2,
    ),
    # rate limiting (CLIENT_OPTIONS)
    ("ratelimit-not-enforced", _burst, lambda o: o[0] == [200, 200, 200, 429]),
    ("ratelimit-limit-doubled", _burst, lambda o: o[0] == [200, 200, 200, 429]),
    ("ratelimit-global", _burst, lambda o: o[1] == 200),
    ("ratelimit-503", _burst, lambda o: o[0][3] == 429 and o[3]["error"]["type"] == "rate_limit_exceeded"),
    ("ratelimit-no-retry-after", _burst, lambda o: o[0][3] == 429 and "retry-after" in o[2]),
    ("ratelimit-stuck", _throttled_then_waits, lambda o: o == ([200, 200, 200, 429], 200)),
    ("ratelimit-headers-inconsistent", _burst, _remaining_never_grows),
]


@pytest.mark.parametrize(
    ("fault", "scenario", "conformant"), FAULT_CASES, ids=[case[0] for case in FAULT_CASES]
)
def test_fault_deviates_where_the_clean_server_conforms(
    fault: str, scenario: Scenario, conformant: Callable[[Any], bool]
) -> None:
    options = CLIENT_OPTIONS.get(fault, {})
    assert conformant(scenario(make(**options))), "the clean server does not conform"
    assert not conformant(scenario(make((fault,), **options))), f"{fault} does not deviate"


def test_every_fault_has_a_case_and_known_rules() -> None:
    assert_fault_cases_cover_the_catalogue("coliving", [case[0] for case in FAULT_CASES])


def test_unknown_fault_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        make(("no-such-fault",))


def test_fault_details() -> None:
    """Deviations the table does not show: the exact shapes the faults produce."""
    flat = make(("error-flat",)).get(L).json()
    assert set(flat) == {"type", "message", "request_id", "errors"}
    assert (
        make(("error-items-unpathed",))
        .post("/v1/users", headers=MAIN, json={})
        .json()["error"]["errors"][0]["field"]
        == "email"
    )
    html = make(("error-html-content-type",))
    assert html.get(L).headers["content-type"] == "text/html; charset=utf-8"
    assert html.get(L, headers=MAIN).headers["content-type"] == "application/json"
    silent = make(("no-request-id",))
    response = silent.get(L)
    assert "x-request-id" not in response.headers and "request_id" not in response.json()["error"]
    assert silent.get(L, headers={**MAIN, "X-Request-Id": "t"}).json()["meta"]["request_id"] == "t"
    mismatch = make(("request-id-header-mismatch",)).get(L, headers={**MAIN, "X-Request-Id": "t"})
    assert mismatch.headers["x-request-id"] == "t" and GENERATED_ID.fullmatch(
        mismatch.json()["meta"]["request_id"]
    )
    assert make(("request-id-constant",)).get(L).headers["x-request-id"] == "req_000001"
    assert make(("missing-key-403",)).get(L).json()["error"]["type"] == "forbidden"
    assert make(("forbidden-as-401",)).post(L, headers=READ, json={}).json()["error"]["type"] == "auth_error"
    assert make(("unknown-listing-500",)).patch(f"{L}/9999", headers=MAIN, json={}).json()["error"][
        "type"
    ] == ("internal_error")
    assert make(("unknown-listing-type",)).patch(f"{L}/101", headers=OTHER, json={}).json()["error"][
        "type"
    ] == ("not_found")
    assert (
        make(("unsupported-provider-400",))
        .post("/v1/integrations/x/provider-key", headers=MAIN, json={})
        .json()["error"]["type"]
        == "bad_request"
    )
    assert (
        make(("validation-type",)).get(f"{L}?page=0", headers=MAIN).json()["error"]["type"]
        == "invalid_request"
    )
    invalid_400 = make(("list-invalid-400",)).get(f"{L}?page=0", headers=MAIN)
    assert (invalid_400.status_code, error(invalid_400)["type"]) == (400, "validation_error")
    assert (
        make(("bookings-missing-user-500",))
        .post("/v1/bookings", headers=MAIN, json=booking_body(user_id=...))
        .status_code
        == 500
    )
    reversed_dates = make(("bookings-date-order-accepted",)).post(
        "/v1/bookings", headers=MAIN, json=booking_body(checkin_at="2026-06-15", checkout_at="2026-06-01")
    )
    assert reversed_dates.json()["data"]["nights"] == 0
    optional = make(("users-email-optional",)).post("/v1/users", headers=MAIN, json=user_body(email=...))
    assert optional.json()["data"]["email"] is None
    nameless = make(("listing-name-optional",)).post(L, headers=MAIN, json=listing_body(name=...))
    assert nameless.json()["data"]["name"] == ""
    unbounded = make(("list-per-page-unbounded",)).get(f"{L}?per_page=500&page=-3", headers=MAIN)
    assert unbounded.json()["meta"]["pagination"]["per_page"] == 500
    assert unbounded.json()["meta"]["pagination"]["current_page"] == 1
    assert make(("list-long-q-500",)).get(L, headers=MAIN, params={"q": "a" * 256}).status_code == 500
    replaced = make(("patch-replaces",))
    replaced.patch(f"{L}/101", headers=MAIN, json={"name": "Only"})
    assert listing(replaced, 101) == {
        **listing(replaced, 101),
        "name": "Only",
        "original_id": None,  # type: ignore[arg-type]
        "listing_status": "draft",
        "room_types": [],
    }
    nulled = make(("patch-null-accepted",))
    assert nulled.patch(f"{L}/101", headers=MAIN, json={"name": None}).json()["data"]["name"] is None
    assert listing(nulled, 101)["name"] is None  # type: ignore[index]
    any_host = make(("upsert-match-any-host",))
    assert (
        any_host.post(L, headers=OTHER, json=listing_body("seed-h1-01", name="Hijacked")).json()["data"]["id"]
        == 101
    )
    assert listing(any_host, 101)["name"] == "Hijacked"  # type: ignore[index]
    never = make(("upsert-never-matches",))
    assert never.post(L, headers=MAIN, json=listing_body("seed-h1-01")).status_code == 201
    assert never.post(L, headers=MAIN, json=listing_body("seed-h1-07")).status_code == 409  # inactive
    conflict = make(("conflict-type",)).post(L, headers=MAIN, json=listing_body("seed-h1-07")).json()["error"]
    assert (conflict["type"], conflict["errors"]) == ("conflict", [])
    updated = make(("upsert-inactive-updated",))
    assert (
        updated.post(L, headers=MAIN, json=listing_body("seed-h1-07", name="Up")).json()["data"]["action"]
        == "updated"
    )
    search = make(("search-all-hosts",))
    assert {i["id"] for i in listed(search, OTHER)} == {113, 114, 115, 116}


def test_new_fault_details() -> None:
    """The exact shapes of the list, idempotency, message and rate-limit faults."""
    off = make(("page-off-by-one",)).get(L, headers=MAIN, params={"per_page": 5}).json()
    assert [i["id"] for i in off["data"]] == DEFAULT_ORDER[5:10]
    assert (off["meta"]["pagination"]["from"], off["meta"]["pagination"]["to"]) == (1, 5)
    overlap = make(("pages-overlap",))
    page2 = overlap.get(L, headers=MAIN, params={"per_page": 5, "page": 2}).json()["data"]
    assert [i["id"] for i in page2] == DEFAULT_ORDER[4:9]
    floor = make(("last-page-floor",)).get(L, headers=MAIN, params={"per_page": 5}).json()
    assert floor["meta"]["pagination"]["last_page"] == 3
    zero = make(("from-zero-based",)).get(L, headers=MAIN, params={"per_page": 5, "page": 2}).json()
    assert (zero["meta"]["pagination"]["from"], zero["meta"]["pagination"]["to"]) == (5, 9)
    assert len(make(("default-per-page-20",)).get(L, headers=MAIN).json()["data"]) == 19
    past = make(("past-end-404",))
    assert past.get(L, headers=MAIN, params={"page": 1}).status_code == 200
    assert error(past.get(L, headers=MAIN, params={"page": 2}))["type"] == "not_found"
    assert [i["id"] for i in listed(make(("default-order-ignores-status",)))][:3] == [104, 110, 122]
    assert [i["id"] for i in listed(make(("default-order-updated-asc",)))][5:7] == [119, 120]
    assert [i["id"] for i in listed(make(("sort-updated-default-asc",)), sort="updated_at")][:2] == [101, 102]
    ignored = make(("sort-order-ignored",))
    assert listed(ignored, sort="updated_at", order="asc")[0]["id"] == 123
    alphabetical = make(("status-rank-alphabetical",))
    assert [i["listing_status"] for i in listed(alphabetical)][4] == "inactive"
    ties = make(("tie-breaker-always-desc",))
    assert [i["id"] for i in listed(ties, sort="updated_at", order="asc")][-3:] == [122, 121, 123]
    assert [i["id"] for i in listed(ties, sort="updated_at")][:3] == [123, 122, 121]
    assert [i["id"] for i in listed(ties, sort="name")][2:5] == [122, 123, 121]
    first_only = make(("status-filter-first-only",))
    assert {i["id"] for i in listed(first_only, listing_status=["inactive", "draft"])} == {107, 111}
    wildcards = make(("q-wildcards",))
    assert {i["id"] for i in listed(wildcards, q="100%")} == {104, 110}
    assert {i["id"] for i in listed(wildcards, q="Room_Share")} == {105, 106}
    assert {i["id"] for i in listed(wildcards, q="%")} == HOST1_IDS
    assert {i["id"] for i in listed(make(("q-prefix-only",)), q="sunny")} == {101, 102, 103}
    # idempotency
    across = make(("idempotency-replay-across-keys",))
    assert across.post(L, headers=_key("x"), json=listing_body("a-1")).status_code == 201
    assert across.post(L, headers=_key("x", OTHER), json=listing_body("a-2")).status_code == 409
    typed = make(("idempotency-mismatch-type",))
    typed.post(L, headers=_key("x"), json=listing_body("t-1"))
    assert error(typed.post(L, headers=_key("x"), json=listing_body("t-2")))["type"] == "conflict_error"
    cached = make(("idempotency-errors-cached",))
    assert cached.post(L, headers=_key("x"), json=listing_body("e-1", name=...)).status_code == 422
    replayed = cached.post(L, headers=_key("x"), json=listing_body("e-1"))
    assert (replayed.status_code, paths(replayed)) == (422, ["name"])
    assert cached.post(L, headers=_key("y"), json=listing_body("e-2")).status_code == 201
    assert cached.post(L, headers=_key("y"), json=listing_body("e-2")).status_code == 201  # replayed
    honour = make(("messages-honour-idempotency-key",))
    booking_id = honour.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    assert honour.post(path, headers=_key("m"), json={"message": "a"}).status_code == 201
    mismatch = honour.post(path, headers=_key("m"), json={"message": "b"})
    assert (mismatch.status_code, error(mismatch)["type"]) == (409, "idempotency_key_mismatch")
    # rate limiting
    for fault, status in (("ratelimit-503", 503), ("ratelimit-no-retry-after", 429)):
        limited = make((fault,), rate_limit=(1, 60.0))
        limited.get(L, headers=MAIN)
        response = limited.get(L, headers=MAIN)
        assert (response.status_code, error(response)["type"]) == (status, "rate_limit_exceeded")
        assert ("retry-after" in response.headers) == (fault == "ratelimit-503")
    doubled = make(("ratelimit-limit-doubled",), rate_limit=(2, 60.0))
    assert [doubled.get(L, headers=MAIN).status_code for _ in range(5)] == [200] * 4 + [429]
    counting = make(("ratelimit-headers-inconsistent",), rate_limit=(3, 60.0))
    seen = [counting.get(L, headers=MAIN).headers for _ in range(4)]
    assert [(h["x-ratelimit-limit"], h["x-ratelimit-remaining"]) for h in seen] == [
        ("3", "1"),
        ("3", "2"),
        ("3", "3"),
        ("3", "3"),
    ]
    stuck = make(("ratelimit-stuck",), rate_limit=(1, 0.2))
    assert [stuck.get(L, headers=MAIN).status_code for _ in range(2)] == [200, 429]
    time.sleep(0.3)
    refused = stuck.get(L, headers=MAIN)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) == 1
    assert stuck.get(L, headers=OTHER).status_code == 200
