"""apiconform's pytest plugin (entry point `pytest11: apiconform`).

It is inert in an ordinary pytest session: it only registers the markers (`rule`, `late`,
`observer`; apiconform.markers). Everything else, the suites' fixtures included, exists only in
a session that `apiconform run` starts: its `RunSession` registers them (apiconform.fixtures).
Suites declare what they verify with `@pytest.mark.rule("<id>", ...)`.
"""

from __future__ import annotations

import pytest

from apiconform import markers


def pytest_configure(config: pytest.Config) -> None:
    markers.register(config)
