"""The alternate variant of the Coliving reference server: the other reading at every silence
point of suites/coliving/readings.toml."""

from __future__ import annotations

import itertools
import re

from tests.reference.coliving.helpers import (
    GENERATED_ID,
    MAIN,
    OTHER,
    READ,
    L,
    alt,
    alt_booking_body,
    alt_error,
    alt_listing_body,
    booking_body,
    keyed,
    listed,
    listing,
    listing_body,
    make,
    room_type,
    server_of,
    user_body,
)


def test_alternate_envelopes_request_ids_and_methods() -> None:
    a = alt()
    listed_ = a.get(L, headers={**MAIN, "X-Request-Id": "trace-a"})
    body = listed_.json()
    assert body["success"] is True and "request_id" not in body["meta"]  # ids in the header only
    assert GENERATED_ID.fullmatch(listed_.headers["x-request-id"])  # not echoed: GET lists no X-Request-Id
    patched = a.patch(f"{L}/999999999", headers={**MAIN, "X-Request-Id": "trace-p"}, json={"name": "x"})
    assert patched.headers["x-request-id"] == "trace-p" and "request_id" not in alt_error(patched)
    assert a.head(L, headers=MAIN).status_code == 405  # an operation the document does not show


def test_alternate_requires_x_api_key_on_listing_writes_and_validates_first() -> None:
    a = alt()
    bearer = {"Authorization": "Bearer key-main"}
    assert a.get(L, headers=bearer).status_code == 200
    refused = a.post(L, headers=bearer, json=alt_listing_body("alt-bearer"))
    assert (refused.status_code, alt_error(refused)["type"]) == (401, "auth_error")
    assert a.patch(f"{L}/101", headers=bearer, json={"name": "x"}).status_code == 401
    assert a.post(L, headers={**bearer, **MAIN}, json=alt_listing_body("alt-both")).status_code == 201
    early = a.post("/v1/users", json={"first_name": "x"})  # validation precedes authentication
    assert early.status_code == 422


def test_alternate_takes_a_query_key_and_names_no_permission_for_users_and_bookings() -> None:
    a = alt()
    assert a.get(f"{L}?api_key=key-main").status_code == 200
    assert a.post("/v1/users", headers=READ, json=user_body()).status_code == 201
    assert a.post("/v1/bookings", headers=READ, json=alt_booking_body()).status_code == 201
    assert a.post(L, headers=READ, json=alt_listing_body("alt-read")).status_code == 403


def test_alternate_patch_merges_sections_and_scopes_idempotency_by_resource() -> None:
    a = alt()
    a.patch(f"{L}/101", headers=MAIN, json={"prices": {"security_deposit": 500}})
    assert server_of(a).store.listings[101].fields["prices"] == {"currency": "usd", "security_deposit": 500}
    user = a.post("/v1/users", headers=keyed("shared"), json=user_body())
    booking = a.post("/v1/bookings", headers=keyed("shared"), json=alt_booking_body())
    assert (user.status_code, booking.status_code) == (201, 201)


def test_alternate_timestamps_dates_and_absent_values() -> None:
    a = alt()
    items = {item["id"]: item for item in listed(a)}
    assert items[101]["updated_at"].endswith("+0000") and "original_id" not in items[106]
    user = a.post("/v1/users", headers=MAIN, json=user_body(first_name="ada")).json()["data"]
    assert user["first_name"] == "Ada" and user["date_of_birth"] == "1990-01-01T00:00:00.000000Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", user["created_at"])
    booking = a.post("/v1/bookings", headers=MAIN, json=alt_booking_body()).json()["data"]
    assert (booking["checkin_at"], booking["nights"]) == ("2026-06-01T00:00:00.000000Z", 14)
    rooms = alt_listing_body("alt-rooms", room_types=[room_type(rooms=[{"id": "r1"}])])
    created = a.post(L, headers=MAIN, json=rooms).json()["data"]
    assert listing(a, created["id"])["room_types"][0]["rooms"][0]["name"] is None  # type: ignore[index]


def test_alternate_requires_every_example_field() -> None:
    a = alt()
    user = a.post("/v1/users", headers=MAIN, json=user_body(phone=..., language=...))
    assert (user.status_code, sorted(i["path"] for i in alt_error(user)["errors"])) == (
        422,
        ["language", "phone"],
    )
    booking = a.post("/v1/bookings", headers=MAIN, json=booking_body(message=...))
    assert {i["path"] for i in alt_error(booking)["errors"]} == {"room_type_id", "message"}
    thin = a.post(L, headers=MAIN, json=listing_body("alt-thin"))
    assert {i["path"] for i in alt_error(thin)["errors"]} == {
        "original_url",
        "location.country",
        "descriptions.property",
        "media.photos",
    }
    assert a.post(L, headers=MAIN, json=alt_listing_body("alt-full")).status_code == 201


def test_alternate_bookings_unknown_users_and_patches() -> None:
    a = alt()
    pending = a.post("/v1/bookings", headers=MAIN, json=alt_booking_body(listing_id=105, room_type_id=506))
    assert (pending.status_code, alt_error(pending)["errors"][0]["code"]) == (422, "not_bookable")
    unknown = a.post("/v1/bookings", headers=MAIN, json=alt_booking_body(user_id=999999))
    assert (unknown.status_code, alt_error(unknown)["type"]) == (404, "not_found")
    assert a.post("/v1/bookings", headers=MAIN, json=alt_booking_body()).status_code == 201
    empty = a.patch(f"{L}/101", headers=MAIN, json={})
    assert (empty.status_code, alt_error(empty)["errors"][0]["path"]) == (422, "body")
    publish = a.patch(f"{L}/103", headers=MAIN, json={"status": "published"})
    assert (publish.status_code, alt_error(publish)["errors"][0]["path"]) == (422, "status")
    assert a.patch(f"{L}/103", headers=MAIN, json={"status": "inactive"}).status_code == 200


