"""The Spaces server's quirky variant: conformant, but lenient and different where the document is
silent."""

from __future__ import annotations

import pytest

from tests.reference.spaces.helpers import (
    AUTH,
    COUNT,
    HSTS,
    L,
    TestClient,
    get,
    make,
    order,
    page,
    walk,
)


@pytest.fixture
def q() -> TestClient:
    return make(quirky=True)


def test_quirky_ids_extras_and_order(q: TestClient) -> None:
    body = get(q, limit=100).json()
    assert body["url"] == L and body["total_count"] == COUNT and body["has_more"] is True
    items = body["data"] + get(q, limit=100, starting_after=body["data"][-1]["id"]).json()["data"]
    assert sorted(item["id"] for item in items) == list(range(1, COUNT + 1))
    assert all(item["livemode"] is False for item in items)
    keys = [(item["created"], item["id"]) for item in items]
    assert keys == sorted(keys, reverse=True)  # created, then id, descending
    assert order(True) != sorted(order(True), reverse=True) and order(True) != sorted(order(True))
    assert get(q, f"{L}/{items[0]['id']}").json() == items[0]


@pytest.mark.parametrize("limit", [1, 5, 20, 46])
def test_quirky_walks(q: TestClient, limit: int) -> None:
    full = order(True)
    assert [i for found, _ in walk(q, "after", limit) for i in found] == full
    pages = walk(q, "before", limit, start=full[-1])
    end = COUNT - 1
    for found, has_more in pages:  # nearest first
        assert found == full[max(0, end - limit) : end][::-1]
        end -= len(found)
        assert has_more is (end > 0)
    assert end == 0


def test_quirky_errors(q: TestClient) -> None:
    full = order(True)
    for name in ("starting_after", "starting_before"):
        response = q.get(L, headers=AUTH, params={name: "999"})
        assert response.status_code == 404 and response.json() == {"error": "not_found"}
    assert page(q, limit=3, starting_after=full[0], starting_before=full[5]) == (full[1:4], True)
    assert page(q, limit=0) == (full[:1], True)
    assert page(q, limit=101) == (full[:100], True)
    assert page(q, limit=-5) == (full[:1], True)
    response = get(q, limit="ten")
    assert response.status_code == 400 and response.json() == {"error": {"message": "invalid limit"}}
    unauthenticated = get(q, headers={})
    assert unauthenticated.status_code == 401 and "www-authenticate" not in unauthenticated.headers
    assert unauthenticated.json() == {"message": "You did not provide an API key."}
    assert get(q, f"{L}/999").json() == {"message": "Customer 999 does not exist."}
    assert get(q, "/api/v1/nope").json() == {"message": "No route matches GET /api/v1/nope."}
    assert get(q).headers["strict-transport-security"] == HSTS
