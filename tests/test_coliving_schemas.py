"""The hand-written Coliving schemas (schemas/coliving/), their OpenAPI document and the results schema.

The cases are data, in the manner of the JSON-Schema-Test-Suite: each names a schema file, an instance,
whether it is valid, and why. The instances are the response and request examples of coliving-api.txt,
copied verbatim below (the project never reads the document itself), and mutations of them that the
document rules out. The schemas are loaded the way the suite loads them: a `referencing.Registry` that
serves the sibling files by their file: URIs, so the relative `$ref`s between files are exercised.

jsonschema checks `date-time` only when the optional rfc3339-validator package is installed (it is not a
dependency), while schemathesis validates responses with jsonschema_rs, which always checks it; the
format checker used here adds an RFC 3339 `date-time` check so that both agree.
"""

from __future__ import annotations

from typing import Any, Final

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from jsonschema import Draft202012Validator
from schemathesis.core import NOT_SET
from schemathesis.core.result import Err, Ok

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

COLIVING: Final = SCHEMAS / "coliving"
OPENAPI: Final = COLIVING / "openapi.yaml"

COLIVING_SCHEMAS: Final = (
    "error-item.schema.json",
    "error-envelope.schema.json",
    "success-envelope.schema.json",
    "pagination.schema.json",
    "listing.schema.json",
    "listings-page.schema.json",
    "listing-upsert.schema.json",
    "listing-patch.schema.json",
    "listing-upsert-result.schema.json",
    "user-create.schema.json",
    "user.schema.json",
    "booking-create.schema.json",
    "booking.schema.json",
    "provider-key-request.schema.json",
)
ALL_SCHEMAS: Final = (*(f"coliving/{name}" for name in COLIVING_SCHEMAS), "results.schema.json")

OPERATION_IDS: Final = {
    "createUser": ("POST", "/v1/users"),
    "createBooking": ("POST", "/v1/bookings"),
    "listListings": ("GET", "/v1/listings"),
    "upsertListing": ("POST", "/v1/listings"),
    "updateListing": ("PATCH", "/v1/listings/{id}"),
    "setProviderKey": ("POST", "/v1/integrations/{provider}/provider-key"),
}

# --- the document's examples (coliving-api.txt), verbatim -----------------------------------------

