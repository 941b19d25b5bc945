"""Idempotency-Key on POST /v1/users, /v1/bookings and /v1/listings (coliving-api.txt:
Idempotency-Key). Probes are the shared ones (apiconform.checks.idempotency); what counts as
"the same JSON" is the `data` member: whether a replay repeats the request_id, and its status,
are unstated, so neither is compared."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.profile import Headers
from apiconform.suite import ApiClient, ApiResponse, Profile, check, error_body, idempotency, success_data

ENDPOINTS = {"users": "/v1/users", "bookings": "/v1/bookings", "listings": "/v1/listings"}
#: the kept listing the idempotency probes post to (a fixed original_id: runs update it)
IDEM_LISTING = f"{payloads.PREFIX}idempotency"


@pytest.fixture(scope="module")
def poster(client: ApiClient, headers: Headers) -> Callable[[str], idempotency.Post]:
    """`poster(path)`: a `post(body, key, credential)` for the shared probes."""

    def for_path(path: str) -> idempotency.Post:
        def post(body: Mapping[str, Any], key: str, credential: str) -> ApiResponse:
            return client.request(
                "POST", path, headers={**headers(credential), "Idempotency-Key": key}, json=body
            )

        return post

    return for_path


@pytest.fixture(scope="module")
def bodies(request: pytest.FixtureRequest) -> Callable[[str], dict[str, Any]]:
    """A valid body per endpoint (a fresh one on each call), with every field of the document's
    examples (bookings name the suite's user, listing and room type)."""

    def make(endpoint: str) -> dict[str, Any]:
        if endpoint == "users":
            return payloads.user_body()
        if endpoint == "bookings":
            body: dict[str, Any] = request.getfixturevalue("booking_refs").body()
            return body
        return payloads.listing_body(IDEM_LISTING, name=f"{payloads.PREFIX}idempotency {payloads.token()}")

    return make


def data_of(profile: Profile, response: ApiResponse, what: str) -> Any:
    return success_data(profile, response, what, status=(200, 201))


@pytest.mark.rule("coliving.idempotency.replay-identical")
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_replay_returns_the_same_data(endpoint, poster, bodies, profile, read_listing, unbookable):
    body = bodies(endpoint)
    first, second = idempotency.replay(poster(ENDPOINTS[endpoint]), body)
    if endpoint == "bookings":
        unbookable(first)
    what = f"POST {ENDPOINTS[endpoint]} with an Idempotency-Key"
    original = data_of(profile, first, what)
    replayed = data_of(profile, second, f"{what}, retried with the same key and body")
    check(replayed == original, "the retry's data differs from the first response's", first, second)
    if endpoint == "listings":
        listed = read_listing(original.get("id"), body["name"])
        check(listed is not None, "the listing is not listed after the replay", second)


@pytest.mark.rule("coliving.idempotency.mismatch-409")
def test_same_key_other_body(poster, bodies, profile):
    body = bodies("listings")
    other = dict(body, name=f"{body['name']} changed")
    first, second = idempotency.mismatch(poster(ENDPOINTS["listings"]), body, other)
    data_of(profile, first, "POST /v1/listings with an Idempotency-Key")
    error_body(
        profile,
        second,
        "the same Idempotency-Key with a different body",
        status=409,
        error_type="idempotency_key_mismatch",
    )


@pytest.mark.rule("coliving.idempotency.scoped-per-key")
def test_key_scoped_per_api_key(poster, bodies, profile):
    """The other key's request is its own operation: its own listing, or (where a server keeps
    original_ids unique across hosts, which the document does not rule out) its own refusal; never
    the first key's cached answer, nor a mismatch against the first key's body."""
    body = bodies("listings")
    first, second = idempotency.across_credentials(
        poster(ENDPOINTS["listings"]), body, "api_key", "api_key_other_host"
    )
    mine = data_of(profile, first, "POST /v1/listings with an Idempotency-Key")
    what = "the same Idempotency-Key and body from another host's API key"
    if 400 <= second.status_code < 500:
        error = error_body(profile, second, what, status=second.status_code)
        check(
            profile.error_type(error) != "idempotency_key_mismatch",
            "another API key's request was matched against this key's Idempotency-Key entry",
            first,
            second,
        )
        return
    theirs = data_of(profile, second, what)
    check(
        theirs.get("id") != mine.get("id"),
        f"another API key got this key's cached response (listing {mine.get('id')}) "
        "instead of its own operation",
        first,
        second,
    )


@pytest.mark.rule("coliving.idempotency.errors-not-cached")
def test_error_responses_are_not_cached(poster, bodies, profile):
    good = bodies("listings")
    bad = {key: value for key, value in good.items() if key != "name"}
    first, second = idempotency.after_error(poster(ENDPOINTS["listings"]), bad, good)
    error_body(profile, first, "POST /v1/listings without name (with an Idempotency-Key)", status=422)
    data_of(profile, second, "the corrected body with the same Idempotency-Key")


@pytest.mark.rule("coliving.idempotency.key-length")
def test_key_length_limit(client, headers, bodies, profile):
    for length, accepted in ((255, True), (256, False)):
        key = (idempotency.new_key() + "-" * length)[:length]
        response = client.request(
            "POST",
            ENDPOINTS["listings"],
            headers={**headers(), "Idempotency-Key": key},
            json=bodies("listings"),
        )
        what = f"POST /v1/listings with a {length}-character Idempotency-Key"
        if accepted:
            data_of(profile, response, what)
        else:
            check(
                400 <= response.status_code < 500,
                f"{what} got HTTP {response.status_code}, not a 4xx",
                response,
            )


@pytest.mark.rule("coliving.idempotency.concurrent-single-effect")
def test_concurrent_requests_with_one_key(poster, bodies, profile, unbookable):
    """Three bookings (which have no natural uniqueness) sent at once with one key and body."""
    responses = idempotency.concurrent(poster(ENDPOINTS["bookings"]), bodies("bookings"), count=3)
    for response in responses:
        unbookable(response)
    created = [r for r in responses if 200 <= r.status_code < 300]
    check(created, "none of the concurrent requests succeeded", *responses)
    booking_ids = {str((r.json_or_none() or {}).get("data", {}).get("booking_id")) for r in created}
    check(
        len(booking_ids) == 1,
        f"concurrent requests with one Idempotency-Key created {len(booking_ids)} bookings: "
        f"{sorted(booking_ids)}",
        *responses,
    )
