"""The reports people and CI read: junit.xml, report.html, summary.md, traffic.har, Allure labels."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from junitparser import JUnitXml, Properties

from apiconform.report.junit import junit_xml
from apiconform.report.markdown import MAX_LISTED, summary_markdown
from tests.test_cli import SECRETS, apiconform
from tests.test_gate import DEFAULTS, X_API_KEY, cli, document, faulty_server, validate

ROOT = Path(__file__).resolve().parents[1]
JUNIT_XSD = ROOT / "tests" / "data" / "junit.xsd"
READ_ONLY = "coliving.auth.read-only-key-reads"  # skipped: its credential is not configured
RULES = (DEFAULTS, X_API_KEY, READ_ONLY)


@pytest.fixture(scope="module")
def report_run(tmp_path_factory):
    """One `apiconform run` against a faulty server, with distinctive secrets and a step summary file."""
    workdir = tmp_path_factory.mktemp("reports")
    step_summary = workdir / "step-summary.md"
    step_summary.write_text("earlier step\n")
    with faulty_server(SECRETS) as base_url, pytest.MonkeyPatch.context() as patch:
        configured = {name: value for name, value in SECRETS.items() if name != "api_key_read_only"}
        (workdir / "apiconform.toml").write_text(
            f'[coliving]\nbase_url = "{base_url}"\n'
            + "".join(f'{name} = "{value}"\n' for name, value in configured.items())
        )
        patch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
        selection = [arg for rule in RULES for arg in ("--select", rule)]
        result = apiconform("run", "coliving", "--report-dir", "out", *selection, cwd=workdir, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    return workdir, result


def leaks(text: str) -> list[str]:
    return [name for name, secret in SECRETS.items() if secret in text]


# -- evidence in results.json ---------------------------------------------------------------------------


def test_results_name_the_exchanges_a_failure_rests_on(report_run):
    """The failed rule's evidence is ids of the provider's exchanges, listed once in results.json,
    each the exchange at that position in traffic.har; the passed and skipped rules have none."""
    workdir, _ = report_run
    document = json.loads((workdir / "out" / "results.json").read_text())
    validate(document)
    provider = document["providers"][0]
    rules = {rule["id"]: rule for rule in provider["rules"]}
    assert rules[DEFAULTS]["evidence"] and "evidence" not in rules[X_API_KEY]
    assert "evidence" not in rules[READ_ONLY]
    listed = {exchange["id"]: exchange for exchange in provider["exchanges"]}
    assert set(rules[DEFAULTS]["evidence"]) == set(listed)
    entries = json.loads((workdir / "out" / "traffic.har").read_text())["log"]["entries"]
    for exchange_id, exchange in listed.items():
        entry = entries[exchange_id]
        assert (entry["request"]["method"], entry["request"]["url"]) == (exchange["method"], exchange["url"])
        # `rules` names the rules whose test sent it (a shared request: the first test to need it)
        assert exchange["status"] == entry["response"]["status"] and exchange["rules"] == entry["_rules"]
        assert set(exchange["rules"]) & set(RULES)
    assert not leaks(json.dumps(provider["exchanges"]))


def test_reports_read_evidence_not_message_text():
    """No report module reads reproductions back out of failure messages."""
    report_dir = ROOT / "src" / "apiconform" / "report"
    readers = [path.name for path in report_dir.glob("*.py") if "reproduce" in path.read_text()]
    assert readers == []


def test_report_command_shows_the_evidence_from_the_results_file(report_run, tmp_path, capsys):
    workdir, _ = report_run
    code, _, _ = cli(capsys, "report", str(workdir / "out" / "results.json"), "--out", str(tmp_path))
    page = (tmp_path / "report.html").read_text()
    assert code == 0 and "Recorded exchange" in page and "curl -X GET" in page
    assert not leaks(page)


# -- junit.xml ------------------------------------------------------------------------------------------


def test_junit_validates_and_carries_the_failing_exchange(report_run):
    workdir, _ = report_run
    path = workdir / "out" / "junit.xml"
    cases = {case.name: case for suite in JUnitXml.fromfile(str(path)) for case in suite}
    assert set(cases) == set(RULES)
    assert {case.classname for case in cases.values()} == {"coliving"}
    failed = cases[DEFAULTS]
    assert [type(r).__name__ for r in failed.result] == ["Failure"]
    assert failed.result[0].message.startswith("without page and per_page")
    assert "GET " in failed.system_out and "x-api-key: ***" in failed.system_out
    assert [type(r).__name__ for r in cases[READ_ONLY].result] == ["Skipped"]
    assert cases[X_API_KEY].is_passed
    properties = {p.name: p.value for p in failed.child(Properties)}
    assert properties["level"] == "MUST" and properties["source"].startswith("coliving-api.txt")
    assert properties["title"]
    assert not leaks(path.read_text())
    xmlschema = pytest.importorskip("xmlschema", reason="xmlschema validates junit.xml against tests/data")
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(path))


def test_junit_reports_a_waived_rule_as_skipped(tmp_path):
    doc = document({DEFAULTS: "waived", X_API_KEY: "error"})
    doc["providers"][0]["rules"][0]["message"] = "waived (vendor ticket): per_page 20 \x01 control"
    text = junit_xml(doc)
    (tmp_path / "junit.xml").write_text(text)
    cases = {case.name: case for suite in JUnitXml.fromfile(str(tmp_path / "junit.xml")) for case in suite}
    waived = cases[DEFAULTS].result[0]
    assert type(waived).__name__ == "Skipped" and waived.message.startswith("waived (vendor ticket)")
    assert type(cases[X_API_KEY].result[0]).__name__ == "Error"
    xmlschema = pytest.importorskip("xmlschema", reason="xmlschema validates junit.xml against tests/data")
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(tmp_path / "junit.xml"))


# -- report.html ----------------------------------------------------------------------------------------


class _Balance(HTMLParser):
    """Checks that every non-void element is closed in order."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_report_html_lists_failures_first_self_contained_and_masked(report_run):
    workdir, _ = report_run
    page = (workdir / "out" / "report.html").read_text()
    assert page.index(f"<code>{DEFAULTS}</code>") < page.index(f"<code>{X_API_KEY}</code>")
    assert page.index("per_page 20") < page.index("Skipped (1)") < page.index("Passed (1)")
    assert "curl -X GET" in page and "x-api-key: ***" in page
    assert "Recorded exchange" in page
    for fetching in ("<script", "<link", " src=", "url(", "@import"):
        assert fetching not in page
    checker = _Balance()
    checker.feed(page)
    assert not checker.errors and not checker.stack
    assert not leaks(page)


