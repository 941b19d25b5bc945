"""apiconform next to plain schemathesis: the same OpenAPI documents, the same reference servers,
the same faults. Run from the repository root:

    python benchmarks/compare_schemathesis.py                      # everything (about 15 minutes)
    python benchmarks/compare_schemathesis.py --providers spaces   # one provider
    python benchmarks/compare_schemathesis.py --providers spaces --faults no-hsts --max-examples 3 \
        --clean-max-examples 3

For each registered provider with `schemas/<provider>/openapi.yaml` (Livespace has none: only
apiconform runs there), against its embedded reference server started with the same credentials
and the rate limit `apiconform run` gives it (`Profile.embedded_rate_limit`):

1. clean server, schemathesis CLI with its default settings (`schemathesis run <openapi.yaml>
   --url <base_url> <auth>`: 100 examples per operation, a random seed): wall time of the
   command, requests and 429s counted server-side (an ASGI counting wrapper), failures it reports
   on the conformant server;
2. the same with `--rate-limit` equal to the server's limit;
3. clean server, `apiconform run <provider>` (the CLI, gate profile): wall time, requests and 429s
   from results.json, `unintended_throttled`, conformant;
4. every fault of the catalogue: schemathesis, rate-limited as in 2 (so that 429s do not blur the
   comparison) and with `-n 25 --seed 1` (`--max-examples`, `--seed`: reproducible, and the
   sweep's 170-odd runs stay near a quarter of an hour), detects the fault if its run reports a
   failure (check title and operation, or an error title) that none of the clean rate-limited
   runs (2, and one with the sweep's settings) reports;
   apiconform detects it if a rule the fault names fails, running only the named rules
   (`--apiconform-scope suite` runs the whole suite per fault instead: slower).

Each schemathesis run is time-boxed (`--timeout`, recorded as a timeout: not detected); the sweep
runs `--jobs` tasks at a time in separate processes. Prints Markdown tables (benchmarks/README.md)
and, with `--json FILE`, writes every run's raw numbers and failure sets.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from _common import ROOT, counting_profile, credentials_for, executable, machine, rate_text, table

SCHEMAS = ROOT / "schemas"
#: seconds a clean run with schemathesis' defaults may take
CLEAN_TIMEOUT = 900.0


@dataclass
class StRun:
    """One schemathesis CLI run against one server."""

    provider: str
    fault: str | None
    rate_limited: bool
    seconds: float = 0.0
    requests: int = 0
    throttled: int = 0
    exit_code: int | None = None
    timed_out: bool = False
    #: failing (check, operation) pairs and ("error", title) pairs the run reported
    signature: list[tuple[str, str]] = field(default_factory=list)
    test_cases: int = 0
    problem: str | None = None


@dataclass
class AcRun:
    """One apiconform run (whole suite, or the rules a fault names)."""

    provider: str
    fault: str | None
    scope: str
    seconds: float = 0.0
    requests: int = 0
    throttled: int = 0
    unintended_throttled: int = 0
    conformant: bool = False
    detected: bool = False
    failed_rules: list[str] = field(default_factory=list)
    problem: str | None = None


def openapi_document(provider: str) -> Path | None:
    path = SCHEMAS / provider / "openapi.yaml"
    return path if path.is_file() else None


def schemathesis_auth(
    provider: str, base_url: str, verify: bool | str, credentials: dict[str, str]
) -> list[str]:
    """The CLI options that authenticate as the provider documents it (LeadDesk: a Bearer token
    fetched first from the server's token endpoint with the password grant)."""
    if provider == "coliving":
        return ["-H", f"X-API-Key: {credentials['api_key']}"]
    if provider == "spaces":
        return ["--auth", f"{credentials['access_token']}:"]  # Basic, token as user, empty password
    if provider == "leaddesk":
        import httpx

        from apiconform.providers.leaddesk.profile import TOKEN_PATH, password_grant

        response = httpx.post(
            base_url + TOKEN_PATH, json=password_grant(credentials), verify=verify, trust_env=False
        )
        response.raise_for_status()
        return ["-H", f"Authorization: Bearer {response.json()['access_token']}"]
    raise ValueError(f"no schemathesis authentication known for {provider}")


def report_signature(report: dict[str, Any]) -> list[tuple[str, str]]:
    """What a schemathesis JSON report says failed: (check code and title, operation) pairs,
    plus ("error", title) for errors."""
    found = {
        (f"{failure['code']} {failure['title']}", operation)
        for failure in report.get("failures", [])
        for operation in failure.get("operations", [])
    }
    found |= {("error", str(error.get("title"))) for error in report.get("errors", [])}
    return sorted(found)


def run_schemathesis(
    provider: str,
    fault: str | None,
    rate_limited: bool,
    max_examples: int | None,
    seed: int | None,
    timeout: float,
) -> StRun:
    """Start the provider's reference server (with `fault`), run the schemathesis CLI against it
    in a fresh working directory, and count what the server received."""
    from apiconform.reference.serving import ServerOptions

    document = openapi_document(provider)
    assert document is not None
    profile, apps = counting_profile(provider)
    credentials = credentials_for(profile.credentials)
    limit = profile.embedded_rate_limit
    run = StRun(provider, fault, rate_limited)
    deployment = profile.start_reference(
        ServerOptions(
            credentials=credentials,
            faults=frozenset([fault] if fault else []),
            rate_limit=(limit.requests, limit.per_seconds),
        )
    )
    try:
        with tempfile.TemporaryDirectory(prefix="apiconform-bench-st-") as folder:
            report_path = Path(folder) / "report.json"
            started = time.monotonic()
            try:
                auth = schemathesis_auth(provider, deployment.base_url, deployment.verify, credentials)
            except Exception as exc:
                run.problem = f"could not authenticate: {exc}"
                auth = []
            command = [
                executable("schemathesis"),
                "run",
                str(document),
                "--url",
                deployment.base_url,
                *auth,
                *(["--max-examples", str(max_examples)] if max_examples is not None else []),
                *(["--seed", str(seed)] if seed is not None else []),
                "--report",
                "json",
                "--report-json-path",
                str(report_path),
                "--no-color",
            ]
            if isinstance(deployment.verify, str):
                command += ["--tls-verify", deployment.verify]
            if rate_limited:
                command += ["--rate-limit", rate_text(limit.requests, limit.per_seconds)]
            try:
                process = subprocess.run(
                    command, cwd=folder, capture_output=True, text=True, timeout=timeout, check=False
                )
                run.exit_code = process.returncode
            except subprocess.TimeoutExpired:
                run.timed_out = True
            run.seconds = round(time.monotonic() - started, 2)
            if report_path.is_file():
                report = json.loads(report_path.read_text(encoding="utf-8"))
                run.signature = report_signature(report)
                run.test_cases = int(report.get("test_cases", {}).get("generated", 0))
            elif not run.timed_out:
                tail = (process.stdout + process.stderr).strip().splitlines()[-3:]
                run.problem = run.problem or f"no report (exit {run.exit_code}): {' / '.join(tail)}"
    finally:
        deployment.stop()
    run.requests = sum(app.requests for app in apps)
    run.throttled = sum(app.throttled for app in apps)
    return run


def run_apiconform_fault(provider: str, fault: str, scope: str) -> AcRun:
    """apiconform against the embedded server with `fault`: the rules it names, or the suite;
    with the opt-in settings the project's fault tests set (tests/conformance.py: LeadDesk waits
    out its tokens, so that the expiry rules reach a verdict)."""
    from tests.conformance import opt_in

    from apiconform.run import run_provider

    profile, _ = counting_profile(provider)
    named = profile.faults()[fault].rules
    run = AcRun(provider, fault, scope)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="apiconform-bench-ac-") as folder:
        result = run_provider(
            profile,
            opt_in(provider),
            report_dir=Path(folder),
            patterns=None if scope == "suite" else list(named),
            faults=[fault],
            allure=False,
        )
    run.seconds = round(time.monotonic() - started, 2)
    run.requests, run.throttled = result.requests, result.throttled
    run.unintended_throttled = result.unintended_throttled
    run.conformant = result.conformant()
    run.failed_rules = [r.rule.id for r in result.rules if r.outcome == "failed"]
    run.detected = any(rule in named for rule in run.failed_rules)
    run.problem = result.error
    return run


