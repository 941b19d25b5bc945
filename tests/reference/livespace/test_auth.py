"""The Livespace server's signed calls: each authorization code, single-use sessions (spent by a
failing call, not by a routing error), bounded sessions, only the configured credentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from apiconform.providers.livespace import store as store_module
from tests.reference.livespace.helpers import (
    CONTACT_KEYS,
    MAIN,
    READ,
    STAMP,
    TestClient,
    User,
    auth_fields,
    call,
    data,
    error,
    make,
    post,
    result,
    server_of,
    token,
)
from tests.reference.livespace.probes import AUTH_CASES


def test_signed_call(c: TestClient) -> None:
    page = data(call(c, "Contact", "getAll"))
    assert page["total"] == 30
    assert [item["id"] for item in page["items"]] == list(range(1, 21))
    for item in page["items"]:
        assert set(item) == CONTACT_KEYS and STAMP.fullmatch(item["created"])
    assert sum(item["email"] is None for item in page["items"]) == 2
    assert data(call(c, "Contact", "getAll", user=READ))["total"] == 30


@pytest.mark.parametrize(("what", "probe", "expected"), AUTH_CASES, ids=[case[0] for case in AUTH_CASES])
def test_authorization(
    c: TestClient, what: str, probe: Callable[[TestClient], httpx.Response], expected: int
) -> None:
    response = probe(c)
    assert result(response) == expected, response.text
    if expected != 200:
        assert error(response)[0] == expected


def test_session_is_single_use(c: TestClient) -> None:
    fields = auth_fields(c)
    assert result(post(c, "Contact", "getAll", fields)) == 200
    assert error(post(c, "Contact", "getAll", fields)) == (
        563,
        "No authorization: the session was already used",
    )


@pytest.mark.parametrize(
    ("user", "method", "params", "first"),
    [
        (MAIN, "getAll", {"limit": 0}, 420),  # validation
        (READ, "add", {"firstname": "X"}, 540),  # permission
        (MAIN, "get", {"id": 999}, 400),  # method error
    ],
)
def test_a_failing_call_spends_its_session(
    c: TestClient, user: User, method: str, params: dict[str, Any], first: int
) -> None:
    fields = auth_fields(c, user)
    assert result(post(c, "Contact", method, {**fields, **params})) == first
    assert result(post(c, "Contact", "getAll", fields)) == 563


def test_a_wrong_signature_spends_the_session(c: TestClient) -> None:
    fields = auth_fields(c)
    assert result(post(c, "Contact", "getAll", {**fields, "_api_sha": "0" * 40})) == 563
    assert result(post(c, "Contact", "getAll", fields)) == 563


def test_routing_errors_do_not_spend_the_session(c: TestClient) -> None:
    fields = auth_fields(c)
    assert result(post(c, "Nope", "getAll", fields)) == 514
    assert result(post(c, "Contact", "nope", fields)) == 515
    assert result(post(c, "Contact", "getAll", fields, fmt="xml")) == 516
    assert result(post(c, "Contact", "getAll", fields)) == 200


def test_sessions_are_bounded(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "MAX_SESSIONS", 3)
    oldest = auth_fields(c)
    newer = [auth_fields(c) for _ in range(3)]
    assert len(server_of(c).store.sessions) == 3
    assert result(post(c, "Contact", "getAll", oldest)) == 563
    assert all(result(post(c, "Contact", "getAll", fields)) == 200 for fields in newer)


def test_only_configured_credentials_exist() -> None:
    alone = make(credentials={"api_key": "k", "api_secret": "s", "api_key_read_only": "r"})
    assert set(server_of(alone).store.users) == {"k"}
    assert result(token(alone, "r")) == 562
    assert data(call(alone, "Contact", "getAll", user=("k", "s")))["total"] == 30
    assert result(token(make(credentials={}))) == 562
