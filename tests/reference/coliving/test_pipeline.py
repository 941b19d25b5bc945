"""The Coliving reference server's pipeline and wire: envelopes and request ids, routes and
methods, bodies, the 500 envelope, and serving over uvicorn."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from apiconform.providers.coliving.server import create_app
from apiconform.reference.serving import RunningServer, ServerOptions
from tests.reference.coliving.helpers import (
    CREDS,
    GENERATED_ID,
    MAIN,
    L,
    TestClient,
    error,
    paths,
    server_of,
)


def test_success_envelope_and_request_id(c: TestClient) -> None:
    response = c.get(L, headers=MAIN)
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["data", "meta"]
    assert list(body["meta"]) == ["request_id", "pagination"]
    assert GENERATED_ID.fullmatch(body["meta"]["request_id"])
    assert response.headers["x-request-id"] == body["meta"]["request_id"]
    assert c.get(L, headers=MAIN).json()["meta"]["request_id"] != body["meta"]["request_id"]


@pytest.mark.parametrize("headers", [MAIN, {}])
def test_sent_request_id_is_echoed(c: TestClient, headers: dict[str, str]) -> None:
    response = c.get(L, headers={**headers, "X-Request-Id": "trace-42"})
    holder = response.json().get("meta") or response.json()["error"]
    assert holder["request_id"] == response.headers["x-request-id"] == "trace-42"


@pytest.mark.parametrize("sent", ["", "x" * 201])
def test_unusable_request_ids_are_replaced(c: TestClient, sent: str) -> None:
    response = c.get(L, headers={**MAIN, "X-Request-Id": sent})
    assert GENERATED_ID.fullmatch(response.headers["x-request-id"])
    assert c.get(L, headers={**MAIN, "X-Request-Id": "y" * 200}).headers["x-request-id"] == "y" * 200


@pytest.mark.parametrize(
    ("method", "path", "status", "type_"),
    [
        ("GET", "/v1/nothing", 404, "not_found"),
        ("GET", "/", 404, "not_found"),
        ("GET", "/v1/listings/", 404, "not_found"),
        ("DELETE", L, 405, "method_not_allowed"),
        ("GET", "/v1/users", 405, "method_not_allowed"),
        ("PUT", f"{L}/101", 405, "method_not_allowed"),
        ("TRACE", L, 405, "method_not_allowed"),
        ("MADE-UP", L, 405, "method_not_allowed"),
        ("TRACE", "/v1/nothing", 404, "not_found"),
    ],
)
def test_unknown_routes_and_methods(c: TestClient, method: str, path: str, status: int, type_: str) -> None:
    response = c.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert error(response)["type"] == type_
    assert error(response)["request_id"] == response.headers["x-request-id"]
    if status == 405:
        assert response.headers["allow"]


@pytest.mark.parametrize("content", [b"", b"{", b"[1, 2]", b'"text"', b"null", b'{"a": NaN}', b"\xff\xfe"])
def test_malformed_bodies_are_422_body(c: TestClient, content: bytes) -> None:
    response = c.post("/v1/users", headers={**MAIN, "Content-Type": "application/json"}, content=content)
    assert response.status_code == 422
    assert error(response)["type"] == "validation_error"
    assert paths(response) == ["body"]


def test_unhandled_exception_is_500_envelope(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(server_of(c).listings, "list_item", boom)
    response = c.get(L, headers=MAIN)
    assert response.status_code == 500
    assert error(response) == {
        "type": "internal_error",
        "message": "An unexpected error occurred.",
        "request_id": response.headers["x-request-id"],
        "errors": [],
    }


def test_serves_over_http_with_uvicorn() -> None:
    app = create_app(ServerOptions(credentials=CREDS))
    with RunningServer(app) as server:
        response = httpx.get(f"{server.base_url}{L}", headers=MAIN, params={"per_page": 1})
        assert response.status_code == 200 and len(response.json()["data"]) == 1
        head = httpx.head(f"{server.base_url}{L}", headers=MAIN)
        assert head.status_code == 200 and head.content == b""
        assert httpx.post(f"{server.base_url}/v1/users", headers=MAIN, content=b"{").status_code == 422
