"""The report folder of a run: every file written into it, in one place (results.json, junit.xml,
report.html, summary.md, traffic.har; allure-results/ and <provider>/pytest.log are written by the
run itself), and the GitHub step summary."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from apiconform.masking import Masker
from apiconform.report.results import ResultsDoc
from apiconform.run import ProviderResult


def prepare_report_dir(report_dir: Path) -> None:
    """`report_dir` exists and holds no Allure results of an earlier run."""
    report_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(report_dir / "allure-results", ignore_errors=True)


def write_reports(
    report_dir: Path,
    document: ResultsDoc,
    results: Sequence[ProviderResult],
    masker: Masker,
    started_at: datetime,
) -> list[str]:
    """Write results.json, junit.xml, report.html, summary.md (also appended to
    $GITHUB_STEP_SUMMARY) and traffic.har, then scrub the whole folder, so that no file in it holds
    a secret `masker` knows. Returns the warnings to show (a step summary that could not be
    written)."""
    from apiconform.report.har import har_json
    from apiconform.report.html import report_html
    from apiconform.report.junit import junit_xml
    from apiconform.report.markdown import summary_markdown
    from apiconform.report.results import write_results
    from apiconform.report.scrub import scrub_tree

    write_results(report_dir / "results.json", document)
    texts = {
        "junit.xml": junit_xml(document),
        "report.html": report_html([document]),
        "summary.md": summary_markdown([document]),
        "traffic.har": har_json(results, started_at=started_at),
    }
    for name, text in texts.items():
        (report_dir / name).write_text(masker.mask(text), encoding="utf-8")
    scrub_tree(report_dir, masker)
    return step_summary(masker.mask(texts["summary.md"]))


def step_summary(text: str) -> list[str]:
    """Append `text` to the file $GITHUB_STEP_SUMMARY names, when it is set. Returns the warnings
    to show: a file that cannot be written is a warning, not an error."""
    from apiconform.report.markdown import append_step_summary

    try:
        append_step_summary(text)
    except OSError as exc:
        return [f"apiconform: warning: cannot append to $GITHUB_STEP_SUMMARY: {exc}"]
    return []