def test_a_failed_rule_carries_the_sentence_it_rests_on(report_run):
    """results.json gives each rule its statement ids and the provider the words of the statements
    its failed rules cover, and its document coverage; report.html quotes the sentence under the
    failed rule; junit.xml carries the ids; summary.md has a coverage line per provider."""
    from apiconform.rules import load_catalogue
    from apiconform.statements import load_statements

    workdir, _ = report_run
    document = json.loads((workdir / "out" / "results.json").read_text())
    provider = document["providers"][0]
    rules = {rule["id"]: rule for rule in provider["rules"]}
    covers = list(load_catalogue("coliving")[DEFAULTS].covers)
    assert covers and rules[DEFAULTS]["statements"] == covers
    statements = load_statements("coliving")
    assert set(provider["statements"]) == set(covers)  # only the failed rule's statements
    assert provider["statements"]["coliving-151"]["quote"] == statements["coliving-151"].quote
    assert provider["coverage"]["statements"] == len(statements)
    page = (workdir / "out" / "report.html").read_text()
    failure = page.split(f"<code>{DEFAULTS}</code>", 1)[1].split("</article>", 1)[0]
    assert "Default page size is 50" in failure and "coliving-151" in failure
    assert "Document coverage:" in page
    junit = JUnitXml.fromfile(str(workdir / "out" / "junit.xml"))
    case = next(case for suite in junit for case in suite if case.name == DEFAULTS)
    properties = {p.name: p.value for p in case.child(Properties)}
    assert properties["statements"].split() == covers
    summary = (workdir / "out" / "summary.md").read_text()
    assert f"Document coverage, coliving: {provider['coverage']['percent']}%" in summary


