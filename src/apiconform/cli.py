"""The `apiconform` command: run | serve | rules | faults | readings | baseline write | diff | report.

Exit codes: 0 conformant (no MUST rule failed or errored; with --strict, no SHOULD either; a
waived failure does not count); 1 not conformant (a target that answers but breaks the contract,
at preflight too), or a gate problem (a stale, expired or unknown-rule waiver; a regression
against --compare; `diff` found a regression); 2 usage or configuration error (including a
well-formed refusal of the configured credentials, a malformed waiver or results file); 3 target
unreachable (nothing usable answers). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from apiconform import __version__
from apiconform.config import ProviderConfig, load_config, with_base_url
from apiconform.errors import ApiconformError, ConfigError, UsageError
from apiconform.gate.selection import Selection
from apiconform.gate.waivers import Waiver
from apiconform.masking import Masker
from apiconform.profile import RateLimit
from apiconform.reference.serving import VARIANTS
from apiconform.registry import get_profile, provider_names
from apiconform.report.results import ResultsDoc, gate_problems
from apiconform.rules import load_catalogue
from apiconform.run import (
    EXIT_CONFORMANT,
    EXIT_NOT_CONFORMANT,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    ProviderResult,
    run_provider,
)

DEFAULT_REPORT_DIR = "reports"
DEFAULT_WAIVERS = "waivers.toml"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="apiconform", description="Contract conformance suite for vendor HTTP APIs.")
    parser.add_argument("--version", action="version", version=f"apiconform {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = commands.add_parser("run", help="run the conformance suite")
    run.add_argument(
        "providers", nargs="*", metavar="PROVIDER", help=f"default: all ({', '.join(provider_names())})"
    )
    run.add_argument("--config", help="config file (default: ./apiconform.toml if present)")
    run.add_argument("--base-url", help="target base URL (one provider only); overrides the config")
    run.add_argument("--report-dir", default=DEFAULT_REPORT_DIR, help="output folder (default: reports)")
    run.add_argument("--profile", choices=("gate", "deep"), default="gate")
    run.add_argument("--strict", action="store_true", help="SHOULD rules also decide the exit code")
    run.add_argument(
        "--select",
        "--rule",
        action="append",
        dest="select",
        default=[],
        metavar="GLOB",
        help="run only rules whose id matches GLOB (repeatable; e.g. 'coliving.pagination.*')",
    )
    run.add_argument(
        "--deselect", action="append", default=[], metavar="GLOB", help="leave out rules matching GLOB"
    )
    run.add_argument("--level", choices=("MUST", "SHOULD"), help="run only rules of this level")
    run.add_argument(
        "--waivers", metavar="FILE", help="waiver file (TOML): accepted failures, see `baseline write`"
    )
    run.add_argument(
        "--compare", metavar="OLD_JSON", help="an earlier results.json: fail on rules that newly fail"
    )

    serve = commands.add_parser("serve", help="start a reference server")
    serve.add_argument("provider", metavar="PROVIDER")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--fault", action="append", default=[], metavar="NAME", help="switch on a fault")
    serve.add_argument(
        "--variant",
        choices=VARIANTS,
        default="clean",
        help="which conformant reading the server takes where the document is silent (default: clean)",
    )
    serve.add_argument(
        "--quirky", action="store_const", const="quirky", dest="variant", help="the same as --variant quirky"
    )
    serve.add_argument(
        "--rate-limit", metavar="N/SECONDS", help="per-key limit (default: the documented one)"
    )
    serve.add_argument("--config", help="take the accepted credentials from this config file")

    rules = commands.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("provider", nargs="?", metavar="PROVIDER")

    faults = commands.add_parser("faults", help="list the reference servers' fault catalogues")
    faults.add_argument("provider", nargs="?", metavar="PROVIDER")

    readings = commands.add_parser(
        "readings", help="where the documents are silent, and the readings the suite accepts there"
    )
    readings.add_argument("provider", nargs="?", metavar="PROVIDER")

    baseline = commands.add_parser("baseline", help="waivers for the failures of a run")
    baseline_commands = baseline.add_subparsers(dest="baseline_command", required=True, parser_class=_Parser)
    write = baseline_commands.add_parser("write", help="write a waiver per failed rule of a results file")
    write.add_argument(
        "results", nargs="?", default=f"{DEFAULT_REPORT_DIR}/results.json", metavar="RESULTS_JSON"
    )
    write.add_argument("--out", default=DEFAULT_WAIVERS, help=f"waiver file (default: {DEFAULT_WAIVERS})")
    write.add_argument("--reason", help="the reason recorded in each new waiver")
    write.add_argument("--issue", metavar="URL", help="a link recorded in each new waiver")
    write.add_argument("--expires", metavar="YYYY-MM-DD", help="the last day the new waivers apply")

    diff = commands.add_parser("diff", help="rules whose outcome changed between two results files")
    diff.add_argument("old", metavar="OLD_JSON")
    diff.add_argument("new", metavar="NEW_JSON")

    report = commands.add_parser("report", help="report.html and summary.md from results files")
    report.add_argument("results", nargs="+", metavar="RESULTS_JSON")
    report.add_argument("--out", default=DEFAULT_REPORT_DIR, help="output folder (default: reports)")
    return parser


def _providers(names: Sequence[str] | None) -> list[str]:
    chosen = list(names) if names else list(provider_names())
    for name in chosen:
        get_profile(name)  # raises UsageError for an unknown provider
    return chosen


def _check_credentials(config: ProviderConfig) -> None:
    if config.embedded:
        return
    missing = [c for c in get_profile(config.name).required_credentials if not config.credentials.get(c)]
    if missing:
        raise ConfigError(f"[{config.name}] {missing[0]} is required when base_url is set")


def _exit_code(results: Sequence[ProviderResult], strict: bool) -> int:
    codes = {r.exit_code for r in results}
    for code in (EXIT_USAGE, EXIT_UNREACHABLE):
        if code in codes:
            return code
    if any(not r.conformant(strict) for r in results):
        return EXIT_NOT_CONFORMANT
    return EXIT_CONFORMANT


def _gate_exit_code(code: int, document: ResultsDoc) -> int:
    """The run's exit code once waivers and the comparison are applied to `document`."""
    if code in (EXIT_USAGE, EXIT_UNREACHABLE):
        return code
    failing = any(not p["conformant"] for p in document["providers"]) or gate_problems(document)
    return EXIT_NOT_CONFORMANT if failing else EXIT_CONFORMANT


