"""No credential ever travels over plain HTTP unless the user configured the throwaway one.

A Spaces deployment whose plain-HTTP listener logs everything it receives (path, query, headers,
body): the whole suite runs against it with only `access_token` configured, and the listener
receives the probe with no credential in any form; with `plain_http_probe_token` configured it
receives that token (as the Basic credential) and never the access token. The rule verdicts:
without the throwaway token the plain listener of an API that requires a login passes, saying
what it did not show; with it, that listener fails the rule; a throwaway token the target refuses
makes the rule `error`.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from apiconform.config import parse_config
from apiconform.providers.spaces import server as spaces_server
from apiconform.providers.spaces.profile import SpacesProfile
from apiconform.reference.serving import Deployment, ServerOptions
from apiconform.run import ProviderResult, run_provider
from tests.conformance import describe, outcomes

TOKEN = "tok_transport_access_6c1d9e2f"
THROWAWAY = "tok_transport_throwaway_3b7a"
RULE = "spaces.transport.https-only"
FAST = {"requests": 1000, "per_seconds": 1}


@dataclass
class Received:
    """What one request to the plain listener carried, as raw text."""

    method: str
    target: str
    headers: list[tuple[str, str]]
    body: str = ""

    @property
    def text(self) -> str:
        lines = [f"{self.method} {self.target}", *(f"{k}: {v}" for k, v in self.headers), self.body]
        return "\n".join(lines)


@dataclass
class PlainLog:
    received: list[Received] = field(default_factory=list)

    def wrap(self, app: Any) -> Callable[..., Any]:
        """`app` behind an ASGI layer that logs each request before it is answered."""

        async def logged(
            scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]
        ) -> None:
            if scope["type"] != "http":
                return await app(scope, receive, send)
            query = scope.get("query_string", b"").decode("latin-1")
            entry = Received(
                scope["method"],
                scope.get("raw_path", scope["path"].encode()).decode("latin-1")
                + (f"?{query}" if query else ""),
                [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
            )
            self.received.append(entry)

            async def receive_logged() -> Any:
                message = await receive()
                entry.body += message.get("body", b"").decode("latin-1")
                return message

            await app(scope, receive_logged, send)

        return logged


def forms(secret: str) -> list[str]:
    """A secret as it may travel: itself, and base64 of itself and of `secret:` (both alphabets)."""
    encoded = [base64.b64encode(value.encode()).decode() for value in (secret, f"{secret}:")]
    return [secret, *encoded, *(e.replace("+", "-").replace("/", "_") for e in encoded)]


@pytest.fixture
def deployment(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Deployment, PlainLog]]:
    """The Spaces reference deployment (accepting both tokens) with a logging plain listener that
    serves authenticated requests (the fault plain-http-authenticated-served: an API that
    requires a login over plain HTTP too)."""
    log = PlainLog()
    original = spaces_server.create_plain_app
    monkeypatch.setattr(
        spaces_server, "create_plain_app", lambda options, url: log.wrap(original(options, url))
    )
    options = ServerOptions(
        credentials={"access_token": TOKEN, "plain_http_probe_token": THROWAWAY},
        faults=frozenset({"plain-http-authenticated-served"}),
    )
    started = SpacesProfile().start_reference(options)
    try:
        yield started, log
    finally:
        started.stop()


def run(
    tmp_path: Path, started: Deployment, patterns: list[str] | None = None, **extra: str
) -> ProviderResult:
    table = {
        "base_url": started.base_url,
        "verify": str(started.verify),
        "access_token": TOKEN,
        "plain_http_url": started.settings["plain_http_url"],
        "rate_limit": FAST,
        **extra,
    }
    config = parse_config({"spaces": table}).provider("spaces")
    return run_provider(SpacesProfile(), config, report_dir=tmp_path, patterns=patterns, allure=False)


def test_no_credential_reaches_plain_http_by_default(deployment, tmp_path):
    """The whole suite, access_token only: the plain listener hears the probe, with no credential
    in any form; the rule passes (401 is a rejection) and says an authenticated request was not
    shown."""
    started, log = deployment
    result = run(tmp_path, started)
    assert log.received, "the plain listener heard nothing"
    for entry in log.received:
        assert not [name for name, _ in entry.headers if name.lower() in {"authorization", "cookie"}]
        assert not [form for form in forms(TOKEN) + forms(THROWAWAY) if form in entry.text], entry.text
    verdict = {r.rule.id: r for r in result.rules}[RULE]
    assert verdict.outcome == "passed", describe(result, [RULE])
    assert "not shown" in verdict.message and "plain_http_probe_token" in verdict.message


def test_only_the_throwaway_token_reaches_plain_http(deployment, tmp_path):
    """With plain_http_probe_token configured, the plain listener hears it (the Basic credential)
    and never the access token; the listener that serves authenticated requests fails the rule."""
    started, log = deployment
    result = run(tmp_path, started, [RULE], plain_http_probe_token=THROWAWAY)
    assert outcomes(result) == {RULE: "failed"}, describe(result)
    carried = [entry for entry in log.received if any(form in entry.text for form in forms(THROWAWAY))]
    assert len(carried) == 1 and len(log.received) == 2
    for entry in log.received:
        assert not [form for form in forms(TOKEN) if form in entry.text], entry.text
    shown = describe(result) + "\n".join(e.curl() + e.summary() for e in result.exchanges)
    assert not [form for form in forms(THROWAWAY) + forms(TOKEN) if form in shown]  # masked


def test_a_throwaway_token_the_target_refuses_makes_the_rule_error(deployment, tmp_path):
    started, log = deployment
    result = run(tmp_path, started, [RULE], plain_http_probe_token="tok_transport_not_accepted")
    verdict = {r.rule.id: r for r in result.rules}[RULE]
    assert verdict.outcome == "error" and "not accepted over HTTPS" in verdict.message
    assert len(log.received) == 1  # only the probe without credentials
