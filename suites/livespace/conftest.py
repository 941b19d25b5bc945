"""Fixtures of the Livespace suite: the caller (fresh token, session and signature per call), the
configured users' credentials, the settings (what the document leaves to config), and the list
probe (getToken and one signed call of the list method, shared by several rules)."""

from __future__ import annotations

import pytest

from apiconform.providers.livespace.calls import Caller, Credentials
from apiconform.providers.livespace.probes import ListProbe
from apiconform.providers.livespace.profile import LivespaceProfile
from apiconform.providers.livespace.settings import Settings
from apiconform.suite import ApiClient, Target


@pytest.fixture(scope="session")
def caller(client: ApiClient, profile: LivespaceProfile, target: Target) -> Caller:
    return profile.caller(client, target.options)


@pytest.fixture(scope="session")
def settings(caller: Caller) -> Settings:
    return caller.settings


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


@pytest.fixture(scope="session")
def probe(caller: Caller, keys: Credentials, settings: Settings) -> ListProbe:
    """getToken, then the signed list call (list_method with list_params): its answers are the
    evidence of livespace.auth.token and signed-call-accepted, and of the envelope and read rules."""
    method = settings.list_method
    caller.call(keys, method.module, method.name, settings.list_params)
    signed = caller.signed_calls[-1]
    return ListProbe(signed.session, signed.response, method)
