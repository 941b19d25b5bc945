"""The Livespace rules judged from observed traffic (apiconform check, apiconform proxy): the
HTTP-200 envelope of every API call (apiconform.providers.livespace.envelope, the functions the
live suite uses): HTTP 200, a JSON object with data, error, result and status, status false on
a failure, result a documented code; no members beyond the four and status true on success are
SHOULDs. Only the API's own paths are judged (below the prefix of `token_path` and `call_path`,
by default `/api/`): a page of the same host that is no API call answers what it likes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from apiconform.checks.expect import fail
from apiconform.observed.observation import NOT_KEPT, Observed
from apiconform.observed.observer import Observer
from apiconform.observed.tally import Tally
from apiconform.profile import Profile
from apiconform.providers.livespace.envelope import ENVELOPE_RULES, judge

DEFAULT_PREFIX = "/api/"


def api_prefixes(options: Mapping[str, object]) -> tuple[str, ...]:
    """The path prefixes of API calls: what `token_path` and `call_path` hold before their first
    placeholder (by default `/api/`)."""
    found = []
    for key in ("token_path", "call_path"):
        value = options.get(key)
        if isinstance(value, str) and value.startswith("/"):
            found.append(value.split("{", 1)[0].rsplit("/", 1)[0] + "/")
    return tuple(found) or (DEFAULT_PREFIX,)


class Envelope(Observer):
    """The envelope rules over every API call."""

    needs: ClassVar[Mapping[str, str]] = dict.fromkeys(ENVELOPE_RULES, "an API call answered")

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        self.prefixes = prefixes

    def observe(self, seen: Observed, tally: Tally) -> None:
        if not seen.path.startswith(self.prefixes):
            return
        body = seen.json()
        if body is NOT_KEPT:
            judged = judge(seen.status, None)
            rules: tuple[str, ...] = ("livespace.envelope.http-200",)
        else:
            judged = judge(seen.status, body)
            rules = ENVELOPE_RULES
        for rule in rules:
            with tally.check(rule):
                if rule in judged:
                    fail(f"entry {seen.index}: {seen.method} {seen.path}: {judged[rule]}", seen.response)


def observers(profile: Profile, options: Mapping[str, object]) -> list[Observer]:
    """Livespace's observers (apiconform.observed.observer)."""
    return [Envelope(api_prefixes(options))]
