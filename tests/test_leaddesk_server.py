"""Unit tests of the LeadDesk reference server (apiconform.providers.leaddesk.server), through
Starlette's TestClient.

Covered: the four grants and refresh rotation, token errors (RFC 6749), bearer authentication
and read-only tokens, collections (pages, links, totals, parameter validation), single objects,
writes and the relation semantics of campaigns, 404/405/415/422, the media type, the quirky
variant, and a table with one scenario per fault (conformant on the clean server, deviating with
the fault).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from apiconform.providers.leaddesk.server import LeadDeskServer, create_app
from apiconform.providers.leaddesk.store import SEED_USERS
from apiconform.providers.leaddesk.wire import MESSAGES
from apiconform.reference.serving import RunningServer, ServerOptions, Variant
from apiconform.schemastore import store
from tests.conformance import assert_fault_cases_cover_the_catalogue

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CREDS = {
    "client_id": "client-ref",
    "client_secret": "secret-ref",
    "username": "agent",
    "password": "agent-pw",
    "leaddesk_client_id": "4711",
    "read_only_username": "viewer",
    "read_only_password": "viewer-pw",
}
S = "/stable"
TOKEN = f"{S}/oauth/access-token"
U, P, C = f"{S}/users", f"{S}/products", f"{S}/campaigns"
ROOT = "http://testserver/stable"
JSON_UTF8 = "application/json; charset=utf-8"
HEX40 = re.compile(r"[0-9a-f]{40}")
HEX64 = re.compile(r"[0-9a-f]{64}")
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+02:00")
USERS = list(range(1, SEED_USERS + 1))
N = SEED_USERS
RESERVED = {"_links", "_meta", "_embedded"}


def make(
    faults: tuple[str, ...] = (),
    quirky: bool = False,
    variant: Variant = "clean",
    credentials: dict[str, str] = CREDS,
) -> TestClient:
    options = ServerOptions(
        credentials=credentials, faults=frozenset(faults), variant="quirky" if quirky else variant
    )
    return TestClient(create_app(options))


def server_of(client: TestClient) -> LeadDeskServer:
    server: LeadDeskServer = client.app.state.leaddesk  # type: ignore[attr-defined]
    return server


def grant(kind: str = "password", **over: Any) -> dict[str, Any]:
    """A token request body of grant type `kind` with the configured values; `over` replaces
    fields (grant_type too), and a value of ... leaves the field out."""
    extra: dict[str, dict[str, Any]] = {
        "password": {"username": "agent", "password": "agent-pw"},
        "leaddesk_client_id": {"leaddesk_client_id": 4711},
        "client_user": {"username": "agent", "leaddesk_client_id": 4711},
        "refresh_token": {"refresh_token": "unset"},
    }
    body = {"grant_type": kind, "client_id": "client-ref", "client_secret": "secret-ref", **extra[kind]}
    body.update(over)
    return {k: v for k, v in body.items() if v is not ...}


def viewer() -> dict[str, Any]:
    return grant(username="viewer", password="viewer-pw")


def as_json(body: Any) -> dict[str, Any]:
    """Request arguments sending `body` as ASCII JSON text (so lone surrogates travel escaped)."""
    return {"content": json.dumps(body), "headers": {"Content-Type": "application/json"}}


def token(c: TestClient, body: dict[str, Any]) -> httpx.Response:
    response: httpx.Response = c.post(TOKEN, **as_json(body))
    return response


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def login(c: TestClient, body: dict[str, Any] | None = None) -> dict[str, str]:
    response = token(c, body or grant())
    assert response.status_code in (200, 201), response.text
    return bearer(response.json()["access_token"])


def refresh(c: TestClient, refresh_token: str) -> httpx.Response:
    return token(c, grant("refresh_token", refresh_token=refresh_token))


def call(
    c: TestClient, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any
) -> httpx.Response:
    """A request with the password user's token (unless `headers` says otherwise)."""
    response: httpx.Response = c.request(
        method, path, headers=login(c) if headers is None else headers, **kwargs
    )
    return response


def ids(response: httpx.Response) -> list[Any]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["collection"]]


def refs(*numbers: int) -> list[dict[str, int]]:
    return [{"id": n} for n in numbers]


def related(c: TestClient, campaign: int, relation: str) -> list[Any]:
    return [item["id"] for item in call(c, "GET", f"{C}/{campaign}").json()[relation]]


def schema_errors(name: str, body: Any) -> list[str]:
    errors: list[str] = store("leaddesk").errors(name, body)
    return errors


