"""The readable summary table printed at the end of a run."""

from __future__ import annotations

import shutil
from collections.abc import Sequence

from apiconform.run import ProviderResult

_ORDER = {"failed": 0, "error": 1, "skipped": 2, "passed": 3}


def summary_table(
    providers: Sequence[ProviderResult], *, strict: bool = False, width: int | None = None
) -> str:
    """A fixed-width table: rule, level, outcome, message; failures first within each provider."""
    width = width or max(100, shutil.get_terminal_size((120, 20)).columns)
    lines: list[str] = []
    for provider in providers:
        counts = provider.summary()
        verdict = "conformant" if provider.conformant(strict) else "NOT conformant"
        lines.append(
            f"{provider.name} @ {provider.base_url}: {verdict} - "
            + ", ".join(f"{n} {k}" for k, n in counts.items())
            + f" ({provider.requests} requests, {provider.throttled} throttled"
            + f" ({provider.unintended_throttled} unintended), {provider.seconds:.1f} s)"
        )
        if provider.error:
            lines.append(f"  {provider.error}")
        id_width = max((len(r.rule.id) for r in provider.rules), default=10)
        header = f"  {'rule':<{id_width}}  {'level':<6}  {'outcome':<7}  message"
        lines.append(header)
        room = max(20, width - len(header) + len("message"))
        for result in sorted(provider.rules, key=lambda r: (_ORDER[r.outcome], r.rule.level != "MUST")):
            message = result.message.splitlines()[0] if result.message else ""
            if len(message) > room:
                message = message[: room - 3] + "..."
            lines.append(
                f"  {result.rule.id:<{id_width}}  {result.rule.level:<6}  {result.outcome:<7}  {message}"
            )
        lines.append("")
    return "\n".join(lines)
