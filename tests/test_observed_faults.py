"""Observed mode against the fault catalogue: for every reference-server fault that names a rule
`apiconform check` judges from traffic, the HAR of a live run against the faulty server (the
fault's own rules, whose requests show the fault) makes `check` fail each such rule the fault
names. Two faults cannot be seen in ordinary traffic, each for the reason below; the closing note
of the README counts the rest."""

from __future__ import annotations

import pytest

from apiconform.observed.observer import observable_rules
from apiconform.registry import get_profile, provider_names
from tests.conformance import run_embedded
from tests.observed_faults import check_har, har_of, outcomes

#: (provider, fault) -> why traffic alone cannot show it
NOT_IN_TRAFFIC = {
    ("spaces", "default-limit-10"): (
        "a default page of 10 is a short page, which the document allows (silence point "
        "spaces.short-pages); only a comparison with a page of limit=20 the suite asks for shows it"
    ),
    ("coliving", "status-filter-first-only"): (
        "a page filtered by the first of two statuses lists only objects of a requested status; only "
        "the whole listing (the live suite's universe) shows the objects of the other status missing"
    ),
}


def visible_faults() -> list[tuple[str, str, tuple[str, ...]]]:
    cases = []
    for provider in provider_names():
        profile = get_profile(provider)
        judged = set(observable_rules(profile))
        for fault in profile.faults():
            rules = tuple(rule for rule in fault.rules if rule in judged)
            if rules:
                cases.append((provider, fault.name, rules))
    return cases


CASES = visible_faults()


@pytest.mark.parametrize(("provider", "fault", "rules"), CASES, ids=[f"{p}-{f}" for p, f, _ in CASES])
def test_fault_is_caught_from_traffic(provider, fault, rules, tmp_path):
    named = get_profile(provider).faults()[fault].rules
    live = run_embedded(provider, tmp_path, patterns=named, faults=[fault])
    run = check_har(provider, har_of(live, tmp_path / "traffic.har"))
    found = outcomes(run)
    missed = {rule: found.get(rule) for rule in rules if found.get(rule) != "failed"}
    if (provider, fault) in NOT_IN_TRAFFIC:
        assert missed, f"{fault} is caught from traffic now: take it off NOT_IN_TRAFFIC"
        return
    assert not missed, f"{provider} fault {fault} not caught from traffic: {missed}"
    assert run.result.requests == 0
    failed = [r for r in run.result.rules if r.outcome == "failed"]
    assert all(r.evidence for r in failed), "a failure from traffic rests on the exchanges"


def test_every_provider_has_faults_caught_from_traffic():
    caught = {provider for provider, fault, _ in CASES if (provider, fault) not in NOT_IN_TRAFFIC}
    assert caught == set(provider_names())
