"""The layout the project holds itself to: no provider package imports another (a provider's
server and checks are built from apiconform.reference and apiconform.checks, never from a
sibling), found by parsing every module of every provider package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from apiconform.registry import provider_names

SRC = Path(__file__).resolve().parents[1] / "src" / "apiconform"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("provider", provider_names())
def test_no_provider_imports_another(provider):
    others = [f"apiconform.providers.{name}" for name in provider_names() if name != provider]
    found = {
        f"{path.name}: {module}"
        for path in sorted((SRC / "providers" / provider).glob("*.py"))
        for module in imported_modules(path)
        if any(module == other or module.startswith(other + ".") for other in others)
    }
    assert not found


def test_no_module_is_over_700_lines():
    """Small modules with one job each: a module past 700 lines holds more than one."""
    long = {
        str(path.relative_to(SRC)): count
        for path in SRC.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 700
    }
    assert not long


def test_the_command_line_only_parses_calls_and_prints():
    """cli.py parses, calls the library (run_gate, the commands) and prints: under 300 lines."""
    assert len((SRC / "cli.py").read_text(encoding="utf-8").splitlines()) < 300
