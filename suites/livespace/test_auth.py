"""Authorization (livespace-api.md: _api_auth, _api_key, _api_sha, _api_session; Token and
Session ID fetched before each request; the Authorization method errors 560-564; 530 User not
logged in).

The document's code tables overlap, so each MUST accepts the class of codes that fits the refusal
(any authorization code 56x, or 530 for a call without a logged-in session; for missing
parameters also 420/550, for an unknown auth method also 515) and the SHOULD
`livespace.auth.precise-codes` asks for the precise one. Every probe is a call of the configured
list method with its list_params, breaking exactly one thing."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import Any

import pytest

from apiconform.providers.livespace.calls import Credentials, Session, signature
from apiconform.providers.livespace.codes import (
    METHOD_REFUSED,
    REFUSED,
    data_of,
    described,
    result_of,
)
from apiconform.providers.livespace.probes import ListProbe, refused_setup, skip_if_unsupported
from apiconform.providers.livespace.settings import Settings
from apiconform.providers.livespace.shapes import contains, items_of
from apiconform.suite import ApiResponse, Verdicts, check

MISSING_REFUSED = REFUSED | {420, 550}
AUTH_METHOD_REFUSED = REFUSED | {515}


def check_refused(
    verdicts: Verdicts,
    rule: str,
    precise: int,
    what: str,
    response: ApiResponse,
    accepted: Collection[int] = REFUSED,
) -> None:
    result = result_of(response)
    with verdicts.check(rule):
        codes = ", ".join(map(str, sorted(accepted)))
        check(result in accepted, f"{what}: {described(result)}, not a refusal ({codes})", response)
    with verdicts.check("livespace.auth.precise-codes"):
        check(result == precise, f"{what}: {described(result)}, the precise code is {precise}", response)


@pytest.mark.rule("livespace.auth.token", "livespace.auth.signed-call-accepted")
def test_token_and_signed_call(probe: ListProbe, verdicts: Verdicts):
    token = probe.session.response
    with verdicts.check("livespace.auth.token"):
        check(result_of(token) == 200, f"getToken: {described(result_of(token))}", token)
        check(probe.session.token is not None, "getToken data carries no token (token_field)", token)
        check(
            probe.session.session_id is not None, "getToken data carries no session id (session_field)", token
        )
    with verdicts.check("livespace.auth.signed-call-accepted"):
        probe.require()
        response = probe.response
        check(
            result_of(response) == 200,
            f"a signed call of {probe.method}: {described(result_of(response))}",
            response,
        )


@pytest.mark.rule(
    "livespace.auth.missing-parameters",
    "livespace.auth.unknown-key",
    "livespace.auth.bad-signature",
    "livespace.auth.unknown-session",
    "livespace.auth.unknown-auth-method",
    "livespace.auth.precise-codes",
)
def test_refused_calls(caller, keys, settings, probe: ListProbe, verdicts: Verdicts):
    """Each call below takes a fresh token and session and breaks exactly one thing."""
    probe.require()
    method = settings.list_method

    def post(fields: dict[str, Any]) -> ApiResponse:
        response: ApiResponse = caller.post(method.module, method.name, {**fields, **settings.list_params})
        return response

    def fresh() -> tuple[Session, dict[str, Any]]:
        session = caller.get_token(keys.api_key)
        return session, caller.auth_fields(keys, session)

    for name in ("_api_sha", "_api_session"):
        _, fields = fresh()
        response = post({k: v for k, v in fields.items() if k != name})
        check_refused(
            verdicts,
            "livespace.auth.missing-parameters",
            561,
            f"a call without {name}",
            response,
            MISSING_REFUSED,
        )

    unknown = f"apiconform-unknown-{secrets.token_hex(8)}"
    stranger = Credentials(unknown, keys.api_secret)
    token_answer = caller.get_token(unknown)
    if result_of(token_answer.response) == 200 and token_answer.session_id is not None:
        # getToken need not check the key (readings: livespace.token-for-unknown-key): no call
        # with that key may be served on the session it issued
        response = post(caller.auth_fields(stranger, token_answer))
        what = "a call with an unknown _api_key on the session getToken issued to it"
        check_refused(verdicts, "livespace.auth.unknown-key", 562, what, response)
    else:
        what = "getToken with an unknown key"
        check_refused(verdicts, "livespace.auth.unknown-key", 562, what, token_answer.response)
    session, fields = fresh()
    response = post(caller.auth_fields(stranger, session))
    check_refused(verdicts, "livespace.auth.unknown-key", 562, "a call with an unknown _api_key", response)

    session, fields = fresh()
    token = "" if session.token is None else str(session.token)
    response = post({**fields, "_api_sha": signature(keys.api_key, token, "apiconform-wrong-secret")})
    check_refused(verdicts, "livespace.auth.bad-signature", 563, "a call with a wrong _api_sha", response)

    made_up = Session(secrets.token_hex(20), secrets.token_hex(16), token_answer.response)
    response = post(caller.auth_fields(keys, made_up))
    check_refused(verdicts, "livespace.auth.unknown-session", 563, "a call with a made-up session", response)

    _, fields = fresh()
    response = post({**fields, "_api_auth": "apiconform"})
    check_refused(
        verdicts,
        "livespace.auth.unknown-auth-method",
        560,
        "a call with _api_auth=apiconform",
        response,
        AUTH_METHOD_REFUSED,
    )


@pytest.mark.rule("livespace.auth.session-single-use")
def test_session_is_single_use(caller, keys, settings, probe: ListProbe):
    probe.require()
    session = caller.get_token(keys.api_key)
    fields = {**caller.auth_fields(keys, session), **settings.list_params}
    method = settings.list_method
    first = caller.post(method.module, method.name, fields)
    check(result_of(first) == 200, f"the first call with a session: {described(result_of(first))}", first)
    again = caller.post(method.module, method.name, fields)
    check(
        result_of(again) in REFUSED,
        f"the same token and session used again: {described(result_of(again))}, not refused",
        again,
    )


def list_counts(data: Any, settings: Settings) -> tuple[int | None, dict[str, int]]:
    """How many items the list data holds, and its top-level integer members (e.g. a total)."""
    items = items_of(data, settings)
    numbers = {
        name: value
        for name, value in (data.items() if isinstance(data, dict) else ())
        if isinstance(value, int) and not isinstance(value, bool)
    }
    return (len(items) if items is not None else None), numbers


@pytest.mark.rule("livespace.auth.no-permission-540")
def test_read_only_user_cannot_write(caller, keys, read_only_keys, settings, probe: ListProbe):
    """The read-only user's add is refused with 540; the list (as far as it shows: its length, its
    integer members such as a total, the added marker) is unchanged."""
    marker = f"apiconform-{secrets.token_hex(4)}"
    listing = probe.exists and result_of(probe.response) not in METHOD_REFUSED
    before = caller.call_method(keys, settings.list_method, settings.list_params) if listing else None
    response = caller.call_method(read_only_keys, settings.add_method, settings.add_payload(marker))
    skip_if_unsupported(response, settings.add_method)
    if result_of(response) in METHOD_REFUSED:
        refused_setup(response, settings.add_method, "add_params")
    check(
        result_of(response) == 540,
        f"{settings.add_method} by a user without permission: {described(result_of(response))}",
        response,
    )
    if before is None or result_of(before) != 200:
        return  # the list cannot show whether anything changed
    after = caller.call_method(keys, settings.list_method, settings.list_params)
    counts = [list_counts(data_of(r), settings) for r in (before, after)]
    check(
        counts[0] == counts[1], f"the refused add still changed the list: {counts[0]} -> {counts[1]}", after
    )
    check(not contains(data_of(after), marker), "the refused add is in the list", after)
