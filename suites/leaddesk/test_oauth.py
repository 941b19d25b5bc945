"""The OAuth 2 token endpoint (leaddesk-api.txt, Authentication: the four grant types, who may
use the special ones, refresh invalidation and expiry; RFC 6749 sections 5.1 and 5.2 for the
SHOULD rules).

Every grant body is the document's example, field by field (leaddesk_client_id a JSON number when
the configured value is all digits). The success status is not stated: the MUSTs take any 2xx,
a SHOULD asks for RFC 6749's 200. A token "reads" when GET /users with it answers a 2xx.

"Refresh request is used for refreshing the access token if it has expired": the refresh rules
refresh a fresh token, and a target that refuses to refresh a token that has not expired yet
(silence point leaddesk.refresh-before-expiry) gets them skipped, not failed; with
token_expiry_wait, a token taken as the run starts is checked once expired (refused) and
refreshed (served), at the end of the run, waiting only for what of its lifetime is left."""

from __future__ import annotations

import time
from typing import Any

import pytest

from apiconform.providers.leaddesk.profile import (
    USERS_PATH,
    Settings,
    Tokens,
    client_number,
    refresh_grant,
    request_token,
    well_formed_error,
)
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Profile,
    Target,
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


def check_refused(profile: Profile, tokens: Tokens, what: str) -> None:
    """A token request that must get no token: a 4xx with the error object, and no access_token."""
    check_error(profile, tokens.response, what)
    check(tokens.access_token is None, f"{what}: the refusal carries an access_token", tokens.response)


def refused_early(tokens: Tokens) -> bool:
    """Whether a refresh of an unexpired token was refused in the document's error terms (a 4xx
    with the error object): a reading of 'refreshing the access token if it has expired'."""
    status = tokens.response.status_code
    return 400 <= status < 500 and well_formed_error(tokens.response.json_or_none())


@pytest.mark.rule(
    "leaddesk.oauth.password-grant",
    "leaddesk.oauth.no-store",
    "leaddesk.oauth.token-status-200",
    "leaddesk.oauth.token-type-bearer",
)
def test_password_grant(client, tokens, bearer, verdicts: Verdicts):
    """The session's first token response; the token reads GET /users (the session's token, renewed
    by another password grant when a short lifetime has run out since: `bearer`)."""
    with verdicts.check("leaddesk.oauth.password-grant"):
        check_token_response(tokens, "the password grant")
        check_token_reads(client, bearer.current(), "the password grant")
    with verdicts.check("leaddesk.oauth.no-store"):
        check_no_store(tokens, "the password grant")
    with verdicts.check("leaddesk.oauth.token-status-200"):
        status = tokens.response.status_code
        check(status == 200, f"the password grant: HTTP {status}, not 200 (RFC 6749 5.1)", tokens.response)
    with verdicts.check("leaddesk.oauth.token-type-bearer"):
        body = tokens.response.json_or_none()
        kind = body.get("token_type") if isinstance(body, dict) else None
        what = f"the password grant: token_type {kind!r}, not the examples' Bearer"
        check(kind == "Bearer", what, tokens.response)


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
    refresh = refresh_grant(target.credentials, first.refresh_token)
    second = request_token(client, refresh)
    if refused_early(second):
        pytest.skip(
            f"the target refused to refresh an access token that has not expired (HTTP "
            f"{second.response.status_code}): the document says refresh is for an expired token "
            "(leaddesk.refresh-before-expiry); set token_expiry_wait to check a refresh after expiry"
        )
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


def special_grant_bodies(
    target: Target, client_id: str, secret: str, number: int | str
) -> dict[str, dict[str, Any]]:
    """The two special grants' bodies (the document's examples, field by field) for an API client
    and a LeadDesk client number, by grant type."""
    common = {"client_id": client_id, "client_secret": secret}
    return {
        "leaddesk_client_id": {"grant_type": "leaddesk_client_id", **common, "leaddesk_client_id": number},
        "client_user": {
            "grant_type": "client_user",
            **common,
            "username": target.credentials["username"],
            "leaddesk_client_id": number,
        },
    }


