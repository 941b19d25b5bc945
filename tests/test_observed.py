"""`apiconform check`: conformance judged from recorded traffic (apiconform.observed).

The HAR of a live run against each conformant reference server (clean, quirky, alternate) makes
`check` fail no MUST rule (and, clean, no rule at all); the command writes the reports of `run`
with `mode: "observed"`; bad input (a truncated or non-HAR file, entries for another host, binary,
cut or huge bodies, missing timings) gives one clear line or a per-entry skip, never a traceback;
JSON lines in both forms read as HAR does."""

from __future__ import annotations

import base64
import gzip
import json
import re
from pathlib import Path

import pytest

from apiconform import cli
from apiconform.observed.observer import observable_rules
from apiconform.registry import get_profile, provider_names
from apiconform.report.results import read_results
from apiconform.rules import load_catalogue
from tests.conformance import run_embedded
from tests.observed_faults import check_har, har_of, outcomes
from tests.test_invariants import ALTERNATE_CONFIG

PROVIDERS = provider_names()


@pytest.mark.parametrize("variant", ["clean", "quirky", "alternate"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_conformant_traffic_passes(provider, variant, tmp_path):
    from apiconform.config import parse_config

    config = (
        parse_config({provider: ALTERNATE_CONFIG[provider]}).provider(provider)
        if variant == "alternate"
        else None
    )
    live = run_embedded(provider, tmp_path, variant=variant, config=config)
    run = check_har(provider, har_of(live, tmp_path / "traffic.har"))
    found = outcomes(run)
    failed = {r.rule.id: r.message for r in run.result.rules if r.outcome in ("failed", "error")}
    musts = {
        rule: message
        for rule, message in failed.items()
        if rule.split(".")[0] and _level(run, rule) == "MUST"
    }
    assert not musts, musts
    if variant == "clean":
        assert not failed, failed
        passed = sum(1 for outcome in found.values() if outcome == "passed")
        assert passed >= 0.75 * len(found), found
    assert run.result.requests == 0


def _level(run, rule_id: str) -> str:
    return next(r.rule.level for r in run.result.rules if r.rule.id == rule_id)


@pytest.fixture(scope="module")
def coliving_har(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("coliving")
    return har_of(run_embedded("coliving", folder), folder / "traffic.har")


def run_check(tmp_path: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["check", *args, "--report-dir", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def test_check_command_writes_the_reports(coliving_har, tmp_path, capsys):
    code, out, _ = run_check(tmp_path, capsys, "coliving", str(coliving_har))
    assert code == 0, out
    document = read_results(tmp_path / "out" / "results.json")  # validates against the schema
    assert document["mode"] == "observed"
    provider = document["providers"][0]
    assert provider["requests"] == 0
    assert provider["traffic"]["judged"] == provider["traffic"]["entries"] > 0
    for name in ("junit.xml", "report.html", "summary.md", "traffic.har"):
        assert (tmp_path / "out" / name).is_file()
    assert "0 requests sent" in out


#: a conformant answer to GET /v1/listings (no page, no per_page)
PAGE = json.dumps(
    {
        "data": [],
        "meta": {
            "request_id": "req_1",
            "pagination": {
                "current_page": 1,
                "per_page": 50,
                "total": 0,
                "last_page": 1,
                "from": None,
                "to": None,
            },
        },
    }
)


def entry(url: str, status: int = 200, body: str = PAGE, **extra: object) -> dict:
    item: dict = {
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "time": 5,
        "request": {"method": "GET", "url": url, "headers": [], "queryString": []},
        "response": {
            "status": status,
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "content": {"size": len(body), "mimeType": "application/json", "text": body},
        },
        "timings": {"send": 0, "wait": 5, "receive": 0},
    }
    item.update(extra)
    return item


def har(path: Path, entries: list[dict]) -> Path:
    path.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "t"}, "entries": entries}}))
    return path


def test_a_failure_from_traffic_is_exit_1_with_evidence(tmp_path, capsys):
    error = {"error": {"type": "internal_error", "message": "failed", "request_id": "req_1", "errors": []}}
    path = har(tmp_path / "t.har", [entry("https://api.example/v1/listings", 500, json.dumps(error))])
    code, out, _ = run_check(tmp_path, capsys, "coliving", str(path))
    assert code == 0, out  # no-server-error is a SHOULD
    code, _, _ = run_check(tmp_path, capsys, "coliving", str(path), "--strict")
    assert code == 1
    provider = read_results(tmp_path / "out" / "results.json")["providers"][0]
    failed = {r["id"]: r for r in provider["rules"] if r["outcome"] == "failed"}
    assert "coliving.errors.no-server-error" in failed
    assert failed["coliving.errors.no-server-error"]["evidence"]
    assert provider["exchanges"][0]["url"] == "https://api.example/v1/listings"


