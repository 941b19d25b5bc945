"""PATCH /v1/listings/{id}: partial and full updates without data loss (coliving-api.txt: Update
Listing), on the suite's copy of the document's sample listing.

One walk through the listing, shared by every rule here:

1. the sample is posted (conftest `sample_listing`: the Create Listing sample, so every section
   has a known value);
2. the Update Listing Partial sample (name and bookings), then each row of Request Body
   Parameters alone, each with complete sections (numbers and free text changed): bookings,
   prices, room_types, the listing core (name, descriptions, location) and community /
   instructions / media / faq / rating. Each answer must say `updated` and carry the fields that
   were not sent unchanged (name, listing_status, original_id, room_types_count);
3. the Full sample as the listing now stands: nothing changes, so `unchanged`. Most sections are
   not shown by GET /v1/listings; this is how the suite reads them back: a section lost or
   altered on the way makes the full PATCH change something (`updated`). A second identical PATCH
   tells a lost section (now `unchanged`) from a server that never says `unchanged`;
4. null for the fields the document makes required (name, room_types): 422, nothing changed;
5. the same listing PATCHed with another host's key: 404, nothing changed;
6. one GET /v1/listings: name, status, original_id, room types and rooms as the PATCHes left them.

Sections are always sent whole, so a server that merges nested objects and one that replaces
them end in the same state (silence point coliving.patch-nesting).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from apiconform.providers.coliving import payloads, samples
from apiconform.providers.coliving.refusals import refused_setup
from apiconform.providers.coliving.upserts import match_problems
from apiconform.suite import ApiResponse, Verdicts, check, error_body, success_data

LISTINGS = "/v1/listings"
RENAMED_BY_OTHER_HOST = f"{payloads.PREFIX}renamed by another host"


@dataclass
class Step:
    """One PATCH of the walk: what it sent, the name the listing has after it, and the answer."""

    label: str
    body: dict[str, Any]
    name: str
    response: ApiResponse


@dataclass
class PatchWalk:
    listing_id: int
    status: Any
    steps: list[Step]
    full: list[ApiResponse]
    nulls: list[tuple[str, ApiResponse]]
    other_host: ApiResponse | None
    listed: ApiResponse
    shown: Any
    notes: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def walked(client, profile, headers, target, sample_listing) -> PatchWalk:
    """The walk of the module docstring (about 12 requests)."""
    if sample_listing.id is None or not 200 <= sample_listing.response.status_code < 300:
        refused_setup(profile, "POST /v1/listings of the document's sample", sample_listing.response)
    listing_id = sample_listing.id
    path = f"{LISTINGS}/{listing_id}"
    status = (profile.success_data(sample_listing.response.json_or_none()) or {}).get("listing_status")
    trace = f"{payloads.PREFIX}trace-{payloads.token()}"
    extra_headers = {
        "room_types": headers(style="bearer"),  # beside X-API-Key: "Optional: Bearer {api_key}"
        "listing core": {"X-Request-Id": trace},
    }
    steps, name = [], samples.SAMPLE_NAME
    plan = [("the Partial sample", samples.partial_sample()), *samples.patched_sections().items()]
    for label, body in plan:
        name = body.get("name", name)
        response = client.request(
            "PATCH", path, headers={**headers(), **extra_headers.get(label, {})}, json=body
        )
        steps.append(Step(label, body, name, response))
    full = [client.request("PATCH", path, headers=headers(), json=samples.full_patch())]
    if (profile.success_data(full[0].json_or_none()) or {}).get("action") == "updated":
        full.append(client.request("PATCH", path, headers=headers(), json=samples.full_patch()))
    nulls = [
        (name_, client.request("PATCH", path, headers=headers(), json={name_: None}))
        for name_ in ("name", "room_types")
    ]
    other = None
    if target.credentials.get("api_key_other_host"):
        other = client.request(
            "PATCH", path, headers=headers("api_key_other_host"), json={"name": RENAMED_BY_OTHER_HOST}
        )
    listed = client.request(
        "GET", LISTINGS, headers=headers(), params={"q": samples.PATCHED_NAME, "per_page": 100}
    )
    items = profile.success_data(listed.json_or_none())
    shown = (
        next((i for i in items if isinstance(i, dict) and i.get("id") == listing_id), None)
        if isinstance(items, list)
        else None
    )
    return PatchWalk(listing_id, status, steps, full, nulls, other, listed, shown)


def data(profile, response: ApiResponse) -> dict[str, Any]:
    found = profile.success_data(response.json_or_none())
    return found if isinstance(found, dict) else {}


def unsent_changed(walk: PatchWalk, step: Step, answer: dict[str, Any]) -> list[str]:
    """The fields the answer shows that the step did not send and that changed."""
    expected = {
        "id": walk.listing_id,
        "name": step.name,
        "listing_status": walk.status,
        "original_id": samples.SAMPLE_ORIGINAL_ID,
        "room_types_count": 1,
    }
    return [f"{k} is {answer.get(k)!r}, not {v!r}" for k, v in expected.items() if answer.get(k) != v]


PATCHED_ROOM_TYPE = samples.patched_sections()["room_types"]["room_types"][0]


def shown_problems(walk: PatchWalk) -> list[str]:
    """Where the listing as GET /v1/listings shows it departs from what the walk left."""
    item = walk.shown
    if item is None:
        return [f"listing {walk.listing_id} is not listed under the name {samples.PATCHED_NAME!r}"]
    found = [
        f"{k} is {item.get(k)!r}, not {v!r}"
        for k, v in (
            ("name", samples.PATCHED_NAME),
            ("listing_status", walk.status),
            ("original_id", samples.SAMPLE_ORIGINAL_ID),
        )
        if item.get(k) != v
    ]
    room_types = item.get("room_types") if isinstance(item.get("room_types"), list) else []
    names = [rt.get("name") for rt in room_types if isinstance(rt, dict)]
    if names != [PATCHED_ROOM_TYPE["name"]]:
        found.append(f"room types {names!r}, not [{PATCHED_ROOM_TYPE['name']!r}]")
    rooms = [
        r.get("name")
        for rt in room_types
        if isinstance(rt, dict)
        for r in rt.get("rooms") or []
        if isinstance(r, dict)
    ]
    if rooms != [PATCHED_ROOM_TYPE["rooms"][0]["name"]]:
        found.append(f"rooms {rooms!r}, not [{PATCHED_ROOM_TYPE['rooms'][0]['name']!r}]")
    return found


@pytest.mark.rule(
    "coliving.listings.patch-partial",
    "coliving.listings.patch-action",
    "coliving.listings.patch-full-payload",
    "coliving.listings.upsert-result-shape",
    "coliving.listings.upsert-result-values",
    "coliving.auth.write-bearer-accepted",
)
def test_patch_rows_then_full(walked: PatchWalk, profile, verdicts: Verdicts):
    for step in walked.steps:
        what = f"PATCH /v1/listings/{{id}} with {step.label}"
        response = step.response
        if step.label == "room_types":
            with verdicts.check("coliving.auth.write-bearer-accepted"):
                success_data(profile, response, f"{what} (X-API-Key and Authorization: Bearer)", status=200)
        with verdicts.check("coliving.listings.upsert-result-shape"):
            success_data(profile, response, what, status=200, data_schema="listing-upsert-result")
        answer = data(profile, response)
        with verdicts.check("coliving.listings.upsert-result-values"):
            problems = match_problems(answer.get("match"), "id")
            check(not problems, f"{what}: " + "; ".join(problems), response)
        with verdicts.check("coliving.listings.patch-action"):
            success_data(profile, response, what, status=200)
            check(
                answer.get("action") == "updated",
                f"{what}: action is {answer.get('action')!r}, not 'updated'",
                response,
            )
        with verdicts.check("coliving.listings.patch-partial"):
            success_data(profile, response, what, status=200)
            changed = unsent_changed(walked, step, answer)
            check(not changed, f"{what}: " + "; ".join(changed), response)
    first, last = walked.full[0], walked.full[-1]
    full_action = data(profile, first).get("action")
    with verdicts.check("coliving.listings.patch-full-payload"):
        success_data(profile, first, "PATCH /v1/listings/{id} with the Full sample", status=200)
        check(
            full_action in ("updated", "unchanged"),
            f"the Full sample PATCH answered action {full_action!r}",
            first,
        )
        changed = unsent_changed(walked, walked.steps[-1], data(profile, first))
        check(not changed, "the Full sample PATCH: " + "; ".join(changed), first)
    with verdicts.check("coliving.listings.patch-action"):
        check(
            data(profile, last).get("action") == "unchanged",
            "PATCH /v1/listings/{id} with exactly what the listing holds answered action "
            f"{data(profile, last).get('action')!r}, not 'unchanged'",
            *walked.full,
        )
    with verdicts.check("coliving.listings.patch-partial"):
        lost = full_action == "updated" and data(profile, last).get("action") == "unchanged"
        check(
            not lost,
            "the Full sample, sent as the listing stood after the PATCH of each section alone, changed it "
            "(updated, then unchanged when sent again): a section not sent in one of those PATCHes was "
            "lost or altered",
            *walked.full,
        )
        problems = shown_problems(walked)
        check(
            not problems, "after the PATCHes, GET /v1/listings shows: " + "; ".join(problems), walked.listed
        )


@pytest.mark.rule("coliving.listings.patch-null-422", "coliving.errors.validation-error-type")
def test_null_for_required_fields(walked: PatchWalk, profile, verdicts: Verdicts):
    for name, response in walked.nulls:
        what = f"PATCH /v1/listings/{{id}} with {name} null"
        with verdicts.check("coliving.listings.patch-null-422"):
            error_body(profile, response, what, status=422)
        with verdicts.check("coliving.errors.validation-error-type"):
            error = error_body(profile, response, what, status=422, error_type="validation_error")
            check(profile.error_items(error), f"{what}: the 422 has no errors[] item", response)
    with verdicts.check("coliving.listings.patch-null-422"):
        problems = shown_problems(walked)
        check(
            not problems,
            "after the refused nulls, GET /v1/listings shows: " + "; ".join(problems),
            *(r for _, r in walked.nulls),
            walked.listed,
        )


@pytest.mark.rule("coliving.scoping.patch-other-host-404")
def test_patch_other_hosts_listing(walked: PatchWalk, profile):
    """Another host's key renames this host's listing: 404 not_found, and the listing, read back
    with the owner's key, keeps its name."""
    response = walked.other_host
    if response is None:
        pytest.skip("credential api_key_other_host is not configured")
    error_body(
        profile,
        response,
        "PATCH of this host's listing with another host's key",
        status=404,
        error_type="not_found",
    )
    shown = walked.shown or {}
    check(
        shown.get("name") == samples.PATCHED_NAME,
        f"after another host's PATCH, GET /v1/listings shows the listing named {shown.get('name')!r}, "
        f"not {samples.PATCHED_NAME!r}",
        response,
        walked.listed,
    )
