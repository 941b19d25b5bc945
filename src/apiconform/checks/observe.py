"""Observer checks: rules held over every exchange a run recorded (the masked `Exchange`s), for
tests marked `observer`, which run last."""

from __future__ import annotations

from collections.abc import Iterable

from apiconform.checks.expect import fail
from apiconform.client import ApiClient
from apiconform.recording import Exchange


def answered_exchanges(client: ApiClient, base_url_masked: str) -> list[Exchange]:
    """The exchanges with the API itself (URLs under the masked base URL; not, e.g., a probe of
    another address) that got a response."""
    return [e for e in client.exchanges if e.url.startswith(base_url_masked) and e.status is not None]


def content_type(exchange: Exchange) -> str:
    return next((v for k, v in exchange.response_headers if k.lower() == "content-type"), "")


def report(problems: Iterable[tuple[Exchange, str]], what: str) -> None:
    """Fail, naming how many exchanges `what` and showing the first three with a reproduction;
    do nothing when there are no problems."""
    found = list(problems)
    if found:
        lines = [f"{len(found)} response(s) {what}; first ones:"]
        for exchange, reason in found[:3]:
            lines += [f"{reason}: {exchange.summary()}", f"  reproduce: {exchange.curl()}"]
        fail("\n".join(lines))
