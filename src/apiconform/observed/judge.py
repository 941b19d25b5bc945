"""Judging recorded traffic for one provider: the rules observable from traffic, over a stream of
observed exchanges, into the `ProviderResult` every report is written from.

Guarantees of `judge_traffic`: it sends no request; each rule it judges ends `passed` (it judged
at least one exchange and found no problem), `failed` (with the first problems and their
exchanges as evidence) or `skipped` ("not observed in the traffic": nothing in the traffic it
could judge); the result's `exchanges` are the evidence exchanges only (traffic.har of an observed
run holds those); a traffic without one exchange of the provider's API gives the result an error
and exit 3 (nothing usable), every rule `error` with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from apiconform.conformance import EXIT_CONFORMANT, EXIT_NOT_CONFORMANT, EXIT_UNREACHABLE
from apiconform.masking import Masker
from apiconform.observed.observation import Observed
from apiconform.observed.observer import Observer, judge_all, provider_observers
from apiconform.observed.reader import ReadStats
from apiconform.observed.tally import Tally
from apiconform.profile import Profile
from apiconform.rules import Rule, RuleResult
from apiconform.run import ProviderResult


@dataclass
class ObservedRun:
    """A provider's verdicts over traffic, and what reading the traffic found."""

    result: ProviderResult
    stats: ReadStats

    def traffic_doc(self) -> dict[str, object]:
        """What results.json says about the traffic (schema: `$defs/traffic`)."""
        stats = self.stats
        return {
            "files": list(stats.files),
            "entries": stats.entries,
            "judged": stats.used,
            "skipped": dict(sorted(stats.skipped.items())),
            "bodies_not_judged": dict(sorted(stats.bodies.items())),
            "base_url_source": stats.base_url_source,
            "warnings": list(stats.warnings),
        }


def observable(rules: Iterable[Rule], observers: Iterable[Observer]) -> list[Rule]:
    """The rules of `rules` some observer judges, in catalogue order."""
    judged = {rule for observer in observers for rule in observer.rules}
    return [rule for rule in rules if rule.id in judged]


def judge_traffic(
    profile: Profile,
    rules: list[Rule],
    stream: Iterable[Observed],
    stats: ReadStats,
    masker: Masker,
    *,
    options: Mapping[str, object] | None = None,
    observers: list[Observer] | None = None,
) -> ObservedRun:
    """Judge `rules` (those an observer judges; see the module docstring) over `stream`, whose
    reading `stats` describes (it is complete once the stream is exhausted)."""
    started = time.monotonic()
    chosen = observers if observers is not None else provider_observers(profile, options)
    judged_rules = observable(rules, chosen)
    tally = judge_all(chosen, stream, Tally(tuple(r.id for r in judged_rules), masker))
    return verdicts(profile, judged_rules, tally, stats, seconds=time.monotonic() - started)


def verdicts(
    profile: Profile, rules: list[Rule], tally: Tally, stats: ReadStats, *, seconds: float = 0.0
) -> ObservedRun:
    """The observed run whose verdicts `tally` holds for `rules` (see the module docstring)."""
    masker = tally.masker
    result = ProviderResult(name=profile.name, base_url=masker.mask(stats.base_url or ""), rules=[])
    if stats.used == 0:
        reasons = ", ".join(f"{count} {why}" for why, count in stats.skipped.most_common(3)) or "none read"
        result.error = f"nothing usable: no exchange of the {profile.name} API in the traffic ({reasons})"
        result.exit_code = EXIT_UNREACHABLE
        result.rules = [RuleResult(rule=r, outcome="error", message=result.error) for r in rules]
    else:
        evidence: dict[int, object] = {}
        for rule in rules:
            finding = tally.finding(rule.id)
            for exchange in finding.evidence:
                evidence.setdefault(id(exchange), exchange)
            result.rules.append(
                RuleResult(
                    rule=rule,
                    outcome=finding.outcome,
                    message=finding.message,
                    tests=finding.judged,
                    evidence=finding.evidence,
                )
            )
        result.exchanges = list(evidence.values())
        result.exit_code = EXIT_CONFORMANT if result.conformant() else EXIT_NOT_CONFORMANT
    result.seconds = round(seconds, 3)
    return ObservedRun(result, stats)
