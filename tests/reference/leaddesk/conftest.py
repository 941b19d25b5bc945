"""Fixtures of the LeadDesk server's tests: `c`, a fresh clean server, and `auth`, a password-grant
token for it."""

from __future__ import annotations

import pytest

from tests.reference.leaddesk.helpers import TestClient, login, make


@pytest.fixture
def c() -> TestClient:
    return make()


@pytest.fixture
def auth(c: TestClient) -> dict[str, str]:
    return login(c)
