"""The LeadDesk server's users and agents (apiconform.providers.leaddesk.users): the seed, create and
delete, the agents collection.
"""

from __future__ import annotations

from tests.reference.leaddesk.helpers import (
    ISO,
    ROOT,
    USERS,
    C,
    N,
    S,
    TestClient,
    U,
    login,
    make,
    refs,
    related,
)


def test_seed_users(c: TestClient, auth: dict[str, str]) -> None:
    users = c.get(f"{U}?per_page=500", headers=auth).json()["collection"]
    assert [u["username"] for u in users] == [f"user-{n:02d}" for n in USERS]
    assert all(ISO.fullmatch(u["created_at"]) for u in users)
    assert sorted(u["created_at"] for u in users) == [u["created_at"] for u in users]
    other = make()
    assert users == other.get(f"{U}?per_page=500", headers=login(other)).json()["collection"]


def test_user_lifecycle(c: TestClient, auth: dict[str, str]) -> None:
    """POST /users {username} and DELETE /users/{id}, as the document's examples show them."""
    created = c.post(U, headers=auth, json={"username": "example"})
    assert (created.status_code, created.json()) == (200, {"id": N + 1})
    assert c.get(f"{U}/{N + 1}", headers=auth).json()["username"] == "example"
    taken = c.post(U, headers=auth, json={"username": "example"})
    assert (taken.status_code, taken.json()["error_validation"]) == (
        422,
        {"username": ["The username has already been taken."]},
    )
    assert c.post(U, headers=auth, json={}).json()["error_validation"] == {
        "username": ["The username field is required."]
    }
    assert c.patch(f"{C}/1", headers=auth, json={"users": refs(1, N + 1)}).status_code == 204
    deleted = c.delete(f"{U}/{N + 1}", headers=auth)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert related(c, 1, "users") == [1]  # detached from the campaign
    assert c.get(f"{U}/{N + 1}", headers=auth).status_code == 404
    assert c.delete(f"{U}/{N + 1}", headers=auth).status_code == 404
    assert c.post(U, headers=auth, json={"username": "next"}).json() == {"id": N + 2}  # never reused


def test_agents_list_the_users(c: TestClient, auth: dict[str, str]) -> None:
    body = c.get(f"{S}/agents?per_page=10&page=2", headers=auth).json()
    assert [u["id"] for u in body["collection"]] == USERS[10:20]
    assert body["_links"]["next"] == f"{ROOT}/agents?page=3&per_page=10"
