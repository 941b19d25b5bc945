"""Errors (spaces-api.txt: status codes 400, 401, 404, 500; All responses will be returned in JSON
format; error JSON will often include message)."""

from __future__ import annotations

import secrets

import pytest

from apiconform.checks.expect import check, expect_status
from apiconform.checks.observe import answered_exchanges, content_type, report
from apiconform.client import ApiResponse, parse_json
from apiconform.providers.spaces.profile import LIST_PATH
from apiconform.recording import Exchange
from apiconform.session import Verdicts


def is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def check_json(response: ApiResponse, what: str) -> None:
    """A response with a body declares a JSON media type and parses as JSON."""
    if not response.content.strip():
        return
    content_type = response.headers.get("content-type", "")
    check(is_json_type(content_type), f"{what}: Content-Type is {content_type!r}, not JSON", response)
    check(response.json_or_none() is not None, f"{what}: the body does not parse as JSON", response)


def check_message(response: ApiResponse, what: str) -> None:
    body = response.json_or_none()
    message = body.get("message") if isinstance(body, dict) else None
    check(
        isinstance(message, str) and message.strip(),
        f"{what}: the error body has no string message",
        response,
    )


@pytest.mark.rule(
    "spaces.errors.unknown-resource-404",
    "spaces.errors.invalid-parameter-400",
    "spaces.errors.json-content-type",
    "spaces.errors.message",
)
def test_error_responses(client, auth, verdicts: Verdicts):
    """Unknown object and unknown path get 404, a malformed limit 400; these, a 401 and a list
    are JSON, and the errors carry a message."""
    missing = f"apiconform-missing-{secrets.token_hex(4)}"
    probes = [
        ("spaces.errors.unknown-resource-404", f"{LIST_PATH}/{missing}", {}, auth, 404),
        ("spaces.errors.unknown-resource-404", f"/{missing}", {}, auth, 404),
        ("spaces.errors.invalid-parameter-400", LIST_PATH, {"limit": "ten"}, auth, 400),
        (None, LIST_PATH, {"limit": 1}, {}, 401),
        (None, LIST_PATH, {"limit": 1}, auth, 200),
    ]
    for rule, path, params, headers, status in probes:
        response = client.request("GET", path, headers=headers, params=params)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        what = f"GET {path}{'?' + query if query else ''}" + ("" if headers else " without credentials")
        if rule is not None:
            with verdicts.check(rule):
                expect_status(response, status, what)
        with verdicts.check("spaces.errors.json-content-type"):
            check_json(response, what)
        if response.status_code >= 400:
            with verdicts.check("spaces.errors.message"):
                check_message(response, what)


def has_message(exchange: Exchange) -> bool:
    try:
        body = parse_json(exchange.response_body)
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("message"), str) and bool(body["message"].strip())


@pytest.mark.observer
@pytest.mark.rule("spaces.errors.json-content-type", "spaces.errors.message", "spaces.errors.no-server-error")
def test_every_response_of_the_run(client, target, verdicts: Verdicts):
    """Looks at every exchange of the session so far (this test runs last)."""
    seen = answered_exchanges(client, target.masker.mask(target.base_url))
    with verdicts.check("spaces.errors.json-content-type"):
        report(
            [
                (e, f"Content-Type {content_type(e)!r}, parses as JSON: {e.body_json}")
                for e in seen
                if e.body_json is not None and not (e.body_json and is_json_type(content_type(e)))
            ],
            "with a body are not declared and parsed as JSON",
        )
    with verdicts.check("spaces.errors.message"):
        report([(e, "no message") for e in seen if e.status >= 400 and not has_message(e)], "lack a message")
    with verdicts.check("spaces.errors.no-server-error"):
        report([(e, f"HTTP {e.status}") for e in seen if e.status >= 500], "got a 5xx")
