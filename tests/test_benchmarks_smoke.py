"""Smoke test of the benchmark scripts: each one runs, as the benchmarks README says, on the
smallest useful input, and prints a table whose numbers come from that run. The measurements
themselves are made on demand (benchmarks/README.md), never timed here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


def run_script(name: str, *args: str, timeout: float = 240) -> str:
    """Run benchmarks/`name` with this interpreter from the repository root; its stdout."""
    process = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert process.returncode == 0, process.stdout[-2000:] + process.stderr[-3000:]
    assert "Traceback" not in process.stderr, process.stderr[-3000:]
    return process.stdout


def table_rows(text: str, first_cell: str) -> list[list[str]]:
    """The cells of the Markdown table rows of `text` that start with `first_cell`."""
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_cell:
            rows.append(cells)
    return rows


def test_client_overhead():
    out = run_script("client_overhead.py", "--requests", "30", "--repetitions", "1", "--servers", "minimal")
    row = table_rows(out, "minimal")
    assert row, out
    assert float(row[0][1]) > 0 and float(row[0][2]) > 0  # raw and ApiClient µs per request
    assert re.search(r"minimal: Ratio \d+\.\d{3}: ApiClient adds -?\d+ µs per request", out), out


def test_whole_run_one_provider():
    out = run_script(
        "whole_run.py", "--gate-runs", "1", "--deep-runs", "0", "--no-profile", "--providers", "livespace"
    )
    row = table_rows(out, "gate")
    assert row[0][1] == "livespace" and int(row[0][3]) > 0 and row[0][6] == "yes", out
    assert "No unintended 429: met" in out, out


def test_scale_smallest_size():
    out = run_script("scale.py", "--sizes", "100", "--parallel")
    row = table_rows(out, "100")
    assert row, out
    assert int(row[0][4]) > 0  # requests
    assert row[0][6] == "0"  # unintended 429s
    passed, rules = row[0][7].split("/")
    assert passed == rules and int(rules) > 0


@pytest.mark.parametrize("provider, fault", [("spaces", "has-more-string")])
def test_compare_with_schemathesis_one_fault(provider, fault, tmp_path):
    """One provider, one fault: schemathesis runs (clean twice, with the fault once) and
    apiconform (clean, and the rules the fault names) run and are tabled."""
    out = run_script(
        "compare_schemathesis.py",
        "--providers",
        provider,
        "--faults",
        fault,
        "--max-examples",
        "2",
        "--clean-max-examples",
        "2",
        "--jobs",
        "2",
        "--skip-default",
        "--json",
        str(tmp_path / "raw.json"),
    )
    runs = {row[1]: row for row in table_rows(out, provider)}
    assert runs["apiconform run (gate)"][6] == "conformant", out
    assert int(runs["apiconform run (gate)"][3]) > 0
    assert any(label.startswith("schemathesis --rate-limit") for label in runs), out
    assert (tmp_path / "raw.json").is_file()


def test_observed_check_smallest():
    out = run_script("observed_check.py", "--entries", "600")
    row = table_rows(out, "generated")
    assert row and row[0][1] == "600" and row[0][6] == "0", out
    assert float(row[0][4].replace(",", "")) > 0 and float(row[0][5]) > 0
