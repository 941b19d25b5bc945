"""How a test's ending becomes its rules' verdicts, for the endings the "other readings" work
relies on: a refused setup request is `error` (never `failed`), an undocumented operation the
target does not support is `skipped` with the reason, and a contract violation at preflight fails
the rules it names (the others `error`, exit 1)."""

from __future__ import annotations

import textwrap

import pytest

from apiconform.config import ProviderConfig
from apiconform.errors import ContractViolation
from apiconform.providers.coliving.profile import ColivingProfile
from apiconform.recording import Exchange
from apiconform.rules import Rule, load_catalogue, parse_catalogue
from apiconform.run import EXIT_NOT_CONFORMANT, run_target
from apiconform.session import RunSession
from apiconform.target import open_target

RULES = ("coliving.demo.setup", "coliving.demo.unsupported", "coliving.demo.assertion")
SUITE = """
import pytest
from apiconform.suite import check, setup_refused, skip_unsupported


@pytest.mark.rule("coliving.demo.setup")
def test_setup(client):
    response = client.request("POST", "/v1/bookings", json={})
    setup_refused("the suite's booking was refused: the target requires room_type_id", response)


@pytest.mark.rule("coliving.demo.unsupported")
def test_unsupported(client):
    response = client.request("DELETE", "/v1/listings")
    skip_unsupported("DELETE /v1/listings", response, "[coliving] some_key")


@pytest.mark.rule("coliving.demo.assertion")
def test_assertion(client):
    response = client.request("GET", "/v1/listings")
    check(False, "a real deviation", response)
"""


def catalogue():
    text = "".join(f'[[rule]]\nid = "{rule}"\nlevel = "MUST"\ntitle = "t"\nsource = "s"\n' for rule in RULES)
    return parse_catalogue("coliving", text)


def test_setup_refused_is_error_and_unsupported_is_skipped(tmp_path):
    (tmp_path / "test_demo.py").write_text(textwrap.dedent(SUITE))
    with open_target(ColivingProfile(), ProviderConfig(name="coliving")) as target:
        session = RunSession(target, catalogue(), RULES)
        code = pytest.main(
            [str(tmp_path), "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path)], plugins=[session]
        )
    assert code == pytest.ExitCode.TESTS_FAILED
    verdicts = {rule.id: session.book.outcome(rule)[:2] for rule in catalogue().values()}
    outcome, message = verdicts["coliving.demo.setup"]
    assert outcome == "error" and message.startswith("setup refused: the suite's booking was refused")
    assert "reproduce: curl" in message
    outcome, message = verdicts["coliving.demo.unsupported"]
    assert (
        outcome == "skipped" and "not supported by the target" in message and "[coliving] some_key" in message
    )
    assert verdicts["coliving.demo.assertion"][0] == "failed"


def test_failures_carry_the_exchanges_they_rest_on(tmp_path):
    """A failure is typed data: the check's exchanges reach the rule's evidence (and a skip has
    none), with no message parsed on the way."""
    (tmp_path / "test_demo_evidence.py").write_text(textwrap.dedent(SUITE))
    with open_target(ColivingProfile(), ProviderConfig(name="coliving")) as target:
        session = RunSession(target, catalogue(), RULES)
        pytest.main(
            [str(tmp_path), "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path)], plugins=[session]
        )
    evidence = {rule.id: session.book.evidence(rule) for rule in catalogue().values()}
    assert [(e.method, e.url.rsplit("/", 2)[-2:]) for e in evidence["coliving.demo.setup"]] == [
        ("POST", ["v1", "bookings"])
    ]
    assert [e.method for e in evidence["coliving.demo.assertion"]] == ["GET"]
    assert evidence["coliving.demo.assertion"][0].url.endswith("/v1/listings")
    assert evidence["coliving.demo.unsupported"] == ()


def test_check_failed_and_verdicts_keep_the_exchanges():
    from apiconform.checks.verdicts import RuleFailures, Verdicts
    from apiconform.errors import CheckFailed, evidence_of
    from apiconform.recording import Exchange
    from apiconform.suite import fail

    exchange = Exchange("GET", "http://127.0.0.1:1/v1/listings", (), "", 200)
    with pytest.raises(CheckFailed) as caught:
        fail("wrong", exchange)
    assert caught.value.exchanges == (exchange,) and "reproduce: curl -X GET" in str(caught.value)
    verdicts = Verdicts(("a.b.c", "a.b.d"))
    with verdicts.check("a.b.c"):
        fail("first", exchange)
    with verdicts.check("a.b.d"):
        raise AssertionError("plain")  # a bare assert: no exchanges, the message kept
    assert verdicts.failures["a.b.c"].exchanges == (exchange,)
    assert str(verdicts.failures["a.b.d"]) == "plain" and verdicts.failures["a.b.d"].exchanges == ()
    both = RuleFailures(verdicts.failures)
    assert isinstance(both, AssertionError) and both.exchanges == (exchange,)
    group = ExceptionGroup("two", [CheckFailed("x", [exchange]), ValueError("y")])
    assert evidence_of(group) == (exchange,)


class ViolatingProfile(ColivingProfile):
    """Coliving, whose preflight finds the target off the contract."""

    cited = (Exchange("GET", "http://127.0.0.1:1/v1/listings", (), "", 200),)

    def preflight(self, target):
        raise ContractViolation(
            "GET /v1/listings answered data as a string\n  reproduce: curl ...",
            rules=("coliving.envelope.success-shape",),
            exchanges=self.cited,
        )


def test_contract_violation_at_preflight_fails_its_rules_and_exits_1(tmp_path):
    rules: list[Rule] = list(load_catalogue("coliving").values())
    with open_target(ViolatingProfile(), ProviderConfig(name="coliving")) as target:
        result = run_target(target, rules, report_dir=tmp_path, allure=False)
    assert result.exit_code == EXIT_NOT_CONFORMANT and not result.conformant()
    assert result.error is not None and result.error.startswith(
        "not conformant at preflight: GET /v1/listings"
    )
    outcomes = {r.rule.id: (r.outcome, r.message) for r in result.rules}
    assert outcomes["coliving.envelope.success-shape"][0] == "failed"
    assert "reproduce: curl" in outcomes["coliving.envelope.success-shape"][1]
    evidence = {r.rule.id: r.evidence for r in result.rules}
    assert evidence["coliving.envelope.success-shape"] == ViolatingProfile.cited
    others = {outcome for rule, (outcome, _) in outcomes.items() if rule != "coliving.envelope.success-shape"}
    assert others == {"error"}
