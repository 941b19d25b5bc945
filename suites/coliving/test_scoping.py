"""Host scoping: a key sees and changes only its own host's listings (coliving-api.txt, List /
Create / Update Listing: Host scoping)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.profile import Headers
from apiconform.suite import ApiClient, ApiResponse, Profile, Target, check, error_body, fail, success_data

LISTINGS = "/v1/listings"


def first_page(
    client: ApiClient, profile: Profile, headers: dict[str, str], **params: Any
) -> tuple[ApiResponse, list[dict[str, Any]]]:
    response = client.request("GET", LISTINGS, headers=headers, params={"per_page": 100, **params})
    items = success_data(profile, response, "GET /v1/listings", status=200)
    if not isinstance(items, list):
        fail("GET /v1/listings: data is not a list", response)
    return response, [item for item in items if isinstance(item, dict)]


@pytest.fixture(scope="module")
def own_listings(
    client: ApiClient, profile: Profile, headers: Headers, target: Target, kept_listing: Callable[[str], Any]
) -> list[dict[str, Any]]:
    """This host's first page of listings; with writes allowed, the suite's own listing is among them."""
    if target.allow_writes:
        kept_listing("scoping")
    _, items = first_page(client, profile, headers())
    if not items:
        pytest.skip("this host has no listings to compare (and writes are not allowed to create one)")
    return items


@pytest.mark.rule("coliving.scoping.list-own-host-only")
def test_list_shows_own_host_only(client, profile, headers, own_listings):
    response, others = first_page(client, profile, headers("api_key_other_host"))
    leaked = {item.get("id") for item in own_listings} & {item.get("id") for item in others}
    check(not leaked, f"another host's key lists this host's listing(s) {sorted(leaked)[:5]}", response)


@pytest.mark.rule("coliving.scoping.search-own-host-only")
def test_search_shows_own_host_only(client, profile, headers, own_listings):
    mine = own_listings[0]
    response, found = first_page(client, profile, headers("api_key_other_host"), q=mine.get("name"))
    leaked = [item.get("id") for item in found if item.get("id") == mine.get("id")]
    check(not leaked, f"another host's key finds this host's listing {mine.get('id')} by its name", response)


@pytest.mark.rule("coliving.scoping.patch-other-host-404")
def test_patch_other_hosts_listing(client, profile, headers, kept_listing):
    listing = kept_listing("scoping")
    response = client.request(
        "PATCH",
        f"{LISTINGS}/{listing.id}",
        headers=headers("api_key_other_host"),
        json={"name": f"{payloads.PREFIX}renamed by another host"},
    )
    error_body(
        profile,
        response,
        "PATCH of this host's listing with another host's key",
        status=404,
        error_type="not_found",
    )


@pytest.mark.rule("coliving.scoping.upsert-other-host-separate")
def test_upsert_other_hosts_original_id(client, profile, headers, kept_listing):
    """Another host posts this host's original_id: it gets its own listing, or a refusal (the
    document does not say whether original_ids are unique per host or across hosts: a 409 or
    422 error envelope is the other reading); either way ours is untouched."""
    listing = kept_listing("scoping")
    body = payloads.listing_body(listing.body["original_id"], name=f"{payloads.PREFIX}other host's copy")
    response = client.request("POST", LISTINGS, headers=headers("api_key_other_host"), json=body)
    what = "POST /v1/listings by another host"
    if response.status_code in (409, 422):
        error_body(profile, response, what, status=response.status_code)
    else:
        data = success_data(profile, response, what, status=(200, 201))
        check(
            not isinstance(data, dict) or data.get("id") != listing.id,
            f"another host's upsert matched and updated this host's listing {listing.id}",
            response,
        )
    _, mine = first_page(client, profile, headers(), q=listing.body["name"])
    check(
        any(item.get("id") == listing.id and item.get("name") == listing.body["name"] for item in mine),
        f"this host's listing {listing.id} no longer carries its name after another host's upsert",
        response,
    )
