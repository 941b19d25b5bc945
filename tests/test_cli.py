"""The `apiconform` command as a user runs it: exit codes, one-line errors, reports, no leaks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from junitparser import JUnitXml

from apiconform.reference.serving import RunningServer, ServerOptions
from apiconform.registry import get_profile

ROOT = Path(__file__).resolve().parents[1]
SECRETS = {
    "api_key": "SECRET-main-key-c0ffee-7f3a9",
    "api_key_other_host": "SECRET-other-host-key-b16b00b5",
    "api_key_read_only": "SECRET-read-only-key-d15ea5e",
    "api_key_inactive": "SECRET-inactive-key-facade42",
}


def apiconform(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run(
        [sys.executable, "-m", "apiconform.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("apiconform: error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def embedded_run(tmp_path_factory):
    """One full `apiconform run coliving` against the embedded server, with distinctive secrets."""
    workdir = tmp_path_factory.mktemp("run")
    (workdir / "apiconform.toml").write_text(
        "[coliving]\n" + "".join(f'{name} = "{value}"\n' for name, value in SECRETS.items())
    )
    result = apiconform("run", "coliving", "--report-dir", "out", cwd=workdir)
    return workdir, result


def test_run_against_embedded_server(embedded_run):
    workdir, result = embedded_run
    assert result.returncode == 0, result.stdout + result.stderr
    assert "coliving @ http://127.0.0.1:" in result.stdout
    assert "conformant" in result.stdout and "NOT conformant" not in result.stdout
    assert "coliving.auth.x-api-key-accepted" in result.stdout
    document = json.loads((workdir / "out" / "results.json").read_text())
    schema = json.loads((ROOT / "schemas" / "results.schema.json").read_text())
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)
    provider = document["providers"][0]
    assert provider["name"] == "coliving" and provider["conformant"] is True
    assert provider["summary"]["failed"] == provider["summary"]["error"] == 0
    assert provider["requests"] > 0 and provider["unintended_throttled"] == 0
    junit = JUnitXml.fromfile(str(workdir / "out" / "junit.xml"))
    cases = [case for suite in junit for case in suite]
    assert len(cases) == len(provider["rules"])
    assert {case.name for case in cases} == {rule["id"] for rule in provider["rules"]}
    assert any((workdir / "out" / "allure-results").glob("*-result.json"))


def test_no_secret_in_any_output(embedded_run):
    workdir, result = embedded_run
    texts = {"stdout": result.stdout, "stderr": result.stderr}
    for path in (workdir / "out").rglob("*"):
        if path.is_file():
            texts[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    assert len(texts) > 5
    leaks = [
        (where, name) for where, text in texts.items() for name, secret in SECRETS.items() if secret in text
    ]
    assert not leaks


def test_wrong_credential_is_exit_2(tmp_path):
    profile = get_profile("coliving")
    app = profile.create_app(
        ServerOptions(credentials={"api_key": "the-real-key-123"}, rate_limit=(600, 1.0))
    )
    with RunningServer(app) as server:
        (tmp_path / "apiconform.toml").write_text(
            f'[coliving]\nbase_url = "{server.base_url}"\napi_key = "SECRET-wrong-key-999"\n'
        )
        result = apiconform("run", "coliving", "--report-dir", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert "credentials rejected" in result.stdout
    assert "SECRET-wrong-key-999" not in result.stdout + result.stderr
    document = json.loads((tmp_path / "out" / "results.json").read_text())
    assert {rule["outcome"] for rule in document["providers"][0]["rules"]} == {"error"}


def test_unreachable_target_is_exit_3(tmp_path):
    (tmp_path / "apiconform.toml").write_text('[coliving]\napi_key = "SECRET-unused-key-1234"\n')
    result = apiconform(
        "run",
        "coliving",
        "--base-url",
        f"http://127.0.0.1:{free_port()}",
        "--report-dir",
        "out",
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "target unreachable: cannot connect" in result.stdout
    assert (tmp_path / "out" / "results.json").is_file()


@pytest.mark.parametrize(
    ("config", "args", "fragment"),
    [
        ("[coliving\n", (), "invalid TOML"),
        ("[coliving]\napi_kye = 'x'\n", (), "unknown key 'api_kye'"),
        (
            "[coliving]\nbase_url = 'https://api.example.test'\n",
            (),
            "api_key is required when base_url is set",
        ),
        ("", ("nosuchprovider",), "unknown provider 'nosuchprovider'"),
        ("", ("--profile", "fast"), "invalid choice"),
        ("", ("--base-url", "not-a-url", "coliving"), "--base-url"),
    ],
)
def test_usage_errors_are_exit_2(tmp_path, config, args, fragment):
    (tmp_path / "apiconform.toml").write_text(config)
    result = apiconform("run", *args, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert fragment in one_line_error(result)


def test_rules_lists_the_catalogue(tmp_path):
    result = apiconform("rules", "coliving", cwd=tmp_path, timeout=60)
    assert result.returncode == 0
    rule_lines = [line for line in result.stdout.splitlines() if line.strip().startswith("coliving.")]
    assert len(rule_lines) >= 40
    assert all(" MUST " in line or " SHOULD " in line for line in rule_lines)
    assert result.stdout.count("source: coliving-api.txt") >= 40


def test_faults_lists_each_fault_with_its_rules(tmp_path):
    result = apiconform("faults", "coliving", cwd=tmp_path, timeout=60)
    assert result.returncode == 0
    assert result.stdout.count("caught by: coliving.") == len(get_profile("coliving").faults())


def test_serve_rejects_an_unknown_fault(tmp_path):
    result = apiconform("serve", "coliving", "--fault", "no-such-fault", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "unknown fault 'no-such-fault'" in one_line_error(result)
