"""The authorization probes: one signed getAll call per way of getting its four authorization
fields right or wrong (`AUTH_CASES`: what, probe, the clean server's result)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from apiconform.providers.livespace.calls import signature
from tests.reference.livespace.helpers import MAIN, READ, TestClient, auth_fields, post, session


def mutated(change: Callable[[dict[str, Any]], None]) -> Callable[[TestClient], httpx.Response]:
    def run(c: TestClient) -> httpx.Response:
        fields = auth_fields(c)
        change(fields)
        return post(c, "Contact", "getAll", fields)

    return run


def dropped(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda fields: fields.pop(name)


def set_to(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda fields: fields.__setitem__(name, value)


def session_of_read_only_user(c: TestClient) -> httpx.Response:
    tok, session_id = session(c, READ[0])
    fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
    return post(c, "Contact", "getAll", {**fields, "_api_sha": signature(MAIN[0], tok, MAIN[1])})


def signed_with(sign: Callable[[str, str, str], str]) -> Callable[[TestClient], httpx.Response]:
    def run(c: TestClient) -> httpx.Response:
        tok, session_id = session(c)
        fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
        return post(c, "Contact", "getAll", {**fields, "_api_sha": sign(MAIN[0], tok, MAIN[1])})

    return run


def unknown_key(c: TestClient) -> httpx.Response:
    tok, session_id = session(c)
    fields = {"_api_auth": "key", "_api_key": "key-unknown", "_api_session": session_id}
    return post(c, "Contact", "getAll", {**fields, "_api_sha": signature("key-unknown", tok, MAIN[1])})


def made_up_session(c: TestClient) -> httpx.Response:
    tok, session_id = "ab" * 20, "cd" * 16
    fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
    return post(c, "Contact", "getAll", {**fields, "_api_sha": signature(MAIN[0], tok, MAIN[1])})


AUTH_CASES: list[tuple[str, Callable[[TestClient], httpx.Response], int]] = [
    ("correct", mutated(lambda fields: None), 200),
    ("upper-case sha", signed_with(lambda k, t, s: signature(k, t, s).upper()), 200),
    ("_api_auth other", mutated(set_to("_api_auth", "oauth")), 560),
    ("_api_auth a list", mutated(set_to("_api_auth", ["key"])), 560),
    ("_api_auth missing", mutated(dropped("_api_auth")), 561),
    ("_api_key missing", mutated(dropped("_api_key")), 561),
    ("_api_session missing", mutated(dropped("_api_session")), 561),
    ("_api_sha missing", mutated(dropped("_api_sha")), 561),
    ("_api_sha empty", mutated(set_to("_api_sha", "")), 561),
    ("_api_key a number", mutated(set_to("_api_key", 7)), 561),
    ("_api_session null", mutated(set_to("_api_session", None)), 561),
    ("unknown key", unknown_key, 562),
    ("unknown session", made_up_session, 563),
    ("session of another key", session_of_read_only_user, 563),
    ("wrong secret", signed_with(lambda k, t, s: signature(k, t, "wrong")), 563),
    ("secret first", signed_with(lambda k, t, s: signature(s, t, k)), 563),
    ("non-ASCII sha", mutated(set_to("_api_sha", "ä" * 40)), 563),
]
