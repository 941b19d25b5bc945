"""Observer checks: rules held over every exchange a run recorded (the masked `Exchange`s), for
tests marked `observer`, which run last."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apiconform.client import ApiClient
from apiconform.errors import CheckFailed
from apiconform.recording import BodyNotKept, Exchange

#: what `recorded_json` gives for a body too large to have been kept: nothing can be judged on it
NOT_KEPT: Any = object()


def answered_exchanges(client: ApiClient, base_url_masked: str) -> list[Exchange]:
    """The exchanges with the API itself (URLs under the masked base URL; not, e.g., a probe of
    another address) that got a response."""
    return [e for e in client.exchanges if e.url.startswith(base_url_masked) and e.status is not None]


def recorded_json(exchange: Exchange) -> Any:
    """The exchange's whole response body parsed (never the recorded text, which is cut), None
    when it is not JSON, `NOT_KEPT` when it was too large to keep for a later look."""
    try:
        return exchange.json()
    except ValueError:
        return None
    except BodyNotKept:
        return NOT_KEPT


def content_type(exchange: Exchange) -> str:

    return next((v for k, v in exchange.response_headers if k.lower() == "content-type"), "")


def report(problems: Iterable[tuple[Exchange, str]], what: str) -> None:
    """Fail (CheckFailed, resting on the first three exchanges), naming how many exchanges `what`
    and showing the first three with a reproduction; do nothing when there are no problems."""
    found = list(problems)
    if found:
        lines = [f"{len(found)} response(s) {what}; first ones:"]
        for exchange, reason in found[:3]:
            lines += [f"{reason}: {exchange.summary()}", f"  reproduce: {exchange.curl()}"]
        raise CheckFailed("\n".join(lines), [exchange for exchange, _ in found[:3]])
