"""Request bodies the Coliving suite sends. Everything the suite creates is recognisable by the
`apiconform-` prefix; listings the suite keeps use fixed `original_id`s so that repeated runs
update them instead of piling up new ones.

Setup bodies carry everything the document's examples carry (a server may insist on any of it):
a user has every field of the Create User request example; a booking has user_id, listing_id,
room_type_id (one of the listing's room types as GET /v1/listings shows them), checkin_at,
checkout_at and message, as the Create Booking example; a listing has the starred fields and the
"strongly recommended" ones (original_id, original_url, location.country, descriptions.property,
media.photos and room-level stable ids). Catalogue references (amenity, event and community-type
ids) are left out: the catalogue is the target's own and the document gives no ids of it.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

PREFIX = "apiconform-"
#: where the suite's listings point their URLs (a reserved example domain, RFC 2606)
EXAMPLE_SITE = "https://example.com/apiconform"


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
    """A valid upsert body: the document's required fields and the strongly recommended ones."""
    body: dict[str, Any] = {
        "original_id": original_id,
        "original_url": f"{EXAMPLE_SITE}/listings/{original_id}",
        "name": name or f"{PREFIX}listing {original_id}",
        "descriptions": {"property": "Listing maintained by the apiconform conformance suite."},
        "location": {"city": "Lisbon", "country": "Portugal"},
        "media": {
            "photos": {
                "property": [{"url": f"{EXAMPLE_SITE}/photos/property.jpg", "description": "Common room"}]
            }
        },
        "room_types": [room_type()],
    }
    body.update(extra)
    return body


def booking_body(
    user_id: int, listing_id: int, room_type_id: int | str | None, nights: int = 14
) -> dict[str, Any]:
    """A booking as the Create Booking request example has it (room_type_id left out only when
    the listing shows no room type)."""
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