@pytest.mark.rule("leaddesk.oauth.special-grant-required", "leaddesk.oauth.client-access-limited")
def test_special_grants_are_limited(client, profile, target, settings: Settings, verdicts: Verdicts):
    """Both special grants (each "requires special grant") asked for by the second API client,
    which does not hold them (other_client_id): refused, with no token. Those the configured
    client holds (special_grants) asked for a LeadDesk client it was given no access to
    (foreign_leaddesk_client_id): refused, with no token."""
    c = target.credentials
    if not c.get("leaddesk_client_id"):  # both rules need it (skipped by the run)
        return
    with verdicts.check("leaddesk.oauth.special-grant-required"):
        if c.get("other_client_id") and c.get("other_client_secret"):
            number = client_number(c)
            other = special_grant_bodies(target, c["other_client_id"], c["other_client_secret"], number)
            for kind, body in other.items():
                what = f"the {kind} grant asked for by other_client_id"
                check_refused(profile, request_token(client, body), what)
    with verdicts.check("leaddesk.oauth.client-access-limited"):
        foreign = settings.foreign_leaddesk_client_id
        if str(foreign) == c["leaddesk_client_id"]:
            pytest.skip("foreign_leaddesk_client_id is the configured leaddesk_client_id: set another number")
        held = special_grant_bodies(target, c["client_id"], c["client_secret"], foreign)
        tried = [kind for kind in held if kind in settings.special_grants]
        if not tried:
            pytest.skip("special_grants lists neither special grant: the API client holds none")
        for kind in tried:
            what = f"the {kind} grant for leaddesk_client_id {foreign} (foreign_leaddesk_client_id)"
            check_refused(profile, request_token(client, held[kind]), what)


@pytest.mark.late  # at the end of the run, the token taken as it started has expired (or nearly)
@pytest.mark.rule("leaddesk.auth.expired-token-401", "leaddesk.oauth.refresh-after-expiry")
def test_expired_token(
    client, profile, target, settings: Settings, expiring: Tokens | None, verdicts: Verdicts
):
    """The token `expiring` (taken as the run started) once token_expiry_wait has passed since it
    arrived: GET /users with it gets 401 ("Authorization token could be expired"); its refresh
    token still refreshes ("Refresh token is always valid longer than the access token"), and the
    new token reads. The wait is the precondition: the token has expired by its own expires_in."""
    wait = settings.token_expiry_wait
    if expiring is None or wait is None:
        pytest.skip("token_expiry_wait is not set: no access token is waited out")
    if expiring.access_token is None:
        setup_refused("the password grant gave no access token to wait out", expiring.response)
    lifetime = expiring.expires_in
    if lifetime is None:
        pytest.skip("the token response gave no expires_in: there is no lifetime to wait out")
    if lifetime + 1 > wait:
        pytest.skip(
            f"the access token lives {lifetime:g} s (expires_in): token_expiry_wait ({wait:g} s) "
            "must exceed it by a second at least"
        )
    left = expiring.received_at + wait - time.monotonic()
    if left > 0:
        time.sleep(left)
    verdicts.note(f"checked {wait:g} s after the token arrived (expires_in {lifetime:g} s)")
    old = client.request("GET", USERS_PATH, headers=expiring.headers, params={"per_page": 1})
    with verdicts.check("leaddesk.auth.expired-token-401"):
        what = f"GET /users with an access token {wait:g} s old (expires_in {lifetime:g})"
        check(old.status_code == 401, f"{what}: HTTP {old.status_code}, not 401", old)
        error_shape(profile, old, what)
    with verdicts.check("leaddesk.oauth.refresh-after-expiry"):
        if expiring.refresh_token is None:
            pytest.skip("the password grant gave no refresh token (leaddesk.oauth.password-grant)")
        renewed = request_token(client, refresh_grant(target.credentials, expiring.refresh_token))
        what = "the refresh_token grant for an expired access token"
        check_token_response(renewed, what)
        check_token_reads(client, renewed, what)
