"""Request bodies the Coliving suite sends. Everything the suite creates is recognisable by the
`apiconform-` prefix; listings the suite keeps use fixed `original_id`s so that repeated runs
update them instead of piling up new ones."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

PREFIX = "apiconform-"


def token() -> str:
    return secrets.token_hex(5)


def user_body(suffix: str | None = None) -> dict[str, Any]:
    """A complete, valid user (all fields of the document's request example)."""
    suffix = suffix or token()
    return {
        "email": f"{PREFIX}{suffix}@example.com",
        "password": f"Pw-{secrets.token_hex(8)}",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": "+15550100200",
        "date_of_birth": "1990-12-10",
        "gender": "female",
        "country": "United Kingdom",
        "city": "London",
        "timezone": "Europe/London",
        "language": "en",
    }


def room_type(name: str = "Private room", kind: str = "private", base_price: int = 900) -> dict[str, Any]:
    return {
        "id": f"{PREFIX}rt-{kind}",
        "name": name,
        "room_type": kind,
        "prices": {"base_price": base_price},
        "rooms": [{"id": f"{PREFIX}room-1", "name": "Room 1"}],
    }


def listing_body(original_id: str, name: str | None = None, **extra: Any) -> dict[str, Any]:
    """A valid upsert body (the document's required fields and a few recommended ones)."""
    body: dict[str, Any] = {
        "original_id": original_id,
        "name": name or f"{PREFIX}listing {original_id}",
        "descriptions": {"property": "Listing maintained by the apiconform conformance suite."},
        "location": {"city": "Lisbon", "country": "Portugal"},
        "room_types": [room_type()],
    }
    body.update(extra)
    return body


def booking_body(user_id: int, listing_id: int, room_type_id: int | None, nights: int = 14) -> dict[str, Any]:
    checkin = date.today() + timedelta(days=60)
    body: dict[str, Any] = {
        "user_id": user_id,
        "listing_id": listing_id,
        "checkin_at": checkin.isoformat(),
        "checkout_at": (checkin + timedelta(days=nights)).isoformat(),
        "message": f"{PREFIX}booking",
    }
    if room_type_id is not None:
        body["room_type_id"] = room_type_id
    return body
