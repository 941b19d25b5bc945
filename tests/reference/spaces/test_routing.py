"""The Spaces server's routes (404, 405 with Allow, HEAD) and the headers of every response."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference.spaces.helpers import AUTH, HSTS, JSON_TYPE, L, TestClient, get, order, server_of


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nope", 404),
        ("GET", "/api/v1", 404),
        ("GET", "/", 404),
        ("GET", f"{L}/", 404),
        ("GET", f"{L}/cus_nope/extra", 404),
        ("POST", L, 405),
        ("DELETE", f"{L}/cus_nope", 405),
        ("OPTIONS", L, 405),
        ("PURGE", L, 405),
        ("POST", "/api/v1/nope", 404),
    ],
)
def test_unknown_paths_and_methods(c: TestClient, method: str, path: str, status: int) -> None:
    response = c.request(method, path, headers=AUTH)
    assert response.status_code == status
    assert isinstance(response.json()["message"], str) and response.json()["message"]
    if status == 405:
        assert response.headers["allow"] == "GET, HEAD"
    else:
        assert response.json()["message"] == f"Unrecognized request URL ({method} {path})."


def test_head_is_served_like_get(c: TestClient) -> None:
    response = c.head(L, headers=AUTH)
    assert response.status_code == 200 and response.headers["content-type"] == JSON_TYPE


@pytest.mark.parametrize(
    ("path", "params", "headers", "status"),
    [
        (L, {}, AUTH, 200),
        (f"{L}/{{first}}", {}, AUTH, 200),
        (L, {"limit": 0}, AUTH, 400),
        (L, {}, {}, 401),
        (f"{L}/cus_nope", {}, AUTH, 404),
        ("/api/v1/nope", {}, AUTH, 404),
    ],
)
def test_every_response_is_json_with_hsts(
    c: TestClient, path: str, params: dict[str, Any], headers: dict[str, str], status: int
) -> None:
    response = c.get(path.format(first=order()[0]), params=params, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == JSON_TYPE
    assert response.headers["strict-transport-security"] == HSTS
    assert isinstance(response.json(), dict)
    assert "x-ratelimit-limit" not in response.headers  # no rate limit is documented


def test_unhandled_exception_is_500_json(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(server_of(c), "list_response", boom)
    response = get(c)
    assert response.status_code == 500
    assert response.json() == {"message": "An unexpected error occurred."}
    assert response.headers["strict-transport-security"] == HSTS
