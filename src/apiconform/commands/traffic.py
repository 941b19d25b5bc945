"""`apiconform check` and `apiconform proxy`: conformance from traffic the user already has
(apiconform.observed), at zero requests of apiconform's own, with the reports of `apiconform run`.

Exit codes as `apiconform run`: 0 conformant (no MUST rule failed; with --strict no SHOULD
either), 1 not conformant, 2 usage (an unknown provider, a file that cannot be read or is neither
a HAR file nor JSON lines, a bad config), 3 nothing usable (not one exchange of the provider's
API in the traffic: every entry was for another host, or had no response).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apiconform.config import ProviderConfig, load_config
from apiconform.errors import UsageError
from apiconform.gate.selection import Selection
from apiconform.masking import Masker
from apiconform.observed.judge import ObservedRun, judge_traffic, observable, verdicts
from apiconform.observed.observer import provider_observers
from apiconform.observed.reader import TrafficReader
from apiconform.observed.tally import Tally
from apiconform.profile import Profile
from apiconform.registry import get_profile
from apiconform.rules import Rule, load_catalogue

OBSERVED_MODE = "observed"


def add_arguments(commands: argparse._SubParsersAction[Any]) -> None:
    """The `check` and `proxy` subcommands of `apiconform`."""
    check = commands.add_parser("check", help="judge recorded traffic (HAR, JSON lines) against the rules")
    check.add_argument("provider", metavar="PROVIDER")
    check.add_argument("files", nargs="+", metavar="FILE", help="HAR 1.2 or JSON-lines files (.gz too)")
    proxy = commands.add_parser("proxy", help="forward your own traffic to the API, record and judge it")
    proxy.add_argument("provider", metavar="PROVIDER")
    proxy.add_argument("--upstream", required=True, metavar="URL", help="the API's base URL")
    proxy.add_argument("--listen", default="127.0.0.1:8080", metavar="HOST:PORT")
    proxy.add_argument("--record", metavar="FILE", help="also write the exchanges as JSON lines (masked)")
    for parser in (check, proxy):
        parser.add_argument(
            "--config", help="config file: its credentials are masked (default: ./apiconform.toml)"
        )
        parser.add_argument("--report-dir", default="reports", help="output folder (default: reports)")
        parser.add_argument("--strict", action="store_true", help="SHOULD rules also decide the exit code")
        parser.add_argument("--select", "--rule", action="append", dest="select", default=[], metavar="GLOB")
        parser.add_argument("--deselect", action="append", default=[], metavar="GLOB")
        parser.add_argument("--level", choices=("MUST", "SHOULD"))
    check.add_argument("--base-url", help="the API's base URL in the traffic (default: config, or inferred)")


def provider_setup(args: argparse.Namespace) -> tuple[Profile, ProviderConfig, Masker, list[Rule]]:
    """The provider, its config (for credentials and base URL), a masker holding every configured
    secret, and the selected rules."""
    profile = get_profile(args.provider)
    config_path = (
        args.config if args.config else ("apiconform.toml" if Path("apiconform.toml").is_file() else None)
    )
    config = load_config(config_path).provider(profile.name)
    masker = Masker()
    for name, value in config.credentials.items():
        if name not in profile.public_credentials:
            masker.add(value)
    for derived in profile.derived_secrets(config.credentials):
        masker.add(derived)
    selection = Selection(tuple(args.select), tuple(args.deselect), args.level)
    rules = selection.rules(load_catalogue(profile.name))
    if not observable(rules, provider_observers(profile, config.options)):
        raise UsageError(f"no rule of {profile.name} the selection keeps can be judged from traffic")
    return profile, config, masker, rules


def write_observed(
    run: ObservedRun, masker: Masker, report_dir: Path, started_at: datetime, *, strict: bool
) -> tuple[int, list[tuple[str, str]]]:
    """Write every report of an observed run; return its exit code and what to print."""
    from apiconform.gate.run import exit_code_of
    from apiconform.report.folder import prepare_report_dir, write_reports
    from apiconform.report.results import results_document
    from apiconform.report.summary import summary_table

    prepare_report_dir(report_dir)
    document = results_document(
        [run.result],
        started_at=started_at,
        finished_at=datetime.now(UTC),
        profile="gate",
        strict=strict,
        exit_code=0,
    )
    document["mode"] = OBSERVED_MODE
    document["providers"][0]["traffic"] = run.traffic_doc()
    code = exit_code_of(document, [run.result], interrupted=False)
    document["exit_code"] = code
    printed: list[tuple[str, str]] = [("stderr", f"apiconform: warning: {w}") for w in run.stats.warnings]
    printed += [("stderr", w) for w in write_reports(report_dir, document, [run.result], masker, started_at)]
    if run.result.error:
        printed.append(("stderr", f"apiconform: {masker.mask(run.result.error)}"))
    printed.append(("stdout", masker.mask(summary_table(document))))
    stats = run.stats
    skipped = sum(stats.skipped.values())
    printed.append(
        (
            "stdout",
            f"traffic: {stats.entries} entries read, {stats.used} judged, {skipped} skipped; "
            f"0 requests sent. results: {report_dir / 'results.json'}  report: {report_dir / 'report.html'}  "
            f"exit code: {code}",
        )
    )
    return code, printed


def _say(printed: Iterable[tuple[str, str]]) -> None:
    for stream, text in printed:
        print(text, file=sys.stdout if stream == "stdout" else sys.stderr)


def command_check(args: argparse.Namespace) -> int:
    """Judge the traffic files against the provider's observable rules; write the reports."""
    profile, config, masker, rules = provider_setup(args)
    for name in args.files:
        if not Path(name).is_file():
            raise UsageError(f"{name}: no such traffic file")
    base_url = args.base_url or config.base_url
    if base_url:
        base_url = profile.normalize_base_url(base_url.rstrip("/"))
    started_at = datetime.now(UTC)
    reader = TrafficReader(profile, masker, base_url=base_url)
    run = judge_traffic(profile, rules, reader.read(args.files), reader.stats, masker, options=config.options)
    code, printed = write_observed(run, masker, Path(args.report_dir), started_at, strict=args.strict)
    _say(printed)
    return code


