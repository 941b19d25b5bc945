"""The pytest markers suites declare what they verify with, and how the run reads them.

`@pytest.mark.rule("<id>", ...)`: the rules a test verifies (ids from the provider's rules.toml);
`@pytest.mark.late`: the test runs after all others but the observers (rate-limit bursts);
`@pytest.mark.observer`: the test inspects every exchange of the session, so it runs last.
"""

from __future__ import annotations

import pytest

MARKERS: tuple[str, ...] = (
    "rule(*ids): the apiconform rules this test verifies (ids from the provider's rules.toml)",
    "observer: the test inspects every exchange of the session, so it runs last",
    "late: the test runs after all others but the observers (rate limits)",
)


def register(config: pytest.Config) -> None:
    """Declare the markers in `config` (so that `--strict-markers` accepts them)."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def rules_of(item: pytest.Item) -> tuple[str, ...]:
    """The rule ids `item` declares, each once, in the order declared."""
    ids: list[str] = []
    for marker in item.iter_markers("rule"):
        ids.extend(marker.args)
    return tuple(dict.fromkeys(ids))


def phase(item: pytest.Item) -> int:
    """When `item` runs: 0 with the others, 1 `late`, 2 `observer` (last)."""
    if item.get_closest_marker("observer") is not None:
        return 2
    return 1 if item.get_closest_marker("late") is not None else 0
