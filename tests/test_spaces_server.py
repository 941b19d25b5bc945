"""Unit tests of the Spaces reference server (apiconform.providers.spaces.server), through
Starlette's TestClient.

Covered: the seed data, HTTP Basic authentication (and that it precedes parameters), routing,
headers on every response, the list shape, forward and backward cursor walks at several limits
(each object exactly once, exact has_more), limit and cursor errors, single reads, the quirky
and alternate variants (the alternate: the other reading at every silence point of
suites/spaces/readings.toml), the plain-HTTP listener, and a table with one scenario per fault
(conformant on the clean server, deviating with the fault).
"""

from __future__ import annotations

import base64
import itertools
import re
import warnings
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from apiconform.providers.spaces.faults import FAULTS
from apiconform.providers.spaces.server import SpacesServer, create_app, create_plain_app
from apiconform.reference.serving import ServerOptions, Variant
from tests.conformance import assert_fault_cases_cover_the_catalogue

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TOKEN = "tok_live_reference"
CREDS = {"access_token": TOKEN}
HTTPS_URL = "https://spaces.test:8443/api/v1"
L = "/api/v1/customers"
COUNT = 47
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


@pytest.fixture
def c() -> TestClient:
    return make()


@pytest.fixture
def q() -> TestClient:
    return make(quirky=True)


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
    """Every id in list order: one page at limit 100."""
    found, has_more = page(make(quirky=quirky), limit=100)
    assert has_more is False and len(found) == COUNT
    return found


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


# --- seed data --------------------------------------------------------------------------------


def test_seed_customers(c: TestClient) -> None:
    items = get(c, limit=100).json()["data"]
    assert len(items) == COUNT
    assert all(list(item) == CUSTOMER_KEYS for item in items)
    assert all(ID_RE.fullmatch(item["id"]) for item in items)
    assert len({item["id"] for item in items}) == COUNT
    assert all(item["object"] == "customer" and item["metadata"] == {} for item in items)
    assert all(isinstance(item["created"], int) and "@" in item["email"] and item["name"] for item in items)
    keys = [(item["created"], item["id"]) for item in items]
    assert keys == sorted(keys)  # created, then id
    created = [item["created"] for item in items]
    assert len(created) - len(set(created)) == 2  # two pairs share created
    assert order() != sorted(order())  # ids are not sortable in list order


def test_seed_is_deterministic() -> None:
    assert get(make(), limit=100).json() == get(make(), limit=100).json()


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["", "ignored"])
def test_token_as_basic_user_name_authenticates(c: TestClient, password: str) -> None:
    assert get(c, headers=basic(TOKEN, password)).status_code == 200
    lower = {"Authorization": AUTH["Authorization"].replace("Basic", "basic")}
    assert get(c, headers=lower).status_code == 200


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Authentication required: send the access token as the HTTP Basic user name."),
        (
            {"Authorization": "  "},
            "Authentication required: send the access token as the HTTP Basic user name.",
        ),
        ({"Authorization": f"Bearer {TOKEN}"}, "Malformed Authorization header"),
        ({"Authorization": "Basic !!not-base64"}, "Malformed Authorization header"),
        ({"Authorization": "Basic " + base64.b64encode(TOKEN.encode()).decode()}, "Malformed"),
        ({"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:").decode()}, "Malformed"),
        (basic("tok_unknown"), "Invalid access token."),
        (basic("", TOKEN), "Invalid access token."),
    ],
)
@pytest.mark.parametrize("path", [L, f"{L}/cus_nope", "/api/v1/nope"])
def test_unauthenticated_requests_get_401(
    c: TestClient, headers: dict[str, str], message: str, path: str
) -> None:
    response = get(c, path, headers=headers, limit="ten")  # authentication precedes parameters
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Spaces"'
    assert response.headers["content-type"] == JSON_TYPE
    assert response.json()["message"].startswith(message)


