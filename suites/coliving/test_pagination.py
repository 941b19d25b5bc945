"""Paging, sorting and filtering of GET /v1/listings (coliving-api.txt: List Listings).

The host's listings are walked once in the default order (the `universe` fixture); hypothesis
then draws page sizes, sort fields, directions and filters, and each drawn request (or walk) is
compared with that universe. With writes allowed, the suite first makes sure its own paging set
exists (fixed original_ids), so that there are several pages, ties and wildcard characters.
"""

from __future__ import annotations

import itertools
import math
from datetime import datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apiconform.checks.envelope import error_body, error_paths, success_data
from apiconform.checks.expect import check, fail
from apiconform.checks.pagination import check_exactly_once, check_order, check_page_arithmetic, walk
from apiconform.session import Verdicts

LISTINGS = "/v1/listings"
STATUS_RANK = {"draft": 0, "pending": 1, "published": 2, "inactive": 3}
STATUSES = list(STATUS_RANK)
#: the direction each sort field takes when `order` is omitted
DEFAULT_DIRECTION = {"id": "asc", "name": "asc", "listing_status": "asc", "updated_at": "desc"}

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
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def sort_key(field: str):
    if field == "listing_status":
        return lambda item: STATUS_RANK.get(item.get("listing_status"), 99)
    if field == "updated_at":
        return lambda item: timestamp(item.get("updated_at"))
    return lambda item: item.get(field)


def page_fetcher(client, headers, **params):
    def fetch(number: int):
        return client.request("GET", LISTINGS, headers=headers, params={**params, "page": number})

    return fetch


@pytest.mark.rule("coliving.pagination.defaults")
def test_defaults(client, profile, headers):
    response = client.request("GET", LISTINGS, headers=headers())
    success_data(profile, response, "GET /v1/listings", status=200)
    _, info = profile.parse_page(response)
    check(
        (info.current_page, info.per_page) == (1, 50),
        f"without page and per_page: current_page {info.current_page}, per_page {info.per_page} "
        "(expected 1, 50)",
        response,
    )


