"""Lists and cursor pagination of GET /customers (spaces-api.txt: Pagination Arguments, List
Response Format).

The `reference` fixture walks the whole list once at limit 100. hypothesis then draws page
sizes; each drawn size walks the list forwards (starting_after) and backwards from the end
(starting_before), and both walks are compared with the reference.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apiconform.checks.expect import check, expect_json, fail
from apiconform.checks.pagination import (
    CursorPage,
    check_cursor_walk,
    check_has_more,
    check_page_sizes,
    check_same_sequence,
    walk_cursor,
)
from apiconform.providers.spaces.profile import LIST_PATH, object_id
from apiconform.session import Verdicts


def check_list_shape(page: CursorPage, what: str) -> None:
    body = expect_json(page.response, what)
    problems = []
    if not isinstance(body, dict):
        fail(f"{what}: the body is {type(body).__name__}, not an object", page.response)
    if body.get("object") != "list":
        problems.append(f"object is {body.get('object')!r}, not 'list'")
    if not isinstance(body.get("data"), list):
        problems.append(f"data is {type(body.get('data')).__name__}, not an array")
    if not isinstance(body.get("has_more"), bool):
        problems.append(f"has_more is {body.get('has_more')!r}, not a boolean")
    check(not problems, f"{what}: " + "; ".join(problems), page.response)


def check_ids(page: CursorPage, what: str) -> None:
    lacking = [index for index, item in enumerate(page.items) if object_id(item) is None]
    check(
        not lacking,
        f"{what}: {len(lacking)} of {len(page.items)} objects have no string or integer id "
        f"(first: item {lacking[0] + 1 if lacking else 0})",
        page.response,
    )


@pytest.mark.rule("spaces.lists.shape", "spaces.lists.objects-have-id", "spaces.pagination.default-limit")
def test_default_page(client, profile, auth, reference, verdicts: Verdicts):
    """The default page and the reference walk's pages have the list shape and ids; without
    limit a page holds at most 20 objects, exactly 20 when more follow, and more follow when the
    list holds more than 20."""
    response = client.request("GET", LIST_PATH, headers=auth)
    items, has_more = profile.parse_list(response)
    default = CursorPage(items, has_more, None, response)
    for number, page in enumerate([default, *reference.walk.pages]):
        what = "GET /customers" if number == 0 else f"GET /customers?limit=100 page {number}"
        with verdicts.check("spaces.lists.shape"):
            check_list_shape(page, what)
        with verdicts.check("spaces.lists.objects-have-id"):
            check_ids(page, what)
    with verdicts.check("spaces.pagination.default-limit"):
        check(len(items) <= 20, f"without limit the page holds {len(items)} objects (default 20)", response)
        if has_more or len(reference.ids) > 20:
            check(
                len(items) == 20,
                f"without limit the page holds {len(items)} objects while more follow (default 20; "
                f"the list holds {len(reference.ids)})",
                response,
            )


@pytest.mark.rule(
    "spaces.pagination.limit-honoured",
    "spaces.pagination.forward-walk",
    "spaces.pagination.backward-walk",
    "spaces.pagination.has-more-exact",
    "spaces.pagination.stable-order",
)
@given(pages=st.integers(min_value=1, max_value=4))
@example(pages=1)  # one full page: nothing follows it
@example(pages=3)  # a page size below the default
def test_walks(pages, profile, reference, list_fetcher, verdicts: Verdicts):
    """Property: for any limit worth 1-4 pages, walking forwards with starting_after visits every
    object exactly once, in the reference order, in pages of exactly `limit` while has_more is
    true and has_more false on the last page; walking backwards with starting_before from the
    last object visits every earlier object exactly once, each page being the objects just before
    its cursor, with the same has_more rule."""
    reference.require()
    count = len(reference.ids)
    limit = min(100, max(1, math.ceil(count / pages)))
    fetch = list_fetcher(limit)
    forward = walk_cursor(fetch, profile.parse_list, object_id, max_pages=count + 2)
    what = f"forward walk, limit {limit}"
    with verdicts.check("spaces.pagination.limit-honoured"):
        check_page_sizes(forward, limit, what=what)
    with verdicts.check("spaces.pagination.has-more-exact"):
        check_has_more(forward, what=what)
    seen: list[Any] = []
    with verdicts.check("spaces.pagination.forward-walk"):
        seen = check_cursor_walk(forward, object_id, reference.ids, what=what)
    if seen:
        with verdicts.check("spaces.pagination.stable-order"):
            check_same_sequence(seen, reference.ids, what=what, response=forward.pages[-1].response)
    backward = walk_cursor(
        fetch,
        profile.parse_list,
        object_id,
        direction="before",
        start=reference.ids[-1],
        position=reference.position,
        max_pages=count + 2,
    )
    what = f"backward walk from the last object, limit {limit}"
    with verdicts.check("spaces.pagination.backward-walk"):
        check_cursor_walk(backward, object_id, reference.ids[:-1], what=what)
    with verdicts.check("spaces.pagination.has-more-exact"):
        check_has_more(backward, what=what)
    with verdicts.check("spaces.pagination.limit-honoured"):
        check_page_sizes(backward, limit, what=what)


@pytest.mark.rule("spaces.pagination.limit-out-of-range", "spaces.pagination.limit-rejected-400")
def test_limit_out_of_range(client, profile, auth, reference, verdicts: Verdicts):
    """0, 101 and -1 are rejected (4xx: the MUST; 400: the SHOULD) or clamped into 1-100."""
    for value in (0, 101, -1):
        response = client.request("GET", LIST_PATH, headers=auth, params={"limit": value})
        what = f"GET /customers?limit={value}"
        with verdicts.check("spaces.pagination.limit-out-of-range"):
            if not 400 <= response.status_code < 500:
                check(response.status_code == 200, f"{what} got HTTP {response.status_code}", response)
                items, _ = profile.parse_list(response)
                clamped = 1 if value < 1 else 100
                check(
                    1 <= len(items) <= 100 and len(items) == min(clamped, len(reference.ids)),
                    f"{what} served {len(items)} objects: neither rejected nor clamped to {clamped}",
                    response,
                )
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
    keys = [object_id(item) for item in profile.parse_list(response)[0]]
    after, before = ids[1:4], ids[2:5]
    check(
        keys in (after, before, before[::-1]),
        f"{what} served {keys}: neither the page after {ids[0]!r} ({after}) nor the one before "
        f"{ids[5]!r} ({before})",
        response,
    )


@pytest.mark.rule("spaces.pagination.unknown-cursor")
def test_unknown_cursor(client, auth):
    for name in ("starting_after", "starting_before"):
        response = client.request(
            "GET", LIST_PATH, headers=auth, params={name: "apiconform-no-such-object", "limit": 1}
        )
        check(
            400 <= response.status_code < 500,
            f"GET /customers?{name}=<an id no object has> got HTTP {response.status_code}, not a 4xx",
            response,
        )
