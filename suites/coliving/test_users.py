"""User creation (coliving-api.txt: User Management, Create User).

"Use the request and response examples below as the canonical contract for this endpoint": the
created user is held to the response example field by field (its fixed values as the example has
them, the values a run cannot know, such as ids, ip and timestamps, by their form); the fields
sent come back as sent."""

from __future__ import annotations

import pytest

from apiconform.providers.coliving import contracts
from apiconform.providers.coliving.validation import judge_422
from apiconform.suite import (
    Verdicts,
    check,
    success_data,
)


@pytest.mark.rule(
    "coliving.users.create-201",
    "coliving.users.create-echoes-input",
    "coliving.users.created-active",
    "coliving.users.example-contract",
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
        changed = contracts.user_echo_differences(sent, data)
        check(not changed, "the created user differs from what was sent: " + "; ".join(changed), response)
    with verdicts.check("coliving.users.created-active"):
        check(data.get("status") == 1, f"status is {data.get('status')!r}, not 1 (active)", response)
        check(
            data.get("source") == "api" and data.get("api_created") is True,
            f"source {data.get('source')!r} / api_created {data.get('api_created')!r}, not 'api' / true",
            response,
        )
    with verdicts.check("coliving.users.example-contract"):
        success_data(profile, response, "POST /v1/users", status=201, data_schema="user")
        differences = contracts.user_differences(data) + contracts.user_echo_differences(sent, data)
        differences += [] if data.get("status") == 1 else [f"status is {data.get('status')!r}, not 1"]
        check(
            not differences,
            "the created user departs from the Create User response example: " + "; ".join(differences),
            response,
        )
    with verdicts.check("coliving.users.password-not-returned"):
        check(
            "password" not in data and sent["password"] not in response.text,
            "the response echoes the password",
            response,
        )


@pytest.mark.rule("coliving.users.missing-email-422", "coliving.errors.validation-error-type")
def test_missing_email(user_invalid, profile, verdicts: Verdicts):
    what = "POST /v1/users without email"
    judge_422(profile, verdicts, "coliving.users.missing-email-422", user_invalid.response, what, "email")
