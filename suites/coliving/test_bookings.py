"""Booking creation (coliving-api.txt: Booking Management, Create Booking).

The created booking is compared with what was sent (the example's response answers another
request than its request example: its dates and ids are illustrations) and held to the values
the response example fixes for a booking created through the API: type api_booking, source api,
api_created true (in data and data.meta), nights between the dates, nothing paid, invoiced,
canceled, missed or extended yet, timestamps in UTC. What the example shows without fixing it
(status 1, booking_no BKG-<booking_id>, an upper-case currency code, price_total as price plus
service_fee_total) is the SHOULD example-values.
"""

from __future__ import annotations

import pytest

from apiconform.providers.coliving import contracts
from apiconform.providers.coliving.validation import judge_422
from apiconform.suite import Verdicts, check, error_body, same_date, success_data

BOOKINGS = "/v1/bookings"
UNKNOWN_USER = 999999999
#: a check-in date that is no date in any reading (month 13)
NOT_A_DATE = "2024-13-01"


@pytest.mark.rule(
    "coliving.bookings.create-201",
    "coliving.bookings.create-echoes-input",
    "coliving.bookings.example-contract",
    "coliving.bookings.example-values",
)
def test_create_booking(created_booking, profile, verdicts: Verdicts):
    sent, response = created_booking.body, created_booking.response
    with verdicts.check("coliving.bookings.create-201"):
        success_data(profile, response, "POST /v1/bookings", status=201, data_schema="booking")
    data = success_data(profile, response, "POST /v1/bookings", status=(200, 201))
    data = data if isinstance(data, dict) else {}
    with verdicts.check("coliving.bookings.create-echoes-input"):
        changed = [
            f"{k}: sent {sent[k]!r}, got {data.get(k)!r}"
            for k in ("user_id", "listing_id")
            if data.get(k) != sent[k]
        ]
        changed += [
            f"{k}: sent {sent[k]!r}, got {data.get(k)!r}"
            for k in ("checkin_at", "checkout_at")
            if not same_date(data.get(k), sent[k])
        ]
        check(not changed, "the created booking differs from what was sent: " + "; ".join(changed), response)
    with verdicts.check("coliving.bookings.example-contract"):
        differences = contracts.booking_differences(sent, data)
        check(
            not differences,
            "the created booking departs from the Create Booking response example: " + "; ".join(differences),
            response,
        )
    with verdicts.check("coliving.bookings.example-values"):
        differences = contracts.booking_value_differences(data)
        check(not differences, "; ".join(differences), response)


@pytest.mark.rule("coliving.bookings.missing-user-422", "coliving.errors.validation-error-type")
def test_missing_user(booking_invalid, profile, verdicts: Verdicts):
    what = "POST /v1/bookings without user_id"
    judge_422(
        profile, verdicts, "coliving.bookings.missing-user-422", booking_invalid.response, what, "user_id"
    )


@pytest.mark.rule("coliving.bookings.invalid-date-422", "coliving.errors.validation-error-type")
def test_check_in_that_is_no_date(client, profile, headers, booking_refs, verdicts: Verdicts):
    body = booking_refs.body(checkin_at=NOT_A_DATE)
    response = client.request("POST", BOOKINGS, headers=headers(), json=body)
    what = f"POST /v1/bookings with checkin_at {NOT_A_DATE!r}"
    judge_422(profile, verdicts, "coliving.bookings.invalid-date-422", response, what, "checkin_at")


@pytest.mark.rule("coliving.bookings.unknown-user-refused")
def test_unknown_user(client, profile, headers, booking_refs):
    body = booking_refs.body(user_id=UNKNOWN_USER)
    response = client.request("POST", BOOKINGS, headers=headers(), json=body)
    error_body(profile, response, "POST /v1/bookings for a user that does not exist", status=range(400, 500))


@pytest.mark.rule("coliving.bookings.date-order-rejected")
def test_checkout_before_checkin(client, profile, headers, booking_refs):
    body = booking_refs.body()
    body["checkin_at"], body["checkout_at"] = body["checkout_at"], body["checkin_at"]
    response = client.request("POST", BOOKINGS, headers=headers(), json=body)
    error_body(
        profile, response, "POST /v1/bookings with checkout_at before checkin_at", status=range(400, 500)
    )
