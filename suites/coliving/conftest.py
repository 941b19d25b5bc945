"""Fixtures of the Coliving suite: credentials as headers, and the requests several rules judge.

Requests are the scarce resource (60 a minute per key), so every request that more than one rule
can judge is a session fixture, sent once, whichever test asks first: the plain GET of
/v1/listings; the suite's user, booking and listings; each endpoint's Idempotency-Key retry after
a validation error (the refused request is a validation probe too, the retry a creation with a
255-character key); the universe of this host's listings. A fixture that only sets rules up and
is refused ends them as `error` (setup refused), never `failed`.

Keys of the retries: one 255-character key is used first on POST /v1/users and then on POST
/v1/bookings (the same key on another endpoint is another operation: "cached per API key and
scope"); the listing retry has its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from apiconform.providers.coliving import payloads, samples
from apiconform.providers.coliving.profile import AuthStyle, Headers, auth_headers
from apiconform.providers.coliving.refusals import refused_setup
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Profile,
    Target,
    Walk,
    fail,
    idempotency,
    setup_refused,
    success_data,
    walk,
)

LISTINGS = "/v1/listings"
#: the longest Idempotency-Key the document allows
KEY_LENGTH = 255


@pytest.fixture(scope="session")
def headers(target: Target) -> Headers:
    """`headers("api_key_read_only", style="bearer")`: the named credential as request headers."""

    def build(credential: str = "api_key", style: AuthStyle = "x-api-key") -> dict[str, str]:
        value = target.credentials.get(credential)
        if not value:
            pytest.skip(f"credential {credential} is not configured")
        return auth_headers(value, style)

    return build


@dataclass
class Created:
    """A request the suite sent (its JSON body and Idempotency-Key) and the answer, with the id of
    the object it created or matched when the answer names one."""

    response: ApiResponse
    body: Any
    id: int | None
    key: str | None = None


def idempotency_key(length: int | None = None) -> str:
    """A fresh Idempotency-Key (`length` characters when given)."""
    key = idempotency.new_key()
    return key if length is None else (key + "-" * length)[:length]


def send(
    client: ApiClient,
    method: str,
    path: str,
    headers: dict[str, str],
    body: Any,
    *,
    key: str | None = None,
    trace: str | None = None,
    id_field: str = "id",
) -> Created:
    """`method path` with the JSON `body`, an Idempotency-Key and an X-Request-Id when given."""
    sent = dict(headers)
    if key is not None:
        sent["Idempotency-Key"] = key
    if trace is not None:
        sent["X-Request-Id"] = trace
    response = client.request(method, path, headers=sent, json=body)
    data = response.json_or_none()
    data = data.get("data") if isinstance(data, dict) else None
    value = data.get(id_field) if isinstance(data, dict) else None
    found = value if isinstance(value, int) and not isinstance(value, bool) else None
    return Created(response, body, found, key)


def upsert_listing(client: ApiClient, headers: dict[str, str], body: dict[str, Any], **extra: Any) -> Created:
    return send(client, "POST", LISTINGS, headers, body, **extra)


def find_listing(
    client: ApiClient, profile: Profile, headers: dict[str, str], listing_id: int, name: str
) -> Any:
    """The listing `listing_id` as GET /v1/listings shows it (searched by `name`), or None."""
    response = client.request("GET", LISTINGS, headers=headers, params={"q": name, "per_page": 100})
    items = success_data(profile, response, "GET /v1/listings?q=<name>", status=200)
    if not isinstance(items, list):
        fail("GET /v1/listings: data is not a list", response)
    return next((item for item in items if isinstance(item, dict) and item.get("id") == listing_id), None)


@pytest.fixture(scope="session")
def read_listing(client: ApiClient, profile: Profile, headers: Headers) -> Callable[[Any, str], Any]:
    """`read_listing(listing_id, name)`: the listing as GET /v1/listings shows it now (searched by
    `name`), or None when it is not listed."""

    def read(listing_id: Any, name: str) -> Any:
        return find_listing(client, profile, headers(), listing_id, name)

    return read


# --- GET /v1/listings ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def plain_get(client: ApiClient, headers: Headers) -> ApiResponse:
    """GET /v1/listings with X-API-Key and no parameter: the key, the list's shape, the default
    page and the timestamps are judged on this one answer."""
    return client.request("GET", LISTINGS, headers=headers())


@pytest.fixture(scope="session")
def no_key_get(client: ApiClient) -> ApiResponse:
    """GET /v1/listings without any key."""
    return client.request("GET", LISTINGS)


@pytest.fixture(scope="session")
def traced_404(client: ApiClient, headers: Headers) -> ApiResponse:
    """PATCH of a listing id no host has, with a valid body and an X-Request-Id (the document does
    not say whether an empty PATCH is valid, nor whether the body is validated before the listing
    is looked up)."""
    trace = f"{payloads.PREFIX}trace-{payloads.token()}"
    body = {"name": f"{payloads.PREFIX}renamed"}
    return client.request(
        "PATCH", f"{LISTINGS}/999999999", headers={**headers(), "X-Request-Id": trace}, json=body
    )


# --- listings ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_listing(client: ApiClient, headers: Headers) -> Created:
    """The document's Create Listing sample (samples.sample_body: the suite's original_id and name),
    posted with an Idempotency-Key and an X-Request-Id: created on a first run, updated after."""
    trace = f"{payloads.PREFIX}trace-{payloads.token()}"
    return upsert_listing(client, headers(), samples.sample_body(), key=idempotency_key(), trace=trace)


def required_sample(profile: Profile, sample: Created) -> int:
    """The sample listing's id, or a setup error (sample-accepted judges the upsert itself)."""
    if sample.id is None or not 200 <= sample.response.status_code < 300:
        refused_setup(profile, "POST /v1/listings of the document's sample", sample.response)
    return sample.id


