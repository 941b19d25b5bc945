"""Per-rule verdicts over a stream of observed exchanges.

A `Tally` is what observers judge into: `with tally.check(rule):` records a failed check (a
`CheckFailed`, or any AssertionError) against that rule, as `Verdicts.check` does inside one live
test, so that one check function serves both; `tally.judged(rule)` counts an exchange the rule
looked at. Memory stays bounded whatever the traffic: per rule a count of problems and the first
`KEPT_PROBLEMS` of them with their exchanges.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from apiconform.errors import evidence_of
from apiconform.masking import Masker
from apiconform.recording import Exchange
from apiconform.rules import Outcome

#: problems kept per rule (with their exchanges): the rest are only counted
KEPT_PROBLEMS = 3


@dataclass
class Finding:
    """A rule's verdict over the traffic."""

    outcome: Outcome
    message: str
    evidence: tuple[Exchange, ...] = ()
    #: exchanges the rule judged
    judged: int = 0


@dataclass
class Tally:
    """Per-rule counts and problems (see the module docstring). `rules` are the rules judged;
    `needs` says, per rule, what the traffic must hold for it to be judged (the reason a rule
    with nothing to judge is skipped)."""

    rules: tuple[str, ...]
    masker: Masker
    needs: dict[str, str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)
    kept: dict[str, list[tuple[str, tuple[Exchange, ...]]]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    #: rule -> why it could not be judged (an observer that broke on an exchange)
    broken: dict[str, str] = field(default_factory=dict)

    def judged(self, rule: str, count: int = 1) -> None:
        """`rule` looked at `count` more exchanges (or groups of them)."""
        self.counts[rule] += count

    def note(self, rule: str, text: str) -> None:
        """Something to say about how `rule` was judged (shown when it passes)."""
        notes = self.notes.setdefault(rule, [])
        if text not in notes and len(notes) < 3:
            notes.append(text)

    def fail(self, rule: str, message: str, exchanges: tuple[Exchange, ...]) -> None:
        """Record one problem of `rule` (the message masked at once)."""
        self.problems[rule] += 1
        kept = self.kept.setdefault(rule, [])
        if len(kept) < KEPT_PROBLEMS:
            kept.append((self.masker.mask(message), exchanges))

    def broke(self, rules: tuple[str, ...], reason: str) -> None:
        """The observer judging `rules` could not judge an exchange: they end `error` (unless a
        problem already fails them), with the first such reason."""
        for rule in rules:
            self.broken.setdefault(rule, self.masker.mask(reason))

    @contextmanager
    def check(self, rule: str, *, count: bool = True) -> Iterator[None]:
        """Judge `rule` in the block: an AssertionError raised there is one problem of the rule
        (with the exchanges it rests on); the block counts as one judgement unless `count` is
        False. A rule this tally does not judge is not checked at all (the block still runs)."""
        if count:
            self.judged(rule)
        try:
            yield
        except AssertionError as exc:
            self.fail(rule, str(exc).strip() or "assertion failed", evidence_of(exc))

    def finding(self, rule: str) -> Finding:
        """The rule's verdict: failed with its first problems, passed when it judged something,
        else skipped (not observed), with what the traffic lacked."""
        judged = self.counts[rule]
        if self.problems[rule]:
            kept = self.kept[rule]
            total = self.problems[rule]
            head = f"{total} problem{'s' if total != 1 else ''} in the traffic ({judged} judged); first ones:"
            lines = [head] + [message for message, _ in kept]
            seen: dict[int, Exchange] = {}
            for _, exchanges in kept:
                for exchange in exchanges:
                    seen.setdefault(id(exchange), exchange)
            return Finding("failed", self.masker.mask("\n".join(lines)), tuple(seen.values()), judged)
        if rule in self.broken:
            return Finding("error", f"could not judge the traffic: {self.broken[rule]}", (), judged)
        if judged:
            text = f"{judged} observed exchange{'s' if judged != 1 else ''} judged"
            notes = self.notes.get(rule)
            if notes:
                text += ": " + "; ".join(notes)
            return Finding("passed", self.masker.mask(text), (), judged)
        need = self.needs.get(rule, "")
        reason = "not observed in the traffic" + (f": {need}" if need else "")
        return Finding("skipped", reason, (), 0)
