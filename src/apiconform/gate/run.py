"""The gated run as a library function: `run_gate` is `apiconform run` without the command line.

Guarantees of `run_gate`: the providers and rules to run are chosen in one place (`plan`, over
apiconform.gate.selection); each provider runs (`apiconform.run.run_provider`), one after the other;
the results document is built, the waivers and the comparison applied to it, and the exit code
decided once, from it (`exit_code_of`); every report is written into the report folder
(apiconform.report.folder), masked. An interruption during a provider's run (Ctrl-C; SIGTERM too
where the caller turns it into one, as the command does) ends the run after the current test,
with the finished rules kept and written (exit at least 1). What the command prints once the run
is over is returned, masked and in order (`GateOutcome.printed`); what it prints while the run
goes on (notes on the config, the provider being run, providers the selection leaves out) goes to
`say` as it happens. Configuration and usage errors (an unknown provider, a bad config, waiver or
results file, a selection that matches no rule) raise UsageError before anything runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from apiconform.config import ProviderConfig, load_config, with_base_url
from apiconform.conformance import EXIT_CONFORMANT, EXIT_NOT_CONFORMANT, EXIT_UNREACHABLE, EXIT_USAGE
from apiconform.errors import ConfigError, UsageError
from apiconform.gate.selection import EVERY_RULE, Selection
from apiconform.gate.waivers import Waiver
from apiconform.masking import Masker
from apiconform.registry import chosen_providers, get_profile, provider_names
from apiconform.report.results import ResultsDoc, gate_problems
from apiconform.rules import load_catalogue
from apiconform.run import ProviderResult, run_provider

DEFAULT_REPORT_DIR = "reports"

RunProfile = Literal["gate", "deep"]
Stream = Literal["stdout", "stderr"]


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass
class GateOutcome:
    """What a gated run found and decided."""

    #: the results document as written to results.json (waivers and comparison applied)
    document: ResultsDoc
    #: each provider's run, in the order they ran (their recorded exchanges included)
    results: list[ProviderResult]
    exit_code: int
    report_dir: Path
    #: the run was interrupted (Ctrl-C, SIGTERM): the results are partial
    interrupted: bool = False
    #: what the command prints once the run is over, masked, in order: (stream, text)
    printed: list[tuple[Stream, str]] = field(default_factory=list)


def run_gate(
    providers: Sequence[str] = (),
    *,
    config: str | Path | None = None,
    base_url: str | None = None,
    report_dir: str | Path = DEFAULT_REPORT_DIR,
    profile: RunProfile = "gate",
    strict: bool = False,
    selection: Selection = EVERY_RULE,
    waivers: str | Path | None = None,
    compare: str | Path | None = None,
    say: Callable[[str], None] = _to_stderr,
) -> GateOutcome:
    """Run `providers` (none: every provider) as `apiconform run` does and write the reports into
    `report_dir` (see the module docstring). `config` is the config file (None: ./apiconform.toml
    if present); `base_url` overrides its base_url (one provider only); `waivers` is a waiver file,
    `compare` an earlier results.json; `strict` makes SHOULD rules decide conformance too."""
    from apiconform.gate.waivers import load_waivers
    from apiconform.report.folder import prepare_report_dir, write_reports
    from apiconform.report.progress import Progress
    from apiconform.report.results import read_results, results_document
    from apiconform.report.summary import summary_table

    loaded = load_config(config)
    waiver_list = load_waivers(Path(waivers)) if waivers is not None else None
    old = read_results(Path(compare)) if compare is not None else None
    names = chosen_providers(providers)
    if base_url and len(names) != 1:
        raise UsageError("--base-url needs exactly one PROVIDER")
    configs: list[ProviderConfig] = []
    for name in plan(names, selection, named=bool(providers), say=say):
        provider_config = loaded.provider(name)
        if base_url:
            provider_config = with_base_url(provider_config, base_url)
        _check_credentials(provider_config)
        configs.append(provider_config)
        for note in provider_config.notes:
            say(f"apiconform: {name}: {note}")

    folder = Path(report_dir)
    prepare_report_dir(folder)
    masker = Masker()
    started_at = datetime.now(UTC)
    results: list[ProviderResult] = []
    interrupted = False
    try:
        for provider_config in configs:
            target_label = provider_config.base_url or "embedded reference server"
            say(f"apiconform: {provider_config.name}: running against {target_label} ...")
            results.append(
                run_provider(
                    get_profile(provider_config.name),
                    provider_config,
                    report_dir=folder,
                    patterns=selection,
                    run_profile=profile,
                    masker=masker,
                    progress=Progress(provider_config.name),
                )
            )
            if results[-1].interrupted:
                interrupted = True
                break
    except KeyboardInterrupt:
        interrupted = True
    document = results_document(
        results,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        profile=profile,
        strict=strict,
        exit_code=EXIT_CONFORMANT,  # decided below, once the gate is applied
        selection=selection.as_doc(),
        embedded={c.name for c in configs if c.embedded},
    )
    document, compared = apply_gate(
        document, waiver_list, old, waiver_file=_text(waivers), compare_file=_text(compare)
    )
    code = exit_code_of(document, results, interrupted=interrupted)
    document["exit_code"] = code
    warnings = write_reports(folder, document, results, masker, started_at)

    printed: list[tuple[Stream, str]] = [("stderr", warning) for warning in warnings]
    printed.append(("stdout", masker.mask(summary_table(document))))
    if compared:
        printed.append(("stdout", masker.mask(compared)))
    printed += [("stderr", f"apiconform: {masker.mask(problem)}") for problem in gate_problems(document)]
    printed.append(
        (
            "stdout",
            f"results: {folder / 'results.json'}  report: {folder / 'report.html'}  "
            f"junit: {folder / 'junit.xml'}  exit code: {code}",
        )
    )
    if interrupted:
        printed.append(("stderr", "apiconform: interrupted; partial results written"))
    return GateOutcome(document, results, code, folder, interrupted, printed)


def plan(names: Sequence[str], selection: Selection, *, named: bool, say: Callable[[str], None]) -> list[str]:
    """The providers of `names` that have a rule `selection` keeps, in order. A provider the
    user `named` that has none is told to `say`; UsageError when no provider has any."""
    if selection.everything:
        return list(names)
    chosen = []
    for name in names:
        if selection.rules(load_catalogue(name)):
            chosen.append(name)
        elif named:
            say(f"apiconform: {name}: no rule matches the selection; not run")
    if not chosen:
        raise UsageError("no rule matches the selection (--select/--rule, --deselect, --level)")
    return chosen


def apply_gate(
    document: ResultsDoc,
    waivers: Sequence[Waiver] | None,
    old: ResultsDoc | None,
    *,
    waiver_file: str | None = None,
    compare_file: str | None = None,
) -> tuple[ResultsDoc, str | None]:
    """`document` with `waivers` and the comparison with `old` applied (its `gate` records the
    files and every problem: stale, expired or unknown waivers, regressions), and the comparison's
    text (None without `old`). `document` as it is when neither is given."""
    from apiconform.gate.diff import diff_documents, render_diff
    from apiconform.gate.waivers import apply_waivers

    if waivers is None and old is None:
        return document, None
    problems: list[str] = []
    if waivers is not None:
        applied = apply_waivers(
            document,
            list(waivers),
            today=datetime.now(UTC).date(),
            known_rules=_known_rules(w.rule for w in waivers),
            source=waiver_file or "the waiver file",
        )
        document, problems = applied.document, list(applied.problems)
    compared = None
    if old is not None:
        diff = diff_documents(old, document)
        problems += [
            f"regression: {change.line()} (compared with {compare_file})" for change in diff.regressed
        ]
        compared = f"compared with {compare_file}:\n{render_diff(diff)}"
    document["gate"] = {"waivers": waiver_file, "compare": compare_file, "problems": problems}
    return document, compared


def exit_code_of(document: ResultsDoc, results: Sequence[ProviderResult], *, interrupted: bool) -> int:
    """The run's exit code, decided here only: 2 when a provider could not run for its config or
    credentials, else 3 when a target was unreachable; else 1 when a provider of `document` (waivers
    applied) is not conformant or the gate has a problem, else 0; at least 1 when `interrupted`."""
    stopped = {result.exit_code for result in results}
    code = next((c for c in (EXIT_USAGE, EXIT_UNREACHABLE) if c in stopped), None)
    if code is None:
        failing = any(not p["conformant"] for p in document["providers"]) or gate_problems(document)
        code = EXIT_NOT_CONFORMANT if failing else EXIT_CONFORMANT
    return max(code, EXIT_NOT_CONFORMANT) if interrupted else code


def _check_credentials(config: ProviderConfig) -> None:
    """ConfigError when a real target's config lacks a credential its provider requires."""
    if config.embedded:
        return
    missing = [c for c in get_profile(config.name).required_credentials if not config.credentials.get(c)]
    if missing:
        raise ConfigError(f"[{config.name}] {missing[0]} is required when base_url is set")


def _known_rules(rule_ids: Iterable[str]) -> set[str]:
    """The catalogue ids of the providers that `rule_ids` name (unknown providers have none)."""
    known: set[str] = set()
    for provider in {rule_id.split(".", 1)[0] for rule_id in rule_ids}:
        if provider in provider_names():
            known.update(load_catalogue(provider))
    return known


def _text(path: str | Path | None) -> str | None:
    """A file named on the command line as the reports show it (as given)."""
    return None if path is None else os.fspath(path)
