"""The Coliving rules judged from observed traffic (apiconform check, apiconform proxy), with the
check functions the live suites use. What each rule looks at, and what it leaves alone so that no
conformant server fails (the readings of suites/coliving/readings.toml hold here too):

- envelopes, on the documented operations only (a path the document does not show may answer
  anything), a 429 excepted (the throttled response is not documented): 2xx bodies are the
  success envelope, 4xx/5xx the error envelope with well-formed errors[] items; a JSON media type
  is the SHOULD; a 5xx is the SHOULD no-server-error; a 422 naming fields carries validation_error;
- request ids: the body's request_id (SHOULD); a sent X-Request-Id echoed in the header or the
  body (MUST on POST and PATCH /v1/listings, SHOULD elsewhere); header and body agreeing, and
  generated ids distinct (SHOULDs; requests with an Idempotency-Key are left out: a replay may
  carry the first answer's id in its body and a new one in its header);
- GET /v1/listings pages: the list shape; the defaults (no page, no per_page: page 1 of 50);
  `meta.pagination` arithmetic for queries within the documented bounds; a value outside them
  refused or answered within them; a listing_status filter (one value, or the array syntax)
  honoured;
- Idempotency-Key: on the same credential, method and path, a later request with the same bytes
  after a 2xx gets the same data (200 or 201), one with another JSON body gets 409
  idempotency_key_mismatch (booking messages ignore the header, and are left out); credentials
  masked in the recording cannot be told apart, so then nothing is judged;
- 429s carry Retry-After (SHOULD); POST /v1/users and /v1/bookings without an Idempotency-Key
  answer 201 when they succeed, and a created user carries no password (SHOULD).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from apiconform.checks.envelope import error_body, success_data
from apiconform.checks.expect import check, expect_schema, fail
from apiconform.checks.pagination import Page, check_page_arithmetic
from apiconform.checks.ratelimit import retry_after_seconds
from apiconform.observed.common import entry_name, no_server_error
from apiconform.observed.observation import NOT_KEPT, Observed
from apiconform.observed.observer import Observer
from apiconform.observed.tally import Tally
from apiconform.profile import Profile
from apiconform.providers.coliving.listquery import ENUMS, MAX_PER_PAGE, MAX_Q, check_bounds_kept
from apiconform.schemastore import store

#: the documented operations: method -> path pattern
OPERATIONS: dict[str, re.Pattern[str]] = {
    "GET": re.compile(r"/v1/listings"),
    "POST": re.compile(
        r"/v1/(listings|users|bookings|bookings/[^/]+/messages|integrations/[^/]+/provider-key)"
    ),
    "PATCH": re.compile(r"/v1/listings/[^/]+"),
}
TRACED = re.compile(r"/v1/listings(/[^/]+)?")
MESSAGES = re.compile(r"/v1/bookings/[^/]+/messages")
#: how long an Idempotency-Key is kept (coliving-api.txt: 24 hours)
IDEMPOTENCY_WINDOW = 24 * 3600
#: recorded start times are whole milliseconds (HAR): a request starting within one of the first's
#: end is taken as sent after it
CLOCK_RESOLUTION = 0.001
#: keys remembered at most (past it, new keys are not judged)
MAX_KEYS = 200_000


def documented(seen: Observed) -> bool:
    pattern = OPERATIONS.get(seen.method)
    return pattern is not None and pattern.fullmatch(seen.path) is not None


def what(seen: Observed) -> str:
    return entry_name(seen)


def body_request_id(body: object) -> str | None:
    """The request id a body carries (meta.request_id, or error.request_id)."""
    if not isinstance(body, dict):
        return None
    holder = body.get("meta") if "meta" in body else body.get("error")
    value = holder.get("request_id") if isinstance(holder, dict) else None
    return value if isinstance(value, str) else None


def _digest(value: object) -> bytes:
    return hashlib.blake2b(repr(value).encode(), digest_size=12).digest()


class Envelopes(Observer):
    """Envelopes, media type, server errors and validation errors on the documented operations."""

    needs: ClassVar[Mapping[str, str]] = {
        "coliving.envelope.success-shape": "a 2xx answer of a documented operation with its body",
        "coliving.envelope.error-shape": "an error answer (not 429) of a documented operation with its body",
        "coliving.envelope.error-items-shape": "an error answer with errors[] items",
        "coliving.envelope.json-media-type": "a documented operation answered with a body",
        "coliving.errors.no-server-error": "an answered request",
        "coliving.errors.validation-error-type": "a 422 naming fields in errors[]",
    }

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def observe(self, seen: Observed, tally: Tally) -> None:
        response = seen.response
        no_server_error("coliving.errors.no-server-error", seen, tally)
        if not documented(seen) or seen.status == 429 or seen.method == "HEAD":
            return
        body = seen.json()
        if body is NOT_KEPT:
            return
        schemas = store(self.profile.name)
        if seen.exchange.response_body.strip():
            with tally.check("coliving.envelope.json-media-type"):
                content_type = seen.header("content-type") or ""
                check(
                    content_type.split(";")[0].strip().lower() == "application/json",
                    f"{what(seen)}: Content-Type is {content_type!r}, not application/json",
                    response,
                )
        if 200 <= seen.status < 300:
            with tally.check("coliving.envelope.success-shape"):
                expect_schema(schemas, self.profile.success_envelope, body, f"{what(seen)}: body", response)
        elif seen.status >= 400:
            with tally.check("coliving.envelope.error-shape"):
                expect_schema(schemas, self.profile.error_envelope, body, f"{what(seen)}: body", response)
            items = self.profile.error_items(body)
            if items:
                with tally.check("coliving.envelope.error-items-shape"):
                    for index, item in enumerate(items):
                        missing = [k for k in ("path", "code", "message") if not isinstance(item.get(k), str)]
                        check(
                            not missing,
                            f"{what(seen)}: error.errors[{index}] lacks string {', '.join(missing)}",
                            response,
                        )
                if seen.status == 422:
                    with tally.check("coliving.errors.validation-error-type"):
                        error_body(
                            self.profile, response, what(seen), status=422, error_type="validation_error"
                        )


class RequestIds(Observer):
    """Request ids: present, echoed, consistent, distinct."""

    needs: ClassVar[Mapping[str, str]] = {
        "coliving.envelope.request-id-present": "a documented operation answered with a JSON body",
        "coliving.envelope.request-id-echo": "POST or PATCH /v1/listings sent with an X-Request-Id",
        "coliving.envelope.request-id-echo-all": "another request sent with an X-Request-Id",
        "coliving.envelope.request-id-consistent": "a response with a request id in header and body",
        "coliving.envelope.request-id-unique": "two responses with generated request ids",
    }

    def __init__(self) -> None:
        self.generated: dict[bytes, int] = {}

    def observe(self, seen: Observed, tally: Tally) -> None:
        if not documented(seen) or seen.method == "HEAD":
            return
        response = seen.response
        body = seen.json()
        in_body = body_request_id(body) if body is not NOT_KEPT else None
        in_header = seen.header("x-request-id")
        if body is not NOT_KEPT and isinstance(body, dict) and seen.status != 429:
            with tally.check("coliving.envelope.request-id-present"):
                check(in_body, f"{what(seen)}: the body carries no request_id", response)
        replayable = bool(seen.request_header("idempotency-key"))
        if in_body and in_header and not replayable:  # a replay may carry the first answer's body id
            with tally.check("coliving.envelope.request-id-consistent"):
                check(
                    in_body == in_header,
                    f"{what(seen)}: X-Request-Id {in_header!r} but body request_id {in_body!r}",
                    response,
                )
        sent = seen.request_header("x-request-id")
        if sent:
            if body is NOT_KEPT and not in_header:
                return
            documented_trace = seen.method in ("POST", "PATCH") and TRACED.fullmatch(seen.path) is not None
            rule = (
                "coliving.envelope.request-id-echo"
                if documented_trace
                else "coliving.envelope.request-id-echo-all"
            )
            with tally.check(rule):
                check(
                    sent in (in_body, in_header),
                    f"{what(seen)}: the sent X-Request-Id {sent!r} is echoed neither in the X-Request-Id "
                    f"header ({in_header!r}) nor as the body's request_id ({in_body!r})",
                    response,
                )
            return
        generated = in_header or in_body
        if generated and not replayable and len(self.generated) < MAX_KEYS:
            key = _digest(generated)
            if key in self.generated:
                with tally.check("coliving.envelope.request-id-unique"):
                    fail(
                        f"{what(seen)}: request id {generated!r} was given before, "
                        f"to entry {self.generated[key]}",
                        response,
                    )
            else:
                if self.generated:
                    tally.judged("coliving.envelope.request-id-unique")
                self.generated[key] = seen.index


def _query_values(query: Mapping[str, list[str]], name: str) -> list[str]:
    return list(query.get(name, ()))


def _value_in_bounds(name: str, value: str) -> bool:
    bare = name.removesuffix("[]")
    if bare in ("page", "per_page"):
        return value.isdigit() and int(value) >= 1 and (bare == "page" or int(value) <= MAX_PER_PAGE)
    if bare in ENUMS:
        return value in ENUMS[bare]
    if bare == "q":
        return len(value.encode()) <= MAX_Q and value.isprintable()
    return True


def _in_bounds(query: Mapping[str, list[str]]) -> bool | None:
    """True when every documented list parameter is within its bounds, False when one is
    outside them, None when the query repeats a parameter (read as the last or as an array)."""
    if any(len(values) > 1 and not name.endswith("[]") for name, values in query.items()):
        return None
    return all(_value_in_bounds(name, value) for name, values in query.items() for value in values)


class Listings(Observer):
    """GET /v1/listings pages: shape, defaults, arithmetic, bounds, the status filter."""

    needs: ClassVar[Mapping[str, str]] = {
        "coliving.listings.list-shape": "a GET /v1/listings answered 200 with its body",
        "coliving.pagination.defaults": "a GET /v1/listings without page and per_page answered 200",
        "coliving.pagination.meta-consistent": "a GET /v1/listings within the documented bounds answered 200",
        "coliving.pagination.per-page-range": "a GET /v1/listings with per_page answered",
        "coliving.schema.list-bounds-kept": "a GET /v1/listings with a value outside the documented bounds",
        "coliving.filtering.listing-status": "a GET /v1/listings with a listing_status filter answered 200",
    }

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def observe(self, seen: Observed, tally: Tally) -> None:
        if seen.method != "GET" or seen.path != "/v1/listings" or seen.json() is NOT_KEPT:
            return
        profile, response, query = self.profile, seen.response, seen.query
        bounded = _in_bounds(query)
        if bounded is False:
            with tally.check("coliving.schema.list-bounds-kept"):
                check_bounds_kept(profile, response, what(seen))
            if "per_page" in query:
                with tally.check("coliving.pagination.per-page-range"):
                    check_bounds_kept(profile, response, what(seen))
            return
        if seen.status != 200:
            return
        with tally.check("coliving.listings.list-shape"):
            success_data(profile, response, what(seen), status=200)
            expect_schema(store(profile.name), "listings-page", response.json(), what(seen), response)
        if bounded is None:
            return
        items, info = profile.parse_page(response)
        page = int(query["page"][0]) if "page" in query else 1
        per_page = int(query["per_page"][0]) if "per_page" in query else None
        if per_page is None and "page" not in query:
            with tally.check("coliving.pagination.defaults"):
                check(
                    (info.current_page, info.per_page) == (1, 50),
                    f"{what(seen)} without page and per_page: current_page {info.current_page}, "
                    f"per_page {info.per_page} (expected 1, 50)",
                    response,
                )
        if per_page is not None:
            with tally.check("coliving.pagination.per-page-range"):
                check(
                    info.per_page == per_page and len(items) <= per_page,
                    f"{what(seen)}: per_page={per_page} served as {info.per_page} with {len(items)} items",
                    response,
                )
        size = per_page if per_page is not None else info.per_page
        if size is not None:
            with tally.check("coliving.pagination.meta-consistent"):
                check_page_arithmetic(Page(page, items, info, response), page_number=page, per_page=size)
        statuses = _query_values(query, "listing_status") or _query_values(query, "listing_status[]")
        if statuses:
            with tally.check("coliving.filtering.listing-status"):
                wrong = [
                    item.get("listing_status")
                    for item in items
                    if isinstance(item, dict) and item.get("listing_status") not in statuses
                ]
                check(
                    not wrong,
                    f"{what(seen)}: listing_status {statuses} also lists {sorted(set(map(str, wrong)))[:4]}",
                    response,
                )


class Idempotency(Observer):
    """Idempotency-Key replays and mismatches seen in the traffic (see the module docstring)."""

    needs: ClassVar[Mapping[str, str]] = {
        "coliving.idempotency.replay-identical": (
            "a request repeated with the same Idempotency-Key and body after a 2xx, on one credential "
            "the recording does not mask"
        ),
        "coliving.idempotency.mismatch-409": (
            "a used Idempotency-Key sent with another JSON body after a 2xx, on one credential the "
            "recording does not mask"
        ),
    }

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        #: (credential, key, method, path) -> (raw body digest, JSON digest, data digest, index, end)
        self.first: dict[bytes, tuple[bytes, bytes, bytes, int, float | None]] = {}

    def observe(self, seen: Observed, tally: Tally) -> None:
        key = seen.request_header("idempotency-key")
        if not key or seen.credential is None or seen.method != "POST" or MESSAGES.fullmatch(seen.path):
            return
        if not documented(seen):
            return
        body = seen.json()
        if body is NOT_KEPT:
            return
        slot = _digest((seen.credential, key, seen.method, seen.path))
        raw = _digest(seen.request_body)
        parsed = _digest(_canonical(seen.request_json()))
        earlier = self.first.get(slot)
        if earlier is None:
            if 200 <= seen.status < 300 and len(self.first) < MAX_KEYS:
                data = self.profile.success_data(body)
                self.first[slot] = (raw, parsed, _digest(_canonical(data)), seen.index, seen.finished())
            return
        first_raw, first_parsed, first_data, first_index, first_end = earlier
        if (
            seen.started is not None
            and first_end is not None
            and (seen.started + CLOCK_RESOLUTION < first_end or seen.started - first_end > IDEMPOTENCY_WINDOW)
        ):
            return  # concurrent with the first, or past the key's lifetime: nothing to judge
        if raw == first_raw:
            with tally.check("coliving.idempotency.replay-identical"):
                data = success_data(
                    self.profile, seen.response, f"{what(seen)} (a replay)", status=(200, 201)
                )
                check(
                    _digest(_canonical(data)) == first_data,
                    f"{what(seen)}: the replay of entry {first_index} (same Idempotency-Key {key!r} "
                    "and body) answers other data",
                    seen.response,
                )
        elif parsed != first_parsed:
            with tally.check("coliving.idempotency.mismatch-409"):
                error_body(
                    self.profile,
                    seen.response,
                    f"{what(seen)}: Idempotency-Key {key!r} of entry {first_index} with another body",
                    status=409,
                    error_type="idempotency_key_mismatch",
                )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class Writes(Observer):
    """Create statuses, passwords, throttled answers."""

    needs: ClassVar[Mapping[str, str]] = {
        "coliving.users.create-201": "a POST /v1/users without an Idempotency-Key that succeeded",
        "coliving.users.password-not-returned": "a POST /v1/users that succeeded",
        "coliving.bookings.create-201": "a POST /v1/bookings without an Idempotency-Key that succeeded",
        "coliving.ratelimit.retry-after": "a 429",
    }

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def observe(self, seen: Observed, tally: Tally) -> None:
        response = seen.response
        if seen.status == 429:
            with tally.check("coliving.ratelimit.retry-after"):
                check(
                    retry_after_seconds(response) is not None,
                    f"{what(seen)}: 429 without a usable Retry-After ({seen.header('retry-after')!r})",
                    response,
                )
        if (
            seen.method != "POST"
            or seen.path not in ("/v1/users", "/v1/bookings")
            or not 200 <= seen.status < 300
        ):
            return
        name = seen.path.rsplit("/", 1)[1]
        if not seen.request_header("idempotency-key"):
            with tally.check(f"coliving.{name}.create-201"):
                check(seen.status == 201, f"{what(seen)}: a create answered {seen.status}, not 201", response)
                if name == "users":
                    success_data(self.profile, response, what(seen), status=201, data_schema="user")
        body = seen.json()
        if name == "users" and body is not NOT_KEPT:
            with tally.check("coliving.users.password-not-returned"):
                data = self.profile.success_data(body)
                check(
                    not (isinstance(data, dict) and "password" in data),
                    f"{what(seen)}: the created user carries its password",
                    response,
                )


def observers(profile: Profile, options: Mapping[str, object]) -> list[Observer]:
    """Coliving's observers (apiconform.observed.observer)."""
    return [Envelopes(profile), RequestIds(), Listings(profile), Idempotency(profile), Writes(profile)]
