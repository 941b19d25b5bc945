"""Paging, sorting and filtering of GET /v1/listings (coliving-api.txt: List Listings).

The host's listings are walked once in the default order (the `universe` fixture); hypothesis
then draws page sizes, sort fields, directions and filters, and each drawn request (or walk) is
compared with that universe. With writes allowed, the suite first makes sure its own paging set
exists (fixed original_ids), so that there are several pages, ties and wildcard characters.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apiconform.providers.coliving.listquery import check_bounds_kept
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Profile,
    Verdicts,
    check,
    check_exactly_once,
    check_exactly_once_up_to_ties,
    check_order,
    check_page_arithmetic,
    error_body,
    error_paths,
    fail,
    parse_date_time,
    success_data,
    walk,
)

LISTINGS = "/v1/listings"
STATUS_RANK = {"draft": 0, "pending": 1, "published": 2, "inactive": 3}
STATUSES = list(STATUS_RANK)
#: the direction each sort field takes when `order` is omitted
DEFAULT_DIRECTION = {"id": "asc", "name": "asc", "listing_status": "asc", "updated_at": "desc"}
SORT_FIELDS = ("id", "name", "updated_at", "listing_status")

#: (parameter, value, is it a per_page bound) outside the documented bounds, one request each
OUT_OF_BOUNDS = [
    ("page", "0", False),
    ("page", "-1", False),
    ("page", "first", False),
    ("per_page", "0", True),
    ("per_page", "101", True),
    ("per_page", "ten", True),
    ("sort", "apiconform-unknown", False),
    ("order", "sideways", False),
    ("listing_status", "apiconform-unknown", False),
    ("q", "x" * 256, False),
]


def timestamp(value: Any) -> datetime:
    """An ISO 8601 timestamp (any form the document's silence allows; a time without an offset
    taken as UTC), or the earliest time for a value that is none (list-shape reports those)."""
    moment = parse_date_time(value)
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def accent_folded(text: str) -> str:
    """`text` without accents, casefolded: an accent- and case-insensitive collation's view."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


#: How names may compare (the document names no collation; "exact case behavior depends on
#: database collation" is said of q): binary, case-insensitive, accent- and case-insensitive.
COLLATIONS: tuple[Callable[[str], str], ...] = (str, str.casefold, accent_folded)


def in_name_order(names: list[str], descending: bool = False) -> bool:
    """Whether `names` are in order under one of the accepted collations."""
    return any(
        all(
            (fold(a) >= fold(b)) if descending else (fold(a) <= fold(b)) for a, b in itertools.pairwise(names)
        )
        for fold in COLLATIONS
    )


def default_tie(item: dict[str, Any]) -> tuple[Any, ...]:
    """What the default order sorts by (status, name, updated_at): items equal in all three may
    come in any order (the document gives the default order no tie-breaker)."""
    return (
        item.get("listing_status"),
        accent_folded(str(item.get("name"))),
        timestamp(item.get("updated_at")),
    )


def sort_key(field: str) -> Callable[[Any], Any]:
    if field == "listing_status":
        return lambda item: STATUS_RANK.get(item.get("listing_status"), 99)
    if field == "updated_at":
        return lambda item: timestamp(item.get("updated_at"))
    return lambda item: item.get(field)


def page_fetcher(client: ApiClient, headers: dict[str, str], **params: Any) -> Callable[[int], ApiResponse]:
    def fetch(number: int) -> ApiResponse:
        return client.request("GET", LISTINGS, headers=headers, params={**params, "page": number})

    return fetch


@pytest.mark.rule(
    "coliving.schema.list-bounds-kept",
    "coliving.schema.list-bounds-refused",
    "coliving.pagination.per-page-range",
    "coliving.pagination.invalid-422",
)
def test_out_of_bounds_parameters(client, profile, headers, verdicts: Verdicts):
    """The documented bounds are served; a value beyond them is refused or answered within them
    (never served as asked); the refusal, and its 422 naming the parameter, are SHOULDs."""
    for size in (1, 100):
        response = client.request("GET", LISTINGS, headers=headers(), params={"per_page": size})
        with verdicts.check("coliving.pagination.per-page-range"):
            success_data(profile, response, f"GET /v1/listings?per_page={size}", status=200)
            items, info = profile.parse_page(response)
            check(
                info.per_page == size and len(items) <= size,
                f"per_page={size} served as {info.per_page}",
                response,
            )
    for name, value, per_page_bound in OUT_OF_BOUNDS:
        response = client.request("GET", LISTINGS, headers=headers(), params={name: value})
        what = f"GET /v1/listings?{name}={value if len(value) < 20 else f'<{len(value)} characters>'}"
        with verdicts.check("coliving.schema.list-bounds-kept"):
            check_bounds_kept(profile, response, what)
        if per_page_bound:
            with verdicts.check("coliving.pagination.per-page-range"):
                check_bounds_kept(profile, response, what)
        with verdicts.check("coliving.schema.list-bounds-refused"):
            check(
                400 <= response.status_code < 500,
                f"{what} got HTTP {response.status_code}, not a 4xx refusal",
                response,
            )
        with verdicts.check("coliving.pagination.invalid-422"):
            body = error_body(profile, response, what, status=422, error_type="validation_error")
            check(name in error_paths(profile, body), f"{what}: no errors[] item has path {name}", response)


