"""The clean Spaces server as the fixture `c`."""

from __future__ import annotations

import pytest

from tests.reference.spaces.helpers import TestClient, make


@pytest.fixture
def c() -> TestClient:
    return make()
