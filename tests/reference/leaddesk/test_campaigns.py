"""The LeadDesk server's campaigns (apiconform.providers.leaddesk.campaigns): create, PATCH replacing
and POST adding relations, the users and products sub-resources, invalid relations, detaching.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference.leaddesk.helpers import (
    JSON_UTF8,
    C,
    N,
    P,
    TestClient,
    ids,
    login,
    make,
    refs,
    related,
)


def test_campaign_create_and_patch(c: TestClient, auth: dict[str, str]) -> None:
    assert c.post(C, headers=auth, json={"name": "New"}).json() == {"id": 3}
    assert (related(c, 3, "products"), related(c, 3, "users")) == ([], [])
    assert c.post(C, headers=auth, json={"name": "Full", "users": refs(7, 7, 8)}).json() == {"id": 4}
    assert related(c, 4, "users") == [7, 8]
    assert c.post(C, headers=auth, json={}).json()["error_validation"] == {
        "name": ["The name field is required."]
    }
    response = c.patch(f"{C}/1", headers=auth, json={"products": refs(3)})
    assert (response.status_code, response.content) == (204, b"")
    assert (related(c, 1, "products"), related(c, 1, "users")) == ([3], [1, 2])  # users untouched
    c.patch(f"{C}/1", headers=auth, json={"name": "Renamed", "users": refs(9, 5, 9)})
    body = c.get(f"{C}/1", headers=auth).json()
    assert (body["name"], body["products"], body["users"]) == ("Renamed", refs(3), refs(9, 5))
    c.patch(f"{C}/1", headers=auth, json={"users": []})
    assert related(c, 1, "users") == []


def test_post_on_a_campaign_adds(c: TestClient, auth: dict[str, str]) -> None:
    for _ in range(2):  # the second POST re-adds attached products: a no-op
        response = c.post(f"{C}/1", headers=auth, json={"products": refs(3, 1), "name": "ignored"})
        assert (response.status_code, response.content) == (204, b"")
        assert related(c, 1, "products") == [1, 2, 3]
    c.post(f"{C}/1", headers=auth, json={"users": refs(4)})
    body = c.get(f"{C}/1", headers=auth).json()
    assert (body["name"], body["users"]) == ("Spring outbound", refs(1, 2, 4))
    assert c.post(f"{C}/1", headers=auth, json={}).status_code == 204


@pytest.mark.parametrize("relation", ["users", "products"])
def test_subresources(c: TestClient, auth: dict[str, str], relation: str) -> None:
    path = f"{C}/1/{relation}"
    listed = c.get(path, headers=auth)
    assert (listed.status_code, listed.json()) == (200, refs(1, 2))
    assert listed.headers["content-type"] == JSON_UTF8
    response = c.patch(path, headers=auth, json=refs(5))
    assert (response.status_code, response.content) == (204, b"")
    assert c.get(path, headers=auth).json() == refs(5) and related(c, 1, relation) == [5]
    parent = make()
    parent_auth = login(parent)
    parent.patch(f"{C}/1", headers=parent_auth, json={relation: refs(5)})
    assert parent.get(f"{C}/1", headers=parent_auth).json() == c.get(f"{C}/1", headers=auth).json()
    assert c.post(path, headers=auth, json=refs(4, 5)).status_code == 204
    assert related(c, 1, relation) == [5, 4]


INVALID_RELATIONS = [
    ("PATCH", f"{C}/1", {"products": refs(99)}, {"products": ["The selected products.0.id is invalid."]}),
    ("POST", f"{C}/1", {"users": refs(1, N + 1)}, {"users": ["The selected users.1.id is invalid."]}),
    ("PATCH", f"{C}/1", {"users": "1"}, {"users": ["The users must be an array."]}),
    ("PATCH", f"{C}/1", {"users": [{"id": "1"}]}, {"users": ["The users.0.id must be an integer."]}),
    ("PATCH", f"{C}/1", {"users": [1]}, {"users": ["The users.0.id must be an integer."]}),
    ("PATCH", f"{C}/1", {"name": "", "users": None}, None),
    ("POST", C, {"name": "x", "products": refs(6)}, {"products": ["The selected products.0.id is invalid."]}),
    ("PATCH", f"{C}/1/users", {"id": 1}, {"users": ["The users must be an array."]}),
    ("POST", f"{C}/1/products", [*refs(1), {}], {"products": ["The products.1.id must be an integer."]}),
]


@pytest.mark.parametrize(("method", "path", "body", "problems"), INVALID_RELATIONS)
def test_invalid_relations_are_422(
    c: TestClient, auth: dict[str, str], method: str, path: str, body: Any, problems: Any
) -> None:
    response = c.request(method, path, headers=auth, json=body)
    assert (response.status_code, response.json()["error"]) == (422, "validation_failed")
    if problems is not None:
        assert response.json()["error_validation"] == problems
    assert (related(c, 1, "products"), related(c, 1, "users")) == ([1, 2], [1, 2])
    assert ids(c.get(C, headers=auth)) == [1, 2]


def test_deleting_a_product_detaches_it(c: TestClient, auth: dict[str, str]) -> None:
    assert c.delete(f"{P}/1", headers=auth).status_code == 204
    assert related(c, 1, "products") == [2]
    assert c.post(f"{C}/1", headers=auth, json={"products": refs(1)}).status_code == 422
