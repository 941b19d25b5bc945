"""Idempotency-Key on the Coliving reference server."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.reference.coliving.helpers import (
    MAIN,
    OTHER,
    L,
    TestClient,
    booking_body,
    error,
    listing_body,
    paths,
    server_of,
    user_body,
)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/users", user_body(email="idem@example.com")),
        ("/v1/bookings", booking_body()),
        (L, listing_body("idem-1")),
    ],
)
def test_idempotent_replay(c: TestClient, path: str, body: dict[str, Any]) -> None:
    headers = {**MAIN, "Idempotency-Key": "op-1"}
    first = c.post(path, headers=headers, json=body)
    assert first.status_code == 201
    reordered = dict(reversed(list(body.items())))
    replay = c.post(path, headers={**headers, "X-Request-Id": "retry-1"}, json=reordered)
    assert (replay.status_code, replay.json()["data"]) == (201, first.json()["data"])
    assert replay.json()["meta"]["request_id"] == replay.headers["x-request-id"] == "retry-1"
    mismatch = c.post(path, headers=headers, json={**body, "extra": 1})
    assert (mismatch.status_code, error(mismatch)["type"]) == (409, "idempotency_key_mismatch")
    other_key = c.post(path, headers={**OTHER, "Idempotency-Key": "op-1"}, json=body)
    assert other_key.status_code != 409  # cached per API key
    store = server_of(c).store
    assert (len(store.users), len(store.bookings)) == (
        (3, 0) if path == "/v1/users" else (2, 1) if "book" in path else (2, 0)
    )


def test_idempotency_compares_json_values(c: TestClient) -> None:
    headers = {**MAIN, "Idempotency-Key": "op-2"}
    assert c.post(L, headers=headers, json=listing_body("idem-2", bedrooms=1)).status_code == 201
    assert c.post(L, headers=headers, json=listing_body("idem-2", bedrooms=1.0)).status_code == 409
    assert c.post(L, headers=headers, json=listing_body("idem-2", bedrooms=True)).status_code == 409


def test_failures_are_not_cached_and_keys_are_checked(c: TestClient) -> None:
    headers = {**MAIN, "Idempotency-Key": "op-3"}
    assert c.post("/v1/users", headers=headers, json=user_body(email=...)).status_code == 422
    assert c.post("/v1/users", headers=headers, json=user_body()).status_code == 201
    long = c.post("/v1/users", headers={**MAIN, "Idempotency-Key": "k" * 256}, json=user_body())
    assert (long.status_code, paths(long)) == (422, ["Idempotency-Key"])
    assert (
        c.post("/v1/users", headers={**MAIN, "Idempotency-Key": "k" * 255}, json=user_body()).status_code
        == 201
    )
    empty = c.post("/v1/users", headers={**MAIN, "Idempotency-Key": ""}, json=user_body())
    assert (empty.status_code, paths(empty)) == (422, ["Idempotency-Key"])
    same_key_other_route = c.post("/v1/bookings", headers=headers, json=booking_body())
    assert same_key_other_route.status_code == 201


def test_idempotency_entries_expire(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    headers = {**MAIN, "Idempotency-Key": "op-4"}
    assert c.post(L, headers=headers, json=listing_body("idem-4")).status_code == 201
    for entry in server_of(c).store.idempotency.values():
        entry.expires_at = time.monotonic() - 1
    assert c.post(L, headers=headers, json=listing_body("idem-4", name="Other")).status_code == 200