@dataclass
class OtherHostUpsert:
    """Another host's upsert of this host's sample, and this host's sample read back right after
    (None when it is not listed under its name)."""

    response: ApiResponse
    shown: Any


@pytest.fixture(scope="session")
def other_host_sample(
    client: ApiClient, profile: Profile, headers: Headers, sample_listing: Created
) -> OtherHostUpsert:
    """Another host's key posts this host's sample (its original_id) with the sample's
    Idempotency-Key: its own operation, never an update of this host's listing (read back with
    this host's key at once)."""
    response = upsert_listing(
        client, headers("api_key_other_host"), sample_listing.body, key=sample_listing.key
    ).response
    shown = None
    if sample_listing.id is not None:
        shown = find_listing(client, profile, headers(), sample_listing.id, samples.SAMPLE_NAME)
    return OtherHostUpsert(response, shown)


@pytest.fixture(scope="session")
def listing_invalid(client: ApiClient, headers: Headers) -> Created:
    """POST /v1/listings without name, with a fresh 255-character Idempotency-Key (the same key
    then creates `new_listing`)."""
    body = payloads.listing_body(f"{payloads.PREFIX}invalid")
    del body["name"]
    return upsert_listing(client, headers(), body, key=idempotency_key(KEY_LENGTH))


@pytest.fixture(scope="session")
def new_listing(client: ApiClient, headers: Headers, listing_invalid: Created) -> Created:
    """The one listing each run adds (a fresh original_id), sent with the key of the refused
    `listing_invalid`, with X-API-Key and the documented optional Authorization: Bearer: a private
    room type with base_price 1 and a shared one."""
    body = payloads.listing_body(
        f"{payloads.PREFIX}run-{payloads.token()}",
        room_types=[payloads.room_type(base_price=1), payloads.room_type("Shared room", "shared", 2)],
    )
    sent = {**headers(), **headers(style="bearer")}
    return upsert_listing(client, sent, body, key=listing_invalid.key)


@pytest.fixture(scope="session")
def kept_listing(client: ApiClient, profile: Profile, headers: Headers) -> Callable[[str], Created]:
    """`kept_listing("bookings")`: the suite's listing with the fixed original_id
    `apiconform-bookings`, created on the first run and updated (to the same body) on later ones.
    A refusal is a setup error of the calling rule."""
    cache: dict[str, Created] = {}

    def get(purpose: str, **extra: Any) -> Created:
        if purpose not in cache:
            body = payloads.listing_body(f"{payloads.PREFIX}{purpose}", **extra)
            created = upsert_listing(client, headers(), body)
            if created.id is None:
                refused_setup(
                    profile,
                    f"POST /v1/listings of the suite's listing {body['original_id']}",
                    created.response,
                )
            cache[purpose] = created
        return cache[purpose]

    return get


# --- users ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def suite_user(client: ApiClient, headers: Headers) -> Created:
    """The suite's user (every field of the request example), with an Idempotency-Key."""
    body = payloads.user_body()
    return send(client, "POST", "/v1/users", headers(), body, key=idempotency_key(), id_field="user_id")


@pytest.fixture(scope="session")
def shared_key() -> str:
    """The 255-character Idempotency-Key of the user retry, used again on the booking retry."""
    return idempotency_key(KEY_LENGTH)


