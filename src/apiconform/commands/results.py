"""`apiconform baseline write`, `diff` and `report`: commands over results files, after a run."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from apiconform.conformance import EXIT_CONFORMANT, EXIT_NOT_CONFORMANT
from apiconform.errors import UsageError
from apiconform.report.results import read_results


def _day(text: str, option: str) -> date:
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise UsageError(f"{option}: expected a date YYYY-MM-DD, got {text!r}")


def command_baseline(args: argparse.Namespace) -> int:
    """Write a waiver per failed or errored rule of a results file, keeping the existing waivers
    that still match a failure."""
    from apiconform.gate.waivers import baseline, load_waivers, render_waivers

    document = read_results(Path(args.results))
    expires = _day(args.expires, "--expires") if args.expires else None
    if expires is not None and expires < datetime.now(UTC).date():
        raise UsageError(f"--expires: {expires} is in the past")
    out = Path(args.out)
    existing = load_waivers(out) if out.exists() else []
    reason = args.reason or f"known deviation, baselined from the run of {document['started_at'][:10]}"
    plan = baseline(document, reason=reason, expires=expires, issue=args.issue, existing=existing)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_waivers(plan.waivers, plan.notes), encoding="utf-8")
    for remark in plan.remarks:
        print(f"apiconform: {remark}", file=sys.stderr)
    print(f"wrote {len(plan.waivers)} waiver{'s' if len(plan.waivers) != 1 else ''} to {out}")
    return 0


def command_diff(args: argparse.Namespace) -> int:
    """Print the outcome changes between two results files; exit 1 when a rule newly fails."""
    from apiconform.gate.diff import diff_documents, render_diff

    diff = diff_documents(read_results(Path(args.old)), read_results(Path(args.new)))
    print(render_diff(diff))
    return EXIT_NOT_CONFORMANT if diff.regressed else EXIT_CONFORMANT


def command_report(args: argparse.Namespace) -> int:
    """report.html and summary.md (also to $GITHUB_STEP_SUMMARY) from one or more results files."""
    from apiconform.report.folder import step_summary
    from apiconform.report.html import report_html
    from apiconform.report.markdown import summary_markdown

    documents = [read_results(Path(name)) for name in args.results]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = summary_markdown(documents)
    (out / "report.html").write_text(report_html(documents), encoding="utf-8")
    (out / "summary.md").write_text(summary, encoding="utf-8")
    for warning in step_summary(summary):
        print(warning, file=sys.stderr)
    print(f"report: {out / 'report.html'}  summary: {out / 'summary.md'}")
    return 0