def walk(c: TestClient, headers: dict[str, str], per_page: int) -> list[dict[str, Any]]:
    """Every page of GET /users at `per_page`, following the next links."""
    pages: list[dict[str, Any]] = []
    url: str | None = f"{ROOT}/users?per_page={per_page}"
    while url is not None and len(pages) <= N + 10:
        body = c.get(url, headers=headers).json()
        pages.append(body)
        url = body["_links"].get("next")
    return pages


@pytest.fixture
def c() -> TestClient:
    return make()


@pytest.fixture
def auth(c: TestClient) -> dict[str, str]:
    return login(c)


# --- OAuth 2 token endpoint --------------------------------------------------------------------


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


# --- access tokens ------------------------------------------------------------------------------


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


# --- collections --------------------------------------------------------------------------------


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


# --- objects ------------------------------------------------------------------------------------


def test_objects(c: TestClient, auth: dict[str, str]) -> None:
    user = c.get(f"{U}/1", headers=auth).json()
    assert user == {
        "id": 1,
        "username": "user-01",
        "email": "user-01@example.com",
        "created_at": "2018-12-30T16:18:40+02:00",
        "_links": {"self": f"{ROOT}/users/1", "custom_fields": f"{ROOT}/users/1/custom-fields"},
    }
    assert list(user) == ["id", "username", "email", "created_at", "_links"]
    product = c.get(f"{P}/2", headers=auth).json()
    assert list(product) == ["id", "name", "price", "created_at", "_links"]
    assert (product["name"], product["price"]) == ("Premium subscription", 4900)
    campaign = c.get(f"{C}/2", headers=auth).json()
    assert list(campaign) == ["id", "name", "created_at", "products", "users", "_links"]
    assert (campaign["products"], campaign["users"]) == (refs(3, 4), refs(3, 4))
    for name, body in (("user", user), ("product", product), ("campaign", campaign)):
        assert schema_errors(name, body) == []


def test_seed_users(c: TestClient, auth: dict[str, str]) -> None:
    users = c.get(f"{U}?per_page=500", headers=auth).json()["collection"]
    assert [u["username"] for u in users] == [f"user-{n:02d}" for n in USERS]
    assert all(ISO.fullmatch(u["created_at"]) for u in users)
    assert sorted(u["created_at"] for u in users) == [u["created_at"] for u in users]
    other = make()
    assert users == other.get(f"{U}?per_page=500", headers=login(other)).json()["collection"]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        (f"{U}/{N + 1}", "user_not_found"),
        (f"{U}/0", "user_not_found"),
        (f"{U}/abc", "user_not_found"),
        (f"{U}/01", "user_not_found"),
        (f"{U}/-1", "user_not_found"),
        (f"{U}/99999999999999999999999", "user_not_found"),
        (f"{P}/6", "product_not_found"),
        (f"{P}/1.0", "product_not_found"),
        (f"{C}/3", "campaign_not_found"),
        (f"{C}/3/users", "campaign_not_found"),
    ],
)
def test_unknown_ids_are_404(c: TestClient, auth: dict[str, str], path: str, code: str) -> None:
    response = c.get(path, headers=auth)
    assert (response.status_code, response.json()["error"]) == (404, code)
    assert schema_errors("error", response.json()) == []


# --- writes -------------------------------------------------------------------------------------


def test_product_lifecycle(c: TestClient, auth: dict[str, str]) -> None:
    created = c.post(P, headers=auth, json={"name": "Widget", "price": 100})
    assert (created.status_code, created.json()) == (200, {"id": 6})
    assert schema_errors("created", created.json()) == []
    product = c.get(f"{P}/6", headers=auth).json()
    assert (product["name"], product["price"]) == ("Widget", 100) and ISO.fullmatch(product["created_at"])
    changed = c.patch(f"{P}/6", headers=auth, json={"price": 250})
    assert (changed.status_code, changed.content) == (204, b"")
    assert "content-type" not in changed.headers
    product = c.get(f"{P}/6", headers=auth).json()
    assert (product["name"], product["price"]) == ("Widget", 250)
    assert c.patch(f"{P}/6", headers=auth, json={"name": "Gadget", "other": 1}).status_code == 204
    assert c.get(f"{P}/6", headers=auth).json()["name"] == "Gadget"
    deleted = c.delete(f"{P}/6", headers=auth)
    assert (deleted.status_code, deleted.content, "content-type" in deleted.headers) == (204, b"", False)
    for method in ("GET", "DELETE", "PATCH"):
        gone = c.request(method, f"{P}/6", headers=auth, json={} if method == "PATCH" else None)
        assert (gone.status_code, gone.json()["error"]) == (404, "product_not_found")
    assert c.post(P, headers=auth, json={"name": "Next"}).json() == {"id": 7}  # ids are never reused
    assert c.get(f"{P}/7", headers=auth).json()["price"] == 0


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


