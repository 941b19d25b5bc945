"""The Livespace server's getToken: fresh tokens and sessions, and its errors."""

from __future__ import annotations

import re

import pytest

from apiconform.providers.livespace.calls import TOKEN_PATH
from tests.reference.livespace.helpers import READ, TestClient, body, data, error, token


def test_token_is_fresh_hex_every_time(c: TestClient) -> None:
    first, second = token(c), token(c)
    assert body(first)["error"] is None and body(first)["status"] is True
    tokens = [data(r) for r in (first, second)]
    for item in tokens:
        assert set(item) == {"token", "session_id"}
        assert re.fullmatch(r"[0-9a-f]{40}", item["token"]) and re.fullmatch(
            r"[0-9a-f]{32}", item["session_id"]
        )
    assert tokens[0] != tokens[1]
    assert data(token(c, READ[0]))["token"]


@pytest.mark.parametrize(
    ("key", "auth", "expected"),
    [
        (None, "key", 561),
        ("", "key", 561),
        ("key-main", "oauth", 560),
        ("key-main", None, 561),
        ("key-unknown", "key", 562),
        ("secret-main", "key", 562),
    ],
)
def test_token_errors(c: TestClient, key: str | None, auth: str | None, expected: int) -> None:
    assert error(token(c, key, auth))[0] == expected


def test_token_path_checks_method_and_format(c: TestClient) -> None:
    assert error(c.get(TOKEN_PATH))[0] == 400
    xml = TOKEN_PATH.replace("/json/", "/xml/")
    assert error(c.post(xml, data={"_api_auth": "key", "_api_key": "key-main"}))[0] == 516
