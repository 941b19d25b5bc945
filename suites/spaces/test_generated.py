"""Generated requests (schemathesis over schemas/spaces/openapi.yaml, hypothesis-driven).

What the document promises to accept: `limit` from 1 to 100 ("Limit can range between 1 and 100
items"), and no limit at all (the default, 20). Those are the only positive values generated:
every one must get a 200 whose body matches the list schema. Generated cursors are dropped from
valid cases: a random id names no object, and rejecting it is correct (a state-dependent 4xx).
A valid query is sent as any client would send it, following a redirect within the origin (e.g.
to a trailing slash); generated invalid queries are sent as generated.
Invalid input is held only to the documented status codes, a SHOULD: the document does not say
whether an out-of-range limit is rejected or clamped. The body is validated against
list.schema.json (the success envelope) directly (the media type it is declared with is the SHOULD
spaces.errors.json-media-type, not part of this MUST).
"""

from __future__ import annotations

import pytest
from hypothesis import given

from apiconform.providers.spaces.profile import LIST_PATH
from apiconform.suite import (
    NEGATIVE,
    POSITIVE,
    Verdicts,
    run_checks,
    send_case,
    status_code_conformance,
    strategy,
    success_data,
)

PROVIDER = "spaces"


@pytest.mark.rule("spaces.schema.list-response-conformance", "spaces.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listCustomers", POSITIVE))
def test_list_valid_limits(case, client, profile, auth, verdicts: Verdicts):
    case.query = {k: v for k, v in (case.query or {}).items() if k == "limit"}
    response = client.request("GET", LIST_PATH, headers=auth, params=case.query)  # redirects followed
    with verdicts.check("spaces.schema.list-response-conformance"):
        success_data(
            profile, response, f"GET {LIST_PATH} with the schema-valid query {case.query}", status=200
        )
    with verdicts.check("spaces.schema.status-code-documented"):
        run_checks(case, response, [status_code_conformance])


@pytest.mark.rule("spaces.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listCustomers", NEGATIVE))
def test_list_invalid_queries(case, client, auth):
    response = send_case(client, case, auth)
    run_checks(case, response, [status_code_conformance])


@pytest.mark.rule("spaces.schema.list-response-conformance")
@pytest.mark.parametrize("limit", [1, 51, 100])
def test_list_limits_across_the_range(limit, client, profile, auth):
    """The smallest, a middle and the largest documented limit, whatever hypothesis draws."""
    response = client.request("GET", LIST_PATH, headers=auth, params={"limit": limit})
    success_data(profile, response, f"GET {LIST_PATH}?limit={limit}", status=200)
