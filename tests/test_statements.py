"""The statement catalogues (suites/<provider>/statements.toml) are held honest by data tests:
every quote is a verbatim substring of its source document (whitespace-normalised; the tests read
../shared/sources, the product never does); ids are unique and stable (the published ids are kept
in tests/data/published_statements/<provider>.txt: a published id may be retired, never dropped);
every active rule covers at least one statement or names its convention basis (and a rule that
rests on a convention is a SHOULD); rules cite only live statements; statements name only known
silence points and needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from apiconform.config import _COMMON_KEYS
from apiconform.readings import load_readings
from apiconform.registry import get_profile, provider_names
from apiconform.resources import suites_dir
from apiconform.rules import load_catalogue
from apiconform.statements import load_statements
from tests.test_readings import normalise

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
PUBLISHED = ROOT / "tests" / "data" / "published_statements"
#: the providers whose document has a statement catalogue
CATALOGUED = tuple(name for name in provider_names() if (suites_dir(name) / "statements.toml").is_file())


@pytest.mark.parametrize("provider", CATALOGUED)
def test_quotes_are_verbatim(provider):
    document = SOURCES / get_profile(provider).document
    if not document.is_file():
        pytest.skip(f"{document} is not in this checkout")
    text = normalise(document.read_text(encoding="utf-8"))
    missing = [
        f"{statement.id}: {fragment!r}"
        for statement in load_statements(provider).values()
        for fragment in statement.fragments
        if normalise(fragment) not in text
    ]
    assert not missing


@pytest.mark.parametrize("provider", CATALOGUED)
def test_published_ids_are_kept(provider):
    """Every published id is still live or retired (never dropped or renamed); every live or
    retired id is published (a new statement is added to the list)."""
    statements = load_statements(provider)
    known = set(statements) | set(statements.retired)
    published = set((PUBLISHED / f"{provider}.txt").read_text(encoding="utf-8").split())
    assert not published - known, "published statement ids were dropped (retire them instead)"
    assert not known - published, f"add the new ids to {PUBLISHED / f'{provider}.txt'}"


@pytest.mark.parametrize("provider", CATALOGUED)
def test_every_rule_cites_statements_or_a_convention(provider):
    statements = load_statements(provider)
    for rule in load_catalogue(provider).values():
        assert rule.covers or rule.basis, f"{rule.id} covers no statement and names no basis"
        assert not rule.basis or rule.level == "SHOULD", f"{rule.id} rests on a convention: a SHOULD"
        assert set(rule.covers) <= set(statements), f"{rule.id} cites unknown or retired statements"


@pytest.mark.parametrize("provider", CATALOGUED)
def test_statements_name_known_readings_and_needs(provider):
    readings = load_readings(provider)
    profile = get_profile(provider)
    needs = set(_COMMON_KEYS) | set(profile.credentials) | set(profile.extra_keys) | {"allow_writes", "time"}
    for statement in load_statements(provider).values():
        assert set(statement.readings) <= set(readings), statement.id
        assert set(statement.needs) <= needs, statement.id


@pytest.mark.parametrize("provider", CATALOGUED)
def test_every_covered_statement_has_a_rule_a_fault_proves(provider):
    """A statement counts as covered only when a rule covering it is named by a reference-server
    fault (which tests/test_invariants.py shows that rule catching)."""
    from apiconform.coverage import provider_coverage

    proven = {rule for fault in get_profile(provider).faults() for rule in fault.rules}
    for item in provider_coverage(provider).by_status("covered"):
        assert set(item.rules) & proven, item.statement.id


def test_every_provider_has_a_statement_catalogue():
    assert provider_names() == CATALOGUED
