"""The Livespace server's fault cases, for the generic fault tests (tests/reference/test_faults.py):
`FAULT_CASES`, one `(fault, scenario, conformant)` per fault of the catalogue in its order (each
scenario runs on a fresh server with the given faults), and the factory `make(faults)`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

from apiconform.providers.livespace.calls import signature
from apiconform.providers.livespace.envelope import ENVELOPE_KEYS, problems
from tests.reference.livespace.helpers import (
    READ,
    TestClient,
    auth_fields,
    call,
    make,
    post,
    server_of,
    token,
)
from tests.reference.livespace.probes import (
    AUTH_CASES,
    dropped,
    made_up_session,
    mutated,
    set_to,
    signed_with,
    unknown_key,
)

__all__ = ["FAULT_CASES", "make"]

Scenario = Callable[[TestClient], Any]


def json_of(probe: Callable[[TestClient], httpx.Response]) -> Scenario:
    return lambda c: probe(c).json()


def result_of(probe: Callable[[TestClient], httpx.Response]) -> Scenario:
    return lambda c: probe(c).json()["result"]


def unknown_module(c: TestClient) -> httpx.Response:
    return call(c, "Nope", "getAll")


def get_all(c: TestClient) -> httpx.Response:
    return call(c, "Contact", "getAll", {"limit": 2})


def reused(c: TestClient) -> Any:
    fields = auth_fields(c)
    return [post(c, "Contact", "getAll", fields).json()["result"] for _ in range(2)]


def auth_failures(c: TestClient) -> list[int]:
    probes = dict((what, probe) for what, probe, _ in AUTH_CASES)
    names = ("_api_auth other", "_api_sha missing", "unknown key", "unknown session")
    return [probes[name](c).json()["result"] for name in names]


def fetched_each_time(c: TestClient) -> list[int]:
    """Three calls, each with its own freshly fetched token and session."""
    return [get_all(c).json()["result"] for _ in range(3)]


def swapped(c: TestClient) -> list[int]:
    """An unknown key at getToken, and a wrong signature."""
    return [
        token(c, "key-nobody").json()["result"],
        signed_with(lambda k, t, s: signature(k, t, "x"))(c).json()["result"],
    ]


def invalid(c: TestClient) -> list[int]:
    return [
        call(c, "Contact", "getAll", {"limit": "x"}).json()["result"],
        call(c, "Contact", "add", {"lastname": "no first name"}).json()["result"],
        call(c, "Contact", "get", {}).json()["result"],
        call(c, "Contact", "get", {"id": {"x": 1}}).json()["result"],
    ]


def forbidden_write(c: TestClient) -> tuple[int, int]:
    refused = call(c, "Contact", "add", {"firstname": "R"}, user=READ).json()["result"]
    return refused, len(server_of(c).store.contacts)


def deleted_then_get(c: TestClient) -> int:
    added = call(c, "Contact", "add", {"firstname": "Gone"}).json()["data"]["id"]
    call(c, "Contact", "delete", {"id": added})
    result_code: int = call(c, "Contact", "get", {"id": added}).json()["result"]
    return result_code


def large_limit(c: TestClient) -> dict[str, str]:
    response = call(c, "Contact", "getAll", {"limit": 60})
    found: dict[str, str] = problems(response.status_code, response.text)
    return found


def missing(name: str) -> Scenario:
    return result_of(mutated(dropped(name)))


CLIENT_CASES: list[tuple[str, Scenario, Callable[[Any], bool]]] = [
    ("http-status-mirrors-result", lambda c: unknown_module(c).status_code, lambda s: s == 200),
    (
        "html-on-error",
        lambda c: unknown_module(c).headers["content-type"],
        lambda t: t == "application/json",
    ),
    ("envelope-extra-key", json_of(get_all), lambda b: set(b) == ENVELOPE_KEYS),
    ("envelope-missing-error", json_of(get_all), lambda b: set(b) == ENVELOPE_KEYS),
    ("status-true-on-error", json_of(unknown_module), lambda b: b["status"] is False),
    ("status-as-string", json_of(get_all), lambda b: b["status"] is True),
    ("undocumented-result", result_of(unknown_module), lambda r: r == 514),
    (
        "token-without-session",
        lambda c: token(c).json()["data"]["session_id"],
        lambda s: re.fullmatch(r"[0-9a-f]{32}", s) is not None,
    ),
    ("sha-secret-first", result_of(get_all), lambda r: r == 200),
    ("missing-sha-served", missing("_api_sha"), lambda r: r == 561),
    ("unknown-key-served", result_of(unknown_key), lambda r: r == 562),
    (
        "bad-signature-served",
        result_of(signed_with(lambda k, t, s: signature(k, t, "x"))),
        lambda r: r == 563,
    ),
    ("unknown-session-served", result_of(made_up_session), lambda r: r == 563),
    ("unknown-auth-method-served", result_of(mutated(set_to("_api_auth", "oauth"))), lambda r: r == 560),
    ("session-reissued", fetched_each_time, lambda r: r == [200, 200, 200]),
    ("session-reusable", reused, lambda r: r == [200, 563]),
    ("imprecise-auth-codes", auth_failures, lambda r: r == [560, 561, 562, 563]),
    (
        "auth-codes-swapped",
        swapped,
        lambda r: r == [562, 563],
    ),
    (
        "read-only-can-write",
        result_of(lambda c: call(c, "Contact", "add", {"firstname": "R"}, user=READ)),
        lambda r: r == 540,
    ),
    (
        "read-only-reads-refused",
        result_of(lambda c: call(c, "Contact", "getAll", {"limit": 1}, user=READ)),
        lambda r: r == 200,
    ),
    ("forbidden-write-applied", forbidden_write, lambda r: r == (540, 30)),
    ("unknown-method-400", result_of(lambda c: call(c, "Contact", "nope")), lambda r: r == 515),
    (
        "unknown-format-served",
        result_of(lambda c: call(c, "Contact", "getAll", fmt="xml")),
        lambda r: r == 516,
    ),
    (
        "contact-missing-created",
        lambda c: [
            get_all(c).json()["data"]["items"][0],
            call(c, "Contact", "get", {"id": 1}).json()["data"],
        ],
        lambda items: all("created" in item for item in items),
    ),
    (
        "get-another-contact",
        lambda c: [call(c, "Contact", "get", {"id": n}).json()["data"]["id"] for n in (1, 30)],
        lambda ids: ids == [1, 30],
    ),
    ("validation-ignored", invalid, lambda r: r == [420] * 4),
    ("validation-550", invalid, lambda r: r == [420] * 4),
    ("delete-not-applied", deleted_then_get, lambda r: r == 400),
    ("large-limit-crash", large_limit, lambda found: found == {}),
]


def on_a_fresh_server(scenario: Scenario) -> Callable[[tuple[str, ...]], Any]:
    """`scenario` run against a fresh server with the given faults."""
    return lambda faults: scenario(make(faults))


FAULT_CASES = [
    (fault, on_a_fresh_server(scenario), conformant) for fault, scenario, conformant in CLIENT_CASES
]
