"""Generated requests (schemathesis over schemas/leaddesk/openapi.yaml): GET /users with page and
per_page drawn from their schema (page >= 1, per_page 1..500).

What the document promises: per_page from 1 to 500 ("Maximum is by default 500 items"), and pages
that hold objects ("requesting a page 2 with per_page=25 would give out items from 26...50"). Those
get a 200 matching the collection schema (a MUST). What a page past the end, or a page number no
client sends, gets is not stated: a 200 matching the schema, or a documented 4xx (400, 404, 422)
with the error object, both pass. Any query gets only the document's status codes (a SHOULD:
out-of-range values may be 400 or 422, as the document says both)."""

from __future__ import annotations

import pytest
from hypothesis import example, given

from apiconform.providers.leaddesk.probes import promised
from apiconform.suite import (
    NEGATIVE,
    POSITIVE,
    Verdicts,
    check,
    content_type_conformance,
    error_shape,
    operation,
    response_schema_conformance,
    run_checks,
    send_case,
    status_code_conformance,
    strategy,
)

PROVIDER = "leaddesk"
#: The 4xx a request for values the document does not promise may get (400 and 422 for invalid
#: values, 404 for a page that is "not available").
UNPROMISED_REFUSALS = (400, 404, 422)
LIST_USERS = operation(PROVIDER, "listUsers")


@pytest.mark.rule("leaddesk.schema.list-response-conformance", "leaddesk.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listUsers", POSITIVE))
@example(case=LIST_USERS.Case(query={"per_page": 500}))  # the documented maximum
@example(case=LIST_USERS.Case(query={"page": 2, "per_page": 25}))  # the Collections example
@example(case=LIST_USERS.Case(query={"per_page": 50, "page": 5}))  # the GET example
def test_list_valid_queries(case, client, profile, bearer, reference, verdicts: Verdicts):
    response = send_case(client, case, bearer)
    query = dict(case.query or {})
    with verdicts.check("leaddesk.schema.list-response-conformance"):
        if promised(query, reference.size) or not 400 <= response.status_code < 500:
            check(
                response.status_code == 200,
                f"a schema-valid query {query} got HTTP {response.status_code}",
                response,
            )
            run_checks(case, response, [response_schema_conformance, content_type_conformance])
        else:
            check(
                response.status_code in UNPROMISED_REFUSALS,
                f"{query} (not promised by the document) got HTTP {response.status_code}, "
                f"neither 200 nor one of {UNPROMISED_REFUSALS}",
                response,
            )
            error_shape(profile, response, f"{query}: the error")
    with verdicts.check("leaddesk.schema.status-code-documented"):
        run_checks(case, response, [status_code_conformance])


@pytest.mark.rule("leaddesk.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listUsers", NEGATIVE))
def test_list_invalid_queries(case, client, bearer):
    response = send_case(client, case, bearer)
    run_checks(case, response, [status_code_conformance])
