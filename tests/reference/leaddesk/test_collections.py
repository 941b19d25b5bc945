"""The LeadDesk server's collections (apiconform.providers.leaddesk.paging): pages, links, totals,
walks, and the validation of page and per_page.
"""

from __future__ import annotations

import re

import pytest

from tests.reference.leaddesk.helpers import (
    ROOT,
    USERS,
    C,
    N,
    P,
    S,
    TestClient,
    U,
    ids,
    schema_errors,
    walk,
)


def test_default_page(c: TestClient, auth: dict[str, str]) -> None:
    response = c.get(U, headers=auth)
    body = response.json()
    assert list(body) == ["collection", "_links", "_meta"]
    assert ids(response) == USERS[:25]
    assert body["_meta"] == {"total": N}
    assert body["_links"] == {
        "self": f"{ROOT}/users?page=1&per_page=25",
        "next": f"{ROOT}/users?page=2&per_page=25",
    }
    assert schema_errors("users-collection", body) == []


@pytest.mark.parametrize(
    ("query", "expected", "prev", "next_"),
    [
        ("page=2", USERS[25:50], 1, 3),
        ("page=5", USERS[100:], 4, None),
        ("page=2&per_page=7", USERS[7:14], 1, 3),
        ("per_page=500", USERS, None, None),
        (f"per_page={N}", USERS, None, None),
        (f"per_page={N - 1}", USERS[: N - 1], None, 2),
        (f"page=2&per_page={N - 1}", [N], 1, None),
        ("page=6", [], 5, None),
        (f"page=9&per_page={N}", [], 8, None),
        ("page=1000000000000000000000000", [], 10**12 - 1, None),
        ("page=002&per_page=%2B007", USERS[7:14], 1, 3),
    ],
)
def test_pages(
    c: TestClient, auth: dict[str, str], query: str, expected: list[int], prev: int | None, next_: int | None
) -> None:
    response = c.get(f"{U}?{query}", headers=auth)
    body = response.json()
    assert ids(response) == expected
    assert body["_meta"]["total"] == N
    links = body["_links"]
    per_page = re.search(r"per_page=([^&]+)", links["self"])
    assert per_page is not None
    for name, page in (("prev", prev), ("next", next_)):
        if page is None:
            assert name not in links
        else:
            assert links[name] == f"{ROOT}/users?page={page}&per_page={per_page.group(1)}"


@pytest.mark.parametrize("per_page", [1, 7, 25, 30, N - 1, N, N + 1, 500])
def test_walks_yield_every_object_once(c: TestClient, auth: dict[str, str], per_page: int) -> None:
    pages = walk(c, auth, per_page)
    assert [item["id"] for page in pages for item in page["collection"]] == USERS
    assert len(pages) == -(-N // per_page)
    for number, page in enumerate(pages, start=1):
        assert page["_links"]["self"] == f"{ROOT}/users?page={number}&per_page={per_page}"
        assert ("prev" in page["_links"]) == (number > 1)
        assert len(page["collection"]) == min(per_page, N - (number - 1) * per_page)


def test_every_collection(c: TestClient, auth: dict[str, str]) -> None:
    products = c.get(P, headers=auth).json()
    campaigns = c.get(C, headers=auth).json()
    assert [p["id"] for p in products["collection"]] == [1, 2, 3, 4, 5] and products["_meta"]["total"] == 5
    assert [p["id"] for p in campaigns["collection"]] == [1, 2] and campaigns["_meta"]["total"] == 2
    assert products["_links"] == {"self": f"{ROOT}/products?page=1&per_page=25"}
    for kind, body in (("products", products), ("campaigns", campaigns)):
        assert schema_errors("collection", body) == []
        for item in body["collection"]:
            assert item == c.get(f"{S}/{kind}/{item['id']}", headers=auth).json()


INVALID_PAGES = [
    ("page=0", "page", "The page must be at least 1."),
    ("page=-1", "page", "The page must be at least 1."),
    ("page=x", "page", "The page must be an integer."),
    ("page=1.5", "page", "The page must be an integer."),
    ("page=", "page", "The page must be an integer."),
    ("page=%201", "page", "The page must be an integer."),
    ("per_page=0", "per_page", "The per page must be at least 1."),
    ("per_page=501", "per_page", "The per page may not be greater than 500."),
    ("per_page=99999999999999999999", "per_page", "The per page may not be greater than 500."),
    ("per_page=ten", "per_page", "The per page must be an integer."),
]


@pytest.mark.parametrize(("query", "name", "message"), INVALID_PAGES)
def test_invalid_page_parameters_are_422(
    c: TestClient, auth: dict[str, str], query: str, name: str, message: str
) -> None:
    response = c.get(f"{U}?{query}", headers=auth)
    assert response.status_code == 422
    assert response.json() == {
        "error": "validation_failed",
        "error_description": "Parameter validation failed",
        "error_validation": {name: [message]},
    }
    assert schema_errors("error", response.json()) == []


def test_both_invalid_parameters_are_named(c: TestClient, auth: dict[str, str]) -> None:
    body = c.get(f"{P}?page=0&per_page=x", headers=auth).json()
    assert body["error_validation"] == {
        "page": ["The page must be at least 1."],
        "per_page": ["The per page must be an integer."],
    }