@pytest.mark.rule("coliving.pagination.meta-consistent", "coliving.pagination.walk-exactly-once")
def test_universe_walk(universe, verdicts: Verdicts):
    """The reference walk itself (default order, per_page 100) is consistent: each page's
    meta.pagination agrees with total, and the walk yields total listings, each once."""
    verdicts.note(universe.note)
    for page in universe.walk.pages:
        with verdicts.check("coliving.pagination.meta-consistent"):
            check_page_arithmetic(page, page_number=page.number, per_page=100)
    with verdicts.check("coliving.pagination.walk-exactly-once"):
        walked = universe.walk
        tied = Counter(default_tie(item) for item in universe.items)
        repeated = [
            item.get("id")
            for item, count in occurrences(universe.items).values()
            if count > 1 and tied[default_tie(item)] < 2
        ]
        check(not repeated, f"item(s) {repeated[:5]} appear on more than one page", walked.pages[-1].response)
        total = walked.pages[0].info.total
        check(
            total is None or len(walked.items) == total,
            f"walking {len(walked.pages)} pages yielded {len(walked.items)} items, but total is {total}",
            walked.pages[-1].response,
        )


def occurrences(items: list[dict[str, Any]]) -> dict[Any, tuple[dict[str, Any], int]]:
    """Each id with its first item and how often it appears."""
    found: dict[Any, tuple[dict[str, Any], int]] = {}
    for item in items:
        first, count = found.get(item.get("id"), (item, 0))
        found[item.get("id")] = (first, count + 1)
    return found


def every_sort_and_direction(test: Callable[..., Any]) -> Callable[..., Any]:
    """The explicit examples of `test_walks`, run every time: the default order over three pages,
    and each sort field without order and with each order over one page."""
    for sort in SORT_FIELDS:
        for order in (None, "asc", "desc"):
            test = example(pages=1, sort=sort, order=order)(test)
    return example(pages=3, sort=None, order=None)(test)


@pytest.mark.rule(
    "coliving.pagination.meta-consistent",
    "coliving.pagination.walk-exactly-once",
    "coliving.sorting.by-field",
    "coliving.sorting.id-tie-breaker",
)
@every_sort_and_direction
@given(
    pages=st.integers(min_value=2, max_value=4),
    sort=st.sampled_from([None, *SORT_FIELDS]),
    order=st.sampled_from([None, "asc", "desc"]),
)
def test_walks(pages, sort, order, client, profile, headers, universe, verdicts: Verdicts):
    """Property: for any per_page (a few pages' worth), sort field and direction, walking pages
    1..last_page yields every listing of the host exactly once; every page's meta.pagination is
    consistent with total; the concatenated items are in the sort field's order, in the given or
    documented default direction, with ties broken by id in the same direction. The explicit
    examples, every run: each sort field without order and with each order (one page of all the
    listings, when they fit in 100), and the default order over three pages; the drawn examples
    walk two to four pages."""
    verdicts.note(universe.note)
    universe.require()
    count = len(universe.items)
    per_page = min(100, max(1, math.ceil(count / pages)))
    order = None if sort is None else order
    params = {"per_page": per_page, **({"sort": sort} if sort else {}), **({"order": order} if order else {})}
    walked = walk(page_fetcher(client, headers(), **params), profile.parse_page, max_pages=count + 2)
    for page in walked.pages:
        success_data(profile, page.response, f"GET /v1/listings page {page.number}", status=200)
        with verdicts.check("coliving.pagination.meta-consistent"):
            check_page_arithmetic(page, page_number=page.number, per_page=per_page)
    with verdicts.check("coliving.pagination.walk-exactly-once"):
        if sort is None:  # the default order has no tie-breaker: tied items may trade places
            check_exactly_once_up_to_ties(
                walked, key=lambda item: item.get("id"), expected=universe.items, tie=default_tie
            )
        else:
            check_exactly_once(
                walked, key=lambda item: item.get("id"), expected=[i["id"] for i in universe.items]
            )
    if sort is None:
        return
    items = [item for item in walked.items if isinstance(item, dict)]
    descending = (order or DEFAULT_DIRECTION[sort]) == "desc"
    what = f"sort={sort}" + (f"&order={order}" if order else "")
    last = walked.pages[-1].response
    if sort == "name":
        with verdicts.check("coliving.sorting.by-field"):
            if not in_name_order([str(item.get("name")) for item in items], descending):
                check_order(items, sort_key("name"), descending=descending, what=what, response=last)
    else:
        with verdicts.check("coliving.sorting.by-field"):
            check_order(items, sort_key(sort), descending=descending, what=what, response=last)
    with verdicts.check("coliving.sorting.id-tie-breaker"):
        key = sort_key(sort)
        for a, b in itertools.pairwise(items):
            if key(a) == key(b) and ((a["id"] < b["id"]) if descending else (a["id"] > b["id"])):
                fail(f"{what}: equal keys, but id {a['id']} comes before id {b['id']}", last)


