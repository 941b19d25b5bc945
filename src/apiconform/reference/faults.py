"""Fault catalogues: named single deviations a reference server can be started with.

Each fault names the rules that must catch it. The self-tests hold every catalogue to three
invariants: the clean server passes every MUST rule, every fault makes each rule it names fail,
and every MUST rule is named by at least one fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """One deviation from the contract, and the rules that must fail when it is switched on."""

    name: str
    description: str
    rules: tuple[str, ...]


class FaultCatalogue:
    """An ordered, name-unique collection of faults for one reference server."""

    def __init__(self, faults: Iterable[Fault]) -> None:
        self._faults: dict[str, Fault] = {}
        for fault in faults:
            if fault.name in self._faults:
                raise ValueError(f"duplicate fault name: {fault.name}")
            if not fault.rules:
                raise ValueError(f"fault {fault.name} names no rule")
            self._faults[fault.name] = fault

    def __iter__(self) -> Iterator[Fault]:
        return iter(self._faults.values())

    def __len__(self) -> int:
        return len(self._faults)

    def __contains__(self, name: object) -> bool:
        return name in self._faults

    def __getitem__(self, name: str) -> Fault:
        return self._faults[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._faults)

    def validate(self, names: Iterable[str]) -> frozenset[str]:
        """Return `names` as a set, raising ValueError naming the first one not in the catalogue."""
        chosen = frozenset(names)
        unknown = sorted(chosen - set(self._faults))
        if unknown:
            raise ValueError(f"unknown fault {unknown[0]!r}; known: {', '.join(self._faults)}")
        return chosen
