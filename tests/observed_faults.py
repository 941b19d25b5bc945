"""Helpers for the observed-mode tests: the HAR of a live run (tests.conformance.run_embedded), and
`apiconform check` of a HAR as a library call."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from apiconform.masking import Masker
from apiconform.observed.judge import ObservedRun, judge_traffic
from apiconform.observed.reader import TrafficReader
from apiconform.registry import get_profile
from apiconform.report.har import har_json
from apiconform.rules import load_catalogue
from apiconform.run import ProviderResult


def har_of(result: ProviderResult, path: Path) -> Path:
    """`result`'s exchanges as traffic.har writes them."""
    path.write_text(har_json([result], started_at=datetime.now(UTC)), encoding="utf-8")
    return path


def check_har(provider: str, *paths: Path, base_url: str | None = None) -> ObservedRun:
    """`apiconform check PROVIDER PATH ...` without the command line and the reports."""
    profile = get_profile(provider)
    masker = Masker()
    reader = TrafficReader(profile, masker, base_url=base_url)
    rules = list(load_catalogue(provider).values())
    return judge_traffic(profile, rules, reader.read(list(paths)), reader.stats, masker)


def outcomes(run: ObservedRun) -> dict[str, str]:
    return {r.rule.id: r.outcome for r in run.result.rules}