def test_entries_for_another_host_are_skipped_and_nothing_usable_is_exit_3(tmp_path, capsys):
    path = har(tmp_path / "t.har", [entry("https://cdn.example/app.js"), entry("https://cdn.example/x")])
    code, _, err = run_check(tmp_path, capsys, "coliving", str(path), "--base-url", "https://api.example")
    assert code == 3
    assert "nothing usable" in err
    traffic = read_results(tmp_path / "out" / "results.json")["providers"][0]["traffic"]
    assert traffic["skipped"] == {"another host or path (not under the base URL)": 2}


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"", "not a HAR file"),
        (b"this is not JSON", "not a HAR file"),
        (b'{"log": {"version": "1.2", "entries": [{"request": ', "not a HAR file"),
        (b'{"something": "else"}', "not a HAR file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a HAR file"),
    ],
    ids=["empty", "text", "cut-before-an-entry", "other-json", "binary"],
)
def test_a_file_that_is_no_har_is_one_line_and_exit_2(content, line, tmp_path, capsys):
    path = tmp_path / "t.har"
    path.write_bytes(content)
    code, _, err = run_check(tmp_path, capsys, "coliving", str(path))
    assert code == 2
    assert line in err and len(err.strip().splitlines()) == 1


def test_a_missing_file_is_exit_2(tmp_path, capsys):
    code, _, err = run_check(tmp_path, capsys, "coliving", str(tmp_path / "nope.har"))
    assert code == 2 and "no such traffic file" in err


def test_a_truncated_har_is_read_up_to_the_cut(tmp_path, capsys):
    text = json.dumps({"log": {"entries": [entry("https://api.example/v1/listings")] * 3}})
    path = tmp_path / "t.har"
    path.write_text(text[: len(text) - 40])
    code, out, err = run_check(tmp_path, capsys, "coliving", str(path))
    assert code == 0, out + err
    assert "cut short" in err
    traffic = read_results(tmp_path / "out" / "results.json")["providers"][0]["traffic"]
    assert traffic["entries"] == 2 and traffic["warnings"]


def test_odd_entries_are_skipped_with_the_reason(tmp_path):
    binary = entry("https://api.example/v1/listings")
    binary["response"]["content"] = {
        "size": 4,
        "mimeType": "image/png",
        "encoding": "base64",
        "text": base64.b64encode(b"\x89PNG\xff\xfe").decode(),
    }
    cut = entry("https://api.example/v1/listings", body='{"data": [')
    cut["response"]["content"]["size"] = 50_000
    untimed = entry("https://api.example/v1/listings")
    del untimed["time"], untimed["timings"], untimed["startedDateTime"]
    entries = [
        binary,
        cut,
        untimed,
        entry("https://api.example/v1/listings", 0),  # no response (aborted)
        {"request": {"url": "https://api.example/v1/listings"}},  # no method
        "not an entry",
        entry("https://api.example/v1/listings", body="x" * (11 * 1024 * 1024)),
    ]
    run = check_har("coliving", har(tmp_path / "t.har", entries))  # type: ignore[arg-type]
    stats = run.stats
    assert stats.entries == 7
    assert stats.used == 4
    assert stats.skipped == {
        "no response recorded": 1,
        "not an HTTP exchange (no request method)": 1,
        "not an HTTP exchange": 1,
    }
    assert stats.bodies == {
        "binary body": 1,
        "body cut by the recorder": 1,
        "body larger than 10485760 bytes": 1,
    }
    failed = [r.rule.id for r in run.result.rules if r.outcome == "failed"]
    assert not failed, failed  # bodies that cannot be judged are not judged


def test_json_lines_in_both_forms_and_gzip(coliving_har, tmp_path):
    document = json.loads(coliving_har.read_text())
    entries = document["log"]["entries"]
    lines = tmp_path / "t.jsonl"
    lines.write_text("\n".join(json.dumps(item) for item in entries) + "\n")
    exchanges = tmp_path / "exchanges.ndjson.gz"
    with gzip.open(exchanges, "wt") as handle:
        for item in entries:
            request, response = item["request"], item["response"]
            doc = {
                "method": request["method"],
                "url": request["url"],
                "request_headers": [[h["name"], h["value"]] for h in request["headers"]],
                "request_body": request.get("postData", {}).get("text", ""),
                "status": response["status"],
                "response_headers": [[h["name"], h["value"]] for h in response["headers"]],
                "response_body": response["content"]["text"],
                "elapsed": item["time"] / 1000,
            }
            handle.write(json.dumps(doc) + "\n")
    reference = outcomes(check_har("coliving", coliving_har))
    for path in (lines, exchanges):
        found = outcomes(check_har("coliving", path))
        assert {r for r, o in found.items() if o == "failed"} == set()
        assert (
            sum(o == "passed" for o in found.values()) >= sum(o == "passed" for o in reference.values()) - 2
        )


