"""The HTTP-200 envelope (livespace-api.md, Responses): every call answers HTTP 200 with the
members data, error, result and status (a SHOULD: no others), status false on every failure (a
SHOULD: true on success), result a documented code."""

from __future__ import annotations

import pytest

from apiconform.providers.livespace.envelope import ENVELOPE_RULES, problems
from apiconform.providers.livespace.probes import ListProbe
from apiconform.suite import Verdicts, fail, judge_recorded


@pytest.mark.rule(*ENVELOPE_RULES)
def test_envelope_of_success_and_failure(caller, keys, probe: ListProbe, verdicts: Verdicts):
    """The list probe's getToken and call, and a failing call (unknown module), each have the
    envelope."""
    failed = caller.call(keys, "ApiconformNoSuchModule", probe.method.name)
    for what, response in (
        ("getToken", probe.session.response),
        (str(probe.method), probe.response),
        ("unknown module", failed),
    ):
        for rule, problem in problems(response.status_code, response.text).items():
            with verdicts.check(rule):
                fail(f"{what}: {problem}", response)


@pytest.mark.observer
@pytest.mark.rule(*ENVELOPE_RULES)
def test_envelope_of_every_response(client, target, verdicts: Verdicts):
    """Every exchange of the session so far (this test runs last), as `apiconform check` does."""
    base_url = target.masker.mask(target.base_url)
    judge_recorded(
        target.profile,
        client.exchanges,
        base_url,
        target.masker,
        verdicts,
        ENVELOPE_RULES,
        dict(target.options),
    )
