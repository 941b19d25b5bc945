"""`apiconform rules`, `faults` and `readings`: the catalogues, listed per provider (every
provider when none is named)."""

from __future__ import annotations

import argparse

from apiconform.registry import chosen_providers, get_profile
from apiconform.rules import load_catalogue


def _named(args: argparse.Namespace) -> list[str]:
    return chosen_providers([args.provider] if args.provider else None)


def command_rules(args: argparse.Namespace) -> int:
    """Every active rule: id, level, title, source."""
    for name in _named(args):
        catalogue = load_catalogue(name)
        width = max(len(rule_id) for rule_id in catalogue)
        print(f"{name}: {len(catalogue)} rules")
        for rule in catalogue.values():
            print(f"  {rule.id:<{width}}  {rule.level:<6}  {rule.title}")
            print(f"  {'':<{width}}          source: {rule.source}")
    return 0


def command_faults(args: argparse.Namespace) -> int:
    """Every fault of the reference servers, and the rules that catch it."""
    for name in _named(args):
        catalogue = get_profile(name).faults()
        print(f"{name}: {len(catalogue)} faults")
        for fault in catalogue:
            print(f"  {fault.name}: {fault.description}")
            print(f"      caught by: {', '.join(fault.rules)}")
    return 0


def command_readings(args: argparse.Namespace) -> int:
    """Every silence point that is not retired: the document's words, the readings, what the
    suite accepts, the config keys and the rules concerned."""
    from apiconform.readings import load_readings

    for name in _named(args):
        points = [point for point in load_readings(name).values() if not point.retired]
        print(f"{name}: {len(points)} silence points")
        for point in points:
            print(f"  {point.id}  ({point.section})")
            print(f"      document: {point.quote}")
            print(f"      silent:   {point.silent}")
            for reading in point.readings:
                print(f"      reading:  {reading}")
            print(f"      accepted: {point.accepts}")
            if point.config:
                print(f"      config:   {', '.join(point.config)}")
            print(f"      rules:    {', '.join(point.rules)}")
    return 0
