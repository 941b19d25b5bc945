"""Lists and cursor pagination of GET /customers (spaces-api.txt: Pagination Arguments, List
Response Format).

The `reference` fixture walks the whole list once at limit 100. hypothesis then draws page
sizes; each drawn size walks the list forwards (starting_after) and backwards from the end
(starting_before), and both walks are compared with the reference. Where the document is silent
(suites/spaces/readings.toml) the MUST rules accept every reading: short pages (limit is an upper
bound), either orientation of a backward page and either direction of its has_more, any list
order; the better reading is a SHOULD.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apiconform.providers.spaces.lists import check_ids, check_list_shape
from apiconform.providers.spaces.probes import GARBAGE_CURSOR, unknown_like
from apiconform.providers.spaces.profile import LIST_PATH
from apiconform.suite import (
    CursorPage,
    CursorWalk,
    Verdicts,
    check,
    check_cursor_walk,
    check_full_pages,
    check_has_more,
    check_has_more_backward,
    check_page_sizes,
    check_same_sequence,
    success_data,
    walk_cursor,
)

DEFAULT_LIMIT = 20  # Pagination Arguments: limit ... Defaults to 20.


def walked(verdicts: Verdicts, rule: str, walk: Callable[[], CursorWalk]) -> CursorWalk | None:
    """Run `walk`; a walk that cannot complete (no ID to go on from, no end) fails `rule` alone
    and gives None, so that the rules judged on the walk's pages are not failed for it."""
    with verdicts.check(rule):
        return walk()
    return None


@pytest.mark.rule(
    "spaces.lists.shape",
    "spaces.lists.objects-have-id",
    "spaces.pagination.default-limit",
    "spaces.schema.list-response-conformance",
)
def test_default_page(client, profile, auth, reference, list_fetcher, verdicts: Verdicts):
    """The default page and the reference walk's pages have the list shape and IDs; the default
    page (no parameter at all: each is optional) is a 200 matching the list schema. Without
    limit a page holds at most 20 objects; when more follow it holds 20, or else exactly what
    limit=20 gives (a server may serve short pages: limit is "A limit on the number of objects",
    an upper bound)."""
    response = client.request("GET", LIST_PATH, headers=auth)
    with verdicts.check("spaces.schema.list-response-conformance"):
        success_data(profile, response, f"GET {LIST_PATH} without parameters", status=200)
    items, has_more = profile.parse_list(response)
    default = CursorPage(items, has_more, None, response)
    for number, page in enumerate([default, *reference.pages]):
        what = "GET /customers" if number == 0 else f"GET /customers?limit=100 page {number}"
        with verdicts.check("spaces.lists.shape"):
            check_list_shape(page, what)
        with verdicts.check("spaces.lists.objects-have-id"):
            reference.require_ids()
            check_ids(page, what, reference.key, reference.member)
    if reference.note:
        verdicts.note(reference.note)
    with verdicts.check("spaces.pagination.default-limit"):
        check(
            len(items) <= DEFAULT_LIMIT,
            f"without limit the page holds {len(items)} objects (default {DEFAULT_LIMIT})",
            response,
        )
        if (has_more or len(reference.items) > DEFAULT_LIMIT) and len(items) != DEFAULT_LIMIT:
            explicit = list_fetcher(DEFAULT_LIMIT)("after", None)
            same, same_more = profile.parse_list(explicit)
            keys = reference.keys
            check(
                (keys(items), has_more) == (keys(same), same_more),
                f"without limit the page holds {len(items)} objects while more follow, and limit=20 "
                f"gives another page ({len(same)} objects, has_more {same_more!r}): the default is not 20",
                response,
                explicit,
            )
            verdicts.note(f"short pages: the default page ({len(items)} objects) is the one limit=20 gives")


