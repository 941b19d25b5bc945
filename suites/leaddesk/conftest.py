"""Fixtures of the LeadDesk suite: the config for what the document leaves open (`settings`), an
access token from the password grant (one per session, renewed before it expires: `bearer`; the
refresh rules take their own), a token taken when the run starts for the expiry rules to check at
its end (`expiring`), and the reference walk of GET /users (every user, fetched once at per_page
500 and shared by the collection rules)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from apiconform.providers.leaddesk.bearer import RenewingBearer
from apiconform.providers.leaddesk.profile import (
    USERS_PATH,
    LeadDeskProfile,
    Settings,
    Tokens,
    password_grant,
    request_token,
)
from apiconform.suite import ApiClient, ApiResponse, Target, Walk, walk

#: The rules that wait out an access token's lifetime (token_expiry_wait).
EXPIRY_RULES = ("leaddesk.auth.expired-token-401", "leaddesk.oauth.refresh-after-expiry")


@pytest.fixture(scope="session")
def settings(target: Target) -> Settings:
    """The LeadDesk config keys, defaults applied."""
    return Settings.of(target.options)


@pytest.fixture(scope="session")
def grant(target: Target) -> Callable[..., dict[str, Any]]:
    """`grant(read_only=False)`: the password grant body of the main (or read-only) user."""

    def build(read_only: bool = False) -> dict[str, Any]:
        if read_only and not target.credentials.get("read_only_username"):
            pytest.skip("read_only_username and read_only_password are not configured")
        return password_grant(target.credentials, read_only=read_only)

    return build


@pytest.fixture(scope="session")
def tokens(client: ApiClient, grant: Callable[..., dict[str, Any]]) -> Tokens:
    got = request_token(client, grant())
    if got.access_token is None:
        pytest.fail(f"the password grant gave no access token (HTTP {got.response.status_code})")
    return got


@pytest.fixture(scope="session")
def bearer(client: ApiClient, grant: Callable[..., dict[str, Any]], tokens: Tokens) -> Mapping[str, str]:
    """The Authorization header of the session's token, renewed before it expires."""
    return RenewingBearer(client, grant(), tokens)


@pytest.fixture(scope="session", autouse=True)
def expiring(
    run_session: Any, client: ApiClient, grant: Callable[..., dict[str, Any]], settings: Settings
) -> Tokens | None:
    """A password-grant token taken as the run starts, for the expiry rules to check at its end
    (so that waiting out a short lifetime costs the run nothing when the run lasts longer); None
    when token_expiry_wait is not set or no expiry rule is selected."""
    if settings.token_expiry_wait is None or not run_session.selection & set(EXPIRY_RULES):
        return None
    return request_token(client, grant())


def page_fetcher(
    client: ApiClient, headers: Mapping[str, str], path: str = USERS_PATH, **params: Any
) -> Callable[[int], ApiResponse]:
    def fetch(number: int) -> ApiResponse:
        return client.request("GET", path, headers=headers, params={**params, "page": number})

    return fetch


@pytest.fixture(scope="session")
def users_fetcher(
    client: ApiClient, bearer: Mapping[str, str]
) -> Callable[[int], Callable[[int], ApiResponse]]:
    """`users_fetcher(per_page)`: fetch(page) for GET /users at that page size."""
    return lambda per_page: page_fetcher(client, bearer, per_page=per_page)


@dataclass
class Reference:
    """Every user, in the collection's order, from one walk at per_page 500; `total` is the
    first page's `_meta.total` (None when the target gives none)."""

    walk: Walk
    items: list[Any]
    total: int | None

    @property
    def size(self) -> int:
        """The collection's size: its total when given, else what the walk found."""
        return self.total if self.total is not None else len(self.items)

    def require(self, count: int = 2) -> None:
        if len(self.items) < count:
            pytest.skip(f"the collection holds {len(self.items)} object(s): too few to page through")


@pytest.fixture(scope="session")
def reference(client: ApiClient, profile: LeadDeskProfile, bearer: Mapping[str, str]) -> Reference:
    walked = walk(page_fetcher(client, bearer, per_page=500), profile.parse_page)
    return Reference(walked, walked.items, walked.pages[0].info.total)
