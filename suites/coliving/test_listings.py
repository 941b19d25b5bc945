"""Listings: the list's shape, the upsert (the document's sample, a new listing, an update, an
inactive match) and its result, and payload validation both ways (coliving-api.txt: Listing
Management). PATCH is test_patch.

Validation: each documented constraint of Create Listing: Request Body Parameters is broken alone,
in a body that is otherwise valid (the suite's listing body: the starred and the strongly
recommended fields), and must get 422 naming a path under the field; the valid bodies the document
promises to take must be taken: the sample, both room types, base_price 1. Where a nested field is
named, its path is only required to start with the top-level field (room_types.0.name and
room_types[0].name are both paths a server may write).
"""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.profile import Headers
from apiconform.providers.coliving.refusals import refused_setup
from apiconform.providers.coliving.upserts import conflict_problems, result_problems
from apiconform.providers.coliving.validation import judge_422
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Profile,
    Verdicts,
    check,
    check_rfc3339,
    error_body,
    expect_schema,
    store,
    success_data,
)

LISTINGS = "/v1/listings"


@pytest.mark.rule(
    "coliving.listings.list-shape", "coliving.envelope.timestamps-rfc3339", "coliving.pagination.defaults"
)
def test_list_shape(plain_get, profile, verdicts: Verdicts):
    """GET /v1/listings without parameters: the listing schema, page 1 of at most 50 (per_page 50)."""
    response = plain_get
    with verdicts.check("coliving.listings.list-shape"):
        success_data(profile, response, "GET /v1/listings", status=200)
        expect_schema(store(profile.name), "listings-page", response.json(), "GET /v1/listings", response)
    items, info = profile.parse_page(response)
    with verdicts.check("coliving.pagination.defaults"):
        success_data(profile, response, "GET /v1/listings", status=200)
        check(
            (info.current_page, info.per_page) == (1, 50),
            f"without page and per_page: current_page {info.current_page}, per_page {info.per_page} "
            "(expected 1, 50)",
            response,
        )
        expected = min(50, info.total) if info.total is not None else None
        check(
            len(items) <= 50 and (expected is None or len(items) == expected),
            f"the default page holds {len(items)} listings (total {info.total}; at most 50, all of them "
            "up to 50)",
            response,
        )
    with verdicts.check("coliving.envelope.timestamps-rfc3339"):
        if not items:
            pytest.skip("this host lists no listing whose updated_at could be inspected")
        stamps = {
            f"data[{n}].updated_at": i.get("updated_at") for n, i in enumerate(items) if isinstance(i, dict)
        }
        check_rfc3339(stamps, "GET /v1/listings", response)


# --- upsert results ----------------------------------------------------------------------------


def judge_upsert(
    profile: Profile, verdicts: Verdicts, response: ApiResponse, what: str, sent: Any, match: str
) -> None:
    """The result-shape, result-values and preview-link rules on one upsert answer."""
    with verdicts.check("coliving.listings.upsert-result-shape"):
        success_data(profile, response, what, status=(200, 201), data_schema="listing-upsert-result")
    data = profile.success_data(response.json_or_none())
    with verdicts.check("coliving.listings.upsert-result-values"):
        problems = result_problems(data, sent, match)
        check(not problems, f"{what}: " + "; ".join(problems), response)
    with verdicts.check("coliving.listings.preview-link"):
        preview = ((data or {}).get("links") or {}).get("preview") if isinstance(data, dict) else None
        unique_id = data.get("unique_id") if isinstance(data, dict) else None
        check(
            isinstance(preview, str) and isinstance(unique_id, str) and unique_id in preview,
            f"{what}: links.preview {preview!r} does not name the listing's unique_id {unique_id!r}",
            response,
        )


RESULT_RULES = (
    "coliving.listings.upsert-result-shape",
    "coliving.listings.upsert-result-values",
    "coliving.listings.preview-link",
)


@pytest.mark.rule("coliving.listings.sample-accepted", *RESULT_RULES)
def test_the_documents_sample_is_accepted(sample_listing, profile, verdicts: Verdicts):
    """The Create Listing sample (without the target's catalogue ids, with the suite's own
    original_id and name): created on a first run, an update after."""
    response = sample_listing.response
    with verdicts.check("coliving.listings.sample-accepted"):
        success_data(profile, response, "POST /v1/listings of the document's sample", status=(200, 201))
    match = "created" if response.status_code == 201 else "original_id"
    judge_upsert(profile, verdicts, response, "POST /v1/listings of the sample", sample_listing.body, match)


