"""Waivers: known deviations that do not fail the gate until they expire.

A waiver file (TOML) holds one `[[waiver]]` table per accepted deviation:

    [[waiver]]
    rule = "coliving.pagination.defaults"   # a rule id of the catalogue
    target = "https://api.coliving.com"     # the provider's base_url, "embedded", or "*" (any)
    reason = "vendor ticket 4711: default page size is 20"
    issue = "https://tracker.example/4711"  # optional link
    expires = 2026-06-30                    # optional; the last day (UTC) it applies

Guarantees of `apply_waivers`: a `failed` or `error` rule with a matching waiver (same rule id,
same target or `*`) that has not expired becomes `waived`, its message kept after a `waived (...)`
prefix, and no longer counts against conformance. Each waiver whose rule id is not in the catalogue,
whose rule now passes (stale: it hides nothing), or that has expired yields one problem line, and
the CLI fails the run on any of them. A provider that could not run (its rules are all `error` for
that reason) is left as it is. Nothing here reads files except `load_waivers`.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from apiconform.errors import ConfigError
from apiconform.report.results import (
    EMBEDDED_TARGET,
    FAILING,
    ProviderDoc,
    ResultsDoc,
    RuleDoc,
    WaiverDoc,
    first_line,
    target_of,
    with_verdicts,
)
from apiconform.rules import RULE_ID

ANY_TARGET = "*"
_FIELDS = {"rule", "target", "reason", "issue", "expires"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Waiver:
    rule: str
    target: str
    reason: str
    issue: str | None = None
    expires: date | None = None

    def matches(self, rule_id: str, target: str) -> bool:
        return self.rule == rule_id and self.target in (target, ANY_TARGET)

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today

    def label(self) -> str:
        return f"{self.rule} (target {self.target})"

    def as_doc(self, outcome: str) -> WaiverDoc:
        doc: WaiverDoc = {"reason": self.reason, "outcome": outcome}
        if self.issue:
            doc["issue"] = self.issue
        if self.expires:
            doc["expires"] = self.expires.isoformat()
        return doc


@dataclass(frozen=True)
class WaiverOutcome:
    """The document with waivers applied, and the problems that fail the run."""

    document: ResultsDoc
    problems: list[str]
    waived: int


# -- reading and writing waiver files ----------------------------------------------------------------


def _text(entry: Mapping[str, Any], key: str, *, required: bool) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} must be a non-empty string")
    return value


def _expires(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and type(value) is date:
        return value
    if isinstance(value, str) and _DAY.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"expires must be a date YYYY-MM-DD, got {value!r}")


def _waiver(entry: object) -> Waiver:
    if not isinstance(entry, dict):
        raise ValueError("expected a [[waiver]] table")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_FIELDS))})")
    rule = cast(str, _text(entry, "rule", required=True))
    if not RULE_ID.match(rule):
        raise ValueError(f"rule {rule!r} is not a rule id (<provider>.<area>.<name>)")
    target = cast(str, _text(entry, "target", required=True)).rstrip("/")
    if target not in (ANY_TARGET, EMBEDDED_TARGET) and not re.match(r"^https?://[^/?#]+", target):
        raise ValueError(f'target must be a base URL, "{EMBEDDED_TARGET}" or "{ANY_TARGET}", got {target!r}')
    return Waiver(
        rule=rule,
        target=target,
        reason=cast(str, _text(entry, "reason", required=True)),
        issue=_text(entry, "issue", required=False),
        expires=_expires(entry.get("expires")),
    )


def parse_waivers(text: str) -> list[Waiver]:
    """The waivers of a waiver file's text; ValueError names the first bad entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"invalid TOML: {exc}") from None
    unknown = sorted(set(data) - {"waiver"})
    if unknown:
        raise ValueError(f"unknown top-level key(s) {', '.join(unknown)}: expected [[waiver]] tables")
    entries = data.get("waiver", [])
    if not isinstance(entries, list):
        raise ValueError("waiver must be an array of tables ([[waiver]])")
    waivers: list[Waiver] = []
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries, start=1):
        try:
            waiver = _waiver(entry)
        except ValueError as exc:
            rule = entry.get("rule") if isinstance(entry, dict) else None
            raise ValueError(
                f"waiver #{index}{f' ({rule})' if isinstance(rule, str) else ''}: {exc}"
            ) from None
        if (waiver.rule, waiver.target) in seen:
            raise ValueError(f"waiver #{index}: a second waiver for {waiver.label()}")
        seen.add((waiver.rule, waiver.target))
        waivers.append(waiver)
    return waivers


