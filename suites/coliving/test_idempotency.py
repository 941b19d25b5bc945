"""Idempotency-Key on POST /v1/users, /v1/bookings and /v1/listings (coliving-api.txt:
Idempotency-Key), on each of the three endpoints.

The first request of each endpoint is the suite's own creation (its user, its booking, the
document's sample listing), sent with a key: a retry with that key and body must replay it, the
key with another body must get 409 idempotency_key_mismatch, the key with the same body from
another host's API key must be that key's own operation. The failed-attempt rule reuses each
endpoint's validation probe (sent with a 255-character key) and its corrected retry; the users'
key is then used again on bookings: the same key on another endpoint is another operation ("per
API key and scope"). What counts as "the same JSON" is the `data` member: whether a replay
repeats the request_id, and its status, are unstated (silence point coliving.idempotency-replay).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.profile import Headers
from apiconform.providers.coliving.refusals import refused_setup
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Profile,
    check,
    error_body,
    idempotency,
    precondition,
    success_data,
)

ENDPOINTS = {"users": "/v1/users", "bookings": "/v1/bookings", "listings": "/v1/listings"}


@dataclass(frozen=True)
class Endpoint:
    """What the probes of one endpoint work on: the fixtures of its first (keyed) creation, its
    validation probe and the corrected retry, and how to make another valid body."""

    path: str
    first: str
    invalid: str
    retried: str


SPECS = {
    "users": Endpoint("/v1/users", "suite_user", "user_invalid", "user_retried"),
    "bookings": Endpoint("/v1/bookings", "created_booking", "booking_invalid", "booking_retried"),
    "listings": Endpoint("/v1/listings", "sample_listing", "listing_invalid", "new_listing"),
}


@pytest.fixture(scope="module")
def post(client: ApiClient, headers: Headers) -> Callable[..., ApiResponse]:
    """`post(path, body, key, credential="api_key")`."""

    def send(path: str, body: Mapping[str, Any], key: str, credential: str = "api_key") -> ApiResponse:
        return client.request(
            "POST", path, headers={**headers(credential), "Idempotency-Key": key}, json=body
        )

    return send


def other_body(endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
    """A valid body of `endpoint` that differs from `body`."""
    if endpoint == "users":
        return payloads.user_body()
    if endpoint == "bookings":
        checkin = date.fromisoformat(body["checkin_at"]) + timedelta(days=1)
        return {**body, "checkin_at": checkin.isoformat()}
    return {**body, "name": f"{body['name']} changed"}


def fresh_body(endpoint: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    """A valid body of `endpoint` that, where a server wrongly serves it, adds nothing new: a new
    user of the suite's, a booking of the suite's user, the run's own listing as it is."""
    if endpoint == "users":
        return payloads.user_body()
    if endpoint == "bookings":
        body: dict[str, Any] = request.getfixturevalue("booking_refs").body()
        return body
    listing: dict[str, Any] = request.getfixturevalue("new_listing").body
    return listing


def data_of(profile: Profile, response: ApiResponse, what: str) -> Any:
    return success_data(profile, response, what, status=(200, 201))


def first_of(request: pytest.FixtureRequest, endpoint: str) -> Any:
    """The endpoint's first keyed creation (a setup error when it did not succeed: its own
    create rule judges it)."""
    created = request.getfixturevalue(SPECS[endpoint].first)
    if not 200 <= created.response.status_code < 300:
        refused_setup(
            request.getfixturevalue("profile"), f"POST {ENDPOINTS[endpoint]} with a key", created.response
        )
    return created


@pytest.mark.rule("coliving.idempotency.replay-identical")
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_replay_returns_the_same_data(endpoint, request, post, profile, read_listing):
    first = first_of(request, endpoint)
    what = f"POST {ENDPOINTS[endpoint]} retried with the same Idempotency-Key and body"
    retry = post(ENDPOINTS[endpoint], first.body, first.key)
    original = data_of(profile, first.response, f"POST {ENDPOINTS[endpoint]} with an Idempotency-Key")
    replayed = data_of(profile, retry, what)
    check(replayed == original, "the retry's data differs from the first response's", first.response, retry)
    if endpoint == "listings":  # "without creating duplicate ... listings": read back
        listed = [
            item
            for item in request.getfixturevalue("universe_of_name")(first.body["name"])
            if item.get("original_id") == first.body["original_id"]
        ]
        check(
            [item.get("id") for item in listed] == [original.get("id")],
            f"after the retry, GET /v1/listings shows {len(listed)} listing(s) with original_id "
            f"{first.body['original_id']!r}, not the one created",
            retry,
        )


@pytest.fixture(scope="module")
def universe_of_name(client, profile, headers) -> Callable[[str], list[dict[str, Any]]]:
    """`listed(name)`: the listings GET /v1/listings?q=name shows (one page of 100)."""

    def listed(name: str) -> list[dict[str, Any]]:
        response = client.request(
            "GET", ENDPOINTS["listings"], headers=headers(), params={"q": name, "per_page": 100}
        )
        items = success_data(profile, response, "GET /v1/listings?q=<name>", status=200)
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

    return listed


@pytest.mark.rule("coliving.idempotency.mismatch-409")
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_same_key_other_body(endpoint, request, post, profile):
    first = first_of(request, endpoint)
    second = post(ENDPOINTS[endpoint], other_body(endpoint, first.body), first.key)
    error_body(
        profile,
        second,
        f"POST {ENDPOINTS[endpoint]}: the same Idempotency-Key with a different body",
        status=409,
        error_type="idempotency_key_mismatch",
    )