INVALID_PRODUCTS = [
    ({}, {"name": ["The name field is required."]}),
    ({"name": ""}, {"name": ["The name field is required."]}),
    ({"name": None}, {"name": ["The name field is required."]}),
    ({"name": 5}, {"name": ["The name must be a string."]}),
    ({"name": "x" * 256}, {"name": ["The name may not be greater than 255 characters."]}),
    ({"name": "\ud800"}, {"name": ["The name must be valid UTF-8 text."]}),
    ({"name": "x", "price": -1}, {"price": ["The price must be at least 0."]}),
    ({"name": "x", "price": "5"}, {"price": ["The price must be an integer."]}),
    ({"name": "x", "price": 1.5}, {"price": ["The price must be an integer."]}),
    ({"name": "x", "price": True}, {"price": ["The price must be an integer."]}),
    ({"name": "x", "price": None}, {"price": ["The price must be an integer."]}),
    (
        {"price": -5},
        {"name": ["The name field is required."], "price": ["The price must be at least 0."]},
    ),
]


@pytest.mark.parametrize(("body", "problems"), INVALID_PRODUCTS)
def test_invalid_products_are_422(
    c: TestClient, auth: dict[str, str], body: dict[str, Any], problems: dict[str, list[str]]
) -> None:
    headers = {**auth, "Content-Type": "application/json"}
    response = c.post(P, headers=headers, content=json.dumps(body))
    assert (response.status_code, response.json()["error_validation"]) == (422, problems)
    patched = c.patch(f"{P}/1", headers=headers, content=json.dumps({"name": "x", **body}))
    assert patched.status_code == (204 if set(problems) == {"name"} and "name" not in body else 422)
    assert ids(c.get(P, headers=auth)) == [1, 2, 3, 4, 5]
    assert c.get(f"{P}/1", headers=auth).json()["price"] == 1900


def test_invalid_patch_changes_nothing(c: TestClient, auth: dict[str, str]) -> None:
    before = c.get(f"{P}/1", headers=auth).json()
    for body in ({"name": ""}, {"price": -1}, {"name": "ok", "price": "1"}):
        assert c.patch(f"{P}/1", headers=auth, json=body).status_code == 422
    assert c.get(f"{P}/1", headers=auth).json() == before


@pytest.mark.parametrize("content", [b'[{"name": "x"}]', b'"x"', b"5", b"null"])
def test_bodies_must_be_objects(c: TestClient, auth: dict[str, str], content: bytes) -> None:
    response = c.post(P, headers={**auth, "Content-Type": "application/json"}, content=content)
    assert (response.status_code, response.json()["error_validation"]) == (
        422,
        {"body": ["The request body must be a JSON object."]},
    )


UNSUPPORTED_MEDIA = [
    ("malformed JSON", "application/json", b'{"name": "x"'),
    ("empty body", "application/json", b""),
    ("NaN", "application/json", b'{"name": "x", "price": NaN}'),
    ("not UTF-8", "application/json", '{"name": "é"}'.encode("latin-1")),
    ("UTF-16", "application/json", '{"name": "x"}'.encode("utf-16")),
    ("text/plain", "text/plain", b"name=x"),
    ("text/plain JSON", "text/plain", b'{"name": "x"}'),
    ("form", "application/x-www-form-urlencoded", b"name=x"),
    ("no content type", None, b'{"name": "x"}'),
]


@pytest.mark.parametrize(
    ("content_type", "content"),
    [case[1:] for case in UNSUPPORTED_MEDIA],
    ids=[c[0] for c in UNSUPPORTED_MEDIA],
)
@pytest.mark.parametrize(("method", "path"), [("POST", P), ("PATCH", f"{P}/1"), ("POST", f"{C}/1/users")])
def test_bodies_that_are_not_json_are_415(
    c: TestClient, auth: dict[str, str], method: str, path: str, content_type: str | None, content: bytes
) -> None:
    headers = auth if content_type is None else {**auth, "Content-Type": content_type}
    response = c.request(method, path, headers=headers, content=content)
    assert (response.status_code, response.json()["error"]) == (415, "unsupported_media_type")
    assert schema_errors("error", response.json()) == []
    assert ids(c.get(P, headers=auth)) == [1, 2, 3, 4, 5]
    assert c.get(f"{P}/1", headers=auth).json()["name"] == "Basic subscription"
    assert related(c, 1, "users") == [1, 2]


def test_json_media_type_parameters_are_accepted(c: TestClient, auth: dict[str, str]) -> None:
    headers = {**auth, "Content-Type": "Application/JSON; charset=utf-8"}
    assert c.post(P, headers=headers, content=b'{"name": "Caf\xc3\xa9"}').json() == {"id": 6}
    assert c.get(f"{P}/6", headers=auth).json()["name"] == "Café"


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


