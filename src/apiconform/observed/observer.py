"""The observers' interface: an `Observer` judges some rules over observed exchanges, one at a
time (`observe`), and, for verdicts that span exchanges, once the traffic ends (`finish`).

A provider's observers are `apiconform.providers.<name>.observed.observers(profile, options)`;
the rules they judge are the provider's rules that can be judged from observed exchanges alone
(`observable_rules`). An observer keeps only bounded state (counts, the first problems, digests),
so that any amount of traffic can be judged in bounded memory.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import ClassVar, Protocol

from apiconform.observed.observation import Observed
from apiconform.observed.tally import Tally
from apiconform.profile import Profile


class Observer:
    """Judges `rules` (each with what the traffic must hold to judge it: `needs`)."""

    #: rule id -> what the traffic must hold for the rule to be judged (the skip reason)
    needs: ClassVar[Mapping[str, str]] = {}

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(self.needs)

    def observe(self, seen: Observed, tally: Tally) -> None:
        """Judge one exchange."""

    def finish(self, tally: Tally) -> None:
        """Judge what spans exchanges, once the traffic has ended."""


class ObserverFactory(Protocol):
    def __call__(self, profile: Profile, options: Mapping[str, object]) -> list[Observer]: ...


def provider_observers(profile: Profile, options: Mapping[str, object] | None = None) -> list[Observer]:
    """The observers of `profile`'s provider (none for a provider without observed mode)."""
    try:
        module = importlib.import_module(f"apiconform.providers.{profile.name}.observed")
    except ModuleNotFoundError:
        return []
    factory: ObserverFactory = module.observers
    return factory(profile, options or {})


def observable_rules(profile: Profile) -> tuple[str, ...]:
    """The provider's rules that `apiconform check` judges from traffic, in observer order."""
    return tuple(dict.fromkeys(rule for o in provider_observers(profile) for rule in o.rules))


def judge_all(observers: Iterable[Observer], stream: Iterable[Observed], tally: Tally) -> Tally:
    """Feed every exchange of `stream` to every observer, then let them finish."""
    chosen = [o for o in observers if any(rule in tally.rules for rule in o.rules)]
    for observer in chosen:
        for rule, need in observer.needs.items():
            tally.needs.setdefault(rule, need)
    for seen in stream:
        for observer in chosen:
            observe(observer, seen, tally)
    finish_all(chosen, tally)
    return tally


def finish_all(observers: Iterable[Observer], tally: Tally) -> None:
    """Let every observer judge what spans exchanges; one that breaks ends its rules `error`."""
    for observer in observers:
        try:
            observer.finish(tally)
        except Exception as exc:
            tally.broke(observer.rules, f"{type(exc).__name__}: {exc}")


def observe(observer: Observer, seen: Observed, tally: Tally) -> None:
    """`observer.observe(seen, tally)`; an observer that breaks on the exchange ends its rules
    `error` with the reason (a recording may hold anything), never the run."""
    try:
        observer.observe(seen, tally)
    except Exception as exc:
        tally.broke(observer.rules, f"entry {seen.index}: {type(exc).__name__}: {exc}")
