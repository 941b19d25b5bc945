"""Every reference server's fault catalogue, held to one set of tests, written once: each fault's
case shows the clean server conforming and the server with that fault deviating; every fault of
the catalogue has a case, a one-line description and only known rules; an unknown fault name is
refused. Each provider contributes `tests/reference/<provider>/cases.py` with:

- `FAULT_CASES`: `(fault name, scenario, conformant)` triples, where `scenario(faults)` runs
  against a fresh server started with the fault names `faults` (a tuple, empty for the clean
  server) and returns what it observed, and `conformant(observation)` says whether that is what
  the document demands;
- `make(faults)`: a test client of a fresh server with those faults (ValueError for an unknown
  name).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from apiconform.registry import provider_names
from tests.conformance import assert_fault_cases_cover_the_catalogue

#: Every registered provider contributes its cases.
PROVIDERS: tuple[str, ...] = provider_names()


def cases_of(provider: str) -> ModuleType:
    return importlib.import_module(f"tests.reference.{provider}.cases")


ALL_CASES = [(provider, *case) for provider in PROVIDERS for case in cases_of(provider).FAULT_CASES]


@pytest.mark.parametrize(
    ("provider", "fault", "scenario", "conformant"),
    ALL_CASES,
    ids=[f"{case[0]}-{case[1]}" for case in ALL_CASES],
)
def test_fault_deviates_where_the_clean_server_conforms(
    provider: str, fault: str, scenario: Callable[[tuple[str, ...]], Any], conformant: Callable[[Any], bool]
) -> None:
    assert conformant(scenario(())), f"the clean {provider} server does not conform"
    assert not conformant(scenario((fault,))), f"{provider} fault {fault} does not deviate"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_fault_has_a_case_and_known_rules(provider: str) -> None:
    assert_fault_cases_cover_the_catalogue(provider, [case[0] for case in cases_of(provider).FAULT_CASES])


@pytest.mark.parametrize("provider", PROVIDERS)
def test_unknown_fault_names_are_refused(provider: str) -> None:
    with pytest.raises(ValueError, match="unknown fault 'no-such-fault'"):
        cases_of(provider).make(("no-such-fault",))
