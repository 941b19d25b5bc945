"""The OAuth 2 token endpoint (leaddesk-api.txt, Authentication: the four grant types, refresh
invalidation; RFC 6749 sections 5.1 and 5.2 for the SHOULD rules).

Every grant body is the document's example, field by field (leaddesk_client_id a JSON number when
the configured value is all digits). The success status is not stated: the MUSTs take any 2xx,
a SHOULD asks for RFC 6749's 200. A token "reads" when GET /users with it answers a 2xx."""

from __future__ import annotations

import pytest

from apiconform.providers.leaddesk.profile import USERS_PATH, Tokens, client_number, request_token
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Profile,
    Verdicts,
    check,
    error_shape,
    expect_schema,
    setup_refused,
    store,
)


def check_token_response(tokens: Tokens, what: str) -> None:
    response = tokens.response
    check(200 <= response.status_code < 300, f"{what}: HTTP {response.status_code}, not a 2xx", response)
    expect_schema(
        store("leaddesk"), "token", response.json_or_none(), f"{what}: the token response", response
    )


def check_token_reads(client: ApiClient, tokens: Tokens, what: str) -> None:
    response = client.request("GET", USERS_PATH, headers=tokens.headers, params={"per_page": 1})
    check(
        200 <= response.status_code < 300,
        f"GET /users with the token of {what}: HTTP {response.status_code}",
        response,
    )


def check_no_store(tokens: Tokens, what: str) -> None:
    value = tokens.response.headers.get("cache-control", "")
    check("no-store" in value.lower(), f"{what}: Cache-Control is {value!r}, not no-store", tokens.response)


def check_error(profile: Profile, response: ApiResponse, what: str) -> None:
    check(
        400 <= response.status_code < 500, f"{what}: HTTP {response.status_code}, not a 4xx refusal", response
    )
    error_shape(profile, response, f"{what}: the error body")


@pytest.mark.rule(
    "leaddesk.oauth.password-grant", "leaddesk.oauth.no-store", "leaddesk.oauth.token-status-200"
)
def test_password_grant(client, tokens, verdicts: Verdicts):
    with verdicts.check("leaddesk.oauth.password-grant"):
        check_token_response(tokens, "the password grant")
        check_token_reads(client, tokens, "the password grant")
    with verdicts.check("leaddesk.oauth.no-store"):
        check_no_store(tokens, "the password grant")
    with verdicts.check("leaddesk.oauth.token-status-200"):
        status = tokens.response.status_code
        check(status == 200, f"the password grant: HTTP {status}, not 200 (RFC 6749 5.1)", tokens.response)


@pytest.mark.rule("leaddesk.oauth.leaddesk-client-id-grant", "leaddesk.oauth.client-user-grant")
def test_special_grants(client, target, settings, verdicts: Verdicts):
    """The two grants that "require special grant", with the fields of the document's examples in
    its order; a grant the API client does not hold (special_grants) is skipped."""
    c = target.credentials
    grants = [
        (
            "leaddesk.oauth.leaddesk-client-id-grant",
            {
                "grant_type": "leaddesk_client_id",
                "client_id": c["client_id"],
                "client_secret": c["client_secret"],
                "leaddesk_client_id": client_number(c),
            },
        ),
        (
            "leaddesk.oauth.client-user-grant",
            {
                "grant_type": "client_user",
                "client_id": c["client_id"],
                "client_secret": c["client_secret"],
                "username": c["username"],
                "leaddesk_client_id": client_number(c),
            },
        ),
    ]
    for rule, body in grants:
        kind = body["grant_type"]
        with verdicts.check(rule):
            if kind not in settings.special_grants:
                pytest.skip(f"special_grants does not list {kind}: the API client does not hold that grant")
            tokens = request_token(client, body)
            refusal = tokens.response.json_or_none()
            if isinstance(refusal, dict) and refusal.get("error") == "unauthorized_client":
                pytest.skip(  # RFC 6749 5.2: the client may not use this grant type
                    f"the API client does not hold the {kind} grant (HTTP {tokens.response.status_code} "
                    "unauthorized_client): leave it out of special_grants"
                )
            check_token_response(tokens, f"the {kind} grant")
            check_token_reads(client, tokens, f"the {kind} grant")


@pytest.mark.rule(
    "leaddesk.oauth.refresh-grant",
    "leaddesk.oauth.refresh-invalidates-access",
    "leaddesk.oauth.refresh-invalidates-refresh",
)
def test_refresh(client, profile, grant, target, verdicts: Verdicts):
    """A fresh password-grant token A is refreshed to B: B works; A's access and refresh tokens
    no longer do."""
    first = request_token(client, grant())
    if first.refresh_token is None:  # leaddesk.oauth.password-grant judges that; nothing to refresh
        setup_refused("the password grant gave no refresh token to refresh", first.response)
    c = target.credentials
    refresh = {
        "grant_type": "refresh_token",
        "client_id": c["client_id"],
        "client_secret": c["client_secret"],
        "refresh_token": first.refresh_token,
    }
    second = request_token(client, refresh)
    with verdicts.check("leaddesk.oauth.refresh-grant"):
        check_token_response(second, "the refresh_token grant")
        check_token_reads(client, second, "the refresh_token grant")
    old = client.request("GET", USERS_PATH, headers=first.headers, params={"per_page": 1})
    with verdicts.check("leaddesk.oauth.refresh-invalidates-access"):
        check(
            old.status_code == 401, f"the access token from before the refresh: HTTP {old.status_code}", old
        )
    again = request_token(client, refresh)
    with verdicts.check("leaddesk.oauth.refresh-invalidates-refresh"):
        check_error(profile, again.response, "the refresh token used a second time")


@pytest.mark.rule(
    "leaddesk.oauth.bad-grant-type",
    "leaddesk.oauth.bad-client",
    "leaddesk.oauth.bad-credentials",
    "leaddesk.oauth.rfc6749-errors",
)
def test_refused_grants(client, profile, grant, verdicts: Verdicts):
    probes = [
        (
            "leaddesk.oauth.bad-grant-type",
            {**grant(), "grant_type": "apiconform"},
            {"unsupported_grant_type"},
            {400},
        ),
        (
            "leaddesk.oauth.bad-client",
            {**grant(), "client_secret": "apiconform-wrong"},
            {"invalid_client"},
            {400, 401},
        ),
        (
            "leaddesk.oauth.bad-credentials",
            {**grant(), "password": "apiconform-wrong"},
            {"invalid_grant"},
            {400},
        ),
    ]
    for rule, body, codes, statuses in probes:
        response = request_token(client, body).response
        what = rule.rsplit(".", 1)[1].replace("-", " ")
        with verdicts.check(rule):
            check_error(profile, response, f"a token request with a {what}")
        with verdicts.check("leaddesk.oauth.rfc6749-errors"):
            code = (
                (response.json_or_none() or {}).get("error")
                if isinstance(response.json_or_none(), dict)
                else None
            )
            check(
                code in codes and response.status_code in statuses,
                f"a token request with a {what}: HTTP {response.status_code} error {code!r}, RFC 6749 says "
                f"{'/'.join(map(str, sorted(statuses)))} {'/'.join(sorted(codes))}",
                response,
            )
