"""The exact shapes the Coliving faults produce, beyond what their cases in cases.py show."""

from __future__ import annotations

import time

from tests.reference.coliving.helpers import (
    DEFAULT_ORDER,
    GENERATED_ID,
    HOST1_IDS,
    MAIN,
    OTHER,
    READ,
    L,
    booking_body,
    error,
    keyed,
    listed,
    listing,
    listing_body,
    make,
    paths,
    user_body,
)


def test_fault_details() -> None:
    """Deviations the table does not show: the exact shapes the faults produce."""
    flat = make(("error-flat",)).get(L).json()
    assert set(flat) == {"type", "message", "request_id", "errors"}
    assert (
        make(("error-items-unpathed",))
        .post("/v1/users", headers=MAIN, json={})
        .json()["error"]["errors"][0]["field"]
        == "email"
    )
    html = make(("error-html-content-type",))
    assert html.get(L).headers["content-type"] == "text/html; charset=utf-8"
    assert html.get(L, headers=MAIN).headers["content-type"] == "application/json"
    silent = make(("no-request-id",))
    response = silent.get(L)
    assert "x-request-id" not in response.headers and "request_id" not in response.json()["error"]
    assert silent.get(L, headers={**MAIN, "X-Request-Id": "t"}).json()["meta"]["request_id"] == "t"
    mismatch = make(("request-id-header-mismatch",)).get(L, headers={**MAIN, "X-Request-Id": "t"})
    assert mismatch.headers["x-request-id"] == "t" and GENERATED_ID.fullmatch(
        mismatch.json()["meta"]["request_id"]
    )
    assert make(("request-id-constant",)).get(L).headers["x-request-id"] == "req_000001"
    assert make(("missing-key-403",)).get(L).json()["error"]["type"] == "forbidden"
    assert make(("forbidden-as-401",)).post(L, headers=READ, json={}).json()["error"]["type"] == "auth_error"
    assert make(("unknown-listing-500",)).patch(f"{L}/9999", headers=MAIN, json={}).json()["error"][
        "type"
    ] == ("internal_error")
    assert make(("unknown-listing-type",)).patch(f"{L}/101", headers=OTHER, json={}).json()["error"][
        "type"
    ] == ("not_found")
    assert (
        make(("unsupported-provider-400",))
        .post("/v1/integrations/x/provider-key", headers=MAIN, json={})
        .json()["error"]["type"]
        == "bad_request"
    )
    assert (
        make(("validation-type",)).get(f"{L}?page=0", headers=MAIN).json()["error"]["type"]
        == "invalid_request"
    )
    invalid_400 = make(("list-invalid-400",)).get(f"{L}?page=0", headers=MAIN)
    assert (invalid_400.status_code, error(invalid_400)["type"]) == (400, "validation_error")
    assert (
        make(("bookings-missing-user-500",))
        .post("/v1/bookings", headers=MAIN, json=booking_body(user_id=...))
        .status_code
        == 500
    )
    reversed_dates = make(("bookings-date-order-accepted",)).post(
        "/v1/bookings", headers=MAIN, json=booking_body(checkin_at="2026-06-15", checkout_at="2026-06-01")
    )
    assert reversed_dates.json()["data"]["nights"] == 0
    optional = make(("users-email-optional",)).post("/v1/users", headers=MAIN, json=user_body(email=...))
    assert optional.json()["data"]["email"] is None
    nameless = make(("listing-name-optional",)).post(L, headers=MAIN, json=listing_body(name=...))
    assert nameless.json()["data"]["name"] == ""
    unbounded = make(("list-per-page-unbounded",)).get(f"{L}?per_page=500&page=-3", headers=MAIN)
    assert unbounded.json()["meta"]["pagination"]["per_page"] == 500
    assert unbounded.json()["meta"]["pagination"]["current_page"] == 1
    assert make(("list-long-q-500",)).get(L, headers=MAIN, params={"q": "a" * 256}).status_code == 500
    replaced = make(("patch-replaces",))
    replaced.patch(f"{L}/101", headers=MAIN, json={"name": "Only"})
    assert listing(replaced, 101) == {
        **listing(replaced, 101),
        "name": "Only",
        "original_id": None,  # type: ignore[arg-type]
        "listing_status": "draft",
        "room_types": [],
    }
    nulled = make(("patch-null-accepted",))
    assert nulled.patch(f"{L}/101", headers=MAIN, json={"name": None}).json()["data"]["name"] is None
    assert listing(nulled, 101)["name"] is None  # type: ignore[index]
    any_host = make(("upsert-match-any-host",))
    assert (
        any_host.post(L, headers=OTHER, json=listing_body("seed-h1-01", name="Hijacked")).json()["data"]["id"]
        == 101
    )
    assert listing(any_host, 101)["name"] == "Hijacked"  # type: ignore[index]
    never = make(("upsert-never-matches",))
    assert never.post(L, headers=MAIN, json=listing_body("seed-h1-01")).status_code == 201
    assert never.post(L, headers=MAIN, json=listing_body("seed-h1-07")).status_code == 409  # inactive
    conflict = make(("conflict-type",)).post(L, headers=MAIN, json=listing_body("seed-h1-07")).json()["error"]
    assert (conflict["type"], conflict["errors"]) == ("conflict", [])
    updated = make(("upsert-inactive-updated",))
    assert (
        updated.post(L, headers=MAIN, json=listing_body("seed-h1-07", name="Up")).json()["data"]["action"]
        == "updated"
    )
    search = make(("search-all-hosts",))
    assert {i["id"] for i in listed(search, OTHER)} == {113, 114, 115, 116}