def load_waivers(path: Path) -> list[Waiver]:
    """The waivers of `path`; ConfigError (one line, exit 2) when it is missing or malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the waiver file: {exc.strerror or exc}") from None
    try:
        return parse_waivers(text)
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _toml_string(value: str) -> str:
    # a JSON string is a TOML basic string once DEL (which JSON leaves alone) is escaped too
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _comment(text: str) -> str:
    line = " ".join(text.split())
    line = "".join(ch for ch in line if ch.isprintable())
    return line if len(line) <= 160 else line[:157] + "..."


def render_waivers(waivers: Iterable[Waiver], notes: Mapping[tuple[str, str], str] | None = None) -> str:
    """The TOML text of a waiver file; `notes` maps (rule, target) to a comment line above it."""
    lines = [
        "# apiconform waivers: known deviations that do not fail the gate (apiconform run --waivers FILE).",
        "# A waiver whose rule passes again, or that has expired, fails the run: keep this file current.",
    ]
    for waiver in waivers:
        lines.append("")
        note = (notes or {}).get((waiver.rule, waiver.target))
        if note:
            lines.append(f"# {_comment(note)}")
        lines.append("[[waiver]]")
        lines.append(f"rule = {_toml_string(waiver.rule)}")
        lines.append(f"target = {_toml_string(waiver.target)}")
        lines.append(f"reason = {_toml_string(waiver.reason)}")
        if waiver.issue:
            lines.append(f"issue = {_toml_string(waiver.issue)}")
        if waiver.expires:
            lines.append(f"expires = {waiver.expires.isoformat()}")
    return "\n".join(lines) + "\n"


# -- applying waivers to a results document -----------------------------------------------------------


def original_outcome(rule: RuleDoc) -> str:
    """The rule's outcome before any waiver."""
    waiver = rule.get("waiver")
    return waiver["outcome"] if rule["outcome"] == "waived" and waiver else rule["outcome"]


def _ran(document: ResultsDoc) -> Iterable[tuple[ProviderDoc, str]]:
    """The providers that ran (not those that could not), with their targets."""
    for provider in document["providers"]:
        if not provider.get("error"):
            yield provider, target_of(provider)


def matched_outcomes(document: ResultsDoc, waiver: Waiver) -> list[str]:
    """The original outcomes of the rules `waiver` matches in `document`."""
    return [
        original_outcome(rule)
        for provider, target in _ran(document)
        for rule in provider["rules"]
        if waiver.matches(rule["id"], target)
    ]


def is_stale(document: ResultsDoc, waiver: Waiver) -> bool:
    """The waiver's rule ran against its target and passed everywhere it ran to a verdict."""
    outcomes = matched_outcomes(document, waiver)
    return "passed" in outcomes and not FAILING.intersection(outcomes)


def _find(waivers: Sequence[Waiver], rule_id: str, target: str) -> Waiver | None:
    exact = [w for w in waivers if w.rule == rule_id and w.target == target]
    anywhere = [w for w in waivers if w.rule == rule_id and w.target == ANY_TARGET]
    found = exact or anywhere
    return found[0] if found else None


def waived_message(waiver: Waiver, message: str) -> str:
    details = "; ".join(
        part
        for part in (waiver.reason, waiver.issue, f"expires {waiver.expires}" if waiver.expires else None)
        if part
    )
    return f"waived ({details}): {message}"


