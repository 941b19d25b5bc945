"""The whole run: `apiconform run` for every registered provider against the embedded reference
servers, in the gate and deep profiles, and where the time of a gate run goes. Run from the
repository root:

    python benchmarks/whole_run.py                   # 3 gate runs, 1 deep run, the profile (~3 min)
    python benchmarks/whole_run.py --gate-runs 1 --deep-runs 0 --no-profile

Each run is the CLI as a user runs it (`apiconform run [--profile deep] --report-dir DIR`, a fresh
process, all providers one after another): wall time of the command, and per provider the
requests, 429s, `unintended_throttled` and seconds from results.json; medians over the gate runs.

Where the time goes, from two more in-process gate runs (`apiconform.gate.run.run_gate`):
cProfile's top functions by cumulative time, and a partition of the main thread's wall time by a stack sampler
(every 2 ms; each sample goes to the first of these categories found anywhere on the stack:
network (a request from sending until its body is read, the in-process server's work included),
pacing waits, server start-up, server shut-down, imports, schema loading, response validation
(jsonschema, schemathesis checks), generation (hypothesis and schemathesis strategies, with the
suite code run inside property tests), and the rest (pytest, suite code, reports). cProfile's
cumulative times nest, so they do not add up; the sampler's categories do.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from _common import executable, machine, median, table

GATE_TARGET, GATE_AIM = 60.0, 30.0


@dataclass
class WholeRun:
    profile: str
    seconds: float
    exit_code: int
    #: provider -> {requests, throttled, unintended_throttled, seconds, conformant}
    providers: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return sum(int(p["requests"]) for p in self.providers.values())

    @property
    def throttled(self) -> int:
        return sum(int(p["throttled"]) for p in self.providers.values())

    @property
    def unintended(self) -> int:
        return sum(int(p["unintended_throttled"]) for p in self.providers.values())


def run_cli(profile: str, providers: list[str] | None = None) -> WholeRun:
    """`apiconform run` (every provider, or `providers`) in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="apiconform-bench-whole-") as folder:
        started = time.monotonic()
        process = subprocess.run(
            [
                executable("apiconform"),
                "run",
                *(providers or []),
                "--profile",
                profile,
                "--report-dir",
                folder,
            ],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        run = WholeRun(profile, time.monotonic() - started, process.returncode)
        document = json.loads((Path(folder) / "results.json").read_text(encoding="utf-8"))
    for entry in document["providers"]:
        run.providers[entry["name"]] = {
            "requests": entry.get("requests", 0),
            "throttled": entry.get("throttled", 0),
            "unintended_throttled": entry.get("unintended_throttled", 0),
            "seconds": entry.get("seconds", 0.0),
            "conformant": entry.get("conformant"),
        }
    return run


# -- where the time goes ------------------------------------------------------------------------

#: Categories that take a sample whenever one of their frames is anywhere on the stack, in
#: priority order: (category, predicate on (file name, function name))
DOMINANT: list[tuple[str, Any]] = [
    (
        "network (send to body read, in-process server included)",
        lambda f, n: f.endswith("apiconform/client.py") and n == "_exchange",
    ),
    ("pacing waits", lambda f, n: f.endswith("apiconform/pacing.py") and n == "acquire"),
    ("server start-up", lambda f, n: n == "start_reference"),
    ("server shut-down", lambda f, n: f.endswith("apiconform/reference/serving.py") and n == "stop"),
    ("imports", lambda f, n: "importlib._bootstrap" in f),
]
#: Otherwise the innermost frame matching one of these decides (so that jsonschema called by
#: hypothesis-jsonschema counts as generation, and called by a check as checking)
INNERMOST: list[tuple[str, Any]] = [
    (
        "schema loading",
        lambda f, n: (
            (f.endswith("checks/generated.py") and n == "openapi")
            or f.endswith("apiconform/schemastore.py")
            or "schemathesis/specs/openapi/loaders" in f
            or "schemathesis/openapi/loaders" in f
            or n == "load_catalogue"
        ),
    ),
    (
        "generation (hypothesis, hypothesis-jsonschema, schemathesis strategies)",
        lambda f, n: (
            "/hypothesis/" in f
            or "/hypothesis_jsonschema/" in f
            or "schemathesis/generation" in f
            or "schemathesis/specs/openapi/_hypothesis" in f
            or n == "as_strategy"
        ),
    ),
    (
        "checks and suite code (response validation included)",
        lambda f, n: (
            "/suites/" in f
            or "apiconform/checks/" in f
            or "schemathesis/specs/openapi/checks" in f
            or "schemathesis/checks" in f
        ),
    ),
]
CATEGORIES = DOMINANT + INNERMOST
OTHER = "the rest (pytest, session bookkeeping, reports)"

#: cProfile groups: (group, predicate on a function's own (file name, function name))
GROUPS: list[tuple[str, Any]] = [
    (
        "server start-up",
        lambda f, n: (
            n in ("start_reference", "create_app")
            or (n == "seed" and "apiconform/providers/" in f)
            or (f.endswith("apiconform/reference/serving.py") and n == "__init__")
        ),
    ),
    ("server shut-down", lambda f, n: f.endswith("apiconform/reference/serving.py") and n == "stop"),
    (
        "schema loading",
        lambda f, n: (
            (f.endswith("checks/generated.py") and n == "openapi")
            or (f.endswith("apiconform/schemastore.py") and n in ("validator", "_retrieve"))
            or "schemathesis/specs/openapi/loaders" in f
            or "schemathesis/openapi/loaders" in f
            or n == "load_catalogue"
        ),
    ),
    (
        "generation",
        lambda f, n: (
            ("/hypothesis/" in f and n in ("draw", "do_draw", "generate_new_examples", "example"))
            or "/hypothesis_jsonschema/" in f
            or "schemathesis/generation" in f
            or n == "as_strategy"
        ),
    ),
    ("network", lambda f, n: f.endswith("apiconform/client.py") and n in ("request", "_exchange", "_record")),
    ("pacing", lambda f, n: f.endswith("apiconform/pacing.py") and n in ("acquire", "release")),
    (
        "response validation",
        lambda f, n: (
            (f.endswith("jsonschema/validators.py") and n in ("iter_errors", "is_valid", "validate"))
            or "schemathesis/specs/openapi/checks" in f
        ),
    ),
]


def group_of(filename: str, name: str) -> str | None:
    for group, predicate in GROUPS:
        if predicate(filename, name):
            return group
    return None


def classify(frame: FrameType | None) -> str:
    """The category of a sample whose innermost frame is `frame` (see DOMINANT and INNERMOST)."""
    dominant: set[int] = set()
    innermost: str | None = None
    while frame is not None:
        code = frame.f_code
        for index, (_, predicate) in enumerate(DOMINANT):
            if predicate(code.co_filename, code.co_name):
                dominant.add(index)
        if innermost is None:
            for name, predicate in INNERMOST:
                if predicate(code.co_filename, code.co_name):
                    innermost = name
                    break
        frame = frame.f_back
    if dominant:
        return DOMINANT[min(dominant)][0]
    return innermost or OTHER


class Sampler:
    """Samples the main thread's stack every `interval` seconds; each sample weighs the wall
    time since the previous one."""

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.seconds: Counter[str] = Counter()
        self._stop = threading.Event()
        self._main = threading.main_thread().ident
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        last = time.perf_counter()
        while not self._stop.wait(self.interval):
            now = time.perf_counter()
            frame = sys._current_frames().get(self._main or 0)
            self.seconds[classify(frame)] += now - last
            last = now

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def in_process_gate_run() -> float:
    """The seconds of one gate run of every provider in this process (`run_gate`, what `apiconform
    run --report-dir DIR` calls), its imports included when they have not been made yet."""
    started = time.monotonic()
    from apiconform.gate.run import run_gate

    with tempfile.TemporaryDirectory(prefix="apiconform-bench-prof-") as folder:
        run_gate(report_dir=folder)
        return time.monotonic() - started


def where_the_time_goes(top: int) -> str:
    # the sampled run comes first, in a fresh interpreter (imports included), like a user's run
    with Sampler() as sampler:
        sampled_seconds = in_process_gate_run()
    profiler = cProfile.Profile()
    profiler.enable()
    profiled_seconds = in_process_gate_run()
    profiler.disable()
    total = sum(sampler.seconds.values())
    order = [name for name, _ in CATEGORIES] + [OTHER]
    rows = [
        [name, f"{sampler.seconds[name]:.1f}", f"{sampler.seconds[name] / total * 100:.0f}%"]
        for name in order
        if sampler.seconds[name] > 0
    ]
    lines = [
        f"In-process gate run (first in this process, imports included): {sampled_seconds:.1f} s, "
        "main thread partitioned by the stack sampler:",
        "",
        table(["category", "seconds", "share"], rows, "lrr"),
        "",
        f"cProfile of a second in-process gate run ({profiled_seconds:.1f} s under the profiler, "
        f"modules already imported): per group, the top {top} functions of the group's own modules "
        "by cumulative time (pytest's plumbing left out; nested calls overlap)",
        "",
    ]
    stats = pstats.Stats(profiler, stream=io.StringIO())
    grouped: dict[str, list[tuple[float, int, str]]] = {name: [] for name, _ in GROUPS}
    for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        group = group_of(filename, name)
        if group is not None:
            short = filename.split("site-packages/")[-1].split("/src/")[-1]
            grouped[group].append((cumulative, calls, f"{short}:{line}({name})"))
    rows = []
    for group, entries in grouped.items():
        for cumulative, calls, where in sorted(entries, reverse=True)[:top]:
            rows.append([group, f"`{where}`", f"{cumulative:.2f}", calls])
    lines.append(table(["group", "function", "cumulative s", "calls"], rows, "llrr"))
    return "\n".join(lines)


def render_runs(gate: list[WholeRun], deep: list[WholeRun]) -> str:
    lines = [f"Machine: {machine()}.", ""]
    rows: list[list[object]] = []
    for label, runs in (("gate", gate), ("deep", deep)):
        if not runs:
            continue
        names = list(runs[0].providers)
        for name in names:
            values = [run.providers[name] for run in runs if name in run.providers]
            rows.append(
                [
                    label,
                    name,
                    f"{median(float(v['seconds']) for v in values):.1f}",
                    f"{median(int(v['requests']) for v in values):.0f}",
                    f"{median(int(v['throttled']) for v in values):.0f}",
                    max(int(v["unintended_throttled"]) for v in values),
                    "yes" if all(v["conformant"] for v in values) else "NO",
                ]
            )
        rows.append(
            [
                label,
                f"**all ({len(runs)} run{'s' if len(runs) > 1 else ''}: "
                + ", ".join(f"{run.seconds:.1f}" for run in runs)
                + " s)**",
                f"**{median(run.seconds for run in runs):.1f}**",
                f"{median(run.requests for run in runs):.0f}",
                f"{median(run.throttled for run in runs):.0f}",
                max(run.unintended for run in runs),
                "yes" if all(run.exit_code == 0 for run in runs) else "NO",
            ]
        )
    lines.append(
        table(
            [
                "profile",
                "provider",
                "seconds (median)",
                "requests",
                "429s",
                "unintended 429s (max)",
                "conformant",
            ],
            rows,
            "llrrrrl",
        )
    )
    lines.append("")
    lines.append(
        "Provider seconds are the run's own (results.json: preflight to last rule); the **all** row is "
        "the wall time of the whole command (process start, imports, servers, reports)."
    )
    if gate:
        wall = median(run.seconds for run in gate)
        verdict = "met" if wall < GATE_TARGET else "NOT met"
        aim = "met" if wall < GATE_AIM else "not met"
        unintended = max(run.unintended for run in gate + deep)
        lines.append(
            f"Target: all providers under {GATE_TARGET:.0f} s in the gate profile: {verdict} "
            f"({wall:.1f} s; aim {GATE_AIM:.0f} s: {aim}). No unintended 429: "
            f"{'met' if unintended == 0 else f'NOT met ({unintended})'}."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gate-runs", type=int, default=3, help="default 3 (median)")
    parser.add_argument("--deep-runs", type=int, default=1, help="default 1")
    parser.add_argument("--no-profile", action="store_true", help="skip where-the-time-goes")
    parser.add_argument("--top", type=int, default=4, help="cProfile functions per group (default 4)")
    parser.add_argument("--providers", nargs="+", help="default: every registered provider")
    args = parser.parse_args(argv)
    gate = []
    for index in range(args.gate_runs):
        print(f"gate run {index + 1}/{args.gate_runs}", file=sys.stderr, flush=True)
        gate.append(run_cli("gate", args.providers))
    deep = []
    for index in range(args.deep_runs):
        print(f"deep run {index + 1}/{args.deep_runs}", file=sys.stderr, flush=True)
        deep.append(run_cli("deep", args.providers))
    print(render_runs(gate, deep))
    if not args.no_profile:
        print("profiling a gate run", file=sys.stderr, flush=True)
        print()
        print(where_the_time_goes(args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
