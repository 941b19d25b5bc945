"""What the Spaces server tests share: the credentials, test clients of fresh servers (the API and
the plain-HTTP listener), and readers of list pages and cursor walks."""

from __future__ import annotations

import base64
import re
import warnings
from functools import cache
from typing import Any

import httpx

from apiconform.providers.spaces.server import SpacesServer, create_app, create_plain_app
from apiconform.reference.serving import ServerOptions, Variant

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TOKEN = "tok_live_reference"
CREDS = {"access_token": TOKEN}
HTTPS_URL = "https://spaces.test:8443/api/v1"
L = "/api/v1/customers"
COUNT = 105  # more than the largest limit (100)
ID_RE = re.compile(r"cus_[a-z0-9]{14}")
CUSTOMER_KEYS = ["id", "object", "name", "email", "created", "metadata"]
JSON_TYPE = "application/json"
HSTS = "max-age=31536000"


def basic(user: str, password: str = "") -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


AUTH = basic(TOKEN)


def make(faults: tuple[str, ...] = (), quirky: bool = False, variant: Variant = "clean") -> TestClient:
    options = ServerOptions(
        credentials=CREDS, faults=frozenset(faults), variant="quirky" if quirky else variant
    )
    return TestClient(create_app(options))


def make_plain(faults: tuple[str, ...] = (), quirky: bool = False, variant: Variant = "clean") -> TestClient:
    options = ServerOptions(
        credentials=CREDS, faults=frozenset(faults), variant="quirky" if quirky else variant
    )
    return TestClient(create_plain_app(options, HTTPS_URL), follow_redirects=False)


def server_of(client: TestClient) -> SpacesServer:
    server: SpacesServer = client.app.state.spaces  # type: ignore[attr-defined]
    return server


def get(c: TestClient, path: str = L, headers: dict[str, str] | None = None, **params: Any) -> httpx.Response:
    response: httpx.Response = c.get(path, headers=AUTH if headers is None else headers, params=params)
    return response


def ids(response: httpx.Response) -> list[Any]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def page(c: TestClient, **params: Any) -> tuple[list[Any], Any]:
    """(ids, has_more) of one list page."""
    response = get(c, **params)
    return ids(response), response.json()["has_more"]


@cache
def order(quirky: bool = False) -> list[Any]:
    """Every id in list order: two pages at limit 100."""
    c = make(quirky=quirky)
    first, has_more = page(c, limit=100)
    rest, more = page(c, limit=100, starting_after=first[-1])
    assert has_more is True and more is False and len(first + rest) == COUNT
    return first + rest


def walk(c: TestClient, direction: str, limit: int, start: Any = None) -> list[tuple[list[Any], Any]]:
    """The pages of a cursor walk: forwards from the first page, or backwards from `start`; the next
    cursor is the last id (after) or the earliest id in list order (before)."""
    pages: list[tuple[list[Any], Any]] = []
    cursor = start
    full = order(server_of(c).quirky)
    while len(pages) <= COUNT + 1:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params[f"starting_{direction}"] = cursor
        found, has_more = page(c, **params)
        pages.append((found, has_more))
        if not found or not has_more:
            return pages
        cursor = found[-1] if direction == "after" else min(found, key=full.index)
    raise AssertionError("the walk does not end")
