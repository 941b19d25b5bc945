"""Document coverage: which of a provider's statements the suite checks, computed from the data
(statements.toml, rules.toml `covers`/`partial`, and the fault catalogue), never hand-kept.

Each live statement has one status:
- `excluded`: not black-box testable (`testable = false`), or left out with a reason (`excluded`);
- `covered`: an active rule covers it wholly, and a reference-server fault names that rule (the
  fault proves the rule fails when the statement is broken);
- `partial`: a rule covers it only in part (its `partial` entry says what is left), or covers it
  but no fault proves that rule can fail;
- `uncovered`: testable, not excluded, and no rule covers it.

The percentage is covered / in scope, where in scope is every statement that is not excluded
(partial statements count as not covered).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from apiconform.registry import get_profile
from apiconform.rules import Catalogue, load_catalogue
from apiconform.statements import Statement, Statements, load_statements

Status = Literal["covered", "partial", "excluded", "uncovered"]
STATUSES: tuple[Status, ...] = ("covered", "partial", "excluded", "uncovered")


@dataclass(frozen=True)
class StatementCoverage:
    """One statement's status, the rules that cover it, and why (for partial and excluded)."""

    statement: Statement
    status: Status
    rules: tuple[str, ...] = ()
    note: str = ""


@dataclass
class Counts:
    """Statements per status in one provider or area."""

    statements: int = 0
    testable: int = 0
    covered: int = 0
    partial: int = 0
    excluded: int = 0
    uncovered: int = 0

    def add(self, item: StatementCoverage) -> None:
        self.statements += 1
        self.testable += item.statement.testable
        setattr(self, item.status, getattr(self, item.status) + 1)

    @property
    def in_scope(self) -> int:
        return self.statements - self.excluded

    @property
    def percent(self) -> float:
        """Covered statements as a percentage of those in scope (100 when none is)."""
        return round(100.0 * self.covered / self.in_scope, 1) if self.in_scope else 100.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "statements": self.statements,
            "testable": self.testable,
            "covered": self.covered,
            "partial": self.partial,
            "excluded": self.excluded,
            "uncovered": self.uncovered,
            "percent": self.percent,
        }


@dataclass
class ProviderCoverage:
    provider: str
    items: list[StatementCoverage]
    total: Counts = field(default_factory=Counts)
    areas: dict[str, Counts] = field(default_factory=dict)

    def by_status(self, status: Status) -> list[StatementCoverage]:
        return [item for item in self.items if item.status == status]


def classify(statements: Statements, catalogue: Catalogue, proven: set[str]) -> list[StatementCoverage]:
    """The status of every live statement; `proven` are the rule ids some fault names."""
    whole: dict[str, list[str]] = {}
    parts: dict[str, list[tuple[str, str]]] = {}
    for rule in catalogue.values():
        for statement_id in rule.covers:
            if statement_id in rule.partial:
                parts.setdefault(statement_id, []).append((rule.id, rule.partial[statement_id]))
            else:
                whole.setdefault(statement_id, []).append(rule.id)
    found = []
    for statement in statements.values():
        covering = tuple(whole.get(statement.id, []))
        partly = parts.get(statement.id, [])
        if not statement.testable:
            found.append(StatementCoverage(statement, "excluded", covering, statement.untestable))
        elif statement.excluded:
            found.append(StatementCoverage(statement, "excluded", covering, statement.excluded))
        elif any(rule in proven for rule in covering):
            found.append(StatementCoverage(statement, "covered", covering))
        elif covering:
            note = f"no fault proves {', '.join(covering)} can fail"
            found.append(StatementCoverage(statement, "partial", covering, note))
        elif partly:
            note = "; ".join(f"{rule}: {what}" for rule, what in partly)
            found.append(StatementCoverage(statement, "partial", tuple(r for r, _ in partly), note))
        else:
            found.append(StatementCoverage(statement, "uncovered"))
    return found


def provider_coverage(provider: str) -> ProviderCoverage:
    """The coverage of `provider`'s document, from its data."""
    proven = {rule for fault in get_profile(provider).faults() for rule in fault.rules}
    items = classify(load_statements(provider), load_catalogue(provider), proven)
    result = ProviderCoverage(provider, items)
    for item in items:
        result.total.add(item)
        result.areas.setdefault(item.statement.area, Counts()).add(item)
    return result


def coverage(providers: Iterable[str]) -> list[ProviderCoverage]:
    return [provider_coverage(name) for name in providers]
