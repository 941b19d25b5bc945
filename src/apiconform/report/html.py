"""report.html: one self-contained page for people (inline CSS, no script, nothing fetched).

From one or more results documents (already masked): the gate's verdict and problems, an
overview per provider and target, a matrix (rules x targets) for each provider that several of
the merged results ran against different targets, then a section per provider run with its
failures first, each with its message (as the check wrote it, with the reproductions it cites)
and the recorded exchanges it rests on (the rule's `evidence` in the results document), each
with a `curl` command; waived, skipped and passed rules follow, folded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from string import Template

from apiconform import __version__
from apiconform.report.evidence import rule_evidence
from apiconform.report.results import (
    FAILING,
    OUTCOME_ORDER,
    ProviderDoc,
    ResultsDoc,
    RuleDoc,
    first_line,
    gate_problems,
    sorted_rules,
    target_of,
)

_STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0;
  --failed: #cf222e; --error: #bc4c00; --waived: #8250df; --skipped: #6e7781; --passed: #1a7f37; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; padding: 1.5rem; max-width: 1200px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.3rem; margin: 2rem 0 .5rem;
  border-bottom: 1px solid var(--line); padding-bottom: .25rem; } h3 { font-size: 1rem; margin: 0 0 .25rem; }
.meta, .source, small { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem;
  white-space: pre-wrap; word-break: break-word; margin: .4rem 0; }
.badge { display: inline-block; border-radius: 1em; padding: 0 .7em; color: #fff; font-size: .85rem;
  vertical-align: middle; }
.badge.ok { background: var(--passed); } .badge.bad { background: var(--failed); }
.outcome { font-weight: 600; text-transform: uppercase; font-size: .75rem; letter-spacing: .03em; }
.failed { color: var(--failed); } .error { color: var(--error); } .waived { color: var(--waived); }
.skipped { color: var(--skipped); } .passed { color: var(--passed); }
article.rule { border: 1px solid var(--line); border-left: 4px solid var(--failed); border-radius: 6px;
  padding: .6rem .8rem; margin: .8rem 0; }
article.rule.error { border-left-color: var(--error); }
.problems { border: 1px solid var(--failed); border-radius: 6px; padding: .4rem 1rem; }
details { margin: .6rem 0; } summary { cursor: pointer; font-weight: 600; }
td.cell { text-align: center; }
blockquote.sentence { margin: .4rem 0; padding: .3rem .8rem; border-left: 3px solid var(--line);
  background: var(--panel); font-style: italic; }
blockquote.sentence footer { font-style: normal; color: var(--muted); font-size: .85rem; }
"""

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>apiconform report: $verdict</title>
<style>$style</style>
</head>
<body>
<header>
<h1>apiconform report $badge</h1>
<p class="meta">$meta</p>
</header>
$body
<footer><p class="meta">Secrets are shown as <code>***</code>: fill them in to run a reproduction.</p>
</footer>
</body>
</html>
""")


@dataclass(frozen=True)
class _Run:
    """One provider section: a provider of one results document."""

    anchor: str
    provider: ProviderDoc


def _badge(ok: bool) -> str:
    return f'<span class="badge {"ok" if ok else "bad"}">{"conformant" if ok else "NOT conformant"}</span>'


def _outcome(outcome: str) -> str:
    return f'<span class="outcome {escape(outcome)}">{escape(outcome)}</span>'


def _pre(text: str) -> str:
    return f"<pre>{escape(text)}</pre>"


def _meta(documents: Sequence[ResultsDoc]) -> str:
    parts = [f"generated {datetime.now(UTC).isoformat(timespec='seconds')} by apiconform {__version__}"]
    if len(documents) == 1:
        document = documents[0]
        parts.append(f"run {document['started_at']} to {document['finished_at']}")
        parts.append(f"profile {document['profile']}" + (", strict" if document.get("strict") else ""))
        selection = document.get("selection")
        if selection and (selection["select"] or selection["deselect"] or selection["level"]):
            chosen = [*selection["select"], *(f"not {glob}" for glob in selection["deselect"])]
            if selection["level"]:
                chosen.append(f"level {selection['level']}")
            parts.append("selection: " + ", ".join(chosen))
    else:
        parts.append(f"{len(documents)} results files merged")
    return escape("; ".join(parts))


def _problems(documents: Sequence[ResultsDoc]) -> str:
    problems = [problem for document in documents for problem in gate_problems(document)]
    if not problems:
        return ""
    items = "".join(f"<li>{escape(problem)}</li>" for problem in problems)
    return f'<section class="problems"><h2>Gate problems</h2><ul>{items}</ul></section>'


def _overview(runs: Sequence[_Run]) -> str:
    columns = ["failed", "error", "waived", "skipped", "passed"]
    head = "".join(f"<th>{name}</th>" for name in ["provider", "target", "verdict", *columns])
    head += "<th>requests</th><th>429s</th><th>seconds</th>"
    rows = []
    for run in runs:
        provider = run.provider
        counts = provider["summary"]
        cells = "".join(f'<td class="num {name}">{counts.get(name, 0)}</td>' for name in columns)
        rows.append(
            f'<tr><td><a href="#{run.anchor}">{escape(provider["name"])}</a></td>'
            f"<td>{escape(target_of(provider))}</td><td>{_badge(provider['conformant'])}</td>{cells}"
            f'<td class="num">{provider["requests"]}</td><td class="num">{provider.get("throttled", 0)}</td>'
            f'<td class="num">{provider.get("seconds", 0.0):.1f}</td></tr>'
        )
    return f"<section><h2>Overview</h2><table><tr>{head}</tr>{''.join(rows)}</table></section>"


def _matrices(runs: Sequence[_Run]) -> str:
    by_provider: dict[str, list[_Run]] = {}
    for run in runs:
        by_provider.setdefault(run.provider["name"], []).append(run)
    sections = []
    for name, group in by_provider.items():
        if len(group) < 2:
            continue
        rule_ids = list(dict.fromkeys(rule["id"] for run in group for rule in run.provider["rules"]))
        outcomes = [{rule["id"]: rule for rule in run.provider["rules"]} for run in group]
        head = "".join(
            f'<th><a href="#{run.anchor}">{escape(target_of(run.provider))}</a></th>' for run in group
        )
        rows = []
        for rule_id in rule_ids:
            cells = []
            for found in outcomes:
                rule = found.get(rule_id)
                if rule is None:
                    cells.append('<td class="cell skipped">-</td>')
                    continue
                tip = escape(first_line(rule["message"]), quote=True)
                cells.append(f'<td class="cell" title="{tip}">{_outcome(rule["outcome"])}</td>')
            rows.append(f"<tr><td><code>{escape(rule_id)}</code></td>{''.join(cells)}</tr>")
        sections.append(
            f"<section><h2>{escape(name)}: rules x targets</h2>"
            f"<table><tr><th>rule</th>{head}</tr>{''.join(rows)}</table></section>"
        )
    return "".join(sections)


def _failure(anchor: str, provider: ProviderDoc, rule: RuleDoc) -> str:
    parts = [
        f'<article class="rule {escape(rule["outcome"])}" id="{anchor}-{escape(rule["id"])}">',
        f"<h3>{_outcome(rule['outcome'])} <code>{escape(rule['id'])}</code>"
        f" <small>{escape(rule['level'])}</small> {escape(rule['title'])}</h3>",
        f'<div class="source">source: {escape(rule["source"])}</div>',
        _sentences(provider, rule),
        _pre(rule["message"] or "(no message)"),
    ]
    found = rule_evidence(provider, rule)
    if found:
        title = "Recorded exchange" if len(found) == 1 else f"Recorded exchanges ({len(found)})"
        shown = "".join(_pre(exchange.curl()) + _pre(exchange.as_text()) for exchange in found)
        parts.append(f"<details><summary>{title}</summary>{shown}</details>")
    parts.append("</article>")
    return "".join(parts)


def _sentences(provider: ProviderDoc, rule: RuleDoc) -> str:
    """The document's words the rule rests on: each statement it covers, quoted with its id and
    section (from the provider's `statements`)."""
    words = provider.get("statements", {})
    quotes = [
        f'<blockquote class="sentence" cite="#{escape(statement_id)}">{escape(words[statement_id]["quote"])}'
        f"<footer>{escape(statement_id)} ({escape(words[statement_id]['level'])}), "
        f"{escape(words[statement_id]['section'])}</footer></blockquote>"
        for statement_id in rule.get("statements", [])
        if statement_id in words
    ]
    return f'<div class="sentences">The document says: {"".join(quotes)}</div>' if quotes else ""


def _coverage(provider: ProviderDoc) -> str:
    """The provider's document coverage, as one table row (nothing when it has no catalogue)."""
    counts = provider.get("coverage")
    if not counts:
        return ""
    names = ("statements", "testable", "covered", "partial", "excluded", "uncovered")
    head = "".join(f"<th>{name}</th>" for name in names) + "<th>covered (of those in scope)</th>"
    cells = "".join(f"<td>{counts[name]}</td>" for name in names) + f"<td>{counts['percent']}%</td>"
    return (
        f'<details class="coverage"><summary>Document coverage: {counts["percent"]}%</summary>'
        f"<table><tr>{head}</tr><tr>{cells}</tr></table></details>"
    )


def _folded(title: str, rules: Sequence[RuleDoc], *, open_: bool = False) -> str:
    if not rules:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(rule['id'])}</code></td><td>{escape(rule['level'])}</td>"
        f"<td>{escape(rule['title'])}</td><td>{escape(rule['message'])}</td></tr>"
        for rule in rules
    )
    return (
        f"<details{' open' if open_ else ''}><summary>{escape(title)} ({len(rules)})</summary>"
        f"<table><tr><th>rule</th><th>level</th><th>title</th><th>message</th></tr>{rows}</table></details>"
    )


