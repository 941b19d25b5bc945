"""The Spaces server's customers: the seed data and single reads."""

from __future__ import annotations

from tests.reference.spaces.helpers import COUNT, CUSTOMER_KEYS, ID_RE, L, TestClient, get, make, order


def test_seed_customers(c: TestClient) -> None:
    first = get(c, limit=100).json()["data"]
    items = first + get(c, limit=100, starting_after=first[-1]["id"]).json()["data"]
    assert len(items) == COUNT
    assert all(list(item) == CUSTOMER_KEYS for item in items)
    assert all(ID_RE.fullmatch(item["id"]) for item in items)
    assert len({item["id"] for item in items}) == COUNT
    assert all(item["object"] == "customer" and item["metadata"] == {} for item in items)
    assert all(isinstance(item["created"], int) and "@" in item["email"] and item["name"] for item in items)
    keys = [(item["created"], item["id"]) for item in items]
    assert keys == sorted(keys)  # created, then id
    created = [item["created"] for item in items]
    assert len(created) - len(set(created)) == 2  # two pairs share created
    assert order() != sorted(order())  # ids are not sortable in list order


def test_seed_is_deterministic() -> None:
    assert get(make(), limit=100).json() == get(make(), limit=100).json()


def test_get_customer(c: TestClient) -> None:
    listed = get(c, limit=100).json()["data"]
    for item in (listed[0], listed[-1], get(c, limit=1, starting_before=order()[-1]).json()["data"][0]):
        response = get(c, f"{L}/{item['id']}")
        assert response.status_code == 200 and response.json() == item


def test_unknown_customer_is_404(c: TestClient) -> None:
    response = get(c, f"{L}/cus_nope")
    assert response.status_code == 404
    assert response.json() == {"message": "No such customer: cus_nope"}
