"""The Coliving server's fault cases, for the generic fault tests (tests/reference/test_faults.py).

`FAULT_CASES` holds, for every fault of the catalogue in its order, a scenario run against a fresh
server started with the given faults (its own client options, such as a short rate-limit window,
included) and the test its observation passes on a conformant server; `make(faults)` is a client of
a fresh server with those faults.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from apiconform.providers.coliving import samples
from apiconform.reference.serving import RunningServer
from tests.reference.coliving.helpers import (
    DEFAULT_ORDER,
    EXPIRED,
    HOST1_IDS,
    INACTIVE,
    LEGACY,
    MAIN,
    NO_READ,
    OTHER,
    READ,
    SECOND_STAMP,
    L,
    TestClient,
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

#: a run against a client of a server
Run = Callable[[TestClient], Any]
#: what a fault's case runs: a fresh server with the given faults, and what it observed there
Scenario = Callable[[tuple[str, ...]], Any]
Conformant = Callable[[Any], bool]
FaultCase = tuple[str, Scenario, Conformant]

__all__ = ["FAULT_CASES", "make"]


def case(fault: str, run: Run, conformant: Conformant, **options: Any) -> FaultCase:
    """`fault`'s case: `run` against a fresh server started with the given faults and `options`
    (those of `make`), and `conformant`."""
    return fault, lambda faults: run(make(faults, **options)), conformant


def _status(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Run:
    return lambda c: c.request(method, path, headers=headers, **kwargs).status_code


def _error_of(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Run:
    def run(c: TestClient) -> Any:
        response = c.request(method, path, headers=headers, **kwargs)
        return response.status_code, response.json()

    return run


def _missing_key_body(c: TestClient) -> Any:
    response = c.get(L)
    return response.status_code, response.json()


def _request_ids(c: TestClient) -> Any:
    first, second = c.get(L, headers=MAIN), c.get(L, headers=MAIN)
    return [(r.headers.get("x-request-id"), r.json()["meta"].get("request_id")) for r in (first, second)]


def _traced(c: TestClient) -> Any:
    response = c.get(L, headers={**MAIN, "X-Request-Id": "trace-1"})
    return response.headers.get("x-request-id"), response.json()["meta"].get("request_id")


def _patch_then_read(body: Any, listing_id: int = 101, headers: dict[str, str] = MAIN) -> Run:
    def run(c: TestClient) -> Any:
        response = c.patch(f"{L}/{listing_id}", headers=headers, json=body)
        return response.status_code, response.json().get("data"), listing(c, listing_id)

    return run


def _other_host_upsert(c: TestClient) -> Any:
    response = c.post(L, headers=OTHER, json=listing_body("seed-h1-01", name="Host Two Copy"))
    return response.json()["data"]["id"], listing(c, 101)["name"]  # type: ignore[index]


def _upsert_update(c: TestClient) -> Any:
    response = c.post(L, headers=MAIN, json=listing_body("seed-h1-01", name="Renamed by upsert"))
    return response.status_code, response.json()["data"]["id"], listing(c, 101)["name"]  # type: ignore[index]


def _inactive_upsert(c: TestClient) -> Any:
    response = c.post(L, headers=MAIN, json=listing_body("seed-h1-07", name="Revived"))
    return response.status_code, response.json(), listing(c, 107)["name"]  # type: ignore[index]


def _user(**over: Any) -> Run:
    def run(c: TestClient) -> Any:
        sent = user_body(**over)
        response = c.post("/v1/users", headers=MAIN, json=sent)
        return sent, response.status_code, response.text, response.json()

    return run


def _booking(**over: Any) -> Run:
    def run(c: TestClient) -> Any:
        sent = booking_body(**over)
        response = c.post("/v1/bookings", headers=MAIN, json=sent)
        return sent, response.status_code, response.json()

    return run


def _conformant_user(observed: Any) -> bool:
    sent, status, text, body = observed
    data = body.get("data", {})
    return (
        status == 201
        and isinstance(data["user_id"], int)
        and data["status"] == 1
        and "password" not in data
        and sent["password"] not in text
        and all(data[k] == sent[k] for k in sent if k != "password")
    )


def _conformant_booking(observed: Any) -> bool:
    sent, status, body = observed
    data = body.get("data", {})
    return (
        status == 201
        and data["nights"] == 14
        and data["checkin_at"] == sent["checkin_at"]
        and data["checkout_at"] == sent["checkout_at"]
    )


def _is_422_at(path: str) -> Callable[[Any], bool]:
    def check(observed: Any) -> bool:
        status, body = observed[-2:] if len(observed) > 2 else observed
        error_obj = body.get("error", {}) if isinstance(body, dict) else {}
        return (
            status == 422
            and error_obj.get("type") == "validation_error"
            and path in [i.get("path") for i in error_obj.get("errors", [])]
        )

    return check


def _user_422(observed: Any) -> bool:
    return _is_422_at("email")(observed[1::2])


def _booking_422(path: str) -> Callable[[Any], bool]:
    return lambda observed: _is_422_at(path)(observed[1:])


def _listed_room_types(c: TestClient) -> Any:
    return "room_types" in c.get(L, headers=MAIN).json()["data"][0]


def _new_listing(c: TestClient) -> Any:
    response = c.post(L, headers=MAIN, json=listing_body("fresh-1"))
    return response.status_code, response.json()["data"]["action"]


def _upsert_and_patch_match(c: TestClient) -> Any:
    upsert = c.post(L, headers=MAIN, json=listing_body("fresh-2")).json()["data"]
    patch = c.patch(f"{L}/{upsert['id']}", headers=MAIN, json={"name": "x"}).json()["data"]
    return "match" in upsert, "match" in patch


def _list_queries(*queries: str) -> Run:
    return lambda c: [c.get(f"{L}?{query}", headers=MAIN).status_code for query in queries]


def _listing_422(body: dict[str, Any], path: str) -> tuple[Run, Conformant]:
    def run(c: TestClient) -> Any:
        response = c.post(L, headers=MAIN, json=body)
        return response.status_code, response.json()

    return run, _is_422_at(path)


NO_ROOM_TYPES = _listing_422(listing_body("r-1", room_types=[]), "room_types")
BAD_ROOM_TYPE = _listing_422(
    listing_body("r-2", room_types=[room_type(kind="suite")]), "room_types.0.room_type"
)
ZERO_PRICE = _listing_422(
    listing_body("r-3", room_types=[room_type(base_price=0)]), "room_types.0.prices.base_price"
)
NO_NAME = _listing_422(listing_body("r-4", name=...), "name")
SEED_101 = {"id": 101, "name": "Sunny Apartment", "listing_status": "published"}


def _kept(observed: Any, **expected: Any) -> bool:
    status, _, item = observed
    return status == 200 and all(item[k] == v for k, v in expected.items())


# pagination, sorting and filtering


def _walk(per_page: int, **params: Any) -> Run:
    """Pages 1.. until current_page equals last_page (at most 10): ids in order, and per page
    its meta.pagination and item count."""

    def run(c: TestClient) -> Any:
        ids: list[int] = []
        pages: list[tuple[dict[str, Any], int]] = []
        for number in range(1, 11):
            body = c.get(L, headers=MAIN, params={**params, "per_page": per_page, "page": number}).json()
            ids += [item["id"] for item in body["data"]]
            pages.append((body["meta"]["pagination"], len(body["data"])))
            if body["meta"]["pagination"]["current_page"] >= body["meta"]["pagination"]["last_page"]:
                break
        return ids, pages

    return run


def _walked_once(observed: Any) -> bool:
    ids, _ = observed
    return ids == DEFAULT_ORDER


def _meta_consistent(observed: Any) -> bool:
    _, pages = observed
    for meta, count in pages:
        page, per_page, total = meta["current_page"], meta["per_page"], meta["total"]
        expected = max(0, min(per_page, total - (page - 1) * per_page))
        first = (page - 1) * per_page + 1
        if meta["last_page"] != max(1, -(-total // per_page)) or count != expected:
            return False
        if (meta["from"], meta["to"]) != ((first, first + count - 1) if count else (None, None)):
            return False
    return True


def _ids(**params: Any) -> Run:
    return lambda c: [item["id"] for item in listed(c, **params)]


def _found(query: str) -> Run:
    def run(c: TestClient) -> Any:
        response = c.get(f"{L}?{query}", headers=MAIN)
        return response.status_code, {item["id"] for item in response.json().get("data") or []}

    return run


# idempotency and booking messages


def _posts(path: str, *requests: tuple[dict[str, str], Any]) -> Run:
    """POST each (headers, body) in turn: (status, data or error type) of each, and the store sizes."""

    def run(c: TestClient) -> Any:
        answers = []
        for headers, body in requests:
            response = c.post(path, headers=headers, json=body)
            payload = response.json()
            answers.append((response.status_code, payload.get("data") or payload["error"]["type"]))
        store = server_of(c).store
        return answers, len(store.users), len(store.bookings), len(store.listings)

    return run


def _first_two_created_alike(observed: Any) -> bool:
    (first, second), *_ = observed
    return bool(first[0] == 201 and second == first)


def _concurrent_bookings(c: TestClient) -> Any:
    """Three bookings with one Idempotency-Key and body, released at once from threads through a
    real uvicorn server: the booking ids answered, and the bookings stored."""
    barrier = threading.Barrier(3)
    answers: list[Any] = [None] * 3
    with RunningServer(c.app) as server:

        def send(index: int) -> None:
            with httpx.Client(base_url=server.base_url) as client:
                barrier.wait(timeout=10)
                response = client.post("/v1/bookings", headers=keyed("together"), json=booking_body())
                answers[index] = response.json()["data"]["booking_id"]

        threads = [threading.Thread(target=send, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    return set(answers), len(server_of(c).store.bookings)


def _messages(*texts: str, key: str | None = None) -> Run:
    """A new booking, then each text posted to it: (status, message_id) of each, and the count stored."""

    def run(c: TestClient) -> Any:
        booking_id = c.post("/v1/bookings", headers=MAIN, json=booking_body()).json()["data"]["booking_id"]
        headers = MAIN if key is None else keyed(key)
        answers = []
        for text in texts:
            response = c.post(f"/v1/bookings/{booking_id}/messages", headers=headers, json={"message": text})
            answers.append((response.status_code, (response.json().get("data") or {}).get("message_id")))
        return answers, len(server_of(c).store.messages[booking_id])

    return run


# rate limiting (these faults' scenarios run with RATE_LIMIT: 3 requests per 0.5 s)

RATE_LIMIT = (3, 0.5)


def _burst(c: TestClient) -> Any:
    """Four requests of one key, then one of another key: statuses, the 4th answer's headers and
    envelope, and the X-RateLimit-Remaining values seen."""
    responses = [c.get(L, headers=MAIN) for _ in range(4)]
    other = c.get(L, headers=OTHER)
    remaining = [r.headers.get("x-ratelimit-remaining") for r in responses]
    last = responses[-1]
    return [r.status_code for r in responses], other.status_code, last.headers, last.json(), remaining


def _throttled_then_waits(c: TestClient) -> Any:
    statuses = [c.get(L, headers=MAIN).status_code for _ in range(4)]
    time.sleep(RATE_LIMIT[1] + 0.1)
    return statuses, c.get(L, headers=MAIN).status_code


def _remaining_never_grows(observed: Any) -> bool:
    values = [int(v) for v in observed[-1][:3] if v is not None]
    return all(later <= earlier for earlier, later in itertools.pairwise(values))


def _answer(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Run:
    """(status, data or error object, headers) of one request."""

    def run(c: TestClient) -> Any:
        response = c.request(method, path, headers=headers, **kwargs)
        body = response.json()
        return response.status_code, body.get("data") or body.get("error"), response.headers

    return run


def _stored_fields(listing_id: int, body: dict[str, Any]) -> Run:
    """PATCH `body` to the listing: (status, the fields the server then stores)."""

    def run(c: TestClient) -> Any:
        response = c.patch(f"{L}/{listing_id}", headers=MAIN, json=body)
        return response.status_code, dict(server_of(c).store.listings[listing_id].fields)

    return run


def _one_key_two_endpoints(c: TestClient) -> Any:
    """A user, then a booking, with one Idempotency-Key: both statuses."""
    first = c.post("/v1/users", headers=keyed("shared"), json=user_body())
    second = c.post("/v1/bookings", headers=keyed("shared"), json=booking_body())
    return first.status_code, second.status_code


STARRED_ONLY = {
    "name": "Starred",
    "room_types": [{"name": "R", "room_type": "private", "prices": {"base_price": 9}}],
}
SHARED = listing_body("shared-1", room_types=[room_type(kind="shared")])
NO_ROOM_TYPE_NAME = _listing_422(
    listing_body("r-5", room_types=[{"room_type": "private", "prices": {"base_price": 900}}]),
    "room_types.0.name",
)
FRACTION_PRICE = _listing_422(
    listing_body("r-6", room_types=[room_type(base_price=900.5)]), "room_types.0.prices.base_price"
)
NO_MATCH = {"matched": False, "method": None, "confidence": {"level": None, "score": None}}
CONFLICT_PATHS = {
    "action",
    "listing_id",
    "match.matched",
    "match.method",
    "match.confidence.level",
    "match.confidence.score",
}


FAULT_CASES: list[FaultCase] = [
    case("x-api-key-ignored", _status("GET", L, MAIN), lambda s: s == 200),
    case("bearer-ignored", _status("GET", L, {"Authorization": "Bearer key-main"}), lambda s: s == 200),
    case("missing-key-served", _status("GET", L), lambda s: s == 401),
    case("missing-key-403", _status("GET", L), lambda s: s == 401),
    case("invalid-key-served", _status("GET", L, {"X-API-Key": "nope"}), lambda s: s == 401),
    case("inactive-key-served", _status("GET", L, INACTIVE), lambda s: s == 401),
    case("auth-error-type", _missing_key_body, lambda o: o[1]["error"]["type"] == "auth_error"),
    case("permissions-ignored", _status("POST", L, READ, json=listing_body("p-1")), lambda s: s == 403),
    case("forbidden-as-401", _status("POST", L, READ, json=listing_body("p-1")), lambda s: s == 403),
    case(
        "forbidden-unnamed",
        _error_of("POST", L, READ, json=listing_body("p-1")),
        lambda o: (
            {"path": "required_permission", "code": "forbidden", "message": "listings.write"}
            in o[1]["error"]["errors"]
        ),
    ),
    case("read-needs-write", _status("GET", L, READ), lambda s: s == 200),
    case(
        "validation-before-auth", _status("POST", "/v1/users", json={"first_name": "x"}), lambda s: s == 401
    ),
    case("write-missing-key-served", _status("POST", "/v1/users", json=user_body()), lambda s: s == 401),
    case(
        "write-invalid-key-served",
        _status("POST", "/v1/users", {"X-API-Key": "nope"}, json=user_body()),
        lambda s: s == 401,
    ),
    case(
        "write-inactive-key-served",
        _status("POST", "/v1/users", INACTIVE, json=user_body()),
        lambda s: s == 401,
    ),
    case(
        "bearer-ignored-on-writes",
        _status("POST", "/v1/users", {"Authorization": "Bearer key-main"}, json=user_body()),
        lambda s: s == 201,
    ),
    case("expired-key-served", _status("GET", L, EXPIRED), lambda s: s == 401),
    case(
        "legacy-aliases-ignored", _status("POST", "/v1/users", LEGACY, json=user_body()), lambda s: s == 201
    ),
    case("read-permission-unchecked", _status("GET", L, NO_READ), lambda s: s == 403),
    case(
        "write-permissions-ignored", _status("POST", "/v1/users", READ, json=user_body()), lambda s: s == 403
    ),
    case("query-key-accepted", _status("GET", f"{L}?api_key=key-main"), lambda s: s == 401),
    case("auth-errors-listed", _missing_key_body, lambda o: o[1]["error"]["errors"] == []),
    case("list-all-hosts", lambda c: {i["id"] for i in listed(c, OTHER)}, lambda ids: not ids & HOST1_IDS),
    case(
        "search-all-hosts",
        lambda c: {i["id"] for i in listed(c, OTHER, q="Sunny Apartment")},
        lambda ids: ids == {113},
    ),
    case("patch-any-host", _patch_then_read({"name": "Taken"}, headers=OTHER), lambda o: o[0] == 404),
    case(
        "patch-other-host-403",
        _error_of("PATCH", f"{L}/101", OTHER, json={"name": "Taken"}),
        lambda o: (o[0], o[1]["error"]["type"]) == (404, "not_found"),
    ),
    case("upsert-match-any-host", _other_host_upsert, lambda o: o[0] != 101 and o[1] == "Sunny Apartment"),
    case(
        "patch-other-host-applied-404",
        _patch_then_read({"name": "Taken"}, headers=OTHER),
        lambda o: o[0] == 404 and o[2]["name"] == "Sunny Apartment",
    ),
    case("success-without-meta", _error_of("GET", L, MAIN), lambda o: isinstance(o[1].get("meta"), dict)),
    case("error-flat", _missing_key_body, lambda o: set(o[1]) == {"error"}),
    case(
        "error-items-unpathed",
        _error_of("POST", "/v1/users", MAIN, json={}),
        lambda o: all(set(i) == {"path", "code", "message"} for i in o[1]["error"]["errors"]),
    ),
    case(
        "error-html-content-type",
        lambda c: c.get(L).headers["content-type"],
        lambda t: t == "application/json",
    ),
    case("no-request-id", _request_ids, lambda ids: all(h and b for h, b in ids)),
    case("request-id-not-echoed", _traced, lambda o: o == ("trace-1", "trace-1")),
    case("request-id-header-mismatch", _request_ids, lambda ids: all(h == b for h, b in ids)),
    case("request-id-constant", _request_ids, lambda ids: ids[0][0] != ids[1][0]),
    case(
        "timestamps-not-rfc3339",
        lambda c: c.get(L, headers=MAIN).json()["data"][0]["updated_at"],
        lambda stamp: SECOND_STAMP.fullmatch(stamp) is not None,
    ),
    case(
        "request-id-missing-on-writes",
        _answer("POST", L, MAIN, json=listing_body("rid-1")),
        lambda o: bool(o[2].get("x-request-id")),
    ),
    case(
        "request-id-not-echoed-on-post",
        _answer("POST", L, {**MAIN, "X-Request-Id": "trace-2"}, json=listing_body("rid-2")),
        lambda o: o[2].get("x-request-id") == "trace-2",
    ),
    case(
        "unknown-listing-500",
        _error_of("PATCH", f"{L}/999999999", MAIN, json={}),
        lambda o: (o[0], o[1]["error"]["type"]) == (404, "not_found"),
    ),
    case(
        "unknown-listing-type",
        _error_of("PATCH", f"{L}/999999999", MAIN, json={}),
        lambda o: (o[0], o[1]["error"]["type"]) == (404, "not_found"),
    ),
    case(
        "not-found-errors-listed",
        _error_of("PATCH", f"{L}/999999999", MAIN, json={"name": "x"}),
        lambda o: o[1]["error"]["errors"] == [],
    ),
    case(
        "unsupported-provider-400",
        _error_of("POST", "/v1/integrations/nope/provider-key", MAIN, json={"provider_api_key": "pk"}),
        lambda o: (o[0], o[1]["error"]["type"]) == (404, "unsupported_provider"),
    ),
    case(
        "validation-type",
        _error_of("POST", "/v1/users", MAIN, json={}),
        lambda o: o[1]["error"]["type"] == "validation_error",
    ),
    case(
        "validation-type-listings",
        _error_of("POST", L, MAIN, json=listing_body("v-1", name=...)),
        lambda o: o[1]["error"]["type"] == "validation_error",
    ),
    case("messages-reworded", _missing_key_body, lambda o: o[1]["error"]["message"] == "API key is required"),
    case("users-200", _user(), _conformant_user),
    case("users-names-swapped", _user(), _conformant_user),
    case("users-inactive", _user(), _conformant_user),
    case("users-email-optional", _user(email=...), _user_422),
    case("users-password-echoed", _user(), _conformant_user),
    case("users-login-amount-zero", _user(), lambda o: o[3]["data"]["login_amount"] == 1),
    case("users-id-string", _user(), _conformant_user),
    case("bookings-200", _booking(), _conformant_booking),
    case(
        "bookings-example-dates",
        _booking(checkin_at="2026-07-01", checkout_at="2026-07-15"),
        _conformant_booking,
    ),
    case("bookings-nights-off-by-one", _booking(), _conformant_booking),
    case("bookings-missing-user-500", _booking(user_id=...), _booking_422("user_id")),
    case("bookings-unknown-user-accepted", _booking(user_id=999999999), _booking_422("user_id")),
    case(
        "bookings-date-order-accepted",
        _booking(checkin_at="2026-06-15", checkout_at="2026-06-01"),
        _booking_422("checkout_at"),
    ),
    case("bookings-type-manual", _booking(), lambda o: o[2]["data"]["type"] == "api_booking"),
    case(
        "bookings-number-unprefixed",
        _booking(),
        lambda o: o[2]["data"]["booking_no"] == f"BKG-{o[2]['data']['booking_id']}",
    ),
    case("bookings-invalid-date-accepted", _booking(checkin_at="2024-13-01"), _booking_422("checkin_at")),
    case("list-items-without-room-types", _listed_room_types, lambda present: present),
    case("upsert-create-200", _new_listing, lambda o: o == (201, "created")),
    case("sample-field-refused", _status("POST", L, MAIN, json=samples.sample_body()), lambda s: s == 201),
    case("shared-room-type-refused", _status("POST", L, MAIN, json=SHARED), lambda s: s == 201),
    case(
        "upsert-match-on-create",
        _answer("POST", L, MAIN, json=listing_body("m-1")),
        lambda o: o[1]["match"] == NO_MATCH,
    ),
    case(
        "preview-link-by-id",
        _answer("POST", L, MAIN, json=listing_body("m-2")),
        lambda o: o[1]["unique_id"] in o[1]["links"]["preview"],
    ),
    case("upsert-never-matches", _upsert_update, lambda o: o[:2] == (200, 101)),
    case("upsert-update-not-stored", _upsert_update, lambda o: o == (200, 101, "Renamed by upsert")),
    case("upsert-inactive-updated", _inactive_upsert, lambda o: o[0] == 409 and o[2] == "Old Town Rooms"),
    case(
        "upsert-inactive-422",
        _inactive_upsert,
        lambda o: o[0] == 409 and o[1]["error"]["type"] == "conflict_error",
    ),
    case(
        "conflict-type",
        _inactive_upsert,
        lambda o: (
            o[1]["error"]["type"] == "conflict_error"
            and {"path": "listing_id", "code": "conflict", "message": "107"} in o[1]["error"]["errors"]
        ),
    ),
    case(
        "conflict-entries-missing",
        _inactive_upsert,
        lambda o: {i["path"] for i in o[1]["error"]["errors"]} == CONFLICT_PATHS,
    ),
    case("upsert-result-without-match", _upsert_and_patch_match, lambda o: o == (True, True)),
    case("listing-name-optional", *NO_NAME),
    case("room-types-empty-accepted", *NO_ROOM_TYPES),
    case("room-type-unchecked", *BAD_ROOM_TYPE),
    case("base-price-zero-accepted", *ZERO_PRICE),
    case("room-type-fields-unchecked", *NO_ROOM_TYPE_NAME),
    case("base-price-fraction-accepted", *FRACTION_PRICE),
    case("recommended-fields-required", _status("POST", L, MAIN, json=STARRED_ONLY), lambda s: s == 201),
    case(
        "base-price-max-100000",
        _status("POST", L, MAIN, json=listing_body("big", room_types=[room_type(base_price=250_000)])),
        lambda s: s == 201,
    ),
    case(
        "patch-replaces",
        _patch_then_read({"name": "Kept"}),
        lambda o: (
            _kept(o, name="Kept", listing_status="published", original_id="seed-h1-01")
            and len(o[2]["room_types"]) == 2
        ),
    ),
    case("patch-not-stored", _patch_then_read({"name": "Stored"}), lambda o: _kept(o, name="Stored")),
    case(
        "patch-drops-unsent-sections",
        _stored_fields(101, {"name": "Only the name"}),
        lambda o: o[0] == 200 and "location" in o[1] and "prices" in o[1],
    ),
    case(
        "patch-full-refused",
        _status("PATCH", f"{L}/101", MAIN, json={"name": "Full", "property_size": 2500, "bedrooms": 10}),
        lambda s: s == 200,
    ),
    case(
        "patch-always-updated",
        _answer("PATCH", f"{L}/101", MAIN, json={"name": "Sunny Apartment"}),
        lambda o: o[1]["action"] == "unchanged",
    ),
    case("patch-action-created", _patch_then_read({"name": "Acted"}), lambda o: o[1]["action"] == "updated"),
    case(
        "patch-null-accepted",
        _patch_then_read({"name": None}),
        lambda o: o[0] == 422 and o[2]["name"] == "Sunny Apartment",
    ),
    case("list-per-page-unbounded", _list_queries("per_page=101", "page=0"), lambda s: s == [422, 422]),
    case("list-sort-unchecked", _list_queries("sort=foo", "order=up"), lambda s: s == [422, 422]),
    case("list-long-q-500", _list_queries("q=" + "a" * 256), lambda s: s == [422]),
    case("list-invalid-400", _list_queries("page=0", "listing_status=foo"), lambda s: s == [422, 422]),
    # pagination
    case("page-off-by-one", _walk(5), lambda o: _walked_once(o) and _meta_consistent(o)),
    case("pages-overlap", _walk(5), _walked_once),
    case("last-page-floor", _walk(5), lambda o: _walked_once(o) and _meta_consistent(o)),
    case("from-zero-based", _walk(5), _meta_consistent),
    case(
        "default-per-page-20",
        lambda c: c.get(L, headers=MAIN).json()["meta"]["pagination"]["per_page"],
        lambda per_page: per_page == 50,
    ),
    case("past-end-404", _found("page=2"), lambda o: o == (200, set())),
    # sorting
    case("default-order-ignores-status", _ids(), lambda ids: ids == DEFAULT_ORDER),
    case("default-order-updated-asc", _ids(), lambda ids: ids == DEFAULT_ORDER),
    case(
        "sort-updated-default-asc",
        _ids(sort="updated_at"),
        lambda ids: ids[:4] == [123, 122, 121, 120],
    ),
    case(
        "sort-order-ignored",
        _ids(sort="id", order="desc"),
        lambda ids: ids == sorted(HOST1_IDS, reverse=True),
    ),
    case(
        "status-rank-alphabetical",
        lambda c: (_ids(sort="listing_status")(c), _ids()(c)),
        lambda o: o[0][3:5] == [121, 105] and o[1] == DEFAULT_ORDER,
    ),
    case(
        "tie-breaker-always-desc",
        _ids(sort="listing_status"),
        lambda ids: ids[:4] == [103, 109, 110, 121],
    ),
    case("order-without-sort-applied", _ids(order="desc"), lambda ids: ids == DEFAULT_ORDER),
    # filtering
    case(
        "status-filter-first-only",
        _found("listing_status=draft&listing_status=inactive"),
        lambda o: o == (200, {103, 109, 110, 121, 107, 111}),
    ),
    case(
        "status-filter-array-ignored", _found("listing_status[]=inactive"), lambda o: o == (200, {107, 111})
    ),
    case(
        "status-filter-repeat-last",
        _found("listing_status=inactive&listing_status=draft"),
        lambda o: o == (200, {103, 107, 109, 110, 111, 121}),
    ),
    case(
        "q-wildcards",
        lambda c: (_found("q=%25")(c), _found("q=_")(c)),
        lambda o: o == ((200, {104}), (200, {105})),
    ),
    case("q-prefix-only", _found("q=apartment"), lambda o: o == (200, {101, 102})),
    case("q-max-254", _found("q=" + "a" * 255), lambda o: o == (200, set())),
    # idempotency
    case(
        "idempotency-no-replay",
        _posts("/v1/bookings", (keyed("k"), booking_body()), (keyed("k"), booking_body())),
        lambda o: _first_two_created_alike(o) and o[2] == 1,
    ),
    case(
        "idempotency-replay-across-keys",
        _posts(L, (keyed("k"), listing_body("across")), (keyed("k", OTHER), listing_body("across"))),
        lambda o: o[0][1][0] == 201 and o[0][1][1]["id"] != o[0][0][1]["id"],
    ),
    case("idempotency-scope-key-only", _one_key_two_endpoints, lambda o: o == (201, 201)),
    case(
        "idempotency-listings-only",
        _posts(
            "/v1/users",
            (keyed("k"), user_body(email="same@example.com")),
            (keyed("k"), user_body(email="same@example.com")),
        ),
        lambda o: _first_two_created_alike(o) and o[1] == 3,
    ),
    case(
        "idempotency-errors-cached",
        _posts("/v1/users", (keyed("k"), user_body(email=...)), (keyed("k"), user_body())),
        lambda o: [status for status, _ in o[0]] == [422, 201],
    ),
    case(
        "idempotency-mismatch-replays",
        _posts(L, (keyed("k"), listing_body("mm")), (keyed("k"), listing_body("mm", name="Other"))),
        lambda o: o[0][1] == (409, "idempotency_key_mismatch"),
    ),
    case(
        "idempotency-mismatch-type",
        _posts(L, (keyed("k"), listing_body("mm")), (keyed("k"), listing_body("mm", name="Other"))),
        lambda o: o[0][1] == (409, "idempotency_key_mismatch"),
    ),
    case(
        "idempotency-long-key-accepted",
        _posts("/v1/users", (keyed("k" * 256), user_body())),
        lambda o: o[0][0][0] == 422 and o[1] == 2,
    ),
    case(
        "idempotency-key-max-254",
        _posts("/v1/users", (keyed("k" * 255), user_body())),
        lambda o: o[0][0][0] == 201,
    ),
    case("idempotency-race", _concurrent_bookings, lambda o: len(o[0]) == 1 and o[1] == 1),
    case(
        "messages-honour-idempotency-key",
        _messages("First note", "Second note", key="k"),
        lambda o: [status for status, _ in o[0]] == [201, 201] and o[1] == 2,
    ),
    # booking messages
    case(
        "messages-no-dedup",
        _messages("Same text", "Same text"),
        lambda o: o[0][1] == (200, o[0][0][1]) and o[1] == 1,
    ),
    case(
        "messages-dedup-any-text",
        _messages("One text", "Another text"),
        lambda o: [status for status, _ in o[0]] == [201, 201] and o[1] == 2,
    ),
    # rate limiting (a window of RATE_LIMIT)
    case("ratelimit-not-enforced", _burst, lambda o: o[0] == [200, 200, 200, 429], rate_limit=RATE_LIMIT),
    case("ratelimit-limit-doubled", _burst, lambda o: o[0] == [200, 200, 200, 429], rate_limit=RATE_LIMIT),
    case("ratelimit-limit-halved", _burst, lambda o: o[0] == [200, 200, 200, 429], rate_limit=RATE_LIMIT),
    case("ratelimit-global", _burst, lambda o: o[1] == 200, rate_limit=RATE_LIMIT),
    case(
        "ratelimit-503",
        _burst,
        lambda o: o[0][3] == 429 and o[3]["error"]["type"] == "rate_limit_exceeded",
        rate_limit=RATE_LIMIT,
    ),
    case(
        "ratelimit-no-retry-after",
        _burst,
        lambda o: o[0][3] == 429 and "retry-after" in o[2],
        rate_limit=RATE_LIMIT,
    ),
    case(
        "ratelimit-stuck",
        _throttled_then_waits,
        lambda o: o == ([200, 200, 200, 429], 200),
        rate_limit=RATE_LIMIT,
    ),
    case("ratelimit-headers-inconsistent", _burst, _remaining_never_grows, rate_limit=RATE_LIMIT),
]