@pytest.mark.rule(
    "spaces.pagination.limit-honoured",
    "spaces.pagination.full-pages",
    "spaces.pagination.forward-walk",
    "spaces.pagination.backward-walk",
    "spaces.pagination.has-more-exact",
    "spaces.pagination.has-more-backward",
    "spaces.pagination.order-independent-of-limit",
)
@given(pages=st.integers(min_value=1, max_value=4))
@example(pages=1)  # one full page: nothing follows it
@example(pages=3)  # a page size below the default
def test_walks(pages, profile, reference, list_fetcher, verdicts: Verdicts):
    """Property: for any limit worth 1-4 pages, walking forwards with starting_after visits every
    object exactly once, in pages of at most `limit`, has_more false on the last page only;
    walking backwards with starting_before from the last object visits every earlier object
    exactly once, each page being the objects just before its cursor in the order this limit's
    forward walk gave, in either orientation, with has_more read in the walk's direction or in
    list order. SHOULDs: pages are full where more follow, the backward has_more points the walk's
    way, and the order does not depend on the limit."""
    reference.require()
    key = reference.key
    count = len(reference.ids)
    limit = min(100, max(1, math.ceil(count / pages)))
    fetch = list_fetcher(limit)
    what = f"forward walk, limit {limit}"
    forward = walked(
        verdicts,
        "spaces.pagination.forward-walk",
        lambda: walk_cursor(fetch, profile.parse_list, key, max_pages=count + 2),
    )
    seen: list[Any] = []
    if forward is not None:
        with verdicts.check("spaces.pagination.limit-honoured"):
            check_page_sizes(forward, limit, what=what, full=False)
        with verdicts.check("spaces.pagination.full-pages"):
            check_full_pages(forward, limit, what=what)
        with verdicts.check("spaces.pagination.has-more-exact"):
            check_has_more(forward, what=what)
        with verdicts.check("spaces.pagination.forward-walk"):
            seen = check_cursor_walk(forward, key, reference.ids, what=what)
        if seen:
            with verdicts.check("spaces.pagination.order-independent-of-limit"):
                check_same_sequence(
                    seen,
                    reference.ids,
                    what=f"{what} (reference: limit 100)",
                    response=forward.pages[-1].response,
                )
    order = seen or reference.ids  # the backward pages are judged against this limit's own order
    index = {k: i for i, k in enumerate(order)}
    what = f"backward walk from the last object, limit {limit}"
    backward = walked(
        verdicts,
        "spaces.pagination.backward-walk",
        lambda: walk_cursor(
            fetch,
            profile.parse_list,
            key,
            direction="before",
            start=order[-1],
            position=index.get,
            max_pages=count + 2,
        ),
    )
    if backward is not None:
        with verdicts.check("spaces.pagination.backward-walk"):
            check_cursor_walk(backward, key, order[:-1], what=what)
        with verdicts.check("spaces.pagination.has-more-exact"):
            reading = check_has_more_backward(backward, what=what)
            verdicts.note(f"has_more on starting_before pages is read in {reading}")
        with verdicts.check("spaces.pagination.has-more-backward"):
            check_has_more(backward, what=what)
        with verdicts.check("spaces.pagination.limit-honoured"):
            check_page_sizes(backward, limit, what=what, full=False)
        with verdicts.check("spaces.pagination.full-pages"):
            check_full_pages(backward, limit, what=what)
    unverified = {"spaces.pagination.order-independent-of-limit"} if not seen else set()
    if backward is None:
        unverified.add("spaces.pagination.has-more-backward")
        if forward is None:
            unverified |= {
                "spaces.pagination.limit-honoured",
                "spaces.pagination.full-pages",
                "spaces.pagination.has-more-exact",
            }
    for rule in sorted(unverified):
        with verdicts.check(rule):
            pytest.skip(
                f"limit {limit}: not verified, the walk it needs did not complete (see the walk rules)"
            )


@pytest.mark.rule("spaces.pagination.limit-out-of-range", "spaces.pagination.limit-rejected-400")
def test_limit_out_of_range(client, profile, auth, reference, verdicts: Verdicts):
    """0, 101 and -1 are rejected (4xx: the MUST; 400: the SHOULD), or answered with a page that
    stays in the documented range: 1-100 objects (0 only for an empty list). Clamping, or falling
    back to the default, both pass; serving the value as asked (0 objects, or more than 100) fails."""
    low = 1 if reference.items else 0
    if len(reference.items) <= 100:
        verdicts.note(
            f"the list holds {len(reference.items)} objects: a limit above 100 served as asked cannot be "
            "told from a clamped one"
        )
    for value in (0, 101, -1):
        response = client.request("GET", LIST_PATH, headers=auth, params={"limit": value})
        what = f"GET /customers?limit={value}"
        with verdicts.check("spaces.pagination.limit-out-of-range"):
            if not 400 <= response.status_code < 500:
                check(response.status_code == 200, f"{what} got HTTP {response.status_code}", response)
                items, _ = profile.parse_list(response)
                check(
                    low <= len(items) <= 100,
                    f"{what} served {len(items)} objects: an out-of-range limit is neither rejected (4xx) "
                    "nor answered within the documented range 1-100",
                    response,
                )
                verdicts.note(f"limit={value} answered with {len(items)} objects")
        with verdicts.check("spaces.pagination.limit-rejected-400"):
            check(response.status_code == 400, f"{what} got HTTP {response.status_code}, not 400", response)


@pytest.mark.rule("spaces.pagination.both-cursors")
def test_both_cursors(client, profile, auth, reference):
    """A 4xx, or the page one of the two cursors gives alone."""
    reference.require(6)
    ids = reference.ids
    params = {"limit": 3, "starting_after": ids[0], "starting_before": ids[5]}
    response = client.request("GET", LIST_PATH, headers=auth, params=params)
    what = "GET /customers with starting_after and starting_before"
    if 400 <= response.status_code < 500:
        return
    check(response.status_code == 200, f"{what} got HTTP {response.status_code}", response)
    keys = [reference.key(item) for item in profile.parse_list(response)[0]]
    after, before = ids[1:4], ids[2:5]
    check(
        keys in (after, before, before[::-1]),
        f"{what} served {keys}: neither the page after {ids[0]!r} ({after}) nor the one before "
        f"{ids[5]!r} ({before})",
        response,
    )


#: Errors: 400 Bad Request, using an invalid parameter; 404 Not Found, a resource was not found.
CURSOR_REFUSALS = (400, 404)


@pytest.mark.rule("spaces.pagination.unknown-cursor-400-404")
def test_unknown_cursor(client, auth, reference, verdicts: Verdicts):
    """A cursor holds "the ID of the object": one that names no object (an ID of the target's
    own form that no object has, and a value no ID could be) is an invalid parameter (400) or a
    resource not found (404), in either direction; never served."""
    values = {
        "an ID of the objects' own form that no object has": unknown_like(reference.ids),
        "a value no ID could be": GARBAGE_CURSOR,
    }
    answers = []
    for name in ("starting_after", "starting_before"):
        for kind, value in values.items():
            response = client.request("GET", LIST_PATH, headers=auth, params={name: value, "limit": 1})
            check(
                response.status_code in CURSOR_REFUSALS,
                f"GET /customers?{name}=<{kind}> got HTTP {response.status_code}, not 400 (an invalid "
                "parameter) or 404 (not found)",
                response,
            )
            answers.append(str(response.status_code))
    verdicts.note(f"cursors naming no object answered {', '.join(answers)}")