SECRETS = {
    "bearer": "SECRET-observed-bearer-7f3e9a",
    "apikey": "SECRET-observed-apikey-1c2d3e",
    "password": "SECRET-observed-password-44aa",
    "issued": "SECRET-observed-issued-token-9b9b",
    "query": "SECRET-observed-query-token-5e5e",
    "basic": "SECRET-observed-basic-token-2f2f",
    "client": "SECRET-observed-client-secret-8d8d",
    "configured": "SECRET-observed-configured-6a6a",
}


def test_no_secret_of_the_traffic_reaches_any_output(tmp_path, capsys):
    """Distinctive credentials in every place a recording holds them: auth headers (Bearer,
    X-API-Key, Basic), token fields of request and response bodies, a query string, a configured
    credential appearing in a body; none reaches stdout, stderr or any report file, in plain or
    base64 form."""
    basic = base64.b64encode(f"{SECRETS['basic']}:".encode()).decode()
    base = "https://api.example"
    leaky = entry(
        f"{base}/v1/users?access_token={SECRETS['query']}",
        500,
        json.dumps({"error": {"message": f"key {SECRETS['configured']} and {SECRETS['password']}"}}),
    )
    leaky["request"].update(
        method="POST",
        headers=[
            {"name": "Authorization", "value": f"Bearer {SECRETS['bearer']}"},
            {"name": "X-API-Key", "value": SECRETS["apikey"]},
        ],
        postData={
            "mimeType": "application/json",
            "text": json.dumps(
                {"email": "a@b.c", "password": SECRETS["password"], "secret": SECRETS["client"]}
            ),
        },
    )
    token = entry(f"{base}/v1/listings", 200, json.dumps({"access_token": SECRETS["issued"], "data": []}))
    token["request"]["headers"] = [{"name": "Authorization", "value": f"Basic {basic}"}]
    echo = entry(f"{base}/v1/listings", 401, json.dumps({"error": {"message": f"bad {SECRETS['issued']}"}}))
    config = tmp_path / "apiconform.toml"
    config.write_text(f'[coliving]\napi_key = "{SECRETS["configured"]}"\n')
    path = har(tmp_path / "t.har", [leaky, token, echo])
    code, out, err = run_check(tmp_path, capsys, "coliving", str(path), "--config", str(config), "--strict")
    assert code == 1
    forms = set()
    for secret in SECRETS.values():
        forms |= {secret, base64.b64encode(secret.encode()).decode()}
    forms.add(basic)
    texts = {"stdout": out, "stderr": err}
    for file in (tmp_path / "out").rglob("*"):
        if file.is_file():
            texts[str(file)] = file.read_bytes().decode("utf-8", errors="replace")
    leaks = [(where, form[:24]) for where, text in texts.items() for form in forms if form in text]
    assert not leaks
    assert "***" in texts[str(tmp_path / "out" / "results.json")]


def test_an_entry_httpx_cannot_read_is_skipped_and_a_broken_observer_is_error(tmp_path, monkeypatch):
    """A URL httpx refuses (a port that is no number) is one skipped entry; an observer that breaks
    on an exchange ends its rules `error` with the reason, and the other rules are still judged."""
    from apiconform.providers.coliving import observed

    def broken(self, seen, tally):
        raise RuntimeError("observer bug")

    monkeypatch.setattr(observed.Writes, "observe", broken)
    entries = [entry("https://api.example:99x/v1/listings"), entry("https://api.example/v1/listings")]
    run = check_har("coliving", har(tmp_path / "t.har", entries), base_url="https://api.example")
    assert run.stats.used == 1
    found = outcomes(run)
    assert found["coliving.ratelimit.retry-after"] == "error"
    assert found["coliving.listings.list-shape"] == "passed"


def readme_traffic_table() -> dict[str, tuple[int, int, set[str]]]:
    """README's "Rules judged from traffic" rows: provider -> (judged, catalogue size, rule ids)."""
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows: dict[str, tuple[int, int, set[str]]] = {}
    for line in text.splitlines():
        match = re.fullmatch(r"\| (\w+) \((\d+) of (\d+)\) \| (.+) \|", line)
        if not match or match[1] not in provider_names():
            continue
        ids: set[str] = set()
        for part in re.split(r" / SHOULD: ", match[4]):
            for group in part.split("; "):
                area, _, names = group.partition(".")
                ids |= {f"{match[1]}.{area}.{name.strip()}" for name in names.split(", ")}
        rows[match[1]] = (int(match[2]), int(match[3]), ids)
    return rows


def test_readme_lists_the_rules_judged_from_traffic():
    """The README's table names exactly the rules `check` judges, with the catalogue's size."""
    rows = readme_traffic_table()
    assert set(rows) == set(provider_names())
    for provider, (judged, size, ids) in rows.items():
        rules = set(observable_rules(get_profile(provider)))
        assert ids == rules, (provider, ids ^ rules)
        assert (judged, size) == (len(rules), len(load_catalogue(provider)))