def test_non_ascii_authorization_is_401(c: TestClient) -> None:
    response = c.get(L, headers={"Authorization": b"Basic dG9r\xe9"})
    assert response.status_code == 401 and response.json()["message"].startswith("Malformed")


def test_no_token_configured_authenticates_nobody() -> None:
    c = TestClient(create_app(ServerOptions()))
    assert get(c).status_code == 401
    assert get(c, headers=basic("")).status_code == 401


# --- routing and headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nope", 404),
        ("GET", "/api/v1", 404),
        ("GET", "/", 404),
        ("GET", f"{L}/", 404),
        ("GET", f"{L}/cus_nope/extra", 404),
        ("POST", L, 405),
        ("DELETE", f"{L}/cus_nope", 405),
        ("OPTIONS", L, 405),
        ("PURGE", L, 405),
        ("POST", "/api/v1/nope", 404),
    ],
)
def test_unknown_paths_and_methods(c: TestClient, method: str, path: str, status: int) -> None:
    response = c.request(method, path, headers=AUTH)
    assert response.status_code == status
    assert isinstance(response.json()["message"], str) and response.json()["message"]
    if status == 405:
        assert response.headers["allow"] == "GET, HEAD"
    else:
        assert response.json()["message"] == f"Unrecognized request URL ({method} {path})."


def test_head_is_served_like_get(c: TestClient) -> None:
    response = c.head(L, headers=AUTH)
    assert response.status_code == 200 and response.headers["content-type"] == JSON_TYPE


