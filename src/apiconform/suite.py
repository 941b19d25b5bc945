"""The front door for suite authors: everything a suite in `suites/<provider>/` needs from
apiconform, in one import (as httpx's top-level module is):

    from apiconform.suite import Verdicts, check, fail, success_data

- assertions with evidence: `fail`, `check`, `expect_status`, `expect_json`, `expect_schema`; the
  endings that are not a failure: `setup_refused` (error), `precondition` (error),
  `skip_unsupported` (skipped); a failure is a `CheckFailed` carrying its exchanges;
- `Verdicts` (the `verdicts` fixture): several rules verified by one test's requests;
- envelope checks in the provider's dialect: `success_data`, `error_body`, `error_shape`,
  `error_paths`;
- pagination walkers and checks (page numbers: `walk`, ...; cursors: `walk_cursor`, ...);
- observer helpers over every recorded exchange: `answered_exchanges`, `recorded_json`, `report`,
  and `judge_recorded` (the rules observed mode judges from traffic, with its observers);
- generated requests: `strategy` (of schemathesis `Case`s), `send_case`, `run_checks` with
  schemathesis' checks;
- date and time checks, the idempotency and rate-limit modules;
- `lookalike`: a random value of the form of a target's own (an unknown key or token);
- the types the fixtures give: `ApiClient`, `ApiResponse`, `Exchange`, `Target`, `Profile`.

The fixtures (`client`, `target`, `profile`, `verdicts`, `run_session`) exist only inside an
apiconform run (apiconform.fixtures); tests declare their rules with `@pytest.mark.rule(...)`.
What is particular to one provider stays in its package, `apiconform.providers.<name>`.
"""

from __future__ import annotations

from schemathesis import Case

from apiconform.checks import idempotency, ratelimit
from apiconform.checks.envelope import error_body, error_paths, error_shape, success_data
from apiconform.checks.expect import (
    check,
    evidence,
    expect_json,
    expect_schema,
    expect_status,
    fail,
    precondition,
    setup_refused,
    skip_unsupported,
)
from apiconform.checks.generated import (
    NEGATIVE,
    POSITIVE,
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    operation,
    response_schema_conformance,
    run_checks,
    send_case,
    status_code_conformance,
    strategy,
)
from apiconform.checks.iso8601 import (
    check_rfc3339,
    iso8601_problem,
    parse_date_time,
    rfc3339_problem,
    same_date,
)
from apiconform.checks.lookalike import lookalike
from apiconform.checks.observe import NOT_KEPT, answered_exchanges, content_type, recorded_json, report
from apiconform.checks.pagination import (
    CursorPage,
    CursorWalk,
    Page,
    PageInfo,
    Walk,
    check_cursor_walk,
    check_exactly_once,
    check_exactly_once_up_to_ties,
    check_full_pages,
    check_has_more,
    check_has_more_backward,
    check_order,
    check_page_arithmetic,
    check_page_sizes,
    check_same_sequence,
    expected_count,
    walk,
    walk_cursor,
)
from apiconform.checks.verdicts import Verdicts
from apiconform.client import ApiClient, ApiResponse
from apiconform.errors import CheckFailed, PreconditionNotMet, SetupRefused, TargetError
from apiconform.observed.live import judge_recorded
from apiconform.profile import Profile
from apiconform.recording import Exchange
from apiconform.rules import load_catalogue
from apiconform.schemastore import store
from apiconform.target import Target

__all__ = [
    "NEGATIVE",
    "NOT_KEPT",
    "POSITIVE",
    "ApiClient",
    "ApiResponse",
    "Case",
    "CheckFailed",
    "CursorPage",
    "CursorWalk",
    "Exchange",
    "Page",
    "PageInfo",
    "PreconditionNotMet",
    "Profile",
    "SetupRefused",
    "Target",
    "TargetError",
    "Verdicts",
    "Walk",
    "answered_exchanges",
    "check",
    "check_cursor_walk",
    "check_exactly_once",
    "check_exactly_once_up_to_ties",
    "check_full_pages",
    "check_has_more",
    "check_has_more_backward",
    "check_order",
    "check_page_arithmetic",
    "check_page_sizes",
    "check_rfc3339",
    "check_same_sequence",
    "content_type",
    "content_type_conformance",
    "error_body",
    "error_paths",
    "error_shape",
    "evidence",
    "expect_json",
    "expect_schema",
    "expect_status",
    "expected_count",
    "fail",
    "idempotency",
    "iso8601_problem",
    "judge_recorded",
    "load_catalogue",
    "lookalike",
    "negative_data_rejection",
    "not_a_server_error",
    "operation",
    "parse_date_time",
    "precondition",
    "ratelimit",
    "recorded_json",
    "report",
    "response_schema_conformance",
    "rfc3339_problem",
    "run_checks",
    "same_date",
    "send_case",
    "setup_refused",
    "skip_unsupported",
    "status_code_conformance",
    "store",
    "strategy",
    "success_data",
    "walk",
    "walk_cursor",
]
