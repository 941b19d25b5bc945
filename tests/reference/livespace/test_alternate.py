"""The Livespace server's alternate variant: the other reading at every silence point (its envelope,
names and shapes, validation, auth codes, token path and tokens for any key)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from apiconform.providers.livespace.calls import signature
from apiconform.providers.livespace.envelope import ENVELOPE_KEYS, problems
from apiconform.providers.livespace.server import ALTERNATE_TOKEN_PATH
from tests.reference.livespace.helpers import MAIN, READ, TestClient, User, make, post, server_of, token
from tests.reference.livespace.probes import AUTH_CASES, dropped, set_to

ALTERNATE_SHOULD_ONLY = {"livespace.envelope.only-members", "livespace.envelope.status-true-on-success"}


def alt_body(response: httpx.Response) -> dict[str, Any]:
    """The envelope of the alternate variant: every MUST envelope rule holds; the two SHOULDs it
    takes the other reading of (a fifth member, status 1 on success) do not."""
    found = problems(response.status_code, response.text)
    assert set(found) <= ALTERNATE_SHOULD_ONLY, found
    parsed: dict[str, Any] = response.json()
    assert set(parsed) == ENVELOPE_KEYS | {"request_id"}
    return parsed


def alt_token(c: TestClient, key: str = MAIN[0]) -> tuple[str, str]:
    data = alt_body(c.post(ALTERNATE_TOKEN_PATH, data={"_api_auth": "key", "_api_key": key}))["data"]
    assert set(data) == {"token", "session", "expires_in"}
    return data["token"], data["session"]


def alt_call(c: TestClient, method: str, params: dict[str, Any] | None = None, user: User = MAIN) -> Any:
    key, secret = user
    tok, session_id = alt_token(c, key)
    fields = {"_api_auth": "key", "_api_key": key, "_api_session": session_id}
    fields["_api_sha"] = signature(key, tok, secret)
    return alt_body(post(c, "Contact", method, {**fields, **(params or {})}))


@pytest.fixture
def alt() -> TestClient:
    return make(variant="alternate")


def test_alternate_envelope(alt: TestClient) -> None:
    assert alt_body(token(alt))["result"] == 514  # the token path working clients use
    ok = alt_body(alt.post(ALTERNATE_TOKEN_PATH, data={"_api_auth": "key", "_api_key": MAIN[0]}))
    assert (ok["status"], ok["error"], ok["result"]) == (1, None, 200)
    failed = alt_body(post(alt, "Nope", "x", {}))
    assert {k: failed[k] for k in ENVELOPE_KEYS} == {
        "data": [],
        "error": None,
        "result": 514,
        "status": False,
    }
    assert re.fullmatch(r"[0-9a-f]{16}", failed["request_id"])


def test_alternate_names_and_shapes(alt: TestClient) -> None:
    for plain in ("getAll", "get", "add", "delete"):  # 515 and 560 are both "Incorrect method"
        assert alt_call(alt, plain)["result"] == 560
    listed = alt_call(alt, "getContacts")["data"]
    assert isinstance(listed, list) and len(listed) == 30
    assert listed[0] == {
        "id": "C1",
        "name": "Anna",
        "surname": "Nowak",
        "email": "anna.nowak1@example.com",
        "created_at": "20240108T090000",
    }
    assert [item["id"] for item in alt_call(alt, "getContacts", {"limit": 2, "offset": 3})["data"]] == [
        "C4",
        "C5",
    ]
    assert alt_call(alt, "getContact", {"contact_id": "C3"})["data"]["surname"] == "Wiśniewska"
    for other in (3, {"x": 1}, "3", "C0"):  # nothing named: no data (not a validation error)
        assert alt_call(alt, "getContact", {"contact_id": other})["data"] is None
    assert alt_call(alt, "getContact", {"contact_id": "C99"}) | {"request_id": ""} == {
        "data": None,
        "error": None,
        "result": 200,
        "status": 1,
        "request_id": "",
    }


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("getContact", {}),
        ("getContact", {"contact_id": ""}),
        ("getContact", {"contact_id": "C1", "id": 1}),  # a parameter the method does not take
        ("getContacts", {"limit": 1001}),  # beyond what a real client sends
        ("getContacts", {"offset": 1_000_001}),
        ("getContacts", {"page": 1}),
        ("addContact", {"name": "Ola"}),  # every field required
        ("addContact", {"surname": "Zając"}),
        ("deleteContact", {}),
    ],
)
def test_alternate_validation(alt: TestClient, method: str, params: dict[str, Any]) -> None:
    assert alt_call(alt, method, params)["result"] == 420
    assert len(server_of(alt).store.contacts) == 30


def test_alternate_write_round_trip_and_permission(alt: TestClient) -> None:
    new = alt_call(alt, "addContact", {"name": "Ola", "surname": "Zając", "email": "o@x.pl"})["data"]
    assert new == "C31"
    assert alt_call(alt, "getContact", {"contact_id": new})["data"]["name"] == "Ola"
    assert alt_call(alt, "deleteContact", {"contact_id": new})["data"] is True
    assert alt_call(alt, "getContact", {"contact_id": new})["data"] is None
    assert alt_call(alt, "deleteContact", {"contact_id": new})["result"] == 400
    assert alt_call(alt, "addContact", {"name": "R", "surname": "O"}, user=READ)["result"] == 540
    assert len(server_of(alt).store.contacts) == 30


#: AUTH_CASES against the alternate: where the tables overlap it answers the other code.
ALTERNATE_CODES = {560: 515, 561: 550, 563: 530}


@pytest.mark.parametrize(("what", "probe", "expected"), AUTH_CASES, ids=[case[0] for case in AUTH_CASES])
def test_alternate_auth_codes(
    alt: TestClient, what: str, probe: Callable[[TestClient], httpx.Response], expected: int
) -> None:
    """The alternate's auth answers: 550 for missing parameters, 530 for a missing, unknown, used
    or foreign session (an unknown key on the configured key's session too: the session is bound
    to its key, checked first), 515 for an unknown _api_auth; 200 and a wrong signature's 563 stay."""
    wanted = ALTERNATE_CODES.get(expected, expected)
    if what in ("_api_session missing", "_api_session null", "unknown key"):
        wanted = 530
    if what in ("wrong secret", "secret first", "non-ASCII sha", "upper-case sha"):
        wanted = 563  # the alternate compares the signature exactly (lower-case hex)
    response = post(alt, "Contact", "getContacts", _alternate_fields(alt, what))
    assert alt_body(response)["result"] == wanted, (what, response.text)


