"""What the Coliving reference server's tests share: the credentials and headers, the seed's
default order and ids, the answers' keys, a fresh server (`make`), bodies to send, and readers of
answers."""

from __future__ import annotations

import re
import uuid
import warnings
from typing import Any

import httpx

from apiconform.providers.coliving.server import ColivingServer, create_app
from apiconform.reference.serving import ServerOptions, Variant

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CREDS = {
    "api_key": "key-main",
    "api_key_read_only": "key-read",
    "api_key_inactive": "key-inactive",
    "api_key_other_host": "key-other",
    "api_key_rate_limit": "key-rate",
    "api_key_expired": "key-expired",
    "api_key_legacy": "key-legacy",
    "api_key_no_listings_read": "key-no-read",
}
MAIN = {"X-API-Key": "key-main"}
EXPIRED = {"X-API-Key": "key-expired"}
LEGACY = {"X-API-Key": "key-legacy"}
NO_READ = {"X-API-Key": "key-no-read"}
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


def keyed(key: str, headers: dict[str, str] = MAIN) -> dict[str, str]:
    """`headers` (the main key's by default) with the Idempotency-Key `key`."""
    return {**headers, "Idempotency-Key": key}


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
