"""summary.md: a short Markdown summary for a pull-request comment or a CI job's summary page.

Per provider: the verdict, the counts, and the failing rules with their messages shortened (the
full messages and reproductions are in report.html); then the gate's problems. When
`$GITHUB_STEP_SUMMARY` names a file, the same text is appended to it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from apiconform.report.results import FAILING, ResultsDoc, first_line, gate_problems, sorted_rules, target_of

#: At most this many failing rules are listed per provider (a PR comment has a size limit).
MAX_LISTED = 40
MESSAGE_ROOM = 200


def _code(text: str, room: int = MESSAGE_ROOM) -> str:
    """The first line of `text`, shortened, as a Markdown code span (nothing in it is interpreted)."""
    line = " ".join(first_line(text, room).split()).replace("`", "'")
    return f"`{line}`" if line else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def summary_markdown(documents: Sequence[ResultsDoc]) -> str:
    """The Markdown summary of one or more results documents."""
    providers = [provider for document in documents for provider in document["providers"]]
    ok = all(provider["conformant"] for provider in providers)
    problems = [problem for document in documents for problem in gate_problems(document)]
    passed = ok and not problems
    lines = [f"## apiconform: {'✅ conformant' if passed else '❌ NOT conformant'}", ""]
    lines += [
        "| provider | target | verdict | passed | failed | error | waived | skipped | requests |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for provider in providers:
        counts: Mapping[str, int] = provider["summary"]
        verdict = "✅ conformant" if provider["conformant"] else "❌ NOT conformant"
        lines.append(
            f"| {provider['name']} | {_cell(target_of(provider))} | {verdict} | {counts.get('passed', 0)} | "
            f"{counts.get('failed', 0)} | {counts.get('error', 0)} | {counts.get('waived', 0)} | "
            f"{counts.get('skipped', 0)} | {provider['requests']} |"
        )
    covered = [provider for provider in providers if provider.get("coverage")]
    if covered:
        lines.append("")
        for provider in covered:
            coverage = provider["coverage"]
            lines.append(
                f"Document coverage, {provider['name']}: {coverage['percent']}% ({coverage['covered']} of "
                f"{int(coverage['statements']) - int(coverage['excluded'])} statements in scope covered, "
                f"{coverage['partial']} partly; {coverage['excluded']} excluded)"
            )
    for provider in providers:
        failing = [rule for rule in sorted_rules(provider) if rule["outcome"] in FAILING]
        waived = [rule for rule in provider["rules"] if rule["outcome"] == "waived"]
        if not (failing or waived or provider.get("error")):
            continue
        lines += ["", f"### {provider['name']} ({_cell(target_of(provider))})", ""]
        if provider.get("error"):
            lines += [f"Could not run: {_code(provider.get('error') or '')}", ""]
        for rule in failing[:MAX_LISTED]:
            lines.append(f"- **{rule['id']}** ({rule['level']}) {rule['outcome']}: {_code(rule['message'])}")
        if len(failing) > MAX_LISTED:
            lines.append(f"- ... and {len(failing) - MAX_LISTED} more (see report.html)")
        if waived:
            lines.append(f"- waived: {', '.join(rule['id'] for rule in waived)}")
    if problems:
        lines += ["", "### Gate problems", ""]
        lines += [f"- {_code(problem, 400)}" for problem in problems]
    lines += ["", "Full messages and reproductions: `report.html`; traffic: `traffic.har`.", ""]
    return "\n".join(lines)


def append_step_summary(text: str, environ: Mapping[str, str] | None = None) -> Path | None:
    """Append `text` to the file `$GITHUB_STEP_SUMMARY` names; return it (None when unset)."""
    name = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not name:
        return None
    path = Path(name)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")
    return path
