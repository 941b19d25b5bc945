"""Scale: how time and memory grow with the target's data size, and with providers run in
parallel processes. Run from the repository root:

    python benchmarks/scale.py                           # sizes 100, 1,000, 10,000; 1, 2, 4 processes
    python benchmarks/scale.py --sizes 100 --parallel 1 2

Data size: the Coliving reference server built with `create_app(options, extra_listings=N)`
(served by `RunningServer`, 1,000 requests per second per key) and a `ProviderConfig` pointing at
it with the same rate limit; the pagination, sorting and filtering rules (`coliving.pagination.*`,
`coliving.sorting.*`, `coliving.filtering.*`, gate profile) run against it. Each size runs in a
fresh interpreter: seconds to build the server's store, seconds of the run, requests, 429s,
memory the store holds (tracemalloc, while building it only) and the process' peak RSS
(ru_maxrss: the server and the suite together).

Parallel: N `apiconform run <provider>` processes at once (embedded servers, gate profile), the
providers taken in registry order and cyclically when fewer than N are registered; each
provider first runs alone for comparison. Per set: wall time, the sum of the same runs alone,
each process' seconds and peak RSS (os.wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from _common import credentials_for, executable, machine, table

PATTERNS = ["coliving.pagination.*", "coliving.sorting.*", "coliving.filtering.*"]
FAST = (1000, 1.0)


def child(size: int) -> dict[str, Any]:
    """In a fresh interpreter: build the server with `size` extra listings, run the rules."""
    from apiconform.config import ProviderConfig
    from apiconform.profile import RateLimit
    from apiconform.providers.coliving.server import create_app
    from apiconform.reference.serving import RunningServer, ServerOptions
    from apiconform.registry import get_profile
    from apiconform.run import run_provider

    profile = get_profile("coliving")
    credentials = credentials_for(profile.credentials)
    tracemalloc.start()
    started = time.monotonic()
    app = create_app(ServerOptions(credentials=credentials, rate_limit=FAST), extra_listings=size)
    build_seconds = time.monotonic() - started
    store_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with RunningServer(app) as server, tempfile.TemporaryDirectory() as folder:
        config = ProviderConfig(
            name="coliving", base_url=server.base_url, credentials=credentials, rate_limit=RateLimit(*FAST)
        )
        started = time.monotonic()
        result = run_provider(profile, config, report_dir=Path(folder), patterns=PATTERNS, allure=False)
        run_seconds = time.monotonic() - started
    return {
        "size": size,
        "build_seconds": build_seconds,
        "store_mib": store_bytes / 2**20,
        "run_seconds": run_seconds,
        "rules": len(result.rules),
        "passed": sum(1 for r in result.rules if r.outcome == "passed"),
        "requests": result.requests,
        "throttled": result.throttled,
        "unintended_throttled": result.unintended_throttled,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def data_size(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        print(f"data size {size}", file=sys.stderr, flush=True)
        process = subprocess.run(
            [sys.executable, __file__, "--child-size", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(process.stdout.strip().splitlines()[-1]))
    return rows


def run_processes(providers: list[str]) -> dict[str, Any]:
    """Start `apiconform run <provider>` for each provider at once; wall time, and per process
    its seconds, peak RSS and results."""
    with tempfile.TemporaryDirectory(prefix="apiconform-bench-scale-") as folder:
        started = time.monotonic()
        processes: dict[int, tuple[int, str, subprocess.Popen[bytes]]] = {}
        for index, provider in enumerate(providers):
            report = Path(folder) / f"{index}-{provider}"
            process = subprocess.Popen(
                [executable("apiconform"), "run", provider, "--report-dir", str(report)],
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes[process.pid] = (index, provider, process)
        runs: list[dict[str, Any]] = [{} for _ in providers]
        while processes:
            pid, status, usage = os.wait4(-1, 0)
            if pid not in processes:
                continue
            index, provider, process = processes.pop(pid)
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            document = json.loads((Path(folder) / f"{index}-{provider}" / "results.json").read_text())
            entry = document["providers"][0]
            runs[index] = {
                "provider": provider,
                "seconds": time.monotonic() - started,
                "max_rss_mib": usage.ru_maxrss / 1024,
                "exit_code": process.returncode,
                "requests": entry["requests"],
                "unintended_throttled": entry.get("unintended_throttled", 0),
            }
        return {"providers": providers, "wall": time.monotonic() - started, "runs": runs}


def parallel(counts: list[int]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    from apiconform.registry import provider_names

    names = list(provider_names())
    sets = [[names[i % len(names)] for i in range(count)] for count in counts]
    alone: dict[str, float] = {}
    for provider in dict.fromkeys(p for chosen in sets for p in chosen):
        print(f"alone: {provider}", file=sys.stderr, flush=True)
        alone[provider] = run_processes([provider])["wall"]
    results = []
    for chosen in sets:
        print(f"parallel: {', '.join(chosen)}", file=sys.stderr, flush=True)
        results.append(run_processes(chosen))
    return alone, results


def render(sizes: list[dict[str, Any]], alone: dict[str, float], sets: list[dict[str, Any]]) -> str:
    lines = [f"Machine: {machine()}.", ""]
    if sizes:
        lines.append(
            "Coliving pagination, sorting and filtering rules against N extra listings "
            "(1,000 requests/s per key):"
        )
        lines.append("")
        rows = [
            [
                f"{row['size']:,}",
                f"{row['build_seconds']:.2f}",
                f"{row['store_mib']:.1f}",
                f"{row['run_seconds']:.1f}",
                row["requests"],
                row["throttled"],
                row["unintended_throttled"],
                f"{row['passed']}/{row['rules']}",
                f"{row['max_rss_mib']:.0f}",
            ]
            for row in sizes
        ]
        lines.append(
            table(
                [
                    "extra listings",
                    "build s",
                    "store MiB",
                    "run s",
                    "requests",
                    "429s",
                    "unintended 429s",
                    "passed",
                    "peak RSS MiB",
                ],
                rows,
                "rrrrrrrrr",
            )
        )
        lines.append("")
    if sets:
        lines.append("`apiconform run <provider>` processes at once (embedded servers, gate profile):")
        lines.append("")
        rows = []
        for entry in sets:
            sequential = sum(alone[p] for p in entry["providers"])
            rows.append(
                [
                    len(entry["providers"]),
                    ", ".join(entry["providers"]),
                    f"{entry['wall']:.1f}",
                    f"{sequential:.1f}",
                    ", ".join(
                        f"{run['seconds']:.1f} ({alone[run['provider']]:.1f})" for run in entry["runs"]
                    ),
                    ", ".join(f"{run['max_rss_mib']:.0f}" for run in entry["runs"]),
                    sum(run["unintended_throttled"] for run in entry["runs"]),
                    "yes" if all(run["exit_code"] == 0 for run in entry["runs"]) else "NO",
                ]
            )
        lines.append(
            table(
                [
                    "processes",
                    "providers",
                    "wall s",
                    "same runs alone, summed s",
                    "each process s (alone)",
                    "peak RSS MiB each",
                    "unintended 429s",
                    "all exit 0",
                ],
                rows,
                "rlrrllrl",
            )
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--parallel", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_size is not None:
        print(json.dumps(child(args.child_size)))
        return 0
    sizes = data_size(args.sizes)
    alone, sets = parallel(args.parallel) if args.parallel else ({}, [])
    print(render(sizes, alone, sets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
