"""The recorded exchanges behind a rule's verdict, for reports (all of them already masked)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from apiconform.recording import Exchange
from apiconform.run import ProviderResult

REPRODUCE = "reproduce: "


def exchanges_of(result: ProviderResult) -> list[Exchange]:
    """The provider's recorded exchanges (`ProviderResult.exchanges` is typed loosely)."""
    return [exchange for exchange in result.exchanges if isinstance(exchange, Exchange)]


def exchanges_by_provider(results: Iterable[ProviderResult]) -> dict[str, list[Exchange]]:
    return {result.name: exchanges_of(result) for result in results}


def reproductions(message: str) -> list[str]:
    """The curl commands a failure message gives (`reproduce: curl ...` lines)."""
    found = []
    for line in message.splitlines():
        _, marker, command = line.partition(REPRODUCE)
        if marker and command.startswith("curl "):
            found.append(command.strip())
    return found


def failing_exchanges(exchanges: Sequence[Exchange], rule_id: str, message: str) -> list[Exchange]:
    """The exchanges a failure message points at (by its curl reproductions), or else the rule's
    last exchange; empty when the rule sent nothing."""
    own = [exchange for exchange in exchanges if rule_id in exchange.rules]
    wanted = reproductions(message)
    if wanted:
        by_curl: dict[str, Exchange] = {}
        for exchange in own or exchanges:
            by_curl[exchange.curl()] = exchange  # the last of identical requests
        named = [by_curl[command] for command in wanted if command in by_curl]
        if named:
            return named
    return own[-1:]


def failing_text(
    exchanges: Mapping[str, Sequence[Exchange]], provider: str, rule_id: str, message: str
) -> str:
    """The failing exchanges of a rule as text (empty when none was recorded)."""
    found = failing_exchanges(exchanges.get(provider, ()), rule_id, message)
    return "\n\n".join(exchange.as_text() for exchange in found)