@pytest.mark.rule(
    "coliving.listings.upsert-create-201",
    "coliving.listings.upsert-update-200",
    "coliving.listings.valid-values-accepted",
    *RESULT_RULES,
)
def test_upsert_creates_then_updates(client, profile, headers, new_listing, read_listing, verdicts: Verdicts):
    """The run's new listing (a private room type with base_price 1 and a shared one) is
    created; posted again with another name it is updated; GET /v1/listings then shows it once,
    under the new name."""
    created = new_listing.response
    with verdicts.check("coliving.listings.valid-values-accepted"):
        success_data(
            profile,
            created,
            "POST /v1/listings with room types private (base_price 1) and shared (base_price 2)",
            status=(200, 201),
        )
    with verdicts.check("coliving.listings.upsert-create-201"):
        data = success_data(profile, created, "POST /v1/listings with a new original_id", status=201)
        check(
            isinstance(data, dict) and data.get("action") == "created",
            f"action is {data.get('action') if isinstance(data, dict) else None!r}, not 'created'",
            created,
        )
    judge_upsert(
        profile, verdicts, created, "POST /v1/listings of a new listing", new_listing.body, "created"
    )
    body = dict(new_listing.body, name=f"{new_listing.body['name']} renamed")
    response = client.request("POST", LISTINGS, headers=headers(), json=body)
    judge_upsert(
        profile, verdicts, response, "POST /v1/listings of an existing original_id", body, "original_id"
    )
    shown = read_listing(new_listing.id, body["name"]) if new_listing.id is not None else None
    with verdicts.check("coliving.listings.upsert-create-201"):
        check(shown is not None, "the created listing does not appear in GET /v1/listings", created, response)
    with verdicts.check("coliving.listings.upsert-update-200"):
        data = success_data(profile, response, "POST /v1/listings with an existing original_id", status=200)
        check(
            isinstance(data, dict) and data.get("id") == new_listing.id and new_listing.id is not None,
            f"the upsert did not match listing {new_listing.id}",
            response,
        )
        check(
            data.get("action") != "created",
            "the upsert of an existing original_id says action 'created'",
            response,
        )
        check(
            shown is not None and shown.get("name") == body["name"],
            f"GET /v1/listings does not show listing {new_listing.id} with the new name after the upsert",
            response,
        )


# --- an inactive match -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inactive_listing(client: ApiClient, profile: Profile, headers: Headers) -> tuple[dict[str, Any], int]:
    """The suite's listing `apiconform-inactive`, made inactive by PATCH status (the document
    lists `status` among the listing core fields of PATCH); on later runs it already is, and its
    upsert answers the 409 naming its id. (body, id)"""
    body = payloads.listing_body(f"{payloads.PREFIX}inactive")
    first = client.request("POST", LISTINGS, headers=headers(), json=body)
    if first.status_code == 409:
        named = [
            i.get("message")
            for i in profile.error_items(first.json_or_none())
            if i.get("path") == "listing_id"
        ]
        if named and str(named[0]).isdigit():
            return body, int(str(named[0]))
        pytest.skip("the suite's inactive listing is refused with a 409 that does not name its listing_id")
    data = profile.success_data(first.json_or_none())
    if (
        not 200 <= first.status_code < 300
        or not isinstance(data, dict)
        or not isinstance(data.get("id"), int)
    ):
        refused_setup(profile, f"POST /v1/listings of the suite's listing {body['original_id']}", first)
    patched = client.request(
        "PATCH", f"{LISTINGS}/{data['id']}", headers=headers(), json={"status": "inactive"}
    )
    if patched.status_code != 200:
        pytest.skip(f"cannot make a listing inactive (PATCH status answered {patched.status_code})")
    return body, data["id"]


