"""The HTTP-200 envelope (livespace-api.md, Responses): every call answers HTTP 200 with exactly
{data, error, result, status}, status true exactly when result is 200, result a documented code."""

from __future__ import annotations

import pytest

from apiconform.checks.expect import fail
from apiconform.providers.livespace.envelope import ENVELOPE_RULES, problems
from apiconform.recording import Exchange
from apiconform.session import Verdicts


@pytest.mark.rule(*ENVELOPE_RULES)
def test_envelope_of_success_and_failure(caller, keys, verdicts: Verdicts):
    """A getToken, a successful call and a failing call (unknown module) each have the envelope."""
    session = caller.get_token(keys.api_key)
    ok = caller.post("Contact", "getAll", {**caller.auth_fields(keys, session), "limit": 1})
    failed = caller.call(keys, "ApiconformNoSuchModule", "getAll")
    for what, response in (
        ("getToken", session.response),
        ("Contact/getAll", ok),
        ("unknown module", failed),
    ):
        for rule, problem in problems(response.status_code, response.text).items():
            with verdicts.check(rule):
                fail(f"{what}: {problem}", response)


@pytest.mark.observer
@pytest.mark.rule(*ENVELOPE_RULES)
def test_envelope_of_every_response(client, verdicts: Verdicts):
    """Every exchange of the session so far (this test runs last)."""
    first: dict[str, tuple[str, Exchange]] = {}
    for exchange in client.exchanges:
        if exchange.status is None:
            continue
        for rule, problem in problems(exchange.status, exchange.response_body).items():
            first.setdefault(rule, (problem, exchange))
    for rule, (problem, exchange) in first.items():
        with verdicts.check(rule):
            fail(f"{problem}\n{exchange.summary()}\n  reproduce: {exchange.curl()}")
