"""Generated requests (schemathesis over schemas/coliving/openapi.yaml, hypothesis-driven).

Each schemathesis check backs one rule: response schema conformance for schema-valid input,
negative-data rejection only for the query constraints the document states, and status-code
conformance only as a SHOULD (the document lists no error responses for GET /v1/listings).
Generated writes are tagged (`apiconform-` emails and original_ids from a fixed small set) so
that repeated runs do not pile up data.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from apiconform.checks.expect import check
from apiconform.checks.generated import NEGATIVE, POSITIVE, run_checks, send_case, strategy
from apiconform.providers.coliving import payloads
from apiconform.session import Verdicts

PROVIDER = "coliving"


@pytest.mark.rule("coliving.schema.list-response-conformance", "coliving.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listListings", POSITIVE))
def test_list_valid_queries(case, client, headers, verdicts: Verdicts):
    response = send_case(client, case, headers())
    with verdicts.check("coliving.schema.list-response-conformance"):
        check(
            response.status_code == 200,
            f"a schema-valid query got HTTP {response.status_code}, not 200",
            response,
        )
        run_checks(case, response, ["response_schema_conformance", "content_type_conformance"])
    with verdicts.check("coliving.schema.status-code-documented"):
        run_checks(case, response, ["status_code_conformance"])


@pytest.mark.rule("coliving.schema.list-constraints-enforced", "coliving.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listListings", NEGATIVE))
def test_list_invalid_queries(case, client, headers, verdicts: Verdicts):
    response = send_case(client, case, headers())
    with verdicts.check("coliving.schema.list-constraints-enforced"):
        run_checks(case, response, ["negative_data_rejection"])
    with verdicts.check("coliving.schema.status-code-documented"):
        run_checks(case, response, ["status_code_conformance"])


def tag(operation_id: str, body: object, refs: dict[str, int | None]) -> object:
    """Make a generated body recognisable and bounded (see the module docstring)."""
    if not isinstance(body, dict):
        return body
    body = dict(body)
    if operation_id == "createUser":
        body["email"] = f"{payloads.PREFIX}gen-{payloads.token()}@example.com"
    elif operation_id == "upsertListing":
        body["original_id"] = f"{payloads.PREFIX}generated-{payloads.token()[:1]}"
        body["name"] = f"{payloads.PREFIX}{body.get('name', '')}"[:200]
    elif operation_id == "createBooking":
        body.update({k: v for k, v in refs.items() if v is not None})
    return body


@pytest.fixture(scope="module")
def booking_refs(suite_user, kept_listing):
    listing = kept_listing("bookings")
    return {"user_id": suite_user.id, "listing_id": listing.id}


@pytest.mark.rule("coliving.schema.write-response-conformance", "coliving.schema.write-status-documented")
@pytest.mark.parametrize("operation_id", ["createUser", "createBooking", "upsertListing"])
def test_writes_with_valid_bodies(operation_id, client, headers, booking_refs, verdicts: Verdicts):
    @given(case=strategy(PROVIDER, operation_id, POSITIVE))
    def run(case):
        case.body = tag(operation_id, case.body, booking_refs)
        response = send_case(client, case, headers())
        with verdicts.check("coliving.schema.write-response-conformance"):
            run_checks(case, response, ["response_schema_conformance", "content_type_conformance"])
        with verdicts.check("coliving.schema.write-status-documented"):
            run_checks(case, response, ["status_code_conformance"])

    run()
