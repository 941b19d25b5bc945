"""Documented error statuses and types (coliving-api.txt: Error Handling; Update Listing Samples)."""

from __future__ import annotations

import pytest

from apiconform.checks.envelope import error_body
from apiconform.checks.observe import answered_exchanges, report
from apiconform.providers.coliving import payloads


@pytest.mark.rule("coliving.errors.unknown-listing-404")
def test_unknown_listing(client, profile, headers):
    response = client.request("PATCH", "/v1/listings/999999999", headers=headers(), json={})
    error_body(profile, response, "PATCH /v1/listings/{unknown id}", status=404, error_type="not_found")


@pytest.mark.rule("coliving.errors.unsupported-provider-404")
def test_unsupported_integration_provider(client, profile, headers):
    response = client.request(
        "POST",
        f"/v1/integrations/{payloads.PREFIX}no-such-provider/provider-key",
        headers=headers(),
        json={"provider_api_key": f"{payloads.PREFIX}provider-key"},
    )
    error_body(
        profile,
        response,
        "POST /v1/integrations/{unknown}/provider-key",
        status=404,
        error_type="unsupported_provider",
    )


@pytest.mark.observer
@pytest.mark.rule("coliving.errors.no-server-error")
def test_no_server_error_in_run(client, target):
    """Looks at every exchange of the session so far (this test runs last)."""
    seen = answered_exchanges(client, target.masker.mask(target.base_url))
    report([(e, f"HTTP {e.status}") for e in seen if e.status >= 500], "got a 5xx")