def apply_waivers(
    document: ResultsDoc,
    waivers: Sequence[Waiver],
    *,
    today: date,
    known_rules: Collection[str],
    source: str = "the waiver file",
) -> WaiverOutcome:
    """`document` with `waivers` applied (a new document), and one problem line per unknown,
    stale or expired waiver (see the module docstring). `today` is the UTC date."""
    problems: list[str] = []
    usable: list[Waiver] = []
    for waiver in waivers:
        if waiver.rule not in known_rules:
            problems.append(f"unknown rule in waiver: {waiver.label()}: no such rule in the catalogue")
        elif is_stale(document, waiver):
            problems.append(f"stale waiver: {waiver.label()} passes now: remove it from {source}")
        elif waiver.expired(today):
            problems.append(
                f"expired waiver: {waiver.label()} expired on {waiver.expires}: "
                "fix the deviation or extend the waiver"
            )
        else:
            usable.append(waiver)
    strict = document.get("strict", False)
    waived = 0
    providers: list[ProviderDoc] = []
    for provider in document["providers"]:
        if provider.get("error"):
            providers.append(provider)
            continue
        target = target_of(provider)
        rules: list[RuleDoc] = []
        for rule in provider["rules"]:
            found = _find(usable, rule["id"], target) if rule["outcome"] in FAILING else None
            if found is None:
                rules.append(rule)
                continue
            waiver = found
            updated = cast(RuleDoc, dict(rule))
            updated["outcome"] = "waived"
            updated["message"] = waived_message(waiver, rule["message"])
            updated["waiver"] = waiver.as_doc(rule["outcome"])
            rules.append(updated)
            waived += 1
        changed = cast(ProviderDoc, {**provider, "rules": rules})
        providers.append(with_verdicts(changed, strict))
    result = cast(ResultsDoc, {**document, "providers": providers})
    return WaiverOutcome(document=result, problems=problems, waived=waived)


# -- writing a baseline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The waivers a results document calls for, comments for them, and notes for the user."""

    waivers: list[Waiver]
    notes: dict[tuple[str, str], str]
    remarks: list[str]


def baseline(
    document: ResultsDoc,
    *,
    reason: str,
    expires: date | None = None,
    issue: str | None = None,
    existing: Sequence[Waiver] = (),
) -> Baseline:
    """One waiver per rule that failed, errored or was waived in `document` (a provider that could
    not run is left out, with a remark). An `existing` waiver that still matches such a rule is kept
    as it is (its reason, issue and expiry are people's work), as is one whose rule did not run to a
    verdict here (not selected, skipped, another target); only stale ones are dropped."""
    waivers: list[Waiver] = []
    notes: dict[tuple[str, str], str] = {}
    remarks: list[str] = []
    kept: set[Waiver] = set()
    for provider in document["providers"]:
        if provider.get("error"):
            remarks.append(f"{provider['name']}: not run ({provider.get('error')}): no waiver for its rules")
            continue
        target = target_of(provider)
        for rule in provider["rules"]:
            outcome = original_outcome(rule)
            if outcome not in FAILING:
                continue
            found = _find(existing, rule["id"], target)
            if found is not None:
                if found not in kept:
                    kept.add(found)
                    waivers.append(found)
                continue
            recorded = rule.get("waiver")
            waiver = Waiver(
                rule=rule["id"],
                target=target,
                reason=recorded["reason"] if recorded else reason,
                issue=recorded.get("issue", issue) if recorded else issue,
                expires=date.fromisoformat(recorded["expires"])
                if recorded and "expires" in recorded
                else expires,
            )
            waivers.append(waiver)
            message = (
                rule["message"].removeprefix(waived_message(waiver, "")) if recorded else rule["message"]
            )
            notes[(waiver.rule, waiver.target)] = f"{rule['level']} {outcome}: {first_line(message)}"
    for waiver in existing:
        if waiver in kept:
            continue
        if is_stale(document, waiver):
            remarks.append(f"dropped stale waiver: {waiver.label()}")
        else:
            waivers.append(waiver)
    return Baseline(waivers=waivers, notes=notes, remarks=remarks)
