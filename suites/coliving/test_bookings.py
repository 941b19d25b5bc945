"""Booking creation (coliving-api.txt: Booking Management, Create Booking)."""

from __future__ import annotations

from datetime import date

import pytest

from apiconform.suite import Verdicts, check, error_body, error_paths, same_date, success_data

BOOKINGS = "/v1/bookings"
UNKNOWN_USER = 999999999


@pytest.mark.rule(
    "coliving.bookings.create-201",
    "coliving.bookings.create-echoes-input",
    "coliving.bookings.nights-consistent",
)
def test_create_booking(client, profile, headers, booking_refs, unbookable, verdicts: Verdicts):
    sent = booking_refs.body()
    response = client.request("POST", BOOKINGS, headers=headers(), json=sent)
    unbookable(response)
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
    with verdicts.check("coliving.bookings.nights-consistent"):
        days = (date.fromisoformat(sent["checkout_at"]) - date.fromisoformat(sent["checkin_at"])).days
        check(data.get("nights") == days, f"nights is {data.get('nights')!r} for a {days}-day stay", response)


@pytest.mark.rule("coliving.bookings.missing-user-422")
def test_missing_user(client, profile, headers, booking_refs):
    body = booking_refs.body()
    del body["user_id"]
    response = client.request("POST", BOOKINGS, headers=headers(), json=body)
    error = error_body(profile, response, "POST /v1/bookings without user_id", status=422)
    check("user_id" in error_paths(profile, error), "no errors[] item has path user_id", response)


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
