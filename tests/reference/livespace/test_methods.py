"""The Livespace server's Contact methods: getAll pages, get, validation (420 naming every invalid
parameter), permission, a write round trip, and an unexpected exception's 500 envelope."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference.livespace.helpers import (
    READ,
    STAMP,
    TestClient,
    call,
    data,
    error,
    result,
    server_of,
)


def test_get_all_pages(c: TestClient) -> None:
    page = data(call(c, "Contact", "getAll", {"limit": 5, "offset": 28, "unknown": [1]}))
    assert [item["id"] for item in page["items"]] == [29, 30] and page["total"] == 30
    assert data(call(c, "Contact", "getAll", {"offset": 1000}))["items"] == []
    assert len(data(call(c, "Contact", "getAll", {"limit": 100}))["items"]) == 30
    assert len(data(call(c, "Contact", "getAll", {"limit": None, "offset": None}))["items"]) == 20


def test_get(c: TestClient) -> None:
    contact = data(call(c, "Contact", "get", {"id": 3}))
    assert contact == data(call(c, "Contact", "getAll"))["items"][2]
    assert contact["firstname"] == "Maria" and contact["email"] == "maria.wisniewska3@example.com"
    assert error(call(c, "Contact", "get", {"id": 31})) == (400, "General method error: contact 31 not found")


@pytest.mark.parametrize(
    ("method", "params", "named"),
    [
        ("getAll", {"limit": "apiconform"}, ["limit"]),
        ("getAll", {"limit": 0}, ["limit"]),
        ("getAll", {"limit": 101}, ["limit"]),
        ("getAll", {"limit": 1.0}, ["limit"]),
        ("getAll", {"limit": True}, ["limit"]),
        ("getAll", {"offset": -1}, ["offset"]),
        ("getAll", {"offset": "1"}, ["offset"]),
        ("getAll", {"limit": [], "offset": {}}, ["limit", "offset"]),
        ("get", {}, ["id"]),
        ("get", {"id": "3"}, ["id"]),
        ("get", {"id": 0}, ["id"]),
        ("delete", {"id": None}, ["id"]),
        ("add", {}, ["firstname"]),
        ("add", {"firstname": "  "}, ["firstname"]),
        ("add", {"firstname": 1, "lastname": None}, ["firstname"]),
        ("add", {"firstname": "A", "lastname": 2, "email": 5}, ["lastname", "email"]),
        ("add", {"firstname": "A" * 256}, ["firstname"]),
    ],
)
def test_validation_errors_are_420_naming_the_parameters(
    c: TestClient, method: str, params: dict[str, Any], named: list[str]
) -> None:
    code, message = error(call(c, "Contact", method, params))
    assert code == 420 and message.startswith("Validation error: ")
    assert [part.split()[0] for part in message.removeprefix("Validation error: ").split("; ")] == named
    assert len(server_of(c).store.contacts) == 30


def test_read_only_user_cannot_write(c: TestClient) -> None:
    assert error(call(c, "Contact", "add", {"firstname": "X"}, user=READ)) == (
        540,
        "No permission: this API key may not call Contact/add",
    )
    assert result(call(c, "Contact", "delete", {"id": 1}, user=READ)) == 540
    assert result(call(c, "Contact", "add", {}, user=READ)) == 540  # permission before validation
    assert data(call(c, "Contact", "getAll", user=READ))["total"] == 30
    assert data(call(c, "Contact", "get", {"id": 1}, user=READ))["id"] == 1


def test_write_round_trip(c: TestClient) -> None:
    added = data(call(c, "Contact", "add", {"firstname": "Ola", "lastname": "Zając", "email": "o@x.pl"}))
    assert added == {"id": 31}
    contact = data(call(c, "Contact", "get", {"id": 31}))
    assert {k: v for k, v in contact.items() if k != "created"} == {
        "id": 31,
        "firstname": "Ola",
        "lastname": "Zając",
        "email": "o@x.pl",
    }
    assert STAMP.fullmatch(contact["created"])
    assert data(call(c, "Contact", "getAll", {"offset": 30}))["items"] == [contact]
    assert data(call(c, "Contact", "delete", {"id": 31})) == {"id": 31}
    assert result(call(c, "Contact", "get", {"id": 31})) == 400
    assert result(call(c, "Contact", "delete", {"id": 31})) == 400
    assert data(call(c, "Contact", "add", {"firstname": "Ela"})) == {"id": 32}  # ids are not reused
    assert (
        data(call(c, "Contact", "get", {"id": 32}))["lastname"] == ""
        and data(call(c, "Contact", "get", {"id": 32}))["email"] is None
    )
    assert data(call(c, "Contact", "getAll"))["total"] == 31


def test_unhandled_exception_is_500_envelope(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(params: Any) -> Any:
        raise KeyError("boom")

    contact = server_of(c).modules["Contact"]
    monkeypatch.setitem(contact, "getAll", type(contact["getAll"])(broken, write=False))
    assert error(call(c, "Contact", "getAll")) == (
        500,
        "General API error: the call could not be completed",
    )