# --- routing and media --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", U, "GET, HEAD, POST"),
        ("PUT", U, "GET, HEAD, POST"),
        ("PATCH", f"{U}/1", "GET, HEAD, DELETE"),
        ("POST", f"{U}/999", "GET, HEAD, DELETE"),
        ("POST", f"{S}/agents", "GET, HEAD"),
        ("DELETE", P, "GET, HEAD, POST"),
        ("PUT", f"{P}/1", "GET, HEAD, PATCH, DELETE"),
        ("POST", f"{P}/1", "GET, HEAD, PATCH, DELETE"),
        ("DELETE", f"{C}/1", "GET, HEAD, PATCH, POST"),
        ("PUT", f"{C}/1/users", "GET, HEAD, PATCH, POST"),
        ("OPTIONS", C, "GET, HEAD, POST"),
    ],
)
def test_methods_a_path_does_not_take_are_405(
    c: TestClient, auth: dict[str, str], method: str, path: str, allow: str
) -> None:
    response = c.request(method, path, headers=auth)
    assert (response.status_code, response.json()["error"]) == (405, "method_not_allowed")
    assert response.headers["allow"] == allow
    assert schema_errors("error", response.json()) == []


@pytest.mark.parametrize(
    ("path", "needs_token"),
    [
        (f"{S}/nope", True),
        (f"{U}/1/extra", True),
        (f"{C}/1/nope", True),
        (f"{S}/oauth/access-token/", True),
        (f"{U}/", True),
        ("/users", False),
        (S, False),
        ("/", False),
    ],
)
def test_unknown_paths_are_404(c: TestClient, auth: dict[str, str], path: str, needs_token: bool) -> None:
    response = c.get(path, headers=auth)
    assert (response.status_code, response.json()["error"]) == (404, "not_found")
    assert c.get(path).status_code == (401 if needs_token else 404)


def test_head_is_served_like_get(c: TestClient, auth: dict[str, str]) -> None:
    response = c.head(f"{U}/1", headers=auth)
    assert response.status_code == 200 and response.headers["content-type"] == JSON_UTF8


def test_no_rate_limit_is_enforced(c: TestClient, auth: dict[str, str]) -> None:
    assert {c.get(f"{U}?per_page=1", headers=auth).status_code for _ in range(150)} == {200}


def test_every_json_answer_is_utf8(c: TestClient, auth: dict[str, str]) -> None:
    responses = [
        token(c, grant()),
        token(c, grant(password="x")),
        c.get(U, headers=auth),
        c.get(f"{U}/2", headers=auth),
        c.get(U),
        c.get(f"{U}?page=0", headers=auth),
        c.delete(U, headers=auth),
        c.get(f"{S}/x", headers=auth),
        c.post(P, headers=auth, json={"name": "Zoë"}),
        c.post(P, headers={**auth, "Content-Type": "text/plain"}, content=b"x"),
    ]
    assert {r.headers["content-type"] for r in responses} == {JSON_UTF8}
    assert c.get(f"{P}/6", headers=auth).content.decode("utf-8").count("Zoë") == 1


