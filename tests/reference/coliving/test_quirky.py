"""The quirky variant of the Coliving reference server: conformant, different wherever the
document is silent."""

from __future__ import annotations

import re
import time
import uuid
from email.utils import parsedate_to_datetime

import pytest

from tests.reference.coliving.helpers import (
    HOST1_IDS,
    MAIN,
    L,
    booking_body,
    error,
    keyed,
    listed,
    listing_body,
    make,
    paths,
    server_of,
    user_body,
)


def test_quirky_variant_differs_where_the_document_is_silent() -> None:
    q = make(quirky=True)
    response = q.get(L, headers=MAIN)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert "x-request-id" not in response.headers
    body = response.json()
    assert list(body) == ["meta", "data"]
    assert body["meta"]["api_version"] == "v1"
    uuid.UUID(body["meta"]["request_id"])
    assert body["data"][0]["object"] == "listing"
    assert next(iter(body["data"][0])) == "object"
    echoed = q.get(L, headers={**MAIN, "X-Request-Id": "trace-q"})
    assert echoed.json()["meta"]["request_id"] == "trace-q" and "x-request-id" not in echoed.headers
    missing = q.post("/v1/users", headers=MAIN, json=user_body(email=...))
    err = error(missing)
    assert err["errors"] == [{"message": "The email field is required.", "code": "required", "path": "email"}]
    assert err["message"] == "The given data was invalid." and "documentation_url" in err
    assert error(q.get(L))["message"] == "No API key was provided."
    created = q.post(L, headers=MAIN, json=listing_body("q-1")).json()["data"]
    assert created["listing_status"] == "draft"
    assert q.patch(f"{L}/{created['id']}", headers=MAIN, json={}).json()["data"]["action"] == "unchanged"
    assert q.post("/v1/users", headers=MAIN, json=user_body()).status_code == 201
    assert q.post("/v1/bookings", headers=MAIN, json=booking_body()).status_code == 201
    started = time.perf_counter()
    for _ in range(10):
        q.get(L, headers=MAIN)
    assert time.perf_counter() - started < 5


def test_quirky_replays_searches_and_sorts_differently() -> None:
    q = make(quirky=True)
    headers = keyed("q-op")
    first = q.post(L, headers=headers, json=listing_body("q-idem"))
    replay = q.post(L, headers=headers, json=listing_body("q-idem"))
    assert (first.status_code, replay.status_code) == (201, 200)
    assert replay.json()["data"] == first.json()["data"]
    long = q.post("/v1/users", headers=keyed("k" * 256), json=user_body())
    assert (long.status_code, error(long)["type"], paths(long)) == (400, "bad_request", ["Idempotency-Key"])
    assert q.post("/v1/users", headers=keyed("k" * 255), json=user_body()).status_code == 201
    empty = q.post("/v1/users", headers=keyed(""), json=user_body())
    assert (empty.status_code, paths(empty)) == (422, ["Idempotency-Key"])
    # q compares letter case; name order is binary (sort=name and the default order)
    assert {i["id"] for i in listed(q, q="sunny")} == set()
    assert {i["id"] for i in listed(q, q="Sunny")} == {101, 102, 103}
    assert {i["id"] for i in listed(q, q="alpha")} == {121}
    assert {i["id"] for i in listed(q, q="100%")} == {104}
    by_name = [(i["name"], i["id"]) for i in listed(q, sort="name") if i["id"] in HOST1_IDS]
    assert by_name == sorted(by_name)
    assert [i["id"] for i in listed(q, sort="name")][:5] == [104, 110, 122, 123, 109]
    drafts = [i["id"] for i in listed(q) if i["listing_status"] == "draft" and i["id"] in HOST1_IDS]
    assert drafts == [110, 109, 103, 121]  # "Alpine Lodge" < "Sunny Side Loft" < "alpha Loft"


@pytest.mark.parametrize(
    ("query", "page", "per_page"),
    [
        ("per_page=101", 1, 100),
        ("per_page=0", 1, 1),
        ("per_page=ten", 1, 50),
        ("page=0&per_page=5", 1, 5),
        ("page=first", 1, 50),
        ("sort=color&order=sideways", 1, 50),
        ("listing_status=sold", 1, 50),
        ("q=" + "x" * 256, 1, 50),
    ],
)
def test_quirky_clamps_list_values_beyond_the_bounds(query: str, page: int, per_page: int) -> None:
    """The other reading of "strict error semantics": Laravel's paginator clamps, and unknown
    values are ignored; the answer stays within the documented bounds."""
    response = make(quirky=True).get(f"{L}?{query}", headers=MAIN)
    assert response.status_code == 200
    pagination = response.json()["meta"]["pagination"]
    assert (pagination["current_page"], pagination["per_page"]) == (page, per_page)
    assert len(response.json()["data"]) <= per_page


def test_quirky_duplicate_message_is_409() -> None:

    q = make(quirky=True)
    booking_id = q.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    assert q.post(path, headers=MAIN, json={"message": "Hi"}).status_code == 201
    duplicate = q.post(path, headers=MAIN, json={"message": "Hi"})
    assert (duplicate.status_code, error(duplicate)["type"]) == (409, "conflict_error")
    assert q.post(path, headers=MAIN, json={"message": "Hi again"}).status_code == 201
    assert len(server_of(q).store.messages[booking_id]) == 2


def test_quirky_rate_limit_headers_and_http_date_retry_after() -> None:
    q = make(quirky=True, rate_limit=(3, 60.0))
    responses = [
        q.get(L, headers=MAIN),
        q.post("/v1/users", headers=MAIN, json={}),  # errors of a valid key carry them too
        q.patch(f"{L}/999999", headers=MAIN, json={}),
        q.get(L, headers=MAIN),
    ]
    assert [r.status_code for r in responses] == [200, 422, 404, 429]
    readings = [
        (
            r.headers["x-ratelimit-limit"],
            r.headers["x-ratelimit-remaining"],
            int(r.headers["x-ratelimit-reset"]),
        )
        for r in responses
    ]
    assert [reading[:2] for reading in readings] == [("3", "2"), ("3", "1"), ("3", "0"), ("3", "0")]
    assert all(1 <= reset <= 60 for _, _, reset in readings)
    retry_after = responses[-1].headers["retry-after"]
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT", retry_after)
    wait = parsedate_to_datetime(retry_after).timestamp() - time.time()
    assert 55 <= wait <= 61
    unauthenticated = q.get(L)
    assert unauthenticated.status_code == 401 and "x-ratelimit-limit" not in unauthenticated.headers
    assert "x-ratelimit-limit" not in make().get(L, headers=MAIN).headers  # the reference sends none
