"""Generated requests (schemathesis over schemas/leaddesk/openapi.yaml): valid page and per_page
get a 200 matching the collection schema; any query gets only the documented status codes (a
SHOULD: out-of-range values may be 400 or 422, as the document says both)."""

from __future__ import annotations

import pytest
from hypothesis import given

from apiconform.checks.expect import check
from apiconform.checks.generated import NEGATIVE, POSITIVE, run_checks, send_case, strategy
from apiconform.session import Verdicts

PROVIDER = "leaddesk"


@pytest.mark.rule("leaddesk.schema.list-response-conformance", "leaddesk.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listUsers", POSITIVE))
def test_list_valid_queries(case, client, bearer, verdicts: Verdicts):
    response = send_case(client, case, bearer)
    with verdicts.check("leaddesk.schema.list-response-conformance"):
        check(response.status_code == 200, f"a schema-valid query got HTTP {response.status_code}", response)
        run_checks(case, response, ["response_schema_conformance", "content_type_conformance"])
    with verdicts.check("leaddesk.schema.status-code-documented"):
        run_checks(case, response, ["status_code_conformance"])


@pytest.mark.rule("leaddesk.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listUsers", NEGATIVE))
def test_list_invalid_queries(case, client, bearer):
    response = send_case(client, case, bearer)
    run_checks(case, response, ["status_code_conformance"])
