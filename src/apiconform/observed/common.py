"""Checks every provider's observers share: how an observed exchange is named in a message, and the
SHOULD that no request gets a 5xx (each provider has its own rule id for it)."""

from __future__ import annotations

from apiconform.checks.expect import check
from apiconform.observed.observation import Observed
from apiconform.observed.tally import Tally


def entry_name(seen: Observed, *, query: bool = False) -> str:
    """`entry N: METHOD /path` (with the query when asked), as messages name an exchange."""
    target = seen.path
    if query and "?" in seen.exchange.url:
        target += "?" + seen.exchange.url.split("?", 1)[1]
    return f"entry {seen.index}: {seen.method} {target}"


def no_server_error(rule: str, seen: Observed, tally: Tally) -> None:
    """Judge `rule` (a provider's no-server-error SHOULD): the exchange got no 5xx."""
    with tally.check(rule):
        check(seen.status < 500, f"{entry_name(seen)}: HTTP {seen.status}", seen.response)
