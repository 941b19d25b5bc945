"""What the LeadDesk reference server's tests share: the credentials it is started with, its paths,
`make` (a test client of a fresh server), and the requests the tests send (token requests,
logins, calls with the password user's token, walks through the users)."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import httpx

from apiconform.providers.leaddesk.server import LeadDeskServer, create_app
from apiconform.providers.leaddesk.store import SEED_USERS
from apiconform.reference.serving import ServerOptions, Variant
from apiconform.schemastore import store

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
    "other_client_id": "client-other",
    "other_client_secret": "secret-other",
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
    token_lifetime: float | None = None,
) -> TestClient:
    """A test client of a fresh server (`token_lifetime`: its access tokens' seconds)."""
    options = ServerOptions(
        credentials=credentials,
        faults=frozenset(faults),
        variant="quirky" if quirky else variant,
        settings={} if token_lifetime is None else {"token_lifetime": token_lifetime},
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
