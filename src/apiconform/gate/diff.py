"""What changed between two results documents, rule by rule.

Rules are matched by provider name and rule id (the target may differ: an embedded server's port
changes per run). A change is a regression when the rule newly fails: its outcome went from
`passed`, `skipped` or `waived` (or from not having run at all) to `failed` or `error`. It is fixed
when it went from `failed` or `error` to `passed`. Every other change of outcome (e.g. failed ->
waived, passed -> skipped) is listed after those and decides nothing. Rules that ran in only one
of the two (another selection, a new rule) are counted, not listed, unless they newly fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from apiconform.report.results import FAILING, ResultsDoc, RuleDoc, first_line

Kind = Literal["regressed", "fixed", "changed"]
#: How a rule that one of the documents does not have is shown.
ABSENT = "not run"


@dataclass(frozen=True)
class Change:
    provider: str
    rule: str
    level: str
    #: None: the rule did not run in the older document
    old: str | None
    new: str
    #: the first line of the newer message
    message: str

    @property
    def kind(self) -> Kind:
        if self.new in FAILING and self.old not in FAILING:
            return "regressed"
        if self.old in FAILING and self.new == "passed":
            return "fixed"
        return "changed"

    def line(self) -> str:
        transition = f"{self.old or ABSENT} -> {self.new}"
        text = f"{self.rule} [{self.level}] {transition}"
        return f"{text}: {self.message}" if self.message else text


@dataclass(frozen=True)
class Diff:
    regressed: list[Change] = field(default_factory=list)
    fixed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    #: rules present in both documents
    compared: int = 0
    #: rules that ran only in the older document, or (without failing) only in the newer one
    only_old: int = 0
    only_new: int = 0

    @property
    def changes(self) -> list[Change]:
        """Every change, newly failing first, then fixed, then the others."""
        return [*self.regressed, *self.fixed, *self.changed]


def _rules(document: ResultsDoc) -> dict[tuple[str, str], RuleDoc]:
    return {
        (provider["name"], rule["id"]): rule
        for provider in document["providers"]
        for rule in provider["rules"]
    }


def diff_documents(old: ResultsDoc, new: ResultsDoc) -> Diff:
    """The rules whose outcome differs between `old` and `new` (see the module docstring)."""
    before, after = _rules(old), _rules(new)
    only_new = [key for key in after.keys() - before.keys() if after[key]["outcome"] not in FAILING]
    result = Diff(
        compared=len(before.keys() & after.keys()),
        only_old=len(before.keys() - after.keys()),
        only_new=len(only_new),
    )
    buckets: dict[Kind, list[Change]] = {
        "regressed": result.regressed,
        "fixed": result.fixed,
        "changed": result.changed,
    }
    for key, now in after.items():
        was = before.get(key)
        old_outcome = was["outcome"] if was else None
        if old_outcome == now["outcome"] or (was is None and now["outcome"] not in FAILING):
            continue
        change = Change(
            provider=key[0],
            rule=key[1],
            level=now["level"],
            old=old_outcome,
            new=now["outcome"],
            message=first_line(now["message"], 200),
        )
        buckets[change.kind].append(change)
    return result


def render_diff(diff: Diff) -> str:
    """Text for people: one section per kind, regressions first; one line when nothing changed."""
    notes = [
        f"{count} rule{'s' if count != 1 else ''} ran only in the {which} results"
        for count, which in ((diff.only_old, "older"), (diff.only_new, "newer"))
        if count
    ]
    if not diff.changes:
        return "; ".join([f"no outcome changed ({diff.compared} rules compared)", *notes])
    lines: list[str] = []
    for title, changes in (
        ("newly failing", diff.regressed),
        ("fixed", diff.fixed),
        ("other changes", diff.changed),
    ):
        if changes:
            lines.append(f"{title} ({len(changes)}):")
            lines += [f"  {change.line()}" for change in changes]
    lines += [f"({note})" for note in notes]
    return "\n".join(lines)