@pytest.mark.rule("coliving.idempotency.scoped-per-key")
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_key_scoped_per_api_key(endpoint, request, post, profile):
    """Another host's API key sends the same key and body: its own operation (its own object, or
    its own refusal: a user's email is taken, the listing to book is not that host's, original_ids
    may be unique across hosts), never the first key's cached answer, nor a mismatch against the
    first key's body. The listing case is the other host's upsert of this host's original_id,
    which coliving.scoping.upsert-other-host-separate judges too."""
    first = first_of(request, endpoint)
    if endpoint == "listings":
        second = request.getfixturevalue("other_host_sample").response
    else:
        second = post(ENDPOINTS[endpoint], first.body, first.key, "api_key_other_host")
    what = f"POST {ENDPOINTS[endpoint]}: the same Idempotency-Key and body from another host's API key"
    if 400 <= second.status_code < 500:
        error = error_body(profile, second, what, status=second.status_code)
        check(
            profile.error_type(error) != "idempotency_key_mismatch",
            "another API key's request was matched against this key's Idempotency-Key entry",
            first.response,
            second,
        )
        return
    mine = data_of(profile, first.response, f"POST {ENDPOINTS[endpoint]} with an Idempotency-Key")
    theirs = data_of(profile, second, what)
    check(
        theirs != mine,
        "another API key got this key's cached response instead of its own operation",
        first.response,
        second,
    )


def refused_then_retried(request: pytest.FixtureRequest, endpoint: str) -> tuple[Any, Any]:
    """The endpoint's validation probe (which must have been refused with a 4xx for the retry to
    show anything: a precondition) and its corrected retry."""
    spec = SPECS[endpoint]
    invalid, retried = request.getfixturevalue(spec.invalid), request.getfixturevalue(spec.retried)
    precondition(
        400 <= invalid.response.status_code < 500,
        f"the invalid POST {spec.path} was not refused (HTTP {invalid.response.status_code}), so the "
        "retry with its key shows nothing about caching (its validation rule judges it)",
        invalid.response,
    )
    precondition(
        retried.response.status_code not in (401, 403),
        f"the retry of POST {spec.path} was refused as unauthenticated or unauthorised (its "
        "Authorization: Bearer: coliving.auth.write-bearer-accepted judges that)",
        retried.response,
    )
    return invalid, retried


@pytest.mark.rule("coliving.idempotency.errors-not-cached")
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_error_responses_are_not_cached(endpoint, request, profile):
    _, retried = refused_then_retried(request, endpoint)
    data_of(
        profile, retried.response, f"POST {ENDPOINTS[endpoint]}: the corrected body with the key of a 4xx"
    )


@pytest.mark.rule("coliving.idempotency.scoped-per-endpoint")
def test_key_scoped_per_endpoint(request, profile):
    """The key of the user retry (cached with the created user) sent to POST /v1/bookings, first
    with an invalid body, then with a valid one: a validation error and a new booking, never a
    409 mismatch against the user's body nor the user's cached answer."""
    user = request.getfixturevalue("user_retried")
    precondition(
        200 <= user.response.status_code < 300,
        f"the user retry was not created (HTTP {user.response.status_code}), so its key is cached nowhere",
        user.response,
    )
    invalid, retried = refused_then_retried(request, "bookings")
    check(
        profile.error_type(invalid.response.json_or_none()) != "idempotency_key_mismatch",
        "POST /v1/bookings with the key a user was created with got idempotency_key_mismatch: the key "
        "is not scoped per endpoint",
        user.response,
        invalid.response,
    )
    data = data_of(profile, retried.response, "POST /v1/bookings with the key a user was created with")
    check(
        isinstance(data, dict) and "booking_id" in data,
        "POST /v1/bookings with the key a user was created with did not create a booking",
        user.response,
        retried.response,
    )


@pytest.mark.rule("coliving.idempotency.key-length")
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_key_length_limit(endpoint, request, post, profile):
    """255 characters: the corrected retries carry 255-character keys; 256: refused with a 4xx."""
    _, retried = refused_then_retried(request, endpoint)
    check(len(retried.key) == 255, "the retry's key is not 255 characters long", retried.response)
    data_of(profile, retried.response, f"POST {ENDPOINTS[endpoint]} with a 255-character Idempotency-Key")
    key = (idempotency.new_key() + "-" * 256)[:256]
    response = post(ENDPOINTS[endpoint], fresh_body(endpoint, request), key)
    check(
        400 <= response.status_code < 500,
        f"POST {ENDPOINTS[endpoint]} with a 256-character Idempotency-Key got HTTP {response.status_code}, "
        "not a 4xx",
        response,
    )


@pytest.mark.rule("coliving.idempotency.concurrent-single-effect")
def test_concurrent_requests_with_one_key(client, headers, booking_refs, unbookable):
    """Three bookings (which have no natural uniqueness) sent at once with one key and body."""

    def send(body: Mapping[str, Any], key: str, credential: str) -> ApiResponse:
        response: ApiResponse = client.request(
            "POST", ENDPOINTS["bookings"], headers={**headers(credential), "Idempotency-Key": key}, json=body
        )
        return response

    responses = idempotency.concurrent(send, booking_refs.body(), count=3)
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
