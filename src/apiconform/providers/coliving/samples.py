"""The document's Create Listing and Update Listing samples (coliving-api.txt), as the suite
sends them, and the listing states its PATCH rules walk through.

`SAMPLE` is the Create Listing request payload verbatim. What the suite sends of it
(`sample_body`) drops the catalogue references (`amenities`, `room_types[].amenities`,
`community.events`, `community.types`: ids of the target's own catalogue, which the document
does not give, so a target may refuse 12, 34, 1061 and 8) and replaces original_id and name, so
that the listing is the suite's own (`apiconform-` prefix) and repeated runs update it. The
Update Listing "Full" sample is the same payload without original_id and original_url; the
"Partial" one is `PARTIAL_SAMPLE`.

PATCH sections (the rows of Update Listing: Request Body Parameters): `patched_sections` gives,
per row, a complete new value of each of its sections (every field the sample has, a few of them
changed: numbers and free text only, never a value of an undocumented vocabulary), so that a
server merging nested objects and one replacing them end in the same state.
"""

from __future__ import annotations

import copy
from typing import Any

#: coliving-api.txt, Create Listing Samples: Request Payload (verbatim)
SAMPLE: dict[str, Any] = {
    "original_id": "property-01",
    "original_url": "https://host.example.com/listings/property-01",
    "name": "300 Mountain Road",
    "property_size": 2500,
    "property_size_unit": "m2",
    "parking": "Parking on street (free)",
    "internet_download": 300,
    "internet_upload": 150,
    "bedrooms": 10,
    "bathrooms": 8,
    "residents": 18,
    "descriptions": {
        "property": "Bright shared home with work-ready common areas.",
        "neighborhood": "Walkable area near transit and cafes.",
        "community": "Residents are social, respectful, and internationally minded.",
    },
    "location": {
        "address": "300 Mountain Road",
        "zip": "90210",
        "neighborhood": "Mission District",
        "city": "San Francisco",
        "state": "California",
        "country": "United States",
        "lat": 37.8081823,
        "lng": -122.4141216,
    },
    "amenities": [{"id": 12}],
    "prices": {
        "currency": "usd",
        "security_deposit_type": "fixed",
        "security_deposit": 1000,
        "extra_fees": [
            {
                "name": "Cleaning fee",
                "description": "One-time cleaning fee",
                "mandatory": 1,
                "type": "fixed",
                "sum": 120,
                "frequency": "once",
            }
        ],
    },
    "room_types": [
        {
            "id": "private-queen-01",
            "name": "Private queen room",
            "room_type": "private",
            "bed_type": "queen",
            "application_url": "https://host.example.com/apply/private-queen-01",
            "room_size": 180,
            "room_size_unit": "sqft",
            "max_occupancy": 2,
            "gender": "mixed",
            "bathroom_type": "private",
            "available_at": "2026-03-16",
            "rooms": [
                {
                    "id": "room-104",
                    "name": "Room 104",
                    "description": "Quiet room with desk and closet.",
                    "availability": {"ical": "https://host.example.com/ical/room-104.ics"},
                }
            ],
            "prices": {
                "base_price": 1200,
                "price_jan": 1200,
                "price_feb": 1200,
                "price_mar": 1200,
                "price_apr": 1250,
                "price_may": 1250,
                "price_jun": 1300,
                "price_jul": 1300,
                "price_aug": 1300,
                "price_sep": 1250,
                "price_oct": 1250,
                "price_nov": 1200,
                "price_dec": 1200,
                "discount_90": 5,
                "discount_180": 10,
                "discount_360": 15,
            },
            "amenities": [{"id": 34}],
            "photos": [
                {"url": "https://assets.host.example.com/room-104.jpg", "description": "Desk and window"}
            ],
        }
    ],
    "bookings": {
        "stay_min": 3,
        "notice_min_days": 14,
        "move_in_max_days": 90,
        "application_url": "https://host.example.com/apply/property-01",
        "cancellation_policy": "flexible",
        "booking_rules": "No overnight guests without approval.",
    },
    "community": {
        "age_min": 25,
        "age_max": 45,
        "age_avg": 31,
        "gender": "mixed",
        "gender_ratio": 50,
        "events": [{"id": 1061}],
        "community_manager": {
            "name": "Jeff",
            "photo": "https://assets.host.example.com/community-manager.jpg",
            "onsite": 1,
        },
        "types": [{"id": 8}],
    },
    "media": {
        "3d_tour": "https://my.matterport.com/show/?m=123456789",
        "video_tour": {"type": "youtube", "url": "https://www.youtube.com/watch?v=fYfFgcBlxrQ"},
        "photos": {
            "property": [
                {"url": "https://assets.host.example.com/property-01.jpg", "description": "Coworking lounge"}
            ],
            "community": [
                {"url": "https://assets.host.example.com/community-01.jpg", "description": "Community dinner"}
            ],
        },
    },
    "instructions": {
        "check_in_earliest": "14:30",
        "check_in_latest": "20:00",
        "check_out_latest": "11:00",
        "check_in_contact_person": "Sandra",
        "check_in_telephone_country": "+1",
        "check_in_telephone_number": "5551234567",
        "check_in_instructions": "Use the keypad at the main entrance.",
        "directions": "From the airport, take the express train to Downtown Station.",
        "house_manual": "Quiet hours start at 10pm. Clean shared areas after use.",
    },
    "faq": [{"question": "Is cleaning included?", "answer": "Yes, common areas are cleaned weekly."}],
    "rating": {"google_places_id": "ChIJN1t_tDeuEmsRUsoyG83frY4"},
}

