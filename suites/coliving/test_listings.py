"""Listings: list shape, upsert, inactive conflicts, validation, PATCH semantics
(coliving-api.txt: Listing Management)."""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.profile import Headers
from apiconform.suite import (
    ApiClient,
    Profile,
    Verdicts,
    check,
    check_rfc3339,
    error_body,
    error_paths,
    expect_schema,
    fail,
    store,
    success_data,
)

LISTINGS = "/v1/listings"


@pytest.mark.rule("coliving.listings.list-shape", "coliving.envelope.timestamps-rfc3339")
def test_list_shape(client, profile, headers, verdicts: Verdicts):
    response = client.request("GET", LISTINGS, headers=headers())
    with verdicts.check("coliving.listings.list-shape"):
        success_data(profile, response, "GET /v1/listings", status=200)
        expect_schema(store(profile.name), "listings-page", response.json(), "GET /v1/listings", response)
    with verdicts.check("coliving.envelope.timestamps-rfc3339"):
        items, _ = profile.parse_page(response)
        if not items:
            pytest.skip("this host lists no listing whose updated_at could be inspected")
        stamps = {
            f"data[{n}].updated_at": i.get("updated_at") for n, i in enumerate(items) if isinstance(i, dict)
        }
        check_rfc3339(stamps, "GET /v1/listings", response)


@pytest.mark.rule("coliving.listings.upsert-create-201", "coliving.listings.upsert-result-shape")
def test_upsert_creates(new_listing, read_listing, profile, verdicts: Verdicts):
    response = new_listing.response
    with verdicts.check("coliving.listings.upsert-result-shape"):
        success_data(
            profile, response, "POST /v1/listings", status=(200, 201), data_schema="listing-upsert-result"
        )
    with verdicts.check("coliving.listings.upsert-create-201"):
        data = success_data(profile, response, "POST /v1/listings with a new original_id", status=201)
        check(
            isinstance(data, dict) and data.get("action") == "created",
            f"action is {data.get('action') if isinstance(data, dict) else None!r}, not 'created'",
            response,
        )
        check(
            read_listing(new_listing.id, new_listing.body["name"]) is not None,
            "the created listing does not appear in GET /v1/listings",
            response,
        )


@pytest.mark.rule("coliving.listings.upsert-update-200")
def test_upsert_updates_active_match(client, profile, headers, kept_listing, read_listing):
    listing = kept_listing("upsert")
    renamed = dict(listing.body, name=f"{payloads.PREFIX}upsert renamed {payloads.token()}")
    response = client.request("POST", LISTINGS, headers=headers(), json=renamed)
    data = success_data(profile, response, "POST /v1/listings with an existing original_id", status=200)
    check(
        isinstance(data, dict) and data.get("id") == listing.id,
        f"the upsert did not match listing {listing.id}",
        response,
    )
    check(
        data.get("action") != "created",
        "the upsert of an existing original_id says action 'created'",
        response,
    )
    shown = read_listing(listing.id, renamed["name"])
    check(
        shown is not None and shown.get("name") == renamed["name"],
        f"GET /v1/listings does not show listing {listing.id} with the new name after the upsert",
        response,
    )


