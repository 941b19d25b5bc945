"""POST /v1/bookings on the Coliving reference server.

Any status of a listing of the key's host can be booked (only published ones in the alternate
variant); a booking may name any existing user; service_fee is 12.5 % of the room type's base
price, rounded half up; the booking `message` is stored on the booking, not as a booking message.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from apiconform.providers.coliving.store import Booking
from apiconform.providers.coliving.wire import JSON, ApiError, Ctx, Errors, Resource, Result, parse_date
from apiconform.reference.kit import InjectedFault, is_int


class Bookings(Resource):
    """Bookings: their validation and creation."""

    def validate_booking(self, body: dict[str, JSON], *, host_id: int | None) -> Errors:
        """Booking body errors; the checks against stored users and listings only when `host_id` is given."""
        errors = Errors()
        user_id, listing_id, room_type_id = (
            body.get("user_id"),
            body.get("listing_id"),
            body.get("room_type_id"),
        )
        if user_id is None:
            if "bookings-missing-user-500" in self.faults:
                raise InjectedFault("user_id is missing")
            errors.add("user_id", "required" if self.alternate else "invalid", "User ID is required.")
        elif not is_int(user_id):
            errors.add("user_id", "invalid", "User ID must be an integer.")
        elif (
            host_id is not None
            and user_id not in self.store.users
            and "bookings-unknown-user-accepted" not in self.faults
        ):
            if self.alternate:  # a missing resource, not a validation error
                raise ApiError(404, "not_found", "User not found.")
            errors.add("user_id", "not_found", "User not found.")
        listing = self.store.listings.get(listing_id) if is_int(listing_id) else None
        if listing_id is None:
            errors.add("listing_id", "required" if self.alternate else "invalid", "Listing ID is required.")
        elif not is_int(listing_id):
            errors.add("listing_id", "invalid", "Listing ID must be an integer.")
        elif host_id is not None and (listing is None or listing.host_id != host_id):
            errors.add("listing_id", "not_found", "Listing not found for this host.")
        elif host_id is not None and self.alternate and listing is not None and listing.status != "published":
            errors.add("listing_id", "not_bookable", "Only published listings can be booked.")
        if self.alternate:  # every field of the request example is required
            for name in ("room_type_id", "message"):
                if body.get(name) is None:
                    errors.add(name, "required", f"The {name} field is required.")
        if room_type_id is not None:
            if not is_int(room_type_id):
                errors.add("room_type_id", "invalid", "Room type ID must be an integer.")
            elif (
                host_id is not None
                and listing is not None
                and listing.host_id == host_id
                and all(rt.id != room_type_id for rt in listing.room_types)
            ):
                errors.add("room_type_id", "not_found", "Room type not found for this listing.")
        dates: dict[str, date | None] = {}
        for name, label in (("checkin_at", "check-in"), ("checkout_at", "checkout")):
            value = body.get(name)
            dates[name] = parse_date(value)
            if value is None:
                errors.add(name, "invalid", f"The {label} date is required.")
            elif dates[name] is None and "bookings-invalid-date-accepted" not in self.faults:
                errors.add(name, "invalid", f"The {label} date must be a date in YYYY-MM-DD format.")
        checkin, checkout = dates["checkin_at"], dates["checkout_at"]
        if checkin and checkout and checkout <= checkin and "bookings-date-order-accepted" not in self.faults:
            errors.add("checkout_at", "invalid", "The checkout date must be after the check-in date.")
        message = body.get("message")
        if message is not None and not isinstance(message, str):
            errors.add("message", "invalid", "The message field must be a string.")
        return errors

    def create_booking(self, ctx: Ctx, params: dict[str, str]) -> Result:
        body = ctx.json()
        self.validate_booking(body, host_id=ctx.host_id).raise_if_any()
        listing = self.store.listings[body["listing_id"]]
        room_type = next(
            (rt for rt in listing.room_types if rt.id == body.get("room_type_id")),
            listing.room_types[0] if listing.room_types else None,
        )
        price = room_type.base_price if room_type else 0
        service_fee = math.floor(price * 0.125 + 0.5)
        prices = listing.fields.get("prices")
        deposit = prices.get("security_deposit") if isinstance(prices, dict) else None
        deposit = deposit if is_int(deposit) and deposit > 0 else 0
        checkin, checkout = parse_date(body["checkin_at"]), parse_date(body["checkout_at"])
        # a date that is none only with bookings-invalid-date-accepted, < 0 only with
        # bookings-date-order-accepted
        nights = max(0, (checkout - checkin).days) if checkin and checkout else 0
        if "bookings-nights-off-by-one" in self.faults:
            nights += 1
        dates = (
            ("2026-05-01", "2026-05-15")
            if "bookings-example-dates" in self.faults
            else (body["checkin_at"], body["checkout_at"])
        )
        dates = (self.wire.day(dates[0]), self.wire.day(dates[1]))
        booking_id = self.store.next_id("booking")
        now = self.wire.stamp(datetime.now(UTC), micro=True)
        record: dict[str, JSON] = {
            "booking_id": booking_id,
            "booking_no": str(booking_id)
            if "bookings-number-unprefixed" in self.faults
            else f"BKG-{booking_id}",
            "user_id": body["user_id"],
            "host_id": ctx.host_id,
            "listing_id": listing.id,
            "checkin_at": dates[0],
            "checkout_at": dates[1],
            "nights": nights,
            "guests": 1,
            "rooms": 1,
            "status": 1,
            "type": "manual_booking" if "bookings-type-manual" in self.faults else "api_booking",
            "currency": "USD",
            "price": price,
            "price_local": price,
            "price_total": price + service_fee,
            "price_total_local": price + service_fee,
            "security_deposit": deposit,
            "security_deposit_local": deposit,
            "discount": 0,
            "transaction_fee": 0,
            "service_fee": service_fee,
            "service_fee_total": service_fee,
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
            "created_at": now,
            "updated_at": now,
        }
        self.store.bookings[booking_id] = Booking(
            booking_id, ctx.host_id, listing.id, {**record, "message": body.get("message")}
        )
        return Result(200 if "bookings-200" in self.faults else 201, record, kind="booking")
