"""Documented error statuses, types and wordings (coliving-api.txt: Error Handling; the error
samples of Create User, Create Booking, Create Listing and Update Listing).

Decided per example value (suites/coliving/statements.toml): error.type and the emptiness of
errors[] on 401 and 404 are fixed (MUST, judged by the rules of each status); the messages and a
missing field's item (its code and message) are illustrations whose wording a server may choose:
the SHOULD example-messages asks for the document's."""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.providers.coliving import payloads
from apiconform.suite import (
    ApiResponse,
    Exchange,
    Verdicts,
    answered_exchanges,
    check,
    error_body,
    judge_recorded,
    recorded_json,
    report,
)

UNSUPPORTED = "unsupported_provider"
#: (method, path prefix, status, error.type) -> the message the document's sample shows
MESSAGES: dict[tuple[str, str, int, str], str] = {
    ("POST", "/v1/listings", 403, "forbidden"): "Missing required API key permission.",
    ("PATCH", "/v1/listings/", 403, "forbidden"): "Missing required API key permission.",
    ("PATCH", "/v1/listings/", 404, "not_found"): "Listing not found or unauthorized",
    ("POST", "/v1/listings", 409, "conflict_error"): (
        "A listing with this external identity already exists for this host but is inactive."
    ),
}
#: the validation probe fixture -> the errors[] item of its endpoint's Validation Error (422) sample
MISSING_FIELD_ITEMS = {
    "user_invalid": ("email", "invalid", "Email address is required."),
    "booking_invalid": ("user_id", "invalid", "User ID is required."),
    "listing_invalid": ("name", "required", "The name field is required."),
}


@pytest.mark.rule("coliving.errors.unknown-listing-404")
def test_unknown_listing(traced_404, profile):
    what = "PATCH /v1/listings/{unknown id}"
    body = error_body(profile, traced_404, what, status=404, error_type="not_found")
    items = profile.error_items(body)
    check(not items, f"{what}: the 404 lists {len(items)} errors[] item(s), not []", traced_404)


@pytest.mark.rule("coliving.errors.unsupported-provider-404")
def test_unsupported_integration_provider(client, profile, headers):
    """ "404 - Not Found (includes unsupported_provider for unknown /v1/integrations/{provider}/...)"
    does not say where unsupported_provider appears: as error.type or as an errors[] item's code
    (silence point coliving.unsupported-provider-location). Which permission the endpoint needs
    is not stated either: a 403 for the suite's key leaves the rule without a verdict."""
    what = "POST /v1/integrations/{unknown}/provider-key"
    response = client.request(
        "POST",
        f"/v1/integrations/{payloads.PREFIX}no-such-provider/provider-key",
        headers=headers(),
        json={"provider_api_key": f"{payloads.PREFIX}provider-key"},
    )
    if response.status_code == 403:
        pytest.skip(
            f"{what} answered 403: the document does not say which permission the integrations "
            "endpoints need, and api_key lacks it; use a key that has it"
        )
    body = error_body(profile, response, what, status=404)
    codes = [item.get("code") for item in profile.error_items(body)]
    check(
        profile.error_type(body) == UNSUPPORTED or UNSUPPORTED in codes,
        f"{what}: {UNSUPPORTED} is neither the error type ({profile.error_type(body)!r}) "
        f"nor an errors[] code ({codes})",
        response,
    )


def message_of(body: Any) -> tuple[str | None, Any]:
    error = body.get("error") if isinstance(body, dict) else None
    return (error.get("type"), error.get("message")) if isinstance(error, dict) else (None, None)


def exchange_problem(exchange: Exchange, base: str) -> str | None:
    """Where a recorded error answer that one of the document's samples shows departs from its
    wording, or None (also for answers no sample shows)."""
    path = exchange.url[len(base) :].split("?", 1)[0]
    type_, message = message_of(recorded_json(exchange))
    for (method, prefix, status, wanted_type), wanted in MESSAGES.items():
        matches = path == prefix if not prefix.endswith("/") else path.startswith(prefix)
        if (exchange.method, exchange.status, type_) == (method, status, wanted_type) and matches:
            return None if message == wanted else f"message {message!r}, the sample has {wanted!r}"
    return None


@pytest.mark.observer
@pytest.mark.rule("coliving.errors.example-messages")
def test_documented_wording(client, target, profile, request, no_key_get, verdicts: Verdicts):
    """The 401 for a missing key, the 403, 404 and 409 the run got, and (with writes) each
    endpoint's missing-field 422: their messages and items as the document's samples word them."""
    what = "GET /v1/listings without a key"
    _, message = message_of(no_key_get.json_or_none())
    check(
        message == "API key is required",
        f"{what}: message {message!r}, the sample has 'API key is required'",
        no_key_get,
    )
    base = target.masker.mask(target.base_url)
    report(
        [(e, problem) for e in answered_exchanges(client, base) if (problem := exchange_problem(e, base))],
        "word an error otherwise than the document's sample",
    )
    if not target.allow_writes:
        verdicts.note("the 422 samples need writes (allow_writes): not compared")
        return
    for name, item in MISSING_FIELD_ITEMS.items():
        response: ApiResponse = request.getfixturevalue(name).response
        body = response.json_or_none()
        _, message = message_of(body)
        items = [(i.get("path"), i.get("code"), i.get("message")) for i in profile.error_items(body)]
        check(
            response.status_code == 422 and message == "Validation failed" and item in items,
            f"the 422 for a missing {item[0]} is worded {message!r} with items {items}; the sample has "
            f"'Validation failed' with {item}",
            response,
        )


@pytest.mark.observer
@pytest.mark.rule("coliving.errors.no-server-error")
def test_no_server_error_in_run(client, target, verdicts: Verdicts):
    """Looks at every exchange of the session so far (this test runs last), as `apiconform check`
    does."""
    base_url = target.masker.mask(target.base_url)
    rules = ("coliving.errors.no-server-error",)
    judge_recorded(target.profile, client.exchanges, base_url, target.masker, verdicts, rules)
