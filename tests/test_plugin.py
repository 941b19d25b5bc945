"""apiconform's pytest plugin outside an apiconform run: an ordinary pytest session in a virtualenv
where apiconform is installed (its `pytest11` entry point active) sees the markers and nothing else
of it: no fixture (a user's own `client` fixture keeps working), no autouse fixture."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

APICONFORM_FIXTURES = ("run_session", "target", "client", "profile", "verdicts", "_apiconform_report_labels")

USER_TESTS = """
import pytest


@pytest.fixture
def client():
    return "the user's own client"


def test_own_client_and_no_apiconform_fixture(request, client):
    assert client == "the user's own client"
    assert not [name for name in request.fixturenames if "apiconform" in name]
    assert "verdicts" not in request.fixturenames and "run_session" not in request.fixturenames


@pytest.mark.rule("coliving.auth.x-api-key-accepted")
def test_a_marked_test_runs_as_any_other():
    pass
"""


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in `folder`, a directory unrelated to this project, with the plugin loaded as an
    installed apiconform loads it (the entry point; `-p` when this checkout is not installed)."""
    plugin = [] if entry_points(group="pytest11", name="apiconform") else ["-p", "apiconform.pytest_plugin"]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (env.get("PYTHONPATH"), src)))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(folder), *plugin, *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_ordinary_session_sees_only_the_markers(tmp_path):
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    markers = pytest_in(tmp_path, "--markers")
    assert markers.returncode == 0, markers.stdout + markers.stderr
    assert "@pytest.mark.rule(*ids)" in markers.stdout and "@pytest.mark.observer" in markers.stdout

    fixtures = pytest_in(tmp_path, "--fixtures", "-v")
    assert fixtures.returncode == 0, fixtures.stdout + fixtures.stderr
    listed = set(re.findall(r"^([A-Za-z_]\w*)(?: \[\w+ scope\])?(?: --|$)", fixtures.stdout, re.MULTILINE))
    assert not listed & set(APICONFORM_FIXTURES) - {"client"}, fixtures.stdout
    defined_by_apiconform = re.search(
        r"fixtures defined from apiconform|apiconform/\w+\.py:\d+", fixtures.stdout
    )
    assert defined_by_apiconform is None, fixtures.stdout

    run = pytest_in(tmp_path, "-q", "--strict-markers")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
