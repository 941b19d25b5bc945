"""Fixtures of the Livespace suite: the caller (fresh token, session and signature per call) and
the configured users' credentials."""

from __future__ import annotations

import pytest

from apiconform.client import ApiClient
from apiconform.providers.livespace.calls import Caller, Credentials
from apiconform.providers.livespace.profile import LivespaceProfile
from apiconform.target import Target


@pytest.fixture(scope="session")
def caller(client: ApiClient, profile: LivespaceProfile, target: Target) -> Caller:
    return profile.caller(client, target.options)


@pytest.fixture(scope="session")
def keys(target: Target) -> Credentials:
    """The main user's API key and secret."""
    return Credentials(target.credentials["api_key"], target.credentials["api_secret"])


@pytest.fixture(scope="session")
def read_only_keys(target: Target) -> Credentials:
    key, secret = target.credentials.get("api_key_read_only"), target.credentials.get("api_secret_read_only")
    if not key or not secret:
        pytest.skip("api_key_read_only and api_secret_read_only are not configured")
    return Credentials(key, secret)