def test_alternate_original_ids_are_unique_across_hosts_and_provider_errors() -> None:
    a = alt()
    taken = a.post(L, headers=OTHER, json=alt_listing_body("seed-h1-01"))
    assert (taken.status_code, alt_error(taken)["errors"][0]["code"]) == (422, "taken")
    unknown = a.post("/v1/integrations/nope/provider-key", headers=MAIN, json={"provider_api_key": "k"})
    err = alt_error(unknown)
    assert (unknown.status_code, err["type"], err["errors"][0]["code"]) == (
        404,
        "not_found",
        "unsupported_provider",
    )
    read_only = a.post("/v1/integrations/hostaway/provider-key", headers=READ, json={"provider_api_key": "k"})
    assert alt_error(read_only)["errors"][0]["message"] == "integrations.write"


def test_alternate_list_query_reading() -> None:
    a = alt()
    assert a.get(f"{L}?page=&q=%20&sort=", headers=MAIN).status_code == 200  # empty: absent
    assert (
        a.get(f"{L}?page=2&page=1&per_page=%2050%20", headers=MAIN).json()["meta"]["pagination"][
            "current_page"
        ]
        == 1
    )  # the last value, trimmed
    last = {i["id"] for i in listed(a, listing_status=["inactive", "draft"])}
    both = {
        i["id"]
        for i in a.get(
            f"{L}?listing_status[]=inactive&listing_status[]=draft&per_page=100", headers=MAIN
        ).json()["data"]
    }
    assert last < both and {107, 111} <= both - last
    for query in (
        "page=10001",
        "order=asc",
        "q=a%00b",
        f"q={'é' * 128}",
        "listing_status[]=draft&listing_status[]=draft",
    ):
        response = a.get(f"{L}?{query}", headers=MAIN)
        assert (response.status_code, alt_error(response)["type"]) == (400, "bad_request"), query
    assert a.get(f"{L}?q={'x' * 255}", headers=MAIN).status_code == 200
    past = a.get(f"{L}?page=50", headers=MAIN).json()
    assert past["data"] == [] and (past["meta"]["pagination"]["from"], past["meta"]["pagination"]["to"]) == (
        0,
        0,
    )


def test_alternate_default_order_collation_and_ties() -> None:
    a = alt()
    items = listed(a)
    statuses = [status for status, _ in itertools.groupby(i["listing_status"] for i in items)]
    assert statuses == ["published", "pending", "draft", "inactive"]
    drafts = [i["name"] for i in items if i["listing_status"] == "draft"]
    assert drafts == ["1000 Oaks House", "alpha Loft", "Alpine Lodge", "Élan Vital Loft", "Sunny Side Loft"]
    assert {i["id"] for i in listed(a, q="elan")} == {124}
    tied = alt_listing_body("alt-tie-1", name="Tie Loft")
    for original_id in ("alt-tie-1", "alt-tie-2", "alt-tie-3"):
        a.post(L, headers=MAIN, json={**tied, "original_id": original_id})
    orders = {tuple(i["id"] for i in listed(a, q="Tie Loft")) for _ in range(12)}
    assert len(orders) > 1  # ties come in a new order per request
    assert len({tuple(i["id"] for i in listed(a, q="Tie Loft", sort="name")) for _ in range(5)}) == 1


def test_alternate_idempotency_and_messages() -> None:
    a = alt()
    headers = keyed("alt-op")
    first = a.post(L, headers=headers, json=alt_listing_body("alt-idem"))
    replay = a.post(L, headers=headers, json=alt_listing_body("alt-idem"))
    assert (first.status_code, replay.status_code, replay.headers["idempotent-replayed"]) == (
        201,
        201,
        "true",
    )
    long = a.post(L, headers=keyed("k" * 256), json=alt_listing_body("alt-long"))
    assert (long.status_code, alt_error(long)["type"]) == (400, "bad_request")
    booking_id = a.post("/v1/bookings", headers=MAIN, json=alt_booking_body()).json()["data"]["booking_id"]
    path = f"/v1/bookings/{booking_id}/messages"
    wrong = a.post(path, headers=MAIN, json={"message": "Hi"})
    assert (wrong.status_code, alt_error(wrong)["errors"][0]["path"]) == (422, "body")
    sent = a.post(path, headers=MAIN, json={"body": "Hi"})
    assert sent.status_code == 201 and set(sent.json()["data"]) == {"id", "booking_id", "body", "created_at"}
    again = a.post(path, headers=MAIN, json={"body": "Hi"})
    assert (again.status_code, again.json()["data"]["id"]) == (200, sent.json()["data"]["id"])
    assert server_of(a).messages.dedup_seconds == 30


def test_alternate_rate_limit_is_a_fixed_window_without_retry_after() -> None:
    a = make(variant="alternate", rate_limit=(3, 60.0))
    assert [a.get(L, headers=MAIN).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "retry-after" not in a.get(L, headers=MAIN).headers
