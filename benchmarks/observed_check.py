"""Observed mode at scale: `apiconform check` throughput (exchanges per second) and peak memory on
a generated HAR of many entries (default 100,000).

What it does: one embedded `apiconform run PROVIDER` records real traffic (its traffic.har);
that run's entries are repeated, in order, into a HAR of `--entries` entries, written entry by
entry (the file is never held in memory); then `apiconform check PROVIDER FILE` runs in a fresh
process, which reports its own peak resident memory (getrusage ru_maxrss) as it exits. The same
is done on the original HAR, so the table shows what memory the size of the traffic adds: the
HAR is parsed as a stream (ijson), so the peak should not grow with the file.

    python benchmarks/observed_check.py                 # 100,000 entries (~2 min)
    python benchmarks/observed_check.py --entries 1000  # a quick look
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, machine, table

#: runs `apiconform check` and prints its peak resident memory (KiB) on stderr as it exits
WRAPPER = """
import resource, runpy, sys
sys.argv = ["apiconform"] + sys.argv[1:]
try:
    runpy.run_module("apiconform.cli", run_name="__main__")
finally:
    print("PEAK_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def record(provider: str, folder: Path) -> Path:
    """traffic.har of one embedded run of `provider`."""
    subprocess.run(
        [sys.executable, "-m", "apiconform.cli", "run", provider, "--report-dir", str(folder)],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    return folder / "traffic.har"


def generate(source: Path, target: Path, entries: int) -> int:
    """A HAR of `entries` entries repeating `source`'s, written one at a time; its size in bytes."""
    document = json.loads(source.read_text(encoding="utf-8"))
    log = document["log"]
    recorded = log["entries"]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with target.open("w", encoding="utf-8") as out:
        head = {key: value for key, value in log.items() if key != "entries"}
        out.write('{"log": ' + json.dumps(head)[:-1] + ', "entries": [\n')
        texts = [json.dumps(entry) for entry in recorded]
        for index in range(entries):
            cycle, position = divmod(index, len(recorded))
            # each repetition gets its own request ids and idempotency keys, as new traffic would
            text = texts[position].replace("req_", f"req_{cycle}x").replace("idem-", f"idem-{cycle}x")
            entry = json.loads(text)
            moment = start + timedelta(milliseconds=10 * index)
            entry["startedDateTime"] = moment.isoformat(timespec="milliseconds")
            out.write(("," if index else "") + json.dumps(entry) + "\n")
        out.write("]}}\n")
    return target.stat().st_size


def check(provider: str, har: Path, report_dir: Path) -> tuple[float, int, int, int]:
    """(seconds, peak KiB, entries judged, exit code) of `apiconform check PROVIDER HAR`."""
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-c", WRAPPER, "check", provider, str(har), "--report-dir", str(report_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    peak = next(int(line.split()[1]) for line in process.stderr.splitlines() if line.startswith("PEAK_KIB"))
    results = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    judged = results["providers"][0]["traffic"]["judged"]
    return seconds, peak, judged, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--provider", default="coliving")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="apiconform-observed-") as folder:
        work = Path(folder)
        source = record(args.provider, work / "run")
        big = work / "big.har"
        size = generate(source, big, args.entries)
        rows = []
        for label, har, bytes_ in (("recorded run", source, source.stat().st_size), ("generated", big, size)):
            seconds, peak, judged, code = check(args.provider, har, work / f"out-{label[:3]}")
            rows.append(
                [
                    label,
                    f"{judged:,}",
                    f"{bytes_ / 2**20:,.1f}",
                    f"{seconds:.1f}",
                    f"{judged / seconds:,.0f}",
                    f"{peak / 1024:.0f}",
                    code,
                ]
            )
    print(f"Machine: {machine()}\n")
    print(f"apiconform check {args.provider}: throughput and peak memory\n")
    header = ["HAR", "exchanges", "MiB", "seconds", "exchanges/s", "peak MiB", "exit code"]
    print(table(header, rows, "lrrrrrr"))


if __name__ == "__main__":
    main()
