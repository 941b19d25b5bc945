"""Helpers for the self-tests that run a suite against a reference server in this process."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from apiconform.config import ProviderConfig, parse_config
from apiconform.reference.serving import Variant
from apiconform.registry import get_profile
from apiconform.rules import load_catalogue
from apiconform.run import ProviderResult, run_provider

#: Opt-in config the invariant runs set so that every rule reaches a verdict (the default run never
#: waits): LeadDesk's token expiry rules wait out tokens the embedded server then issues for 2 s.
OPT_IN_CONFIG: dict[str, dict[str, object]] = {"leaddesk": {"token_expiry_wait": 3}}


def opt_in(provider: str, table: dict[str, object] | None = None) -> ProviderConfig:
    """`provider`'s config: `table` (default none) with the opt-in keys of OPT_IN_CONFIG."""
    return parse_config({provider: {**(table or {}), **OPT_IN_CONFIG.get(provider, {})}}).provider(provider)


def run_embedded(
    provider: str,
    tmp_path: Path,
    *,
    patterns: Iterable[str] | None = None,
    faults: Iterable[str] = (),
    variant: Variant = "clean",
    config: ProviderConfig | None = None,
) -> ProviderResult:
    """Run `provider`'s suite against its embedded reference server (optionally faulty, or in
    another conformant variant)."""

    return run_provider(
        get_profile(provider),
        config or ProviderConfig(name=provider),
        report_dir=tmp_path,
        patterns=patterns,
        faults=faults,
        variant=variant,
        allure=False,
    )


def outcomes(result: ProviderResult) -> dict[str, str]:
    return {r.rule.id: r.outcome for r in result.rules}


def describe(result: ProviderResult, rule_ids: Iterable[str] | None = None) -> str:
    wanted = set(rule_ids) if rule_ids is not None else None
    return "\n".join(
        f"{r.rule.id} [{r.rule.level}] {r.outcome}: {r.message[:400]}"
        for r in result.rules
        if wanted is None or r.rule.id in wanted
    )


def assert_fault_cases_cover_the_catalogue(provider: str, case_names: Iterable[str]) -> None:
    """A server test's fault cases are `provider`'s fault catalogue, in its order; every fault has
    a one-line description and names only rules of the provider's catalogue; every MUST rule is
    named by some fault."""
    faults = get_profile(provider).faults()
    assert list(case_names) == list(faults.names)
    catalogue = load_catalogue(provider)
    for fault in faults:
        assert fault.description and "\n" not in fault.description, fault.name
        assert set(fault.rules) <= set(catalogue), fault.name
    must = {rule.id for rule in catalogue.values() if rule.level == "MUST"}
    assert must <= {rule for fault in faults for rule in fault.rules}
