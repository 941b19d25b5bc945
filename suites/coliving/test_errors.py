"""Documented error statuses and types (coliving-api.txt: Error Handling; Update Listing Samples)."""

from __future__ import annotations

import pytest

from apiconform.providers.coliving import payloads
from apiconform.suite import Verdicts, check, error_body, judge_recorded

#: a listing id no host has, and a valid PATCH body (the document does not say whether an
#: empty PATCH is valid, nor whether the body is validated before the listing is looked up)
UNKNOWN_LISTING = "/v1/listings/999999999"
RENAME = {"name": f"{payloads.PREFIX}renamed"}
UNSUPPORTED = "unsupported_provider"


@pytest.mark.rule("coliving.errors.unknown-listing-404")
def test_unknown_listing(client, profile, headers):
    response = client.request("PATCH", UNKNOWN_LISTING, headers=headers(), json=RENAME)
    error_body(profile, response, "PATCH /v1/listings/{unknown id}", status=404, error_type="not_found")


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


@pytest.mark.observer
@pytest.mark.rule("coliving.errors.no-server-error")
def test_no_server_error_in_run(client, target, verdicts: Verdicts):
    """Looks at every exchange of the session so far (this test runs last), as `apiconform check`
    does."""
    base_url = target.masker.mask(target.base_url)
    rules = ("coliving.errors.no-server-error",)
    judge_recorded(target.profile, client.exchanges, base_url, target.masker, verdicts, rules)
