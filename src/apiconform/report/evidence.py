"""The recorded exchanges behind rule verdicts, as results.json carries them (all already masked).

A provider's document lists the exchanges its failed and errored rules rest on once, in
`exchanges`, each with an `id`: its position in the provider's recorded exchanges (the order of
its entries in traffic.har; an exchange past the recording limit gets an id after the last one).
A rule's `evidence` is the list of those ids. Reports read the exchanges from there: nothing here
reads a failure message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypedDict

from apiconform.recording import Exchange

if TYPE_CHECKING:
    from apiconform.report.results import ProviderDoc, RuleDoc
    from apiconform.run import ProviderResult


class ExchangeDoc(TypedDict):
    """One recorded exchange in results.json (schema: `$defs/exchange`)."""

    id: int
    method: str
    url: str
    request_headers: list[list[str]]
    request_body: str
    status: int | None
    response_headers: list[list[str]]
    response_body: str
    elapsed: float
    error: str | None
    rules: list[str]


def exchanges_of(result: ProviderResult) -> list[Exchange]:
    """The provider's recorded exchanges (`ProviderResult.exchanges` is typed loosely)."""
    return [exchange for exchange in result.exchanges if isinstance(exchange, Exchange)]


def exchange_doc(exchange: Exchange, exchange_id: int) -> ExchangeDoc:
    """`exchange` as results.json writes it, with its id."""
    return {
        "id": exchange_id,
        "method": exchange.method,
        "url": exchange.url,
        "request_headers": [[name, value] for name, value in exchange.request_headers],
        "request_body": exchange.request_body,
        "status": exchange.status,
        "response_headers": [[name, value] for name, value in exchange.response_headers],
        "response_body": exchange.response_body,
        "elapsed": round(exchange.elapsed, 6),
        "error": exchange.error,
        "rules": list(exchange.rules),
    }


def exchange_from_doc(doc: ExchangeDoc) -> Exchange:
    """The recorded exchange an ExchangeDoc describes (its text, curl and summary as recorded)."""
    return Exchange(
        method=doc["method"],
        url=doc["url"],
        request_headers=tuple((name, value) for name, value in doc["request_headers"]),
        request_body=doc["request_body"],
        status=doc["status"],
        response_headers=tuple((name, value) for name, value in doc["response_headers"]),
        response_body=doc["response_body"],
        elapsed=doc["elapsed"],
        error=doc["error"],
        rules=tuple(doc["rules"]),
    )


class CitedExchanges:
    """Ids for the exchanges a provider's rules rest on, each listed once (see module docstring)."""

    def __init__(self, recorded: Sequence[Exchange]) -> None:
        self._ids = {id(exchange): index for index, exchange in enumerate(recorded)}
        self._next = len(recorded)
        self._cited: dict[int, Exchange] = {}

    def ids(self, evidence: Iterable[Exchange]) -> list[int]:
        """The ids of `evidence`, in order, each exchange once; they are listed from now on."""
        found: list[int] = []
        for exchange in evidence:
            exchange_id = self._ids.get(id(exchange))
            if exchange_id is None:  # past the recording limit: not in the recorded list
                exchange_id = self._ids[id(exchange)] = self._next
                self._next += 1
            self._cited[exchange_id] = exchange
            if exchange_id not in found:
                found.append(exchange_id)
        return found

    def documents(self) -> list[ExchangeDoc]:
        """The exchanges cited so far, by id."""
        return [exchange_doc(self._cited[key], key) for key in sorted(self._cited)]


def cited(result: ProviderResult) -> tuple[dict[str, list[int]], list[ExchangeDoc]]:
    """Per rule id with evidence, the ids of its exchanges; and those exchanges, once each."""
    exchanges = CitedExchanges(exchanges_of(result))
    evidence = {r.rule.id: ids for r in result.rules if (ids := exchanges.ids(r.evidence))}
    return evidence, exchanges.documents()


def rule_evidence(provider: ProviderDoc, rule: RuleDoc) -> list[Exchange]:
    """The exchanges `rule`'s outcome rests on, from the provider's document (empty when it has
    none, or when the document comes from a version that wrote no evidence)."""
    by_id = {doc["id"]: doc for doc in provider.get("exchanges", [])}
    return [exchange_from_doc(by_id[key]) for key in rule.get("evidence", []) if key in by_id]