@pytest.mark.rule("coliving.sorting.default-order", "coliving.sorting.default-status-rank")
def test_default_order(universe, verdicts: Verdicts):
    """Without sort: "status priority, then name ascending, then updated_at descending". Which
    priority is not said (MUST: each status in one run, in some fixed order); the rank the document
    gives sort=listing_status (draft, pending, published, inactive) is the SHOULD. Names compare in
    any accepted collation; items equal in status and name come by updated_at, newest first."""
    verdicts.note(universe.note)
    universe.require()
    response = universe.walk.pages[0].response
    items = universe.items
    runs = [status for status, _ in itertools.groupby(item.get("listing_status") for item in items)]
    with verdicts.check("coliving.sorting.default-order"):
        repeated = [status for status, count in Counter(runs).items() if count > 1]
        check(
            not repeated,
            f"without sort, the statuses come in the runs {runs}: {repeated} appear in more than one run, "
            "so the first key is not a status priority",
            response,
        )
        for index, (a, b) in enumerate(itertools.pairwise(items)):
            if a.get("listing_status") != b.get("listing_status"):
                continue
            where = f"items {index + 1} and {index + 2} (ids {a.get('id')}, {b.get('id')})"
            na, nb = str(a.get("name")), str(b.get("name"))
            if na != nb:
                check(in_name_order([na, nb]), f"{where}: same status, name {na!r} before {nb!r}", response)
                continue
            check(
                timestamp(a.get("updated_at")) >= timestamp(b.get("updated_at")),
                f"{where}: same status and name, "
                f"updated_at {a.get('updated_at')} before {b.get('updated_at')}",
                response,
            )
    with verdicts.check("coliving.sorting.default-status-rank"):
        ranked = [status for status in runs if status in STATUS_RANK]
        check(
            ranked == sorted(ranked, key=STATUS_RANK.__getitem__),
            f"without sort, the statuses come in the order {runs}, not by the documented rank "
            "draft, pending, published, inactive",
            response,
        )


@pytest.mark.rule("coliving.sorting.order-needs-sort")
def test_order_without_sort(client, profile, headers, universe, verdicts: Verdicts):
    """order is "Sort direction when sort is set": without sort the default order stands (up to
    its ties), or the query is refused (silence point coliving.order-without-sort); never the
    default order reversed or otherwise changed."""
    verdicts.note(universe.note)
    universe.require()
    response = client.request("GET", LISTINGS, headers=headers(), params={"order": "desc", "per_page": 100})
    if 400 <= response.status_code < 500:
        error_body(
            profile, response, "GET /v1/listings?order=desc (without sort)", status=response.status_code
        )
        return
    items = success_data(profile, response, "GET /v1/listings?order=desc (without sort)", status=200)
    found = [default_tie(item) for item in items if isinstance(item, dict)]
    expected = [default_tie(item) for item in universe.items[: len(found)]]
    check(
        found == expected,
        "GET /v1/listings?order=desc without sort does not list the listings in the default order "
        "(status priority, name, updated_at descending)",
        response,
        universe.walk.pages[0].response,
    )


@pytest.mark.rule("coliving.pagination.past-last-page-empty")
def test_past_last_page(client, profile, headers, universe):
    universe.require(1)
    last = universe.walk.pages[-1].info
    beyond = (last.last_page or 1) + 1
    response = client.request("GET", LISTINGS, headers=headers(), params={"page": beyond, "per_page": 100})
    items = success_data(
        profile, response, f"GET /v1/listings?page={beyond} (past the last page)", status=200
    )
    _, info = profile.parse_page(response)
    check(items == [], f"page {beyond} past the last page holds {len(items)} items", response)
    check(
        info.total == last.total, f"total is {info.total} past the last page, {last.total} before", response
    )


