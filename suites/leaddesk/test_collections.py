"""Collections (leaddesk-api.txt, Resources: Collections; per_page default 25, maximum 500; page 2
with per_page 25 holds items 26..50; _links next and previous; _meta total).

The `reference` fixture walks GET /users once at per_page 500; hypothesis then draws page sizes
and each walk is compared with it."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apiconform.checks.expect import check, expect_json
from apiconform.checks.pagination import check_exactly_once, expected_count, walk
from apiconform.providers.leaddesk.profile import USERS_PATH, link_page
from apiconform.session import Verdicts


def item_id(item):
    return item.get("id") if isinstance(item, dict) else None


def check_shape(response, what: str) -> None:
    body = expect_json(response, what)
    problems = []
    if not isinstance(body, dict):
        problems.append(f"the body is {type(body).__name__}")
        body = {}
    if not isinstance(body.get("collection"), list):
        problems.append("collection is not an array")
    if not isinstance(body.get("_links"), dict):
        problems.append("_links is not an object")
    meta = body.get("_meta")
    total = meta.get("total") if isinstance(meta, dict) else None
    if not (isinstance(total, int) and not isinstance(total, bool)):
        problems.append(f"_meta.total is {total!r}, not an integer")
    check(not problems, f"{what}: " + "; ".join(problems), response)


@pytest.mark.rule("leaddesk.collections.shape", "leaddesk.collections.default-per-page")
def test_default_page(client, profile, bearer, reference, verdicts: Verdicts):
    response = client.request("GET", USERS_PATH, headers=bearer)
    with verdicts.check("leaddesk.collections.shape"):
        check_shape(response, "GET /users")
        for page in reference.walk.pages:
            check_shape(page.response, f"GET /users?per_page=500 page {page.number}")
    items, info = profile.parse_page(response)
    with verdicts.check("leaddesk.collections.default-per-page"):
        total = info.total if info.total is not None else len(reference.items)
        want = min(25, total)
        check(
            len(items) == want,
            f"GET /users without per_page holds {len(items)} objects, expected {want}",
            response,
        )


@pytest.mark.rule("leaddesk.collections.per-page-max")
def test_per_page_maximum(client, profile, bearer, reference, verdicts: Verdicts):
    total = reference.total if reference.total is not None else len(reference.items)
    first = reference.walk.pages[0]
    check(
        first.response.status_code == 200, f"per_page=500: HTTP {first.response.status_code}", first.response
    )
    check(
        len(first.items) == min(500, total),
        f"per_page=500 serves {len(first.items)} objects of {total}",
        first.response,
    )
    above = client.request("GET", USERS_PATH, headers=bearer, params={"per_page": 501})
    if 200 <= above.status_code < 300:
        items, _ = profile.parse_page(above)
        check(len(items) <= 500, f"per_page=501 serves {len(items)} objects", above)
    else:
        check(400 <= above.status_code < 500, f"per_page=501: HTTP {above.status_code}", above)


@pytest.mark.rule(
    "leaddesk.collections.page-offsets",
    "leaddesk.collections.links-consistent",
    "leaddesk.collections.walk-exactly-once",
)
@given(pages=st.integers(min_value=1, max_value=5))
@example(pages=3)
def test_walks(pages, profile, reference, users_fetcher, verdicts: Verdicts):
    """Property: for any per_page worth 1-5 pages, page p holds reference items (p-1)*n+1..p*n,
    _links has self everywhere, next on every page but the last and prev on every page but the
    first, pointing at the neighbouring page with the same per_page, and walking the pages yields
    _meta.total objects, each once."""
    reference.require()
    count = len(reference.items)
    per_page = min(500, max(1, math.ceil(count / pages)))
    walked = walk(users_fetcher(per_page), profile.parse_page, max_pages=count + 2)
    ids = [item_id(item) for item in reference.items]
    last_number = walked.pages[-1].number
    for page in walked.pages:
        what = f"GET /users?per_page={per_page}&page={page.number}"
        with verdicts.check("leaddesk.collections.page-offsets"):
            want = ids[(page.number - 1) * per_page : page.number * per_page]
            got = [item_id(item) for item in page.items]
            check(got == want, f"{what} holds ids {got[:4]}..., expected {want[:4]}...", page.response)
        with verdicts.check("leaddesk.collections.links-consistent"):
            body = page.response.json_or_none()
            links = body.get("_links") if isinstance(body, dict) else None
            links = links if isinstance(links, dict) else {}
            check("self" in links, f"{what}: _links has no self", page.response)
            # next exactly when `total` leaves objects for the following page (not derived from
            # the walk, which follows a wrong next link onto an empty page)
            expected_links = {
                "next": expected_count(reference.total or count, per_page, page.number + 1) > 0,
                "prev": page.number > 1,
            }
            for name, present in expected_links.items():
                check(
                    (name in links) is present,
                    f"{what}: _links {'lacks' if present else 'has'} {name} "
                    f"(page {page.number} of {last_number})",
                    page.response,
                )
                if present:
                    target = page.number + (1 if name == "next" else -1)
                    linked_page, linked_size = link_page(links[name])
                    check(
                        linked_page == target and linked_size in (per_page, None),
                        f"{what}: _links.{name} {links[name]!r} does not point at page {target}",
                        page.response,
                    )
    with verdicts.check("leaddesk.collections.walk-exactly-once"):
        check_exactly_once(walked, key=item_id, expected=ids)
