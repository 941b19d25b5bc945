"""The Livespace server's routing: the HTTP method, format, module and method codes (before any
authorization), paths outside the API, how form bodies are read, and a real uvicorn server."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import httpx
import pytest

from apiconform.providers.livespace.calls import CALL_PATH, TOKEN_PATH, signature
from apiconform.reference.serving import RunningServer, ServerOptions
from tests.reference.livespace.helpers import CREDS, MAIN, TestClient, auth_fields, create_app, error, result


@pytest.mark.parametrize(
    ("method", "path", "form", "expected"),
    [
        ("GET", "/api/public/json/Contact/getAll", None, 400),
        ("PUT", "/api/public/json/Contact/getAll", {"data": "{}"}, 400),
        ("POST", "/api/public/xml/Contact/getAll", None, 516),
        ("POST", "/api/public/JSON/Contact/getAll", None, 516),
        ("POST", "/api/public/xml/Nope/nope", None, 516),  # format before module
        ("POST", "/api/public/json/Nope/getAll", None, 514),
        ("POST", "/api/public/json/contact/getAll", None, 514),  # names are case-sensitive
        ("POST", "/api/public/json/Nope/nope", None, 514),  # module before method
        ("POST", "/api/public/json/Contact", None, 514),
        ("POST", "/api/public/json/Contact/getAll/more", None, 514),
        ("POST", "/api/public/", None, 514),
        ("POST", "/api/public/json/Contact/nope", None, 515),  # method before data and auth
        ("POST", "/api/public/json/Contact/getall", None, 515),
        ("POST", "/api/public/json/Contact/getAll", None, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "{"}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "[1]"}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "null"}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "1" * 5000}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "[" * 100_000}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"other": "{}"}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "{}"}, 561),  # no authorization fields
    ],
)
def test_routing(c: TestClient, method: str, path: str, form: dict[str, str] | None, expected: int) -> None:
    assert error(c.request(method, path, data=form))[0] == expected


def test_paths_outside_the_api_are_404(c: TestClient) -> None:
    for path in ("/", "/api/public", "/api/json/Contact/getAll"):
        response = c.post(path)
        assert (response.status_code, response.text) == (404, "Not Found")


def test_form_bodies_are_read_as_urlencoded(c: TestClient) -> None:
    path = CALL_PATH.format(format="json", module="Contact", method="getAll")
    raw = urlencode([("data", json.dumps(auth_fields(c))), ("data", "ignored")])
    assert result(c.post(path, content=raw, headers={"Content-Type": "text/plain"})) == 200
    multipart = c.post(path, files={"data": ("data.json", json.dumps(auth_fields(c)))})
    assert result(multipart) == 561  # multipart is not read
    as_json = c.post(TOKEN_PATH, json={"_api_auth": "key", "_api_key": "key-main"})
    assert result(as_json) == 561  # a JSON body has no form fields
    twice = c.post(TOKEN_PATH, content=b"_api_auth=key&_api_key=key-main&_api_key=other")
    assert result(twice) == 200  # the first of repeated fields wins
    bad_utf8 = c.post(TOKEN_PATH, content=b"_api_auth=key&_api_key=\xff")
    assert result(bad_utf8) == 562
    many = c.post(TOKEN_PATH, content="&".join(f"f{n}=1" for n in range(200)).encode())
    assert result(many) == 561


def test_serves_over_http_with_uvicorn() -> None:
    with RunningServer(create_app(ServerOptions(credentials=CREDS))) as server:
        got = httpx.post(
            server.base_url + TOKEN_PATH, data={"_api_auth": "key", "_api_key": "key-main"}
        ).json()
        tok, session_id = got["data"]["token"], got["data"]["session_id"]
        fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id, "limit": 1}
        fields["_api_sha"] = signature(MAIN[0], tok, MAIN[1])
        path = CALL_PATH.format(format="json", module="Contact", method="getAll")
        response = httpx.post(server.base_url + path, data={"data": json.dumps(fields)})
        assert response.status_code == 200 and len(response.json()["data"]["items"]) == 1
        assert httpx.get(server.base_url + "/").status_code == 404


@pytest.mark.parametrize("method", ["TRACE", "PURGE"])
def test_methods_beyond_the_seven_are_a_plain_405(c: TestClient, method: str) -> None:
    """TRACE and made-up methods do not reach the server: Starlette's plain-text 405, with Allow."""
    for path in ("/api/public/json/Contact/getAll", "/"):
        response = c.request(method, path)
        assert (response.status_code, response.text) == (405, "Method Not Allowed")
        allowed = set(response.headers["allow"].split(", "))
        assert allowed == {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
