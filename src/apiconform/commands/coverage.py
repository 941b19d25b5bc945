"""`apiconform coverage [PROVIDER ...] [--json] [--min PERCENT] [--uncovered]`: how much of each
provider's document the suite checks, per provider and area, computed from the data
(apiconform.coverage). Exit 1 when a provider's covered percentage is below `--min`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from apiconform.conformance import EXIT_CONFORMANT, EXIT_NOT_CONFORMANT
from apiconform.coverage import Counts, ProviderCoverage, StatementCoverage, coverage
from apiconform.registry import chosen_providers

COLUMNS = ("statements", "testable", "covered", "partial", "excluded", "uncovered")


def _row(label: str, counts: Counts) -> str:
    cells = "".join(f"{getattr(counts, column):>11}" for column in COLUMNS)
    return f"  {label:<22}{cells}{counts.percent:>10.1f}%"


def _statement_doc(item: StatementCoverage) -> dict[str, Any]:
    statement = item.statement
    return {
        "id": statement.id,
        "area": statement.area,
        "section": statement.section,
        "level": statement.level,
        "quote": statement.quote,
        "status": item.status,
        "rules": list(item.rules),
        "note": item.note,
    }


def coverage_document(results: list[ProviderCoverage], *, statements: bool) -> dict[str, Any]:
    """The coverage as JSON: per provider its totals, its areas and (with `statements`) every
    statement's status; `percent` is covered / in scope (everything not excluded)."""
    return {
        "providers": [
            {
                "name": result.provider,
                **result.total.as_dict(),
                "areas": {area: counts.as_dict() for area, counts in sorted(result.areas.items())},
                **({"statements_detail": [_statement_doc(i) for i in result.items]} if statements else {}),
            }
            for result in results
        ]
    }


def _print_table(results: list[ProviderCoverage], uncovered: bool) -> None:
    header = "".join(f"{column:>11}" for column in COLUMNS)
    for result in results:
        print(f"{result.provider}{'':<{22 - len(result.provider) + 2}}{header}{'% covered':>11}")
        for area, counts in sorted(result.areas.items()):
            print(_row(area, counts))
        print(_row("total", result.total))
        if uncovered:
            for status in ("uncovered", "partial"):
                for item in result.by_status(status):
                    statement = item.statement
                    where = f"{statement.id} [{statement.level}] ({statement.section})"
                    print(f"    {status} {where}: {statement.quote}")
                    if item.note:
                        print(f"        {item.note}")
        print()


def command_coverage(args: argparse.Namespace) -> int:
    results = coverage(chosen_providers(args.providers or None))
    if args.json:
        print(json.dumps(coverage_document(results, statements=args.uncovered), indent=2))
    else:
        _print_table(results, args.uncovered)
    if args.min is None:
        return EXIT_CONFORMANT
    below = [r for r in results if r.total.statements == 0 or r.total.percent < args.min]
    for result in below:
        shown = (
            f"{result.total.percent:.1f}% is" if result.total.statements else "has no statement catalogue:"
        )
        print(f"apiconform: coverage: {result.provider} {shown} below --min {args.min:g}%", file=sys.stderr)
    return EXIT_NOT_CONFORMANT if below else EXIT_CONFORMANT