@pytest.fixture(scope="session")
def user_invalid(client: ApiClient, headers: Headers, shared_key: str) -> Created:
    """POST /v1/users without email (every other field of the example), with `shared_key`."""
    body = payloads.user_body()
    del body["email"]
    return send(client, "POST", "/v1/users", headers(), body, key=shared_key, id_field="user_id")


@pytest.fixture(scope="session")
def user_retried(client: ApiClient, headers: Headers, user_invalid: Created) -> Created:
    """A valid user with the refused request's key, sent with Authorization: Bearer."""
    body = payloads.user_body()
    return send(
        client, "POST", "/v1/users", headers(style="bearer"), body, key=user_invalid.key, id_field="user_id"
    )


# --- bookings ------------------------------------------------------------------------------------


def find_listing_by_id(client: ApiClient, profile: Profile, headers: dict[str, str], listing_id: int) -> Any:
    """The listing `listing_id` as GET /v1/listings shows it (pages of 100 walked until it is
    found), or None."""
    for number in range(1, 51):
        response = client.request("GET", LISTINGS, headers=headers, params={"page": number, "per_page": 100})
        items, info = profile.parse_page(response)
        success_data(profile, response, f"GET /v1/listings?page={number}", status=200)
        found = next((i for i in items if isinstance(i, dict) and i.get("id") == listing_id), None)
        if found is not None or not items or info.last_page is None or number >= info.last_page:
            return found
    return None


@dataclass(frozen=True)
class BookingRefs:
    """What a booking names, from the target's own data: the suite's user, the listing booked
    and one of its room types (as GET /v1/listings shows them; None when it shows none)."""

    user_id: int
    listing_id: int
    room_type_id: int | str | None

    def body(self, **over: Any) -> dict[str, Any]:
        """A booking body with every field of the document's request example."""
        return {**payloads.booking_body(self.user_id, self.listing_id, self.room_type_id), **over}


@pytest.fixture(scope="session")
def booking_refs(
    client: ApiClient,
    profile: Profile,
    headers: Headers,
    target: Target,
    suite_user: Created,
    kept_listing: Callable[[str], Created],
) -> BookingRefs:
    """The suite's user and the listing bookings are made on: `booking_listing_id` when the
    config names one (the document does not say which listings can be booked), else the suite's
    own listing `apiconform-bookings`; its first room type as listed."""
    if suite_user.id is None:
        refused_setup(profile, "POST /v1/users (the guest of the suite's bookings)", suite_user.response)
    configured = target.options.get("booking_listing_id")
    if configured is not None:
        listing_id = int(str(configured))
        listed = find_listing_by_id(client, profile, headers(), listing_id)
        if listed is None:
            setup_refused(f"setup: booking_listing_id {listing_id} is not among this host's listings")
    else:
        listing = kept_listing("bookings")
        assert listing.id is not None
        listing_id = listing.id
        listed = find_listing(client, profile, headers(), listing_id, listing.body["name"])
    room_types = listed.get("room_types") if isinstance(listed, dict) else None
    first = room_types[0] if isinstance(room_types, list) and room_types else None
    room_type_id = first.get("id") if isinstance(first, dict) else None
    if isinstance(room_type_id, bool) or not isinstance(room_type_id, int | str):
        room_type_id = None
    return BookingRefs(suite_user.id, listing_id, room_type_id)


BOOKABLE_HINT = (
    "; the document does not say which listings can be booked: set booking_listing_id to a "
    "listing of this host that can be"
)


@pytest.fixture(scope="session")
def unbookable(profile: Profile) -> Callable[[ApiResponse], None]:
    """`unbookable(response)`: a booking of the suite's choice of listing (or of its room type)
    that the target refused naming listing_id or room_type_id ends the rule as a setup error with
    the setting to change: the body carries every field of the document's example, and which
    listings can be booked is not documented (silence point coliving.bookable-listings)."""

    def judge(response: ApiResponse) -> None:
        paths = [str(item.get("path")) for item in profile.error_items(response.json_or_none())]
        if 400 <= response.status_code < 500 and {"listing_id", "room_type_id"} & set(paths):
            refused_setup(
                profile, "POST /v1/bookings of the suite's choice of listing", response, BOOKABLE_HINT
            )

    return judge


def post_booking(client: ApiClient, headers: dict[str, str], body: dict[str, Any], **extra: Any) -> Created:
    return send(client, "POST", "/v1/bookings", headers, body, id_field="booking_id", **extra)


@pytest.fixture(scope="session")
def created_booking(
    client: ApiClient, headers: Headers, booking_refs: BookingRefs, unbookable: Callable[[ApiResponse], None]
) -> Created:
    """The suite's booking (every field of the document's example), with an Idempotency-Key."""
    created = post_booking(client, headers(), booking_refs.body(), key=idempotency_key())
    unbookable(created.response)
    return created


