"""results.json: the machine-readable outcome of a run (schema: schemas/results.schema.json).

The results document is what every report is rendered from (junit.xml, report.html, summary.md,
the summary table) and what the gate works on (waivers, diffs), so that a report merged later from
results files says exactly what the run said. Everything in it is already masked.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

from jsonschema import Draft202012Validator

from apiconform import __version__
from apiconform.conformance import FAILING as FAILING  # the reports import it from here
from apiconform.conformance import conformant
from apiconform.errors import UsageError
from apiconform.report.evidence import ExchangeDoc, cited
from apiconform.resources import schemas_dir
from apiconform.run import ProviderResult

#: Every outcome a rule can have in a results document, in the order reports list them
#: (`waived`: a failure that a waiver accepts; see apiconform.gate.waivers).
OUTCOME_ORDER: tuple[str, ...] = ("failed", "error", "waived", "skipped", "passed")
#: The target of a provider run against its embedded reference server (its port changes per run).
EMBEDDED_TARGET = "embedded"


class WaiverDoc(TypedDict):
    reason: str
    outcome: str
    issue: NotRequired[str]
    expires: NotRequired[str]


class RuleDoc(TypedDict):
    id: str
    level: str
    title: str
    source: str
    outcome: str
    message: str
    tests: NotRequired[int]
    requests: NotRequired[int]
    throttled: NotRequired[int]
    waiver: NotRequired[WaiverDoc]
    #: ids of the provider's `exchanges` the outcome rests on (failed and error rules)
    evidence: NotRequired[list[int]]
    statements: NotRequired[list[str]]


class ProviderDoc(TypedDict):
    name: str
    base_url: str
    conformant: bool
    requests: int
    summary: dict[str, int]
    rules: list[RuleDoc]
    embedded: NotRequired[bool]
    throttled: NotRequired[int]
    unintended_throttled: NotRequired[int]
    seconds: NotRequired[float]
    error: NotRequired[str | None]
    #: the exchanges its rules' evidence names, each once
    exchanges: NotRequired[list[ExchangeDoc]]
    coverage: NotRequired[dict[str, float | int]]
    statements: NotRequired[dict[str, dict[str, str]]]
    #: what an observed run (apiconform check, proxy) read: apiconform.observed.judge
    traffic: NotRequired[dict[str, object]]


class SelectionDoc(TypedDict):
    select: list[str]
    deselect: list[str]
    level: str | None


class GateDoc(TypedDict):
    waivers: str | None
    compare: str | None
    problems: list[str]


class ResultsDoc(TypedDict):
    apiconform_version: str
    started_at: str
    finished_at: str
    profile: str
    providers: list[ProviderDoc]
    exit_code: NotRequired[int]
    strict: NotRequired[bool]
    selection: NotRequired[SelectionDoc]
    gate: NotRequired[GateDoc]
    #: "run" (requests sent by the suite) or "observed" (judged from recorded traffic)
    mode: NotRequired[str]


def results_document(
    providers: Sequence[ProviderResult],
    *,
    started_at: datetime,
    finished_at: datetime,
    profile: str,
    strict: bool,
    exit_code: int,
    selection: SelectionDoc | None = None,
    embedded: Collection[str] = (),
) -> ResultsDoc:
    """The results document of `providers`; `embedded` names the providers that ran against their
    embedded reference server. Each failed or errored rule names the exchanges it rests on
    (`evidence`), which its provider lists once (`exchanges`): apiconform.report.evidence."""
    document: ResultsDoc = {
        "apiconform_version": __version__,
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": finished_at.isoformat(timespec="seconds"),
        "profile": profile,
        "strict": strict,
        "exit_code": exit_code,
        "providers": [_provider_doc(p, embedded=p.name in embedded, strict=strict) for p in providers],
    }
    if selection is not None:
        document["selection"] = selection
    return document


def _provider_doc(p: ProviderResult, *, embedded: bool, strict: bool) -> ProviderDoc:
    evidence, exchanges = cited(p)
    rules: list[RuleDoc] = []
    for r in p.rules:
        rule: RuleDoc = {
            "id": r.rule.id,
            "level": r.rule.level,
            "title": r.rule.title,
            "source": r.rule.source,
            "outcome": r.outcome,
            "message": r.message,
            "tests": r.tests,
            "requests": r.requests,
            "throttled": r.throttled,
        }
        if r.rule.id in evidence:
            rule["evidence"] = evidence[r.rule.id]
        if r.rule.covers:
            rule["statements"] = list(r.rule.covers)
        rules.append(rule)
    document: ProviderDoc = {
        "name": p.name,
        "base_url": p.base_url,
        "embedded": embedded,
        "conformant": p.conformant(strict),
        "requests": p.requests,
        "throttled": p.throttled,
        "unintended_throttled": p.unintended_throttled,
        "seconds": p.seconds,
        "error": p.error,
        "summary": count_outcomes(r.outcome for r in p.rules),
        "rules": rules,
        "exchanges": exchanges,
    }
    return document | _document_words(p)


def _document_words(p: ProviderResult) -> ProviderDoc:
    """The provider's document coverage, and the words of the statements its failed or errored
    rules cover (a provider without a statement catalogue has neither)."""
    from apiconform.coverage import provider_coverage
    from apiconform.statements import load_statements

    statements = load_statements(p.name)
    if not statements:
        return cast(ProviderDoc, {})
    broken = {
        statement_id
        for r in p.rules
        if r.outcome in FAILING
        for statement_id in r.rule.covers
        if statement_id in statements
    }
    words = {
        statement_id: {
            "section": statements[statement_id].section,
            "quote": statements[statement_id].quote,
            "level": statements[statement_id].level,
        }
        for statement_id in sorted(broken)
    }
    return cast(ProviderDoc, {"coverage": provider_coverage(p.name).total.as_dict(), "statements": words})


def count_outcomes(outcomes: Iterable[str]) -> dict[str, int]:
    """Rules per outcome, every outcome present (0 when none)."""
    counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0, "waived": 0}
    for outcome in outcomes:
        counts[outcome] += 1
    return counts


def first_line(message: str, limit: int | None = None) -> str:
    """The first non-blank line of `message`, cut to `limit` characters (with "...")."""
    line = next((line.strip() for line in message.splitlines() if line.strip()), "")
    if limit is not None and len(line) > limit:
        line = line[: limit - 3] + "..."
    return line


def provider_conformant(provider: ProviderDoc, strict: bool) -> bool:
    """Whether the provider is conformant (apiconform.conformance; waived rules do not count)."""
    pairs = ((r["level"], r["outcome"]) for r in provider["rules"])
    return conformant(pairs, error=provider.get("error"), strict=strict)


def with_verdicts(provider: ProviderDoc, strict: bool) -> ProviderDoc:
    """A copy of `provider` whose summary and `conformant` agree with its rules' outcomes."""
    updated = dict(provider)
    updated["summary"] = count_outcomes(r["outcome"] for r in provider["rules"])
    updated["conformant"] = provider_conformant(provider, strict)
    return cast(ProviderDoc, updated)


