"""POST /v1/bookings on the Coliving reference server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference.coliving.helpers import (
    BOOKING_KEYS,
    MAIN,
    MICRO_STAMP,
    TestClient,
    booking_body,
    error,
    listing,
    user_body,
)


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
