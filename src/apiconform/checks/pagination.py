"""Pagination, provider-neutral: walkers for page-number and cursor lists, and their checks.

Page numbers: the profile turns a response into a `Page` (items plus what the provider says about
the page); `walk` requests successive pages until the provider says the last one was reached, and
the checks hold a page, or a whole walk, to the usual `page`/`per_page` arithmetic.

Cursors: `walk_cursor` follows "after the last item" (forwards) or "before the first item"
(backwards) until the provider says nothing more follows; `check_cursor_walk` holds a walk to
"each item exactly once, in the reference order, full pages and an exact has-more flag", each
check on its own (`check_page_sizes`, `check_full_pages`, `check_has_more`, and
`check_has_more_backward` for the two readings of a backward page's flag).
Assertion messages carry the evidence (response summary and a curl reproduction).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from apiconform.checks.expect import check, fail
from apiconform.client import ApiResponse
from apiconform.errors import CheckFailed, evidence_of


@dataclass(frozen=True)
class PageInfo:
    """What a provider reports about one page; fields it does not report are None."""

    current_page: int | None = None
    per_page: int | None = None
    total: int | None = None
    last_page: int | None = None
    first_index: int | None = None  # 1-based index of the first item on the page ("from")
    last_index: int | None = None  # 1-based index of the last item on the page ("to")
    has_next: bool | None = None


@dataclass(frozen=True)
class Page:
    number: int
    items: list[Any]
    info: PageInfo
    response: ApiResponse


@dataclass
class Walk:
    pages: list[Page] = field(default_factory=list)

    @property
    def items(self) -> list[Any]:
        return [item for page in self.pages for item in page.items]

    @property
    def requests(self) -> int:
        return len(self.pages)


Fetch = Callable[[int], ApiResponse]
Parse = Callable[[ApiResponse], tuple[list[Any], PageInfo]]


def fetch_page(fetch: Fetch, parse: Parse, number: int) -> Page:
    response = fetch(number)
    items, info = parse(response)
    return Page(number, items, info, response)


def walk(fetch: Fetch, parse: Parse, *, max_pages: int = 200) -> Walk:
    """Request page 1, 2, ... until the provider reports the last page (current_page equal to
    last_page, or no next page); fail if that takes more than `max_pages` pages."""
    result = Walk()
    number = 1
    while True:
        page = fetch_page(fetch, parse, number)
        result.pages.append(page)
        info = page.info
        if info.last_page is not None and info.current_page is not None:
            done = info.current_page >= info.last_page
        elif info.has_next is not None:
            done = not info.has_next
        else:
            done = not page.items
        if done:
            return result
        if number >= max_pages:
            fail(f"still not on the last page after {max_pages} pages", page.response)
        number += 1


def expected_count(total: int, per_page: int, page: int) -> int:
    return max(0, min(per_page, total - (page - 1) * per_page))


def check_page_arithmetic(page: Page, *, page_number: int, per_page: int) -> None:
    """The page reports the page and size requested, and its counts agree with `total`:
    last_page = max(1, ceil(total / per_page)) (0 is accepted for an empty set), the item count
    is what `total` leaves for this page, and from/to are the 1-based indices of the first and
    last item (null, absent or 0 on an empty page: documents show no empty page)."""
    info, response = page.info, page.response
    check(
        info.current_page == page_number,
        f"current_page is {info.current_page}, page {page_number} was requested",
        response,
    )
    check(info.per_page == per_page, f"per_page is {info.per_page}, {per_page} was requested", response)
    if info.total is None:
        fail("the page does not report total", response)
    total = info.total
    pages = math.ceil(total / per_page)
    allowed_last = {max(1, pages)} | ({0} if total == 0 else set())
    check(
        info.last_page in allowed_last,
        f"last_page is {info.last_page} for total {total} and per_page {per_page} (expected {max(1, pages)})",
        response,
    )
    count = expected_count(total, per_page, page_number)
    check(
        len(page.items) == count,
        f"page {page_number} holds {len(page.items)} items; "
        f"total {total} with per_page {per_page} leaves {count}",
        response,
    )
    if count:
        first = (page_number - 1) * per_page + 1
        check(
            (info.first_index, info.last_index) == (first, first + count - 1),
            f"from/to are {info.first_index}/{info.last_index}, expected {first}/{first + count - 1}",
            response,
        )
    else:
        check(
            info.first_index in (None, 0) and info.last_index in (None, 0),
            f"an empty page reports from/to {info.first_index}/{info.last_index}, expected null (or 0)",
            response,
        )


def check_exactly_once(
    walked: Walk, key: Callable[[Any], Hashable], expected: Sequence[Hashable] | None = None
) -> None:
    """Every item of the walk appears once (no overlap between pages, no repeats), the number of
    items equals the reported total, and, when `expected` is given, the walk yields exactly that set."""
    last = walked.pages[-1]
    keys = [key(item) for item in walked.items]
    repeated = [k for k, n in Counter(keys).items() if n > 1]
    check(not repeated, f"item(s) {repeated[:5]} appear on more than one page", last.response)
    total = walked.pages[0].info.total
    if total is not None:
        check(
            len(keys) == total,
            f"walking {len(walked.pages)} pages yielded {len(keys)} items, but total is {total}",
            last.response,
        )
    if expected is not None:
        missing = set(expected) - set(keys)
        extra = set(keys) - set(expected)
        check(
            not missing and not extra,
            f"the walk misses {sorted(map(str, missing))[:5]} and adds {sorted(map(str, extra))[:5]}",
            last.response,
        )


def check_exactly_once_up_to_ties(
    walked: Walk, key: Callable[[Any], Hashable], expected: Sequence[Any], tie: Callable[[Any], Hashable]
) -> None:
    """Like `check_exactly_once` against the items `expected`, for an order that leaves ties
    unordered (items with equal `tie` keys may trade places between requests, so between pages):
    items with a unique `tie` key appear exactly once; each group of tied items fills exactly as
    many places as it has members, from its members only; the number of items equals the total."""
    last = walked.pages[-1]
    total = walked.pages[0].info.total
    if total is not None:
        check(
            len(walked.items) == total,
            f"walking {len(walked.pages)} pages yielded {len(walked.items)} items, but total is {total}",
            last.response,
        )
    groups: dict[Hashable, set[Hashable]] = {}
    for item in expected:
        groups.setdefault(tie(item), set()).add(key(item))
    seen = Counter(tie(item) for item in walked.items)
    wanted = Counter({group: len(members) for group, members in groups.items()})
    check(
        seen == wanted,
        "the walk does not fill each place once: "
        f"{sorted(map(str, seen - wanted))[:3]} too often, {sorted(map(str, wanted - seen))[:3]} too rarely",
        last.response,
    )
    strays = [key(item) for item in walked.items if key(item) not in groups.get(tie(item), set())]
    check(not strays, f"the walk adds {sorted(map(str, strays))[:5]}", last.response)


def check_order(
    items: Sequence[Mapping[str, Any]],
    sort_key: Callable[[Mapping[str, Any]], Any],
    *,
    descending: bool,
    what: str,
    response: ApiResponse,
) -> None:
    """Consecutive items are in `sort_key` order (ties allowed only when the keys are equal)."""
    for index, (before, after) in enumerate(pairwise(items)):
        a, b = sort_key(before), sort_key(after)
        in_order = a >= b if descending else a <= b
        if not in_order:
            fail(
                f"{what}: item {index + 1} (id {before.get('id')}, key {a!r}) comes before item {index + 2} "
                f"(id {after.get('id')}, key {b!r})",
                response,
            )


# --- cursor pagination ------------------------------------------------------------------------


@dataclass(frozen=True)
class CursorPage:
    """One page of a cursor walk: its items as served, the provider's has-more flag (None when
    missing or not a boolean), and the cursor it was requested with (None for the first)."""

    items: list[Any]
    has_more: bool | None
    cursor: Hashable | None
    response: ApiResponse


@dataclass
class CursorWalk:
    direction: str  # "after" (forwards) or "before" (backwards)
    pages: list[CursorPage] = field(default_factory=list)


#: fetch(direction, cursor) -> the page after/before `cursor` (cursor None: the first page)
CursorFetch = Callable[[str, Hashable | None], ApiResponse]
CursorParse = Callable[[ApiResponse], tuple[list[Any], bool | None]]


def walk_cursor(
    fetch: CursorFetch,
    parse: CursorParse,
    key: Callable[[Any], Hashable],
    *,
    direction: str = "after",
    start: Hashable | None = None,
    position: Callable[[Hashable], int | None] | None = None,
    max_pages: int = 200,
) -> CursorWalk:
    """Follow the cursor from `start` until a page says nothing more follows (has_more false,
    missing, or an empty page); fail after `max_pages` pages or on a page that carries no key to
    continue from. Forwards the next cursor is the key of the page's last item; backwards it is
    the key of the page's earliest item, by `position` (the item's index in a reference forward
    order) when given, so that a page may list its items in either orientation, else the first
    item. (Items without a key elsewhere on a page do not stop the walk: rules that need every
    item's key judge the pages.)"""
    result = CursorWalk(direction)
    cursor = start
    for _ in range(max_pages):
        response = fetch(direction, cursor)
        items, has_more = parse(response)
        result.pages.append(CursorPage(items, has_more, cursor, response))
        if not items or not has_more:
            return result
        keys = [key(item) for item in items]
        if direction == "after" or position is None:
            continuing = keys[-1] if direction == "after" else keys[0]
            if continuing is None:
                fail("the page's item to continue the walk from carries no id", response)
            cursor = continuing
        else:
            keys = [k for k in keys if k is not None]
            if not keys:
                fail("no item of the page carries an id to continue the walk from", response)
            known = [(position(k), k) for k in keys]
            if any(index is None for index, _ in known):
                fail("a backward page holds items the forward walk never saw", response)
            cursor = min((index, k) for index, k in known if index is not None)[1]
    fail(f"still more pages after {max_pages} pages", result.pages[-1].response)


def check_cursor_walk(
    walked: CursorWalk,
    key: Callable[[Any], Hashable],
    expected: Sequence[Hashable],
    *,
    what: str,
) -> list[Hashable]:
    """The walk yields each of `expected` exactly once (no repeats, none missing, none extra).
    Backwards, each page must also be the run of items just before its cursor in `expected`'s
    order (in either orientation). Return the sequence walked, in forward order (backward pages
    taken last to first, each put in `expected`'s order), for order checks."""
    last = walked.pages[-1].response
    reference = list(expected)
    index = {k: i for i, k in enumerate(reference)}
    pages = [[key(item) for item in page.items] for page in walked.pages]
    if walked.direction == "before":
        seen: list[Hashable] = []
        for page, keys in zip(walked.pages, pages, strict=True):
            if page.cursor is not None and page.cursor in index:
                end = index[page.cursor]
                block = reference[max(0, end - len(keys)) : end]
                check(
                    keys in (block, block[::-1]),
                    f"{what}: the page before {page.cursor!r} holds {keys[:6]}"
                    f"{'...' if len(keys) > 6 else ''}, not the {len(keys)} items just before it",
                    page.response,
                )
            seen = sorted(keys, key=lambda k: index.get(k, -1)) + seen
    else:
        seen = [k for keys in pages for k in keys]
    repeated = [k for k, n in Counter(seen).items() if n > 1]
    check(not repeated, f"{what}: item(s) {repeated[:5]} appear more than once", last)
    missing = [k for k in reference if k not in set(seen)]
    extra = [k for k in seen if k not in index]
    check(
        not missing and not extra,
        f"{what}: {len(seen)} items; misses {missing[:5]} and adds {extra[:5]} (expected {len(reference)})",
        last,
    )
    return seen


def check_same_sequence(
    seen: Sequence[Hashable], expected: Sequence[Hashable], *, what: str, response: ApiResponse
) -> None:
    """`seen` lists the same items as `expected` in the same order."""
    differ = [i for i, (a, b) in enumerate(zip(seen, expected, strict=False)) if a != b]
    check(
        not differ and len(seen) == len(expected),
        f"{what}: the items come in another order than in the reference walk"
        + (
            f" (first difference at item {differ[0] + 1}: {seen[differ[0]]!r}, not {expected[differ[0]]!r})"
            if differ
            else ""
        ),
        response,
    )


def check_has_more(walked: CursorWalk, *, what: str) -> None:
    """has_more is true on every page but the last and false on the last, and a page that says
    more follow is not followed by an empty page (the flag was true with nothing left)."""
    pages = walked.pages
    if len(pages) > 1 and not pages[-1].items:
        fail(
            f"{what}: page {len(pages) - 1} says has_more true, but the page after it is empty",
            pages[-2].response,
            pages[-1].response,
        )
    for number, page in enumerate(walked.pages, start=1):
        final = number == len(walked.pages)
        check(
            page.has_more is (not final),
            f"{what}: page {number} of {len(walked.pages)} says has_more {page.has_more!r}",
            page.response,
        )


def check_has_more_backward(walked: CursorWalk, *, what: str) -> str:
    """A backward walk's has_more read either way a document that only says "If false, there is
    no subsequent pages" allows: in the walk's direction (`check_has_more`: true on every page but
    the last, which says false), or in list order (true on every page, since the cursor's object
    follows each page; the walk then ends on an empty page). Return which reading the walk
    takes ("walk direction" or "list order"); fail when it takes neither."""
    pages = walked.pages
    flags = [page.has_more for page in pages]
    if all(flag is True for flag in flags) and not pages[-1].items:
        return "list order"
    try:
        check_has_more(walked, what=what)
    except AssertionError as exc:
        raise CheckFailed(
            f"{exc}\n(has_more is read either in the walk's direction or in list order, where every "
            f"backward page says true; the {len(pages)} pages say {flags})",
            evidence_of(exc),
        ) from None
    return "walk direction"


def check_page_sizes(walked: CursorWalk, limit: int, *, what: str, full: bool = True) -> None:
    """No page holds more than `limit` items, and (with `full`) every page that says more follow
    is full."""
    for number, page in enumerate(walked.pages, start=1):
        check(
            len(page.items) <= limit,
            f"{what}: page {number} holds {len(page.items)} items, limit {limit}",
            page.response,
        )
        if full and page.has_more:
            check(
                len(page.items) == limit,
                f"{what}: page {number} holds {len(page.items)} items with has_more true (limit {limit})",
                page.response,
            )


def check_full_pages(walked: CursorWalk, limit: int, *, what: str) -> None:
    """Every page before the walk's last page that holds items is full (holds `limit` items): a
    short page comes only where the list ends, whatever has_more says."""
    filled = [number for number, page in enumerate(walked.pages) if page.items]
    for number, page in enumerate(walked.pages[: filled[-1]] if filled else [], start=1):
        check(
            len(page.items) == limit,
            f"{what}: page {number} holds {len(page.items)} items although more follow it (limit {limit})",
            page.response,
        )