def _plan(names: Sequence[str], selection: Selection, named: bool) -> dict[str, list[str] | None]:
    """Per provider to run, the exact ids of its selected rules (None: all of them)."""
    if selection.everything:
        return dict.fromkeys(names)
    plan: dict[str, list[str] | None] = {}
    for name in names:
        ids = [rule.id for rule in selection.rules(load_catalogue(name))]
        if ids:
            plan[name] = ids
        elif named:
            print(f"apiconform: {name}: no rule matches the selection; not run", file=sys.stderr)
    if not plan:
        raise UsageError("no rule matches the selection (--select/--rule, --deselect, --level)")
    return plan


def _known_rules(rule_ids: Iterable[str]) -> set[str]:
    """The catalogue ids of the providers that `rule_ids` name (unknown providers have none)."""
    known: set[str] = set()
    for provider in {rule_id.split(".", 1)[0] for rule_id in rule_ids}:
        if provider in provider_names():
            known.update(load_catalogue(provider))
    return known


def _apply_gate(
    document: ResultsDoc, args: argparse.Namespace, waivers: list[Waiver] | None, old: ResultsDoc | None
) -> tuple[ResultsDoc, str | None]:
    """`document` with the waivers and the comparison of the command line applied; the diff's text."""
    from apiconform.gate.diff import diff_documents, render_diff
    from apiconform.gate.waivers import apply_waivers

    if waivers is None and old is None:
        return document, None
    problems: list[str] = []
    if waivers is not None:
        outcome = apply_waivers(
            document,
            waivers,
            today=datetime.now(UTC).date(),
            known_rules=_known_rules(w.rule for w in waivers),
            source=args.waivers,
        )
        document, problems = outcome.document, list(outcome.problems)
    compared = None
    if old is not None:
        diff = diff_documents(old, document)
        problems += [
            f"regression: {change.line()} (compared with {args.compare})" for change in diff.regressed
        ]
        compared = f"compared with {args.compare}:\n{render_diff(diff)}"
    document["gate"] = {"waivers": args.waivers, "compare": args.compare, "problems": problems}
    return document, compared


def _step_summary(text: str) -> None:
    """Append `text` to $GITHUB_STEP_SUMMARY when it is set; a file that cannot be written is a warning."""
    from apiconform.report.markdown import append_step_summary

    try:
        append_step_summary(text)
    except OSError as exc:
        print(f"apiconform: warning: cannot append to $GITHUB_STEP_SUMMARY: {exc}", file=sys.stderr)


