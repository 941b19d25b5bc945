"""The clean Livespace server as the fixture `c`."""

from __future__ import annotations

import pytest

from tests.reference.livespace.helpers import TestClient, make


@pytest.fixture
def c() -> TestClient:
    return make()
