"""Where the shipped data lives: `schemas/` and `suites/`.

In a wheel they are packaged under `apiconform/_data/`; in a checkout (editable install or
PYTHONPATH=src) they are the folders at the repository root. Both layouts resolve here, so an
installed `apiconform` works outside a checkout.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory holding the shipped `name` folder ("schemas" or "suites")."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"apiconform installation is incomplete: no {name}/ folder found")


def schemas_dir(provider: str | None = None) -> Path:
    root = data_dir("schemas")
    return root / provider if provider else root


def suites_dir(provider: str | None = None) -> Path:
    root = data_dir("suites")
    return root / provider if provider else root
