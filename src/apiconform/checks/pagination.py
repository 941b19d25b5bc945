"""Page-number pagination, provider-neutral: a walker and the checks of page arithmetic.

The profile turns a response into a `Page` (items plus what the provider says about the page);
`walk` requests successive pages until the provider says the last one was reached, and the
checks below hold a page, or a whole walk, to the usual `page`/`per_page` arithmetic.
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
    last item (null, or absent, on an empty page)."""
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
            info.first_index is None and info.last_index is None,
            f"an empty page reports from/to {info.first_index}/{info.last_index}, expected null",
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