@pytest.mark.rule("coliving.listings.upsert-inactive-409", "coliving.listings.upsert-inactive-409-body")
def test_upsert_inactive_match_conflicts(client, profile, headers, inactive_listing, verdicts: Verdicts):
    body, listing_id = inactive_listing
    attempt = dict(body, name=f"{payloads.PREFIX}must not apply {payloads.token()}")
    response = client.request("POST", LISTINGS, headers=headers(), json=attempt)
    what = "POST /v1/listings matching an inactive listing"
    with verdicts.check("coliving.listings.upsert-inactive-409"):
        error_body(profile, response, what, status=409)
        listed = client.request(
            "GET",
            LISTINGS,
            headers=headers(),
            params={"listing_status": "inactive", "q": body["name"], "per_page": 100},
        )
        items = success_data(profile, listed, "GET /v1/listings?listing_status=inactive&q=<name>", status=200)
        after = next((i for i in items if isinstance(i, dict) and i.get("id") == listing_id), None)
        check(
            after is not None
            and after.get("name") == body["name"]
            and after.get("listing_status") == "inactive",
            f"listing {listing_id} is not listed inactive under its name after the 409",
            response,
            listed,
        )
    with verdicts.check("coliving.listings.upsert-inactive-409-body"):
        error = error_body(profile, response, what, status=409, error_type="conflict_error")
        problems = conflict_problems(profile.error_items(error), listing_id)
        check(not problems, f"{what}: the 409's errors[] " + "; ".join(problems), response)


# --- validation ----------------------------------------------------------------------------------


def invalid_body(**over: Any) -> dict[str, Any]:
    return payloads.listing_body(f"{payloads.PREFIX}invalid", **over)


def room_type_without(*path: str) -> dict[str, Any]:
    """The suite's room type without the field at `path`."""
    room_type = payloads.room_type()
    holder = room_type
    for part in path[:-1]:
        holder = holder[part]
    del holder[path[-1]]
    return room_type


def room_type_with_base_price(value: Any) -> dict[str, Any]:
    room_type = payloads.room_type()
    room_type["prices"]["base_price"] = value
    return room_type


def probe(rule: str, what: str, body: dict[str, Any]) -> Any:
    """A validation probe of `rule`: `body` (one constraint broken) must get 422 naming room_types
    or the field; the validation-type rule judges the same answer."""
    rules = pytest.mark.rule(f"coliving.listings.{rule}", "coliving.errors.validation-error-type")
    return pytest.param(f"coliving.listings.{rule}", what, body, marks=rules, id=f"{rule}: {what}")


def with_room_types(*room_types: dict[str, Any]) -> dict[str, Any]:
    return invalid_body(room_types=list(room_types))


MISSING = (("name",), ("room_type",), ("prices", "base_price"))
#: one broken constraint per request (a base_price that is a numeric string or an integral float
#: is not sent: Laravel's integer rule reads it as an integer)
PROBES = [
    probe("room-types-required-422", "without room_types", {**invalid_body(), "room_types": ...}),
    probe("room-types-required-422", "with room_types []", with_room_types()),
    *(
        probe(
            "room-type-fields-422",
            f"a room type without {'.'.join(p)}",
            with_room_types(room_type_without(*p)),
        )
        for p in MISSING
    ),
    probe(
        "room-type-enum-422", "room_type 'penthouse'", with_room_types(payloads.room_type(kind="penthouse"))
    ),
    probe("base-price-min-422", "base_price 0", with_room_types(payloads.room_type(base_price=0))),
    probe("base-price-integer-422", "base_price 900.5", with_room_types(room_type_with_base_price(900.5))),
]


@pytest.mark.rule("coliving.listings.missing-name-422", "coliving.errors.validation-error-type")
def test_missing_name(listing_invalid, profile, verdicts: Verdicts):
    what = "POST /v1/listings without name"
    judge_422(profile, verdicts, "coliving.listings.missing-name-422", listing_invalid.response, what, "name")


@pytest.mark.parametrize(("rule", "what", "body"), PROBES)
def test_invalid_payload(rule, what, body, client, profile, headers, verdicts: Verdicts):
    sent = {name: value for name, value in body.items() if value is not ...}
    response = client.request("POST", LISTINGS, headers=headers(), json=sent)
    judge_422(profile, verdicts, rule, response, f"POST /v1/listings {what}", "room_types", prefix=True)


@pytest.mark.rule("coliving.listings.starred-fields-suffice")
def test_starred_fields_suffice(client, profile, headers):
    """The starred fields alone (and an original_id, so that runs update one listing)."""
    body = {
        "original_id": f"{payloads.PREFIX}starred",
        "name": f"{payloads.PREFIX}starred fields only",
        "room_types": [{"name": "Private room", "room_type": "private", "prices": {"base_price": 900}}],
    }
    response = client.request("POST", LISTINGS, headers=headers(), json=body)
    success_data(profile, response, "POST /v1/listings with the starred fields only", status=(200, 201))