@pytest.mark.parametrize(
    ("path", "params", "headers", "status"),
    [
        (L, {}, AUTH, 200),
        (f"{L}/{{first}}", {}, AUTH, 200),
        (L, {"limit": 0}, AUTH, 400),
        (L, {}, {}, 401),
        (f"{L}/cus_nope", {}, AUTH, 404),
        ("/api/v1/nope", {}, AUTH, 404),
    ],
)
def test_every_response_is_json_with_hsts(
    c: TestClient, path: str, params: dict[str, Any], headers: dict[str, str], status: int
) -> None:
    response = c.get(path.format(first=order()[0]), params=params, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == JSON_TYPE
    assert response.headers["strict-transport-security"] == HSTS
    assert isinstance(response.json(), dict)
    assert "x-ratelimit-limit" not in response.headers  # no rate limit is documented


def test_unhandled_exception_is_500_json(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(server_of(c), "list_response", boom)
    response = get(c)
    assert response.status_code == 500
    assert response.json() == {"message": "An unexpected error occurred."}
    assert response.headers["strict-transport-security"] == HSTS


# --- lists ------------------------------------------------------------------------------------


def test_default_page(c: TestClient) -> None:
    body = get(c).json()
    assert list(body) == ["object", "data", "has_more"]
    assert body["object"] == "list" and body["has_more"] is True
    assert [item["id"] for item in body["data"]] == order()[:20]


@pytest.mark.parametrize(("limit", "expected"), [("1", 1), ("20", 20), ("46", 46), ("100", 47), ("007", 7)])
def test_limit_is_honoured(c: TestClient, limit: str, expected: int) -> None:
    found, has_more = page(c, limit=limit)
    assert found == order()[:expected]
    assert has_more is (expected < COUNT)


@pytest.mark.parametrize("limit", [1, 2, 5, 16, 20, 23, 46, 47, 100])
def test_forward_walk_visits_every_object_once(c: TestClient, limit: int) -> None:
    pages = walk(c, "after", limit)
    assert [i for found, _ in pages for i in found] == order()
    assert [has_more for _, has_more in pages] == [True] * (len(pages) - 1) + [False]
    assert all(len(found) == limit for found, _ in pages[:-1])
    assert 1 <= len(pages[-1][0]) <= limit  # no empty trailing page
    assert len(pages) == -(-COUNT // limit)


@pytest.mark.parametrize("limit", [1, 2, 5, 16, 20, 23, 45, 46, 47, 100])
def test_backward_walk_visits_every_earlier_object_once(c: TestClient, limit: int) -> None:
    full = order()
    pages = walk(c, "before", limit, start=full[-1])
    end = COUNT - 1
    for found, has_more in pages:  # each page: the objects just before its cursor, in list order
        assert found == full[max(0, end - limit) : end]
        end -= len(found)
        assert has_more is (end > 0)
    assert end == 0
    assert len(pages) == -(-(COUNT - 1) // limit)


def test_pages_around_a_cursor(c: TestClient) -> None:
    full = order()
    assert page(c, limit=3, starting_after=full[10]) == (full[11:14], True)
    assert page(c, limit=3, starting_before=full[10]) == (full[7:10], True)
    assert page(c, limit=3, starting_after=full[-2]) == (full[-1:], False)
    assert page(c, limit=3, starting_after=full[-1]) == ([], False)
    assert page(c, limit=3, starting_before=full[1]) == (full[:1], False)
    assert page(c, limit=3, starting_before=full[0]) == ([], False)
    assert page(c, limit=10, starting_before=full[10]) == (full[:10], False)


def test_ties_in_created_are_broken_by_id(c: TestClient) -> None:
    items = get(c, limit=100).json()["data"]
    tied = [(a["id"], b["id"]) for a, b in itertools.pairwise(items) if a["created"] == b["created"]]
    assert len(tied) == 2 and all(a < b for a, b in tied)
    # a page boundary inside a tie still yields each object once
    first, second = order().index(tied[0][0]), order().index(tied[0][1])
    assert page(c, limit=1, starting_after=order()[first])[0] == [order()[second]]


def test_unknown_query_parameters_are_ignored(c: TestClient) -> None:
    assert page(c, limit=5, expand="x", email="a@b.c") == (order()[:5], True)


# --- parameter errors -------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "101", "-5", "-0", "99999999999999999999"])
def test_out_of_range_limit_is_400(c: TestClient, limit: str) -> None:
    response = get(c, limit=limit)
    assert response.status_code == 400
    assert response.json() == {"message": "limit must be between 1 and 100"}


@pytest.mark.parametrize("limit", ["ten", "1.5", "", " 5", "5 ", "1e2", "0x10", "٥"])
def test_malformed_limit_is_400(c: TestClient, limit: str) -> None:
    response = get(c, limit=limit)
    assert response.status_code == 400
    assert response.json() == {"message": "limit must be an integer"}


@pytest.mark.parametrize("name", ["starting_after", "starting_before"])
@pytest.mark.parametrize("cursor", ["cus_nope", "", "1"])
def test_unknown_cursor_is_400(c: TestClient, name: str, cursor: str) -> None:
    response = c.get(L, headers=AUTH, params={name: cursor})
    assert response.status_code == 400
    assert response.json() == {"message": f"No such object: {cursor}"}


def test_both_cursors_are_400(c: TestClient) -> None:
    response = get(c, starting_after=order()[0], starting_before=order()[5])
    assert response.status_code == 400
    assert response.json() == {"message": "starting_after and starting_before cannot be used together"}


def test_limit_is_checked_before_cursors(c: TestClient) -> None:
    response = get(c, limit=0, starting_after="cus_nope", starting_before="cus_nope")
    assert response.json() == {"message": "limit must be between 1 and 100"}


# --- single objects ---------------------------------------------------------------------------


def test_get_customer(c: TestClient) -> None:
    listed = get(c, limit=100).json()["data"]
    for item in (listed[0], listed[-1]):
        response = get(c, f"{L}/{item['id']}")
        assert response.status_code == 200 and response.json() == item


def test_unknown_customer_is_404(c: TestClient) -> None:
    response = get(c, f"{L}/cus_nope")
    assert response.status_code == 404
    assert response.json() == {"message": "No such customer: cus_nope"}


# --- the quirky variant -----------------------------------------------------------------------


def test_quirky_ids_extras_and_order(q: TestClient) -> None:
    body = get(q, limit=100).json()
    assert body["url"] == L and body["total_count"] == COUNT and body["has_more"] is False
    items = body["data"]
    assert sorted(item["id"] for item in items) == list(range(1, COUNT + 1))
    assert all(item["livemode"] is False for item in items)
    keys = [(item["created"], item["id"]) for item in items]
    assert keys == sorted(keys, reverse=True)  # created, then id, descending
    assert order(True) != sorted(order(True), reverse=True) and order(True) != sorted(order(True))
    assert get(q, f"{L}/{items[0]['id']}").json() == items[0]


@pytest.mark.parametrize("limit", [1, 5, 20, 46])
def test_quirky_walks(q: TestClient, limit: int) -> None:
    full = order(True)
    assert [i for found, _ in walk(q, "after", limit) for i in found] == full
    pages = walk(q, "before", limit, start=full[-1])
    end = COUNT - 1
    for found, has_more in pages:  # nearest first
        assert found == full[max(0, end - limit) : end][::-1]
        end -= len(found)
        assert has_more is (end > 0)
    assert end == 0


def test_quirky_errors(q: TestClient) -> None:
    full = order(True)
    for name in ("starting_after", "starting_before"):
        response = q.get(L, headers=AUTH, params={name: "999"})
        assert response.status_code == 404 and response.json() == {"error": "not_found"}
    assert page(q, limit=3, starting_after=full[0], starting_before=full[5]) == (full[1:4], True)
    assert page(q, limit=0) == (full[:1], True)
    assert page(q, limit=101) == (full, False)
    assert page(q, limit=-5) == (full[:1], True)
    response = get(q, limit="ten")
    assert response.status_code == 400 and response.json() == {"error": {"message": "invalid limit"}}
    unauthenticated = get(q, headers={})
    assert unauthenticated.status_code == 401 and "www-authenticate" not in unauthenticated.headers
    assert unauthenticated.json() == {"message": "You did not provide an API key."}
    assert get(q, f"{L}/999").json() == {"message": "Customer 999 does not exist."}
    assert get(q, "/api/v1/nope").json() == {"message": "No route matches GET /api/v1/nope."}
    assert get(q).headers["strict-transport-security"] == HSTS


# --- the alternate variant --------------------------------------------------------------------

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
    """Every customer_id in the alternate's list order (two capped pages)."""
    a = make(variant="alternate")
    first, more = alt_page(a, limit=100)
    rest, last = alt_page(a, limit=100, starting_after=first[-1])
    assert more is True and last is False
    return first + rest


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
    assert alt_page(a, limit=25, starting_after=full[24]) == (full[25:], False)


def test_alternate_backward_pages_and_cursors(a: TestClient) -> None:
    full = alt_order()
    assert alt_page(a, limit=3, starting_before=full[10]) == (full[7:10][::-1], True)
    assert alt_page(a, limit=3, starting_before=full[1]) == (full[:1], True)  # objects follow it
    assert alt_page(a, limit=3, starting_before=full[0]) == ([], True)
    assert alt_page(a, limit=100, starting_before=full[-1]) == (full[21:46][::-1], True)  # capped
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


# --- the plain-HTTP listener ------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [("GET", L), ("GET", "/"), ("POST", f"{L}/x"), ("PURGE", L)])
def test_plain_listener_rejects_with_403(method: str, path: str) -> None:
    response = make_plain().request(method, path, headers=AUTH)
    assert response.status_code == 403
    assert response.headers["content-type"] == JSON_TYPE
    assert response.json() == {"message": "Requests over plain HTTP are rejected; use HTTPS."}
    assert "strict-transport-security" not in response.headers


@pytest.mark.parametrize(
    ("target", "location"),
    [
        (f"{L}?limit=1", f"https://spaces.test:8443{L}?limit=1"),
        (f"{L}/cus%20x", f"https://spaces.test:8443{L}/cus%20x"),
        ("/", "https://spaces.test:8443/"),
    ],
)
def test_quirky_plain_listener_redirects(target: str, location: str) -> None:
    response = make_plain(quirky=True).get(target)
    assert response.status_code == 301
    assert response.headers["location"] == location
    assert response.content == b""


def test_plain_http_served_serves_the_api_without_auth() -> None:
    plain = make_plain(("plain-http-served",))
    response = plain.get(L, params={"limit": 2})
    assert response.status_code == 200 and ids(response) == order()[:2]
    assert "strict-transport-security" not in response.headers
    assert plain.get("/api/v1/nope").status_code == 404


# --- faults -----------------------------------------------------------------------------------

Scenario = Callable[[tuple[str, ...]], Any]


def status(path: str = L, headers: dict[str, str] | None = None, **params: Any) -> Scenario:
    return lambda faults: get(make(faults), path, headers, **params).status_code


def statuses(*queries: dict[str, Any]) -> Scenario:
    return lambda faults: [get(make(faults), **query).status_code for query in queries]


def body(path: str = L, headers: dict[str, str] | None = None, **params: Any) -> Scenario:
    return lambda faults: get(make(faults), path, headers, **params).json()


def listed(**params: Any) -> Scenario:
    """(ids, has_more), with the cursors given as positions in the clean list order."""

    def scenario(faults: tuple[str, ...]) -> Any:
        query = {k: order()[v] if k.startswith("starting_") else v for k, v in params.items()}
        return page(make(faults), **query)

    return scenario


def walked(limit: int) -> Scenario:
    return lambda faults: [i for found, _ in walk(make(faults), "after", limit) for i in found]


def every_item_has_id(faults: tuple[str, ...]) -> Any:
    return get(make(faults), limit=10).json()["data"]


def plain_status(faults: tuple[str, ...]) -> Any:
    return make_plain(faults).get(L, params={"limit": 1}).status_code


FAULT_CASES: list[tuple[str, Scenario, Callable[[Any], bool]]] = [
    ("basic-empty-password-rejected", status(), lambda s: s == 200),
    ("bearer-only", status(), lambda s: s == 200),
    ("missing-auth-served", status(headers={}), lambda s: s == 401),
    ("missing-auth-403", status(headers={}), lambda s: s == 401),
    ("invalid-token-served", status(headers=basic("tok_unknown")), lambda s: s == 401),
    (
        "no-www-authenticate",
        lambda faults: get(make(faults), headers={}).headers.get("www-authenticate", ""),
        lambda challenge: challenge.startswith("Basic"),
    ),
    ("plain-http-served", plain_status, lambda s: not 200 <= s < 300),
    (
        "plain-http-redirect-with-data",
        lambda faults: make_plain(faults).get(L).json(),
        lambda body: "data" not in body,
    ),
    ("no-hsts", lambda faults: get(make(faults)).headers.get("strict-transport-security"), bool),
    ("list-bare-array", body(), lambda b: isinstance(b, dict)),
    ("list-object-missing", body(), lambda b: b.get("object") == "list"),
    ("has-more-string", body(), lambda b: isinstance(b["has_more"], bool)),
    ("objects-without-id", every_item_has_id, lambda items: all("id" in item for item in items)),
    ("default-limit-10", listed(), lambda p: len(p[0]) == 20),
    ("limit-exceeded", listed(limit=5), lambda p: len(p[0]) == 5),
    ("limit-off-by-one", listed(limit=5), lambda p: len(p[0]) == 5),
    ("limit-unbounded", statuses({"limit": 0}, {"limit": 101}), lambda s: s == [400, 400]),
    ("limit-clamped", statuses({"limit": 0}, {"limit": 101}), lambda s: s == [400, 400]),
    ("starting-after-inclusive", listed(limit=3, starting_after=10), lambda p: p[0] == order()[11:14]),
    ("starting-after-skips-one", listed(limit=3, starting_after=10), lambda p: p[0] == order()[11:14]),
    ("starting-before-ignored", listed(limit=3, starting_before=10), lambda p: p[0] == order()[7:10]),
    ("starting-before-as-after", listed(limit=3, starting_before=10), lambda p: p[0] == order()[7:10]),
    ("has-more-always-true", listed(limit=3, starting_after=COUNT - 2), lambda p: p[1] is False),
    ("has-more-when-full", listed(limit=COUNT), lambda p: p[1] is False),
    ("has-more-backward-list-order", listed(limit=3, starting_before=2), lambda p: p[1] is False),
    ("order-depends-on-limit", walked(5), lambda walk: walk == order()),
    (
        "both-cursors-500",
        lambda faults: get(make(faults), starting_after=order()[0], starting_before=order()[5]).status_code,
        lambda s: s == 400,
    ),
    (
        "unknown-cursor-first-page",
        statuses({"starting_after": "cus_nope"}, {"starting_before": "cus_nope"}),
        lambda s: s == [400, 400],
    ),
    (
        "unknown-cursor-500",
        statuses({"starting_after": "cus_nope"}, {"starting_before": "cus_nope"}),
        lambda s: s == [400, 400],
    ),
    ("unknown-customer-400", status(f"{L}/cus_nope"), lambda s: s == 404),
    ("unknown-path-200", status("/api/v1/nope"), lambda s: s == 404),
    ("invalid-limit-ignored", status(limit="ten"), lambda s: s == 400),
    ("invalid-limit-422", status(limit="ten"), lambda s: s == 400),
    (
        "errors-html",
        lambda faults: get(make(faults), f"{L}/cus_nope").headers["content-type"],
        lambda content_type: content_type == JSON_TYPE,
    ),
    (
        "errors-text-plain",
        lambda faults: get(make(faults), f"{L}/cus_nope").headers["content-type"],
        lambda content_type: content_type == JSON_TYPE,
    ),
    ("errors-no-message", body(f"{L}/cus_nope"), lambda b: isinstance(b.get("message"), str)),
    ("list-large-limit-500", status(limit=51), lambda s: s == 200),
]


@pytest.mark.parametrize(
    ("fault", "scenario", "conformant"), FAULT_CASES, ids=[case[0] for case in FAULT_CASES]
)
def test_fault_deviates_where_the_clean_server_conforms(
    fault: str, scenario: Scenario, conformant: Callable[[Any], bool]
) -> None:
    assert conformant(scenario(())), "the clean server does not conform"
    assert not conformant(scenario((fault,))), f"{fault} does not deviate"


EXPECTED_RULES = {
    "basic-empty-password-rejected": ("spaces.auth.basic-accepted",),
    "bearer-only": ("spaces.auth.basic-accepted",),
    "missing-auth-served": ("spaces.auth.missing-401",),
    "missing-auth-403": ("spaces.auth.missing-401",),
    "invalid-token-served": ("spaces.auth.invalid-token-401",),
    "no-www-authenticate": ("spaces.auth.www-authenticate",),
    "plain-http-served": ("spaces.transport.https-only",),
    "plain-http-redirect-with-data": ("spaces.transport.https-only",),
    "no-hsts": ("spaces.transport.hsts",),
    "list-bare-array": ("spaces.lists.shape",),
    "list-object-missing": ("spaces.lists.shape",),
    "has-more-string": ("spaces.lists.shape", "spaces.schema.list-response-conformance"),
    "objects-without-id": ("spaces.lists.objects-have-id",),
    "default-limit-10": ("spaces.pagination.default-limit",),
    "limit-exceeded": ("spaces.pagination.limit-honoured",),
    "limit-off-by-one": ("spaces.pagination.full-pages", "spaces.pagination.forward-walk"),
    "limit-unbounded": ("spaces.pagination.limit-out-of-range", "spaces.pagination.limit-rejected-400"),
    "limit-clamped": ("spaces.pagination.limit-rejected-400",),
    "starting-after-inclusive": ("spaces.pagination.forward-walk",),
    "starting-after-skips-one": ("spaces.pagination.forward-walk",),
    "starting-before-ignored": ("spaces.pagination.backward-walk",),
    "starting-before-as-after": ("spaces.pagination.backward-walk",),
    "has-more-always-true": ("spaces.pagination.has-more-exact",),
    "has-more-when-full": ("spaces.pagination.has-more-exact",),
    "has-more-backward-list-order": ("spaces.pagination.has-more-backward",),
    "order-depends-on-limit": ("spaces.pagination.order-independent-of-limit",),
    "both-cursors-500": ("spaces.pagination.both-cursors", "spaces.errors.no-server-error"),
    "unknown-cursor-first-page": ("spaces.pagination.unknown-cursor",),
    "unknown-cursor-500": ("spaces.pagination.unknown-cursor", "spaces.errors.no-server-error"),
    "unknown-customer-400": ("spaces.errors.unknown-resource-404",),
    "unknown-path-200": ("spaces.errors.unknown-resource-404",),
    "invalid-limit-ignored": ("spaces.errors.invalid-parameter-400",),
    "invalid-limit-422": ("spaces.errors.invalid-parameter-400", "spaces.schema.status-code-documented"),
    "errors-html": ("spaces.errors.json-body", "spaces.errors.json-media-type"),
    "errors-text-plain": ("spaces.errors.json-media-type",),
    "errors-no-message": ("spaces.errors.message",),
    "list-large-limit-500": ("spaces.schema.list-response-conformance", "spaces.errors.no-server-error"),
}


def test_every_fault_has_a_case_and_known_rules() -> None:
    assert_fault_cases_cover_the_catalogue("spaces", [case[0] for case in FAULT_CASES])
    assert {fault.name: fault.rules for fault in FAULTS} == EXPECTED_RULES


@pytest.mark.parametrize("factory", [make, make_plain])
def test_unknown_fault_names_are_rejected(factory: Callable[[tuple[str, ...]], TestClient]) -> None:
    with pytest.raises(ValueError, match="unknown fault 'no-such-fault'"):
        factory(("no-such-fault",))


def test_fault_details() -> None:
    """Deviations the table does not show: the exact shapes the faults produce."""
    full = order()
    assert get(make(("basic-empty-password-rejected",)), headers=basic(TOKEN, "x")).status_code == 200
    forbidden = get(make(("missing-auth-403",)), headers={})
    assert forbidden.json()["message"].startswith("Authentication required")
    assert "www-authenticate" not in forbidden.headers
    assert get(make(("missing-auth-served",)), headers=basic("tok_unknown")).status_code == 401
    assert get(make(("invalid-token-served",)), headers={}).status_code == 401
    assert "www-authenticate" not in get(make(("no-www-authenticate",)), headers={}).headers
    assert page(make(("has-more-string",)), limit=COUNT) == (full, "false")
    without_id = get(make(("objects-without-id",)), limit=10).json()["data"]
    assert [("id" in item) for item in without_id] == [True] * 4 + [False] + [True] * 4 + [False]
    assert list(without_id[4]) == CUSTOMER_KEYS[1:]
    assert get(make(("objects-without-id",)), f"{L}/{full[4]}").json()["id"] == full[4]  # lists only
    assert page(make(("default-limit-10",))) == (full[:10], True)
    off_by_one = make(("limit-off-by-one",))
    assert page(off_by_one, limit=COUNT) == (full[:-1], False)  # has_more as if 47 were served
    assert page(off_by_one, limit=1) == (full[:1], True)
    unbounded = make(("limit-unbounded",))
    assert page(unbounded, limit=0) == ([], True) and page(unbounded, limit=-5) == ([], True)
    assert page(unbounded, limit=101) == (full, False)
    assert get(unbounded, limit="ten").status_code == 400
    clamped = make(("limit-clamped",))
    assert page(clamped, limit=0) == (full[:1], True) and page(clamped, limit=101) == (full, False)
    assert page(make(("starting-after-inclusive",)), limit=3, starting_after=full[10])[0] == full[10:13]
    assert page(make(("starting-after-skips-one",)), limit=3, starting_after=full[10])[0] == full[12:15]
    assert page(make(("starting-before-ignored",)), limit=3, starting_before=full[10])[0] == full[:3]
    assert page(make(("starting-before-as-after",)), limit=3, starting_before=full[10])[0] == full[11:14]
    assert page(make(("has-more-always-true",)), starting_before=full[1]) == (full[:1], True)
    when_full = make(("has-more-when-full",))
    assert page(when_full, limit=5, starting_after=full[-6]) == (full[-5:], True)
    assert page(when_full, limit=5, starting_after=full[-5]) == (full[-4:], False)
    by_limit = make(("order-depends-on-limit",))
    assert page(by_limit, limit=19)[0] == sorted(full)[:19]
    assert page(by_limit, limit=20)[0] == full[:20] and page(by_limit)[0] == full[:20]
    crashed = get(make(("both-cursors-500",)), starting_after=full[0], starting_before=full[5])
    assert crashed.status_code == 500 and crashed.json() == {"message": "An unexpected error occurred."}
    assert page(make(("unknown-cursor-first-page",)), limit=2, starting_before="cus_nope") == (full[:2], True)
    assert get(make(("unknown-cursor-500",)), starting_after="cus_nope").status_code == 500
    assert get(make(("unknown-customer-400",)), f"{L}/cus_nope").json() == {
        "message": "No such customer: cus_nope"
    }
    unknown_path = make(("unknown-path-200",))
    assert get(unknown_path, "/api/v1/nope").json() == {} and get(unknown_path, "/other").status_code == 404
    assert page(make(("invalid-limit-ignored",)), limit="ten") == (full[:20], True)
    assert get(make(("invalid-limit-ignored",)), limit=0).status_code == 400
    assert get(make(("invalid-limit-422",)), limit="1.5").json() == {"message": "limit must be an integer"}
    html_error = get(make(("errors-html",)), headers={})
    assert html_error.status_code == 401 and html_error.headers["content-type"].startswith("text/html")
    assert html_error.text.startswith("<!DOCTYPE html>") and html_error.headers["www-authenticate"]
    assert get(make(("errors-no-message",)), headers={}).json() == {}
    large = make(("list-large-limit-500",))
    assert get(large, limit=50).status_code == 200 and get(large, limit=100).status_code == 500


def test_fault_details_of_the_preflight_and_reading_faults() -> None:
    """The faults a preflight meets (bearer-only, list-bare-array) and those of the readings'
    SHOULDs and MUSTs added since (limit-exceeded, has-more-backward-list-order,
    errors-text-plain, plain-http-redirect-with-data)."""
    full = order()
    bearer = make(("bearer-only",))
    refused = get(bearer)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == 'Bearer realm="Spaces"'
    assert get(bearer, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert get(bearer, headers={"Authorization": "Bearer tok_unknown"}).status_code == 401
    bare = get(make(("list-bare-array",)), limit=2).json()
    assert [item["id"] for item in bare] == full[:2]
    assert page(make(("limit-exceeded",)), limit=5) == (full[:6], True)
    assert page(make(("has-more-backward-list-order",)), limit=3, starting_before=full[10]) == (
        full[7:10],
        True,
    )
    assert page(make(("has-more-backward-list-order",)), limit=3, starting_after=full[-4]) == (
        full[-3:],
        False,
    )
    text = get(make(("errors-text-plain",)), f"{L}/cus_nope")
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.json() == {"message": "No such customer: cus_nope"}
    redirect = make_plain(("plain-http-redirect-with-data",)).get(L, params={"limit": 2})
    assert (
        redirect.status_code == 301 and redirect.headers["location"] == f"https://spaces.test:8443{L}?limit=2"
    )
    assert [item["id"] for item in redirect.json()["data"]] == full[:2]