def _write_reports(
    report_dir: Path,
    document: ResultsDoc,
    results: Sequence[ProviderResult],
    masker: Masker,
    started_at: datetime,
) -> None:
    """results.json, junit.xml, report.html, summary.md (also to $GITHUB_STEP_SUMMARY), traffic.har."""
    from apiconform.report.har import har_json
    from apiconform.report.html import report_html
    from apiconform.report.junit import junit_xml
    from apiconform.report.markdown import summary_markdown
    from apiconform.report.results import write_results
    from apiconform.report.scrub import scrub_tree

    write_results(report_dir / "results.json", document)
    texts = {
        "junit.xml": junit_xml(document),
        "report.html": report_html([document]),
        "summary.md": summary_markdown([document]),
        "traffic.har": har_json(results, started_at=started_at),
    }
    for name, text in texts.items():
        (report_dir / name).write_text(masker.mask(text), encoding="utf-8")
    scrub_tree(report_dir, masker)
    _step_summary(masker.mask(texts["summary.md"]))


def command_run(args: argparse.Namespace) -> int:
    from apiconform.gate.waivers import load_waivers
    from apiconform.report.progress import Progress
    from apiconform.report.results import read_results, results_document
    from apiconform.report.summary import summary_table

    config = load_config(args.config)
    selection = Selection(tuple(args.select), tuple(args.deselect), args.level)
    waivers = load_waivers(Path(args.waivers)) if args.waivers else None
    old = read_results(Path(args.compare)) if args.compare else None
    names = _providers(args.providers)
    if args.base_url and len(names) != 1:
        raise UsageError("--base-url needs exactly one PROVIDER")
    plan = _plan(names, selection, named=bool(args.providers))
    provider_configs = []
    for name in plan:
        provider_config = config.provider(name)
        if args.base_url:
            provider_config = with_base_url(provider_config, args.base_url)
        _check_credentials(provider_config)
        provider_configs.append(provider_config)
        for note in provider_config.notes:
            print(f"apiconform: {name}: {note}", file=sys.stderr)

    report_dir = Path(args.report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(report_dir / "allure-results", ignore_errors=True)
    masker = Masker()
    started_at = datetime.now(UTC)
    results: list[ProviderResult] = []
    interrupted = False
    try:
        for provider_config in provider_configs:
            profile = get_profile(provider_config.name)
            target_label = provider_config.base_url or "embedded reference server"
            print(
                f"apiconform: {profile.name}: running against {target_label} ...", file=sys.stderr, flush=True
            )
            results.append(
                run_provider(
                    profile,
                    provider_config,
                    report_dir=report_dir,
                    patterns=plan[provider_config.name],
                    run_profile=args.profile,
                    masker=masker,
                    progress=Progress(profile.name),
                )
            )
            if results[-1].interrupted:
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        interrupted = True
    code = _exit_code(results, args.strict)
    document = results_document(
        results,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        profile=args.profile,
        strict=args.strict,
        exit_code=code,
        selection=selection.as_doc(),
        embedded={c.name for c in provider_configs if c.embedded},
    )
    document, compared = _apply_gate(document, args, waivers, old)
    code = _gate_exit_code(code, document)
    if interrupted:
        code = max(code, EXIT_NOT_CONFORMANT)
    document["exit_code"] = code
    _write_reports(report_dir, document, results, masker, started_at)
    print(masker.mask(summary_table(document)))
    if compared:
        print(masker.mask(compared))
    for problem in gate_problems(document):
        print(f"apiconform: {masker.mask(problem)}", file=sys.stderr)
    print(
        f"results: {report_dir / 'results.json'}  report: {report_dir / 'report.html'}  "
        f"junit: {report_dir / 'junit.xml'}  exit code: {code}"
    )
    if interrupted:
        print("apiconform: interrupted; partial results written", file=sys.stderr)
    return code


def _day(text: str, option: str) -> date:
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise UsageError(f"{option}: expected a date YYYY-MM-DD, got {text!r}")


def command_baseline(args: argparse.Namespace) -> int:
    from apiconform.gate.waivers import baseline, load_waivers, render_waivers
    from apiconform.report.results import read_results

    document = read_results(Path(args.results))
    expires = _day(args.expires, "--expires") if args.expires else None
    if expires is not None and expires < datetime.now(UTC).date():
        raise UsageError(f"--expires: {expires} is in the past")
    out = Path(args.out)
    existing = load_waivers(out) if out.exists() else []
    reason = args.reason or f"known deviation, baselined from the run of {document['started_at'][:10]}"
    plan = baseline(document, reason=reason, expires=expires, issue=args.issue, existing=existing)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_waivers(plan.waivers, plan.notes), encoding="utf-8")
    for remark in plan.remarks:
        print(f"apiconform: {remark}", file=sys.stderr)
    print(f"wrote {len(plan.waivers)} waiver{'s' if len(plan.waivers) != 1 else ''} to {out}")
    return 0


def command_diff(args: argparse.Namespace) -> int:
    from apiconform.gate.diff import diff_documents, render_diff
    from apiconform.report.results import read_results

    diff = diff_documents(read_results(Path(args.old)), read_results(Path(args.new)))
    print(render_diff(diff))
    return EXIT_NOT_CONFORMANT if diff.regressed else EXIT_CONFORMANT


