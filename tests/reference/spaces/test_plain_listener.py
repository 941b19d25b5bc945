"""The Spaces server's plain-HTTP listener: 403 for every request (quirky: a redirect to HTTPS)."""

from __future__ import annotations

import pytest

from tests.reference.spaces.helpers import AUTH, JSON_TYPE, L, ids, make_plain, order


@pytest.mark.parametrize(("method", "path"), [("GET", L), ("GET", "/"), ("POST", f"{L}/x"), ("PURGE", L)])
def test_plain_listener_rejects_with_403(method: str, path: str) -> None:
    response = make_plain().request(method, path, headers=AUTH)
    assert response.status_code == 403
    assert response.headers["content-type"] == JSON_TYPE
    assert response.json() == {"message": "Requests over plain HTTP are rejected; use HTTPS."}
    assert "strict-transport-security" not in response.headers


@pytest.mark.parametrize(
    ("target", "location"),
    [
        (f"{L}?limit=1", f"https://spaces.test:8443{L}?limit=1"),
        (f"{L}/cus%20x", f"https://spaces.test:8443{L}/cus%20x"),
        ("/", "https://spaces.test:8443/"),
    ],
)
def test_quirky_plain_listener_redirects(target: str, location: str) -> None:
    response = make_plain(quirky=True).get(target)
    assert response.status_code == 301
    assert response.headers["location"] == location
    assert response.content == b""


def test_plain_http_served_serves_the_api_without_auth() -> None:
    plain = make_plain(("plain-http-served",))
    response = plain.get(L, params={"limit": 2})
    assert response.status_code == 200 and ids(response) == order()[:2]
    assert "strict-transport-security" not in response.headers
    assert plain.get("/api/v1/nope").status_code == 404


def test_plain_http_authenticated_served_serves_only_authenticated_requests() -> None:
    plain = make_plain(("plain-http-authenticated-served",))
    assert plain.get(L, params={"limit": 2}).status_code == 401
    response = plain.get(L, params={"limit": 2}, headers=AUTH)
    assert response.status_code == 200 and ids(response) == order()[:2]
    assert "strict-transport-security" not in response.headers
