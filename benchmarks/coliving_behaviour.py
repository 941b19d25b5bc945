"""Requests and seconds per Coliving behaviour area, at the documented 60 requests per minute.

Each area runs alone, gate profile, against a fresh embedded reference server that enforces a
real 60-per-60-s window per key (the suite paces itself to the same window); then, with
`--whole`, the whole Coliving gate run does the same. Run from the repository root:

    python benchmarks/coliving_behaviour.py            # the three areas (about 3 minutes)
    python benchmarks/coliving_behaviour.py --whole    # and the whole run (about 5 more)

Prints a Markdown table (the one in benchmarks/README.md) and exits 1 if any run was not
conformant or received a 429 outside the rate-limit rules.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from apiconform.config import ProviderConfig
from apiconform.profile import RateLimit
from apiconform.registry import get_profile
from apiconform.run import ProviderResult, run_provider

WINDOW = RateLimit(60, 60.0)
AREAS = {
    "pagination, sorting, filtering": ["coliving.pagination.*", "coliving.sorting.*", "coliving.filtering.*"],
    "idempotency, messages": ["coliving.idempotency.*", "coliving.messages.*"],
    "rate limit": ["coliving.ratelimit.*"],
}


@dataclass
class Row:
    area: str
    rules: int
    requests: int
    throttled: int
    unintended: int
    seconds: float
    conformant: bool


def measure(area: str, patterns: list[str] | None) -> Row:
    config = ProviderConfig(name="coliving", rate_limit=WINDOW)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as report:
        result: ProviderResult = run_provider(
            get_profile("coliving"), config, report_dir=Path(report), patterns=patterns, allure=False
        )
    seconds = time.monotonic() - started
    stray = sum(r.throttled for r in result.rules if r.rule.area != "ratelimit")
    return Row(
        area,
        len(result.rules),
        result.requests,
        result.throttled,
        max(stray, result.unintended_throttled),
        seconds,
        bool(result.rules) and result.conformant() and all(r.outcome == "passed" for r in result.rules),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--whole", action="store_true", help="also time the whole Coliving gate run")
    args = parser.parse_args(argv)
    rows = [measure(area, patterns) for area, patterns in AREAS.items()]
    if args.whole:
        rows.append(measure("whole Coliving gate run", None))
    print(f"Coliving, gate profile, embedded server enforcing {WINDOW.requests} per {WINDOW.per_seconds:g} s")
    print()
    print("| area | rules | requests | 429s | 429s outside rate-limit rules | seconds | all passed |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        print(
            f"| {row.area} | {row.rules} | {row.requests} | {row.throttled} | {row.unintended} "
            f"| {row.seconds:.1f} | {'yes' if row.conformant else 'NO'} |"
        )
    return 0 if all(row.conformant and row.unintended == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
