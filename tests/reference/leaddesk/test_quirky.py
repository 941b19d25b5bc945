"""The LeadDesk server's quirky variant: conformant, but lenient and different where the document
leaves it free.
"""

from __future__ import annotations

import pytest

from apiconform.providers.leaddesk.wire import MESSAGES
from tests.reference.leaddesk.helpers import (
    HEX64,
    ISO,
    C,
    N,
    P,
    TestClient,
    U,
    bearer,
    grant,
    login,
    make,
    schema_errors,
    token,
)


@pytest.fixture
def q() -> TestClient:
    return make(quirky=True)


def test_quirky_variant(q: TestClient) -> None:
    response = token(q, grant())
    body = response.json()
    assert list(body) == ["refresh_token", "expires_in", "token_type", "access_token"]
    assert body["expires_in"] == 7200 and HEX64.fullmatch(body["access_token"])
    assert HEX64.fullmatch(body["refresh_token"]) and response.headers["cache-control"] == "no-store"
    auth = bearer(body["access_token"])
    user = q.get(f"{U}/1", headers=auth)
    assert user.headers["content-type"] == "application/json"
    assert list(user.json()) == ["_links", "updated_at", "status", "created_at", "email", "username", "id"]
    assert user.json()["status"] == "active" and ISO.fullmatch(user.json()["updated_at"])
    created = q.post(P, headers=auth, json={"name": "Quirk", "price": 7})
    assert created.status_code == 201
    assert created.json() == q.get(f"{P}/6", headers=auth).json()
    assert (created.json()["id"], created.json()["price"]) == (6, 7)
    assert q.patch(f"{P}/6", headers=auth, json={"price": 8}).status_code == 204
    assert q.post(C, headers=auth, json={"name": "Q"}).json()["products"] == []
    listed = q.get(U, headers=auth).json()
    assert list(listed) == ["_meta", "_links", "collection"] and len(listed["collection"]) == 25


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "page=x", "per_page=1.5", "page=0&per_page=0"])
def test_quirky_invalid_page_parameters_are_422_with_its_own_code(q: TestClient, query: str) -> None:
    """The document's validation example (422 with error_validation), under another error code."""
    response = q.get(f"{U}?{query}", headers=login(q))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert set(body["error_validation"]) == {name.partition("=")[0] for name in query.split("&")}


def test_quirky_per_page_above_500_is_served_as_500(q: TestClient) -> None:
    body = q.get(f"{U}?per_page=501", headers=login(q)).json()
    assert len(body["collection"]) == N and body["_links"]["self"].endswith("per_page=500")


def test_quirky_wordings_differ(c: TestClient, q: TestClient) -> None:
    assert all(reference != quirky for reference, quirky in MESSAGES.values())
    for client in (c, q):
        assert client.get(U).json()["error"] == "unauthorized"
    assert c.get(U).json()["error_description"] != q.get(U).json()["error_description"]


def test_quirky_responses_match_the_schemas(q: TestClient) -> None:
    auth = login(q)
    assert schema_errors("token", token(q, grant()).json()) == []
    assert schema_errors("users-collection", q.get(U, headers=auth).json()) == []
    assert schema_errors("user", q.get(f"{U}/3", headers=auth).json()) == []
    assert schema_errors("campaign", q.get(f"{C}/1", headers=auth).json()) == []
    assert schema_errors("created", q.post(P, headers=auth, json={"name": "S"}).json()) == []
    for response in (q.get(f"{U}/999", headers=auth), q.get(f"{U}?page=0", headers=auth), q.get(U)):
        assert schema_errors("error", response.json()) == []
