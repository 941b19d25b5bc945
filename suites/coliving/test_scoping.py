"""Host scoping: a key sees and changes only its own host's listings (coliving-api.txt, List /
Create / Update Listing: Host scoping). The PATCH of another host's listing is test_patch."""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.providers.coliving import samples
from apiconform.suite import ApiClient, Profile, check, error_body, fail, success_data, walk

LISTINGS = "/v1/listings"
#: pages of 100 walked of the other host's listings (a host may have thousands)
OTHER_HOST_PAGES = 10


def other_hosts_listings(
    client: ApiClient, profile: Profile, headers: dict[str, str]
) -> tuple[Any, list[Any]]:
    """The other host's listings, walked (per_page 100, at most OTHER_HOST_PAGES pages)."""

    def fetch(number: int) -> Any:
        return client.request("GET", LISTINGS, headers=headers, params={"page": number, "per_page": 100})

    walked = walk(fetch, profile.parse_page, max_pages=OTHER_HOST_PAGES)
    for page in walked.pages:
        success_data(
            profile, page.response, f"GET /v1/listings?page={page.number} (another host's key)", status=200
        )
    return walked, [item for item in walked.items if isinstance(item, dict)]


@pytest.mark.rule("coliving.scoping.list-own-host-only")
def test_list_shows_own_host_only(client, profile, headers, universe):
    """Every page of this host's listings (the universe) against every page of the other host's."""
    universe.require(1)
    walked, others = other_hosts_listings(client, profile, headers("api_key_other_host"))
    leaked = {item.get("id") for item in universe.items} & {item.get("id") for item in others}
    check(
        not leaked,
        f"another host's key lists this host's listing(s) {sorted(leaked, key=str)[:5]}",
        *(page.response for page in walked.pages[:3]),
    )


@pytest.mark.rule("coliving.scoping.search-own-host-only")
def test_search_shows_own_host_only(client, profile, headers, universe):
    universe.require(1)
    mine = universe.items[0]
    response = client.request(
        "GET",
        LISTINGS,
        headers=headers("api_key_other_host"),
        params={"per_page": 100, "q": mine.get("name")},
    )
    found = success_data(
        profile, response, "GET /v1/listings?q=<this host's name> (another host's key)", status=200
    )
    if not isinstance(found, list):
        fail("GET /v1/listings: data is not a list", response)
    leaked = [item.get("id") for item in found if isinstance(item, dict) and item.get("id") == mine.get("id")]
    check(not leaked, f"another host's key finds this host's listing {mine.get('id')} by its name", response)


@pytest.mark.rule("coliving.scoping.upsert-other-host-separate")
def test_upsert_other_hosts_original_id(other_host_sample, sample_listing, profile):
    """Another host posts this host's sample (its original_id): it gets its own listing, or a
    refusal (the document does not say whether original_ids are unique per host or across hosts:
    a 409 or 422 error envelope is the other reading); either way ours is untouched."""
    response = other_host_sample.response
    what = "POST /v1/listings by another host"
    if response.status_code in (409, 422):
        error_body(profile, response, what, status=response.status_code)
    else:
        data = success_data(profile, response, what, status=(200, 201))
        check(
            not isinstance(data, dict) or data.get("id") != sample_listing.id,
            f"another host's upsert matched and updated this host's listing {sample_listing.id}",
            response,
        )
    shown = other_host_sample.shown
    check(
        shown is not None and shown.get("name") == samples.SAMPLE_NAME,
        f"this host's listing {sample_listing.id} is not listed under its name after another host's upsert",
        response,
    )