@pytest.fixture(scope="module")
def inactive_listing(
    client: ApiClient, profile: Profile, headers: Headers
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The suite's listing `apiconform-inactive`, made inactive by PATCH status (the document
    lists `status` among the listing core fields of PATCH); on later runs it already is."""
    body = payloads.listing_body(f"{payloads.PREFIX}inactive")
    created = client.request("POST", LISTINGS, headers=headers(), json=body)
    if created.status_code in (200, 201):
        listing_id = created.json()["data"]["id"]
        patched = client.request(
            "PATCH", f"{LISTINGS}/{listing_id}", headers=headers(), json={"status": "inactive"}
        )
        if patched.status_code != 200:
            pytest.skip(f"cannot make a listing inactive (PATCH status answered {patched.status_code})")
    listed = client.request(
        "GET",
        LISTINGS,
        headers=headers(),
        params={"listing_status": "inactive", "q": body["name"], "per_page": 100},
    )
    items = success_data(profile, listed, "GET /v1/listings?listing_status=inactive", status=200)
    match = [i for i in items if isinstance(i, dict) and i.get("original_id") == body["original_id"]]
    if not match:
        pytest.skip("the suite's listing could not be made inactive; no inactive listing to match")
    return body, match[0]


@pytest.mark.rule("coliving.listings.upsert-inactive-409", "coliving.listings.upsert-inactive-409-type")
def test_upsert_inactive_match_conflicts(
    client, profile, headers, inactive_listing, read_listing, verdicts: Verdicts
):
    body, before = inactive_listing
    attempt = dict(body, name=f"{payloads.PREFIX}must not apply {payloads.token()}")
    response = client.request("POST", LISTINGS, headers=headers(), json=attempt)
    with verdicts.check("coliving.listings.upsert-inactive-409"):
        error_body(profile, response, "POST /v1/listings matching an inactive listing", status=409)
        after = read_listing(before["id"], before["name"])
        check(
            after is not None
            and after.get("name") == before.get("name")
            and after.get("listing_status") == "inactive",
            "the inactive listing changed after the 409",
            response,
        )
    with verdicts.check("coliving.listings.upsert-inactive-409-type"):
        error = error_body(
            profile,
            response,
            "POST /v1/listings matching an inactive listing",
            status=409,
            error_type="conflict_error",
        )
        check(
            str(before["id"])
            in [str(i.get("message")) for i in profile.error_items(error) if i.get("path") == "listing_id"],
            f"the 409 does not name listing_id {before['id']} in errors[]",
            response,
        )


def invalid_upsert(
    client: ApiClient, profile: Profile, headers: Headers, body: Any, what: str, path_prefix: str
) -> None:
    response = client.request("POST", LISTINGS, headers=headers(), json=body)
    error = error_body(profile, response, what, status=422)
    paths = error_paths(profile, error)
    check(
        any(p.startswith(path_prefix) for p in paths),
        f"{what}: no errors[] item has a path starting {path_prefix!r} (got {paths})",
        response,
    )


@pytest.mark.rule("coliving.listings.missing-name-422")
def test_missing_name(client, profile, headers):
    body = payloads.listing_body(f"{payloads.PREFIX}invalid")
    del body["name"]
    invalid_upsert(client, profile, headers, body, "POST /v1/listings without name", "name")


@pytest.mark.rule("coliving.listings.room-types-required-422")
def test_room_types_required(client, profile, headers):
    body = payloads.listing_body(f"{payloads.PREFIX}invalid")
    del body["room_types"]
    invalid_upsert(client, profile, headers, body, "POST /v1/listings without room_types", "room_types")
    invalid_upsert(
        client,
        profile,
        headers,
        dict(body, room_types=[]),
        "POST /v1/listings with room_types []",
        "room_types",
    )


@pytest.mark.rule("coliving.listings.room-type-enum-422")
def test_room_type_enum(client, profile, headers):
    body = payloads.listing_body(
        f"{payloads.PREFIX}invalid", room_types=[payloads.room_type(kind="penthouse")]
    )
    response = client.request("POST", LISTINGS, headers=headers(), json=body)
    error_body(profile, response, "POST /v1/listings with room_type 'penthouse'", status=422)


@pytest.mark.rule("coliving.listings.base-price-min-422")
def test_base_price_minimum(client, profile, headers):
    body = payloads.listing_body(f"{payloads.PREFIX}invalid", room_types=[payloads.room_type(base_price=0)])
    response = client.request("POST", LISTINGS, headers=headers(), json=body)
    error_body(profile, response, "POST /v1/listings with base_price 0", status=422)


@pytest.mark.rule(
    "coliving.listings.patch-partial",
    "coliving.listings.patch-action",
    "coliving.listings.upsert-result-shape",
)
def test_patch_is_partial(client, profile, headers, kept_listing, read_listing, verdicts: Verdicts):
    listing = kept_listing("patch")
    before = read_listing(listing.id, listing.body["name"])
    if before is None:
        fail(f"listing {listing.id} is not listed before the PATCH", listing.response)
    new_name = f"{payloads.PREFIX}patched {payloads.token()}"
    response = client.request("PATCH", f"{LISTINGS}/{listing.id}", headers=headers(), json={"name": new_name})
    with verdicts.check("coliving.listings.upsert-result-shape"):
        success_data(
            profile, response, "PATCH /v1/listings/{id}", status=200, data_schema="listing-upsert-result"
        )
    with verdicts.check("coliving.listings.patch-action"):
        data = success_data(profile, response, "PATCH /v1/listings/{id}", status=200)
        action = data.get("action") if isinstance(data, dict) else None
        check(
            action in ("updated", "unchanged"),
            f"action is {action!r}, not 'updated' or 'unchanged'",
            response,
        )
    with verdicts.check("coliving.listings.patch-partial"):
        after = read_listing(listing.id, new_name)
        check(
            after is not None,
            f"listing {listing.id} is not listed under its new name after the PATCH",
            response,
        )
        unchanged = ("listing_status", "room_types", "original_id", "unique_id")
        changed = [k for k in unchanged if after.get(k) != before.get(k)]
        check(not changed, f"PATCH of name alone also changed {', '.join(changed)}", response)


@pytest.mark.rule("coliving.listings.patch-null-422")
def test_patch_null_name(client, profile, headers, kept_listing, read_listing):
    listing = kept_listing("patch-null")
    response = client.request("PATCH", f"{LISTINGS}/{listing.id}", headers=headers(), json={"name": None})
    error_body(profile, response, "PATCH /v1/listings/{id} with name null", status=422)
    check(
        read_listing(listing.id, listing.body["name"]) is not None,
        "the listing lost its name after a rejected PATCH",
        response,
    )
