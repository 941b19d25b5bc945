"""Rules: the catalogue (data, one TOML file per provider) and rule outcomes.

A rule's outcome is computed from the outcomes of the tests that declare it (pytest marker
`@pytest.mark.rule("<id>", ...)`): `failed` if any of them failed, else `error` if one could not
run to a verdict, else `skipped` (with the reason) if all were skipped, otherwise `passed`.
A selected rule that no test declares is an `error`: the suite itself is incomplete.

Rule ids are immutable. A rule whose statement no longer holds (e.g. a MUST that asserted one
reading of a silent document) is retired, never renamed or reused: its entry stays in rules.toml
with `retired = "<why; what replaces it>"`, outside the active catalogue (`Catalogue.retired`).
`since = "<version>"` names the apiconform version an id was first published in (`Catalogue.since`);
tests/data/published_rule_ids/ lists every id ever published, and a test holds rules.toml to it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from apiconform.recording import Exchange
from apiconform.resources import suites_dir

Level = Literal["MUST", "SHOULD"]
Outcome = Literal["passed", "failed", "skipped", "error"]
OUTCOMES: tuple[Outcome, ...] = ("passed", "failed", "skipped", "error")
RULE_ID = re.compile(r"^[a-z0-9]+(\.[a-z0-9]+(-[a-z0-9]+)*){2}$")
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_FIELDS = {"id", "level", "title", "source", "needs", "retired", "since", "covers", "partial", "basis"}


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    title: str
    source: str
    needs: tuple[str, ...] = ()
    #: the document's statements (ids in suites/<provider>/statements.toml) the rule verifies
    covers: tuple[str, ...] = ()
    #: statement id -> what the rule leaves unchecked of it (it covers that statement partly)
    partial: Mapping[str, str] = field(default_factory=dict, compare=False)
    #: the convention a rule rests on instead of the document (e.g. "RFC 9110 section 15.5.6")
    basis: str = ""

    @property
    def provider(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def area(self) -> str:
        return self.id.split(".")[1]


class Catalogue(Mapping[str, Rule]):
    """The active rules of one provider, in catalogue order; `retired` maps the ids of retired
    rules to why they were retired (an id is never active and retired, nor used twice); `since`
    maps the ids, active or retired, whose entry names it to the version they were published in."""

    def __init__(
        self,
        provider: str,
        rules: Iterable[Rule],
        retired: Mapping[str, str] | None = None,
        since: Mapping[str, str] | None = None,
    ) -> None:
        self.provider = provider
        self._rules: dict[str, Rule] = {}
        self.retired: dict[str, str] = dict(retired or {})
        self.since: dict[str, str] = dict(since or {})
        for rule in rules:
            if rule.id in self._rules or rule.id in self.retired:
                raise ValueError(f"duplicate rule id {rule.id}")
            self._rules[rule.id] = rule

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)


def parse_catalogue(provider: str, text: str) -> Catalogue:
    """Parse and validate a catalogue; ValueError names the first bad entry."""
    data = tomllib.loads(text)
    rules = []
    retired: dict[str, str] = {}
    since: dict[str, str] = {}
    for index, entry in enumerate(data.get("rule", [])):
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ValueError(f"rule #{index + 1}: unknown field(s) {sorted(unknown)}")
        rule_id = entry.get("id", "")
        if not RULE_ID.match(rule_id) or not rule_id.startswith(provider + "."):
            raise ValueError(
                f"rule #{index + 1}: id {rule_id!r} is not {provider}.<area>.<name> in kebab case"
            )
        if entry.get("level") not in ("MUST", "SHOULD"):
            raise ValueError(f"rule {rule_id}: level must be MUST or SHOULD")
        if not entry.get("title") or not entry.get("source"):
            raise ValueError(f"rule {rule_id}: title and source are required")
        if "since" in entry:
            if not isinstance(entry["since"], str) or not VERSION.match(entry["since"]):
                raise ValueError(f'rule {rule_id}: since must be a version such as "0.1.0"')
            since[rule_id] = entry["since"]
        if "retired" in entry:
            if not isinstance(entry["retired"], str) or not entry["retired"].strip():
                raise ValueError(f"rule {rule_id}: retired must say why (a non-empty string)")
            if rule_id in retired:
                raise ValueError(f"duplicate rule id {rule_id}")
            retired[rule_id] = entry["retired"]
            continue
        rules.append(
            Rule(
                id=rule_id,
                level=entry["level"],
                title=entry["title"],
                source=entry["source"],
                needs=tuple(entry.get("needs", ())),
                covers=_covers(entry, rule_id),
                partial=_partial(entry, rule_id),
                basis=str(entry.get("basis", "")),
            )
        )
    return Catalogue(provider, rules, retired, since)


def _covers(entry: Mapping[str, object], rule_id: str) -> tuple[str, ...]:
    covers = entry.get("covers", [])
    if not isinstance(covers, list) or not all(isinstance(c, str) and c for c in covers):
        raise ValueError(f"rule {rule_id}: covers must be a list of statement ids")
    return tuple(covers)


def _partial(entry: Mapping[str, object], rule_id: str) -> dict[str, str]:
    partial = entry.get("partial", {})
    if not isinstance(partial, dict) or not all(isinstance(v, str) and v for v in partial.values()):
        raise ValueError(f"rule {rule_id}: partial maps statement ids to what is left unchecked")
    if set(partial) - set(_covers(entry, rule_id)):
        raise ValueError(f"rule {rule_id}: partial names statements the rule does not cover")
    return dict(partial)


@cache
def load_catalogue(provider: str) -> Catalogue:
    path = suites_dir(provider) / "rules.toml"
    return parse_catalogue(provider, path.read_text(encoding="utf-8"))


@dataclass
class TestResult:
    """The verdict of one test for the rules it declares."""

    nodeid: str
    outcome: Outcome
    message: str = ""
    #: the exchanges a `failed` or `error` verdict rests on (masked)
    evidence: tuple[Exchange, ...] = ()


@dataclass
class RuleResult:
    rule: Rule
    outcome: Outcome
    message: str
    tests: int = 0
    requests: int = 0
    throttled: int = 0
    #: the exchanges the outcome rests on (a `failed` or `error` rule's first failure; masked)
    evidence: tuple[Exchange, ...] = ()


@dataclass
class OutcomeBook:
    """Collects test results per rule and turns them into rule outcomes."""

    results: dict[str, list[TestResult]] = field(default_factory=dict)

    def add(self, rule_ids: Iterable[str], result: TestResult) -> None:
        for rule_id in rule_ids:
            self.results.setdefault(rule_id, []).append(result)

    def _first_failure(self, rule: Rule) -> TestResult | None:
        """The test result that decides a `failed` (else `error`) rule: its first such one."""
        tests = self.results.get(rule.id, [])
        for wanted in ("failed", "error"):
            hits = [t for t in tests if t.outcome == wanted]
            if hits:
                return hits[0]
        return None

    def outcome(self, rule: Rule) -> tuple[Outcome, str, int]:
        """The rule's outcome, its message and the number of tests that verify it."""
        tests = self.results.get(rule.id, [])
        if not tests:
            return "error", "no test verifies this rule", 0
        failure = self._first_failure(rule)
        if failure is not None:
            return failure.outcome, failure.message, len(tests)
        if all(t.outcome == "skipped" for t in tests):
            return "skipped", tests[0].message, len(tests)
        passed = [t for t in tests if t.outcome == "passed"]
        notes = "; ".join(dict.fromkeys(t.message for t in passed if t.message))
        summary = f"{len(passed)} test{'s' if len(passed) != 1 else ''} passed"
        return "passed", f"{summary}: {notes}" if notes else summary, len(tests)

    def evidence(self, rule: Rule) -> tuple[Exchange, ...]:
        """The exchanges the rule's outcome rests on: those of the failure its message comes
        from; empty unless the rule is `failed` or `error`."""
        failure = self._first_failure(rule)
        return failure.evidence if failure is not None else ()