def target_of(provider: ProviderDoc) -> str:
    """What waivers and the matrix call the provider's target: its base_url, or `embedded`."""
    return EMBEDDED_TARGET if provider.get("embedded") else provider["base_url"].rstrip("/")


def sorted_rules(provider: ProviderDoc) -> list[RuleDoc]:
    """The provider's rules, failures first (MUST before SHOULD within an outcome), else in
    catalogue order."""
    order = {outcome: index for index, outcome in enumerate(OUTCOME_ORDER)}
    return sorted(provider["rules"], key=lambda r: (order.get(r["outcome"], 0), r["level"] != "MUST"))


def verdict_text(provider: ProviderDoc) -> str:
    return "conformant" if provider["conformant"] else "NOT conformant"


def gate_problems(document: ResultsDoc) -> list[str]:
    gate = document.get("gate")
    return list(gate["problems"]) if gate else []


def write_results(path: Path, document: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def _validator() -> Draft202012Validator:
    schema = json.loads((schemas_dir() / "results.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def read_results(path: Path) -> ResultsDoc:
    """Load and validate a results file; UsageError (one line) when it is missing or not valid."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the results file: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"{path}: not a JSON results file: {exc}") from None
    error = next(iter(sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise UsageError(
            f"{path}: not an apiconform results file: at {where}: {first_line(error.message, 200)}"
        )
    return cast(ResultsDoc, data)