@pytest.mark.rule(
    "coliving.schema.list-constraints-enforced",
    "coliving.pagination.per-page-range",
    "coliving.pagination.invalid-422",
)
def test_out_of_bounds_parameters(client, profile, headers, verdicts: Verdicts):
    """Each documented bound is enforced (a 4xx, never a clamped 200); the bounds themselves are served."""
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
        rejected = 400 <= response.status_code < 500
        with verdicts.check("coliving.schema.list-constraints-enforced"):
            check(rejected, f"{what} got HTTP {response.status_code}, not a 4xx rejection", response)
        if per_page_bound:
            with verdicts.check("coliving.pagination.per-page-range"):
                check(
                    rejected, f"{what} got HTTP {response.status_code} (clamped?), not a rejection", response
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
        check_exactly_once(universe.walk, key=lambda item: item.get("id"))


@pytest.mark.rule(
    "coliving.pagination.meta-consistent",
    "coliving.pagination.walk-exactly-once",
    "coliving.sorting.by-field",
    "coliving.sorting.id-tie-breaker",
)
@given(
    pages=st.integers(min_value=1, max_value=6),
    sort=st.sampled_from([None, "id", "name", "updated_at", "listing_status"]),
    order=st.sampled_from([None, "asc", "desc"]),
)
@example(pages=3, sort=None, order=None)
@example(pages=4, sort="id", order=None)
@example(pages=2, sort="name", order=None)
@example(pages=3, sort="updated_at", order=None)
@example(pages=5, sort="listing_status", order=None)
def test_walks(pages, sort, order, client, profile, headers, universe, verdicts: Verdicts):
    """Property: for any per_page (a few pages' worth), sort field and direction, walking pages
    1..last_page yields every listing of the host exactly once; every page's meta.pagination is
    consistent with total; the concatenated items are in the sort field's order, in the given or
    documented default direction, with ties broken by id in the same direction. The explicit
    examples walk each sort field in its default direction, and the default order, every run."""
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
        casefold_ok = all(
            (a["name"].casefold() >= b["name"].casefold())
            if descending
            else (a["name"].casefold() <= b["name"].casefold())
            for a, b in itertools.pairwise(items)
        )
        with verdicts.check("coliving.sorting.by-field"):
            if not casefold_ok:  # either collation is allowed: binary order then
                check_order(items, sort_key("name"), descending=descending, what=what, response=last)
    else:
        with verdicts.check("coliving.sorting.by-field"):
            check_order(items, sort_key(sort), descending=descending, what=what, response=last)
    with verdicts.check("coliving.sorting.id-tie-breaker"):
        key = sort_key(sort)
        for a, b in itertools.pairwise(items):
            if key(a) == key(b) and ((a["id"] < b["id"]) if descending else (a["id"] > b["id"])):
                fail(f"{what}: equal keys, but id {a['id']} comes before id {b['id']}", last)


@pytest.mark.rule("coliving.sorting.default-order")
def test_default_order(universe, verdicts: Verdicts):
    """Without sort: status rank, then name ascending (either collation), then updated_at descending."""
    verdicts.note(universe.note)
    universe.require()
    response = universe.walk.pages[0].response
    items = universe.items
    for index, (a, b) in enumerate(itertools.pairwise(items)):
        ra, rb = STATUS_RANK.get(a.get("listing_status"), 99), STATUS_RANK.get(b.get("listing_status"), 99)
        where = f"items {index + 1} and {index + 2} (ids {a.get('id')}, {b.get('id')})"
        if ra != rb:
            check(
                ra < rb,
                f"{where}: status {a.get('listing_status')} before {b.get('listing_status')}",
                response,
            )
            continue
        na, nb = str(a.get("name")), str(b.get("name"))
        if na != nb:
            check(
                na.casefold() <= nb.casefold() or na <= nb,
                f"{where}: same status, name {na!r} before {nb!r}",
                response,
            )
            continue
        check(
            timestamp(a.get("updated_at")) >= timestamp(b.get("updated_at")),
            f"{where}: same status and name, updated_at {a.get('updated_at')} before {b.get('updated_at')}",
            response,
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


def fetch_all(client, profile, headers, params) -> tuple[list[dict[str, Any]], Any]:
    walked = walk(page_fetcher(client, headers, per_page=100, **params), profile.parse_page)
    for page in walked.pages:
        success_data(profile, page.response, "GET /v1/listings (filtered)", status=200)
    return [item for item in walked.items if isinstance(item, dict)], walked.pages[-1].response


def ids(items) -> set[Any]:
    return {item.get("id") for item in items}


@pytest.mark.rule("coliving.filtering.listing-status")
@given(statuses=st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3, unique=True), array=st.booleans())
def test_status_filter(statuses, array, client, profile, headers, universe, verdicts: Verdicts):
    """Property: listing_status with one or more values (repeated, or in array syntax) returns
    exactly the host's listings whose status is one of them."""
    verdicts.note(universe.note)
    universe.require()
    name = "listing_status[]" if array else "listing_status"
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
def substrings(draw, names: list[str]) -> str:
    name = draw(st.sampled_from(names))
    start = draw(st.integers(0, max(0, len(name) - 1)))
    end = draw(st.integers(start + 1, len(name)))
    text = name[start:end]
    return draw(st.sampled_from([text, text.upper(), text.lower()]))


@pytest.mark.rule("coliving.filtering.q-substring")
@given(data=st.data())
def test_q_substring(data, client, profile, headers, universe, verdicts: Verdicts):
    """Property: q (a piece of an existing name, in any letter case) returns exactly the host's
    listings whose name contains it, compared with or without letter case."""
    verdicts.note(universe.note)
    universe.require()
    q = data.draw(substrings([str(i.get("name")) for i in universe.items if i.get("name")]), "q")
    found, response = fetch_all(client, profile, headers(), {"q": q})
    sensitive = {i["id"] for i in universe.items if q in str(i.get("name"))}
    insensitive = {i["id"] for i in universe.items if q.casefold() in str(i.get("name")).casefold()}
    check(
        ids(found) in (sensitive, insensitive),
        f"q={q!r}: {len(found)} listings; the names containing it are {len(sensitive)} (same case) "
        f"or {len(insensitive)} (any case)",
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