def test_new_fault_details() -> None:
    """The exact shapes of the list, idempotency, message and rate-limit faults."""
    off = make(("page-off-by-one",)).get(L, headers=MAIN, params={"per_page": 5}).json()
    assert [i["id"] for i in off["data"]] == DEFAULT_ORDER[5:10]
    assert (off["meta"]["pagination"]["from"], off["meta"]["pagination"]["to"]) == (1, 5)
    overlap = make(("pages-overlap",))
    page2 = overlap.get(L, headers=MAIN, params={"per_page": 5, "page": 2}).json()["data"]
    assert [i["id"] for i in page2] == DEFAULT_ORDER[4:9]
    floor = make(("last-page-floor",)).get(L, headers=MAIN, params={"per_page": 5}).json()
    assert floor["meta"]["pagination"]["last_page"] == 3
    zero = make(("from-zero-based",)).get(L, headers=MAIN, params={"per_page": 5, "page": 2}).json()
    assert (zero["meta"]["pagination"]["from"], zero["meta"]["pagination"]["to"]) == (5, 9)
    assert len(make(("default-per-page-20",)).get(L, headers=MAIN).json()["data"]) == 19
    past = make(("past-end-404",))
    assert past.get(L, headers=MAIN, params={"page": 1}).status_code == 200
    assert error(past.get(L, headers=MAIN, params={"page": 2}))["type"] == "not_found"
    assert [i["id"] for i in listed(make(("default-order-ignores-status",)))][:3] == [104, 110, 122]
    assert [i["id"] for i in listed(make(("default-order-updated-asc",)))][5:7] == [119, 120]
    assert [i["id"] for i in listed(make(("sort-updated-default-asc",)), sort="updated_at")][:2] == [101, 102]
    ignored = make(("sort-order-ignored",))
    assert listed(ignored, sort="updated_at", order="asc")[0]["id"] == 123
    alphabetical = make(("status-rank-alphabetical",))
    assert [i["listing_status"] for i in listed(alphabetical)][4] == "inactive"
    ties = make(("tie-breaker-always-desc",))
    assert [i["id"] for i in listed(ties, sort="updated_at", order="asc")][-3:] == [122, 121, 123]
    assert [i["id"] for i in listed(ties, sort="updated_at")][:3] == [123, 122, 121]
    assert [i["id"] for i in listed(ties, sort="name")][2:5] == [122, 123, 121]
    first_only = make(("status-filter-first-only",))
    assert {i["id"] for i in listed(first_only, listing_status=["inactive", "draft"])} == {107, 111}
    wildcards = make(("q-wildcards",))
    assert {i["id"] for i in listed(wildcards, q="100%")} == {104, 110}
    assert {i["id"] for i in listed(wildcards, q="Room_Share")} == {105, 106}
    assert {i["id"] for i in listed(wildcards, q="%")} == HOST1_IDS
    assert {i["id"] for i in listed(make(("q-prefix-only",)), q="sunny")} == {101, 102, 103}
    # idempotency
    across = make(("idempotency-replay-across-keys",))
    assert across.post(L, headers=keyed("x"), json=listing_body("a-1")).status_code == 201
    assert across.post(L, headers=keyed("x", OTHER), json=listing_body("a-2")).status_code == 409
    typed = make(("idempotency-mismatch-type",))
    typed.post(L, headers=keyed("x"), json=listing_body("t-1"))
    assert error(typed.post(L, headers=keyed("x"), json=listing_body("t-2")))["type"] == "conflict_error"
    cached = make(("idempotency-errors-cached",))
    assert cached.post(L, headers=keyed("x"), json=listing_body("e-1", name=...)).status_code == 422
    replayed = cached.post(L, headers=keyed("x"), json=listing_body("e-1"))
    assert (replayed.status_code, paths(replayed)) == (422, ["name"])
    assert cached.post(L, headers=keyed("y"), json=listing_body("e-2")).status_code == 201
    assert cached.post(L, headers=keyed("y"), json=listing_body("e-2")).status_code == 201  # replayed
    honour = make(("messages-honour-idempotency-key",))
    booking_id = honour.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    assert honour.post(path, headers=keyed("m"), json={"message": "a"}).status_code == 201
    mismatch = honour.post(path, headers=keyed("m"), json={"message": "b"})
    assert (mismatch.status_code, error(mismatch)["type"]) == (409, "idempotency_key_mismatch")
    # rate limiting
    for fault, status in (("ratelimit-503", 503), ("ratelimit-no-retry-after", 429)):
        limited = make((fault,), rate_limit=(1, 60.0))
        limited.get(L, headers=MAIN)
        response = limited.get(L, headers=MAIN)
        assert (response.status_code, error(response)["type"]) == (status, "rate_limit_exceeded")
        assert ("retry-after" in response.headers) == (fault == "ratelimit-503")
    doubled = make(("ratelimit-limit-doubled",), rate_limit=(2, 60.0))
    assert [doubled.get(L, headers=MAIN).status_code for _ in range(5)] == [200] * 4 + [429]
    counting = make(("ratelimit-headers-inconsistent",), rate_limit=(3, 60.0))
    seen = [counting.get(L, headers=MAIN).headers for _ in range(4)]
    assert [(h["x-ratelimit-limit"], h["x-ratelimit-remaining"]) for h in seen] == [
        ("3", "1"),
        ("3", "2"),
        ("3", "3"),
        ("3", "3"),
    ]
    stuck = make(("ratelimit-stuck",), rate_limit=(1, 0.2))
    assert [stuck.get(L, headers=MAIN).status_code for _ in range(2)] == [200, 429]
    time.sleep(0.3)
    refused = stuck.get(L, headers=MAIN)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) == 1
    assert stuck.get(L, headers=OTHER).status_code == 200
