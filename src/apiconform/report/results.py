"""results.json: the machine-readable outcome of a run (schema: schemas/results.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from apiconform import __version__
from apiconform.run import ProviderResult


def results_document(
    providers: Sequence[ProviderResult],
    *,
    started_at: datetime,
    finished_at: datetime,
    profile: str,
    strict: bool,
    exit_code: int,
) -> dict[str, Any]:
    return {
        "apiconform_version": __version__,
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": finished_at.isoformat(timespec="seconds"),
        "profile": profile,
        "exit_code": exit_code,
        "providers": [
            {
                "name": p.name,
                "base_url": p.base_url,
                "conformant": p.conformant(strict),
                "requests": p.requests,
                "throttled": p.throttled,
                "unintended_throttled": p.unintended_throttled,
                "seconds": p.seconds,
                "error": p.error,
                "summary": p.summary(),
                "rules": [
                    {
                        "id": r.rule.id,
                        "level": r.rule.level,
                        "title": r.rule.title,
                        "source": r.rule.source,
                        "outcome": r.outcome,
                        "message": r.message,
                        "tests": r.tests,
                        "requests": r.requests,
                        "throttled": r.throttled,
                    }
                    for r in p.rules
                ],
            }
            for p in providers
        ],
    }


def write_results(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
