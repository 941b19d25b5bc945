"""The Livespace envelope rules, as functions over one response's status, media type and body,
so that they apply alike to a live response and to a recorded exchange."""

from __future__ import annotations

from typing import Any

from apiconform.client import parse_json
from apiconform.providers.livespace.profile import RESULT_CODES

ENVELOPE_KEYS = frozenset({"data", "error", "result", "status"})


def parse(body: str) -> Any:
    try:
        return parse_json(body)
    except ValueError:
        return None


def problems(status: int | None, body: str) -> dict[str, str]:
    """Rule id -> what is wrong with this response, for each envelope rule it breaks."""
    found: dict[str, str] = {}
    if status != 200:
        found["livespace.envelope.http-200"] = f"HTTP {status}"
    parsed = parse(body)
    if not isinstance(parsed, dict):
        found["livespace.envelope.json"] = "the body is not a JSON object"
        return found
    keys = set(parsed)
    if keys != ENVELOPE_KEYS:
        missing, extra = sorted(ENVELOPE_KEYS - keys), sorted(keys - ENVELOPE_KEYS)
        found["livespace.envelope.exact-keys"] = f"keys missing {missing}, extra {extra}"
    result, flag = parsed.get("result"), parsed.get("status")
    if not isinstance(flag, bool):
        found["livespace.envelope.status-iff-200"] = f"status is {flag!r}, not a boolean"
    elif flag is not (result == 200):
        found["livespace.envelope.status-iff-200"] = f"status {flag} with result {result!r}"
    if not (isinstance(result, int) and not isinstance(result, bool) and result in RESULT_CODES):
        found["livespace.envelope.documented-result"] = f"result {result!r} is not a documented code"
    return found


ENVELOPE_RULES = (
    "livespace.envelope.http-200",
    "livespace.envelope.json",
    "livespace.envelope.exact-keys",
    "livespace.envelope.status-iff-200",
    "livespace.envelope.documented-result",
)
