"""Fixtures of the Coliving suite: credentials as headers, and the few objects the suite creates
(once per session, so that many rules are verified with the same requests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

import pytest

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.profile import AuthStyle, Headers, auth_headers
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Profile,
    Target,
    Walk,
    fail,
    setup_refused,
    success_data,
    walk,
)


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
    """A response to a create request, with the created object's id when the response had one."""

    response: ApiResponse
    body: dict[str, Any]
    id: int | None


def _created(response: ApiResponse, body: dict[str, Any], id_field: str) -> Created:
    data = response.json_or_none()
    data = data.get("data") if isinstance(data, dict) else None
    value = data.get(id_field) if isinstance(data, dict) else None
    return Created(response, body, value if isinstance(value, int) else None)


def named_fields(profile: Profile, response: ApiResponse) -> str:
    """What a refusal names: ` (HTTP 422; the target names: email (invalid), ...)`."""
    items = profile.error_items(response.json_or_none())
    named = ", ".join(f"{item.get('path')} ({item.get('code')})" for item in items[:6])
    return f" (HTTP {response.status_code}" + (f"; the target names: {named})" if named else ")")


def refused_setup(profile: Profile, what: str, response: ApiResponse, hint: str = "") -> NoReturn:
    """The suite's own setup request `what` was refused: the rule is `error`, not `failed`; the
    message says which fields the target named (the bodies carry every field of the document's
    examples, so a refused field is one the document does not explain) and `hint`, if any."""
    setup_refused(f"setup: {what} was refused{named_fields(profile, response)}{hint}", response)


def upsert_listing(client: ApiClient, headers: dict[str, str], body: dict[str, Any]) -> Created:
    return _created(client.request("POST", "/v1/listings", headers=headers, json=body), body, "id")


def find_listing(
    client: ApiClient, profile: Profile, headers: dict[str, str], listing_id: int, name: str
) -> Any:
    """The listing `listing_id` as GET /v1/listings shows it (searched by `name`), or None."""
    response = client.request("GET", "/v1/listings", headers=headers, params={"q": name, "per_page": 100})
    items = success_data(profile, response, "GET /v1/listings?q=<name>", status=200)
    if not isinstance(items, list):
        fail("GET /v1/listings: data is not a list", response)
    return next((item for item in items if isinstance(item, dict) and item.get("id") == listing_id), None)


@pytest.fixture(scope="session")
def new_listing(client: ApiClient, headers: Headers) -> Created:
    """A listing created by this run (a fresh original_id: the one object each run adds)."""
    original_id = f"{payloads.PREFIX}run-{payloads.token()}"
    return upsert_listing(client, headers(), payloads.listing_body(original_id))


@pytest.fixture(scope="session")
def kept_listing(client: ApiClient, profile: Profile, headers: Headers) -> Callable[[str], Created]:
    """`kept_listing("patch")`: the suite's listing with the fixed original_id `apiconform-patch`,
    created on the first run and updated (to the same body) on later ones. A refusal is a setup
    error of the calling rule (upsert-create-201 judges the upsert itself)."""
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


@pytest.fixture(scope="session")
def suite_user(client: ApiClient, headers: Headers) -> Created:
    body = payloads.user_body()
    return _created(client.request("POST", "/v1/users", headers=headers(), json=body), body, "user_id")


def find_listing_by_id(client: ApiClient, profile: Profile, headers: dict[str, str], listing_id: int) -> Any:
    """The listing `listing_id` as GET /v1/listings shows it (pages of 100 walked until it is
    found), or None."""
    for number in range(1, 51):
        response = client.request(
            "GET", "/v1/listings", headers=headers, params={"page": number, "per_page": 100}
        )
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


@pytest.fixture(scope="session")
def booking_id(
    client: ApiClient,
    profile: Profile,
    headers: Headers,
    booking_refs: BookingRefs,
    unbookable: Callable[[ApiResponse], None],
) -> Any:
    """A new booking (every field of the document's example) for the rules that need one (its
    booking_id). A refusal is a setup error naming the fields the target named."""
    response = client.request("POST", "/v1/bookings", headers=headers(), json=booking_refs.body())
    unbookable(response)
    body = response.json_or_none()
    data = body.get("data") if isinstance(body, dict) else None
    booking_id = data.get("booking_id") if isinstance(data, dict) else None
    if not 200 <= response.status_code < 300 or booking_id is None:
        refused_setup(profile, "POST /v1/bookings (a booking to work on)", response)
    return booking_id


@pytest.fixture(scope="session")
def read_listing(client: ApiClient, profile: Profile, headers: Headers) -> Callable[[Any, str], Any]:
    """`read_listing(listing_id, name)`: the listing as GET /v1/listings shows it now (searched by
    `name`), or None when it is not listed."""

    def read(listing_id: Any, name: str) -> Any:
        return find_listing(client, profile, headers(), listing_id, name)

    return read


#: The listings the suite keeps for paging, sorting and filtering: pairs with equal names (ties
#: for the tie-breaker), names with a literal % and _, and mixed letter case. (name, status)
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


def seed_paging_set(client: ApiClient, profile: Profile, headers: dict[str, str]) -> int:
    """Create the missing members of PAGING_SET (fixed original_ids, so runs reuse them) and give
    new ones their status; return how many requests it took."""
    present = client.request(
        "GET", "/v1/listings", headers=headers, params={"q": "apiconform-page", "per_page": 100}
    )
    found = success_data(profile, present, "GET /v1/listings?q=apiconform-page", status=200)
    have = (
        {item.get("original_id") for item in found if isinstance(item, dict)}
        if isinstance(found, list)
        else set()
    )
    spent = 1
    for index, (name, status) in enumerate(PAGING_SET):
        original_id = f"{payloads.PREFIX}page-{index:02d}"
        if original_id in have:
            continue
        created = upsert_listing(client, headers, payloads.listing_body(original_id, name=name))
        spent += 1
        if created.id is not None and status != "pending":
            client.request("PATCH", f"/v1/listings/{created.id}", headers=headers, json={"status": status})
            spent += 1
    return spent


@pytest.fixture(scope="session")
def universe(client: ApiClient, profile: Profile, headers: Headers, target: Target) -> Universe:
    if target.allow_writes:
        seed_paging_set(client, profile, headers())
        note = "on this host's listings, with the suite's paging set"
    else:
        note = "on the listings this host already has (writes are not allowed, so nothing was seeded)"
    main = headers()

    def fetch(number: int) -> ApiResponse:
        return client.request("GET", "/v1/listings", headers=main, params={"page": number, "per_page": 100})

    walked = walk(fetch, profile.parse_page)
    items = [item for item in walked.items if isinstance(item, dict)]
    return Universe(items, walked, f"{note} ({len(items)} listings)")
