"""The LeadDesk server's OAuth 2 (apiconform.providers.leaddesk.oauth): the four grants and refresh
rotation, token errors (RFC 6749), token expiry, bearer authentication and read-only tokens.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference.leaddesk.helpers import (
    CREDS,
    HEX40,
    JSON_UTF8,
    TOKEN,
    C,
    P,
    S,
    TestClient,
    U,
    bearer,
    grant,
    ids,
    login,
    make,
    refresh,
    refs,
    related,
    schema_errors,
    server_of,
    token,
    viewer,
)


def test_password_grant(c: TestClient) -> None:
    response = token(c, grant())
    body = response.json()
    assert response.status_code == 200
    assert list(body) == ["access_token", "token_type", "expires_in", "refresh_token"]
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    assert HEX40.fullmatch(body["access_token"]) and HEX40.fullmatch(body["refresh_token"])
    assert body["access_token"] != body["refresh_token"]
    assert response.headers["cache-control"] == "no-store" and response.headers["pragma"] == "no-cache"
    assert response.headers["content-type"] == JSON_UTF8
    assert schema_errors("token", body) == []
    assert c.get(U, headers=bearer(body["access_token"])).status_code == 200


@pytest.mark.parametrize(
    ("body", "read_only"),
    [
        (grant(), False),
        (viewer(), True),
        (grant("leaddesk_client_id"), False),
        (grant("leaddesk_client_id", leaddesk_client_id="4711"), False),
        (grant("client_user"), False),
        (grant("client_user", username="viewer", leaddesk_client_id="4711"), True),
    ],
    ids=["password", "password-read-only", "client-id-int", "client-id-str", "client-user", "client-user-ro"],
)
def test_every_grant_gives_a_token(c: TestClient, body: dict[str, Any], read_only: bool) -> None:
    headers = login(c, body)
    assert c.get(U, headers=headers).status_code == 200
    created = c.post(P, headers=headers, json={"name": "By grant"})
    assert created.status_code == (403 if read_only else 200)


def test_form_encoded_token_request(c: TestClient) -> None:
    response = c.post(TOKEN, data={k: str(v) for k, v in grant("client_user").items()})
    assert response.status_code == 200
    assert c.get(U, headers=bearer(response.json()["access_token"])).status_code == 200


def test_refresh_rotates_both_tokens(c: TestClient) -> None:
    first = token(c, grant()).json()
    second_response = refresh(c, first["refresh_token"])
    second = second_response.json()
    assert second_response.status_code == 200 and second_response.headers["cache-control"] == "no-store"
    assert schema_errors("token", second) == []
    assert {second["access_token"], second["refresh_token"]}.isdisjoint(
        {first["access_token"], first["refresh_token"]}
    )
    assert c.get(U, headers=bearer(second["access_token"])).status_code == 200
    old = c.get(U, headers=bearer(first["access_token"]))
    assert (old.status_code, old.json()["error"]) == (401, "invalid_token")
    again = refresh(c, first["refresh_token"])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")
    third = refresh(c, second["refresh_token"]).json()
    assert c.get(U, headers=bearer(second["access_token"])).status_code == 401
    assert c.get(U, headers=bearer(third["access_token"])).status_code == 200


def test_refresh_keeps_the_read_only_status(c: TestClient) -> None:
    first = token(c, viewer()).json()
    refreshed = bearer(refresh(c, first["refresh_token"]).json()["access_token"])
    assert c.get(U, headers=refreshed).status_code == 200
    assert c.post(P, headers=refreshed, json={"name": "x"}).status_code == 403


TOKEN_ERRORS = [
    ("no grant_type", grant(grant_type=...), 400, "unsupported_grant_type"),
    ("unknown grant_type", grant(grant_type="implicit"), 400, "unsupported_grant_type"),
    ("grant_type not a string", grant(grant_type=["password"]), 400, "unsupported_grant_type"),
    ("no password", grant(password=...), 400, "invalid_request"),
    ("empty username", grant(username=""), 400, "invalid_request"),
    ("null client_id", grant(client_id=None), 400, "invalid_request"),
    ("no leaddesk_client_id", grant("leaddesk_client_id", leaddesk_client_id=...), 400, "invalid_request"),
    ("no refresh_token", grant("refresh_token", refresh_token=...), 400, "invalid_request"),
    ("wrong client_secret", grant(client_secret="wrong"), 401, "invalid_client"),
    ("wrong client_id", grant(client_id="wrong"), 401, "invalid_client"),
    ("client checked before user", grant(client_secret="wrong", password="wrong"), 401, "invalid_client"),
    ("wrong password", grant(password="wrong"), 400, "invalid_grant"),
    ("unknown user", grant(username="nobody"), 400, "invalid_grant"),
    ("read-only user, main password", grant(username="viewer"), 400, "invalid_grant"),
    ("wrong leaddesk_client_id", grant("leaddesk_client_id", leaddesk_client_id=4712), 400, "invalid_grant"),
    ("client_user unknown user", grant("client_user", username="nobody"), 400, "invalid_grant"),
    ("client_user wrong client", grant("client_user", leaddesk_client_id=1), 400, "invalid_grant"),
    ("unknown refresh token", grant("refresh_token", refresh_token="nope"), 400, "invalid_grant"),
    ("lone surrogate", grant(password="\ud800"), 400, "invalid_grant"),
]


@pytest.mark.parametrize(
    ("body", "status", "code"), [case[1:] for case in TOKEN_ERRORS], ids=[case[0] for case in TOKEN_ERRORS]
)
def test_token_errors_follow_rfc6749(c: TestClient, body: dict[str, Any], status: int, code: str) -> None:
    response = token(c, body)
    assert (response.status_code, response.json()["error"]) == (status, code)
    assert response.headers["content-type"] == JSON_UTF8
    assert schema_errors("error", response.json()) == []
    assert ("www-authenticate" in response.headers) == (code == "invalid_client")
    if code == "invalid_client":
        assert response.headers["www-authenticate"].startswith("Basic ")


def test_missing_parameters_are_named(c: TestClient) -> None:
    body = token(c, grant(username=..., password=...)).json()
    assert "username, password" in body["error_description"]


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'"text"', b'{"grant_type": NaN}', b"\xff"])
def test_unreadable_token_bodies_are_invalid_requests(c: TestClient, content: bytes) -> None:
    response = c.post(TOKEN, content=content, headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


def test_absent_credentials_match_nothing() -> None:
    minimal = {name: CREDS[name] for name in ("client_id", "client_secret", "username", "password")}
    c = make(credentials=minimal)
    assert token(c, grant()).status_code == 200
    for body in (viewer(), grant("leaddesk_client_id"), grant("client_user")):
        assert token(c, body).json()["error"] == "invalid_grant"
    no_secret = make(credentials={k: v for k, v in CREDS.items() if k != "client_secret"})
    assert token(no_secret, grant()).json()["error"] == "invalid_client"


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_token_endpoint_takes_post_only(c: TestClient, method: str) -> None:
    response = c.request(method, TOKEN)
    assert (response.status_code, response.json()["error"]) == (405, "method_not_allowed")
    assert response.headers["allow"] == "POST"


def test_access_tokens_expire(c: TestClient) -> None:
    body = token(c, grant()).json()
    server_of(c).store.by_access[body["access_token"]].expires_at = 0.0
    response = c.get(U, headers=bearer(body["access_token"]))
    assert (response.status_code, response.json()["error"]) == (401, "invalid_token")
    assert refresh(c, body["refresh_token"]).status_code == 200  # refresh tokens outlive it


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "unauthorized"),
        ({"Authorization": "Bearer "}, "unauthorized"),
        ({"Authorization": "Basic YWdlbnQ6YWdlbnQtcHc="}, "unauthorized"),
        ({"Authorization": "Bearer nope"}, "invalid_token"),
    ],
)
def test_requests_without_a_valid_token_get_401(c: TestClient, headers: dict[str, str], code: str) -> None:
    response = c.get(U, headers=headers)
    assert (response.status_code, response.json()["error"]) == (401, code)
    assert schema_errors("error", response.json()) == []
    assert response.headers["www-authenticate"].startswith("Bearer ")


def test_bearer_scheme_is_case_insensitive(c: TestClient, auth: dict[str, str]) -> None:
    assert c.get(U, headers={"Authorization": auth["Authorization"].replace("Bearer", "bearer")}).is_success


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("DELETE", U, {}),
        ("PUT", f"{P}/1", {"json": {}}),
        ("GET", f"{S}/nope", {}),
        ("GET", f"{U}/999", {}),
        ("GET", f"{U}?per_page=0", {}),
        ("POST", P, {"content": b"name=x", "headers": {"Content-Type": "text/plain"}}),
        ("POST", P, {"json": {}}),
    ],
)
def test_authentication_comes_first(c: TestClient, method: str, path: str, kwargs: dict[str, Any]) -> None:
    assert c.request(method, path, **kwargs).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", P, {"name": "Forbidden"}),
        ("PATCH", f"{P}/1", {"price": 1}),
        ("DELETE", f"{P}/1", None),
        ("PUT", f"{P}/1", {"name": "x"}),
        ("POST", f"{C}/1", {"products": refs(3)}),
        ("PATCH", f"{C}/1/users", refs(9)),
        ("DELETE", U, None),
    ],
)
def test_read_only_tokens_cannot_write(c: TestClient, method: str, path: str, body: Any) -> None:
    read_only = login(c, viewer())
    response = c.request(method, path, headers=read_only, json=body)
    assert (response.status_code, response.json()["error"]) == (403, "forbidden")
    assert ids(c.get(P, headers=read_only)) == [1, 2, 3, 4, 5]
    assert c.get(f"{P}/1", headers=read_only).json()["price"] == 1900
    assert related(c, 1, "products") == [1, 2] and related(c, 1, "users") == [1, 2]
