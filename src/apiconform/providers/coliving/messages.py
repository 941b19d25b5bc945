"""POST /v1/bookings/{id}/messages on the Coliving reference server.

A message must be a string with non-whitespace text; duplicates are exact text matches for the
same booking within the de-duplication window of the first send, answered 200 with the first
message (409 conflict_error in the quirky variant). Idempotency-Key is ignored here. The
alternate variant names the body field `body`, answers {id, booking_id, body, created_at} and
de-duplicates within 30 s.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from apiconform.providers.coliving.store import Message, Store
from apiconform.providers.coliving.wire import JSON, ApiError, Ctx, Resource, Result, Wire, validation_error

MESSAGE_DEDUP_SECONDS = 60.0
#: the alternate variant's de-duplication window and message body field (both undocumented)
ALTERNATE_DEDUP_SECONDS = 30.0
ALTERNATE_MESSAGE_FIELD = "body"


class Messages(Resource):
    """Booking messages, de-duplicated within `dedup_seconds` (the alternate variant's own window
    when it is the default)."""

    def __init__(self, wire: Wire, store: Store, dedup_seconds: float) -> None:
        super().__init__(wire, store)
        if self.alternate and dedup_seconds == MESSAGE_DEDUP_SECONDS:
            dedup_seconds = ALTERNATE_DEDUP_SECONDS
        self.dedup_seconds = dedup_seconds

    def create_message(self, ctx: Ctx, params: dict[str, str]) -> Result:
        raw = params["id"]
        booking = self.store.bookings.get(int(raw)) if raw.isascii() and raw.isdigit() else None
        if booking is None or booking.host_id != ctx.host_id:
            raise ApiError(404, "not_found", "Booking not found or unauthorized")
        field = ALTERNATE_MESSAGE_FIELD if self.alternate else "message"
        text = ctx.json().get(field)
        if text is None or (isinstance(text, str) and not text.strip()):
            raise validation_error(field, "required", f"The {field} field is required.")
        if not isinstance(text, str):
            raise validation_error(field, "invalid", f"The {field} field must be a string.")
        now = time.monotonic()
        sent = self.store.messages.setdefault(booking.booking_id, [])
        recent = [m for m in sent if now - m.created_monotonic < self.dedup_seconds]
        if "messages-dedup-any-text" in self.faults:
            duplicate = sent[0] if recent and sent[0] in recent else None
        elif "messages-no-dedup" in self.faults:
            duplicate = None
        else:
            duplicate = next((m for m in recent if m.message == text), None)
        if duplicate is not None:
            if self.quirky:
                raise ApiError(
                    409,
                    "conflict_error",
                    "This message was already sent for this booking.",
                    [("message", "duplicate", str(duplicate.message_id))],
                )
            return Result(200, self.message_data(duplicate), kind="booking_message")
        message = Message(
            self.store.next_id("message"),
            booking.booking_id,
            text,
            self.wire.stamp(datetime.now(UTC), micro=True),
            now,
        )
        sent.append(message)
        return Result(201, self.message_data(message), kind="booking_message")

    def message_data(self, message: Message) -> dict[str, JSON]:
        """A booking message as answered (the alternate variant names its id `id` and its text
        after the body field)."""
        data = message.as_data()
        if self.alternate:
            return {
                "id": data["message_id"],
                "booking_id": data["booking_id"],
                ALTERNATE_MESSAGE_FIELD: data["message"],
                "created_at": data["created_at"],
            }
        return data
