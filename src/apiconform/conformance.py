"""What conformant means, and the exit codes that say it: the one definition, used by a provider's
run (`ProviderResult.conformant`), by the results document (`provider_conformant`, recomputed
after waivers) and so by the gate's exit code (apiconform.gate.run).

A provider is conformant when it ran (no preflight error) and no rule at a level that counts
failed or errored: MUST rules; with `strict`, SHOULD rules too. Skipped and waived rules never
count against it.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The documented exit codes: conformant; not conformant (or a gate problem, or interrupted); usage
#: or configuration error; target unreachable.
EXIT_CONFORMANT, EXIT_NOT_CONFORMANT, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3
#: Outcomes that fail the gate (at the levels it checks).
FAILING = frozenset({"failed", "error"})


def failing_levels(strict: bool) -> frozenset[str]:
    """The rule levels whose failures count: MUST, and with `strict` SHOULD too."""
    return frozenset({"MUST", "SHOULD"}) if strict else frozenset({"MUST"})


def conformant(rules: Iterable[tuple[str, str]], *, error: str | None, strict: bool) -> bool:
    """Whether a provider whose rules have these (level, outcome) pairs, and whose run stopped
    with `error` (None: it ran), is conformant."""
    levels = failing_levels(strict)
    return not error and not any(outcome in FAILING and level in levels for level, outcome in rules)
