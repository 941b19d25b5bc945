"""The readable summary table printed at the end of a run."""

from __future__ import annotations

import shutil

from apiconform.report.results import ResultsDoc, first_line, gate_problems, sorted_rules, verdict_text


def summary_table(document: ResultsDoc, *, width: int | None = None) -> str:
    """A fixed-width table: rule, level, outcome, message; failures first within each provider;
    then the gate's problems (stale or expired waivers, regressions), if any."""
    width = width or max(100, shutil.get_terminal_size((120, 20)).columns)
    lines: list[str] = []
    for provider in document["providers"]:
        counts = provider["summary"]
        lines.append(
            f"{provider['name']} @ {provider['base_url']}: {verdict_text(provider)} - "
            + ", ".join(f"{n} {k}" for k, n in counts.items() if n or k != "waived")
            + f" ({provider['requests']} requests, {provider.get('throttled', 0)} throttled"
            + f" ({provider.get('unintended_throttled', 0)} unintended),"
            + f" {provider.get('seconds', 0.0):.1f} s)"
        )
        if provider.get("error"):
            lines.append(f"  {provider.get('error')}")
        id_width = max((len(r["id"]) for r in provider["rules"]), default=10)
        header = f"  {'rule':<{id_width}}  {'level':<6}  {'outcome':<7}  message"
        lines.append(header)
        room = max(20, width - len(header) + len("message"))
        for rule in sorted_rules(provider):
            message = first_line(rule["message"], room)
            lines.append(f"  {rule['id']:<{id_width}}  {rule['level']:<6}  {rule['outcome']:<7}  {message}")
        lines.append("")
    problems = gate_problems(document)
    if problems:
        lines.append(f"gate problems ({len(problems)}):")
        lines += [f"  {problem}" for problem in problems]
        lines.append("")
    return "\n".join(lines)
