"""The Spaces server's alternate variant: the other reading at every silence point of
suites/spaces/readings.toml."""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from apiconform.reference.serving import ServerOptions
from tests.reference.spaces.helpers import AUTH, COUNT, CREDS, HSTS, TOKEN, L, TestClient, basic, get, make

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def a() -> TestClient:
    return make(variant="alternate")


def alt_page(a: TestClient, **params: Any) -> tuple[list[Any], Any]:
    """(customer_ids, has_more) of one alternate list page."""
    response = get(a, **params)
    assert response.status_code == 200, response.text
    return [item["customer_id"] for item in response.json()["data"]], response.json()["has_more"]


@cache
def alt_order() -> list[Any]:
    """Every customer_id in the alternate's list order (pages capped at 25)."""
    a = make(variant="alternate")
    found, more = alt_page(a, limit=100)
    while more:
        page, more = alt_page(a, limit=100, starting_after=found[-1])
        found += page
    return found


def test_alternate_ids_shape_and_order(a: TestClient) -> None:
    body = get(a, limit=10).json()
    assert list(body) == ["object", "data", "has_more", "page_size"] and body["page_size"] == 10
    items = body["data"]
    assert all("id" not in item and UUID_RE.fullmatch(item["customer_id"]) for item in items)
    assert alt_order() == sorted(alt_order()) and len(set(alt_order())) == COUNT  # ordered by the id


def test_alternate_routes_before_it_authenticates(a: TestClient) -> None:
    for headers in ({}, AUTH):
        unknown = get(a, "/api/v1/nope", headers=headers)
        assert unknown.status_code == 404 and unknown.json() == {
            "error": "Unrecognized request URL (GET /api/v1/nope)."
        }
        single = get(a, f"{L}/{alt_order()[0]}", headers=headers)
        assert single.status_code == 405 and single.headers["allow"] == ""
        assert a.post(L, headers=headers).status_code == 405
    assert get(a, headers={}).status_code == 401


def test_alternate_refuses_a_password_and_answers_401_bare(a: TestClient) -> None:
    assert get(a, headers=basic(TOKEN)).status_code == 200
    for headers in (basic(TOKEN, "x"), {}, basic("tok_unknown"), {"Authorization": f"Bearer {TOKEN}"}):
        response = get(a, headers=headers)
        assert response.status_code == 401 and response.content == b""
        assert "content-type" not in response.headers and "www-authenticate" not in response.headers
        assert response.headers["strict-transport-security"] == HSTS


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"limit": "ten"}, 400, "limit must be an integer"),
        ({"limit": "1.5"}, 400, "limit must be an integer"),
        ({"starting_after": "nope"}, 404, "No such object: nope"),
        ({"starting_before": "nope"}, 404, "No such object: nope"),
    ],
)
def test_alternate_errors_have_no_message_and_a_text_type(
    a: TestClient, params: dict[str, Any], status: int, message: str
) -> None:
    response = get(a, **params)
    assert response.status_code == status
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.json() == {"error": message}


def test_alternate_limits(a: TestClient) -> None:
    full = alt_order()
    assert alt_page(a, limit=" 5") == (full[:5], True) and alt_page(a, limit="+5") == (full[:5], True)
    for limit in (0, 101, -5, 99999999999):
        assert alt_page(a, limit=limit) == (full[:20], True)  # out of range: the default
    assert alt_page(a, limit=100) == (full[:25], True)  # a page holds at most 25
    assert alt_page(a, limit=25, starting_after=full[-26]) == (full[-25:], False)


def test_alternate_backward_pages_and_cursors(a: TestClient) -> None:
    full = alt_order()
    assert alt_page(a, limit=3, starting_before=full[10]) == (full[7:10][::-1], True)
    assert alt_page(a, limit=3, starting_before=full[1]) == (full[:1], True)  # objects follow it
    assert alt_page(a, limit=3, starting_before=full[0]) == ([], True)
    assert alt_page(a, limit=100, starting_before=full[-1]) == (full[-26:-1][::-1], True)  # capped
    both = alt_page(a, limit=3, starting_after=full[0], starting_before=full[5])
    assert both == (full[2:5][::-1], True)  # starting_before alone


def test_alternate_plain_http_closes_the_connection() -> None:
    """The alternate's plain_http_url is its TLS port: a plain request gets no HTTP answer."""
    from apiconform.providers.spaces.profile import SpacesProfile

    deployment = SpacesProfile().start_reference(ServerOptions(credentials=CREDS, variant="alternate"))
    try:
        plain = deployment.settings["plain_http_url"]
        assert plain.startswith("http://") and urlsplit(plain).port == urlsplit(deployment.base_url).port
        assert len(deployment.servers) == 1
        with pytest.raises(httpx.TransportError):
            httpx.get(plain + "/customers", timeout=5)
    finally:
        deployment.stop()


@pytest.mark.parametrize(
    "query", [{"limit": 5, "expand": "x"}, [("limit", 5), ("limit", 6)], {"email": "a@b.c"}]
)
def test_alternate_refuses_unknown_and_repeated_parameters(a: TestClient, query: Any) -> None:
    response = a.get(L, headers=AUTH, params=query)
    assert response.status_code == 400 and response.json()["error"].startswith(
        "Unknown or repeated parameter"
    )