# User Management, Create User: Request Example; Success (201); Validation Error (422)
USER_REQUEST: Final[dict[str, Any]] = {
    "email": "user@example.com",
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

USER_201: Final[dict[str, Any]] = {
    "data": {
        "user_id": 555001,
        "name": "John Doe",
        "email": "user@example.com",
        "first_name": "John",
        "last_name": "Doe",
        "phone": "+1234567890",
        "date_of_birth": "1990-01-01",
        "gender": "male",
        "country": "United States",
        "city": "New York",
        "timezone": "America/New_York",
        "language": "en",
        "status": 1,
        "role_name": "user",
        "lifecycle": "subscriber",
        "email_verified_at": None,
        "login_at": "2026-04-19T02:18:50.000000Z",
        "login_amount": 1,
        "login_ip": "127.0.0.1",
        "source": "api",
        "api_created": True,
        "created_at": "2026-04-19T02:18:50.000000Z",
        "updated_at": "2026-04-19T02:18:50.000000Z",
    },
    "meta": {"request_id": "req_users_create_001"},
}

USER_422: Final[dict[str, Any]] = {
    "error": {
        "type": "validation_error",
        "message": "Validation failed",
        "request_id": "req_users_create_001",
        "errors": [{"path": "email", "code": "invalid", "message": "Email address is required."}],
    },
}

# Booking Management, Create Booking: Request Example; Success (201); Validation Error (422)
BOOKING_REQUEST: Final[dict[str, Any]] = {
    "user_id": 123,
    "listing_id": 456,
    "room_type_id": 789,
    "checkin_at": "2024-02-01",
    "checkout_at": "2024-02-15",
    "message": "Looking forward to my stay!",
}

BOOKING_201: Final[dict[str, Any]] = {
    "data": {
        "booking_id": 777001,
        "booking_no": "BKG-777001",
        "user_id": 123,
        "host_id": 321,
        "listing_id": 456,
        "checkin_at": "2026-05-01",
        "checkout_at": "2026-05-15",
        "nights": 14,
        "guests": 2,
        "rooms": 1,
        "status": 1,
        "type": "api_booking",
        "currency": "USD",
        "price": 1200,
        "price_local": 1200,
        "price_total": 1350,
        "price_total_local": 1350,
        "security_deposit": 300,
        "security_deposit_local": 300,
        "discount": 0,
        "transaction_fee": 0,
        "service_fee": 150,
        "service_fee_total": 150,
        "is_recurring": 0,
        "recurring_at": None,
        "managed": 0,
        "lifecycle": None,
        "payment_status": None,
        "lead_status": None,
        "payout_ready": 0,
        "source": "api",
        "api_created": True,
        "special_requests": None,
        "cancellation_reason": None,
        "dispute_reason": None,
        "paid_at": None,
        "paid_to_host_at": None,
        "invoiced_at": None,
        "canceled_at": None,
        "missed_at": None,
        "confirmed_at": None,
        "extended_at": None,
        "meta": {"source": "api", "api_created": True, "special_requests": None},
        "created_at": "2026-04-19T02:18:50.000000Z",
        "updated_at": "2026-04-19T02:18:50.000000Z",
    },
    "meta": {"request_id": "req_bookings_create_001"},
}

BOOKING_422: Final[dict[str, Any]] = {
    "error": {
        "type": "validation_error",
        "message": "Validation failed",
        "request_id": "req_bookings_create_001",
        "errors": [{"path": "user_id", "code": "invalid", "message": "User ID is required."}],
    },
}

# Listing Management, List Listings: Response Example, Success (200)
LISTINGS_200: Final[dict[str, Any]] = {
    "data": [
        {
            "id": 101,
            "unique_id": "host101ab",
            "original_id": "partner-listing-101",
            "name": "Sunny Apartment",
            "listing_status": "published",
            "updated_at": "2026-04-06T10:15:05Z",
            "room_types": [
                {
                    "id": 501,
                    "name": "Standard Room",
                    "rooms": [{"id": 9001, "name": "Room 101"}, {"id": 9002, "name": "Room 102"}],
                },
                {"id": 502, "name": "Deluxe Suite", "rooms": []},
            ],
        },
    ],
    "meta": {
        "request_id": "req_host_listings_001",
        "pagination": {"current_page": 1, "per_page": 50, "total": 1, "last_page": 1, "from": 1, "to": 1},
    },
}

# Listing Management, Create Listing Samples: Request Payload; Success (201 or 200); 401; 403; 409; 422; 500
LISTING_UPSERT_REQUEST: Final[dict[str, Any]] = {
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
            },
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
                },
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
                {"url": "https://assets.host.example.com/room-104.jpg", "description": "Desk and window"},
            ],
        },
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
                {
                    "url": "https://assets.host.example.com/property-01.jpg",
                    "description": "Coworking lounge",
                },
            ],
            "community": [
                {
                    "url": "https://assets.host.example.com/community-01.jpg",
                    "description": "Community dinner",
                },
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

LISTING_UPSERT_SUCCESS: Final[dict[str, Any]] = {
    "data": {
        "id": 22035,
        "unique_id": "bhmncd8z",
        "original_id": "partner-listing-001",
        "name": "Highland Springs Ave Coliving",
        "listing_status": "pending",
        "action": "created",
        "room_types_count": 1,
        "match": {"matched": False, "method": None, "confidence": {"level": None, "score": None}},
        "links": {"preview": "https://coliving.com/spaces/bhmncd8z?preview=true"},
        "updated_at": "2026-04-06T10:15:05Z",
    },
    "meta": {"request_id": "req_listing_upsert_001"},
}

LISTING_UPSERT_401: Final[dict[str, Any]] = {
    "error": {
        "type": "auth_error",
        "message": "API key is required",
        "request_id": "req_listing_upsert_001",
        "errors": [],
    },
}

LISTING_UPSERT_403: Final[dict[str, Any]] = {
    "error": {
        "type": "forbidden",
        "message": "Missing required API key permission.",
        "request_id": "req_listing_upsert_001",
        "errors": [{"path": "required_permission", "code": "forbidden", "message": "listings.write"}],
    },
}

LISTING_UPSERT_409: Final[dict[str, Any]] = {
    "error": {
        "type": "conflict_error",
        "message": "A listing with this external identity already exists for this host but is inactive.",
        "request_id": "req_listing_upsert_001",
        "errors": [
            {"path": "action", "code": "conflict", "message": "skipped"},
            {"path": "listing_id", "code": "conflict", "message": "22035"},
            {"path": "match.matched", "code": "conflict", "message": "true"},
            {"path": "match.method", "code": "conflict", "message": "original_id"},
            {"path": "match.confidence.level", "code": "conflict", "message": "high"},
            {"path": "match.confidence.score", "code": "conflict", "message": "0.92"},
        ],
    },
}

LISTING_UPSERT_422: Final[dict[str, Any]] = {
    "error": {
        "type": "validation_error",
        "message": "Validation failed",
        "request_id": "req_listing_upsert_001",
        "errors": [{"path": "name", "code": "required", "message": "The name field is required."}],
    },
}

LISTING_UPSERT_500: Final[dict[str, Any]] = {
    "error": {
        "type": "internal_error",
        "message": "An unexpected error occurred.",
        "request_id": "req_listing_upsert_001",
        "errors": [],
    },
}

# Listing Management, Update Listing Samples: Request Payload (Partial); Success (200); Not Found (404)
LISTING_PATCH_PARTIAL_REQUEST: Final[dict[str, Any]] = {
    "name": "300 Mountain Road",
    "bookings": {
        "stay_min": 3,
        "notice_min_days": 14,
        "move_in_max_days": 90,
        "cancellation_policy": "flexible",
        "booking_rules": "No overnight guests without approval.",
    },
}

# Update Listing Samples: Request Payload (Full) is the Create Listing sample without original_id and
# original_url (compared key by key when this file was written).
LISTING_PATCH_FULL_REQUEST: Final[dict[str, Any]] = {
    key: value for key, value in LISTING_UPSERT_REQUEST.items() if key not in ("original_id", "original_url")
}

LISTING_PATCH_200: Final[dict[str, Any]] = {
    "data": {
        "id": 22035,
        "unique_id": "bhmncd8z",
        "original_id": "partner-listing-001",
        "name": "Highland Springs Ave Coliving",
        "listing_status": "pending",
        "action": "updated",
        "room_types_count": 1,
        "match": {"matched": True, "method": "id", "confidence": {"level": "high", "score": 0.99}},
        "links": {"preview": "https://coliving.com/spaces/bhmncd8z?preview=true"},
        "updated_at": "2026-05-04T10:15:05Z",
    },
    "meta": {"request_id": "req_listing_patch_001"},
}

LISTING_PATCH_404: Final[dict[str, Any]] = {
    "error": {
        "type": "not_found",
        "message": "Listing not found or unauthorized",
        "request_id": "req_listing_patch_001",
        "errors": [],
    },
}

# Error Handling: Error Response Format
ERROR_RESPONSE_FORMAT: Final[dict[str, Any]] = {
    "error": {
        "type": "validation_error",
        "message": "Validation failed",
        "request_id": "req_example_001",
        "errors": [{"path": "field", "code": "invalid", "message": "Reason for the validation failure."}],
    },
}

ERROR_EXAMPLES: Final = {
    "Create User 422": USER_422,
    "Create Booking 422": BOOKING_422,
    "Create Listing 401": LISTING_UPSERT_401,
    "Create Listing 403": LISTING_UPSERT_403,
    "Create Listing 409": LISTING_UPSERT_409,
    "Create Listing 422": LISTING_UPSERT_422,
    "Create Listing 500": LISTING_UPSERT_500,
    "Update Listing 404": LISTING_PATCH_404,
    "Error Response Format": ERROR_RESPONSE_FORMAT,
}

# --- mutations ------------------------------------------------------------------------------------

USER = USER_201["data"]
BOOKING = BOOKING_201["data"]
LISTING = LISTINGS_200["data"][0]
PAGINATION = LISTINGS_200["meta"]["pagination"]
UPSERT_RESULT = LISTING_UPSERT_SUCCESS["data"]
PATCH_RESULT = LISTING_PATCH_200["data"]
MINIMAL_UPSERT: Final = {
    "name": "apiconform-minimal",
    "room_types": [{"name": "Room", "room_type": "shared", "prices": {"base_price": 1}}],
}
EMPTY_PAGE: Final = {"current_page": 1, "per_page": 50, "total": 0, "last_page": 1, "from": None, "to": None}
RESULTS: Final = {
    "apiconform_version": "0.1.0",
    "started_at": "2026-04-19T02:18:50Z",
    "finished_at": "2026-04-19T02:21:03.512+00:00",
    "profile": "gate",
    "providers": [
        {
            "name": "coliving",
            "base_url": "https://api.coliving.com",
            "conformant": True,
            "requests": 212,
            "summary": {"passed": 1, "failed": 0, "skipped": 1, "error": 0},
            "rules": [
                {
                    "id": "coliving.idempotency.mismatch-409",
                    "level": "MUST",
                    "title": "Reusing an Idempotency-Key with another body gets 409",
                    "source": "coliving-api.txt, Idempotency-Key",
                    "outcome": "passed",
                    "message": "",
                },
                {
                    "id": "coliving.auth.inactive-key-401",
                    "level": "MUST",
                    "title": "An inactive API key gets 401 with the error envelope",
                    "source": "coliving-api.txt, API Key Features: Status",
                    "outcome": "skipped",
                    "message": "needs api_key_inactive",
                },
            ],
        }
    ],
}

#: A recorded exchange as results.json lists it (the evidence of a failed rule).
RESULTS_EXCHANGE: Final = {
    "id": 17,
    "method": "GET",
    "url": "https://api.coliving.com/v1/listings?per_page=1",
    "request_headers": [["accept", "*/*"], ["x-api-key", "***"]],
    "request_body": "",
    "status": 200,
    "response_headers": [["content-type", "application/json"]],
    "response_body": '{"data": "listings"}',
    "elapsed": 0.012,
    "error": None,
    "rules": ["coliving.envelope.success-shape"],
}

# --- the cases ------------------------------------------------------------------------------------


def _path(schema: str) -> str:
    return schema if schema == "results.schema.json" else f"coliving/{schema}"


def valid(schema: str, description: str, instance: Any) -> Case:
    return Case(_path(schema), description, instance, valid=True)


def invalid(schema: str, description: str, instance: Any) -> Case:
    return Case(_path(schema), description, instance, valid=False)


CASES: Final[list[Case]] = [
    # error-item: Error Handling, Error Response Format
    valid(
        "error-item.schema.json",
        "the Error Response Format item",
        ERROR_RESPONSE_FORMAT["error"]["errors"][0],
    ),
    valid(
        "error-item.schema.json",
        "extra properties are allowed",
        {"path": "a", "code": "b", "message": "c", "x": 1},
    ),
    invalid("error-item.schema.json", "message missing", {"path": "email", "code": "invalid"}),
    invalid("error-item.schema.json", "path missing", {"code": "invalid", "message": "m"}),
    invalid("error-item.schema.json", "code is not a string", {"path": "email", "code": 422, "message": "m"}),
    invalid("error-item.schema.json", "path is null", {"path": None, "code": "invalid", "message": "m"}),
    # error-envelope: every error example of the document
    *(valid("error-envelope.schema.json", f"example: {name}", body) for name, body in ERROR_EXAMPLES.items()),
    valid(
        "error-envelope.schema.json",
        "request_id absent (request ids disabled)",
        changed(LISTING_UPSERT_401, {"error.request_id": DELETE}),
    ),
    valid(
        "error-envelope.schema.json",
        "extra properties are allowed",
        changed(LISTING_UPSERT_401, {"error.hint": "rotate your key", "success": False}),
    ),
    invalid("error-envelope.schema.json", "no error object", {"message": "Unauthenticated."}),
    invalid(
        "error-envelope.schema.json",
        "legacy success flag instead of the error object",
        {"success": False, "message": "API key is required"},
    ),
    invalid("error-envelope.schema.json", "error is a string", {"error": "API key is required"}),
    invalid("error-envelope.schema.json", "error.type missing", changed(USER_422, {"error.type": DELETE})),
    invalid(
        "error-envelope.schema.json", "error.message missing", changed(USER_422, {"error.message": DELETE})
    ),
    invalid(
        "error-envelope.schema.json",
        "error.errors missing",
        changed(LISTING_UPSERT_500, {"error.errors": DELETE}),
    ),
    invalid(
        "error-envelope.schema.json",
        "error.errors is null",
        changed(LISTING_UPSERT_500, {"error.errors": None}),
    ),
    invalid(
        "error-envelope.schema.json",
        "error.request_id is a number",
        changed(USER_422, {"error.request_id": 1}),
    ),
    invalid(
        "error-envelope.schema.json",
        "an errors[] item without code (via error-item.schema.json)",
        changed(LISTING_UPSERT_409, {"error.errors.3.code": DELETE}),
    ),
    # success-envelope: Error Handling, Canonical
    valid("success-envelope.schema.json", "example: Create User 201", USER_201),
    valid("success-envelope.schema.json", "example: List Listings 200", LISTINGS_200),
    valid(
        "success-envelope.schema.json",
        "meta without request_id (request ids disabled)",
        {"data": {"id": 1}, "meta": {}},
    ),
    valid("success-envelope.schema.json", "data may be null", {"data": None, "meta": {"request_id": "r"}}),
    invalid("success-envelope.schema.json", "meta missing", {"data": {"id": 1}}),
    invalid("success-envelope.schema.json", "data missing", {"meta": {"request_id": "r"}}),
    invalid("success-envelope.schema.json", "meta is null", {"data": {}, "meta": None}),
    invalid(
        "success-envelope.schema.json", "meta.request_id is a number", {"data": {}, "meta": {"request_id": 7}}
    ),
    invalid(
        "success-envelope.schema.json", "legacy top-level success flag only", {"success": True, "user": {}}
    ),
    # pagination: List Listings
    valid("pagination.schema.json", "example: List Listings 200", PAGINATION),
    valid("pagination.schema.json", "no listings: last_page 1, from/to null (Laravel)", EMPTY_PAGE),
    valid(
        "pagination.schema.json",
        "no listings: last_page 0 (unstated, accepted)",
        {**EMPTY_PAGE, "last_page": 0},
    ),
    valid(
        "pagination.schema.json",
        "the last of three pages",
        {"current_page": 3, "per_page": 50, "total": 120, "last_page": 3, "from": 101, "to": 120},
    ),
    valid(
        "pagination.schema.json",
        "a page past the end is empty",
        {"current_page": 9, "per_page": 100, "total": 5, "last_page": 1, "from": None, "to": None},
    ),
    invalid("pagination.schema.json", "per_page above the maximum 100", {**PAGINATION, "per_page": 101}),
    invalid("pagination.schema.json", "per_page 0", {**PAGINATION, "per_page": 0}),
    invalid("pagination.schema.json", "current_page 0", {**PAGINATION, "current_page": 0}),
    invalid("pagination.schema.json", "negative total", {**PAGINATION, "total": -1}),
    invalid("pagination.schema.json", "listings but last_page 0", {**PAGINATION, "last_page": 0}),
    invalid("pagination.schema.json", "no listings but last_page 2", {**EMPTY_PAGE, "last_page": 2}),
    invalid("pagination.schema.json", "from 0", {**PAGINATION, "from": 0}),
    valid(
        "pagination.schema.json",
        "an empty page's from/to 0 (coliving.empty-page-positions)",
        {**PAGINATION, "current_page": 2, "from": 0, "to": 0},
    ),
    invalid("pagination.schema.json", "to 0 beside from 1", {**PAGINATION, "to": 0}),
    invalid("pagination.schema.json", "to is a string", {**PAGINATION, "to": "1"}),
    invalid("pagination.schema.json", "last_page is fractional", {**PAGINATION, "last_page": 1.5}),
    invalid("pagination.schema.json", "from missing", changed(PAGINATION, {"from": DELETE})),
    invalid("pagination.schema.json", "total missing", changed(PAGINATION, {"total": DELETE})),
    # listing: List Listings, Response Example
    valid("listing.schema.json", "example: List Listings 200 item", LISTING),
    valid("listing.schema.json", "original_id null", {**LISTING, "original_id": None}),
    valid(
        "listing.schema.json",
        "string room type and room ids (as sent on create)",
        changed(LISTING, {"room_types.0.id": "private-queen-01", "room_types.0.rooms.0.id": "room-104"}),
    ),
    valid("listing.schema.json", "no room types", {**LISTING, "room_types": []}),
    *(
        valid("listing.schema.json", f"listing_status {status}", {**LISTING, "listing_status": status})
        for status in ("draft", "pending", "published", "inactive")
    ),
    invalid(
        "listing.schema.json",
        "listing_status outside the vocabulary",
        {**LISTING, "listing_status": "active"},
    ),
    invalid("listing.schema.json", "id is a string", {**LISTING, "id": "101"}),
    invalid("listing.schema.json", "name is null", {**LISTING, "name": None}),
    invalid("listing.schema.json", "updated_at is not a date-time", {**LISTING, "updated_at": "yesterday"}),
    invalid("listing.schema.json", "updated_at is a date only", {**LISTING, "updated_at": "2026-04-06"}),
    invalid("listing.schema.json", "room_types missing", changed(LISTING, {"room_types": DELETE})),
    valid(
        "listing.schema.json",
        "original_id left out (coliving.list-item-absent-values)",
        changed(LISTING, {"original_id": DELETE}),
    ),
    valid(
        "listing.schema.json",
        "a room without a name (coliving.list-item-absent-values)",
        changed(LISTING, {"room_types.0.rooms.0.name": None}),
    ),
    invalid("listing.schema.json", "unique_id missing", changed(LISTING, {"unique_id": DELETE})),
    invalid(
        "listing.schema.json", "a room type without rooms", changed(LISTING, {"room_types.1.rooms": DELETE})
    ),
    invalid(
        "listing.schema.json", "a room without name", changed(LISTING, {"room_types.0.rooms.1.name": DELETE})
    ),
    invalid(
        "listing.schema.json", "a room id is a boolean", changed(LISTING, {"room_types.0.rooms.0.id": True})
    ),
    # listings-page: the whole GET /v1/listings body
    valid("listings-page.schema.json", "example: List Listings 200", LISTINGS_200),
    valid("listings-page.schema.json", "an empty page", {"data": [], "meta": {"pagination": EMPTY_PAGE}}),
    invalid(
        "listings-page.schema.json",
        "meta.pagination missing",
        changed(LISTINGS_200, {"meta.pagination": DELETE}),
    ),
    invalid("listings-page.schema.json", "meta missing", changed(LISTINGS_200, {"meta": DELETE})),
    invalid("listings-page.schema.json", "data is an object", {**LISTINGS_200, "data": LISTING}),
    invalid(
        "listings-page.schema.json",
        "an item with an unknown status",
        changed(LISTINGS_200, {"data.0.listing_status": "deleted"}),
    ),
    invalid(
        "listings-page.schema.json",
        "pagination per_page 500",
        changed(LISTINGS_200, {"meta.pagination.per_page": 500}),
    ),
    invalid(
        "listings-page.schema.json",
        "meta.request_id is a number (via success-envelope)",
        changed(LISTINGS_200, {"meta.request_id": 1}),
    ),
    invalid("listings-page.schema.json", "more than 100 items", {**LISTINGS_200, "data": [LISTING] * 101}),
    # listing-upsert: POST /v1/listings request
    valid("listing-upsert.schema.json", "sample: Create Listing Request Payload", LISTING_UPSERT_REQUEST),
    valid("listing-upsert.schema.json", "only the required fields", MINIMAL_UPSERT),
    valid(
        "listing-upsert.schema.json",
        "integer room type id, boolean flag, unknown field",
        changed(
            LISTING_UPSERT_REQUEST,
            {
                "room_types.0.id": 501,
                "prices.extra_fees.0.mandatory": True,
                "unknown_catalog_field": {"x": 1},
            },
        ),
    ),
    invalid("listing-upsert.schema.json", "name missing", changed(MINIMAL_UPSERT, {"name": DELETE})),
    invalid("listing-upsert.schema.json", "name empty", {**MINIMAL_UPSERT, "name": ""}),
    invalid("listing-upsert.schema.json", "name null", {**MINIMAL_UPSERT, "name": None}),
    invalid(
        "listing-upsert.schema.json", "room_types missing", changed(MINIMAL_UPSERT, {"room_types": DELETE})
    ),
    invalid("listing-upsert.schema.json", "room_types empty", {**MINIMAL_UPSERT, "room_types": []}),
    invalid(
        "listing-upsert.schema.json",
        "room_type outside private|shared",
        changed(MINIMAL_UPSERT, {"room_types.0.room_type": "entire"}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "room type name missing",
        changed(MINIMAL_UPSERT, {"room_types.0.name": DELETE}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "room type name empty",
        changed(MINIMAL_UPSERT, {"room_types.0.name": ""}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "room type prices missing",
        changed(MINIMAL_UPSERT, {"room_types.0.prices": DELETE}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "base_price missing",
        changed(LISTING_UPSERT_REQUEST, {"room_types.0.prices.base_price": DELETE}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "base_price 0",
        changed(MINIMAL_UPSERT, {"room_types.0.prices.base_price": 0}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "base_price fractional",
        changed(MINIMAL_UPSERT, {"room_types.0.prices.base_price": 12.5}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "base_price a string",
        changed(MINIMAL_UPSERT, {"room_types.0.prices.base_price": "1200"}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "latitude beyond 90",
        changed(LISTING_UPSERT_REQUEST, {"location.lat": 123.4}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "available_at not a date",
        changed(LISTING_UPSERT_REQUEST, {"room_types.0.available_at": "16/03/2026"}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "an amenity without id",
        changed(LISTING_UPSERT_REQUEST, {"amenities.0": {}}),
    ),
    invalid(
        "listing-upsert.schema.json",
        "check-in time not HH:MM",
        changed(LISTING_UPSERT_REQUEST, {"instructions.check_in_earliest": "2:30pm"}),
    ),
    # listing-patch: PATCH /v1/listings/{id} request
    valid("listing-patch.schema.json", "sample: Request Payload (Partial)", LISTING_PATCH_PARTIAL_REQUEST),
    valid("listing-patch.schema.json", "sample: Request Payload (Full)", LISTING_PATCH_FULL_REQUEST),
    valid("listing-patch.schema.json", "an empty body (nothing changes)", {}),
    valid("listing-patch.schema.json", "status only", {"status": "inactive"}),
    valid(
        "listing-patch.schema.json", "room_types as on create", {"room_types": MINIMAL_UPSERT["room_types"]}
    ),
    invalid("listing-patch.schema.json", "name null (not nullable)", {"name": None}),
    invalid("listing-patch.schema.json", "name empty", {"name": ""}),
    invalid("listing-patch.schema.json", "status outside the vocabulary", {"status": "deleted"}),
    invalid("listing-patch.schema.json", "room_types empty", {"room_types": []}),
    invalid(
        "listing-patch.schema.json",
        "a room type without room_type and prices",
        {"room_types": [{"name": "R"}]},
    ),
    invalid(
        "listing-patch.schema.json",
        "base_price 0 (via listing-upsert.schema.json)",
        changed(LISTING_PATCH_FULL_REQUEST, {"room_types.0.prices.base_price": 0}),
    ),
    invalid("listing-patch.schema.json", "bookings.stay_min a string", {"bookings": {"stay_min": "3"}}),
    invalid(
        "listing-patch.schema.json",
        "an event without id (nested $defs of the upsert schema)",
        {"community": {"events": [{}]}},
    ),
    invalid("listing-patch.schema.json", "a JSON array", [LISTING_PATCH_PARTIAL_REQUEST]),
    # listing-upsert-result: data of POST /v1/listings and PATCH /v1/listings/{id}
    valid("listing-upsert-result.schema.json", "example: Create Listing Success (201 or 200)", UPSERT_RESULT),
    valid("listing-upsert-result.schema.json", "example: Update Listing Success (200)", PATCH_RESULT),
    valid("listing-upsert-result.schema.json", "action unchanged", {**PATCH_RESULT, "action": "unchanged"}),
    valid("listing-upsert-result.schema.json", "original_id null", {**UPSERT_RESULT, "original_id": None}),
    invalid(
        "listing-upsert-result.schema.json",
        "action skipped (a 409's, not a success's)",
        {**UPSERT_RESULT, "action": "skipped"},
    ),
    invalid("listing-upsert-result.schema.json", "match missing", changed(UPSERT_RESULT, {"match": DELETE})),
    invalid(
        "listing-upsert-result.schema.json",
        "match.matched a string",
        changed(UPSERT_RESULT, {"match.matched": "false"}),
    ),
    invalid(
        "listing-upsert-result.schema.json",
        "match.confidence.score a string",
        changed(PATCH_RESULT, {"match.confidence.score": "0.99"}),
    ),
    invalid(
        "listing-upsert-result.schema.json",
        "match.confidence missing",
        changed(UPSERT_RESULT, {"match.confidence": DELETE}),
    ),
    invalid("listing-upsert-result.schema.json", "links.preview missing", {**UPSERT_RESULT, "links": {}}),
    invalid(
        "listing-upsert-result.schema.json",
        "negative room_types_count",
        {**UPSERT_RESULT, "room_types_count": -1},
    ),
    invalid(
        "listing-upsert-result.schema.json",
        "listing_status outside the vocabulary",
        {**UPSERT_RESULT, "listing_status": "active"},
    ),
    invalid(
        "listing-upsert-result.schema.json",
        "updated_at not a date-time",
        {**UPSERT_RESULT, "updated_at": "2026-04-06 at 10:15"},
    ),
    *(
        valid(
            "listing-upsert-result.schema.json",
            f"updated_at {stamp!r}, ISO 8601 but not RFC 3339 (coliving.timestamp-format)",
            {**UPSERT_RESULT, "updated_at": stamp},
        )
        for stamp in (
            "2026-04-06 10:15:05",
            "2026-04-06T10:15:05+0000",
            "20260406T101505Z",
            "2026-04-06T10:15",
        )
    ),
    invalid(
        "listing-upsert-result.schema.json",
        "updated_at with month 13",
        {**UPSERT_RESULT, "updated_at": "2026-13-06T10:15:05Z"},
    ),
    invalid(
        "listing-upsert-result.schema.json",
        "unique_id missing",
        changed(UPSERT_RESULT, {"unique_id": DELETE}),
    ),
    # user-create: POST /v1/users request
    valid("user-create.schema.json", "sample: Create User Request Example", USER_REQUEST),
    valid(
        "user-create.schema.json",
        "email and password only",
        {"email": "a@example.com", "password": "12345678"},
    ),
    invalid("user-create.schema.json", "email missing", changed(USER_REQUEST, {"email": DELETE})),
    invalid("user-create.schema.json", "password missing", changed(USER_REQUEST, {"password": DELETE})),
    invalid("user-create.schema.json", "email without @", {**USER_REQUEST, "email": "user.example.com"}),
    invalid("user-create.schema.json", "password of 7 characters", {**USER_REQUEST, "password": "1234567"}),
    invalid(
        "user-create.schema.json",
        "date_of_birth not YYYY-MM-DD",
        {**USER_REQUEST, "date_of_birth": "01/01/1990"},
    ),
    invalid("user-create.schema.json", "first_name a number", {**USER_REQUEST, "first_name": 1}),
    # user: data of POST /v1/users 201
    valid("user.schema.json", "example: Create User Success (201)", USER),
    valid(
        "user.schema.json",
        "profile fields null (not sent)",
        {
            **USER,
            **dict.fromkeys(
                (
                    "name",
                    "first_name",
                    "last_name",
                    "phone",
                    "date_of_birth",
                    "gender",
                    "country",
                    "city",
                    "timezone",
                    "language",
                )
            ),
        },
    ),
    valid("user.schema.json", "email verified", {**USER, "email_verified_at": "2026-04-19T02:20:00Z"}),
    *(
        invalid("user.schema.json", f"{field} missing", changed(USER, {field: DELETE}))
        for field in (
            "user_id",
            "email",
            "status",
            "email_verified_at",
            "login_at",
            "api_created",
            "updated_at",
        )
    ),
    invalid("user.schema.json", "user_id a string", {**USER, "user_id": "555001"}),
    invalid("user.schema.json", "status a string", {**USER, "status": "active"}),
    invalid("user.schema.json", "api_created a string", {**USER, "api_created": "true"}),
    invalid("user.schema.json", "login_at null", {**USER, "login_at": None}),
    invalid(
        "user.schema.json", "email_verified_at not a date-time", {**USER, "email_verified_at": "yesterday"}
    ),
    invalid("user.schema.json", "date_of_birth not a date", {**USER, "date_of_birth": "1990-13-01"}),
    invalid("user.schema.json", "login_amount negative", {**USER, "login_amount": -1}),
    # booking-create: POST /v1/bookings request
    valid("booking-create.schema.json", "sample: Create Booking Request Example", BOOKING_REQUEST),
    valid(
        "booking-create.schema.json",
        "without room_type_id and message",
        changed(BOOKING_REQUEST, {"room_type_id": DELETE, "message": DELETE}),
    ),
    *(
        invalid("booking-create.schema.json", f"{field} missing", changed(BOOKING_REQUEST, {field: DELETE}))
        for field in ("user_id", "listing_id", "checkin_at", "checkout_at")
    ),
    invalid("booking-create.schema.json", "user_id 0", {**BOOKING_REQUEST, "user_id": 0}),
    invalid(
        "booking-create.schema.json", "room_type_id a string", {**BOOKING_REQUEST, "room_type_id": "789"}
    ),
    invalid(
        "booking-create.schema.json",
        "checkin_at a date-time",
        {**BOOKING_REQUEST, "checkin_at": "2024-02-01T14:00:00Z"},
    ),
    invalid(
        "booking-create.schema.json",
        "checkout_at not a calendar date",
        {**BOOKING_REQUEST, "checkout_at": "2024-02-30"},
    ),
    invalid("booking-create.schema.json", "message a number", {**BOOKING_REQUEST, "message": 5}),
    # booking: data of POST /v1/bookings 201
    valid("booking.schema.json", "example: Create Booking Success (201)", BOOKING),
    valid(
        "booking.schema.json",
        "decimal amounts, events that happened, statuses set",
        {
            **BOOKING,
            "price": 1200.5,
            "paid_at": "2026-05-01T09:00:00Z",
            "confirmed_at": "2026-04-20 10:00:00",
            "lifecycle": "confirmed",
            "payment_status": 2,
            "lead_status": True,
            "special_requests": "Late arrival",
            "is_recurring": True,
        },
    ),
    *(
        invalid("booking.schema.json", f"{field} missing", changed(BOOKING, {field: DELETE}))
        for field in (
            "booking_id",
            "booking_no",
            "host_id",
            "nights",
            "recurring_at",
            "lead_status",
            "extended_at",
            "meta",
            "created_at",
        )
    ),
    invalid("booking.schema.json", "nights a string", {**BOOKING, "nights": "14"}),
    invalid("booking.schema.json", "price a string", {**BOOKING, "price": "1200.00"}),
    invalid("booking.schema.json", "api_created 1 instead of a boolean", {**BOOKING, "api_created": 1}),
    invalid(
        "booking.schema.json", "checkin_at a date-time", {**BOOKING, "checkin_at": "2026-05-01T10:00:00Z"}
    ),
    valid(
        "booking.schema.json",
        "checkin_at as a date-time at midnight, as Laravel's date cast writes it (coliving.timestamp-format)",
        {**BOOKING, "checkin_at": "2026-05-01T00:00:00.000000Z"},
    ),
    invalid("booking.schema.json", "paid_at a number", {**BOOKING, "paid_at": 0}),
    invalid("booking.schema.json", "lifecycle an object", {**BOOKING, "lifecycle": {"stage": "lead"}}),
    invalid("booking.schema.json", "is_recurring 2", {**BOOKING, "is_recurring": 2}),
    invalid("booking.schema.json", "created_at null", {**BOOKING, "created_at": None}),
    invalid(
        "booking.schema.json", "meta.api_created missing", changed(BOOKING, {"meta.api_created": DELETE})
    ),
    invalid("booking.schema.json", "meta is a list", {**BOOKING, "meta": []}),
    # provider-key-request: POST /v1/integrations/{provider}/provider-key request
    valid("provider-key-request.schema.json", "a key", {"provider_api_key": "pk_live_123"}),
    invalid("provider-key-request.schema.json", "no key", {}),
    invalid("provider-key-request.schema.json", "an empty key", {"provider_api_key": ""}),
    invalid("provider-key-request.schema.json", "a null key", {"provider_api_key": None}),
    # results: the run's results.json (DESIGN.md section 4)
    valid("results.schema.json", "the documented shape", RESULTS),
    valid(
        "results.schema.json",
        "with every optional field",
        changed(
            RESULTS,
            {
                "exit_code": 0,
                "providers.0.error": None,
                "providers.0.seconds": 41.5,
                "providers.0.throttled": 0,
                "providers.0.rules.0.requests": 3,
                "providers.0.rules.0.throttled": 0,
                "providers.0.rules.0.tests": 2,
            },
        ),
    ),
    valid(
        "results.schema.json",
        "a provider that could not run",
        changed(
            RESULTS,
            {
                "providers.0.error": "target unreachable",
                "providers.0.conformant": False,
                "providers.0.rules": [],
                "exit_code": 3,
            },
        ),
    ),
    valid(
        "results.schema.json",
        "a failed rule with its evidence, the exchange listed once",
        changed(
            RESULTS,
            {
                "providers.0.rules.0.outcome": "failed",
                "providers.0.rules.0.evidence": [17],
                "providers.0.exchanges": [RESULTS_EXCHANGE],
            },
        ),
    ),
    valid(
        "results.schema.json",
        "an exchange that got no response",
        changed(
            RESULTS,
            {"providers.0.exchanges": [{**RESULTS_EXCHANGE, "status": None, "error": "connection refused"}]},
        ),
    ),
    invalid(
        "results.schema.json",
        "evidence naming an exchange by a string",
        changed(RESULTS, {"providers.0.rules.0.evidence": ["17"]}),
    ),
    invalid(
        "results.schema.json",
        "evidence naming an exchange twice",
        changed(RESULTS, {"providers.0.rules.0.evidence": [17, 17]}),
    ),
    invalid(
        "results.schema.json",
        "an exchange without its method",
        changed(RESULTS, {"providers.0.exchanges": [changed(RESULTS_EXCHANGE, {"method": DELETE})]}),
    ),
    invalid(
        "results.schema.json",
        "an exchange with a misspelt field",
        changed(RESULTS, {"providers.0.exchanges": [{**RESULTS_EXCHANGE, "requests_headers": []}]}),
    ),
    invalid(
        "results.schema.json",
        "a header that is not a [name, value] pair",
        changed(RESULTS, {"providers.0.exchanges": [{**RESULTS_EXCHANGE, "request_headers": [["accept"]]}]}),
    ),
    valid(
        "results.schema.json",
        "the deep profile, no providers",
        {**RESULTS, "profile": "deep", "providers": []},
    ),
    invalid("results.schema.json", "a misspelt top-level field", {**RESULTS, "exitcode": 0}),
    invalid("results.schema.json", "a misspelt provider field", changed(RESULTS, {"providers.0.request": 1})),
    invalid(
        "results.schema.json", "a misspelt rule field", changed(RESULTS, {"providers.0.rules.0.mesage": ""})
    ),
    invalid(
        "results.schema.json", "a misspelt summary field", changed(RESULTS, {"providers.0.summary.errors": 0})
    ),
    invalid("results.schema.json", "profile outside gate|deep", {**RESULTS, "profile": "nightly"}),
    invalid("results.schema.json", "started_at not a date-time", {**RESULTS, "started_at": "today"}),
    invalid("results.schema.json", "finished_at missing", changed(RESULTS, {"finished_at": DELETE})),
    invalid(
        "results.schema.json",
        "outcome outside the four",
        changed(RESULTS, {"providers.0.rules.0.outcome": "pass"}),
    ),
    invalid("results.schema.json", "level MAY", changed(RESULTS, {"providers.0.rules.0.level": "MAY"})),
    invalid(
        "results.schema.json",
        "rule id with upper case",
        changed(RESULTS, {"providers.0.rules.0.id": "Coliving.Auth.missing-key-401"}),
    ),
    invalid(
        "results.schema.json",
        "rule id of two parts",
        changed(RESULTS, {"providers.0.rules.0.id": "coliving.auth"}),
    ),
    invalid(
        "results.schema.json",
        "rule id with underscore",
        changed(RESULTS, {"providers.0.rules.0.id": "coliving.auth.missing_key"}),
    ),
    invalid(
        "results.schema.json", "negative summary count", changed(RESULTS, {"providers.0.summary.failed": -1})
    ),
    invalid(
        "results.schema.json",
        "summary.error missing",
        changed(RESULTS, {"providers.0.summary.error": DELETE}),
    ),
    invalid(
        "results.schema.json", "conformant missing", changed(RESULTS, {"providers.0.conformant": DELETE})
    ),
    invalid("results.schema.json", "requests fractional", changed(RESULTS, {"providers.0.requests": 1.5})),
    invalid(
        "results.schema.json",
        "rule message missing",
        changed(RESULTS, {"providers.0.rules.1.message": DELETE}),
    ),
    invalid("results.schema.json", "provider error a number", changed(RESULTS, {"providers.0.error": 3})),
]

# --- loading the schemas --------------------------------------------------------------------------

# --- the schema files -----------------------------------------------------------------------------


def test_the_coliving_folder_holds_exactly_the_expected_schemas() -> None:
    assert sorted(path.name for path in COLIVING.glob("*.json")) == sorted(COLIVING_SCHEMAS)


@pytest.mark.parametrize("schema", ALL_SCHEMAS)
def test_schema_is_a_valid_draft_2020_12_schema(schema: str) -> None:
    contents = load(schema)
    Draft202012Validator.check_schema(contents)
    assert contents["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "$id" not in contents, "the files are referenced by relative file names, never by $id"
    assert contents["title"]
    assert contents["description"]


@pytest.mark.parametrize("schema", ALL_SCHEMAS)
def test_every_ref_resolves(schema: str) -> None:
    resolver = REGISTRY.resolver(base_uri=uri_of(schema))
    for ref in refs(load(schema)):
        assert not ref.startswith(("http:", "https:", "/")), f"{ref}: cross-file refs are relative file names"
        resolver.lookup(ref)  # raises Unresolvable for a missing file or a dangling pointer


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_case(case: Case) -> None:
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(case.schema).iter_errors(case.instance)
    ]
    if case.valid:
        assert errors == [], errors
    else:
        assert errors, "the instance should be rejected"


def test_every_schema_has_valid_and_invalid_cases() -> None:
    for schema in ALL_SCHEMAS:
        verdicts = {case.valid for case in CASES if case.schema == schema}
        assert verdicts == {True, False}, schema


def test_the_date_time_check_follows_rfc_3339() -> None:
    assert FORMAT_CHECKER.conforms("2026-04-19T02:18:50.000000Z", "date-time")
    assert FORMAT_CHECKER.conforms("2026-04-06T10:15:05+02:00", "date-time")
    for bad in (
        "2026-04-06",
        "2026-04-06 10:15:05",
        "2026-02-30T10:15:05Z",
        "2026-04-06T25:00:00Z",
        "yesterday",
    ):
        assert not FORMAT_CHECKER.conforms(bad, "date-time"), bad


# --- the OpenAPI document, through schemathesis ---------------------------------------------------


@pytest.fixture(scope="module")
def operations() -> dict[str, Any]:
    """The operations of openapi.yaml as schemathesis loads them, by operationId.

    An operation whose parameters or request body hold an unresolvable $ref comes back as an Err; one whose
    response schema does is loaded anyway, and schemathesis then skips validating that response (a warning in
    the CLI, silence in the Python API), which is why test_every_ref_resolves and the invalid response cases
    below exist.
    """
    schema = schemathesis.openapi.from_path(str(OPENAPI))
    results = list(schema.get_all_operations())
    assert [result.err() for result in results if isinstance(result, Err)] == []
    return {
        op.definition.raw["operationId"]: op
        for op in (result.ok() for result in results if isinstance(result, Ok))
    }


def test_openapi_document_is_valid_openapi_3_1() -> None:
    schemathesis.openapi.from_path(str(OPENAPI)).validate()  # against the OpenAPI 3.1 meta-schema


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


def test_schemathesis_lists_the_six_operations(operations: dict[str, Any]) -> None:
    assert {name: (op.method.upper(), op.path) for name, op in operations.items()} == OPERATION_IDS


def test_every_operation_documents_auth_validation_and_throttling(operations: dict[str, Any]) -> None:
    for name, op in operations.items():
        statuses = set(op.definition.raw["responses"])
        assert {"401", "403", "422", "429", "500"} <= statuses, name
        for status, response in op.definition.raw["responses"].items():
            resolved = response if "content" in response else None
            if resolved is not None:
                assert list(resolved["content"]) == ["application/json"], (name, status)


def test_every_body_is_required_json(operations: dict[str, Any]) -> None:
    for name, op in operations.items():
        if name == "listListings":
            assert "requestBody" not in op.definition.raw
            continue
        body = op.definition.raw["requestBody"]
        assert body["required"] is True, name
        assert list(body["content"]) == ["application/json"], name


REQUEST_SCHEMAS: Final = {
    "createUser": "coliving/user-create.schema.json",
    "createBooking": "coliving/booking-create.schema.json",
    "upsertListing": "coliving/listing-upsert.schema.json",
    "updateListing": "coliving/listing-patch.schema.json",
    "setProviderKey": "coliving/provider-key-request.schema.json",
}


@pytest.mark.parametrize("name", sorted(REQUEST_SCHEMAS))
def test_generated_bodies_match_our_request_schemas(operations: dict[str, Any], name: str) -> None:
    """schemathesis resolves the external $refs: what it generates from openapi.yaml fits the schema file."""
    check = validator(REQUEST_SCHEMAS[name])

    @settings(
        max_examples=5,
        phases=[Phase.generate],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operations[name].as_strategy())
    def body_is_valid(case: Any) -> None:
        assert case.body is not NOT_SET
        check.validate(case.body)

    body_is_valid()


def test_generated_upsert_bodies_carry_the_required_room_type_fields(operations: dict[str, Any]) -> None:
    """The nested required fields come through two levels of $ref (the file, then its $defs)."""

    @settings(
        max_examples=5,
        phases=[Phase.generate],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operations["upsertListing"].as_strategy())
    def has_room_types(case: Any) -> None:
        assert case.body["name"]
        for room_type in case.body["room_types"]:
            assert room_type["room_type"] in ("private", "shared")
            assert room_type["prices"]["base_price"] >= 1

    has_room_types()


def test_generated_list_queries_respect_the_documented_bounds(operations: dict[str, Any]) -> None:
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

    @settings(
        max_examples=5,
        phases=[Phase.generate],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operations["listListings"].as_strategy())
    def query_is_valid(case: Any) -> None:
        query = dict(case.query or {})
        check.validate(query)
        seen.append(query)

    query_is_valid()
    assert seen


RESPONSE_CASES: Final[list[ResponseCase]] = [
    ResponseCase("createUser", 201, "example", USER_201, True),
    ResponseCase("createUser", 422, "example", USER_422, True),
    ResponseCase(
        "createUser",
        201,
        "user_id missing (user.schema.json)",
        changed(USER_201, {"data.user_id": DELETE}),
        False,
    ),
    ResponseCase(
        "createUser",
        422,
        "an errors[] item without code (error-item.schema.json, two files away)",
        changed(USER_422, {"error.errors.0.code": DELETE}),
        False,
    ),
    ResponseCase("createBooking", 201, "example", BOOKING_201, True),
    ResponseCase("createBooking", 422, "example", BOOKING_422, True),
    ResponseCase(
        "createBooking", 201, "booking meta missing", changed(BOOKING_201, {"data.meta": DELETE}), False
    ),
    ResponseCase(
        "createBooking", 201, "envelope meta missing", changed(BOOKING_201, {"meta": DELETE}), False
    ),
    ResponseCase("listListings", 200, "example", LISTINGS_200, True),
    ResponseCase("listListings", 401, "an auth error", LISTING_UPSERT_401, True),
    ResponseCase(
        "listListings",
        200,
        "pagination per_page 101 (pagination.schema.json)",
        changed(LISTINGS_200, {"meta.pagination.per_page": 101}),
        False,
    ),
    ResponseCase(
        "listListings",
        200,
        "an empty listing but total 0 and last_page 2 (if/then/else)",
        {"data": [], "meta": {"pagination": {**EMPTY_PAGE, "last_page": 2}}},
        False,
    ),
    ResponseCase(
        "listListings",
        200,
        "updated_at not a date-time (listing.schema.json)",
        changed(LISTINGS_200, {"data.0.updated_at": "2026-04-06 at 10:15"}),
        False,
    ),
    ResponseCase(
        "listListings",
        200,
        "updated_at ISO 8601 but not RFC 3339 (coliving.timestamp-format)",
        changed(LISTINGS_200, {"data.0.updated_at": "2026-04-06T10:15:05+0000"}),
        True,
    ),
    ResponseCase("upsertListing", 201, "example", LISTING_UPSERT_SUCCESS, True),
    ResponseCase(
        "upsertListing",
        201,
        "links missing (listing-upsert-result.schema.json)",
        changed(LISTING_UPSERT_SUCCESS, {"data.links": DELETE}),
        False,
    ),
    ResponseCase(
        "upsertListing",
        200,
        "a matched listing updated",
        {**LISTING_UPSERT_SUCCESS, "data": PATCH_RESULT},
        True,
    ),
    ResponseCase(
        "upsertListing", 200, "a replay of a creation (replay status unstated)", LISTING_UPSERT_SUCCESS, True
    ),
    ResponseCase(
        "upsertListing",
        201,
        "201 but action updated",
        {**LISTING_UPSERT_SUCCESS, "data": PATCH_RESULT},
        False,
    ),
    *(
        ResponseCase("upsertListing", status, "example", body, True)
        for status, body in (
            (401, LISTING_UPSERT_401),
            (403, LISTING_UPSERT_403),
            (409, LISTING_UPSERT_409),
            (422, LISTING_UPSERT_422),
            (500, LISTING_UPSERT_500),
        )
    ),
    ResponseCase(
        "upsertListing",
        409,
        "error.errors missing",
        changed(LISTING_UPSERT_409, {"error.errors": DELETE}),
        False,
    ),
    ResponseCase("updateListing", 200, "example", LISTING_PATCH_200, True),
    ResponseCase(
        "updateListing",
        200,
        "action unchanged",
        changed(LISTING_PATCH_200, {"data.action": "unchanged"}),
        True,
    ),
    ResponseCase("updateListing", 404, "example", LISTING_PATCH_404, True),
    ResponseCase(
        "updateListing", 200, "action created", changed(LISTING_PATCH_200, {"data.action": "created"}), False
    ),
    ResponseCase("updateListing", 404, "a plain message", {"message": "Not Found"}, False),
    ResponseCase(
        "setProviderKey", 201, "any success envelope", {"data": {"provider": "x"}, "meta": {}}, True
    ),
    ResponseCase("setProviderKey", 409, "key used by another account", LISTING_UPSERT_409, True),
    ResponseCase("setProviderKey", 200, "the legacy success flag", {"success": True}, False),
]


@pytest.mark.parametrize("case", RESPONSE_CASES, ids=lambda case: case.id)
def test_schemathesis_validates_responses_through_the_external_refs(
    operations: dict[str, Any], case: ResponseCase
) -> None:
    op = operations[case.operation]
    path = op.path.replace("{id}", "22035").replace("{provider}", "example")
    response = example_response(case.status, case.body, op.method.upper(), path)
    if case.valid:
        op.validate_response(response)
    else:
        with pytest.raises((AssertionError, schemathesis.errors.FailureGroup)):
            op.validate_response(response)
