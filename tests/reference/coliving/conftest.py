"""The fixture of the Coliving reference server's tests: `c`, a client of a fresh clean server."""

from __future__ import annotations

import pytest

from tests.reference.coliving.helpers import TestClient, make


@pytest.fixture
def c() -> TestClient:
    return make()
