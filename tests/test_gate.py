"""The CI gate: rule selection, waivers (stale, expired, unknown, accepted), baselines, diffs, CI recipes."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from apiconform.cli import build_parser, main
from apiconform.errors import ConfigError
from apiconform.gate.diff import diff_documents, render_diff
from apiconform.gate.run import exit_code_of, run_gate
from apiconform.gate.selection import Selection
from apiconform.gate.waivers import (
    Waiver,
    apply_waivers,
    baseline,
    load_waivers,
    parse_waivers,
    render_waivers,
)
from apiconform.reference.serving import RunningServer, ServerOptions
from apiconform.registry import get_profile
from apiconform.report.results import ResultsDoc, results_document
from apiconform.rules import Outcome, RuleResult, load_catalogue
from apiconform.run import ProviderResult
from tests.conformance import run_embedded
from tests.test_cli import apiconform

ROOT = Path(__file__).resolve().parents[1]
TODAY = datetime.now(UTC).date()
CATALOGUE = load_catalogue("coliving")
DEFAULTS = "coliving.pagination.defaults"  # fails with the fault below
X_API_KEY = "coliving.auth.x-api-key-accepted"  # passes
INVALID_422 = "coliving.pagination.invalid-422"  # a SHOULD rule
FAULT = "default-per-page-20"
KEY = "SECRET-gate-key-5eed1e55"


def validate(document: object) -> None:
    schema = json.loads((ROOT / "schemas" / "results.schema.json").read_text())
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)


def document(
    outcomes: Mapping[str, Outcome],
    *,
    base_url: str = "http://127.0.0.1:8000",
    embedded: bool = True,
    strict: bool = False,
    error: str | None = None,
) -> ResultsDoc:
    """A results document for coliving with the given rule outcomes, built as a run builds it."""
    rules = [
        RuleResult(rule=CATALOGUE[rule_id], outcome=outcome, message=f"{outcome}: evidence for {rule_id}")
        for rule_id, outcome in outcomes.items()
    ]
    result = ProviderResult(name="coliving", base_url=base_url, rules=rules, error=error)
    return document_of(result, embedded=embedded, strict=strict)


def document_of(result: ProviderResult, *, embedded: bool = True, strict: bool = False) -> ResultsDoc:
    now = datetime.now(UTC)
    return results_document(
        [result],
        started_at=now,
        finished_at=now,
        profile="gate",
        strict=strict,
        exit_code=0,
        embedded={result.name} if embedded else set(),
    )


def outcomes_of(doc: ResultsDoc) -> dict[str, str]:
    return {rule["id"]: rule["outcome"] for provider in doc["providers"] for rule in provider["rules"]}


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`apiconform ARGS` in this process (for commands that start no run); exit code, stdout, stderr."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("apiconform: error:")]
    assert len(lines) == 1, err
    return lines[0]


@contextmanager
def faulty_server(
    credentials: Mapping[str, str], faults: frozenset[str] = frozenset({FAULT})
) -> Iterator[str]:
    """A Coliving reference server with `faults`, accepting `credentials`; yields its base URL."""
    app = get_profile("coliving").create_app(
        ServerOptions(credentials=credentials, faults=faults, rate_limit=(600, 1.0))
    )
    with RunningServer(app) as server:
        yield server.base_url


# -- selection ----------------------------------------------------------------------------------------


def test_selection_by_area_level_and_deselect():
    area = Selection(select=("coliving.pagination.*",)).rules(CATALOGUE)
    assert area and all(rule.area == "pagination" for rule in area)
    must = Selection(select=("coliving.pagination.*",), level="MUST").rules(CATALOGUE)
    assert must and all(rule.level == "MUST" for rule in must)
    assert {rule.id for rule in area} - {rule.id for rule in must} >= {INVALID_422}
    trimmed = Selection(select=("coliving.pagination.*",), deselect=("*.walk-*", DEFAULTS)).rules(CATALOGUE)
    assert DEFAULTS not in {r.id for r in trimmed} and not any("walk" in r.id for r in trimmed)
    assert Selection().everything and Selection().rules(CATALOGUE) == list(CATALOGUE.values())
    assert not Selection(level="SHOULD").everything
    assert all(rule.level == "SHOULD" for rule in Selection(level="SHOULD").rules(CATALOGUE))


def test_no_matching_rule_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, "run", "coliving", "--select", "coliving.nothing.*")
    assert code == 2 and "no rule matches the selection" in error_line(err)


# -- the gated run as a library function ----------------------------------------------------------------


def test_exit_code_is_decided_from_the_document_once_the_gate_is_applied():
    passing, failing = document({X_API_KEY: "passed"}), document({DEFAULTS: "failed"})
    ran = [ProviderResult(name="coliving", base_url="http://127.0.0.1:8000", rules=[])]
    assert exit_code_of(passing, ran, interrupted=False) == 0
    assert exit_code_of(failing, ran, interrupted=False) == 1
    assert exit_code_of(passing, ran, interrupted=True) == 1
    waived = apply_waivers(
        failing, [Waiver(DEFAULTS, "*", "known")], today=TODAY, known_rules=set(CATALOGUE)
    ).document
    assert exit_code_of(waived, ran, interrupted=False) == 0
    waived["gate"] = {"waivers": "w.toml", "compare": None, "problems": ["stale waiver: ..."]}
    assert exit_code_of(waived, ran, interrupted=False) == 1
    # a provider that could not run decides it: its config (2) before an unreachable target (3)
    stopped = [replace(ran[0], exit_code=3), replace(ran[0], name="spaces", exit_code=2)]
    assert exit_code_of(passing, stopped, interrupted=True) == 2
    assert exit_code_of(passing, stopped[:1], interrupted=False) == 3


def test_run_gate_is_the_run_command_as_a_function(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    said: list[str] = []
    outcome = run_gate(
        ["livespace", "spaces"],
        report_dir="out",
        selection=Selection(select=("livespace.auth.*",)),
        say=said.append,
    )
    assert capsys.readouterr().out == ""  # a library function: it prints nothing itself
    assert said == [
        "apiconform: spaces: no rule matches the selection; not run",
        "apiconform: livespace: running against embedded reference server ...",
    ]
    assert outcome.exit_code == 0 == outcome.document["exit_code"] and not outcome.interrupted
    assert [result.name for result in outcome.results] == ["livespace"]
    assert json.loads((tmp_path / "out" / "results.json").read_text()) == outcome.document
    assert {rule["id"].split(".")[1] for rule in outcome.document["providers"][0]["rules"]} == {"auth"}
    streams = [stream for stream, _ in outcome.printed]
    assert streams == ["stdout", "stdout"], outcome.printed
    assert outcome.printed[0][1].startswith("livespace @ http://127.0.0.1:")
    assert outcome.printed[-1][1] == (
        "results: out/results.json  report: out/report.html  junit: out/junit.xml  exit code: 0"
    )


# -- waivers: the file ----------------------------------------------------------------------------------


def test_waiver_file_round_trip():
    waivers = [
        Waiver(
            DEFAULTS,
            "embedded",
            'vendor says "soon"\tand\\more',
            "https://tracker.example/1",
            date(2030, 1, 2),
        ),
        Waiver(X_API_KEY, "*", "any target"),
    ]
    text = render_waivers(waivers, {(DEFAULTS, "embedded"): "MUST failed: per_page 20\nsecond line"})
    assert "# MUST failed: per_page 20 second line" in text
    assert parse_waivers(text) == waivers


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[waiver]\n", "invalid TOML"),
        ('[[waiver]]\nrule = "coliving.pagination.defaults"\ntarget = "*"\n', "reason must be"),
        (
            f'[[waiver]]\nrule = "{DEFAULTS}"\ntarget = "*"\nreason = "r"\nexpires = "soon"\n',
            "expires must be",
        ),
        (
            f'[[waiver]]\nrule = "{DEFAULTS}"\ntarget = "*"\nreason = "r"\nowner = "me"\n',
            "unknown key(s) owner",
        ),
        ('[[waiver]]\nrule = "Not An Id"\ntarget = "*"\nreason = "r"\n', "is not a rule id"),
        (f'[[waiver]]\nrule = "{DEFAULTS}"\ntarget = "ftp://x"\nreason = "r"\n', "target must be"),
        (f'[[waiver]]\nrule = "{DEFAULTS}"\ntarget = "*"\nreason = "r"\n' * 2, "a second waiver"),
        ('[waivers]\nrule = "x"\n', "unknown top-level key(s) waivers"),
    ],
)
def test_malformed_waiver_files_are_rejected(tmp_path, text, fragment):
    path = tmp_path / "waivers.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    assert fragment in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_malformed_waiver_file_is_exit_2_before_running(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "waivers.toml").write_text('[[waiver]]\nrule = "coliving.pagination.defaults"\n')
    code, _, err = cli(capsys, "run", "coliving", "--waivers", "waivers.toml")
    assert code == 2
    assert "waivers.toml: waiver #1 (coliving.pagination.defaults): target must be" in error_line(err)
    assert not (tmp_path / "reports").exists()


# -- waivers: applied to results ------------------------------------------------------------------------


def test_stale_waiver_fails():
    doc = document({DEFAULTS: "passed", X_API_KEY: "passed"})
    outcome = apply_waivers(doc, [Waiver(DEFAULTS, "*", "was broken")], today=TODAY, known_rules=CATALOGUE)
    assert outcome.problems == [
        f"stale waiver: {DEFAULTS} (target *) passes now: remove it from the waiver file"
    ]
    assert outcome.waived == 0


def test_expired_waiver_fails_and_waives_nothing():
    doc = document({DEFAULTS: "failed"})
    expired = Waiver(DEFAULTS, "embedded", "vendor fix due", expires=TODAY - timedelta(days=1))
    outcome = apply_waivers(doc, [expired], today=TODAY, known_rules=CATALOGUE)
    assert len(outcome.problems) == 1 and outcome.problems[0].startswith(f"expired waiver: {DEFAULTS}")
    assert outcomes_of(outcome.document)[DEFAULTS] == "failed"
    assert outcome.document["providers"][0]["conformant"] is False
    still_valid = Waiver(DEFAULTS, "embedded", "vendor fix due", expires=TODAY)
    assert not apply_waivers(doc, [still_valid], today=TODAY, known_rules=CATALOGUE).problems


def test_unknown_rule_waiver_fails():
    doc = document({DEFAULTS: "failed"})
    waivers = [
        Waiver("coliving.pagination.no-such-rule", "*", "renamed"),
        Waiver("nosuch.area.rule", "*", "x"),
    ]
    outcome = apply_waivers(doc, waivers, today=TODAY, known_rules=CATALOGUE)
    assert [p.split(":")[0] for p in outcome.problems] == ["unknown rule in waiver"] * 2


def test_waiver_matches_target_exactly_or_star():
    doc = document({DEFAULTS: "failed"}, base_url="https://api.example.test/", embedded=False)
    other = Waiver(DEFAULTS, "https://staging.example.test", "other target")
    assert outcomes_of(apply_waivers(doc, [other], today=TODAY, known_rules=CATALOGUE).document)[
        DEFAULTS
    ] == ("failed")
    same = Waiver(DEFAULTS, "https://api.example.test", "this target")
    assert outcomes_of(apply_waivers(doc, [same], today=TODAY, known_rules=CATALOGUE).document)[DEFAULTS] == (
        "waived"
    )


def test_waivers_leave_a_provider_that_could_not_run_alone():
    doc = document({DEFAULTS: "error"}, error="target unreachable: cannot connect")
    outcome = apply_waivers(doc, [Waiver(DEFAULTS, "*", "x")], today=TODAY, known_rules=CATALOGUE)
    assert outcomes_of(outcome.document)[DEFAULTS] == "error" and not outcome.problems


def test_a_real_failure_is_waived_and_passes_the_gate(tmp_path):
    result = run_embedded("coliving", tmp_path, faults=[FAULT], patterns=[DEFAULTS])
    doc = document_of(result)
    assert doc["providers"][0]["conformant"] is False
    waiver = Waiver(
        DEFAULTS, "embedded", "vendor ticket 4711", "https://tracker.example/4711", date(2099, 1, 1)
    )
    outcome = apply_waivers(doc, [waiver], today=TODAY, known_rules=CATALOGUE)
    assert not outcome.problems and outcome.waived == 1
    provider = outcome.document["providers"][0]
    rule = provider["rules"][0]
    assert rule["outcome"] == "waived" and provider["conformant"] is True
    assert rule["message"].startswith(
        "waived (vendor ticket 4711; https://tracker.example/4711; expires 2099-01-01): "
    )
    assert "per_page 20" in rule["message"]
    assert rule["waiver"] == {
        "reason": "vendor ticket 4711",
        "outcome": "failed",
        "issue": "https://tracker.example/4711",
        "expires": "2099-01-01",
    }
    assert provider["summary"]["waived"] == 1 and provider["summary"]["failed"] == 0
    assert doc["providers"][0]["rules"][0]["outcome"] == "failed"  # the input is left as it was
    validate(outcome.document)


# -- baseline -------------------------------------------------------------------------------------------


def test_baseline_keeps_existing_waivers_and_drops_stale_ones():
    doc = document({DEFAULTS: "failed", X_API_KEY: "passed", INVALID_422: "error"})
    existing = [
        Waiver(DEFAULTS, "*", "hand-written reason", "https://tracker.example/9"),
        Waiver(X_API_KEY, "embedded", "fixed since"),
        Waiver("coliving.ratelimit.enforced", "embedded", "not run here"),
    ]
    plan = baseline(doc, reason="new", expires=date(2099, 1, 1), existing=existing)
    assert plan.waivers == [
        existing[0],
        Waiver(INVALID_422, "embedded", "new", None, date(2099, 1, 1)),
        existing[2],
    ]
    assert plan.remarks == [f"dropped stale waiver: {X_API_KEY} (target embedded)"]


def test_baseline_write_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    doc = document(
        {DEFAULTS: "failed", X_API_KEY: "passed"}, base_url="https://api.example.test", embedded=False
    )
    (tmp_path / "results.json").write_text(json.dumps(doc))
    code, out, err = cli(
        capsys, "baseline", "write", "results.json", "--out", "w.toml", "--issue", "https://t.example/1",
        "--expires", "2099-12-31", "--reason", "accepted for now",
    )  # fmt: skip
    assert code == 0, err
    assert "wrote 1 waiver to w.toml" in out
    waivers = load_waivers(tmp_path / "w.toml")
    assert waivers == [
        Waiver(
            DEFAULTS,
            "https://api.example.test",
            "accepted for now",
            "https://t.example/1",
            date(2099, 12, 31),
        )
    ]
    code, _, err = cli(capsys, "baseline", "write", "results.json", "--expires", "2001-01-01")
    assert code == 2 and "is in the past" in error_line(err)
    code, _, err = cli(capsys, "baseline", "write", "nope.json")
    assert code == 2 and "nope.json: cannot read" in error_line(err)


# -- diff -----------------------------------------------------------------------------------------------


def test_diff_lists_regressions_first():
    old = document({DEFAULTS: "failed", X_API_KEY: "passed", INVALID_422: "skipped"})
    new = document({DEFAULTS: "passed", X_API_KEY: "failed", INVALID_422: "error"})
    diff = diff_documents(old, new)
    assert [c.rule for c in diff.regressed] == [X_API_KEY, INVALID_422]
    assert [c.rule for c in diff.fixed] == [DEFAULTS]
    text = render_diff(diff)
    assert (
        text.index("newly failing (2):")
        < text.index(X_API_KEY)
        < text.index("fixed (1):")
        < text.index(DEFAULTS)
    )
    assert f"{X_API_KEY} [MUST] passed -> failed: failed: evidence for {X_API_KEY}" in text


def test_diff_of_waived_and_missing_rules():
    old = document({DEFAULTS: "waived", X_API_KEY: "passed"})
    new = document({DEFAULTS: "failed", INVALID_422: "error"})
    diff = diff_documents(old, new)
    assert {c.rule: (c.old, c.new) for c in diff.regressed} == {
        DEFAULTS: ("waived", "failed"),
        INVALID_422: (None, "error"),
    }
    assert diff.only_old == 1 and "1 rule ran only in the older results" in render_diff(diff)
    same = diff_documents(old, old)
    assert not same.changes and render_diff(same) == "no outcome changed (2 rules compared)"


def test_diff_cli_exit_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.json").write_text(json.dumps(document({DEFAULTS: "passed", X_API_KEY: "failed"})))
    (tmp_path / "new.json").write_text(json.dumps(document({DEFAULTS: "failed", X_API_KEY: "passed"})))
    code, out, _ = cli(capsys, "diff", "old.json", "new.json")
    assert code == 1
    assert (
        out.index("newly failing (1):") < out.index(DEFAULTS) < out.index("fixed (1):") < out.index(X_API_KEY)
    )
    (tmp_path / "fixed.json").write_text(json.dumps(document({DEFAULTS: "passed", X_API_KEY: "passed"})))
    code, out, _ = cli(capsys, "diff", "new.json", "fixed.json")
    assert code == 0 and "fixed (1)" in out and "newly failing" not in out
    code, out, _ = cli(capsys, "diff", "fixed.json", "fixed.json")
    assert code == 0 and out.startswith("no outcome changed")
    (tmp_path / "bad.json").write_text('{"providers": 3}')
    code, _, err = cli(capsys, "diff", "old.json", "bad.json")
    assert code == 2 and "bad.json: not an apiconform results file" in error_line(err)


# -- the gate end to end ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def faulty_target() -> Iterator[str]:
    with faulty_server({"api_key": KEY}) as base_url:
        yield base_url


def gate_run(workdir: Path, base_url: str, *args: str):
    (workdir / "apiconform.toml").write_text(f'[coliving]\nbase_url = "{base_url}"\napi_key = "{KEY}"\n')
    return apiconform(
        "run", "coliving", "--report-dir", "out",
        "--select", DEFAULTS, "--select", X_API_KEY, "--select", INVALID_422, *args,
        cwd=workdir, timeout=120,
    )  # fmt: skip


def test_waived_failure_passes_the_gate_and_level_must_runs_no_should(tmp_path, faulty_target):
    target = faulty_target.rstrip("/")
    (tmp_path / "w.toml").write_text(
        render_waivers([Waiver(DEFAULTS, target, "vendor ticket 4711", expires=TODAY + timedelta(days=30))])
    )
    result = gate_run(tmp_path, faulty_target, "--level", "MUST", "--waivers", "w.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    validate(doc)
    assert outcomes_of(doc) == {DEFAULTS: "waived", X_API_KEY: "passed"}  # no SHOULD rule ran
    assert doc["selection"] == {"select": [DEFAULTS, X_API_KEY, INVALID_422], "deselect": [], "level": "MUST"}
    assert doc["gate"] == {"waivers": "w.toml", "compare": None, "problems": []}
    assert doc["exit_code"] == 0 and doc["providers"][0]["conformant"] is True
    assert KEY not in result.stdout + result.stderr + (tmp_path / "out" / "results.json").read_text()
    # the waived rule stays in the next baseline, with its waiver's reason
    plan = baseline(doc, reason="unused", existing=[])
    (tmp_path / "next.toml").write_text(render_waivers(plan.waivers, plan.notes))
    assert [(w.rule, w.reason) for w in load_waivers(tmp_path / "next.toml")] == [
        (DEFAULTS, "vendor ticket 4711")
    ]


def test_stale_and_unknown_waivers_and_regressions_fail_the_run(tmp_path, faulty_target):
    (tmp_path / "w.toml").write_text(
        render_waivers(
            [Waiver(X_API_KEY, "*", "flaky once"), Waiver("coliving.auth.renamed-rule", "*", "gone")]
        )
    )
    (tmp_path / "old.json").write_text(json.dumps(document({DEFAULTS: "passed", X_API_KEY: "passed"})))
    result = gate_run(
        tmp_path, faulty_target, "--level", "MUST", "--waivers", "w.toml", "--compare", "old.json"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    problems = [
        line for line in result.stderr.splitlines() if re.match(r"apiconform: (stale|unknown|regr)", line)
    ]
    assert problems == [
        f"apiconform: stale waiver: {X_API_KEY} (target *) passes now: remove it from w.toml",
        "apiconform: unknown rule in waiver: coliving.auth.renamed-rule (target *):"
        " no such rule in the catalogue",
        f"apiconform: regression: {DEFAULTS} [MUST] passed -> failed: without page and per_page:"
        " current_page 1, per_page 20 (expected 1, 50) (compared with old.json)",
    ]
    assert "gate problems (3):" in result.stdout and "newly failing (1):" in result.stdout
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    validate(doc)
    assert len(doc["gate"]["problems"]) == 3 and doc["exit_code"] == 1
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "stale waiver:" in summary and "regression:" in summary


# -- CI recipes -----------------------------------------------------------------------------------------


def _commands(text: str) -> list[list[str]]:
    """The `apiconform ...` command lines of a CI file, with shell variables made concrete."""
    found = []
    for line in text.splitlines():
        line = line.strip().removeprefix("- ").removeprefix("run: ")
        if line.startswith("apiconform "):
            line = re.sub(r"\$\{\{[^}]*\}\}|\$\{?[A-Z_]+\}?", "coliving", line)
            found.append(shlex.split(line)[1:])
    return found


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_ci_examples_parse_and_use_real_options(name):
    text = (ROOT / "examples" / "ci" / name).read_text()
    assert isinstance(yaml.safe_load(text), dict)
    commands = _commands(text)
    assert {command[0] for command in commands} >= {"run", "report", "coverage"}
    for command in commands:
        build_parser().parse_args(command)  # raises UsageError on an unknown option
    assert "results/*/results.json" in text and "--out merged" in text


def test_dockerfile():
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("FROM python:3.11-slim") or "\nFROM python:3.11-slim" in text
    assert re.search(r'ENTRYPOINT \["apiconform"\]', text)
