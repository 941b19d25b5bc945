"""The three reference-server invariants, for every provider, and its other conformant variants:
- the clean server passes every rule (MUST, and, being the reference, SHOULD) with no unintended 429;
- every fault makes each rule it names fail (only those rules run, to stay fast);
- every MUST rule is named by at least one fault, and faults name only known rules;
- the quirky server (lenient, different wherever the document leaves things free) and the
  alternate server (the other reading at every silence point, see suites/<provider>/readings.toml)
  pass every MUST rule: no MUST rule fails or errors. The alternate server runs with the config its
  readings need (ALTERNATE_CONFIG, the same as the README shows).
"""

from __future__ import annotations

import pytest

from apiconform.registry import get_profile, provider_names
from apiconform.rules import load_catalogue
from tests.conformance import describe, opt_in, outcomes, run_embedded

PROVIDERS = provider_names()
FAULT_CASES = [(name, fault) for name in PROVIDERS for fault in get_profile(name).faults()]

#: The config a user sets for a target that takes the alternate readings (README: "Choices where
#: the documents are silent"); the embedded server is still started by the run.
ALTERNATE_CONFIG: dict[str, dict[str, object]] = {
    "coliving": {"message_field": "body", "message_dedup_seconds": 30, "booking_listing_id": 101},
    "spaces": {"id_field": "customer_id"},
    # LeadDesk: the operations the document does not show are refused (405), so the relation rules
    # get the campaign and products from config, and the 405 rule a method the target refuses
    # (it takes DELETE on the token endpoint, as a revocation)
    "leaddesk": {
        "campaign_id": 1,
        "product_ids": [1, 2, 3],
        "not_allowed_request": "PUT /oauth/access-token",
    },
    "livespace": {
        "token_path": "/api/public/json/Auth/getToken",
        "list_method": "Contact/getContacts",
        "get_method": "Contact/getContact",
        "add_method": "Contact/addContact",
        "add_params": {"name": "apiconform-contact", "surname": "{unique}"},
        "delete_method": "Contact/deleteContact",
        "id_param": "contact_id",
        "list_items": "",
        "session_field": "session",
    },
}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_clean_server_passes_every_rule(provider, tmp_path):
    result = run_embedded(provider, tmp_path, config=opt_in(provider))
    not_passed = {rule: outcome for rule, outcome in outcomes(result).items() if outcome != "passed"}
    assert not not_passed, describe(result, not_passed)
    assert result.exit_code == 0
    assert result.unintended_throttled == 0
    assert all(r.throttled == 0 for r in result.rules if r.rule.area != "ratelimit")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_quirky_server_is_conformant(provider, tmp_path):
    result = run_embedded(provider, tmp_path, variant="quirky", config=opt_in(provider))

    must_not_passed = {r.rule.id for r in result.rules if r.rule.level == "MUST" and r.outcome != "passed"}
    assert not must_not_passed, describe(result, must_not_passed)
    assert result.conformant()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_alternate_server_is_conformant(provider, tmp_path):
    result = run_embedded(
        provider, tmp_path, variant="alternate", config=opt_in(provider, ALTERNATE_CONFIG[provider])
    )
    must_not_passed = {r.rule.id for r in result.rules if r.rule.level == "MUST" and r.outcome != "passed"}
    assert not must_not_passed, describe(result, must_not_passed)
    assert result.conformant()
    assert result.unintended_throttled == 0


@pytest.mark.parametrize(
    ("provider", "fault"), FAULT_CASES, ids=lambda v: v if isinstance(v, str) else v.name
)
def test_fault_is_caught_by_the_rules_it_names(provider, fault, tmp_path):
    result = run_embedded(
        provider, tmp_path, patterns=fault.rules, faults=[fault.name], config=opt_in(provider)
    )
    missed = {rule: outcome for rule, outcome in outcomes(result).items() if outcome != "failed"}
    assert set(outcomes(result)) == set(fault.rules)
    assert not missed, f"fault {fault.name} not caught:\n{describe(result, missed)}"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_must_rule_is_named_by_a_fault(provider):
    named = {rule for fault in get_profile(provider).faults() for rule in fault.rules}
    catalogue = load_catalogue(provider)
    unnamed = [rule.id for rule in catalogue.values() if rule.level == "MUST" and rule.id not in named]
    assert not unnamed


@pytest.mark.parametrize("provider", PROVIDERS)
def test_faults_name_only_known_rules(provider):
    catalogue = load_catalogue(provider)
    unknown = {
        rule for fault in get_profile(provider).faults() for rule in fault.rules if rule not in catalogue
    }
    assert not unknown
