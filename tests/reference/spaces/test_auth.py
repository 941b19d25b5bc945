"""The Spaces server's HTTP Basic authentication (the token as the user name), and that it comes
before routing and parameters."""

from __future__ import annotations

import base64

import pytest

from apiconform.providers.spaces.server import create_app
from apiconform.reference.serving import ServerOptions
from tests.reference.spaces.helpers import AUTH, JSON_TYPE, TOKEN, L, TestClient, basic, get


@pytest.mark.parametrize("password", ["", "ignored"])
def test_token_as_basic_user_name_authenticates(c: TestClient, password: str) -> None:
    assert get(c, headers=basic(TOKEN, password)).status_code == 200
    lower = {"Authorization": AUTH["Authorization"].replace("Basic", "basic")}
    assert get(c, headers=lower).status_code == 200


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Authentication required: send the access token as the HTTP Basic user name."),
        (
            {"Authorization": "  "},
            "Authentication required: send the access token as the HTTP Basic user name.",
        ),
        ({"Authorization": f"Bearer {TOKEN}"}, "Malformed Authorization header"),
        ({"Authorization": "Basic !!not-base64"}, "Malformed Authorization header"),
        ({"Authorization": "Basic " + base64.b64encode(TOKEN.encode()).decode()}, "Malformed"),
        ({"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:").decode()}, "Malformed"),
        (basic("tok_unknown"), "Invalid access token."),
        (basic("", TOKEN), "Invalid access token."),
    ],
)
@pytest.mark.parametrize("path", [L, f"{L}/cus_nope", "/api/v1/nope"])
def test_unauthenticated_requests_get_401(
    c: TestClient, headers: dict[str, str], message: str, path: str
) -> None:
    response = get(c, path, headers=headers, limit="ten")  # authentication precedes parameters
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Spaces"'
    assert response.headers["content-type"] == JSON_TYPE
    assert response.json()["message"].startswith(message)


def test_non_ascii_authorization_is_401(c: TestClient) -> None:
    response = c.get(L, headers={"Authorization": b"Basic dG9r\xe9"})
    assert response.status_code == 401 and response.json()["message"].startswith("Malformed")


def test_no_token_configured_authenticates_nobody() -> None:
    c = TestClient(create_app(ServerOptions()))
    assert get(c).status_code == 401
    assert get(c, headers=basic("")).status_code == 401


def test_the_plain_http_probe_token_authenticates_too() -> None:
    """The revocable second token (plain_http_probe_token) is an access token like the first."""
    options = ServerOptions(credentials={"access_token": TOKEN, "plain_http_probe_token": "tok_throwaway_1"})
    server = TestClient(create_app(options))
    assert get(server, headers=basic("tok_throwaway_1")).status_code == 200
    assert get(server, headers=basic(TOKEN)).status_code == 200
    assert get(server, headers=basic("tok_unknown")).status_code == 401