def command_proxy(args: argparse.Namespace) -> int:
    """Forward the user's traffic to --upstream until interrupted, then write the reports."""
    from apiconform.observed.proxy import (
        Recorder,
        listening_socket,
        open_record,
        proxy_app,
        serve_until_interrupted,
    )

    profile, config, masker, rules = provider_setup(args)
    upstream = args.upstream.rstrip("/")
    if not upstream.startswith(("http://", "https://")):
        raise UsageError(f"--upstream: expected an http(s) URL, got {upstream!r}")
    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--listen: expected HOST:PORT, got {args.listen!r}")
    observers = provider_observers(profile, config.options)
    judged = observable(rules, observers)
    tally = Tally(tuple(r.id for r in judged), masker)
    for observer in observers:
        for rule, need in observer.needs.items():
            tally.needs.setdefault(rule, need)
    reader = TrafficReader(profile, masker, base_url=upstream)
    record = open_record(args.record)
    recorder = Recorder(reader, observers, tally, record)
    started_at = datetime.now(UTC)
    app = proxy_app(upstream, recorder, timeout=config.timeout, verify=config.verify)
    sock = listening_socket(host, int(port), args.listen)
    print(
        f"apiconform: proxy for {profile.name} on http://{args.listen} -> {masker.mask(upstream)}; "
        "Ctrl-C writes the reports",
        file=sys.stderr,
        flush=True,
    )
    serve_until_interrupted(app, sock)
    if record is not None:
        record.close()
    recorder.finish()
    run = verdicts(profile, judged, tally, reader.stats)
    code, printed = write_observed(run, masker, Path(args.report_dir), started_at, strict=args.strict)
    printed.append(("stdout", f"proxy: {recorder.forwarded} requests forwarded, none of its own"))
    _say(printed)
    return code