def _alternate_fields(c: TestClient, what: str) -> dict[str, Any]:
    """The fields of AUTH_CASES' `what` probe, built on an alternate session."""
    tok, session_id = alt_token(c)
    fields: dict[str, Any] = {
        "_api_auth": "key",
        "_api_key": MAIN[0],
        "_api_session": session_id,
        "_api_sha": signature(MAIN[0], tok, MAIN[1]),
    }
    changes: dict[str, Callable[[dict[str, Any]], None]] = {
        "correct": lambda fields: None,
        "upper-case sha": set_to("_api_sha", signature(MAIN[0], tok, MAIN[1]).upper()),
        "_api_auth other": set_to("_api_auth", "oauth"),
        "_api_auth a list": set_to("_api_auth", ["key"]),
        "_api_auth missing": dropped("_api_auth"),
        "_api_key missing": dropped("_api_key"),
        "_api_session missing": dropped("_api_session"),
        "_api_sha missing": dropped("_api_sha"),
        "_api_sha empty": set_to("_api_sha", ""),
        "_api_key a number": set_to("_api_key", 7),
        "_api_session null": set_to("_api_session", None),
        "unknown key": set_to("_api_key", "key-unknown"),
        "unknown session": set_to("_api_session", "cd" * 16),
        "wrong secret": set_to("_api_sha", signature(MAIN[0], tok, "wrong")),
        "secret first": set_to("_api_sha", signature(MAIN[1], tok, MAIN[0])),
        "non-ASCII sha": set_to("_api_sha", "ä" * 40),
    }
    if what == "session of another key":
        _, foreign = alt_token(c, READ[0])
        fields["_api_session"] = foreign
    else:
        changes[what](fields)
    return fields


def test_alternate_session_is_single_use(alt: TestClient) -> None:
    tok, session_id = alt_token(alt)
    fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
    fields["_api_sha"] = signature(MAIN[0], tok, MAIN[1])
    assert [alt_body(post(alt, "Contact", "getContacts", fields))["result"] for _ in range(2)] == [200, 530]
    assert (
        alt_body(alt.post(ALTERNATE_TOKEN_PATH, data={"_api_auth": "oauth", "_api_key": MAIN[0]}))["result"]
        == 515
    )
    assert alt_body(alt.post(ALTERNATE_TOKEN_PATH, data={"_api_auth": "key"}))["result"] == 550


def test_alternate_token_for_any_key_is_refused_at_the_call(alt: TestClient) -> None:
    tok, session_id = alt_token(alt, "key-unknown")
    fields = {"_api_auth": "key", "_api_key": "key-unknown", "_api_session": session_id}
    fields["_api_sha"] = signature("key-unknown", tok, MAIN[1])
    assert alt_body(post(alt, "Contact", "getContacts", fields))["result"] == 562


def test_alternate_new_token_ends_the_keys_earlier_sessions(alt: TestClient) -> None:
    first_token, first = alt_token(alt)
    alt_token(alt)  # a new session for the same key
    fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": first}
    fields["_api_sha"] = signature(MAIN[0], first_token, MAIN[1])
    assert alt_body(post(alt, "Contact", "getContacts", fields))["result"] == 530
    alt_token(alt, READ[0])  # another key's session does not end this key's
    assert alt_call(alt, "getContacts", {})["result"] == 200
