"""Fixtures of the Spaces suite: the access token as a Basic credential, and the reference walk
(every object of GET /customers, fetched once with limit 100 and shared by the list rules; with
the default page size when the target refuses limit=100, which spaces.schema.list-response-
conformance judges).

Where an object's ID is: the document says the cursors take "the ID of the object" but never
names the member that holds it. The reference uses `id_field` when it is configured; otherwise
`id` when the listed objects carry one; otherwise the one member whose name ends in "id" that
holds distinct strings or integers on the first page, once a cursor probe (`limit=1` after the
first object) shows that it works as a cursor. When none qualifies, the rules that need IDs are
skipped with the reason, naming `id_field`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest

from apiconform.providers.spaces.profile import (
    DEFAULT_ID_FIELD,
    LIST_PATH,
    SpacesProfile,
    auth_headers,
    object_id,
)
from apiconform.suite import ApiClient, ApiResponse, CursorPage, CursorWalk, Target, walk_cursor

Fetch = Callable[[str, Hashable | None], ApiResponse]


@pytest.fixture(scope="session")
def auth(target: Target) -> dict[str, str]:
    """The documented credential: the access token as Basic user name, empty password."""
    return auth_headers(target.credentials["access_token"])


def fetcher(client: ApiClient, auth: dict[str, str], limit: int | None) -> Fetch:
    """fetch(direction, cursor): GET /customers with `limit` and starting_after/starting_before."""

    def fetch(direction: str, cursor: Hashable | None) -> ApiResponse:
        params: dict[str, Any] = {} if limit is None else {"limit": limit}
        if cursor is not None:
            params[f"starting_{direction}"] = cursor
        return client.request("GET", LIST_PATH, headers=auth, params=params)

    return fetch


@pytest.fixture(scope="session")
def list_fetcher(client: ApiClient, auth: dict[str, str]) -> Callable[[int | None], Fetch]:
    """`list_fetcher(limit)`: a cursor fetch function for GET /customers at that limit."""
    return lambda limit: fetcher(client, auth, limit)


@dataclass
class Reference:
    """Every object of the list in the target's order, by one forward walk at limit 100, and where
    their IDs are (`member`; `unlocated` says why no member could be used, `note` how it was found)."""

    pages: list[CursorPage]
    items: list[Any]
    member: str
    ids: list[Hashable] = field(default_factory=list)
    unlocated: str | None = None
    note: str | None = None

    def key(self, item: Any) -> Hashable | None:
        return object_id(item, self.member)

    def keys(self, items: list[Any]) -> list[Any]:
        """The IDs of `items` (the items themselves when the ID member is not known)."""
        return items if self.unlocated is not None else [self.key(item) for item in items]

    def require_ids(self) -> None:
        """Skip the calling test (or verdict block) when the objects' ID member is not known."""
        if self.unlocated is not None:
            pytest.skip(self.unlocated)

    def require(self, count: int = 2) -> None:
        self.require_ids()
        if len(self.ids) < count:
            pytest.skip(f"the list holds {len(self.ids)} object(s) with an ID: too few to page through")

    def position(self, key: Hashable) -> int | None:
        return self.ids.index(key) if key in self.ids else None


def id_candidates(items: list[Any]) -> list[str]:
    """Members ending in "id" (any case) that every item carries, with distinct string or integer
    values across the items."""
    if len(items) < 2 or not all(isinstance(item, dict) for item in items):
        return []
    names = [name for name in items[0] if name.lower().endswith("id")]
    found = []
    for name in names:
        values = [object_id(item, name) for item in items]
        if all(value is not None for value in values) and len(set(values)) == len(values):
            found.append(name)
    return found


def locate_ids(
    first: list[Any], configured: str | None, probe: Fetch, parse: Callable[[ApiResponse], Any]
) -> tuple[str, str | None, str | None]:
    """(field, unlocated reason, note) for the objects of the first page (see the module docstring)."""
    if configured:
        if first and all(object_id(item, configured) is None for item in first):
            reason = f"none of the listed objects carries an ID in {configured!r}: check id_field in [spaces]"
            return configured, reason, None
        return configured, None, f"IDs read from {configured!r} (id_field)"
    if not first or any(object_id(item) is not None for item in first):
        return DEFAULT_ID_FIELD, None, None
    advice = (
        "the document says cursors take 'the ID of the object' without naming the member that holds it: "
        "set id_field in [spaces] to that member"
    )
    candidates = id_candidates(first)
    if len(candidates) != 1:
        found = f"several members could be it ({', '.join(candidates)})" if candidates else "none is found"
        return DEFAULT_ID_FIELD, f"the listed objects carry no 'id' member and {found}; {advice}", None
    name = candidates[0]
    items, _ = parse(probe("after", object_id(first[0], name)))
    if [object_id(item, name) for item in items[:1]] != [object_id(first[1], name)]:
        reason = f"the listed objects carry no 'id' member and {name!r} does not work as a cursor; {advice}"
        return DEFAULT_ID_FIELD, reason, None
    return name, None, f"IDs read from {name!r}, found by a cursor probe (set id_field to state it)"


@pytest.fixture(scope="session")
def reference(client: ApiClient, profile: SpacesProfile, auth: dict[str, str], target: Target) -> Reference:
    fetch = fetcher(client, auth, 100)
    first_response = fetch("after", None)
    refused = None
    if not 200 <= first_response.status_code < 300:  # judged by spaces.schema.list-response-conformance
        refused = (
            f"limit=100 got HTTP {first_response.status_code}: the reference walk uses the default page size"
        )
        fetch = fetcher(client, auth, None)
        first_response = fetch("after", None)
    first, has_more = profile.parse_list(first_response)
    configured = target.options.get("id_field")
    name, unlocated, note = locate_ids(
        first, str(configured) if configured else None, fetcher(client, auth, 1), profile.parse_list
    )
    if unlocated is not None:
        return Reference(
            [CursorPage(first, has_more, None, first_response)], first, name, unlocated=unlocated
        )

    def fetch_once(direction: str, cursor: Hashable | None) -> ApiResponse:
        return first_response if cursor is None else fetch(direction, cursor)

    walked: CursorWalk = walk_cursor(fetch_once, profile.parse_list, partial(object_id, field=name))
    items = [item for page in walked.pages for item in page.items]
    ids = [key for key in (object_id(item, name) for item in items) if key is not None]
    return Reference(walked.pages, items, name, ids, note="; ".join(filter(None, (note, refused))) or None)
