"""Lets in-repo pytest runs find apiconform and its plugin even when the package is not installed
(e.g. `PYTHONPATH=src pytest`). When it is installed, the `pytest11` entry point loads the plugin
and this file adds nothing."""

from __future__ import annotations

import sys
from importlib.metadata import entry_points
from pathlib import Path

_SRC = Path(__file__).parent / "src"
if str(_SRC) not in sys.path:
    try:
        import apiconform  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(_SRC))

pytest_plugins = [] if entry_points(group="pytest11", name="apiconform") else ["apiconform.pytest_plugin"]
