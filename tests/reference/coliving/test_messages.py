"""POST /v1/bookings/{id}/messages on the Coliving reference server."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.reference.coliving.helpers import (
    MAIN,
    OTHER,
    TestClient,
    booking_body,
    error,
    make,
    paths,
    server_of,
)


def test_booking_messages_and_deduplication(c: TestClient) -> None:
    booking_id = c.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    first = c.post(path, headers=MAIN, json={"message": "Hello host"})
    assert first.status_code == 201
    data = first.json()["data"]
    assert list(data) == ["message_id", "booking_id", "message", "created_at"]
    assert (data["message_id"], data["booking_id"], data["message"]) == (888001, booking_id, "Hello host")
    again = c.post(path, headers={**MAIN, "Idempotency-Key": "ignored"}, json={"message": "Hello host"})
    assert again.status_code == 200 and again.json()["data"] == data
    other = c.post(path, headers=MAIN, json={"message": "Hello host!"})
    assert other.status_code == 201 and other.json()["data"]["message_id"] == 888002
    assert len(server_of(c).store.messages[booking_id]) == 2


def test_booking_message_dedup_window_is_configurable() -> None:
    c = make(message_dedup_seconds=0.2)
    booking_id = c.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    assert c.post(path, headers=MAIN, json={"message": "Hi"}).status_code == 201
    assert c.post(path, headers=MAIN, json={"message": "Hi"}).status_code == 200
    time.sleep(0.25)
    assert c.post(path, headers=MAIN, json={"message": "Hi"}).status_code == 201


@pytest.mark.parametrize(
    ("headers", "booking", "body", "status", "path"),
    [
        (MAIN, "mine", {}, 422, "message"),
        (MAIN, "mine", {"message": "  "}, 422, "message"),
        (MAIN, "mine", {"message": 3}, 422, "message"),
        (OTHER, "mine", {"message": "Hi"}, 404, None),
        (MAIN, "999", {"message": "Hi"}, 404, None),
        (MAIN, "abc", {"message": "Hi"}, 404, None),
    ],
)
def test_invalid_booking_messages(
    c: TestClient, headers: dict[str, str], booking: str, body: Any, status: int, path: str | None
) -> None:
    booking_id = c.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    response = c.post(
        f"/v1/bookings/{booking_id if booking == 'mine' else booking}/messages", headers=headers, json=body
    )
    assert response.status_code == status
    if path:
        assert paths(response) == [path]
    else:
        assert error(response)["type"] == "not_found"
