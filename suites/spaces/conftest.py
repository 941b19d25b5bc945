"""Fixtures of the Spaces suite: the access token as a Basic credential, and the reference walk
(every object of GET /customers, fetched once with limit 100 and shared by the list rules)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import pytest

from apiconform.checks.pagination import CursorWalk, walk_cursor
from apiconform.client import ApiClient, ApiResponse
from apiconform.providers.spaces.profile import LIST_PATH, SpacesProfile, auth_headers, object_id
from apiconform.target import Target

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
    """Every object of the list in the target's order, by one forward walk at limit 100."""

    walk: CursorWalk
    items: list[Any]
    ids: list[Hashable]

    def require(self, count: int = 2) -> None:
        if len(self.ids) < count:
            pytest.skip(f"the list holds {len(self.ids)} object(s) with an id: too few to page through")

    def position(self, key: Hashable) -> int | None:
        return self.ids.index(key) if key in self.ids else None


@pytest.fixture(scope="session")
def reference(client: ApiClient, profile: SpacesProfile, auth: dict[str, str]) -> Reference:
    walked = walk_cursor(fetcher(client, auth, 100), profile.parse_list, object_id)
    items = [item for page in walked.pages for item in page.items]
    ids = [key for key in map(object_id, items) if key is not None]
    return Reference(walked, items, ids)
