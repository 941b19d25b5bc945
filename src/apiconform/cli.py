"""The `apiconform` command: run | check | proxy | serve | rules | faults | readings | coverage |
baseline write | diff | report.


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
import signal
import sys
import threading
import time
from collections.abc import Sequence

from apiconform import __version__
from apiconform.commands.catalogues import command_faults, command_readings, command_rules
from apiconform.commands.coverage import command_coverage
from apiconform.commands.results import command_baseline, command_diff, command_report
from apiconform.commands.serve import command_serve
from apiconform.commands.traffic import add_arguments as add_traffic_commands
from apiconform.commands.traffic import command_check, command_proxy
from apiconform.errors import ApiconformError, UsageError
from apiconform.gate.run import DEFAULT_REPORT_DIR, run_gate
from apiconform.gate.selection import Selection
from apiconform.reference.serving import VARIANTS
from apiconform.registry import provider_names

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

    covered = commands.add_parser("coverage", help="how much of each provider's document the suite checks")
    covered.add_argument("providers", nargs="*", metavar="PROVIDER", help="default: all")
    covered.add_argument("--json", action="store_true", help="the numbers as JSON")
    covered.add_argument("--min", type=float, metavar="PERCENT", help="exit 1 when a provider is below it")
    covered.add_argument("--uncovered", action="store_true", help="list the uncovered and partial statements")

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
    add_traffic_commands(commands)
    return parser


def command_run(args: argparse.Namespace) -> int:
    """`apiconform run`: the gated run (apiconform.gate.run), then what it prints."""
    outcome = run_gate(
        args.providers,
        config=args.config,
        base_url=args.base_url,
        report_dir=args.report_dir,
        profile=args.profile,
        strict=args.strict,
        selection=Selection(tuple(args.select), tuple(args.deselect), args.level),
        waivers=args.waivers,
        compare=args.compare,
    )
    for stream, text in outcome.printed:
        print(text, file=sys.stdout if stream == "stdout" else sys.stderr)
    return outcome.exit_code


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
            "coverage": command_coverage,
            "baseline": command_baseline,
            "diff": command_diff,
            "report": command_report,
            "check": command_check,
            "proxy": command_proxy,
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
