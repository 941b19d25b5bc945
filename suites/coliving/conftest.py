"""Fixtures of the Coliving suite: credentials as headers, and the few objects the suite creates
(once per session, so that many rules are verified with the same requests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from apiconform.checks.envelope import success_data
from apiconform.checks.expect import fail
from apiconform.checks.pagination import Walk, walk
from apiconform.client import ApiClient, ApiResponse
from apiconform.profile import Profile
from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.profile import AuthStyle, auth_headers
from apiconform.target import Target

Headers = Callable[..., dict[str, str]]


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
def kept_listing(client: ApiClient, headers: Headers) -> Callable[[str], Created]:
    """`kept_listing("patch")`: the suite's listing with the fixed original_id `apiconform-patch`,
    created on the first run and updated (to the same body) on later ones."""
    cache: dict[str, Created] = {}

    def get(purpose: str, **extra: Any) -> Created:
        if purpose not in cache:
            body = payloads.listing_body(f"{payloads.PREFIX}{purpose}", **extra)
            created = upsert_listing(client, headers(), body)
            if created.id is None:
                fail(
                    f"could not create or update the suite's listing {body['original_id']}", created.response
                )
            cache[purpose] = created
        return cache[purpose]

    return get


@pytest.fixture(scope="session")
def suite_user(client: ApiClient, headers: Headers) -> Created:
    body = payloads.user_body()
    return _created(client.request("POST", "/v1/users", headers=headers(), json=body), body, "user_id")


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
