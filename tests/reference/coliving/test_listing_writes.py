"""POST /v1/listings (upsert) and PATCH /v1/listings/{id} on the Coliving reference server."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.reference.coliving.helpers import (
    HOST1_IDS,
    MAIN,
    OTHER,
    SECOND_STAMP,
    UPSERT_KEYS,
    L,
    TestClient,
    error,
    listed,
    listing,
    listing_body,
    room_type,
    server_of,
)

# --- POST /v1/listings: the upsert ------------------------------------------------------------


def test_upsert_creates(c: TestClient) -> None:
    response = c.post(L, headers=MAIN, json=listing_body("partner-1", name="New Place"))
    assert response.status_code == 201
    data = response.json()["data"]
    assert list(data) == UPSERT_KEYS
    assert (data["original_id"], data["name"], data["listing_status"], data["action"]) == (
        "partner-1",
        "New Place",
        "pending",
        "created",
    )
    assert data["room_types_count"] == 1
    assert data["match"] == {"matched": False, "method": None, "confidence": {"level": None, "score": None}}
    assert re.fullmatch(r"[a-z0-9]{8}", data["unique_id"])
    assert data["links"] == {"preview": f"https://coliving.com/spaces/{data['unique_id']}?preview=true"}
    assert SECOND_STAMP.fullmatch(data["updated_at"])
    item = listing(c, data["id"])
    assert item is not None and item["room_types"][0]["name"] == "Private room"
    assert isinstance(item["room_types"][0]["id"], int) and isinstance(
        item["room_types"][0]["rooms"][0]["id"], int
    )
    assert listing(c, data["id"], OTHER) is None


def test_upsert_without_original_id_always_creates(c: TestClient) -> None:
    first = c.post(L, headers=MAIN, json=listing_body())
    second = c.post(L, headers=MAIN, json=listing_body())
    assert first.status_code == second.status_code == 201
    assert first.json()["data"]["id"] != second.json()["data"]["id"]
    assert first.json()["data"]["original_id"] is None


def test_upsert_updates_the_matched_listing(c: TestClient) -> None:
    created = c.post(L, headers=MAIN, json=listing_body("partner-2", name="Before")).json()["data"]
    room_type_id = listing(c, created["id"])["room_types"][0]["id"]  # type: ignore[index]
    body = listing_body("partner-2", name="After", status="published")
    response = c.post(L, headers=MAIN, json=body)
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["id"], data["name"], data["action"], data["listing_status"]) == (
        created["id"],
        "After",
        "updated",
        "pending",
    )
    assert data["match"] == {
        "matched": True,
        "method": "original_id",
        "confidence": {"level": "high", "score": 0.92},
    }
    item = listing(c, created["id"])
    assert item is not None and item["name"] == "After" and item["room_types"][0]["id"] == room_type_id
    again = c.post(L, headers=MAIN, json=body).json()["data"]
    assert (again["action"], again["updated_at"]) == ("unchanged", data["updated_at"])
    seed = c.post(L, headers=MAIN, json=listing_body("seed-h1-01", name="Sunny Apartment Renamed")).json()[
        "data"
    ]
    assert (seed["id"], seed["listing_status"], seed["action"]) == (101, "published", "updated")


def test_upsert_of_an_inactive_match_is_409(c: TestClient) -> None:
    before = listing(c, 107)
    response = c.post(L, headers=MAIN, json=listing_body("seed-h1-07", name="Revived"))
    assert response.status_code == 409
    assert error(response) == {
        "type": "conflict_error",
        "message": "A listing with this external identity already exists for this host but is inactive.",
        "request_id": response.headers["x-request-id"],
        "errors": [
            {"path": "action", "code": "conflict", "message": "skipped"},
            {"path": "listing_id", "code": "conflict", "message": "107"},
            {"path": "match.matched", "code": "conflict", "message": "true"},
            {"path": "match.method", "code": "conflict", "message": "original_id"},
            {"path": "match.confidence.level", "code": "conflict", "message": "high"},
            {"path": "match.confidence.score", "code": "conflict", "message": "0.92"},
        ],
    }
    assert listing(c, 107) == before


def test_upsert_of_another_hosts_original_id_creates_a_separate_listing(c: TestClient) -> None:
    response = c.post(L, headers=OTHER, json=listing_body("seed-h1-01", name="Host Two Copy"))
    assert response.status_code == 201
    assert response.json()["data"]["id"] not in HOST1_IDS
    assert listing(c, 101)["name"] == "Sunny Apartment"  # type: ignore[index]
    assert (
        c.post(L, headers=OTHER, json=listing_body("seed-h1-01", name="Copy 2")).json()["data"]["action"]
        == "updated"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (listing_body(name=...), [("name", "required", "The name field is required.")]),
        (listing_body(name=None), [("name", "required", "The name field is required.")]),
        (listing_body(name="   "), [("name", "required", "The name field is required.")]),
        (listing_body(name=5), [("name", "invalid", "The name field must be a string.")]),
        (listing_body(room_types=...), [("room_types", "required", "The room types field is required.")]),
        (listing_body(room_types=[]), [("room_types", "min", "At least one room type entry is required.")]),
        (listing_body(room_types={}), [("room_types", "invalid", "The room types field must be an array.")]),
        (listing_body(room_types=["x"]), [("room_types.0", "invalid", "Each room type must be an object.")]),
        (
            listing_body(room_types=[room_type(kind="suite")]),
            [("room_types.0.room_type", "invalid", "The room_type must be one of: private, shared.")],
        ),
        (
            listing_body(room_types=[room_type(), room_type(kind=None)]),
            [("room_types.1.room_type", "required", "The room_type field is required.")],
        ),
        (
            listing_body(room_types=[room_type(base_price=0)]),
            [("room_types.0.prices.base_price", "min", "The base price must be at least 1.")],
        ),
        (
            listing_body(room_types=[room_type(base_price=-5)]),
            [("room_types.0.prices.base_price", "min", "The base price must be at least 1.")],
        ),
        (
            listing_body(room_types=[room_type(base_price="900")]),
            [("room_types.0.prices.base_price", "invalid", "The base price must be an integer.")],
        ),
        (
            listing_body(room_types=[room_type(base_price=900.5)]),
            [("room_types.0.prices.base_price", "invalid", "The base price must be an integer.")],
        ),
        (
            listing_body(room_types=[room_type(base_price=None)]),
            [("room_types.0.prices.base_price", "required", "The base price field is required.")],
        ),
        (
            listing_body(room_types=[{"name": "x", "room_type": "shared"}]),
            [("room_types.0.prices.base_price", "required", "The base price field is required.")],
        ),
        (
            listing_body(room_types=[room_type(name="")]),
            [("room_types.0.name", "invalid", "The room type name must be a non-empty string.")],
        ),
        (
            listing_body(room_types=[room_type(rooms="x")]),
            [("room_types.0.rooms", "invalid", "The rooms field must be an array.")],
        ),
        (
            listing_body(room_types=[room_type(rooms=[{"name": 3}])]),
            [("room_types.0.rooms.0.name", "invalid", "The room name must be a string.")],
        ),
        (
            listing_body(original_id=""),
            [("original_id", "invalid", "The original_id field must be a string of 1-255 characters.")],
        ),
        (
            listing_body(name=..., room_types=[]),
            [
                ("name", "required", "The name field is required."),
                ("room_types", "min", "At least one room type entry is required."),
            ],
        ),
    ],
)
def test_invalid_upserts_are_422(
    c: TestClient, body: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    response = c.post(L, headers=MAIN, json=body)
    assert response.status_code == 422
    assert error(response)["type"] == "validation_error"
    assert [(i["path"], i["code"], i["message"]) for i in error(response)["errors"]] == expected
    assert len(listed(c)) == 19


def test_upsert_stores_unknown_fields_and_rooms_without_names(c: TestClient) -> None:
    body = listing_body("partner-3", room_types=[room_type(rooms=[{"id": 1}, {}])], faq=[{"question": "?"}])
    data = c.post(L, headers=MAIN, json=body).json()["data"]
    assert server_of(c).store.listings[data["id"]].fields["faq"] == [{"question": "?"}]
    assert [room["name"] for room in listing(c, data["id"])["room_types"][0]["rooms"]] == ["Room 1", "Room 2"]  # type: ignore[index]


# --- PATCH /v1/listings/{id} -------------------------------------------------------------------


def test_patch_changes_only_the_sent_fields(c: TestClient) -> None:
    before = listing(c, 101)
    assert before is not None
    response = c.patch(
        f"{L}/101", headers=MAIN, json={"name": "Sunny Apartment II", "bookings": {"stay_min": 3}}
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == UPSERT_KEYS
    assert (data["id"], data["name"], data["action"], data["listing_status"]) == (
        101,
        "Sunny Apartment II",
        "updated",
        "published",
    )
    assert data["match"] == {"matched": True, "method": "id", "confidence": {"level": "high", "score": 0.99}}
    assert data["updated_at"] > before["updated_at"]
    after = listing(c, 101)
    assert after == {**before, "name": "Sunny Apartment II", "updated_at": data["updated_at"]}
    fields = server_of(c).store.listings[101].fields
    assert fields["bookings"] == {"stay_min": 3} and fields["location"]["city"] == "San Francisco"


def test_patch_status_room_types_and_unchanged(c: TestClient) -> None:
    response = c.patch(f"{L}/103", headers=MAIN, json={"status": "published"})
    assert response.json()["data"]["listing_status"] == "published"
    assert listing(c, 103)["listing_status"] == "published"  # type: ignore[index]
    same = c.patch(f"{L}/103", headers=MAIN, json={"status": "published", "name": "Sunny Side Loft"})
    assert (same.status_code, same.json()["data"]["action"]) == (200, "unchanged")
    assert same.json()["data"]["updated_at"] == response.json()["data"]["updated_at"]
    assert c.patch(f"{L}/103", headers=MAIN, json={}).json()["data"]["action"] == "unchanged"
    rooms = c.patch(f"{L}/103", headers=MAIN, json={"room_types": [room_type("A"), room_type("B", "shared")]})
    assert rooms.json()["data"]["room_types_count"] == 2
    assert [rt["name"] for rt in listing(c, 103)["room_types"]] == ["A", "B"]  # type: ignore[index]


def test_patch_null_clears_nullable_fields(c: TestClient) -> None:
    response = c.patch(f"{L}/101", headers=MAIN, json={"location": None, "original_id": None})
    assert response.json()["data"]["action"] == "updated"
    assert "location" not in server_of(c).store.listings[101].fields
    assert listing(c, 101)["original_id"] is None  # type: ignore[index]
    assert c.post(L, headers=MAIN, json=listing_body("seed-h1-01")).status_code == 201


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"name": None}, [("name", "invalid", "The name field cannot be null.")]),
        ({"name": ""}, [("name", "required", "The name field is required.")]),
        (
            {"status": None},
            [("status", "invalid", "The status field must be one of: draft, pending, published, inactive.")],
        ),
        (
            {"status": "live"},
            [("status", "invalid", "The status field must be one of: draft, pending, published, inactive.")],
        ),
        ({"room_types": None}, [("room_types", "invalid", "The room types field cannot be null.")]),
        ({"room_types": []}, [("room_types", "min", "At least one room type entry is required.")]),
        (
            {"room_types": [room_type(name=None)]},
            [("room_types.0.name", "invalid", "The room type name field cannot be null.")],
        ),
        (
            {"room_types": [{"name": "x", "room_type": "private", "prices": None}]},
            [("room_types.0.prices.base_price", "invalid", "The base price field cannot be null.")],
        ),
        (
            {"room_types": [room_type(base_price=None)]},
            [("room_types.0.prices.base_price", "invalid", "The base price field cannot be null.")],
        ),
        (
            {"room_types": [{"name": "x", "room_type": "private"}]},
            [("room_types.0.prices.base_price", "required", "The base price field is required.")],
        ),
        (
            {"original_id": "seed-h1-02"},
            [("original_id", "taken", "Another listing of this host already has this original_id.")],
        ),
        (
            {"name": None, "status": "x"},
            [
                ("name", "invalid", "The name field cannot be null."),
                (
                    "status",
                    "invalid",
                    "The status field must be one of: draft, pending, published, inactive.",
                ),
            ],
        ),
    ],
)
def test_invalid_patches_are_422_and_change_nothing(
    c: TestClient, body: Any, expected: list[tuple[str, ...]]
) -> None:
    before = listing(c, 101)
    response = c.patch(f"{L}/101", headers=MAIN, json=body)
    assert response.status_code == 422
    assert [(i["path"], i["code"], i["message"]) for i in error(response)["errors"]] == expected
    assert listing(c, 101) == before


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (f"{L}/999999999", MAIN),
        (f"{L}/abc", MAIN),
        (f"{L}/-1", MAIN),
        (f"{L}/113", MAIN),
        (f"{L}/101", OTHER),
        (f"{L}/1" + "0" * 30, MAIN),
    ],
)
def test_patch_of_unknown_or_foreign_listing_is_404(
    c: TestClient, path: str, headers: dict[str, str]
) -> None:
    response = c.patch(path, headers=headers, json={"name": "Taken over"})
    assert response.status_code == 404
    err = error(response)
    assert (err["type"], err["message"], err["errors"]) == (
        "not_found",
        "Listing not found or unauthorized",
        [],
    )
    assert listing(c, 101)["name"] == "Sunny Apartment"  # type: ignore[index]
    assert listing(c, 113, OTHER)["name"] == "Sunny Apartment"  # type: ignore[index]


def test_room_type_ids_are_stable_across_updates(c: TestClient) -> None:
    ids = [rt["id"] for rt in listing(c, 101)["room_types"]]  # type: ignore[index]
    raw = server_of(c).store.listings[101].fields["room_types"]
    c.patch(
        f"{L}/101",
        headers=MAIN,
        json={"room_types": [raw[1], {**raw[0], "name": "Renamed"}, room_type("New")]},
    )
    new_ids = [rt["id"] for rt in listing(c, 101)["room_types"]]  # type: ignore[index]
    assert new_ids[:2] == [ids[1], ids[0]] and new_ids[2] not in ids
