"""User creation (coliving-api.txt: User Management, Create User)."""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.suite import Verdicts, check, error_body, error_paths, same_date, success_data

ECHOED = ("phone", "gender", "country", "city", "timezone", "language")
#: "proper name formatting" (Create User): names may come back re-cased
NAMES = ("first_name", "last_name")


def echo_differences(sent: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """The sent profile fields the created user does not carry (names compared without letter
    case, the date of birth as a date: see coliving.timestamp-format)."""
    changed = [k for k in ECHOED if data.get(k) != sent[k]]
    changed += [k for k in NAMES if str(data.get(k)).casefold() != sent[k].casefold()]
    changed += [] if same_date(data.get("date_of_birth"), sent["date_of_birth"]) else ["date_of_birth"]
    return [f"{k}: sent {sent[k]!r}, got {data.get(k)!r}" for k in changed]


@pytest.mark.rule(
    "coliving.users.create-201",
    "coliving.users.create-echoes-input",
    "coliving.users.created-active",
    "coliving.users.password-not-returned",
)
def test_create_user(suite_user, profile, verdicts: Verdicts):
    response, sent = suite_user.response, suite_user.body
    with verdicts.check("coliving.users.create-201"):
        success_data(profile, response, "POST /v1/users", status=201, data_schema="user")
    data = success_data(profile, response, "POST /v1/users", status=(200, 201))
    if not isinstance(data, dict):
        data = {}
    with verdicts.check("coliving.users.create-echoes-input"):
        check(
            str(data.get("email", "")).lower() == sent["email"].lower(),
            f"email {data.get('email')!r} is not the email sent ({sent['email']!r})",
            response,
        )
        changed = echo_differences(sent, data)
        check(not changed, "the created user differs from what was sent: " + "; ".join(changed), response)
    with verdicts.check("coliving.users.created-active"):
        check(data.get("status") == 1, f"status is {data.get('status')!r}, not 1 (active)", response)
        check(
            data.get("source") == "api" and data.get("api_created") is True,
            f"source {data.get('source')!r} / api_created {data.get('api_created')!r}, not 'api' / true",
            response,
        )
    with verdicts.check("coliving.users.password-not-returned"):
        check(
            "password" not in data and sent["password"] not in response.text,
            "the response echoes the password",
            response,
        )


@pytest.mark.rule("coliving.users.missing-email-422", "coliving.errors.validation-error-type")
def test_missing_email(client, profile, headers, verdicts: Verdicts):
    from apiconform.providers.coliving.payloads import user_body

    body = user_body()
    del body["email"]
    response = client.request("POST", "/v1/users", headers=headers(), json=body)
    with verdicts.check("coliving.users.missing-email-422"):
        error = error_body(profile, response, "POST /v1/users without email", status=422)
        check("email" in error_paths(profile, error), "no errors[] item has path email", response)
    with verdicts.check("coliving.errors.validation-error-type"):
        error = error_body(
            profile, response, "POST /v1/users without email", status=422, error_type="validation_error"
        )
        check(profile.error_items(error), "the 422 has no errors[] item", response)
