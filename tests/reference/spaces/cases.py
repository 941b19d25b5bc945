"""The Spaces server's fault cases, for the generic fault tests (tests/reference/test_faults.py):
`FAULT_CASES`, one `(fault, scenario, conformant)` per fault of the catalogue in its order, and the
factories `make(faults)` (the API) and `make_plain(faults)` (the plain-HTTP listener)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.reference.spaces.helpers import (
    AUTH,
    COUNT,
    JSON_TYPE,
    L,
    basic,
    get,
    make,
    make_plain,
    order,
    page,
    walk,
)

__all__ = ["FAULT_CASES", "make", "make_plain"]

Scenario = Callable[[tuple[str, ...]], Any]


def status(path: str = L, headers: dict[str, str] | None = None, **params: Any) -> Scenario:
    return lambda faults: get(make(faults), path, headers, **params).status_code


def statuses(*queries: dict[str, Any]) -> Scenario:
    return lambda faults: [get(make(faults), **query).status_code for query in queries]


def cursor_statuses(cursor: str) -> Scenario:
    """The statuses of `cursor` as starting_after and as starting_before."""
    return statuses({"starting_after": cursor}, {"starting_before": cursor})


def body(path: str = L, headers: dict[str, str] | None = None, **params: Any) -> Scenario:
    return lambda faults: get(make(faults), path, headers, **params).json()


def listed(**params: Any) -> Scenario:
    """(ids, has_more), with the cursors given as positions in the clean list order."""

    def scenario(faults: tuple[str, ...]) -> Any:
        query = {k: order()[v] if k.startswith("starting_") else v for k, v in params.items()}
        return page(make(faults), **query)

    return scenario


def served(**params: Any) -> Scenario:
    """(status, how many objects the page holds)."""

    def scenario(faults: tuple[str, ...]) -> Any:
        response = get(make(faults), **params)
        return response.status_code, len(response.json().get("data", []))

    return scenario


def walked(limit: int) -> Scenario:
    return lambda faults: [i for found, _ in walk(make(faults), "after", limit) for i in found]


def every_item_has_id(faults: tuple[str, ...]) -> Any:
    return get(make(faults), limit=10).json()["data"]


def plain_status(faults: tuple[str, ...], headers: dict[str, str] | None = None) -> Any:
    return make_plain(faults).get(L, params={"limit": 1}, headers=headers or {}).status_code


def messages(faults: tuple[str, ...]) -> list[Any]:
    """The messages of a 401, a 404 and a 400."""
    server = make(faults)
    answers = [get(server, headers={}), get(server, "/api/v1/nope"), get(server, limit="ten")]
    return [answer.json().get("message") for answer in answers]


FAULT_CASES: list[tuple[str, Scenario, Callable[[Any], bool]]] = [
    ("basic-empty-password-rejected", status(), lambda s: s == 200),
    ("bearer-only", status(), lambda s: s == 200),
    ("missing-auth-served", status(headers={}), lambda s: s == 401),
    ("missing-auth-403", status(headers={}), lambda s: s == 401),
    ("invalid-token-served", status(headers=basic("tok_unknown")), lambda s: s == 401),
    (
        "no-www-authenticate",
        lambda faults: get(make(faults), headers={}).headers.get("www-authenticate", ""),
        lambda challenge: challenge.startswith("Basic"),
    ),
    ("plain-http-served", plain_status, lambda s: not 200 <= s < 300),
    (
        "plain-http-redirect-with-data",
        lambda faults: make_plain(faults).get(L).json(),
        lambda body: "data" not in body,
    ),
    (
        "plain-http-authenticated-served",
        lambda faults: plain_status(faults, AUTH),
        lambda s: not 200 <= s < 300,
    ),
    ("no-hsts", lambda faults: get(make(faults)).headers.get("strict-transport-security"), bool),
    ("list-bare-array", body(), lambda b: isinstance(b, dict)),
    ("list-object-missing", body(), lambda b: b.get("object") == "list"),
    ("has-more-string", body(), lambda b: isinstance(b["has_more"], bool)),
    ("limit-required", status(), lambda s: s == 200),
    ("cursor-required", status(limit=1), lambda s: s == 200),
    ("objects-without-id", every_item_has_id, lambda items: all("id" in item for item in items)),
    ("default-limit-10", listed(), lambda p: len(p[0]) == 20),
    ("limit-exceeded", listed(limit=5), lambda p: len(p[0]) == 5),
    ("limit-off-by-one", listed(limit=5), lambda p: len(p[0]) == 5),
    ("limit-unbounded", statuses({"limit": 0}, {"limit": 101}), lambda s: s == [400, 400]),
    ("limit-above-max-served", served(limit=101), lambda s: s[0] == 400 or s[1] <= 100),
    ("limit-clamped", statuses({"limit": 0}, {"limit": 101}), lambda s: s == [400, 400]),
    ("starting-after-inclusive", listed(limit=3, starting_after=10), lambda p: p[0] == order()[11:14]),
    ("starting-after-skips-one", listed(limit=3, starting_after=10), lambda p: p[0] == order()[11:14]),
    ("starting-before-ignored", listed(limit=3, starting_before=10), lambda p: p[0] == order()[7:10]),
    ("starting-before-as-after", listed(limit=3, starting_before=10), lambda p: p[0] == order()[7:10]),
    ("has-more-always-true", listed(limit=3, starting_after=COUNT - 2), lambda p: p[1] is False),
    ("has-more-when-full", listed(limit=5, starting_after=COUNT - 6), lambda p: p[1] is False),
    ("has-more-backward-list-order", listed(limit=3, starting_before=2), lambda p: p[1] is False),
    ("order-depends-on-limit", walked(5), lambda walk: walk == order()),
    (
        "both-cursors-500",
        lambda faults: get(make(faults), starting_after=order()[0], starting_before=order()[5]).status_code,
        lambda s: s == 400,
    ),
    ("unknown-cursor-first-page", cursor_statuses("cus_nope"), lambda s: s == [400, 400]),
    ("unknown-cursor-500", cursor_statuses("cus_nope"), lambda s: s == [400, 400]),
    ("garbage-cursor-500", cursor_statuses("apiconform: not an ID!"), lambda s: s == [400, 400]),
    ("unknown-cursor-422", cursor_statuses("cus_nope"), lambda s: s == [400, 400]),
    ("unknown-customer-400", status(f"{L}/cus_nope"), lambda s: s == 404),
    ("unknown-path-200", status("/api/v1/nope"), lambda s: s == 404),
    ("invalid-limit-ignored", status(limit="ten"), lambda s: s == 400),
    ("invalid-limit-422", status(limit="ten"), lambda s: s == 400),
    (
        "errors-html",
        lambda faults: get(make(faults), f"{L}/cus_nope").headers["content-type"],
        lambda content_type: content_type == JSON_TYPE,
    ),
    (
        "errors-text-plain",
        lambda faults: get(make(faults), f"{L}/cus_nope").headers["content-type"],
        lambda content_type: content_type == JSON_TYPE,
    ),
    ("errors-no-message", body(f"{L}/cus_nope"), lambda b: isinstance(b.get("message"), str)),
    (
        "error-message-codes",
        messages,
        lambda found: all(" " in message for message in found),
    ),
    ("error-message-constant", messages, lambda found: len(set(found)) == len(found)),
    ("list-large-limit-500", status(limit=51), lambda s: s == 200),
]
