"""Access tokens on resources (leaddesk-api.txt: Access token; 401 Unauthorized, "Authorization
token could be expired or invalid"; 403 Forbidden, e.g. creation with read-only token).

The response to a request without any token is not stated: the MUST takes any 4xx refusal with
the error object, a SHOULD asks for 401 (RFC 6750)."""

from __future__ import annotations

import secrets

import pytest

from apiconform.providers.leaddesk import probes
from apiconform.providers.leaddesk.profile import USERS_PATH, request_token
from apiconform.suite import Verdicts, check, error_shape, setup_refused


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


@pytest.mark.rule("leaddesk.auth.read-only-write-403")
def test_read_only_user_cannot_create(client, profile, grant, bearer, settings):
    """The configured create (write_collection, create_body) with the read-only user's token."""
    read_only = request_token(client, grant(read_only=True))
    if read_only.access_token is None:
        setup_refused("the read-only user got no access token", read_only.response)
    path = settings.write_collection
    before, _ = probes.collection_size(client, profile, bearer, path)
    response = client.request("POST", path, headers=read_only.headers, json=settings.new_body())
    if response.status_code in probes.NOT_SUPPORTED:
        probes.create_refused(response, settings, f"POST {path}")
    check(
        response.status_code == 403,
        f"POST {path} with a read-only token: HTTP {response.status_code}, not 403",
        response,
    )
    after, listing = probes.collection_size(client, profile, bearer, path)
    probes.check_unchanged(before, after, f"the refused POST {path}", response, listing)
