"""GET /v1/listings' documented query vocabulary and bounds (coliving-api.txt, List Listings:
Query parameters), and what a conformant answer to a value outside them is.

The document states the bounds (page >= 1, per_page 1-100 "maximum 100", the sort, order and
listing_status vocabularies, q <= 255) but not what a value outside them gets: "strict error
semantics" in the contract update reads naturally as a refusal, and Laravel's paginator clamps
(silence point coliving.list-parameter-status). A MUST accepts both, so long as the answer stays
within the bounds; the refusal is a SHOULD.
"""

from __future__ import annotations

from apiconform.checks.envelope import error_body, success_data
from apiconform.checks.expect import check
from apiconform.client import ApiResponse
from apiconform.profile import Profile

ENUMS = {
    "sort": {"id", "name", "updated_at", "listing_status"},
    "order": {"asc", "desc"},
    "listing_status": {"draft", "pending", "published", "inactive"},
}
RANGES: dict[str, tuple[int, int | None]] = {"page": (1, None), "per_page": (1, 100)}
MAX_PER_PAGE = 100
MAX_Q = 255


def check_bounds_kept(profile: Profile, response: ApiResponse, what: str) -> None:
    """`response`, the answer to a query value outside the documented bounds, is a refusal (a 4xx
    with the error envelope) or a 200 that stays within the bounds (the success envelope, and
    meta.pagination with per_page 1-100, current_page >= 1 and at most per_page items); anything
    else (a 5xx, a page of 101, a per_page of 0) fails."""
    if 400 <= response.status_code < 500:
        error_body(profile, response, what, status=response.status_code)
        return
    success_data(profile, response, what, status=200)
    items, info = profile.parse_page(response)
    size = info.per_page
    check(
        size is not None and 1 <= size <= MAX_PER_PAGE,
        f"{what}: answered 200 with per_page {size!r}, outside the documented 1-100",
        response,
    )
    assert size is not None
    check(
        info.current_page is not None and info.current_page >= 1,
        f"{what}: answered 200 with current_page {info.current_page!r} (pages start at 1)",
        response,
    )
    check(len(items) <= size, f"{what}: answered {len(items)} items for per_page {size}", response)
