"""The three reference-server invariants for Coliving, and the quirky conformant variant:
- the clean server passes every MUST rule (and, being the reference, every SHOULD rule);
- every fault makes each rule it names fail (only those rules run, to stay fast);
- every MUST rule is named by at least one fault;
- a server that differs in everything the document leaves open is still conformant.
"""

from __future__ import annotations

import pytest

from apiconform.registry import get_profile
from apiconform.rules import load_catalogue
from tests.conformance import describe, outcomes, run_embedded

PROVIDER = "coliving"
CATALOGUE = load_catalogue(PROVIDER)
FAULTS = get_profile(PROVIDER).faults()


def test_clean_server_passes_every_rule(tmp_path):
    result = run_embedded(PROVIDER, tmp_path)
    not_passed = {rule: outcome for rule, outcome in outcomes(result).items() if outcome != "passed"}
    assert not not_passed, describe(result, not_passed)
    assert result.exit_code == 0
    assert result.unintended_throttled == 0
    assert all(r.throttled == 0 for r in result.rules if r.rule.area != "ratelimit")


def test_quirky_server_is_conformant(tmp_path):
    result = run_embedded(PROVIDER, tmp_path, quirky=True)
    must_not_passed = {r.rule.id for r in result.rules if r.rule.level == "MUST" and r.outcome != "passed"}
    assert not must_not_passed, describe(result, must_not_passed)
    assert result.conformant()


@pytest.mark.parametrize("fault", list(FAULTS), ids=lambda fault: fault.name)
def test_fault_is_caught_by_the_rules_it_names(fault, tmp_path):
    result = run_embedded(PROVIDER, tmp_path, patterns=fault.rules, faults=[fault.name])
    missed = {rule: outcome for rule, outcome in outcomes(result).items() if outcome != "failed"}
    assert set(outcomes(result)) == set(fault.rules)
    assert not missed, f"fault {fault.name} not caught:\n{describe(result, missed)}"


def test_every_must_rule_is_named_by_a_fault():
    named = {rule for fault in FAULTS for rule in fault.rules}
    unnamed = [rule.id for rule in CATALOGUE.values() if rule.level == "MUST" and rule.id not in named]
    assert not unnamed


def test_faults_name_only_known_rules():
    unknown = {rule for fault in FAULTS for rule in fault.rules if rule not in CATALOGUE}
    assert not unknown
