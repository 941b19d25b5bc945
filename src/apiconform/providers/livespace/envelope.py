"""The Livespace envelope rules, as functions over one response's status, media type and body,
so that they apply alike to a live response and to a recorded exchange.

What the document states (Responses): every call answers HTTP 200 "with the actual status in the
response like this", an object with `data`, `error`, `result` and `status`, `status` false on a
failure (the example: result 561), `result` one of the tabled codes. What it leaves open, and
the suite accepts as a MUST: members beyond those four (a SHOULD asks for none), the value of
`status` on success (a SHOULD asks for true), and the types of `data` and `error`.
"""

from __future__ import annotations

from typing import Any

from apiconform.client import parse_json
from apiconform.providers.livespace.codes import RESULT_CODES
from apiconform.recording import BodyNotKept, Exchange

ENVELOPE_KEYS = frozenset({"data", "error", "result", "status"})


def parse(body: str) -> Any:
    try:
        return parse_json(body)
    except ValueError:
        return None


def is_code(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def problems(status: int | None, body: str) -> dict[str, str]:
    """Rule id -> what is wrong with this response, for each envelope rule it breaks."""
    return judge(status, parse(body))


def recorded_problems(exchange: Exchange) -> dict[str, str]:
    """`problems` of a recorded exchange, judged on its whole body (the recorded text is cut); a
    body too large to keep is judged on its status and whether it parsed (the live checks see
    the rest)."""
    try:
        parsed = exchange.json()
    except ValueError:
        parsed = None
    except BodyNotKept:
        judged = judge(exchange.status, None)  # the status, and "not an object": keep what is known
        known = {"livespace.envelope.http-200"} | (
            set() if exchange.body_json else {"livespace.envelope.json"}
        )
        return {rule: problem for rule, problem in judged.items() if rule in known}
    return judge(exchange.status, parsed)


def judge(status: int | None, parsed: Any) -> dict[str, str]:
    """Rule id -> what is wrong, for each envelope rule a response with this status and parsed body
    (None when it is not JSON) breaks."""
    found: dict[str, str] = {}
    if status != 200:
        found["livespace.envelope.http-200"] = f"HTTP {status}"
    if not isinstance(parsed, dict):
        found["livespace.envelope.json"] = "the body is not a JSON object"
        return found
    keys = set(parsed)
    if not keys >= ENVELOPE_KEYS:
        found["livespace.envelope.members"] = f"members missing: {sorted(ENVELOPE_KEYS - keys)}"
    if not keys <= ENVELOPE_KEYS:
        found["livespace.envelope.only-members"] = f"members beyond the four: {sorted(keys - ENVELOPE_KEYS)}"
    result, flag = parsed.get("result"), parsed.get("status")
    if is_code(result) and result != 200 and flag is not False:
        found["livespace.envelope.status-false-on-failure"] = f"status {flag!r} with result {result}"
    if result == 200 and flag is not True:
        found["livespace.envelope.status-true-on-success"] = f"status {flag!r} with result 200"
    if not (is_code(result) and result in RESULT_CODES):
        found["livespace.envelope.documented-result"] = f"result {result!r} is not a documented code"
    return found


ENVELOPE_RULES = (
    "livespace.envelope.http-200",
    "livespace.envelope.json",
    "livespace.envelope.members",
    "livespace.envelope.only-members",
    "livespace.envelope.status-false-on-failure",
    "livespace.envelope.status-true-on-success",
    "livespace.envelope.documented-result",
)
