"""Collections (leaddesk-api.txt, Resources: Collections; per_page default 25, maximum 500; page 2
with per_page 25 holds items 26..50; links for next and previous page if available; meta with
additional information "like total amount").

What the document leaves open is accepted in every reading (suites/leaddesk/readings.toml): the
links and meta objects under the examples' names (`_links`, `_meta`) or the prose's (`links`,
`meta`), `prev` or `previous`, a null link for a page that is not available, absolute or relative
links, no `self`, no `total` (the size then comes from the reference walk). SHOULD rules ask for
the examples' `self` and `total`.

The collection rules are judged on GET /users, the collection of the document's own GET example
(users?per_page=50&page=5): "the response will usually be formatted with following general rules"
(silence point leaddesk.collection-format-usually) leaves other lists free (a campaign's users may
be a bare array), but for the collection example's own /agents. Absolute links, as the examples
write them, are a SHOULD.

The `reference` fixture walks GET /users once at per_page 500; hypothesis then draws page sizes
and each walk is compared with it."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apiconform.providers.leaddesk import shapes
from apiconform.providers.leaddesk.collection_checks import check_link, check_shape
from apiconform.providers.leaddesk.profile import USERS_PATH
from apiconform.suite import (
    Verdicts,
    check,
    check_exactly_once,
    expected_count,
    walk,
)


def item_id(item: Any) -> Any:
    return item.get("id") if isinstance(item, dict) else None


def relative_links(links: Any) -> list[str]:
    """The links (a links object's string values) that are not absolute URLs."""
    if not isinstance(links, dict):
        return []
    return [
        f"{name}: {url}" for name, url in links.items() if isinstance(url, str) and not urlsplit(url).scheme
    ]


@pytest.mark.rule(
    "leaddesk.collections.shape",
    "leaddesk.collections.default-per-page",
    "leaddesk.collections.self-link",
    "leaddesk.collections.meta-total",
    "leaddesk.collections.absolute-links",
)
def test_default_page(client, profile, bearer, reference, verdicts: Verdicts):
    response = client.request("GET", USERS_PATH, headers=bearer)
    pages = [("GET /users", response)]
    pages += [(f"GET /users?per_page=500 page {p.number}", p.response) for p in reference.walk.pages]
    for what, page in pages:
        body = page.json_or_none()
        with verdicts.check("leaddesk.collections.shape"):
            check_shape(page, what)
        with verdicts.check("leaddesk.collections.self-link"):
            check(shapes.link(shapes.links_of(body), "self"), f"{what}: its links carry no self", page)
        with verdicts.check("leaddesk.collections.meta-total"):
            check(shapes.total_of(body) is not None, f"{what}: its meta carries no total", page)
        with verdicts.check("leaddesk.collections.absolute-links"):
            relative = relative_links(shapes.links_of(body))
            check(not relative, f"{what}: links {relative[:3]} are not absolute URLs (the example's)", page)
    items, _ = profile.parse_page(response)
    with verdicts.check("leaddesk.collections.default-per-page"):
        want = min(25, reference.size)
        check(
            len(items) == want,
            f"GET /users without per_page holds {len(items)} objects, expected {want}",
            response,
        )


@pytest.mark.rule("leaddesk.collections.per-page-max")
def test_per_page_maximum(client, profile, bearer, reference, verdicts: Verdicts):
    first = reference.walk.pages[0]
    check(
        first.response.status_code == 200, f"per_page=500: HTTP {first.response.status_code}", first.response
    )
    check(
        len(first.items) == min(500, reference.size),
        f"per_page=500 serves {len(first.items)} objects of {reference.size}",
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
    next is on every page but the last and prev on every page but the first, pointing at the
    neighbouring page with the same per_page, and walking the pages yields every object once."""
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
            links = shapes.links_of(page.response.json_or_none())
            # next exactly when the collection leaves objects for the following page (not derived
            # from the walk, which follows a wrong next link onto an empty page)
            expected_links = {
                "next": expected_count(reference.size, per_page, page.number + 1) > 0,
                "prev": page.number > 1,
            }
            for name, present in expected_links.items():
                check(
                    (shapes.link(links, name) is not None) is present,
                    f"{what}: the links {'lack' if present else 'have'} {name} "
                    f"(page {page.number} of {last_number})",
                    page.response,
                )
                if present:
                    target = page.number + (1 if name == "next" else -1)
                    check_link(links, name, target, per_page, what, page.response)
    with verdicts.check("leaddesk.collections.walk-exactly-once"):
        check_exactly_once(walked, key=item_id, expected=ids)


@pytest.mark.rule("leaddesk.collections.agents")
def test_agents(client, bearer):
    """GET /agents, the collection of the document's Collections example (its links name
    /stable/agents?page=2): a collection. The example is all the document says of /agents, so a
    target answering "not supported" (404, 405, 501) gets the rule skipped."""
    response = client.request("GET", "/agents", headers=bearer, params={"per_page": 1})
    if response.status_code in (404, 405, 501):
        pytest.skip(
            f"GET /agents is not supported by the target (HTTP {response.status_code}); the document "
            "names /agents only in its Collections example's links (leaddesk.agents-example)"
        )
    check(200 <= response.status_code < 300, f"GET /agents: HTTP {response.status_code}", response)
    check_shape(response, "GET /agents")
