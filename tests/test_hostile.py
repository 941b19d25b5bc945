"""Hostile targets: whatever the target does, a run ends in bounded time with a clear line, the
documented exit code and its results written, never a traceback, and nothing secret leaves.

Each case runs the real command (`python -m apiconform.cli run coliving`) against a `HostileServer`
(tests/hostile.py) with a 2 s request timeout and a 30 s deadline. The bound the README states:
a run ends within `deadline` + `timeout` + a few seconds; a target that fails at preflight ends
the provider within 2 x `timeout`.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import trustme

from apiconform.providers.coliving.profile import ColivingProfile
from apiconform.reference.serving import RunningServer, ServerOptions
from tests.hostile import HostileServer

KEY = "SECRET-hostile-key-5eed-b4d"
TIMEOUT, DEADLINE = 2, 30
#: a generous wall-clock bound for one run in these tests (start-up included)
BOUND = DEADLINE + TIMEOUT + 15


def write_config(folder: Path, base_url: str, **extra: str) -> Path:
    lines = [
        "[coliving]",
        f'base_url = "{base_url}"',
        f'api_key = "{KEY}"',
        f"timeout = {TIMEOUT}",
        f"deadline = {DEADLINE}",
        "rate_limit = { requests = 1000, per_seconds = 1 }",
        *(f"{k} = {v}" for k, v in extra.items()),
    ]
    path = folder / "apiconform.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_cli(
    folder: Path, *args: str, provider: str = "coliving"
) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "apiconform.cli", "run", provider, "--report-dir", "out", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=BOUND + 30,
    )
    return result, time.monotonic() - started


def assert_clean_end(folder: Path, result: subprocess.CompletedProcess[str], codes: set[int]) -> dict:
    output = result.stdout + result.stderr
    assert result.returncode in codes, output
    assert "Traceback" not in output
    assert KEY not in output
    document = json.loads((folder / "out" / "results.json").read_text())
    for path in (folder / "out").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    return document


TRANSPORT = ["silent", "headers-only", "drip", "reset", "garbage", "redirect-loop", "retry-after"]


def write_provider_config(folder: Path, provider: str, base_url: str) -> Path:
    """A config for `provider` at `base_url` whose every credential is a distinctive value
    containing KEY (Spaces, being HTTPS-only, is pointed at the same server with https)."""
    from apiconform.registry import get_profile

    profile = get_profile(provider)
    if profile.https_only:
        base_url = base_url.replace("http://", "https://")
    lines = [
        f"[{provider}]",
        f'base_url = "{base_url}"',
        *(f'{name} = "{KEY}-{name}"' for name in profile.credentials),
        f"timeout = {TIMEOUT}",
        f"deadline = {DEADLINE}",
        "rate_limit = { requests = 1000, per_seconds = 1 }",
    ]
    path = folder / "apiconform.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("provider", ["livespace", "spaces", "leaddesk"])
@pytest.mark.parametrize("mode", TRANSPORT)
def test_transport_failure_of_other_providers_is_exit_3(provider, mode, tmp_path):
    """The same transport failures for the other dialects (Spaces meets them in its TLS
    handshake, Livespace and LeadDesk in their token requests)."""
    with HostileServer(mode) as server:
        config = write_provider_config(tmp_path, provider, server.base_url)
        result, seconds = run_cli(tmp_path, "--config", str(config), provider=provider)
    document = assert_clean_end(tmp_path, result, {3})
    assert document["providers"][0]["error"].startswith("target unreachable")
    assert seconds < 2 * TIMEOUT + 15, f"{provider} {mode}: {seconds:.1f} s"


@pytest.mark.parametrize("provider", ["livespace"])
@pytest.mark.parametrize("mode", ["json-lie", "truncated", "html", "huge", "gzip-bomb", "nested"])
def test_hostile_bodies_in_a_token_request(provider, mode, tmp_path):
    """Livespace meets hostile bodies in its token request: a clean exit 3 (or 1, a failed rule)
    with the reason."""
    with HostileServer(mode) as server:
        config = write_provider_config(tmp_path, provider, server.base_url)
        result, seconds = run_cli(tmp_path, "--config", str(config), provider=provider)
    document = assert_clean_end(tmp_path, result, {1, 3})
    assert document["providers"][0]["error"] or document["providers"][0]["summary"]["failed"]
    assert seconds < BOUND


@pytest.mark.parametrize(
    ("mode", "code"),
    [("json-lie", 1), ("truncated", 1), ("nested", 1), ("html", 3), ("huge", 3), ("gzip-bomb", 3)],
)
def test_hostile_bodies_in_leaddesk_token_request_are_honest(mode, code, tmp_path):
    """LeadDesk's token request answered 200 with a body that is no token response (not JSON,
    cut short, nested too deeply to parse) is a target off the contract: the password-grant rule
    fails, exit 1. A 502 HTML page, or a body too large to read, is nothing usable: exit 3."""
    with HostileServer(mode) as server:
        config = write_provider_config(tmp_path, "leaddesk", server.base_url)
        result, seconds = run_cli(tmp_path, "--config", str(config), provider="leaddesk")
    provider = assert_clean_end(tmp_path, result, {code})["providers"][0]
    if code == 1:
        failed = {rule["id"] for rule in provider["rules"] if rule["outcome"] == "failed"}
        assert failed == {"leaddesk.oauth.password-grant"}, provider["rules"]
        assert provider["error"].startswith("not conformant at preflight")
    else:
        assert provider["error"].startswith("target unreachable")
    assert seconds < BOUND


@pytest.mark.parametrize("mode", TRANSPORT)
def test_transport_failure_at_preflight_is_exit_3(mode, tmp_path):
    with HostileServer(mode) as server:
        result, seconds = run_cli(tmp_path, "--config", str(write_config(tmp_path, server.base_url)))
    document = assert_clean_end(tmp_path, result, {3})
    provider = document["providers"][0]
    assert provider["error"] and provider["error"].startswith("target unreachable")
    assert all(rule["outcome"] == "error" for rule in provider["rules"])
    assert seconds < 2 * TIMEOUT + 15, f"{mode}: {seconds:.1f} s"


BODIES = ["json-lie", "truncated", "html", "huge", "endless", "gzip-bomb", "nested"]


@pytest.mark.parametrize("mode", BODIES)
def test_hostile_bodies_fail_rules_cleanly(mode, tmp_path):
    """The preflight takes any 2xx (HTML, 502 and the rest fail it: exit 3); then the list rule
    (and whatever else the body breaks) fails or errors with a message, in bounded time and
    memory. Rules whose statement the body happens to satisfy (a JSON Content-Type) may pass."""
    with HostileServer(mode) as server:
        config = write_config(tmp_path, server.base_url)
        result, seconds = run_cli(
            tmp_path,
            "--config",
            str(config),
            "--select",
            "coliving.envelope.*",
            "--select",
            "coliving.listings.list-shape",
        )
    document = assert_clean_end(tmp_path, result, {1, 3})
    provider = document["providers"][0]
    bad = [rule for rule in provider["rules"] if rule["outcome"] in ("failed", "error")]
    assert bad, provider["rules"]
    assert "coliving.listings.list-shape" in {rule["id"] for rule in bad}
    assert all(rule["message"] and "Traceback" not in rule["message"] for rule in bad)
    assert seconds < BOUND, f"{mode}: {seconds:.1f} s"


def tls_server(tmp_path: Path, identity: str) -> tuple[RunningServer, Path]:
    ca = trustme.CA()
    cert = ca.issue_cert(identity)
    pem, ca_pem = tmp_path / "server.pem", tmp_path / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(pem))
    ca.cert_pem.write_to_path(str(ca_pem))
    app = ColivingProfile().create_app(ServerOptions(credentials={"api_key": KEY}))
    server = RunningServer(app, scheme="https", ssl_certfile=str(pem), ssl_keyfile=str(pem))
    return server, ca_pem


@pytest.mark.parametrize("case", ["untrusted", "other-host"])
def test_bad_certificates_are_exit_3(case, tmp_path):
    identity = "127.0.0.1" if case == "untrusted" else "other.example"
    server, ca_pem = tls_server(tmp_path, identity)
    try:
        extra = {} if case == "untrusted" else {"verify": f'"{ca_pem}"'}
        result, _ = run_cli(tmp_path, "--config", str(write_config(tmp_path, server.base_url, **extra)))
    finally:
        server.stop()
    document = assert_clean_end(tmp_path, result, {3})
    assert "certificate" in document["providers"][0]["error"].lower()


def test_redirect_to_another_origin_carries_no_credential(tmp_path):
    """The canary records everything that reaches it: nothing may."""
    with HostileServer("ok") as canary, HostileServer("redirect-away", redirect_to=canary.base_url) as server:
        result, _ = run_cli(tmp_path, "--config", str(write_config(tmp_path, server.base_url)))
        reached = list(canary.requests)
    assert_clean_end(tmp_path, result, {3})
    assert reached == []


def test_no_write_without_allow_writes(tmp_path):
    """Against a target that answers every request with 200 {}, a run with allow_writes = false
    sends only GETs (the target's own request log)."""
    with HostileServer("ok") as server:
        config = write_config(tmp_path, server.base_url, allow_writes="false")
        result, _ = run_cli(tmp_path, "--config", str(config))
        methods = {request.split(" ", 1)[0] for request in server.requests}
    assert_clean_end(tmp_path, result, {1})
    assert methods == {"GET"}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interruption_keeps_partial_results(signum, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    process = subprocess.Popen(
        [sys.executable, "-m", "apiconform.cli", "run", "coliving", "--report-dir", "out"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    results = tmp_path / "out" / "allure-results"
    waited = time.monotonic()
    while not list(results.glob("*-result.json")):  # Allure writes one file per finished test
        assert process.poll() is None and time.monotonic() - waited < 120, "the run never got going"
        time.sleep(0.2)
    sent = time.monotonic()
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=30)
    assert time.monotonic() - sent < 15
    assert process.returncode == 1, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert "interrupted" in stderr
    provider = json.loads((tmp_path / "out" / "results.json").read_text())["providers"][0]
    assert provider["summary"]["passed"] > 0


def test_basic_credential_never_leaks_in_base64(tmp_path):
    """A header value is masked whole, and a secret's base64 form is masked wherever it appears."""
    from apiconform.masking import Masker
    from apiconform.providers.spaces.profile import SpacesProfile

    token = "SECRET-spaces-token-9a8b7c"
    masker = Masker([token, *SpacesProfile().derived_secrets({"access_token": token})])
    encoded = base64.b64encode(f"{token}:".encode()).decode()
    assert encoded not in masker.mask(f"Authorization: Basic {encoded} and again {encoded}")


def test_no_secret_anywhere_for_every_provider(tmp_path, capsys, monkeypatch):
    """Distinctive values for every credential of every provider, and every secret the targets
    issue at run time (the run's Masker collects them), appear in no output and no report file,
    in plain or base64 form."""
    from apiconform import cli
    from apiconform.gate import run as gate_run
    from apiconform.masking import Masker
    from apiconform.registry import get_profile, provider_names

    maskers: list[Masker] = []

    class RecordingMasker(Masker):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            maskers.append(self)

    monkeypatch.setattr(gate_run, "Masker", RecordingMasker)
    lines = []
    for name in provider_names():
        lines.append(f"[{name}]")
        for credential in get_profile(name).credentials:
            value = "7" if credential == "leaddesk_client_id" else f"SECRET-{name}-{credential}-5a5a5a"
            lines.append(f'{credential} = "{value}"')
    config = tmp_path / "apiconform.toml"
    config.write_text("\n".join(lines) + "\n")
    code = cli.main(["run", "--config", str(config), "--report-dir", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 0, captured.out[-3000:] + captured.err[-2000:]
    secrets_seen = set().union(*(m.secrets for m in maskers))
    configured = {line.split('"')[1] for line in lines if "SECRET-" in line}
    assert configured <= secrets_seen
    assert len(secrets_seen) > len(configured)  # tokens and sessions issued at run time too
    forms = set()
    for secret in secrets_seen:
        forms |= {
            secret,
            base64.b64encode(secret.encode()).decode(),
            base64.b64encode(f"{secret}:".encode()).decode(),
        }
    texts = {"stdout": captured.out, "stderr": captured.err}
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            texts[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    leaks = [(where, form[:12]) for where, text in texts.items() for form in forms if form in text]
    assert not leaks


LIVESPACE_TOKEN_ANSWERS = [
    ("json-lie", 1),
    ("truncated", 1),
    ("nested", 1),
    ("ok", 1),
    ("html", 3),
    ("huge", 3),
    ("gzip-bomb", 3),
]


@pytest.mark.parametrize(
    ("mode", "code"), LIVESPACE_TOKEN_ANSWERS, ids=[m for m, _ in LIVESPACE_TOKEN_ANSWERS]
)
def test_livespace_token_answers_get_honest_verdicts(mode, code, tmp_path):
    """Livespace's getToken answered HTTP 200 with something that is not the envelope (not JSON,
    cut short, nested beyond parsing, `{}`) is a target breaking the contract: exit 1 with
    livespace.auth.token failed and the evidence. A 502 page, or a body too large to read, is
    nothing usable: exit 3. (The hostile server closes without reading the form it was sent, so
    the kernel may reset the connection under a large answer: that transport failure is exit 3
    too, and the only other verdict accepted.)"""
    with HostileServer(mode) as server:
        config = write_provider_config(tmp_path, "livespace", server.base_url)
        result, seconds = run_cli(tmp_path, "--config", str(config), provider="livespace")
    document = assert_clean_end(tmp_path, result, {code, 3})
    provider = document["providers"][0]
    outcome = {rule["id"]: rule["outcome"] for rule in provider["rules"]}
    if result.returncode != code:
        assert provider["error"].startswith("target unreachable: connection"), provider["error"]
    elif code == 1:
        assert provider["error"].startswith("not conformant at preflight")
        assert outcome["livespace.auth.token"] == "failed"
        assert set(outcome.values()) == {"failed", "error"}
    else:
        assert provider["error"].startswith("target unreachable")
        assert set(outcome.values()) == {"error"}
    assert seconds < BOUND


@pytest.mark.parametrize("mode", BODIES)
def test_hostile_bodies_stay_under_100_mb(mode):
    """Reading any hostile body peaks under 100 MB (Python's allocations, traced): a body is read in
    network-sized pieces, a compressed one inflated in bounded steps (apiconform.inflate), and
    either is cut at the client's 10 MiB, so a gzip bomb never inflates a whole read at once (it
    peaked near 200 MB when it did)."""
    import tracemalloc

    from apiconform.client import ApiClient
    from apiconform.errors import TargetError
    from apiconform.masking import Masker
    from apiconform.pacing import Pacer
    from apiconform.profile import RateLimit

    deadline = time.monotonic() + 30
    with HostileServer(mode) as server:
        client = ApiClient(
            server.base_url,
            masker=Masker(),
            pacer=Pacer(RateLimit(1000, 1.0), deadline),
            pace_key=lambda request: "key",
            timeout=TIMEOUT,
            deadline_at=deadline,
        )
        tracemalloc.start()
        try:
            client.request("GET", "/v1/listings")
        except TargetError:
            pass
        finally:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            client.close()
    assert peak < 100 * 1024 * 1024, f"{mode}: {peak / 2**20:.0f} MB"
