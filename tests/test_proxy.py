"""`apiconform proxy`: the user's traffic goes through unchanged, is recorded masked and judged,
and nothing is added.

Each provider's reference server is wrapped in a logging middleware (what reached the server, what
it answered); the client is the provider's own live suite (Coliving, LeadDesk, Livespace: its
base_url is the proxy) or a plain httpx client (Spaces, whose suite speaks only HTTPS). The
server's log and the client's exchanges must agree request for request (method, path and query,
request body, status, response body), the server must count exactly the client's requests, and the
proxy's verdicts must show no MUST failed on this conformant traffic. The command itself runs as a
subprocess: Ctrl-C writes the reports, with the credentials masked.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from apiconform.client import RECORDED_BODY
from apiconform.config import parse_config
from apiconform.masking import Masker
from apiconform.observed.judge import verdicts
from apiconform.observed.observer import observable_rules, provider_observers
from apiconform.observed.proxy import Recorder, proxy_app
from apiconform.observed.reader import TrafficReader
from apiconform.observed.tally import Tally
from apiconform.reference.serving import RunningServer, ServerOptions
from apiconform.registry import get_profile
from apiconform.rules import load_catalogue
from apiconform.run import run_provider
from apiconform.target import generated_credential


class Logged:
    """ASGI middleware recording, per request, (method, raw path and query, request body, status,
    response body) as the app saw and answered it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.log: list[tuple[str, str, bytes, int, bytes]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = bytearray()
        answer: dict[str, Any] = {"body": bytearray()}

        async def reading() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                sent.extend(message.get("body", b""))
            return message

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"].extend(message.get("body", b""))
            await send(message)

        await self.app(scope, reading, capture)
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope["raw_path"].decode("latin-1") + (f"?{query}" if query else "")
        self.log.append(
            (scope["method"], target, bytes(sent), answer.get("status", 0), bytes(answer["body"]))
        )


def credentials_for(provider: str) -> dict[str, str]:
    profile = get_profile(provider)
    return {
        name: generated_credential(name, numeric=name in profile.numeric_credentials)
        for name in profile.credentials
    }


class Setup:
    """A logged reference server and a proxy in front of it, judging what passes."""

    def __init__(self, provider: str, credentials: dict[str, str], masker: Masker) -> None:
        self.profile = get_profile(provider)
        self.logged = Logged(
            self.profile.create_app(ServerOptions(credentials=credentials, rate_limit=(60, 1.0)))
        )
        self.upstream = RunningServer(self.logged)
        base = self.upstream.base_url + self.profile.reference_path
        observers = provider_observers(self.profile)
        self.rules = [load_catalogue(provider)[rule] for rule in observable_rules(self.profile)]
        self.tally = Tally(tuple(rule.id for rule in self.rules), masker)
        for observer in observers:
            self.tally.needs.update(observer.needs)
        self.reader = TrafficReader(self.profile, masker, base_url=base)
        self.recorder = Recorder(self.reader, observers, self.tally)
        self.proxy = RunningServer(proxy_app(base, self.recorder, timeout=10))

    def stop(self) -> None:
        self.proxy.stop()
        self.upstream.stop()


def client_view(method: str, url: str, body: str, status: int | None, response: str) -> tuple:
    parts = urlsplit(url)
    return (method, parts.path + (f"?{parts.query}" if parts.query else ""), body, status, response)


def server_view(masker: Masker, entry: tuple[str, str, bytes, int, bytes], prefix: str) -> tuple:
    method, target, sent, status, body = entry
    text = masker.mask(body.decode("utf-8", errors="replace"))[:RECORDED_BODY]
    return (
        method,
        target.removeprefix(prefix),
        masker.mask(sent.decode("utf-8", errors="replace"))[:RECORDED_BODY],
        status,
        text,
    )


@pytest.mark.parametrize("provider", ["coliving", "leaddesk", "livespace"])
def test_a_suite_through_the_proxy_is_unchanged_and_judged(provider, tmp_path):
    masker = Masker()  # the suite's: the proxy masks more (e.g. user passwords) with its own
    credentials = credentials_for(provider)
    setup = Setup(provider, credentials, Masker(credentials.values()))
    try:
        config = parse_config(
            {
                provider: {
                    "base_url": setup.proxy.base_url,
                    **credentials,
                    "rate_limit": {"requests": 60, "per_seconds": 1},
                }
            }
        ).provider(provider)
        result = run_provider(setup.profile, config, report_dir=tmp_path, masker=masker, allure=False)
    finally:
        setup.stop()
    setup.recorder.finish()
    assert result.exit_code == 0, [(r.rule.id, r.message) for r in result.rules if r.outcome != "passed"][:5]
    client = [
        client_view(e.method, e.url, e.request_body, e.status, e.response_body)  # type: ignore[attr-defined]
        for e in result.exchanges
    ]
    server = [server_view(masker, entry, setup.profile.reference_path) for entry in setup.logged.log]
    assert len(setup.logged.log) == result.requests == setup.recorder.forwarded
    assert Counter(client) == Counter(server), (
        Counter(client) - Counter(server),
        Counter(server) - Counter(client),
    )
    run = verdicts(setup.profile, setup.rules, setup.tally, setup.reader.stats)
    failed = {
        r.rule.id: r.message for r in run.result.rules if r.outcome == "failed" and r.rule.level == "MUST"
    }
    assert not failed
    assert run.stats.used == result.requests
    assert sum(r.outcome == "passed" for r in run.result.rules) >= len(run.result.rules) // 2


def test_spaces_traffic_through_the_proxy_is_unchanged(tmp_path):
    masker = Masker()
    credentials = credentials_for("spaces")
    setup = Setup("spaces", credentials, masker)
    auth = httpx.BasicAuth(credentials["access_token"], "")
    requests = [("/customers", auth), ("/customers?limit=2", auth), ("/customers?limit=ten", auth)]
    requests += [("/customers", None), ("/customers/no-such-customer", auth), ("/nowhere", auth)]
    got = []
    try:
        with httpx.Client(base_url=setup.proxy.base_url) as client:
            for path, credential in requests:
                response = client.get(path, auth=credential) if credential else client.get(path)
                got.append(("GET", path, "", response.status_code, response.text))
    finally:
        setup.stop()
    server = [server_view(Masker(), entry, setup.profile.reference_path) for entry in setup.logged.log]
    assert got == server
    assert len(setup.logged.log) == len(requests) == setup.recorder.forwarded


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_proxy_command_writes_the_reports_on_ctrl_c(tmp_path):
    key = "SECRET-proxy-key-3b3b3b3b"
    profile = get_profile("coliving")
    logged = Logged(profile.create_app(ServerOptions(credentials={"api_key": key}, rate_limit=(60, 1.0))))
    upstream = RunningServer(logged)
    port = free_port()
    record = tmp_path / "traffic.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    command = [sys.executable, "-m", "apiconform.cli", "proxy", "coliving", "--upstream", upstream.base_url]
    command += [
        "--listen",
        f"127.0.0.1:{port}",
        "--record",
        str(record),
        "--report-dir",
        str(tmp_path / "out"),
    ]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.communicate()
                time.sleep(0.1)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            statuses = [
                client.get("/v1/listings", headers={"X-API-Key": key}).status_code,
                client.get("/v1/listings", params={"per_page": 2}, headers={"X-API-Key": key}).status_code,
                client.get("/v1/listings").status_code,
            ]
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        upstream.stop()
    assert statuses == [200, 200, 401]
    assert process.returncode == 0, out + err
    assert "Traceback" not in out + err and "ERROR" not in err, err
    assert len(logged.log) == 3
    assert len(record.read_text().splitlines()) == 3
    document = json.loads((tmp_path / "out" / "results.json").read_text())
    assert document["mode"] == "observed"
    assert document["providers"][0]["traffic"]["judged"] == 3
    for path in [*(tmp_path / "out").rglob("*"), record]:
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
    assert key not in out + err
