"""Authentication (spaces-api.txt: HTTP Basic, the access token as user name, no password;
authentication mandatory for all requests; 401 Unauthorized). The suite sends the token only in
the documented form (`token:`, an empty password); whether a password is refused or ignored is
left open, so it is never sent."""

from __future__ import annotations

import secrets
from urllib.parse import quote

import pytest

from apiconform.providers.spaces.profile import LIST_PATH, auth_headers
from apiconform.suite import Verdicts, check, expect_status, lookalike


@pytest.mark.rule("spaces.auth.basic-accepted")
def test_basic_token_accepted(client, auth):
    response = client.request("GET", LIST_PATH, headers=auth, params={"limit": 1})
    check(
        200 <= response.status_code < 300,
        f"GET {LIST_PATH} with the token as Basic user name and an empty password got HTTP "
        f"{response.status_code}",
        response,
    )


@pytest.mark.rule(
    "spaces.auth.missing-401",
    "spaces.auth.invalid-token-401",
    "spaces.auth.www-authenticate",
)
def test_unauthenticated_requests(client, target, reference, verdicts: Verdicts):
    """No credential on the list, and an unknown token (of the configured token's form), get 401;
    each 401 carries a Basic
    challenge (the SHOULD). A single object's path (the document shows none) without credentials
    must not be served: 401, or the 404/405 of a target that routes before it authenticates."""
    unknown = auth_headers(lookalike(target.credentials["access_token"]))
    known = reference.ids[0] if reference.ids else f"apiconform-probe-{secrets.token_hex(4)}"
    single = f"{LIST_PATH}/{quote(str(known), safe='')}"
    probes = [
        ("spaces.auth.missing-401", f"GET {LIST_PATH} without credentials", LIST_PATH, {}),
        ("spaces.auth.missing-401", f"GET {LIST_PATH}/{{id}} without credentials", single, {}),
        ("spaces.auth.invalid-token-401", f"GET {LIST_PATH} with an unknown token", LIST_PATH, unknown),
    ]
    for rule, what, path, headers in probes:
        response = client.request("GET", path, headers=headers, params={"limit": 1})
        with verdicts.check(rule):
            if path == single and response.status_code != 401:
                check(
                    not 200 <= response.status_code < 300,
                    f"{what}: served (HTTP {response.status_code}) although authentication is mandatory",
                    response,
                )
                verdicts.note(f"{what}: HTTP {response.status_code} (the document shows no such path)")
            else:
                expect_status(response, 401, what)
        if response.status_code == 401:
            with verdicts.check("spaces.auth.www-authenticate"):
                challenge = response.headers.get("www-authenticate", "")
                check(
                    challenge.lower().startswith("basic"),
                    f"{what}: the 401 carries WWW-Authenticate {challenge!r}, not a Basic challenge",
                    response,
                )
