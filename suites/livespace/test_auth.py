"""Authorization (livespace-api.md: _api_auth, _api_key, _api_sha, _api_session; Token and
Session ID fetched before each request; the Authorization method errors 560-564; 530 User not
logged in).

The document's code tables overlap, so each refusal MUST accepts every code whose title fits
that case, and nothing broader (codes.py; readings.toml livespace.refusal-codes): a missing or
unreadable parameter 561, 550 or 420 (a missing key also 562, a missing signature also 563, a
missing session also 530 or 563); an unknown key 562 (at a call on the session issued to it also
563, on another key's session also 530); a wrong signature 563; a session never issued 563 or
530; an authorization method other than key 560 or 515. The SHOULD `livespace.auth.precise-codes`
asks for the precise one (561, 562, 563, 560). Every probe is a call of the configured list method
with its list_params (or getToken), breaking exactly one thing; the unknown key and session have
the form of the real ones, so that no check of the form answers for them."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import Any

import pytest

from apiconform.providers.livespace.calls import Credentials, Session, signature
from apiconform.providers.livespace.codes import (
    AUTH_METHOD_CODES,
    BAD_SIGNATURE_CODES,
    FOREIGN_SESSION_CODES,
    METHOD_REFUSED,
    MISSING_KEY_CODES,
    MISSING_SESSION_CODES,
    MISSING_SIGNATURE_CODES,
    NOT_LOGGED_IN,
    REFUSAL_RULES,
    REFUSED,
    UNKNOWN_KEY_CALL_CODES,
    UNKNOWN_KEY_CODES,
    UNREADABLE_DATA_CODES,
    data_of,
    described,
    result_of,
)
from apiconform.providers.livespace.probes import ListProbe, refused_setup, skip_if_unsupported
from apiconform.providers.livespace.settings import Settings
from apiconform.providers.livespace.shapes import contains, items_of
from apiconform.suite import ApiResponse, Verdicts, check, lookalike

#: Each missing authorization parameter, the codes its refusal may get, the precise one.
MISSING = {
    "_api_key": (MISSING_KEY_CODES, 561),
    "_api_sha": (MISSING_SIGNATURE_CODES, 561),
    "_api_session": (MISSING_SESSION_CODES, 561),
}
#: The `data` field of a call whose parameters cannot be read.
UNREADABLE = "apiconform: not a JSON object {"


def check_refused(
    verdicts: Verdicts,
    rule: str,
    precise: int | None,
    what: str,
    response: ApiResponse,
    accepted: Collection[int],
) -> None:
    """`rule`: the result is one of `accepted`; livespace.auth.precise-codes: it is `precise`."""
    result = result_of(response)
    with verdicts.check(rule):
        codes = " or ".join(map(str, sorted(accepted)))
        check(result in accepted, f"{what}: {described(result)}, not {codes}", response)
    if precise is not None:
        with verdicts.check("livespace.auth.precise-codes"):
            check(result == precise, f"{what}: {described(result)}, the precise code is {precise}", response)


def same_form(value: str | int | None) -> str | int:
    """A value of `value`'s form (an integer stays an integer) that is not `value`."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(lookalike(str(value)).lstrip("0") or "1")
    return lookalike("" if value is None else str(value))


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