#: coliving-api.txt, Update Listing Samples: Request Payload (Partial) (verbatim)
PARTIAL_SAMPLE: dict[str, Any] = {
    "name": "300 Mountain Road",
    "bookings": {
        "stay_min": 3,
        "notice_min_days": 14,
        "move_in_max_days": 90,
        "cancellation_policy": "flexible",
        "booking_rules": "No overnight guests without approval.",
    },
}

#: the suite's copy of the sample: its original_id, and its names (Create, Partial, patched)
SAMPLE_ORIGINAL_ID = "apiconform-sample"
SAMPLE_NAME = "apiconform-sample 300 Mountain Road"
PARTIAL_NAME = "apiconform-sample 300 Mountain Road (partial)"
PATCHED_NAME = "apiconform-sample 300 Mountain Road (patched)"

#: the PATCH rows of Update Listing: Request Body Parameters, and the sections each one sends
PATCH_ROWS: dict[str, tuple[str, ...]] = {
    "bookings": ("bookings",),
    "prices": ("prices",),
    "room_types": ("room_types",),
    "listing core": ("name", "descriptions", "location"),
    "community / instructions / media / faq / rating": (
        "community",
        "instructions",
        "media",
        "faq",
        "rating",
    ),
}


def without_catalogue_references(body: dict[str, Any]) -> dict[str, Any]:
    """`body` without the ids of the target's own catalogue (amenities, events, community types)."""
    body = copy.deepcopy(body)
    body.pop("amenities", None)
    for room_type in body.get("room_types") or []:
        room_type.pop("amenities", None)
    community = body.get("community")
    if isinstance(community, dict):
        community.pop("events", None)
        community.pop("types", None)
    return body


def sample_body(original_id: str = SAMPLE_ORIGINAL_ID, name: str = SAMPLE_NAME) -> dict[str, Any]:
    """The Create Listing sample as the suite sends it (see the module docstring)."""
    body = without_catalogue_references(SAMPLE)
    body["original_id"] = original_id
    body["name"] = name
    return body


def partial_sample(name: str = PARTIAL_NAME) -> dict[str, Any]:
    """The Update Listing Partial sample, with the suite's name."""
    return {**copy.deepcopy(PARTIAL_SAMPLE), "name": name}


def patched_sections() -> dict[str, dict[str, Any]]:
    """Per PATCH row, the body that sets its sections to their patched value (complete sections)."""
    body = sample_body()
    body["name"] = PATCHED_NAME
    body["descriptions"]["property"] = "Bright shared home, repainted in spring."
    body["location"]["address"] = "302 Mountain Road"
    body["prices"]["security_deposit"] = 1100
    body["prices"]["extra_fees"][0]["sum"] = 130
    room_type = body["room_types"][0]
    room_type["name"] = "Private queen room, renovated"
    room_type["prices"]["base_price"] = 1250
    room_type["rooms"][0]["name"] = "Room 104 (garden side)"
    body["bookings"]["stay_min"] = 4
    body["bookings"]["booking_rules"] = "Overnight guests with approval only."
    body["community"]["age_min"] = 24
    body["community"]["community_manager"]["name"] = "Jeff and Sandra"
    body["instructions"]["check_in_latest"] = "21:00"
    body["media"]["photos"]["community"][0]["description"] = "Community dinner on Fridays"
    body["faq"][0]["answer"] = "Yes, common areas are cleaned twice a week."
    return {row: {name: body[name] for name in names} for row, names in PATCH_ROWS.items()}


def full_patch() -> dict[str, Any]:
    """The Update Listing Full sample as the listing stands after every row of `patched_sections`
    (and the partial sample) was sent: what a PATCH changing nothing sends."""
    body = sample_body()
    del body["original_id"], body["original_url"]
    for sections in patched_sections().values():
        body.update(copy.deepcopy(sections))
    return body
