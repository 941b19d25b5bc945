"""Generated requests (schemathesis over schemas/spaces/openapi.yaml, hypothesis-driven).

Valid limits must get a 200 whose body matches the list schema. Generated cursors are dropped from
valid cases: a random id names no object, and rejecting it is correct (a state-dependent 4xx).
Invalid input is held only to the documented status codes, a SHOULD: the document does not say
whether an out-of-range limit is rejected or clamped.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from apiconform.checks.expect import check, expect_json, expect_schema
from apiconform.checks.generated import NEGATIVE, POSITIVE, run_checks, send_case, strategy
from apiconform.schemastore import store
from apiconform.session import Verdicts

PROVIDER = "spaces"


@pytest.mark.rule("spaces.schema.list-response-conformance", "spaces.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listCustomers", POSITIVE))
def test_list_valid_limits(case, client, auth, verdicts: Verdicts):
    case.query = {k: v for k, v in (case.query or {}).items() if k == "limit"}
    response = send_case(client, case, auth)
    with verdicts.check("spaces.schema.list-response-conformance"):
        check(
            response.status_code == 200,
            f"a schema-valid query got HTTP {response.status_code}, not 200",
            response,
        )
        run_checks(case, response, ["response_schema_conformance", "content_type_conformance"])
    with verdicts.check("spaces.schema.status-code-documented"):
        run_checks(case, response, ["status_code_conformance"])


@pytest.mark.rule("spaces.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listCustomers", NEGATIVE))
def test_list_invalid_queries(case, client, auth):
    response = send_case(client, case, auth)
    run_checks(case, response, ["status_code_conformance"])


@pytest.mark.rule("spaces.schema.list-response-conformance")
@pytest.mark.parametrize("limit", [1, 51, 100])
def test_list_limits_across_the_range(limit, client, auth):
    """The smallest, a middle and the largest documented limit, whatever hypothesis draws."""
    response = client.request("GET", "/customers", headers=auth, params={"limit": limit})
    check(
        response.status_code == 200, f"GET /customers?limit={limit} got HTTP {response.status_code}", response
    )
    expect_schema(
        store(PROVIDER), "list", expect_json(response, "GET /customers"), "GET /customers", response
    )