@pytest.mark.rule(*REFUSAL_RULES)
def test_refused_calls(caller, keys, settings, probe: ListProbe, verdicts: Verdicts):
    """Each call below takes a fresh token and session and breaks exactly one thing; getToken is
    refused (or not: its parameters are not documented) without the key, with another auth
    method and with an unknown key."""
    probe.require()
    method = settings.list_method

    def post(fields: dict[str, Any]) -> ApiResponse:
        response: ApiResponse = caller.post(method.module, method.name, {**fields, **settings.list_params})
        return response

    def fresh() -> tuple[Session, dict[str, Any]]:
        session = caller.get_token(keys.api_key)
        return session, caller.auth_fields(keys, session)

    for name, (accepted, precise) in MISSING.items():
        _, fields = fresh()
        response = post({k: v for k, v in fields.items() if k != name})
        what = f"a call without {name}"
        check_refused(verdicts, "livespace.auth.missing-parameters", precise, what, response, accepted)
    unreadable = caller.post_form(method.module, method.name, {"data": UNREADABLE})
    what = "a call whose data field is not a JSON object"
    rule = "livespace.auth.missing-parameters"
    check_refused(verdicts, rule, None, what, unreadable, UNREADABLE_DATA_CODES)
    keyless = caller.get_token(None)
    if result_of(keyless.response) != 200:
        what = "getToken without _api_key"
        check_refused(
            verdicts, "livespace.auth.missing-parameters", 561, what, keyless.response, MISSING_KEY_CODES
        )

    stranger = Credentials(lookalike(keys.api_key), keys.api_secret)
    token_answer = caller.get_token(stranger.api_key)
    if result_of(token_answer.response) == 200 and token_answer.session_id is not None:
        # getToken need not check the key (readings: livespace.token-for-unknown-key): no call
        # with that key may be served on the session it issued
        response = post(caller.auth_fields(stranger, token_answer))
        what = "a call with an unknown _api_key on the session getToken issued to it"
        check_refused(verdicts, "livespace.auth.unknown-key", 562, what, response, UNKNOWN_KEY_CALL_CODES)
    else:
        what = "getToken with an unknown key"
        check_refused(
            verdicts, "livespace.auth.unknown-key", 562, what, token_answer.response, UNKNOWN_KEY_CODES
        )
    session, fields = fresh()
    response = post(caller.auth_fields(stranger, session))
    what = "a call with an unknown _api_key on a session issued to the configured key"
    check_refused(verdicts, "livespace.auth.unknown-key", 562, what, response, FOREIGN_SESSION_CODES)

    session, fields = fresh()
    token = "" if session.token is None else str(session.token)
    response = post({**fields, "_api_sha": signature(keys.api_key, token, "apiconform-wrong-secret")})
    what = "a call with a wrong _api_sha"
    check_refused(verdicts, "livespace.auth.bad-signature", 563, what, response, BAD_SIGNATURE_CODES)

    issued = probe.session
    made_up = Session(same_form(issued.token), same_form(issued.session_id), issued.response)
    response = post(caller.auth_fields(keys, made_up))
    what = "a call with a session id no one was issued (of the issued ones' form)"
    check_refused(verdicts, "livespace.auth.unknown-session", 563, what, response, NOT_LOGGED_IN)

    _, fields = fresh()
    response = post({**fields, "_api_auth": "apiconform"})
    what = "a call with _api_auth=apiconform"
    check_refused(verdicts, "livespace.auth.unknown-auth-method", 560, what, response, AUTH_METHOD_CODES)
    other_method = caller.get_token(keys.api_key, auth="apiconform")
    if result_of(other_method.response) == 200:
        verdicts.note(
            "getToken with _api_auth=apiconform issued a token (getToken's parameters are not documented)"
        )
    else:
        what = "getToken with _api_auth=apiconform"
        check_refused(
            verdicts,
            "livespace.auth.unknown-auth-method",
            560,
            what,
            other_method.response,
            AUTH_METHOD_CODES,
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
        result_of(again) in NOT_LOGGED_IN,
        f"the same token and session used again: {described(result_of(again))}, not refused (530 or 563)",
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
    """The read-only user's key and secret authorize its calls as that user, with its
    permissions: its list call is not refused as unauthorized (56x or 530; a 540 would be its
    permission too), and its add is refused with 540; the list it sees (as far as it shows: its
    length, its integer members such as a total, the added marker) is unchanged."""
    marker = f"apiconform-{secrets.token_hex(4)}"
    listing = probe.exists and result_of(probe.response) not in METHOD_REFUSED
    list_method = settings.list_method
    before = caller.call_method(read_only_keys, list_method, settings.list_params) if listing else None
    if before is not None:
        check(
            result_of(before) not in REFUSED,
            f"{list_method} by the read-only user: {described(result_of(before))}: its API key and secret "
            "do not authorize the call as that user (check api_key_read_only and api_secret_read_only)",
            before,
        )
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
    after = caller.call_method(read_only_keys, list_method, settings.list_params)
    counts = [list_counts(data_of(r), settings) for r in (before, after)]
    check(
        counts[0] == counts[1], f"the refused add still changed the list: {counts[0]} -> {counts[1]}", after
    )
    check(not contains(data_of(after), marker), "the refused add is in the list", after)


#: A refusal of the call's authorization (560 is left out: it is also "Incorrect method", which a
#: target may answer a method it does not have: livespace.unknown-method-code).
UNAUTHORIZED = REFUSED - {560}
#: How many calls, each with its own freshly fetched token and session, the rule needs to see.
CALLS_IN_A_ROW = 3


@pytest.mark.observer
@pytest.mark.rule("livespace.auth.token-each-time")
def test_every_fetched_token_authorizes_its_call(caller, keys, settings, verdicts: Verdicts):
    """Every call the suite made the documented way with the configured key (getToken just before
    it, the four authorization fields from its answer) is authorized, however many tokens and
    sessions were fetched and used before it: none is refused as unauthorized (561-564 or 530).
    Runs last, over the run's calls; when fewer than three were made (the rule selected alone),
    it makes them. (The read-only user's calls are livespace.auth.no-permission-540's.)"""
    calls = [c for c in caller.signed_calls if c.api_key == keys.api_key and c.freshly_authorized]
    method = settings.list_method
    for _ in range(max(0, CALLS_IN_A_ROW - len(calls))):
        caller.call(keys, method.module, method.name, settings.list_params)
        signed = caller.signed_calls[-1]
        check(signed.freshly_authorized, "getToken answered no token and session id", signed.session.response)
        calls.append(signed)
    refused = [signed for signed in calls if result_of(signed.response) in UNAUTHORIZED]
    if refused:
        first = refused[0]
        check(
            False,
            f"{len(refused)} of {len(calls)} calls made with a freshly fetched token and session, correctly "
            f"signed, were refused as unauthorized (first: {described(result_of(first.response))})",
            first.session.response,
            first.response,
        )
    verdicts.note(f"{len(calls)} calls, each with its own freshly fetched token and session, were authorized")