def _section(run: _Run) -> str:
    provider = run.provider
    counts = provider["summary"]
    summary = ", ".join(f"{counts.get(name, 0)} {name}" for name in OUTCOME_ORDER)
    parts = [
        f'<section id="{run.anchor}"><h2>{escape(provider["name"])} <small>@ {escape(provider["base_url"])}'
        f"</small> {_badge(provider['conformant'])}</h2>",
        f'<p class="meta">{escape(summary)}; {provider["requests"]} requests, '
        f"{provider.get('throttled', 0)} answered 429; {provider.get('seconds', 0.0):.1f} s</p>",
    ]
    if provider.get("error"):
        parts.append(f'<p class="error">Could not run: {escape(provider.get("error") or "")}</p>')
    parts.append(_coverage(provider))
    rules = sorted_rules(provider)
    failures = [rule for rule in rules if rule["outcome"] in FAILING]
    parts += [_failure(run.anchor, provider, rule) for rule in failures]
    if not failures:
        parts.append('<p class="passed">No rule failed.</p>')
    parts.append(_folded("Waived", [r for r in rules if r["outcome"] == "waived"], open_=True))
    parts.append(_folded("Skipped", [r for r in rules if r["outcome"] == "skipped"]))
    parts.append(_folded("Passed", [r for r in rules if r["outcome"] == "passed"]))
    parts.append("</section>")
    return "".join(parts)


def report_html(documents: Sequence[ResultsDoc]) -> str:
    """The page for `documents` (the evidence of each failure read from its document)."""
    runs = [
        _Run(anchor=f"run-{doc_index}-{provider['name']}", provider=provider)
        for doc_index, document in enumerate(documents, start=1)
        for provider in document["providers"]
    ]
    ok = all(run.provider["conformant"] for run in runs) and not any(gate_problems(d) for d in documents)
    ordered = sorted(runs, key=lambda run: run.provider["conformant"])  # not conformant first
    body = [_problems(documents), _overview(runs), _matrices(runs)]
    body += [_section(run) for run in ordered]
    return _PAGE.substitute(
        verdict="conformant" if ok else "NOT conformant",
        style=_STYLE,
        badge=_badge(ok),
        meta=_meta(documents),
        body="\n".join(part for part in body if part),
    )