def test_report_renders_in_headless_chromium(report_run):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium or chromium-browser on PATH: report.html not rendered in a browser")
    out = (report_run[0] / "out").resolve()
    uri = (out / "report.html").as_uri()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"]
    shot = subprocess.run(
        [browser, *flags, f"--screenshot={out / 'report.png'}", "--window-size=1280,2000", uri],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = subprocess.run([browser, *flags, "--dump-dom", uri], capture_output=True, text=True, timeout=120)
    assert (out / "report.png").is_file(), shot.stderr
    assert DEFAULTS in dom.stdout
    assert "Default page size is 50" in dom.stdout  # the sentence the failed rule rests on
    logs = shot.stderr + dom.stderr
    assert "Uncaught" not in logs and "ERROR:CONSOLE" not in logs


# -- summary.md and the step summary ----------------------------------------------------------------------


def test_summary_md_written_and_appended_to_the_step_summary(report_run):
    workdir, _ = report_run
    summary = (workdir / "out" / "summary.md").read_text()
    assert summary.startswith("## apiconform: ❌ NOT conformant")
    assert f"- **{DEFAULTS}** (MUST) failed: `without page and per_page" in summary
    assert "| coliving |" in summary and "\n" not in summary.split(f"**{DEFAULTS}**")[1].split("`")[1]
    step = (workdir / "step-summary.md").read_text()
    assert step == "earlier step\n" + summary
    assert not leaks(summary)


def test_summary_md_lists_a_bounded_number_of_failures():
    from apiconform.rules import load_catalogue

    doc = document(dict.fromkeys(list(load_catalogue("coliving"))[: MAX_LISTED + 5], "failed"))
    text = summary_markdown([doc])
    assert text.count("(MUST) failed") + text.count("(SHOULD) failed") == MAX_LISTED
    assert "... and 5 more (see report.html)" in text


# -- traffic.har ----------------------------------------------------------------------------------------


def test_har_is_valid_with_pages_entries_and_no_secret(report_run):
    workdir, _ = report_run
    text = (workdir / "out" / "traffic.har").read_text()
    assert not leaks(text)
    log = json.loads(text)["log"]
    assert log["version"] == "1.2" and log["creator"]["name"] == "apiconform"
    assert [page["id"] for page in log["pages"]] == ["coliving"]
    entries = log["entries"]
    assert entries and all(entry["pageref"] == "coliving" for entry in entries)
    for entry in entries:
        datetime.fromisoformat(entry["startedDateTime"])
        assert {"request", "response", "cache", "timings", "time"} <= set(entry)
        assert entry["request"]["method"] and entry["request"]["url"].startswith("http://127.0.0.1:")
        assert isinstance(entry["response"]["status"], int)
    stamps = [entry["startedDateTime"] for entry in entries]
    assert stamps == sorted(stamps)
    keys = [h["value"] for e in entries for h in e["request"]["headers"] if h["name"].lower() == "x-api-key"]
    assert keys and set(keys) == {"***"}
    sent_for = {rule for entry in entries for rule in entry["_rules"]}
    assert X_API_KEY in sent_for


# -- Allure ---------------------------------------------------------------------------------------------


def test_allure_labels_and_history_ids(report_run):
    workdir, _ = report_run
    results = [json.loads(p.read_text()) for p in (workdir / "out" / "allure-results").glob("*-result.json")]
    by_story = {
        label["value"]: result for result in results for label in result["labels"] if label["name"] == "story"
    }
    assert set(by_story) >= {DEFAULTS, X_API_KEY}
    labels = {label["name"]: label["value"] for label in by_story[DEFAULTS]["labels"]}
    assert labels["epic"] == "coliving" and labels["feature"] == "pagination"
    assert labels["severity"] == "critical"
    # one result per test (a test may judge several rules, one story each), each its own history
    assert len({result["historyId"] for result in results}) == len(results)


def test_allure_results_render_with_the_allure_command_line(report_run, tmp_path):
    """`allure generate` (npm allure-commandline; .ci/run installs it when npm is there) renders
    the results: a report whose test cases carry the failing rule, and no secret in it."""
    allure = shutil.which("allure")
    if allure is None:
        pytest.skip("the Allure command line (npm allure-commandline) is not installed")
    workdir, _ = report_run
    out = tmp_path / "allure-report"
    done = subprocess.run(
        [allure, "generate", str(workdir / "out" / "allure-results"), "-o", str(out), "--clean"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "index.html").is_file()
    cases = [json.loads(p.read_text()) for p in (out / "data" / "test-cases").glob("*.json")]
    assert any(case.get("status") == "failed" for case in cases)
    for path in out.rglob("*.json"):
        assert not leaks(path.read_text(errors="replace")), path


# -- apiconform report ----------------------------------------------------------------------------------


def test_report_command_merges_results_with_a_matrix(report_run, tmp_path, monkeypatch, capsys):
    workdir, _ = report_run
    other = document(
        {DEFAULTS: "passed", X_API_KEY: "passed"}, base_url="https://staging.example.test", embedded=False
    )
    validate(other)
    (tmp_path / "staging.json").write_text(json.dumps(other))
    step_summary = tmp_path / "step.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli(
        capsys, "report", str(workdir / "out" / "results.json"), "staging.json", "--out", "merged"
    )
    assert code == 0 and "merged/report.html" in out
    page = (tmp_path / "merged" / "report.html").read_text()
    assert "coliving: rules x targets" in page and "https://staging.example.test" in page
    assert "2 results files merged" in page
    summary = (tmp_path / "merged" / "summary.md").read_text()
    assert summary.count("| coliving |") == 2 and step_summary.read_text() == summary
    assert not leaks(page + summary)