def fetch_all(
    client: ApiClient, profile: Profile, headers: dict[str, str], params: dict[str, Any]
) -> tuple[list[dict[str, Any]], Any]:
    walked = walk(page_fetcher(client, headers, per_page=100, **params), profile.parse_page)
    for page in walked.pages:
        success_data(profile, page.response, "GET /v1/listings (filtered)", status=200)
    return [item for item in walked.items if isinstance(item, dict)], walked.pages[-1].response


def ids(items: list[dict[str, Any]]) -> set[Any]:
    return {item.get("id") for item in items}


@pytest.mark.rule("coliving.filtering.listing-status", "coliving.filtering.listing-status-repeated")
@given(statuses=st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3, unique=True), array=st.booleans())
@example(statuses=["draft", "published"], array=True)
@example(statuses=["pending", "inactive"], array=False)
def test_status_filter(statuses, array, client, profile, headers, universe, verdicts: Verdicts):
    """Property: listing_status with one or more values returns exactly the host's listings
    whose status is one of them. "Pass a single value ... or repeat the parameter / use array
    syntax": a single value and the array syntax listing_status[]= are what every reading
    serves (MUST); several plain repeated values (which a PHP server reads as the last one) are
    the SHOULD."""
    verdicts.note(universe.note)
    universe.require()
    name = "listing_status[]" if array else "listing_status"
    rule = "coliving.filtering.listing-status"
    if not array and len(statuses) > 1:
        rule = "coliving.filtering.listing-status-repeated"
    with verdicts.check(rule):
        found, response = fetch_all(client, profile, headers(), {name: statuses})
        expected = {i["id"] for i in universe.items if i.get("listing_status") in statuses}
        missing, extra = sorted(map(str, expected - ids(found))), sorted(map(str, ids(found) - expected))
        check(
            not missing and not extra,
            f"{name}={statuses}: {len(found)} listings, expected {len(expected)} "
            f"(missing {missing[:5]}, extra {extra[:5]})",
            response,
        )


@st.composite
def substrings(draw: st.DrawFn, names: list[str]) -> str:
    name = draw(st.sampled_from(names))
    start = draw(st.integers(0, max(0, len(name) - 1)))
    end = draw(st.integers(start + 1, len(name)))
    text = name[start:end]
    return draw(st.sampled_from([text, text.upper(), text.lower()]))


def q_matches(q: str, items: list[dict[str, Any]]) -> list[set[Any]]:
    """The sets of ids a conformant server may answer q with: the names containing q with letter
    case compared or not, accents compared or not ("exact case behavior depends on database
    collation"), and the same for q trimmed of surrounding white space (Laravel's TrimStrings;
    an empty q is then no filter at all)."""
    answers = []
    for text in dict.fromkeys((q, q.strip())):
        if not text:
            answers.append({i["id"] for i in items})
            continue
        for fold in COLLATIONS:
            answers.append({i["id"] for i in items if fold(text) in fold(str(i.get("name")))})
    return answers


@pytest.mark.rule("coliving.filtering.q-substring")
@given(data=st.data())
def test_q_substring(data, client, profile, headers, universe, verdicts: Verdicts):
    """Property: q (a piece of an existing name, in any letter case) returns exactly the host's
    listings whose name contains it, in one of the collations and white-space readings of
    `q_matches`."""
    verdicts.note(universe.note)
    universe.require()
    q = data.draw(substrings([str(i.get("name")) for i in universe.items if i.get("name")]), "q")
    found, response = fetch_all(client, profile, headers(), {"q": q})
    answers = q_matches(q, universe.items)
    check(
        ids(found) in answers,
        f"q={q!r}: {len(found)} listings; the names containing it are "
        f"{sorted({len(answer) for answer in answers})} (by letter case, accents and white space)",
        response,
    )


@pytest.mark.rule("coliving.filtering.q-literal-wildcards")
def test_q_wildcards_are_literal(client, profile, headers, universe, verdicts: Verdicts):
    verdicts.note(universe.note)
    universe.require()
    for q in ("%", "_", "delta_room", "100%"):
        found, response = fetch_all(client, profile, headers(), {"q": q})
        with verdicts.check("coliving.filtering.q-literal-wildcards"):
            stray = [str(i.get("name")) for i in found if q.casefold() not in str(i.get("name")).casefold()]
            check(not stray, f"q={q!r} also finds {stray[:3]}, which do not contain it", response)


@pytest.mark.rule("coliving.filtering.q-max-length")
def test_q_of_255_characters(client, profile, headers):
    response = client.request("GET", LISTINGS, headers=headers(), params={"q": "x" * 255})
    success_data(profile, response, "GET /v1/listings?q=<255 characters>", status=200)
