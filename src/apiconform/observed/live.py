"""Observed-mode checks inside a live run: an observer test (marked `observer`, run last) judges
its rules over every exchange the run recorded with the same observers `apiconform check` uses,
so that each such check lives in one place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from apiconform.checks.verdicts import RuleSink
from apiconform.errors import CheckFailed
from apiconform.masking import Masker
from apiconform.observed.observation import from_exchange
from apiconform.observed.observer import judge_all, provider_observers
from apiconform.observed.tally import Tally
from apiconform.profile import Profile
from apiconform.recording import Exchange


def judge_recorded(
    profile: Profile,
    exchanges: Iterable[Exchange],
    base_url: str,
    masker: Masker,
    verdicts: RuleSink,
    rules: Sequence[str],
    options: dict[str, object] | None = None,
) -> None:
    """Judge `rules` over the recorded `exchanges` under `base_url` (the masked base URL, as the
    exchanges' URLs are masked) that got a response, with the provider's observers; each rule
    with a problem fails in its `verdicts.check` block, with the observed-mode message and
    evidence. A rule with nothing to judge passes, as a live observer test's rules always did."""
    stream = (
        from_exchange(exchange, base_url, index)
        for index, exchange in enumerate(exchanges, start=1)
        if exchange.status is not None and exchange.url.startswith(base_url)
    )
    tally = judge_all(provider_observers(profile, options), stream, Tally(tuple(rules), masker))
    for rule in rules:
        finding = tally.finding(rule)
        if finding.outcome == "failed":
            with verdicts.check(rule):
                raise CheckFailed(finding.message, finding.evidence)
