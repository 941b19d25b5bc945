"""The LeadDesk server's pipeline and route table (apiconform.providers.leaddesk.server): 405 with
Allow, 404 for unknown paths, HEAD, no rate limit, the 500, serving over HTTP.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from apiconform.providers.leaddesk.server import create_app
from apiconform.reference.serving import RunningServer, ServerOptions
from tests.reference.leaddesk.helpers import (
    CREDS,
    JSON_UTF8,
    C,
    P,
    S,
    TestClient,
    U,
    bearer,
    grant,
    schema_errors,
    server_of,
)


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