def test_unhandled_exception_is_500(
    c: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(server_of(c).wire, "data", explode)
    response = c.get(f"{U}/1", headers=auth)
    assert (response.status_code, response.json()["error"]) == (500, "internal_error")
    assert schema_errors("error", response.json()) == []


def test_serves_over_http_with_uvicorn() -> None:
    app = create_app(ServerOptions(credentials=CREDS))
    with RunningServer(app) as server, httpx.Client(base_url=server.base_url + S) as client:
        access = client.post("/oauth/access-token", json=grant()).json()["access_token"]
        body = client.get("/users", headers=bearer(access), params={"per_page": 10}).json()
        assert body["_links"]["next"] == f"{server.base_url}{S}/users?page=2&per_page=10"
        head = client.head("/users/1", headers=bearer(access))
        assert (head.status_code, head.content) == (200, b"")


# --- the quirky variant -------------------------------------------------------------------------


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
def test_quirky_invalid_page_parameters_are_400(q: TestClient, query: str) -> None:
    response = q.get(f"{U}?{query}", headers=login(q))
    assert response.status_code == 400
    assert (
        set(response.json()) == {"error", "error_description"} and response.json()["error"] == "bad_request"
    )


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


# --- the alternate variant: the other reading at every silence point ---------------------------


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


# --- faults -------------------------------------------------------------------------------------

Scenario = Callable[[TestClient], Any]


def _status(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Scenario:
    return lambda c: call(c, method, path, headers, **kwargs).status_code


def _body(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Scenario:
    return lambda c: call(c, method, path, headers, **kwargs).json()


def _token_error(body: dict[str, Any]) -> Scenario:
    """(status, content type, JSON body or None) of a refused token request."""

    def run(c: TestClient) -> Any:
        response = token(c, body)
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
        return response.status_code, response.headers["content-type"], parsed

    return run


def _refused(status: int, code: str) -> Callable[[Any], bool]:
    return lambda o: o[0] == status and o[1] == JSON_UTF8 and o[2]["error"] == code


def _grant_reads(body: dict[str, Any]) -> Scenario:
    def run(c: TestClient) -> Any:
        response = token(c, body)
        access = response.json().get("access_token", "none")
        return response.status_code, c.get(U, headers=bearer(access)).status_code

    return run


def _refresh(c: TestClient) -> dict[str, int]:
    """Statuses after refreshing a password-grant token: the new token, the old access token,
    the old refresh token used again."""
    first = token(c, grant()).json()
    second = refresh(c, first["refresh_token"]).json()
    return {
        "new": c.get(U, headers=bearer(second["access_token"])).status_code,
        "old_access": c.get(U, headers=bearer(first["access_token"])).status_code,
        "old_refresh": refresh(c, first["refresh_token"]).status_code,
    }


def _products_after(method: str, path: str, **kwargs: Any) -> Scenario:
    """The status of a request, and the product ids afterwards."""

    def run(c: TestClient) -> Any:
        response = c.request(method, path, **kwargs)
        return response.status_code, ids(call(c, "GET", f"{P}?per_page=500"))

    return run


def _objects(c: TestClient) -> list[dict[str, Any]]:
    auth = login(c)
    return [*c.get(U, headers=auth).json()["collection"], c.get(f"{U}/1", headers=auth).json()]


def _many_products(c: TestClient) -> int:
    """The objects GET /products?per_page=500 holds once there are 125 products."""
    auth = login(c)
    for n in range(120):
        c.post(P, headers=auth, json={"name": f"Bulk {n}"})
    return len(c.get(f"{P}?per_page=500", headers=auth).json()["collection"])


def _walked(c: TestClient) -> list[Any]:
    return [item["id"] for page in walk(c, login(c), 7) for item in page["collection"]]


def _links(query: str) -> Scenario:
    return lambda c: set(call(c, "GET", f"{U}?{query}").json()["_links"])


def _deletes(count: int) -> Scenario:
    """DELETE /products/1 `count` times, then GET it: the statuses."""

    def run(c: TestClient) -> Any:
        auth = login(c)
        statuses = [c.delete(f"{P}/1", headers=auth).status_code for _ in range(count)]
        return statuses, c.get(f"{P}/1", headers=auth).status_code

    return run


def _relation_after(method: str, path: str, body: Any, relation: str) -> Scenario:
    def run(c: TestClient) -> Any:
        call(c, method, path, json=body)
        return related(c, 1, relation)

    return run


FAULT_CASES: list[tuple[str, Scenario, Callable[[Any], bool]]] = [
    ("password-grant-no-refresh-token", lambda c: token(c, grant()).json(), lambda b: "refresh_token" in b),
    (
        "leaddesk-client-id-grant-unsupported",
        _grant_reads(grant("leaddesk_client_id")),
        lambda o: o == (200, 200),
    ),
    ("client-user-grant-unsupported", _grant_reads(grant("client_user")), lambda o: o == (200, 200)),
    ("refresh-token-unusable", _refresh, lambda o: o["new"] == 200),
    ("refresh-keeps-access", _refresh, lambda o: o["old_access"] == 401),
    ("refresh-keeps-refresh", _refresh, lambda o: o["old_refresh"] == 400),
    (
        "unknown-grant-as-password",
        _token_error(grant(grant_type="apiconform")),
        _refused(400, "unsupported_grant_type"),
    ),
    ("bad-client-accepted", _token_error(grant(client_secret="wrong")), _refused(401, "invalid_client")),
    ("bad-password-accepted", _token_error(grant(password="wrong")), _refused(400, "invalid_grant")),
    ("token-errors-nonstandard", _token_error(grant(password="wrong")), _refused(400, "invalid_grant")),
    ("token-cacheable", lambda c: token(c, grant()).headers.get("cache-control"), lambda v: v == "no-store"),
    ("token-201", lambda c: token(c, grant()).status_code, lambda s: s == 200),
    ("token-errors-plain-text", _token_error(grant(grant_type="x")), _refused(400, "unsupported_grant_type")),
    ("missing-token-served", _status("GET", U, {}), lambda s: s == 401),
    ("missing-token-403", _status("GET", U, {}), lambda s: s == 401),
    ("invalid-token-served", _status("GET", U, bearer("nope")), lambda s: s == 401),
    (
        "read-only-can-write",
        lambda c: _products_after("POST", P, headers=login(c, viewer()), json={"name": "x"})(c),
        lambda o: o == (403, [1, 2, 3, 4, 5]),
    ),
    ("errors-without-description", _body("GET", f"{U}/999"), lambda b: "error_description" in b),
    (
        "validation-no-details",
        _body("GET", f"{U}?per_page=0"),
        lambda b: b.get("error_validation") == {"per_page": ["The per page must be at least 1."]},
    ),
    ("validation-clamped", _status("GET", f"{U}?per_page=0"), lambda s: s == 422),
    ("not-found-200", _status("GET", f"{U}/999"), lambda s: s == 404),
    ("not-found-500", _status("GET", f"{U}/999"), lambda s: s == 404),
    ("not-found-400", _status("GET", f"{P}/999"), lambda s: s == 404),
    (
        "delete-collection-404",
        lambda c: (call(c, "DELETE", U).status_code, call(c, "DELETE", TOKEN).status_code),
        lambda o: o == (405, 405),
    ),
    (
        "malformed-json-400",
        lambda c: _products_after(
            "POST", P, headers={**login(c), "Content-Type": "application/json"}, content=b'{"name": '
        )(c),
        lambda o: o == (415, [1, 2, 3, 4, 5]),
    ),
    (
        "non-json-accepted",
        lambda c: _products_after(
            "POST", P, headers={**login(c), "Content-Type": "text/plain"}, content=b"name=x"
        )(c),
        lambda o: o == (415, [1, 2, 3, 4, 5]),
    ),
    (
        "non-json-400",
        lambda c: _products_after(
            "POST", P, headers={**login(c), "Content-Type": "text/plain"}, content=b"x"
        )(c),
        lambda o: o == (415, [1, 2, 3, 4, 5]),
    ),
    ("charset-latin1", lambda c: call(c, "GET", U).headers["content-type"], lambda t: t == JSON_UTF8),
    ("html-content-type", lambda c: call(c, "GET", U).headers["content-type"], lambda t: t == JSON_UTF8),
    ("dates-not-iso", _body("GET", f"{U}/1"), lambda b: ISO.fullmatch(b["created_at"]) is not None),
    ("dates-basic-format", _body("GET", f"{C}/1"), lambda b: ISO.fullmatch(b["created_at"]) is not None),
    (
        "underscore-property",
        _objects,
        lambda objects: all(not (set(o) - RESERVED) & {k for k in o if k.startswith("_")} for o in objects),
    ),
    ("object-no-links", _body("GET", f"{U}/1"), lambda b: "_links" in b),
    (
        "prose-member-names",
        lambda c: (set(call(c, "GET", U).json()), set(call(c, "GET", f"{U}/1").json())),
        lambda o: {"_links", "_meta"} <= o[0] and "_links" in o[1],
    ),
    ("collection-items-key", _body("GET", U), lambda b: "collection" in b),
    ("meta-total-string", _body("GET", U), lambda b: b["_meta"]["total"] == N),
    ("collection-no-self", _body("GET", U), lambda b: "self" in b["_links"]),
    ("meta-no-total", _body("GET", f"{P}"), lambda b: b["_meta"].get("total") == 5),
    ("default-per-page-20", lambda c: ids(call(c, "GET", U)), lambda found: found == USERS[:25]),
    ("per-page-max-100", _many_products, lambda count: count == 125),
    ("page-offset-off-by-one", _walked, lambda found: found == USERS),
    ("next-on-last-page", _links("page=5"), lambda links: links == {"self", "prev"}),
    ("prev-on-first-page", _links("page=1"), lambda links: links == {"self", "next"}),
    ("total-off-by-one", _body("GET", U), lambda b: b["_meta"]["total"] == N),
    (
        "create-no-id",
        lambda c: (lambda r: (r.status_code, r.content))(call(c, "POST", P, json={"name": "x"})),
        lambda o: o == (200, b'{"id":6}'),
    ),
    (
        "modify-200-body",
        lambda c: call(c, "PATCH", f"{P}/1", json={"price": 5}),
        lambda r: (r.status_code, r.content) == (204, b""),
    ),
    (
        "patch-ignored",
        lambda c: (
            call(c, "PATCH", f"{P}/1", json={"price": 5}).status_code,
            _body("GET", f"{P}/1")(c)["price"],
        ),
        lambda o: o == (204, 5),
    ),
    ("delete-soft", _deletes(1), lambda o: o == ([204], 404)),
    ("second-delete-204", _deletes(2), lambda o: o == ([204, 404], 404)),
    (
        "patch-array-merges",
        _relation_after("PATCH", f"{C}/1", {"products": refs(3)}, "products"),
        lambda r: r == [3],
    ),
    (
        "post-replaces",
        _relation_after("POST", f"{C}/1", {"products": refs(3)}, "products"),
        lambda r: r == [1, 2, 3],
    ),
    (
        "post-duplicates",
        _relation_after("POST", f"{C}/1", {"products": refs(1)}, "products"),
        lambda r: r == [1, 2],
    ),
    (
        "subresource-patch-adds",
        _relation_after("PATCH", f"{C}/1/users", refs(5), "users"),
        lambda r: r == [5],
    ),
    ("large-per-page-500", _status("GET", f"{U}?per_page=201"), lambda s: s == 200),
]


@pytest.mark.parametrize(
    ("fault", "scenario", "conformant"), FAULT_CASES, ids=[case[0] for case in FAULT_CASES]
)
def test_fault_deviates_where_the_clean_server_conforms(
    fault: str, scenario: Scenario, conformant: Callable[[Any], bool]
) -> None:
    assert conformant(scenario(make())), "the clean server does not conform"
    assert not conformant(scenario(make((fault,)))), f"{fault} does not deviate"


def test_every_fault_has_a_case_and_known_rules() -> None:
    assert_fault_cases_cover_the_catalogue("leaddesk", [case[0] for case in FAULT_CASES])


def test_unknown_fault_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="no-such-fault"):
        make(("no-such-fault",))


def test_fault_details() -> None:
    """The exact shapes the faults produce, and deviations the table does not show."""
    nonstandard = token(make(("token-errors-nonstandard",)), grant(client_secret="wrong"))
    assert (nonstandard.status_code, nonstandard.json()["error"]) == (403, "bad_request")
    assert "www-authenticate" not in nonstandard.headers
    plain = token(make(("token-errors-plain-text",)), grant(password="wrong"))
    assert plain.headers["content-type"] == "text/plain; charset=utf-8"
    assert plain.text.startswith("invalid_grant: ")
    assert make(("token-errors-plain-text",)).get(U).json()["error"] == "unauthorized"  # resources: JSON
    assert make(("missing-token-403",)).get(U).json()["error"] == "forbidden"
    served = make(("missing-token-served",))
    assert served.post(P, json={"name": "Anonymous"}).json() == {"id": 6}  # as the password user
    assert make(("invalid-token-served",)).get(U, headers=bearer("nope")).json()["_meta"]["total"] == N
    no_refresh = make(("password-grant-no-refresh-token",))
    assert "refresh_token" in token(no_refresh, grant("client_user")).json()  # the other grants keep it
    unusable = make(("refresh-token-unusable",))
    second = refresh(unusable, token(unusable, grant()).json()["refresh_token"]).json()
    assert refresh(unusable, second["refresh_token"]).status_code == 200
    assert token(make(("unknown-grant-as-password",)), grant(grant_type=...)).status_code == 200
    assert token(make(("bad-password-accepted",)), grant(username="nobody", password="x")).status_code == 400
    bare = make(("errors-without-description",))
    assert bare.get(U).json() == {"error": "unauthorized"}
    assert token(bare, grant(password="x")).json() == {"error": "invalid_grant"}
    clamped = make(("validation-clamped",))
    auth = login(clamped)
    for query, count, self_query in (
        ("per_page=0", 1, "page=1&per_page=1"),
        ("per_page=501", N, "page=1&per_page=500"),
        ("page=x&per_page=ten", 25, "page=1&per_page=25"),
        ("page=-3", 25, "page=1&per_page=25"),
    ):
        body = clamped.get(f"{U}?{query}", headers=auth).json()
        assert len(body["collection"]) == count and body["_links"]["self"].endswith(self_query)
    found = make(("not-found-200",))
    assert found.get(f"{U}/999", headers=login(found)).json() == {}
    assert found.get(f"{C}/9/users", headers=login(found)).json() == {}
    assert found.delete(f"{P}/999", headers=login(found)).status_code == 404  # writes still 404
    crashing = make(("not-found-500",))
    assert crashing.get(f"{P}/999", headers=login(crashing)).json()["error"] == "internal_error"
    allowed = make(("delete-collection-404",))
    assert allowed.put(U, headers=login(allowed)).status_code == 405  # only DELETE
    malformed = make(("malformed-json-400",))
    headers = {**login(malformed), "Content-Type": "application/json"}
    assert malformed.post(P, headers=headers, content=b"{").json()["error"] == "bad_request"
    lenient = make(("non-json-accepted",))
    auth = login(lenient)
    assert lenient.post(P, headers={**auth, "Content-Type": "text/plain"}, content=b"name=Plain").json() == {
        "id": 6
    }
    assert lenient.get(f"{P}/6", headers=auth).json()["name"] == "Plain"
    assert lenient.post(P, headers=auth, content=b'{"name": "Raw"}').json() == {"id": 7}
    latin = make(("charset-latin1",))
    assert latin.get(U).headers["content-type"] == "application/json; charset=iso-8859-1"
    assert make(("html-content-type",)).get(U).headers["content-type"] == "text/html; charset=utf-8"
    dates = make(("dates-not-iso",))
    assert dates.get(f"{U}/1", headers=login(dates)).json()["created_at"] == "30.12.2018 16:18"
    underscored = make(("underscore-property",))
    assert underscored.get(f"{C}/2", headers=login(underscored)).json()["_internal_id"] == "campaign-000002"
    linkless = make(("object-no-links",))
    assert "_links" in linkless.get(U, headers=login(linkless)).json()["collection"][0]  # only single objects
    keyed = make(("collection-items-key",))
    assert [item["id"] for item in keyed.get(P, headers=login(keyed)).json()["items"]] == [1, 2, 3, 4, 5]
    stringly = make(("meta-total-string",))
    assert stringly.get(U, headers=login(stringly)).json()["_meta"]["total"] == str(N)
    twenty = make(("default-per-page-20",))
    assert ids(twenty.get(U, headers=login(twenty))) == USERS[:20]
    assert ids(twenty.get(f"{U}?per_page=25", headers=login(twenty))) == USERS[:25]
    capped = make(("per-page-max-100",))
    assert (
        capped.get(f"{U}?per_page=500", headers=login(capped))
        .json()["_links"]["self"]
        .endswith("per_page=100")
    )
    shifted = make(("page-offset-off-by-one",))
    auth = login(shifted)
    assert ids(shifted.get(f"{U}?per_page=7", headers=auth)) == USERS[:7]
    assert ids(shifted.get(f"{U}?per_page=7&page=2", headers=auth)) == USERS[8:15]
    last = make(("next-on-last-page",))
    auth = login(last)
    assert (
        last.get(f"{U}?page=5", headers=auth).json()["_links"]["next"] == f"{ROOT}/users?page=6&per_page=25"
    )
    assert "next" not in last.get(f"{U}?page=6", headers=auth).json()["_links"]  # the walk ends after it
    first = make(("prev-on-first-page",))
    assert first.get(U, headers=login(first)).json()["_links"]["prev"] == f"{ROOT}/users?page=0&per_page=25"
    plus_one = make(("total-off-by-one",))
    assert [len(p["collection"]) for p in walk(plus_one, login(plus_one), 30)] == [30, 30, 30, 30]
    silent = make(("create-no-id",))
    auth = login(silent)
    created = silent.post(C, headers=auth, json={"name": "x"})
    assert (created.status_code, created.content) == (204, b"")
    assert ids(silent.get(C, headers=auth)) == [1, 2, 3]
    verbose = make(("modify-200-body",))
    auth = login(verbose)
    assert verbose.patch(f"{P}/1", headers=auth, json={"price": 5}).json()["price"] == 5
    assert verbose.patch(f"{C}/1/users", headers=auth, json=refs(3)).json()["users"] == refs(3)
    assert verbose.post(f"{C}/1", headers=auth, json={"users": refs(4)}).status_code == 204
    soft = make(("delete-soft",))
    auth = login(soft)
    assert [soft.delete(f"{P}/1", headers=auth).status_code for _ in range(2)] == [204, 204]
    again = make(("second-delete-204",))
    assert again.delete(f"{P}/999", headers=login(again)).status_code == 404  # never deleted
    merged = make(("patch-array-merges",))
    auth = login(merged)
    merged.patch(f"{C}/1/users", headers=auth, json=refs(5))
    assert related(merged, 1, "users") == [5]  # the sub-resource still replaces
    replacing = make(("post-replaces",))
    replacing.post(f"{C}/1/users", headers=login(replacing), json=refs(5))
    assert related(replacing, 1, "users") == [1, 2, 5]  # the sub-resource still adds
    doubled = make(("post-duplicates",))
    doubled.post(f"{C}/1/users", headers=login(doubled), json=refs(2, 2))
    assert related(doubled, 1, "users") == [1, 2, 2, 2]
    adds = make(("subresource-patch-adds",))
    auth = login(adds)
    adds.patch(f"{C}/1", headers=auth, json={"users": refs(5)})
    assert related(adds, 1, "users") == [5]  # the parent still replaces
    large = make(("large-per-page-500",))
    auth = login(large)
    assert large.get(f"{U}?per_page=200", headers=auth).status_code == 200
    broken = large.get(f"{U}?per_page=201", headers=auth)
    assert (broken.status_code, broken.json()["error"]) == (500, "internal_error")
