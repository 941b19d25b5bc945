"""The LeadDesk server's alternate variant: the other reading at every silence point."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.reference.leaddesk.helpers import (
    ROOT,
    TOKEN,
    C,
    N,
    P,
    S,
    TestClient,
    U,
    grant,
    login,
    make,
    refs,
    schema_errors,
    token,
)


@pytest.fixture
def a() -> TestClient:
    return make(variant="alternate")


BASIC = re.compile(r"\d{8}T\d{6}\+0200")  # ISO 8601 basic format


def test_alternate_token_endpoint(a: TestClient) -> None:
    response = token(a, grant())
    assert response.status_code == 201 and response.json()["token_type"] == "bearer"
    assert schema_errors("token", response.json()) == []
    numbered = token(a, grant("leaddesk_client_id"))  # 4711, a JSON number as in the examples
    assert numbered.status_code == 201
    text = token(a, grant("client_user", leaddesk_client_id="4711"))
    assert (text.status_code, text.json()["error"]) == (400, "invalid_request")
    form = a.post(TOKEN, data=grant())
    assert (form.status_code, form.json()["error"]) == (400, "invalid_request")
    wrong = token(a, grant(client_secret="wrong"))
    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_client")


def test_alternate_token_endpoint_revokes_on_delete(a: TestClient) -> None:
    auth = login(a)
    assert a.put(TOKEN, headers=auth).headers["allow"] == "POST, DELETE"
    assert a.get(U, headers=auth).status_code == 200
    assert a.delete(TOKEN, headers=auth).status_code == 204
    assert a.get(U, headers=auth).status_code == 401
    assert a.delete(TOKEN, headers=auth).status_code == 401


def test_alternate_refusals(a: TestClient) -> None:
    missing = a.get(U)
    assert (missing.status_code, missing.json()["error"]) == (400, "missing_token")
    auth = login(a)
    assert a.get(U, headers={**auth, "Accept": "text/html"}).status_code == 406
    assert a.get(U, headers={**auth, "Accept": "application/*"}).status_code == 200
    unknown = a.get(f"{U}/999", headers=auth)
    assert (unknown.status_code, unknown.json()["error"]) == (400, "user_not_found")
    assert a.delete(f"{U}/999", headers=auth).status_code == 404
    invalid = a.get(f"{U}?per_page=0", headers=auth)
    assert (invalid.status_code, invalid.json()["error"]) == (422, "invalid_parameters")
    assert invalid.json()["error_validation"] == {"per_page": ["The per page must be at least 1."]}
    plain = a.post(U, headers={**auth, "Content-Type": "text/plain"}, content=b"username=x")
    assert (plain.status_code, plain.json()["error"]) == (400, "unsupported_content_type")
    malformed = a.post(U, headers={**auth, "Content-Type": "application/json"}, content=b'{"username": ')
    assert malformed.status_code == 415
    past = a.get(f"{U}?page=6", headers=auth)
    assert (past.status_code, past.json()["error"]) == (404, "page_not_found")
    for response in (missing, unknown, invalid, plain, past):
        assert schema_errors("error", response.json()) == []


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", P, 405),
        ("POST", P, 405),
        ("GET", C, 405),
        ("POST", C, 405),
        ("PATCH", f"{P}/1", 405),
        ("PUT", U, 405),
        ("POST", f"{C}/1/users", 405),
        ("PATCH", f"{C}/1/products", 405),
        ("GET", f"{P}/1", 200),
        ("GET", f"{C}/1/products", 200),
        ("GET", f"{S}/agents", 200),
        ("DELETE", f"{P}/1", 204),
        ("PATCH", f"{C}/1/users", 200),
    ],
)
def test_alternate_refuses_the_operations_the_document_does_not_show(
    a: TestClient, method: str, path: str, status: int
) -> None:
    response = a.request(method, path, headers=login(a), json=refs(3) if "users" in path else None)
    assert response.status_code == status, response.text


def test_alternate_collections(a: TestClient) -> None:
    auth = login(a)
    first = a.get(f"{U}?per_page=50", headers=auth).json()
    assert set(first) == {"collection", "links", "meta"}
    assert first["links"] == {"next": "/stable/users?page=2&per_page=50", "previous": None}
    assert first["meta"] == {"page": 1, "per_page": 50}
    second = a.get(f"{U}?page=2&per_page=50", headers=auth).json()
    assert second["links"] == {
        "next": "/stable/users?page=3&per_page=50",
        "previous": "/stable/users?per_page=50",
    }
    last = a.get(f"{U}?page=3&per_page=50", headers=auth).json()
    assert last["links"]["next"] is None and len(last["collection"]) == N - 100
    assert schema_errors("users-collection", first) == []


def test_alternate_objects(a: TestClient) -> None:
    auth = login(a)
    user = a.get(f"{U}/1", headers=auth).json()
    assert set(user) == {"id", "username", "email", "created_at", "_type", "_link"}
    assert user["_link"] == {"custom_fields": f"{ROOT}/users/1/custom-fields"} and user["_type"] == "user"
    assert BASIC.fullmatch(user["created_at"]) and schema_errors("user", user) == []
    campaign = a.get(f"{C}/1", headers=auth).json()
    assert "users" not in campaign and "products" not in campaign
    assert campaign["_link"]["users"] == f"{ROOT}/campaigns/1/users"
    users = a.get(f"{C}/1/users", headers=auth).json()
    assert users == {"collection": refs(1, 2), "links": {"next": None, "previous": None}, "meta": {"page": 1}}


def test_alternate_writes(a: TestClient) -> None:
    auth = login(a)
    created = a.post(U, headers=auth, json={"username": "alt"})
    assert (created.status_code, created.json()) == (201, {"id": N + 1})
    patched = a.patch(f"{C}/1", headers=auth, json={"products": refs(3), "users": refs(3)})
    assert patched.status_code == 200 and patched.json()["id"] == 1

    def relation(name: str) -> list[Any]:
        return [item["id"] for item in a.get(f"{C}/1/{name}", headers=auth).json()["collection"]]

    assert (relation("products"), relation("users")) == ([3], [1, 2, 3])  # users: the given entries only
    assert a.patch(f"{C}/1/users", headers=auth, json=refs(4)).status_code == 200
    assert relation("users") == [1, 2, 3, 4]
    added = a.post(f"{C}/1", headers=auth, json={"products": refs(1)})
    assert added.status_code == 200 and relation("products") == [3, 1]
    assert a.delete(f"{U}/{N + 1}", headers=auth).status_code == 204


def test_alternate_serves_the_version_2_path(a: TestClient) -> None:
    auth = login(a)
    assert a.get("/2/users/1", headers=auth).json()["id"] == 1
    assert a.patch("/2/campaigns/1/users", headers=auth, json=refs(5)).status_code == 200
    assert make().get("/2/users/1", headers=login(make())).status_code == 404  # the clean one does not
