"""Access tokens on resources (leaddesk-api.txt: Access token; 401 Unauthorized, "Authorization
token could be expired or invalid"; 403 Forbidden, e.g. creation with read-only token; a refreshed
token "will have all the same limitation than the original one"; a client_user token's "Effective
scopes will be the same as using the password grant").

The response to a request without any token is not stated: the MUST takes any 4xx refusal with
the error object, a SHOULD asks for 401 (RFC 6750). Expired tokens are in test_oauth.py."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

import pytest

from apiconform.providers.leaddesk import probes
from apiconform.providers.leaddesk.profile import (
    USERS_PATH,
    Settings,
    Tokens,
    client_number,
    refresh_grant,
    request_token,
)
from apiconform.suite import ApiClient, ApiResponse, Target, Verdicts, check, error_shape, setup_refused


@pytest.mark.rule(
    "leaddesk.auth.missing-token-refused",
    "leaddesk.auth.missing-token-status-401",
    "leaddesk.auth.invalid-token-401",
)
def test_requests_without_a_valid_token(client, profile, verdicts: Verdicts):
    missing = client.request("GET", USERS_PATH, params={"per_page": 1})
    what = "GET /users without a token"
    with verdicts.check("leaddesk.auth.missing-token-refused"):
        check(
            400 <= missing.status_code < 500,
            f"{what}: HTTP {missing.status_code}, not a 4xx refusal",
            missing,
        )
        error_shape(profile, missing, what)
    with verdicts.check("leaddesk.auth.missing-token-status-401"):
        check(missing.status_code == 401, f"{what}: HTTP {missing.status_code}, not 401", missing)
    unknown = {"Authorization": f"Bearer apiconform-unknown-{secrets.token_hex(8)}"}
    invalid = client.request("GET", USERS_PATH, headers=unknown, params={"per_page": 1})
    with verdicts.check("leaddesk.auth.invalid-token-401"):
        what = "GET /users with an unknown token"
        check(invalid.status_code == 401, f"{what}: HTTP {invalid.status_code}", invalid)
        error_shape(profile, invalid, what)


def client_user_token(client: ApiClient, target: Target, settings: Settings) -> Tokens | None:
    """A client_user token for the read-only user (None when the grant cannot be asked for: no
    leaddesk_client_id, or the API client does not hold the grant)."""
    c = target.credentials
    if not c.get("leaddesk_client_id") or "client_user" not in settings.special_grants:
        return None
    body = {
        "grant_type": "client_user",
        "client_id": c["client_id"],
        "client_secret": c["client_secret"],
        "username": c["read_only_username"],
        "leaddesk_client_id": client_number(c),
    }
    return request_token(client, body)


@pytest.mark.rule(
    "leaddesk.auth.read-only-write-403",
    "leaddesk.oauth.refresh-keeps-limits",
    "leaddesk.oauth.client-user-scopes",
)
def test_read_only_tokens_cannot_create(client, profile, target, grant, bearer, settings, verdicts: Verdicts):
    """The configured create (write_collection, create_body) with three read-only tokens: the
    read-only user's own (password grant), the same token once refreshed, and the read-only user's
    client_user token; each gets 403 and creates nothing (the collection is counted around each
    create), and the client_user token reads GET /users as the password grant's does."""
    read_only = request_token(client, grant(read_only=True))
    if read_only.access_token is None:
        setup_refused("the read-only user got no access token", read_only.response)
    path = settings.write_collection
    count, _ = probes.collection_size(client, profile, bearer, path)

    def refused_create(headers: Mapping[str, str], what: str) -> None:
        nonlocal count
        response = client.request("POST", path, headers=headers, json=settings.new_body())
        if response.status_code in probes.NOT_SUPPORTED:
            probes.create_refused(response, settings, f"POST {path}")
        after, listing = probes.collection_size(client, profile, bearer, path)
        before, count = count, after
        check(
            response.status_code == 403, f"POST {path} {what}: HTTP {response.status_code}, not 403", response
        )
        probes.check_unchanged(before, after, f"the refused POST {path} {what}", response, listing)

    with verdicts.check("leaddesk.auth.read-only-write-403"):
        refused_create(read_only.headers, "with a read-only token")
    with verdicts.check("leaddesk.oauth.refresh-keeps-limits"):
        if read_only.refresh_token is None:
            pytest.skip("the read-only user's token response has no refresh token to refresh")
        refreshed = request_token(client, refresh_grant(target.credentials, read_only.refresh_token))
        if refreshed.access_token is None:
            refusal = refreshed.response
            pytest.skip(
                f"the read-only token's refresh was refused (HTTP {refusal.status_code}); the document "
                "refreshes expired tokens (leaddesk.refresh-before-expiry), and leaddesk.oauth.refresh-grant "
                "judges the refresh itself"
            )
        refused_create(refreshed.headers, "with the read-only user's refreshed token")
    with verdicts.check("leaddesk.oauth.client-user-scopes"):
        scoped = client_user_token(client, target, settings)
        if scoped is None:
            pytest.skip("the client_user grant is not held (leaddesk_client_id, special_grants)")
        if scoped.access_token is None:
            pytest.skip(
                f"the client_user grant for the read-only user gave no token (HTTP "
                f"{scoped.response.status_code}); leaddesk.oauth.client-user-grant judges the grant"
            )
        reads = client.request("GET", USERS_PATH, headers=scoped.headers, params={"per_page": 1})
        check_reads(reads, "GET /users with the read-only user's client_user token")
        refused_create(scoped.headers, "with the read-only user's client_user token")


def check_reads(response: ApiResponse, what: str) -> None:
    check(200 <= response.status_code < 300, f"{what}: HTTP {response.status_code}, not a 2xx", response)