@pytest.fixture(scope="session")
def booking_id(profile: Profile, created_booking: Created) -> int:
    """The id of the suite's booking, for the rules that work on one (a setup error without it)."""
    if not 200 <= created_booking.response.status_code < 300 or created_booking.id is None:
        refused_setup(profile, "POST /v1/bookings (a booking to work on)", created_booking.response)
    return created_booking.id


@pytest.fixture(scope="session")
def booking_invalid(
    client: ApiClient, headers: Headers, booking_refs: BookingRefs, user_retried: Created
) -> Created:
    """POST /v1/bookings without user_id, with the key the user retry used (after it)."""
    body = booking_refs.body()
    del body["user_id"]
    return post_booking(client, headers(), body, key=user_retried.key)


@pytest.fixture(scope="session")
def booking_retried(
    client: ApiClient,
    headers: Headers,
    booking_refs: BookingRefs,
    booking_invalid: Created,
    unbookable: Callable[[ApiResponse], None],
) -> Created:
    """A valid booking with the refused request's key, sent with Authorization: Bearer."""
    created = post_booking(client, headers(style="bearer"), booking_refs.body(), key=booking_invalid.key)
    unbookable(created.response)
    return created


# --- the host's listings, walked once ------------------------------------------------------------

#: The listings the suite adds when a host has too few to page, sort and filter: pairs with equal
#: names (ties for the tie-breaker), names with a literal % and _, and mixed letter case.
PAGING_SET = [
    ("apiconform-page Alpha", "draft"),
    ("apiconform-page Alpha", "draft"),
    ("apiconform-page beta", "published"),
    ("apiconform-page beta", "published"),
    ("apiconform-page Gamma 100% Loft", "pending"),
    ("apiconform-page delta_room", "pending"),
    ("apiconform-page deltaXroom", "published"),
    ("apiconform-page Epsilon", "draft"),
    ("apiconform-page epsilon", "pending"),
    ("apiconform-page Zeta", "published"),
    ("apiconform-page Eta", "pending"),
    ("apiconform-page Theta", "draft"),
]
#: a host with fewer listings than this gets the paging set
ENOUGH_LISTINGS = len(PAGING_SET)


@dataclass
class Universe:
    """Every listing of this host, walked once in the default order (per_page 100).

    The walk is taken as it comes; `test_universe_walk` holds it to the pagination rules and the
    tests that compare against it call `require()` first."""

    items: list[dict[str, Any]]
    walk: Walk
    note: str

    def require(self, count: int = 2) -> None:
        """Skip the calling test when the host has fewer than `count` listings to work on."""
        if len(self.items) < count:
            pytest.skip(f"this host has {len(self.items)} listing(s): too few to page, sort or filter")


def seed_paging_set(client: ApiClient, profile: Profile, headers: dict[str, str], have: set[Any]) -> int:
    """Create the members of PAGING_SET whose original_id is not in `have` (fixed original_ids,
    so runs reuse them) and give new ones their status; return how many were created."""
    created = 0
    for index, (name, status) in enumerate(PAGING_SET):
        original_id = f"{payloads.PREFIX}page-{index:02d}"
        if original_id in have:
            continue
        made = upsert_listing(client, headers, payloads.listing_body(original_id, name=name))
        created += 1
        if made.id is not None and status != "pending":
            client.request("PATCH", f"{LISTINGS}/{made.id}", headers=headers, json={"status": status})
    return created


@pytest.fixture(scope="session")
def universe(client: ApiClient, profile: Profile, headers: Headers, target: Target) -> Universe:
    """This host's listings (per_page 100, the default order). A host with fewer than
    ENOUGH_LISTINGS gets the suite's paging set first, where writes are allowed."""
    main = headers()

    def fetch(number: int) -> ApiResponse:
        return client.request("GET", LISTINGS, headers=main, params={"page": number, "per_page": 100})

    walked = walk(fetch, profile.parse_page)
    items = [item for item in walked.items if isinstance(item, dict)]
    note = "on this host's listings"
    if len(items) < ENOUGH_LISTINGS and target.allow_writes:
        have = {item.get("original_id") for item in items}
        if seed_paging_set(client, profile, main, have):
            walked = walk(fetch, profile.parse_page)
            items = [item for item in walked.items if isinstance(item, dict)]
        note = "on this host's listings, with the suite's paging set"
    elif len(items) < ENOUGH_LISTINGS:
        note = "on the listings this host already has (writes are not allowed, so nothing was seeded)"
    return Universe(items, walked, f"{note} ({len(items)} listings)")