def run_apiconform_cli(provider: str) -> AcRun:
    """`apiconform run <provider>` (gate profile) against its embedded server, as a user runs it."""
    run = AcRun(provider, None, "suite (CLI)")
    with tempfile.TemporaryDirectory(prefix="apiconform-bench-cli-") as folder:
        started = time.monotonic()
        process = subprocess.run(
            [executable("apiconform"), "run", provider, "--report-dir", folder],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        run.seconds = round(time.monotonic() - started, 2)
        results = Path(folder) / "results.json"
        if not results.is_file():
            run.problem = f"exit {process.returncode}: {process.stderr.strip()[-300:]}"
            return run
        document = json.loads(results.read_text(encoding="utf-8"))
    entry = document["providers"][0]
    run.requests = int(entry.get("requests", 0))
    run.throttled = int(entry.get("throttled", 0))
    run.unintended_throttled = int(entry.get("unintended_throttled", 0))
    run.conformant = bool(entry.get("conformant"))
    run.failed_rules = [rule["id"] for rule in entry["rules"] if rule["outcome"] in ("failed", "error")]
    return run


@dataclass
class ProviderReport:
    provider: str
    faults: list[str]
    st_default: StRun | None = None
    st_limited: StRun | None = None
    st_clean_again: StRun | None = None
    ac_clean: AcRun | None = None
    st_faults: dict[str, StRun] = field(default_factory=dict)
    ac_faults: dict[str, AcRun] = field(default_factory=dict)

    def baseline(self) -> set[tuple[str, str]]:
        runs = [self.st_limited, self.st_clean_again]
        return {tuple(pair) for run in runs if run is not None for pair in run.signature}  # type: ignore[misc]

    def st_detected(self, fault: str) -> bool:
        run = self.st_faults.get(fault)
        if run is None or run.timed_out:
            return False
        return bool({tuple(pair) for pair in run.signature} - self.baseline())

    def st_new_failures(self, fault: str) -> list[tuple[str, str]]:
        run = self.st_faults[fault]
        return sorted({tuple(pair) for pair in run.signature} - self.baseline())  # type: ignore[misc]


def _providers(requested: Sequence[str] | None) -> list[str]:
    from apiconform.registry import provider_names

    known = provider_names()
    if requested is None:
        return list(known)
    unknown = [name for name in requested if name not in known]
    if unknown:
        raise SystemExit(f"unknown provider(s) {unknown}; registered: {', '.join(known)}")
    return list(requested)


def measure(args: argparse.Namespace) -> list[ProviderReport]:
    from apiconform.registry import get_profile

    reports = []
    for provider in _providers(args.providers):
        catalogue = get_profile(provider).faults()
        chosen = args.faults if args.faults else list(catalogue.names)
        reports.append(ProviderReport(provider, [name for name in chosen if name in catalogue]))
    # 1-3, one at a time so that the wall times are not disturbed
    for report in reports:
        print(f"[{report.provider}] clean server", file=sys.stderr, flush=True)
        if openapi_document(report.provider) is not None:
            defaults = (args.clean_max_examples, None, CLEAN_TIMEOUT)  # schemathesis' own defaults
            if not args.skip_default:
                report.st_default = run_schemathesis(report.provider, None, False, *defaults)
            report.st_limited = run_schemathesis(report.provider, None, True, *defaults)
        report.ac_clean = run_apiconform_cli(report.provider)
    # 4, the fault sweep, `jobs` at a time; the longest tasks (schemathesis) first
    context = multiprocessing.get_context("spawn")
    started = time.monotonic()
    # no max_tasks_per_child: with it, Python 3.11's pool can hang once workers retire
    # (CPython gh-115634)
    with ProcessPoolExecutor(args.jobs, mp_context=context) as pool:
        st_jobs: list[tuple[ProviderReport, str | None, Future[StRun]]] = []
        ac_jobs: list[tuple[ProviderReport, str, Future[AcRun]]] = []
        for report in reports:
            if openapi_document(report.provider) is None:
                continue
            st = (args.max_examples, args.seed, args.timeout)
            st_jobs.append((report, None, pool.submit(run_schemathesis, report.provider, None, True, *st)))
            for fault in report.faults:
                st_jobs.append(
                    (report, fault, pool.submit(run_schemathesis, report.provider, fault, True, *st))
                )
        for report in reports:
            for fault in report.faults:
                future = pool.submit(run_apiconform_fault, report.provider, fault, args.apiconform_scope)
                ac_jobs.append((report, fault, future))
        total = len(st_jobs) + len(ac_jobs)
        print(f"fault sweep: {total} runs, {args.jobs} at a time", file=sys.stderr, flush=True)
        finished = [0]

        def progress(_: Future[Any]) -> None:
            finished[0] += 1
            if finished[0] % 25 == 0 or finished[0] == total:
                elapsed = time.monotonic() - started
                print(f"  {finished[0]}/{total} runs, {elapsed:.0f} s", file=sys.stderr, flush=True)

        for future in [job[2] for job in st_jobs] + [job[2] for job in ac_jobs]:
            future.add_done_callback(progress)
        for report, maybe_fault, st_future in st_jobs:
            result = st_future.result()
            if maybe_fault is None:
                report.st_clean_again = result
            else:
                report.st_faults[maybe_fault] = result
        for report, fault, ac_future in ac_jobs:
            report.ac_faults[fault] = ac_future.result()
    print(f"fault sweep took {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return reports


def _st_row(provider: str, label: str, run: StRun | None) -> list[object]:
    if run is None:
        return [provider, label, "n/a", "n/a", "n/a", "n/a", "n/a"]
    seconds = f"timeout ({run.seconds:.0f})" if run.timed_out else f"{run.seconds:.1f}"
    failures = len({pair for pair in map(tuple, run.signature)})
    return [provider, label, seconds, run.requests, run.throttled, "-", f"{failures} reported"]


def render(reports: list[ProviderReport], args: argparse.Namespace) -> str:
    from apiconform.registry import get_profile

    out = [
        f"Machine: {machine()}. Clean runs: schemathesis' defaults; fault sweep: schemathesis "
        f"-n {args.max_examples} --seed {args.seed}, rate-limited.",
        "",
    ]
    rows: list[list[object]] = []
    for report in reports:
        limit = get_profile(report.provider).embedded_rate_limit
        if openapi_document(report.provider) is None:
            rows.append([report.provider, "schemathesis", "n/a: no OpenAPI document", "", "", "", ""])
        else:
            rows.append(_st_row(report.provider, "schemathesis, defaults", report.st_default))
            rate = rate_text(limit.requests, limit.per_seconds)
            rows.append(_st_row(report.provider, f"schemathesis --rate-limit {rate}", report.st_limited))
        ac = report.ac_clean
        if ac is not None:
            verdict = (
                "conformant" if ac.conformant else f"NOT conformant {ac.failed_rules} {ac.problem or ''}"
            )
            rows.append(
                [
                    report.provider,
                    "apiconform run (gate)",
                    f"{ac.seconds:.1f}",
                    ac.requests,
                    ac.throttled,
                    ac.unintended_throttled,
                    verdict,
                ]
            )
    out.append("Clean (conformant) server, embedded rate limit:")
    out.append("")
    out.append(
        table(
            ["provider", "run", "seconds", "requests", "429s", "unintended 429s", "on the conformant server"],
            rows,
            "llrrrrl",
        )
    )
    out.append("")
    scope = "the rules each fault names" if args.apiconform_scope == "named" else "the whole suite"
    out.append(
        "Faults detected (schemathesis rate-limited: a failure no clean run reports; apiconform, "
        f"running {scope}: a named rule fails):"
    )
    out.append("")
    rows = []
    for report in reports:
        n = len(report.faults)
        ac_hits = {f for f in report.faults if report.ac_faults.get(f) and report.ac_faults[f].detected}
        ac_requests = sum(run.requests for run in report.ac_faults.values())
        if openapi_document(report.provider) is None:
            rows.append(
                [
                    report.provider,
                    n,
                    "n/a",
                    f"{len(ac_hits)}/{n}",
                    "n/a",
                    "n/a",
                    "n/a",
                    "n/a",
                    f"n/a / {ac_requests}",
                ]
            )
            continue
        st_hits = {f for f in report.faults if report.st_detected(f)}
        timeouts = sum(1 for f in report.faults if report.st_faults[f].timed_out)
        st_requests = sum(run.requests for run in report.st_faults.values())
        rows.append(
            [
                report.provider,
                n,
                f"{len(st_hits)}/{n}" + (f" ({timeouts} timed out)" if timeouts else ""),
                f"{len(ac_hits)}/{n}",
                len(st_hits & ac_hits),
                len(st_hits - ac_hits),
                len(ac_hits - st_hits),
                n - len(st_hits | ac_hits),
                f"{st_requests} / {ac_requests}",
            ]
        )
    out.append(
        table(
            [
                "provider",
                "faults",
                "schemathesis",
                "apiconform",
                "both",
                "only schemathesis",
                "only apiconform",
                "neither",
                "sweep requests (st / ac)",
            ],
            rows,
            "lrrrrrrrr",
        )
    )
    for report in reports:
        if openapi_document(report.provider) is None:
            continue
        hits = [f for f in report.faults if report.st_detected(f)]
        clean_a = {tuple(p) for p in report.st_limited.signature} if report.st_limited else set()
        clean_b = {tuple(p) for p in report.st_clean_again.signature} if report.st_clean_again else set()
        out.append("")
        out.append(
            f"{report.provider}: schemathesis detected {', '.join(hits) or 'none'}. "
            "Clean rate-limited runs (schemathesis' defaults; the sweep's settings) report the same "
            f"failures: {'yes' if clean_a == clean_b else 'no'}."
        )
    return "\n".join(out)


def to_json(reports: list[ProviderReport]) -> dict[str, Any]:
    return {
        "machine": machine(),
        "providers": [
            {
                **asdict(report),
                "st_detected": [f for f in report.faults if report.st_detected(f)]
                if openapi_document(report.provider)
                else None,
                "st_new_failures": {
                    f: report.st_new_failures(f) for f in report.faults if f in report.st_faults
                },
            }
            for report in reports
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--providers", nargs="+", help="default: every registered provider")
    parser.add_argument("--faults", nargs="+", help="only these faults (default: each catalogue)")
    parser.add_argument("--max-examples", type=int, default=25, help="schemathesis -n (default 25)")
    parser.add_argument("--seed", type=int, default=1, help="schemathesis --seed (default 1)")
    parser.add_argument(
        "--clean-max-examples", type=int, help="-n of the clean runs (default: schemathesis' own, 100)"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per schemathesis run")
    parser.add_argument("--jobs", type=int, default=4, help="fault-sweep runs at a time (default 4)")
    parser.add_argument(
        "--apiconform-scope",
        choices=("named", "suite"),
        default="named",
        help="per fault, run the rules it names (default) or the whole suite",
    )
    parser.add_argument(
        "--skip-default", action="store_true", help="skip schemathesis' unthrottled clean run"
    )
    parser.add_argument("--json", type=Path, help="write the raw results to this file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    reports = measure(args)
    print(render(reports, args))
    print(f"\nTotal: {time.monotonic() - started:.0f} s.")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(to_json(reports), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
