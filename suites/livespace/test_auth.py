"""Authorization (livespace-api.md: _api_auth, _api_key, _api_sha, _api_session; Token and
Session ID fetched before each request; the Authorization method errors 560-564).

The document's code tables overlap, so each MUST accepts any authorization code (56x) and the
SHOULD `livespace.auth.precise-codes` asks for the precise one."""

from __future__ import annotations

import secrets

import pytest

from apiconform.checks.expect import check
from apiconform.providers.livespace.calls import Credentials, Session, signature
from apiconform.providers.livespace.profile import AUTH_CODES, result_of
from apiconform.schemastore import store
from apiconform.session import Verdicts


def total_of(response) -> object:
    body = response.json_or_none()
    data = body.get("data") if isinstance(body, dict) else None
    return data.get("total") if isinstance(data, dict) else None


def check_refused(verdicts: Verdicts, rule: str, precise: int, what: str, response) -> None:
    result = result_of(response)
    with verdicts.check(rule):
        check(result in AUTH_CODES, f"{what}: result {result!r}, not an authorization error (56x)", response)
    with verdicts.check("livespace.auth.precise-codes"):
        check(result == precise, f"{what}: result {result!r}, the precise code is {precise}", response)


@pytest.mark.rule("livespace.auth.token", "livespace.auth.signed-call-accepted")
def test_token_and_signed_call(caller, keys, verdicts: Verdicts):
    session = caller.get_token(keys.api_key)
    with verdicts.check("livespace.auth.token"):
        check(
            result_of(session.response) == 200,
            f"getToken: result {result_of(session.response)!r}",
            session.response,
        )
        body = session.response.json_or_none() or {}
        errors = store("livespace").errors("token", body.get("data"))
        check(not errors, "getToken data: " + "; ".join(errors), session.response)
    response = caller.post("Contact", "getAll", {**caller.auth_fields(keys, session), "limit": 1})
    with verdicts.check("livespace.auth.signed-call-accepted"):
        check(result_of(response) == 200, f"a signed call: result {result_of(response)!r}", response)


@pytest.mark.rule(
    "livespace.auth.missing-parameters",
    "livespace.auth.unknown-key",
    "livespace.auth.bad-signature",
    "livespace.auth.unknown-session",
    "livespace.auth.unknown-auth-method",
    "livespace.auth.precise-codes",
)
def test_refused_calls(caller, keys, verdicts: Verdicts):
    """Each call below takes a fresh token and session and breaks exactly one thing."""

    def fresh() -> tuple[Session, dict]:
        session = caller.get_token(keys.api_key)
        return session, caller.auth_fields(keys, session)

    _, fields = fresh()
    for name in ("_api_sha", "_api_session"):
        _, fields = fresh()
        response = caller.post("Contact", "getAll", {k: v for k, v in fields.items() if k != name})
        check_refused(verdicts, "livespace.auth.missing-parameters", 561, f"a call without {name}", response)

    unknown = f"apiconform-unknown-{secrets.token_hex(8)}"
    token_answer = caller.get_token(unknown)
    check_refused(
        verdicts, "livespace.auth.unknown-key", 562, "getToken with an unknown key", token_answer.response
    )
    session, fields = fresh()
    stranger = Credentials(unknown, keys.api_secret)
    response = caller.post("Contact", "getAll", caller.auth_fields(stranger, session))
    check_refused(verdicts, "livespace.auth.unknown-key", 562, "a call with an unknown _api_key", response)

    session, fields = fresh()
    wrong = {**fields, "_api_sha": signature(keys.api_key, session.token or "", "apiconform-wrong-secret")}
    response = caller.post("Contact", "getAll", wrong)
    check_refused(verdicts, "livespace.auth.bad-signature", 563, "a call with a wrong _api_sha", response)

    made_up = Session(secrets.token_hex(20), secrets.token_hex(16), token_answer.response)
    response = caller.post("Contact", "getAll", caller.auth_fields(keys, made_up))
    check_refused(verdicts, "livespace.auth.unknown-session", 563, "a call with a made-up session", response)

    _, fields = fresh()
    response = caller.post("Contact", "getAll", {**fields, "_api_auth": "apiconform"})
    check_refused(
        verdicts, "livespace.auth.unknown-auth-method", 560, "a call with _api_auth=apiconform", response
    )


@pytest.mark.rule("livespace.auth.session-single-use")
def test_session_is_single_use(caller, keys):
    session = caller.get_token(keys.api_key)
    fields = {**caller.auth_fields(keys, session), "limit": 1}
    first = caller.post("Contact", "getAll", fields)
    check(result_of(first) == 200, f"the first call with a session: result {result_of(first)!r}", first)
    again = caller.post("Contact", "getAll", fields)
    check(
        result_of(again) in AUTH_CODES,
        f"the same token and session used again: result {result_of(again)!r}, not refused",
        again,
    )


@pytest.mark.rule("livespace.auth.no-permission-540")
def test_read_only_user_cannot_write(caller, keys, read_only_keys):
    before = caller.call(keys, "Contact", "getAll", {"limit": 1})
    response = caller.call(
        read_only_keys,
        "Contact",
        "add",
        {"firstname": "apiconform-forbidden", "lastname": secrets.token_hex(4)},
    )
    check(
        result_of(response) == 540,
        f"Contact/add by a user without permission: result {result_of(response)!r}",
        response,
    )
    after = caller.call(keys, "Contact", "getAll", {"limit": 1})
    totals = [total_of(r) for r in (before, after)]
    check(totals[0] == totals[1], f"the refused add still changed the contact count {totals}", after)
