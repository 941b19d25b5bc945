"""The Spaces server's list: its shape, limit, forward and backward cursor walks at several limits
(each object exactly once, exact has_more), and the errors of limit and the cursors."""

from __future__ import annotations

import itertools

import pytest

from tests.reference.spaces.helpers import AUTH, COUNT, L, TestClient, get, order, page, walk


def test_default_page(c: TestClient) -> None:
    body = get(c).json()
    assert list(body) == ["object", "data", "has_more"]
    assert body["object"] == "list" and body["has_more"] is True
    assert [item["id"] for item in body["data"]] == order()[:20]


@pytest.mark.parametrize(("limit", "expected"), [("1", 1), ("20", 20), ("46", 46), ("100", 100), ("007", 7)])
def test_limit_is_honoured(c: TestClient, limit: str, expected: int) -> None:
    found, has_more = page(c, limit=limit)
    assert found == order()[:expected]
    assert has_more is (expected < COUNT)


@pytest.mark.parametrize("limit", [1, 2, 5, 16, 20, 23, 46, 47, 100])
def test_forward_walk_visits_every_object_once(c: TestClient, limit: int) -> None:
    pages = walk(c, "after", limit)
    assert [i for found, _ in pages for i in found] == order()
    assert [has_more for _, has_more in pages] == [True] * (len(pages) - 1) + [False]
    assert all(len(found) == limit for found, _ in pages[:-1])
    assert 1 <= len(pages[-1][0]) <= limit  # no empty trailing page
    assert len(pages) == -(-COUNT // limit)


@pytest.mark.parametrize("limit", [1, 2, 5, 16, 20, 23, 45, 46, 47, 100])
def test_backward_walk_visits_every_earlier_object_once(c: TestClient, limit: int) -> None:
    full = order()
    pages = walk(c, "before", limit, start=full[-1])
    end = COUNT - 1
    for found, has_more in pages:  # each page: the objects just before its cursor, in list order
        assert found == full[max(0, end - limit) : end]
        end -= len(found)
        assert has_more is (end > 0)
    assert end == 0
    assert len(pages) == -(-(COUNT - 1) // limit)


def test_pages_around_a_cursor(c: TestClient) -> None:
    full = order()
    assert page(c, limit=3, starting_after=full[10]) == (full[11:14], True)
    assert page(c, limit=3, starting_before=full[10]) == (full[7:10], True)
    assert page(c, limit=3, starting_after=full[-2]) == (full[-1:], False)
    assert page(c, limit=3, starting_after=full[-1]) == ([], False)
    assert page(c, limit=3, starting_before=full[1]) == (full[:1], False)
    assert page(c, limit=3, starting_before=full[0]) == ([], False)
    assert page(c, limit=10, starting_before=full[10]) == (full[:10], False)


def test_ties_in_created_are_broken_by_id(c: TestClient) -> None:
    items = get(c, limit=100).json()["data"]
    tied = [(a["id"], b["id"]) for a, b in itertools.pairwise(items) if a["created"] == b["created"]]
    assert len(tied) == 2 and all(a < b for a, b in tied)
    # a page boundary inside a tie still yields each object once
    first, second = order().index(tied[0][0]), order().index(tied[0][1])
    assert page(c, limit=1, starting_after=order()[first])[0] == [order()[second]]


def test_unknown_query_parameters_are_ignored(c: TestClient) -> None:
    assert page(c, limit=5, expand="x", email="a@b.c") == (order()[:5], True)


# --- parameter errors -------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "101", "-5", "-0", "99999999999999999999"])
def test_out_of_range_limit_is_400(c: TestClient, limit: str) -> None:
    response = get(c, limit=limit)
    assert response.status_code == 400
    assert response.json() == {"message": "limit must be between 1 and 100"}


@pytest.mark.parametrize("limit", ["ten", "1.5", "", " 5", "5 ", "1e2", "0x10", "٥"])
def test_malformed_limit_is_400(c: TestClient, limit: str) -> None:
    response = get(c, limit=limit)
    assert response.status_code == 400
    assert response.json() == {"message": "limit must be an integer"}


@pytest.mark.parametrize("name", ["starting_after", "starting_before"])
@pytest.mark.parametrize("cursor", ["cus_nope", "", "1"])
def test_unknown_cursor_is_400(c: TestClient, name: str, cursor: str) -> None:
    response = c.get(L, headers=AUTH, params={name: cursor})
    assert response.status_code == 400
    assert response.json() == {"message": f"No such object: {cursor}"}


def test_both_cursors_are_400(c: TestClient) -> None:
    response = get(c, starting_after=order()[0], starting_before=order()[5])
    assert response.status_code == 400
    assert response.json() == {"message": "starting_after and starting_before cannot be used together"}


def test_limit_is_checked_before_cursors(c: TestClient) -> None:
    response = get(c, limit=0, starting_after="cus_nope", starting_before="cus_nope")
    assert response.json() == {"message": "limit must be between 1 and 100"}
