"""GET /v1/listings on the Coliving reference server: order, filters, pages."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from apiconform.providers.coliving.store import Listing
from tests.reference.coliving.helpers import (
    DEFAULT_ORDER,
    HOST1_IDS,
    MAIN,
    OTHER,
    SECOND_STAMP,
    L,
    TestClient,
    error,
    listed,
    make,
    paths,
    server_of,
)


def test_list_default_order_and_item_shape(c: TestClient) -> None:
    items = listed(c)
    assert [item["id"] for item in items] == DEFAULT_ORDER
    first = items[0]
    assert list(first) == [
        "id",
        "unique_id",
        "original_id",
        "name",
        "listing_status",
        "updated_at",
        "room_types",
    ]
    assert re.fullmatch(r"[a-z0-9]{8}", first["unique_id"])
    assert SECOND_STAMP.fullmatch(first["updated_at"])
    assert first["room_types"] == [
        {
            "id": first["room_types"][0]["id"],
            "name": "Oak Room",
            "rooms": [{"id": first["room_types"][0]["rooms"][0]["id"], "name": "Oak 1"}],
        }
    ]
    statuses = {item["listing_status"] for item in items}
    assert statuses == {"draft", "pending", "published", "inactive"}
    assert len({item["updated_at"] for item in items}) == 18  # 121 and 122 share theirs
    assert [item["original_id"] for item in items if item["listing_status"] == "inactive"] == [
        "seed-h1-11",
        "seed-h1-07",
    ]
    assert all(
        1 <= len(item["room_types"]) <= 2 and all(rt["rooms"] for rt in item["room_types"][:1])
        for item in items
    )


def test_list_is_scoped_to_the_host(c: TestClient) -> None:
    assert {item["id"] for item in listed(c, OTHER)} == {113, 114, 115, 116}
    assert [item["id"] for item in listed(c, OTHER, q="Sunny Apartment")] == [113]
    assert [item["id"] for item in listed(c, q="Sunny Apartment")] == [101, 102]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sort": "id"}, sorted(HOST1_IDS)),
        ({"sort": "id", "order": "desc"}, sorted(HOST1_IDS, reverse=True)),
        ({"order": "desc"}, DEFAULT_ORDER),
        (
            {"sort": "name"},  # alpha Loft / Alpha Loft tie (case-insensitive): id asc
            [104, 110, 122, 121, 123, 109, 111, 117, 118, 119, 120, 108, 107, 112, 105, 106, 101, 102, 103],
        ),
        (
            {"sort": "name", "order": "desc"},
            [103, 102, 101, 106, 105, 112, 107, 108, 120, 119, 118, 117, 111, 109, 123, 121, 122, 110, 104],
        ),
        (
            {"sort": "updated_at"},  # 121 and 122 tie: id desc
            [123, 122, 121, 120, 117, 119, 118, *range(112, 100, -1)],
        ),
        ({"sort": "updated_at", "order": "asc"}, [*range(101, 113), 118, 119, 117, 120, 121, 122, 123]),
        (
            {"sort": "listing_status"},
            [103, 109, 110, 121, 105, 108, 112, 119, 120, 122, 101, 102, 104, 106, 117, 118, 123, 107, 111],
        ),
        (
            {"sort": "listing_status", "order": "desc"},
            [111, 107, 123, 118, 117, 106, 104, 102, 101, 122, 120, 119, 112, 108, 105, 121, 110, 109, 103],
        ),
    ],
)
def test_list_sorting(c: TestClient, params: dict[str, str], expected: list[int]) -> None:
    assert [item["id"] for item in listed(c, **params)] == expected


def test_default_order_breaks_name_ties_by_updated_at_desc_then_id() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)

    def row(listing_id: int, name: str, status: str, minutes: int) -> Listing:
        return Listing(listing_id, 1, "u", status, now + timedelta(minutes=minutes), {"name": name})

    rows = [
        row(1, "b", "pending", 0),
        row(2, "B", "pending", 5),
        row(3, "b", "pending", 5),
        row(4, "a", "published", 9),
        row(5, "z", "draft", 0),
    ]
    server_of(make()).listings.sort_listings(rows, None, None)
    assert [r.id for r in rows] == [5, 2, 3, 1, 4]
    rows = [row(1, "b", "pending", 9), row(2, "B", "pending", 0)]
    server_of(make()).listings.sort_listings(rows, None, None)
    assert [r.id for r in rows] == [1, 2]  # same name ignoring case: updated_at desc
    server_of(make(quirky=True)).listings.sort_listings(rows, None, None)
    assert [r.id for r in rows] == [2, 1]  # binary collation: "B" < "b"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("listing_status=published", {101, 102, 104, 106, 117, 118, 123}),
        ("listing_status=draft&listing_status=inactive", {103, 109, 110, 121, 107, 111}),
        (
            "listing_status[]=pending&listing_status[]=draft",
            {105, 108, 112, 119, 120, 122, 103, 109, 110, 121},
        ),
        ("listing_status=pending&listing_status[]=inactive", {105, 108, 112, 119, 120, 122, 107, 111}),
        ("q=sunny", {101, 102, 103}),
        ("q=SUNNY%20apart", {101, 102}),
        ("q=100%25", {104}),
        ("q=Room_Share", {105}),
        ("q=_", {105}),
        ("q=", HOST1_IDS),
        ("q=nothing-like-this", set()),
        ("q=sunny&listing_status=draft", {103}),
    ],
)
def test_list_filters(c: TestClient, query: str, expected: set[int]) -> None:
    response = c.get(f"{L}?{query}", headers=MAIN)
    assert response.status_code == 200
    assert {item["id"] for item in response.json()["data"]} == expected
    assert response.json()["meta"]["pagination"]["total"] == len(expected)


@pytest.mark.parametrize(
    ("params", "pagination", "ids"),
    [
        ({}, (1, 50, 19, 1, 1, 19), DEFAULT_ORDER),
        ({"per_page": 5}, (1, 5, 19, 4, 1, 5), DEFAULT_ORDER[:5]),
        ({"per_page": 5, "page": 3}, (3, 5, 19, 4, 11, 15), DEFAULT_ORDER[10:15]),
        ({"per_page": 5, "page": 4}, (4, 5, 19, 4, 16, 19), DEFAULT_ORDER[15:]),
        ({"per_page": 5, "page": 5}, (5, 5, 19, 4, None, None), []),
        ({"page": 99999999999999999999}, (99999999999999999999, 50, 19, 1, None, None), []),
        ({"per_page": 100, "page": 1}, (1, 100, 19, 1, 1, 19), DEFAULT_ORDER),
        ({"per_page": 19, "page": 1}, (1, 19, 19, 1, 1, 19), DEFAULT_ORDER),
        ({"q": "zzz"}, (1, 50, 0, 1, None, None), []),
    ],
)
def test_list_pagination(
    c: TestClient, params: dict[str, Any], pagination: tuple[Any, ...], ids: list[int]
) -> None:
    response = c.get(L, headers=MAIN, params=params)
    keys = ("current_page", "per_page", "total", "last_page", "from", "to")
    assert response.json()["meta"]["pagination"] == dict(zip(keys, pagination, strict=True))
    assert [item["id"] for item in response.json()["data"]] == ids


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=", "page"),
        ("page=%201", "page"),
        ("page=1&page=2", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=x", "per_page"),
        ("sort=foo", "sort"),
        ("sort=ID", "sort"),
        ("order=up", "order"),
        ("order=asc&order=desc", "order"),
        ("listing_status=foo", "listing_status"),
        ("listing_status=draft,published", "listing_status"),
        ("listing_status[]=foo", "listing_status"),
        ("listing_status=", "listing_status"),
        ("q=" + "a" * 256, "q"),
    ],
)
def test_invalid_list_queries_are_422(c: TestClient, query: str, path: str) -> None:
    response = c.get(f"{L}?{query}", headers=MAIN)
    assert response.status_code == 422
    assert error(response)["type"] == "validation_error"
    assert paths(response) == [path]
    assert c.get(L, headers=MAIN, params={"q": "a" * 255}).status_code == 200


def test_list_many_generated_listings_is_fast() -> None:
    c = make(extra_listings=10_000)
    response = c.get(L, headers=MAIN, params={"per_page": 100, "page": 101})
    assert response.json()["meta"]["pagination"] == {
        "current_page": 101,
        "per_page": 100,
        "total": 10_019,
        "last_page": 101,
        "from": 10_001,
        "to": 10_019,
    }
    assert {item["listing_status"] for item in listed(c, q="Generated Listing 0000")} == set(
        ["draft", "pending", "published", "inactive"]
    )
    started = time.perf_counter()
    for page in range(1, 21):
        assert c.get(L, headers=MAIN, params={"per_page": 100, "page": page}).status_code == 200
    assert time.perf_counter() - started < 5
    assert listed(c, q="Generated Listing 00001")[0]["name"] == "Generated Listing 00001"