def command_report(args: argparse.Namespace) -> int:
    from apiconform.report.html import report_html
    from apiconform.report.markdown import summary_markdown
    from apiconform.report.results import read_results

    documents = [read_results(Path(name)) for name in args.results]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = summary_markdown(documents)
    (out / "report.html").write_text(report_html(documents), encoding="utf-8")
    (out / "summary.md").write_text(summary, encoding="utf-8")
    _step_summary(summary)
    print(f"report: {out / 'report.html'}  summary: {out / 'summary.md'}")
    return 0


def _parse_rate(text: str | None, default: RateLimit) -> RateLimit:
    if text is None:
        return default
    try:
        count, _, seconds = text.partition("/")
        rate = RateLimit(int(count), float(seconds))
    except ValueError:
        raise UsageError(f"--rate-limit: expected N/SECONDS, got {text!r}") from None
    if rate.requests < 1 or rate.per_seconds <= 0:
        raise UsageError("--rate-limit: N must be >= 1 and SECONDS > 0")
    return rate


def command_serve(args: argparse.Namespace) -> int:
    from apiconform.reference.serving import ServerOptions

    profile = get_profile(args.provider)
    try:
        faults = profile.faults().validate(args.fault)
    except ValueError as exc:
        raise UsageError(f"--fault: {exc}") from None
    configured = load_config(args.config).provider(profile.name).credentials if args.config else {}
    credentials = {
        name: configured.get(name)
        or ("1" if name in profile.numeric_credentials else f"{profile.name}-demo-{name.replace('_', '-')}")
        for name in profile.credentials
    }
    rate = _parse_rate(args.rate_limit, profile.documented_rate_limit)
    options = ServerOptions(
        credentials=credentials,
        faults=faults,
        variant=args.variant,
        rate_limit=(rate.requests, rate.per_seconds),
    )
    try:
        server = profile.start_reference(options, host=args.host, port=args.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    print(f"{profile.title} reference server on {server.base_url}")
    if isinstance(server.verify, str):
        print(f"  TLS certificate issued by the test CA in {server.verify} (config: verify = that path)")
    for name, value in server.settings.items():
        print(f"  {name}: {value}")
    print(
        f"faults: {', '.join(sorted(faults)) or 'none'}; variant: {args.variant}; "
        f"rate limit: {rate.requests}/{rate.per_seconds:g} s per key"
    )
    for name, value in credentials.items():
        shown = value if not configured.get(name) else "(from config)"
        print(f"  {name}: {shown}")
    print("Ctrl-C stops it.", flush=True)
    server.serve_forever()
    return 0


def command_rules(args: argparse.Namespace) -> int:
    for name in _providers([args.provider] if args.provider else None):
        catalogue = load_catalogue(name)
        width = max(len(rule_id) for rule_id in catalogue)
        print(f"{name}: {len(catalogue)} rules")
        for rule in catalogue.values():
            print(f"  {rule.id:<{width}}  {rule.level:<6}  {rule.title}")
            print(f"  {'':<{width}}          source: {rule.source}")
    return 0


def command_faults(args: argparse.Namespace) -> int:
    for name in _providers([args.provider] if args.provider else None):
        catalogue = get_profile(name).faults()
        print(f"{name}: {len(catalogue)} faults")
        for fault in catalogue:
            print(f"  {fault.name}: {fault.description}")
            print(f"      caught by: {', '.join(fault.rules)}")
    return 0


def command_readings(args: argparse.Namespace) -> int:
    from apiconform.readings import load_readings

    for name in _providers([args.provider] if args.provider else None):
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


def _interrupt_on_sigterm() -> None:
    """SIGTERM (a CI job being cancelled) and SIGINT stop a run: a running suite stops after its
    current test, anything else at once (and a second signal at once too); partial results are
    written."""

    from apiconform.session import STOP

    def interrupt(signum: int, frame: object) -> None:
        if not STOP.request():  # no suite running, or a second signal: stop at once
            raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)
        # also SIGINT, even when started with it ignored (e.g. as a background job of a script)
        signal.signal(signal.SIGINT, interrupt)


def main(argv: Sequence[str] | None = None) -> int:
    started = time.monotonic()
    _interrupt_on_sigterm()
    try:
        args = build_parser().parse_args(argv)
        handler = {
            "run": command_run,
            "serve": command_serve,
            "rules": command_rules,
            "faults": command_faults,
            "readings": command_readings,
            "baseline": command_baseline,
            "diff": command_diff,
            "report": command_report,
        }
        return handler[args.command](args)
    except ApiconformError as exc:
        print(f"apiconform: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"apiconform: interrupted after {time.monotonic() - started:.1f} s", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `apiconform rules | head`)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
