"""Generated requests (schemathesis over schemas/coliving/openapi.yaml, hypothesis-driven).

Each check backs one rule: response schema conformance for schema-valid input (a 200 demanded
only for the queries the document promises to serve, `unpromised`), rejection only of values that
break a constraint the document states and that no server reads another way (`out_of_bounds`),
and status-code conformance only as a SHOULD (the document lists no error responses for GET
/v1/listings).
Generated writes are tagged (`apiconform-` emails and original_ids from a fixed small set) so
that repeated runs do not pile up data.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.listquery import ENUMS, MAX_Q, RANGES, check_bounds_kept
from apiconform.suite import (
    NEGATIVE,
    POSITIVE,
    Case,
    Verdicts,
    check,
    content_type_conformance,
    error_body,
    operation,
    response_schema_conformance,
    run_checks,
    send_case,
    status_code_conformance,
    strategy,
)

PROVIDER = "coliving"


def values(params: dict[str, Any], name: str) -> list[str]:
    value = params.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def unpromised(params: dict[str, Any]) -> str | None:
    """Why a schema-valid query is beyond what the document promises to serve, or None.

    Promised (a 200 is demanded): page 1 (later pages are held to by the walk rules, up to
    last_page; past it the document is silent), per_page 1-100, the sort and order vocabularies
    (order only with sort: "Sort direction when sort is set"), distinct listing_status values,
    and a q of printable text of 1-255 bytes (a server may count 255 in bytes, or refuse control
    characters; an empty q is read as no q by Laravel). Beyond that a 200 or a 4xx error
    envelope passes (silence points coliving.list-query-promise, coliving.order-without-sort)."""
    page = values(params, "page")
    if page and page != ["1"]:
        return f"page {page[0][:20]} (past the first page)"
    if values(params, "order") and not values(params, "sort"):
        return "order without sort"
    statuses = values(params, "listing_status")
    if len(statuses) != len(set(statuses)):
        return "a listing_status value repeated"
    for q in values(params, "q"):
        if not q or not q.isprintable() or len(q.encode()) > MAX_Q:
            return "q empty, longer than 255 bytes or with unprintable characters"
    return None


def out_of_bounds(params: dict[str, Any]) -> str | None:
    """The first stated constraint a query breaks with a value a server cannot read another way,
    or None. Not counted: empty values and values with surrounding white space (Laravel's
    ConvertEmptyStringsToNull and TrimStrings make them absent or valid), a scalar parameter given
    more than once (PHP keeps the last), and parameters the document does not declare (silence
    points coliving.empty-parameters, coliving.repeated-parameters)."""
    for name, (low, high) in RANGES.items():
        given = values(params, name)
        if len(given) != 1 or not given[0].strip():
            continue
        text = given[0].strip()
        number = int(text) if text.lstrip("-").isdigit() and text.isascii() else None
        if number is None or number < low or (high is not None and number > high):
            return f"{name}={text[:20]!r}"
    for name, allowed in ENUMS.items():
        given = values(params, name)
        if name != "listing_status" and len(given) != 1:
            continue
        bad = [v for v in given if v.strip() and v.strip() not in allowed]
        if bad:
            return f"{name}={bad[0][:20]!r}"
    q = values(params, "q")
    if len(q) == 1 and len(q[0].strip()) > MAX_Q:
        return f"q of {len(q[0])} characters"
    return None


def query_of(case: Any) -> dict[str, Any]:
    return dict(case.query or {})


@pytest.mark.rule("coliving.schema.list-response-conformance", "coliving.schema.status-code-documented")
@given(case=strategy(PROVIDER, "listListings", POSITIVE))
def test_list_valid_queries(case, client, profile, headers, verdicts: Verdicts):
    response = send_case(client, case, headers())
    with verdicts.check("coliving.schema.list-response-conformance"):
        beyond = unpromised(query_of(case))
        if beyond is not None and 400 <= response.status_code < 500:
            error_body(profile, response, f"GET /v1/listings with {beyond}", status=response.status_code)
        else:
            check(
                response.status_code == 200,
                f"a query the document promises to serve got HTTP {response.status_code}, not 200",
                response,
            )
            run_checks(case, response, [response_schema_conformance, content_type_conformance])
    with verdicts.check("coliving.schema.status-code-documented"):
        run_checks(case, response, [status_code_conformance])


@pytest.mark.rule(
    "coliving.schema.list-bounds-kept",
    "coliving.schema.list-bounds-refused",
    "coliving.schema.status-code-documented",
)
@given(case=strategy(PROVIDER, "listListings", NEGATIVE))
def test_list_invalid_queries(case, client, profile, headers, verdicts: Verdicts):
    response = send_case(client, case, headers())
    broken = out_of_bounds(query_of(case))
    if broken is not None:
        with verdicts.check("coliving.schema.list-bounds-kept"):
            check_bounds_kept(profile, response, f"GET /v1/listings with {broken}")
        with verdicts.check("coliving.schema.list-bounds-refused"):
            check(
                400 <= response.status_code < 500,
                f"GET /v1/listings with {broken} got HTTP {response.status_code}, not a 4xx refusal",
                response,
            )
    with verdicts.check("coliving.schema.status-code-documented"):
        run_checks(case, response, [status_code_conformance])


def tag(operation_id: str, body: Any, refs: dict[str, int | str | None]) -> Any:
    """Make a generated body recognisable and bounded (see the module docstring)."""
    if not isinstance(body, dict):
        return body
    body = dict(body)
    if operation_id == "createUser":
        body["email"] = f"{payloads.PREFIX}gen-{payloads.token()}@example.com"
    elif operation_id == "createBooking":
        body.update({k: v for k, v in refs.items() if v is not None})
    return body


@pytest.fixture(scope="module")
def generated_refs(booking_refs: Any) -> dict[str, Any]:
    """The ids a generated booking names (the suite's user, listing and room type), so that it
    is judged on what the generator chose, not on objects that do not exist."""
    return {
        "user_id": booking_refs.user_id,
        "listing_id": booking_refs.listing_id,
        "room_type_id": booking_refs.room_type_id,
    }


@pytest.mark.rule("coliving.schema.write-response-conformance", "coliving.schema.write-status-documented")
@pytest.mark.parametrize("operation_id", ["createUser", "createBooking"])
def test_writes_with_valid_bodies(operation_id, client, headers, request, verdicts: Verdicts):
    """Generated users and bookings, half the profile's examples each: whatever the target
    answers, a documented status and a body matching its documented schema (acceptance is not
    demanded: generated values go beyond what the examples promise)."""
    refs = request.getfixturevalue("generated_refs") if operation_id == "createBooking" else {}

    @settings(max_examples=max(2, settings().max_examples // 2))
    @given(case=strategy(PROVIDER, operation_id, POSITIVE))
    def run(case: Case[Any]) -> None:
        case.body = tag(operation_id, case.body, refs)
        response = send_case(client, case, headers())
        with verdicts.check("coliving.schema.write-response-conformance"):
            run_checks(case, response, [response_schema_conformance, content_type_conformance])
        with verdicts.check("coliving.schema.write-status-documented"):
            run_checks(case, response, [status_code_conformance])

    run()


#: printable names of the kind partners send (letters of any script, digits, spaces, punctuation)
NAME = (
    st.text(
        alphabet=st.characters(categories=("L", "N", "Zs", "Pd", "Po"), max_codepoint=0x2FFF),
        min_size=1,
        max_size=80,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def promised_listings(draw: st.DrawFn) -> dict[str, Any]:
    """Listing bodies the document promises to take: a name, one to three room types each with a
    name, room_type private or shared and an integer base_price of at least 1 (no upper bound is
    stated), partner ids for them; the strongly recommended fields as the suite sends them; an
    original_id from a small set, so that runs update four listings."""
    count = draw(st.integers(1, 3))
    room_types = [
        {
            "id": f"{payloads.PREFIX}gen-rt-{n}",
            "name": draw(NAME),
            "room_type": draw(st.sampled_from(["private", "shared"])),
            "prices": {"base_price": draw(st.integers(1, 1_000_000))},
        }
        for n in range(count)
    ]
    original_id = f"{payloads.PREFIX}generated-{draw(st.integers(0, 3))}"
    return payloads.listing_body(original_id, name=f"{payloads.PREFIX}{draw(NAME)}", room_types=room_types)


@pytest.mark.rule(
    "coliving.schema.listing-bodies-accepted",
    "coliving.schema.write-response-conformance",
    "coliving.schema.write-status-documented",
)
@given(body=promised_listings())
@example(
    body=payloads.listing_body(
        f"{payloads.PREFIX}generated-0", room_types=[payloads.room_type(base_price=250_000)]
    )
)
def test_promised_listing_bodies(body, client, profile, headers, verdicts: Verdicts):
    """Property: every body within the documented constraints is taken (2xx), whatever its
    values; the answer matches the documented schema. The explicit example has a base_price far
    above any sample's (the document sets no maximum)."""
    response = client.request("POST", "/v1/listings", headers=headers(), json=body)
    with verdicts.check("coliving.schema.listing-bodies-accepted"):
        check(
            200 <= response.status_code < 300,
            f"POST /v1/listings of a body within the documented constraints got HTTP {response.status_code}",
            response,
        )
    case = operation(PROVIDER, "upsertListing").Case(body=body, media_type="application/json")
    with verdicts.check("coliving.schema.write-response-conformance"):
        run_checks(case, response, [response_schema_conformance, content_type_conformance])
    with verdicts.check("coliving.schema.write-status-documented"):
        run_checks(case, response, [status_code_conformance])
