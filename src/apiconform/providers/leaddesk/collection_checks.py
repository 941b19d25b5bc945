"""LeadDesk collection checks over one page (leaddesk-api.txt, Resources: Collections), shared by
the live suite (suites/leaddesk/test_collections.py) and observed mode
(apiconform.providers.leaddesk.observed). Every reading of suites/leaddesk/readings.toml passes:
`_links`/`links`, `_meta`/`meta`, `prev`/`previous`, null links, relative links, no total."""

from __future__ import annotations

from typing import Any

from apiconform.checks.expect import check, expect_json
from apiconform.client import ApiResponse
from apiconform.providers.leaddesk import shapes


def check_shape(response: ApiResponse, what: str) -> None:
    body = expect_json(response, what)
    problems = []
    if not isinstance(body, dict):
        problems.append(f"the body is {type(body).__name__}, not an object")
        body = {}
    if not isinstance(body.get("collection"), list):
        problems.append("collection is not an array")
    if shapes.links_of(body) is None:
        problems.append("no links object (_links or links)")
    if shapes.meta_of(body) is None:
        problems.append("no meta object (_meta or meta)")
    else:
        meta = shapes.meta_of(body) or {}
        if "total" in meta and not shapes.is_count(meta["total"]):
            problems.append(f"total is {meta['total']!r}, not a count")
    check(not problems, f"{what}: " + "; ".join(problems), response)


def check_link(links: Any, name: str, target: int, per_page: int, what: str, response: ApiResponse) -> None:
    """Link `name` points at page `target` with the same per_page (a link naming no page is page
    1; one naming no per_page is accepted)."""
    url = shapes.link(links, name)
    linked_page, linked_size = shapes.query_page(url)
    check(
        (linked_page or 1) == target and linked_size in (per_page, None),
        f"{what}: the {name} link {url!r} does not point at page {target}",
        response,
    )
