"""Per-rule verdicts inside one test (the `verdicts` fixture), so that one set of requests can
verify several rules: `with verdicts.check(rule_id):` blocks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

import pytest

from apiconform.errors import CheckFailed, evidence_of


class RuleFailures(CheckFailed):
    """Raised at the end of a test whose `verdicts` recorded failures for some of its rules:
    `failures` maps each such rule to its failure; the exception rests on all their exchanges."""

    def __init__(self, failures: Mapping[str, CheckFailed]) -> None:
        self.failures = dict(failures)
        found = {id(e): e for failure in self.failures.values() for e in failure.exchanges}
        super().__init__(
            "\n".join(f"{rule}: {failure}" for rule, failure in self.failures.items()), found.values()
        )


class RuleSink(Protocol):
    """Where a check function judges several rules, one `with sink.check(rule):` block each: a
    live test's `Verdicts`, or observed mode's `Tally` (apiconform.observed.tally)."""

    def check(self, rule: str, /) -> AbstractContextManager[None]: ...


class Verdicts:
    """Per-rule verdicts inside one test, so that one set of requests can verify several rules.

    `with verdicts.check(rule_id):` records an AssertionError raised in the block against that
    rule only (the first one per rule is kept, as a CheckFailed with the exchanges it rests on)
    and lets the test go on. When the test ends, the rules with a recorded failure fail; the
    test's other rules keep the test's own verdict.
    """

    def __init__(self, declared: tuple[str, ...]) -> None:
        self.declared = declared
        self.failures: dict[str, CheckFailed] = {}
        self.skipped: dict[str, str] = {}
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        """Say something about how the rules were verified (e.g. on which data); it becomes the
        message of the test's rules that pass."""
        if text not in self.notes:
            self.notes.append(text)

    @contextmanager
    def check(self, rule_id: str) -> Iterator[None]:
        """Record an assertion failure (or a skip, e.g. a credential that is not configured) in
        the block against `rule_id` alone."""
        if rule_id not in self.declared:
            raise RuntimeError(f"verdicts.check({rule_id!r}): the test does not declare this rule")
        try:
            yield
        except AssertionError as exc:
            if rule_id not in self.failures:
                self.failures[rule_id] = CheckFailed(str(exc).strip() or "assertion failed", evidence_of(exc))
        except pytest.skip.Exception as exc:
            self.skipped.setdefault(rule_id, str(exc.msg or "skipped"))


#: Where a test's `Verdicts` are kept (on its item), for the run to read its per-rule failures.
VERDICTS_KEY = pytest.StashKey[Verdicts]()
