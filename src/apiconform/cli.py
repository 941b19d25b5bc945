"""The `apiconform` command: run | serve | rules | faults.

Exit codes: 0 conformant (no MUST rule failed or errored; with --strict, no SHOULD either);
1 not conformant; 2 usage or configuration error (including credentials the target refuses);
3 target unreachable. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from apiconform import __version__
from apiconform.config import ProviderConfig, load_config, with_base_url
from apiconform.errors import ApiconformError, ConfigError, UsageError
from apiconform.masking import Masker
from apiconform.profile import RateLimit
from apiconform.registry import get_profile, provider_names
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
        "--rule", action="append", dest="rules", metavar="GLOB", help="run only matching rule ids"
    )

    serve = commands.add_parser("serve", help="start a reference server")
    serve.add_argument("provider", metavar="PROVIDER")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--fault", action="append", default=[], metavar="NAME", help="switch on a fault")
    serve.add_argument(
        "--quirky", action="store_true", help="the conformant variant that differs where allowed"
    )
    serve.add_argument(
        "--rate-limit", metavar="N/SECONDS", help="per-key limit (default: the documented one)"
    )
    serve.add_argument("--config", help="take the accepted credentials from this config file")

    rules = commands.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("provider", nargs="?", metavar="PROVIDER")

    faults = commands.add_parser("faults", help="list the reference servers' fault catalogues")
    faults.add_argument("provider", nargs="?", metavar="PROVIDER")
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


def command_run(args: argparse.Namespace) -> int:
    from apiconform.report.junit import write_junit
    from apiconform.report.results import results_document, write_results
    from apiconform.report.scrub import scrub_tree
    from apiconform.report.summary import summary_table

    config = load_config(args.config)
    names = _providers(args.providers)
    if args.base_url and len(names) != 1:
        raise UsageError("--base-url needs exactly one PROVIDER")
    provider_configs = []
    for name in names:
        provider_config = config.provider(name)
        if args.base_url:
            provider_config = with_base_url(provider_config, args.base_url)
        _check_credentials(provider_config)
        provider_configs.append(provider_config)

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
                    patterns=args.rules,
                    run_profile=args.profile,
                    masker=masker,
                )
            )
    except KeyboardInterrupt:
        interrupted = True
    code = _exit_code(results, args.strict)
    if interrupted:
        code = max(code, EXIT_NOT_CONFORMANT)
    document = results_document(
        results,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        profile=args.profile,
        strict=args.strict,
        exit_code=code,
    )
    write_results(report_dir / "results.json", document)
    write_junit(report_dir / "junit.xml", results)
    scrub_tree(report_dir, masker)
    print(masker.mask(summary_table(results, strict=args.strict)))
    print(f"results: {report_dir / 'results.json'}  junit: {report_dir / 'junit.xml'}  exit code: {code}")
    if interrupted:
        print("apiconform: interrupted; partial results written", file=sys.stderr)
    return code


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
    from apiconform.serving import ServerOptions

    profile = get_profile(args.provider)
    try:
        faults = profile.faults().validate(args.fault)
    except ValueError as exc:
        raise UsageError(f"--fault: {exc}") from None
    configured = load_config(args.config).provider(profile.name).credentials if args.config else {}
    credentials = {
        name: configured.get(name) or f"{profile.name}-demo-{name.replace('_', '-')}"
        for name in profile.credentials
    }
    rate = _parse_rate(args.rate_limit, profile.documented_rate_limit)
    options = ServerOptions(
        credentials=credentials,
        faults=faults,
        quirky=args.quirky,
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
        f"faults: {', '.join(sorted(faults)) or 'none'}; quirky: {args.quirky}; "
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


def main(argv: Sequence[str] | None = None) -> int:
    started = time.monotonic()
    try:
        args = build_parser().parse_args(argv)
        handler = {
            "run": command_run,
            "serve": command_serve,
            "rules": command_rules,
            "faults": command_faults,
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
