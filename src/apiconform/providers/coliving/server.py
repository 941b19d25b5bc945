"""The Coliving reference server: an in-memory Starlette app implementing coliving-api.txt.

`create_app(options)` answers the documented endpoints under /v1 with the canonical envelopes:
`{"data": ..., "meta": {"request_id": ...}}` on success and
`{"error": {"type", "message", "request_id", "errors": [{"path", "code", "message"}]}}` on failure,
always with Content-Type application/json. `options.faults` switches on single deviations (see
`faults.py`); `options.quirky` a conformant variant that differs wherever the document is silent.

Order of processing of every request: route (unknown path 404 not_found, known path with another
method 405 method_not_allowed, both before authentication) -> authentication (401 auth_error) ->
rate limit (429 rate_limit_exceeded) -> permission (403 forbidden) -> endpoint (404 for unknown
path ids, then body parsing and validation, 422 validation_error with every error found).
Unexpected exceptions become a 500 internal_error envelope.

Choices where the document is silent:

- Auth: a non-empty X-API-Key wins over Authorization; an Authorization header with another
  scheme than Bearer counts as no key. A 401 carries `WWW-Authenticate: Bearer realm="coliving"`
  and `errors: []`.
- Permissions: POST /v1/users needs users.write; POST /v1/bookings and
  POST /v1/bookings/{id}/messages bookings.write; GET /v1/listings listings.read; POST/PATCH
  /v1/listings and POST /v1/integrations/{provider}/provider-key listings.write (connecting a
  channel manager is a listing-management action). Legacy `*.create` grants count as `*.write`.
- Rate limit: sliding window per key value over every request of a valid key (whatever its
  outcome, the 429s themselves excepted); 429 with Retry-After in whole seconds, at least 1. No
  rate-limit header fields.
- Request ids: a sent X-Request-Id of 1-200 characters is echoed in the X-Request-Id header and
  the body; otherwise `req_<32 hex>` is generated. An idempotent replay carries the id of the
  replaying request (the data is replayed verbatim), so header and body always agree.
- Bodies: Content-Type is not enforced; an empty, non-JSON (NaN/Infinity included) or non-object
  body is 422 path `body`. Integers must be JSON integers (not strings, floats or booleans).
  Unknown body fields are ignored (users, bookings) or stored as sent (listings).
- Users: platform-wide (a booking may name any existing user); email needs one `@` with text on
  both sides and no whitespace, is unique case-insensitively; password >= 8 characters; optional
  profile fields must be strings (null means absent); name is "first last" with the first letter of
  every word upper-cased, "" when neither is sent; login_ip is the client address.
- Bookings: any status of a listing of the key's host can be booked; service_fee rounds half up;
  the booking `message` is stored on the booking, not as a booking message.
- Listings: a POST `status` field is ignored (new listings start pending; an upsert update keeps
  the status); room types and rooms keep their int ids across updates when their sent `id` (or,
  without one, their name) is unchanged; rooms need no name ("Room N" is listed). A PATCH
  original_id already used by another listing of the host is 422 path original_id code taken.
  PATCH null for a nullable field removes it. updated_at moves >= 1 s forward on every change.
- List query: unknown parameters are ignored; a scalar parameter given twice is 422; a bad
  `listing_status[]` value is reported with path listing_status; comma lists are not split; name
  order and q matching are case-insensitive (casefolded); pages past the end are empty (200, the
  same total); `order` without `sort` is ignored. Listing timestamps have whole seconds, so the
  updated_at order agrees with the answered (second-resolution) values and its ties go by id.
- Idempotency: scope = (API key value, method and route); an empty or >255-character key is 422
  path Idempotency-Key; bodies compare as canonical JSON (key order ignored, 1 != 1.0 != true);
  a reused key with another body is 409 idempotency_key_mismatch; entries live 24 h; a replay
  answers the first status (201). Lookup, endpoint and caching run under one lock with no await in
  between, so concurrent requests with one key and body create once (the others replay).
- Booking messages: a message must be a string with non-whitespace text; duplicates are exact text
  matches for the same booking within `message_dedup_seconds` of the first send, answered 200 with
  the first message. Idempotency-Key is ignored there.
- Provider keys: providers are lower-case hostaway/guesty/ownerrez; one key per (host, provider)
  (re-connecting replaces it); a key held by another host for the same provider is 409.
- Other statuses: 429, 404 and 500 carry `errors: []` except an unsupported provider (one item,
  path provider); a 405 carries an Allow header; HEAD /v1/listings is served like GET.

The quirky variant (`options.quirky`) stays conformant but differs in all of the above that the
document leaves open: an `object` member in every data item, `api_version` in meta and
`documentation_url` in error objects; every JSON object's keys in reverse order; Content-Type
`application/json; charset=utf-8`; other error wordings; plain uuid4 request ids, echoed in the
body only (no X-Request-Id header); code `required` for a missing user email; new listings start
as draft; a random 0-15 ms delay per response; an idempotent replay answers 200 (same data); an
Idempotency-Key over 255 characters is 400 bad_request; q matching compares letter case and names
order binary (sort=name and the default order); a duplicate booking message is 409 conflict_error
(nothing created); every answer to a valid key carries X-RateLimit-Limit, X-RateLimit-Remaining
(requests left in the sliding window, never below 0) and X-RateLimit-Reset (seconds until the
oldest counted request leaves the window: Remaining cannot grow before then); a 429's Retry-After
is an HTTP date (IMF-fixdate, rounded up to the second); list query values beyond the documented
bounds are clamped or ignored as Laravel's paginator does [list-parameter-status] (page and
per_page into range, a malformed one as its default, unknown sort, order and listing_status
values ignored, a q over 255 characters searched as sent). A PATCH that changes nothing answers
`unchanged` in both variants.


The alternate variant (`options.alternate`, `apiconform serve coliving --variant alternate`) is
conformant too and takes the other reading at every silence point of suites/coliving/readings.toml
(ids in brackets):

- Auth [auth-header-forms, validation-order, permissions-unstated]: POST and PATCH /v1/listings
  need X-API-Key (Bearer alone gets 401: their header tables mark X-API-Key required); POST
  bodies are validated before the key is checked; POST /v1/integrations/{provider}/provider-key
  needs `integrations.write` (held by the full keys).
- Envelopes [request-id-enabled, request-id-echo-place, request-id-endpoints,
  legacy-envelope-members]: no request_id in bodies; the X-Request-Id header carries the id,
  echoing a sent one only on POST and PATCH /v1/listings; every body also carries the legacy
  `success` flag (true, or false beside `error`). HEAD is not served (405).
- Dates [timestamp-format]: timestamps `2026-04-06T10:15:05+0000` (ISO 8601, not RFC 3339);
  checkin_at, checkout_at and date_of_birth as date-times at midnight (Laravel's date cast).
- Bodies [user-required-fields, booking-required-fields, listing-recommended-fields,
  proper-name-formatting, missing-field-code]: a missing field's errors[] code is always
  `required`; every field of the user and booking request examples is required
  (room_type_id one of the listing's); POST /v1/listings requires the strongly recommended
  original_id, original_url, location.country, descriptions.property and media.photos;
  first_name and last_name are re-cased.
- Bookings [bookable-listings, unknown-user-status]: only published listings can be booked (422
  listing_id not_bookable); an unknown user is 404 not_found.
- Listings [original-id-scope, patch-status-values, empty-patch-body, list-item-absent-values]:
  original_ids are unique across hosts (422 original_id taken for another host's); PATCH may not
  set status published (the platform publishes); an empty PATCH body is 422 path body; a listing
  without original_id lists none, a room created without a name lists name null.
- Errors [unsupported-provider-location]: an unknown integrations provider is 404 not_found with
  an errors[] item of code unsupported_provider.
- List query [list-query-promise, order-without-sort, list-parameter-status, empty-parameters,
  repeated-parameters, empty-page-positions]: values are trimmed and empty ones dropped (Laravel's
  TrimStrings and ConvertEmptyStringsToNull); a repeated parameter is its last value and only
  `listing_status[]=` collects several (PHP); page above 10000, order without sort, repeated
  listing_status[] values, and a q over 255 UTF-8 bytes or with unprintable characters are
  refused; invalid parameters get 400 bad_request; an empty page reports from/to 0.
- Order [default-status-priority, default-order-ties, name-collation]: the default order's
  status priority is published, pending, draft, inactive, and its ties come in a new random order
  on every request; names compare and match case- and accent-insensitively (an accented listing,
  "Elan Vital Loft" with an acute E, is among its seeds).
- Idempotency [idempotency-replay, idempotency-key-over-limit]: a replay answers the first status
  with `Idempotent-Replayed: true`; a key over 255 characters is 400 bad_request.
- Rate limit [ratelimit-window, throttled-response]: a fixed window per key anchored at its first
  request (Laravel's throttle); a 429 carries no Retry-After.
- Booking messages [message-body]: the body field is `body`, data is {id, booking_id, body,
  created_at}, and the de-duplication window 30 s (unless `message_dedup_seconds` is given).

Faults (`options.faults`, see `faults.py`) are `if "<name>" in self.faults` branches at the one
place each deviation happens; the 500s they provoke are logged at DEBUG, any other 500 at ERROR.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import math
import random
import re
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from apiconform.providers.coliving.faults import FAULTS
from apiconform.providers.coliving.store import (
    INTEGRATIONS_WRITE,
    LISTING_STATUSES,
    STATUS_RANK,
    ApiKey,
    Booking,
    IdempotencyEntry,
    Listing,
    Message,
    Store,
    canonical,
    seed,
    seed_alternate,
)
from apiconform.reference.kit import InjectedFault, is_int, reverse_keys
from apiconform.reference.limits import Decision, FixedWindowLimiter, SlidingWindowLimiter
from apiconform.reference.serving import ServerOptions

JSON = Any
logger = logging.getLogger(__name__)

IDEMPOTENCY_TTL_SECONDS = 24 * 3600.0
MESSAGE_DEDUP_SECONDS = 60.0
#: the alternate variant's de-duplication window and message body field (both undocumented)
ALTERNATE_DEDUP_SECONDS = 30.0
ALTERNATE_MESSAGE_FIELD = "body"
#: the alternate variant refuses pages beyond this one (a value no real client sends)
ALTERNATE_MAX_PAGE = 10_000
#: the alternate variant's default status priority ("status priority" is not defined)
ALTERNATE_STATUS_PRIORITY = {"published": 0, "pending": 1, "draft": 2, "inactive": 3}
#: fields the alternate variant requires on POST /v1/listings: the starred ones and the
#: "strongly recommended" ones (dotted paths)
ALTERNATE_LISTING_FIELDS = (
    "original_id",
    "original_url",
    "location.country",
    "descriptions.property",
    "media.photos",
)
MAX_REQUEST_ID_LENGTH = 200
MAX_IDEMPOTENCY_KEY_LENGTH = 255
MAX_Q_LENGTH = 255
LIST_CACHE_SIZE = 16  # GET /v1/listings queries whose sorted rows are kept (until a listing changes)
PROVIDERS = ("hostaway", "guesty", "ownerrez")
USER_PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "date_of_birth",
    "gender",
    "country",
    "city",
    "timezone",
    "language",
)
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+")
LIST_SORTS = ("id", "name", "updated_at", "listing_status")
ALPHABETICAL_RANK = {status: n for n, status in enumerate(sorted(STATUS_RANK))}  # status-rank-alphabetical
MATCH_NONE = {"matched": False, "method": None, "confidence": {"level": None, "score": None}}
MATCH_ORIGINAL = {"matched": True, "method": "original_id", "confidence": {"level": "high", "score": 0.92}}
MATCH_ID = {"matched": True, "method": "id", "confidence": {"level": "high", "score": 0.99}}

# The quirky variant words its errors differently (keys: the reference wording).
QUIRKY_MESSAGES = {
    "Validation failed": "The given data was invalid.",
    "API key is required": "No API key was provided.",
    "Invalid API key": "The API key is not valid.",
    "API key is inactive": "The API key has been deactivated.",
    "Missing required API key permission.": "This API key lacks a required permission.",
    "Listing not found or unauthorized": "No such listing for this account.",
    "Not found": "The requested resource does not exist.",
    "Method not allowed": "This method is not supported for this resource.",
    "An unexpected error occurred.": "Something went wrong on our side.",
    "Email address is required.": "The email field is required.",
    "Email address is invalid.": "The email must be a valid email address.",
    "User ID is required.": "The user id field is required.",
    "The name field is required.": "A listing name must be given.",
}


class ApiError(Exception):
    """An error answer: status, error.type, error.message and (path, code, message) items."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        errors: list[tuple[str, str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {type_}: {message}")
        self.status = status
        self.type = type_
        self.message = message
        self.errors = errors or []
        self.headers = headers or {}


def validation_error(path: str, code: str, message: str) -> ApiError:
    """A 422 with a single error item."""
    return ApiError(422, "validation_error", "Validation failed", [(path, code, message)])


class Errors:
    """Collects validation errors; `raise_if_any` turns them into one 422."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []

    def add(self, path: str, code: str, message: str) -> None:
        self.items.append((path, code, message))

    def has(self, path: str) -> bool:
        return any(item[0] == path for item in self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ApiError(422, "validation_error", "Validation failed", self.items)


@dataclass
class Result:
    """A success answer: status, data, extra meta members, and the kind of data (for quirky extras)."""

    status: int
    data: JSON
    meta: dict[str, JSON] = field(default_factory=dict)
    kind: str = "object"


@dataclass
class Ctx:
    """One request being served."""

    request: Request
    body_request_id: str | None
    header_request_id: str | None
    raw_body: bytes = b""
    key: ApiKey | None = None
    headers: dict[str, str] = field(default_factory=dict)  # extra response headers (rate limit)

    def json(self) -> dict[str, JSON]:
        """The body as a JSON object, or a 422 path `body`."""

        def reject_constant(name: str) -> JSON:
            raise ValueError(f"{name} is not JSON")

        try:
            body = json.loads(self.raw_body, parse_constant=reject_constant)
        except (ValueError, RecursionError):
            raise validation_error("body", "invalid", "The request body must be valid JSON.") from None
        if not isinstance(body, dict):
            raise validation_error("body", "invalid", "The request body must be a JSON object.")
        return body

    @property
    def host_id(self) -> int:
        assert self.key is not None
        return self.key.host_id


Handler = Callable[[Ctx, dict[str, str]], Result]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    permission: str
    scope: str  # the idempotency scope, "" for endpoints without Idempotency-Key
    prevalidate: Callable[[dict[str, JSON]], None] | None = None


def parse_date(value: JSON) -> date | None:
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def proper_name(*parts: JSON) -> str:
    """ "first last" trimmed, with the first letter of every word upper-cased."""
    words = " ".join(p for p in parts if isinstance(p, str)).split()
    return " ".join(w[:1].upper() + w[1:] for w in words)


def accent_folded(text: str) -> str:
    """`text` without accents, casefolded (an accent- and case-insensitive collation)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def dotted(body: dict[str, JSON], path: str) -> JSON:
    """The value at a dotted path of `body`, or None."""
    value: JSON = body
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def micro_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def second_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class ColivingServer:
    """The endpoints and the request pipeline; `create_app` wraps one instance in Starlette."""

    def __init__(self, options: ServerOptions, *, extra_listings: int, message_dedup_seconds: float) -> None:
        self.options = options
        self.faults = FAULTS.validate(options.faults)
        self.quirky = options.quirky
        self.alternate = options.alternate
        self.store = Store()
        seed(self.store, dict(options.credentials), extra_listings)
        if self.alternate:
            seed_alternate(self.store)
        requests, per_seconds = options.rate_limit
        if "ratelimit-limit-doubled" in self.faults:
            requests *= 2
        limiter = FixedWindowLimiter if self.alternate else SlidingWindowLimiter
        self.limiter: SlidingWindowLimiter | FixedWindowLimiter = limiter(requests, per_seconds)
        self.stuck_until: dict[str, float] = {}  # only with ratelimit-stuck
        if self.alternate and message_dedup_seconds == MESSAGE_DEDUP_SECONDS:
            message_dedup_seconds = ALTERNATE_DEDUP_SECONDS
        self.message_dedup_seconds = message_dedup_seconds
        self.lock = threading.Lock()
        self.list_cache: dict[tuple[Any, ...], list[Listing]] = {}
        self.routes = [
            Route(
                "POST",
                re.compile(r"/v1/users"),
                self.create_user,
                "users.write",
                "POST /v1/users",
                lambda body: self.validate_user(body, check_taken=False).raise_if_any(),
            ),
            Route(
                "POST",
                re.compile(r"/v1/bookings"),
                self.create_booking,
                "bookings.write",
                "POST /v1/bookings",
                lambda body: self.validate_booking(body, host_id=None).raise_if_any(),
            ),
            Route(
                "POST",
                re.compile(r"/v1/bookings/(?P<id>[^/]+)/messages"),
                self.create_message,
                "bookings.write",
                "",
            ),
            Route("GET", re.compile(r"/v1/listings"), self.list_listings, "listings.read", ""),
            Route("HEAD", re.compile(r"/v1/listings"), self.list_listings, "listings.read", ""),
            Route(
                "POST",
                re.compile(r"/v1/listings"),
                self.upsert_listing,
                "listings.write",
                "POST /v1/listings",
                lambda body: self.validate_listing(body, partial=False).raise_if_any(),
            ),
            Route(
                "PATCH", re.compile(r"/v1/listings/(?P<id>[^/]+)"), self.patch_listing, "listings.write", ""
            ),
            Route(
                "POST",
                re.compile(r"/v1/integrations/(?P<provider>[^/]+)/provider-key"),
                self.connect_provider,
                INTEGRATIONS_WRITE if self.alternate else "listings.write",
                "",
            ),
        ]
        if self.alternate:  # no operation the document does not show
            self.routes = [route for route in self.routes if route.method != "HEAD"]

    # --- pipeline -------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        body_id, header_id = self.request_ids(request)
        ctx = Ctx(request, body_id, header_id)
        try:
            route, params = self.resolve(request.method, request.scope["path"])
            if route.method in ("POST", "PATCH"):
                ctx.raw_body = await request.body()
            if route.prevalidate is not None and ("validation-before-auth" in self.faults or self.alternate):
                route.prevalidate(ctx.json())
            ctx.key = self.authenticate(request)
            listing_write = route.handler in (self.upsert_listing, self.patch_listing)
            if self.alternate and listing_write and not request.headers.get("x-api-key", "").strip():
                # "X-API-Key * Header: Required API key" in these two operations' header tables
                raise self.unauthorized("The X-API-Key header is required for this endpoint.")
            self.check_rate_limit(ctx)
            permission = route.permission
            if route.handler == self.list_listings and "read-needs-write" in self.faults:
                permission = "listings.write"
            self.check_permission(ctx.key, permission)
            response = self.success(ctx, await self.serve(ctx, route, params))
        except ApiError as error:
            response = self.failure(ctx, error)
        except Exception as exc:
            log = logger.debug if isinstance(exc, InjectedFault) else logger.error
            log("unhandled error serving %s %s", request.method, request.url.path, exc_info=True)
            response = self.failure(ctx, ApiError(500, "internal_error", "An unexpected error occurred."))
        if self.quirky:
            await asyncio.sleep(random.uniform(0, 0.015))
        return response

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed = []
        for route in self.routes:
            match = route.pattern.fullmatch(path)
            if match is None:
                continue
            if route.method == method:
                return route, match.groupdict()
            allowed.append(route.method)
        if allowed:
            raise ApiError(
                405, "method_not_allowed", "Method not allowed", headers={"Allow": ", ".join(allowed)}
            )
        raise ApiError(404, "not_found", "Not found")

    def generate_request_id(self) -> str:
        if "request-id-constant" in self.faults:
            return "req_000001"
        return str(uuid.uuid4()) if self.quirky else f"req_{uuid.uuid4().hex}"

    def request_ids(self, request: Request) -> tuple[str | None, str | None]:
        """(id for the body, id for the X-Request-Id header); None leaves it out."""
        sent = request.headers.get("x-request-id")
        if (
            sent is None
            or not 1 <= len(sent) <= MAX_REQUEST_ID_LENGTH
            or "request-id-not-echoed" in self.faults
        ):
            sent = None
        if self.alternate:  # the header only, and echoed only where the document lists it
            documented = request.method in ("POST", "PATCH") and request.scope["path"].startswith(
                "/v1/listings"
            )
            return None, (sent if documented else None) or self.generate_request_id()
        if sent is None and "no-request-id" in self.faults:
            return None, None
        request_id = sent or self.generate_request_id()
        if "request-id-header-mismatch" in self.faults:
            return self.generate_request_id(), request_id
        return request_id, None if self.quirky else request_id

    def unauthorized(self, message: str) -> ApiError:
        type_ = "unauthorized" if "auth-error-type" in self.faults else "auth_error"
        return ApiError(401, type_, message, headers={"WWW-Authenticate": 'Bearer realm="coliving"'})

    def authenticate(self, request: Request) -> ApiKey:
        supplied = None
        if "x-api-key-ignored" not in self.faults:
            supplied = request.headers.get("x-api-key", "").strip() or None
        if supplied is None and "bearer-ignored" not in self.faults:
            scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                supplied = token.strip()
        served = self.store.keys.get(self.options.credentials.get("api_key", ""))
        if supplied is None:
            if "missing-key-served" in self.faults and served is not None:
                return served
            if "missing-key-403" in self.faults:
                raise ApiError(403, "forbidden", "API key is required")
            raise self.unauthorized("API key is required")
        key = self.store.keys.get(supplied)
        if key is None:
            if "invalid-key-served" in self.faults and served is not None:
                return served
            raise self.unauthorized("Invalid API key")
        if not key.active and "inactive-key-served" not in self.faults:
            raise self.unauthorized("API key is inactive")
        return key

    def check_rate_limit(self, ctx: Ctx) -> None:
        """Admit the request in its key's sliding window or answer 429 (rate-limit headers go to
        `ctx.headers`: on every answer to a valid key in the quirky variant)."""
        if "ratelimit-not-enforced" in self.faults:
            return
        assert ctx.key is not None
        bucket = "*" if "ratelimit-global" in self.faults else ctx.key.value
        requests, seconds = self.options.rate_limit
        now = time.monotonic()
        stuck = self.stuck_until.get(bucket, 0.0)
        if now < stuck:  # only with ratelimit-stuck
            decision = Decision(
                False, min(stuck - now, seconds), self.limiter.requests, self.limiter.requests
            )
        else:
            decision = self.limiter.acquire(bucket)
            if not decision.allowed and "ratelimit-stuck" in self.faults:
                self.stuck_until[bucket] = now + 20 * seconds
        if "ratelimit-headers-inconsistent" in self.faults:
            # "remaining" counts up: it reports the requests used, not those left
            ctx.headers.update(
                {"X-RateLimit-Limit": str(requests), "X-RateLimit-Remaining": str(decision.used)}
            )
        elif self.quirky:
            ctx.headers.update(
                {
                    "X-RateLimit-Limit": str(decision.limit),
                    "X-RateLimit-Remaining": str(decision.remaining),
                    "X-RateLimit-Reset": decision.reset_header,
                }
            )
        if decision.allowed:
            return
        headers = {}
        if "ratelimit-no-retry-after" not in self.faults and not self.alternate:
            headers["Retry-After"] = (
                decision.retry_after_date() if self.quirky else decision.retry_after_header
            )
        message = f"Too many requests: at most {requests} per {seconds:g} seconds per API key."
        status = 503 if "ratelimit-503" in self.faults else 429
        raise ApiError(status, "rate_limit_exceeded", message, headers=headers)

    def check_permission(self, key: ApiKey, permission: str) -> None:
        if permission in key.permissions or "permissions-ignored" in self.faults:
            return
        named = [("required_permission", "forbidden", permission)]
        if "forbidden-as-401" in self.faults:
            raise ApiError(401, "auth_error", "Missing required API key permission.", named)
        raise ApiError(
            403,
            "forbidden",
            "Missing required API key permission.",
            [] if "forbidden-unnamed" in self.faults else named,
        )

    async def serve(self, ctx: Ctx, route: Route, params: dict[str, str]) -> Result:
        """Run the endpoint, honouring an Idempotency-Key on the routes that take one.

        The cache lookup, the handler and the storing of its answer happen under one lock with no
        await in between, so concurrent requests with one key create once (the later ones replay).
        """
        scope = route.scope
        if route.handler == self.create_message and "messages-honour-idempotency-key" in self.faults:
            scope = "POST /v1/bookings/{id}/messages"
        idempotency_key = ctx.request.headers.get("idempotency-key") if scope else None
        if idempotency_key is None:
            with self.lock:
                return route.handler(ctx, params)
        with self.lock:
            cache_key, body = self.idempotency_entry_key(ctx, scope, idempotency_key)
            replay = self.replay(cache_key, body)
            if replay is not None:
                if self.alternate:
                    ctx.headers["Idempotent-Replayed"] = "true"
                return replay
            try:
                result = route.handler(ctx, params)
            except ApiError as error:
                if "idempotency-errors-cached" in self.faults:
                    self.remember(cache_key, body, Result(error.status, None), error)
                raise
            if "idempotency-race" not in self.faults:
                self.remember(cache_key, body, result)
                return result
        await asyncio.sleep(0.05)  # idempotency-race: others find no entry while this one waits
        with self.lock:
            self.remember(cache_key, body, result)
        return result

    def idempotency_entry_key(
        self, ctx: Ctx, scope: str, idempotency_key: str
    ) -> tuple[tuple[str, str, str], str]:
        """The cache key and canonical body of a request, or a 4xx for an unusable key or body."""
        longest = MAX_IDEMPOTENCY_KEY_LENGTH
        if "idempotency-key-max-254" in self.faults:
            longest -= 1
        if "idempotency-long-key-accepted" in self.faults:
            longest = 1 << 62
        if len(idempotency_key) > longest and (self.quirky or self.alternate):
            raise ApiError(
                400,
                "bad_request",
                "The Idempotency-Key header is too long.",
                [
                    (
                        "Idempotency-Key",
                        "too_long",
                        "The Idempotency-Key header may have at most 255 characters.",
                    )
                ],
            )
        if not 1 <= len(idempotency_key) <= longest:
            raise validation_error(
                "Idempotency-Key", "invalid", "The Idempotency-Key header must be 1-255 characters."
            )
        assert ctx.key is not None
        body = canonical(ctx.json())
        owner = "*" if "idempotency-replay-across-keys" in self.faults else ctx.key.value
        return (owner, scope, idempotency_key), body

    def replay(self, cache_key: tuple[str, str, str], body: str) -> Result | None:
        """The cached answer for this key (409 for another body), or None to run the request."""
        entry = self.store.idempotency.get(cache_key)
        if entry is None or entry.expires_at <= time.monotonic():
            return None
        if entry.error is not None:  # only with idempotency-errors-cached
            cached: ApiError = entry.error
            raise ApiError(cached.status, cached.type, cached.message, cached.errors, cached.headers)
        if entry.body != body and "idempotency-mismatch-replays" not in self.faults:
            raise ApiError(
                409,
                "conflict_error"
                if "idempotency-mismatch-type" in self.faults
                else "idempotency_key_mismatch",
                "This Idempotency-Key was already used with a different request body.",
                [("Idempotency-Key", "mismatch", "The request body differs from the first use.")],
            )
        if entry.body == body and "idempotency-no-replay" in self.faults:
            return None
        status = 200 if self.quirky else entry.status
        return Result(status, copy.deepcopy(entry.data), copy.deepcopy(entry.meta), entry.kind)

    def remember(
        self, cache_key: tuple[str, str, str], body: str, result: Result, error: ApiError | None = None
    ) -> None:
        """Cache a 2xx answer (an error only when `error` is given) for IDEMPOTENCY_TTL_SECONDS."""
        if error is None and not 200 <= result.status < 300:
            return
        self.store.idempotency[cache_key] = IdempotencyEntry(
            body,
            result.status,
            copy.deepcopy(result.data),
            copy.deepcopy(result.meta),
            result.kind,
            time.monotonic() + IDEMPOTENCY_TTL_SECONDS,
            error,
        )

    # --- rendering ------------------------------------------------------------------------

    def render(
        self, ctx: Ctx, status: int, body: JSON, headers: dict[str, str], media_type: str | None
    ) -> Response:
        if self.quirky:
            body = reverse_keys(body)
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {**ctx.headers, **headers}
        if ctx.header_request_id is not None:
            headers["X-Request-Id"] = ctx.header_request_id
        default = "application/json; charset=utf-8" if self.quirky else "application/json"
        return Response(content, status_code=status, headers=headers, media_type=media_type or default)

    def success(self, ctx: Ctx, result: Result) -> Response:
        data = result.data
        if self.quirky and isinstance(data, dict):
            data = {**data, "object": result.kind}
        elif self.quirky and isinstance(data, list):
            data = [{**item, "object": result.kind} for item in data]
        body: dict[str, JSON] = {"data": data}
        if self.alternate:  # the legacy flag, alongside the canonical shape
            body["success"] = True
        if "success-without-meta" not in self.faults:
            meta: dict[str, JSON] = {} if ctx.body_request_id is None else {"request_id": ctx.body_request_id}
            meta.update(result.meta)
            if self.quirky:
                meta["api_version"] = "v1"
            body["meta"] = meta
        return self.render(ctx, result.status, body, {}, None)

    def failure(self, ctx: Ctx, error: ApiError) -> Response:
        type_ = "invalid_request" if error.status == 422 and "validation-type" in self.faults else error.type
        word = (lambda text: QUIRKY_MESSAGES.get(text, text)) if self.quirky else (lambda text: text)
        where = "field" if "error-items-unpathed" in self.faults else "path"
        items = [
            {where: path, "code": code, "message": word(message)} for path, code, message in error.errors
        ]
        obj: dict[str, JSON] = {"type": type_, "message": word(error.message)}
        if ctx.body_request_id is not None:
            obj["request_id"] = ctx.body_request_id
        obj["errors"] = items
        if self.quirky:
            obj["documentation_url"] = f"https://coliving.com/docs/api/errors#{type_}"
        body: dict[str, JSON] = obj if "error-flat" in self.faults else {"error": obj}
        if self.alternate:
            body["success"] = False
        media_type = "text/html; charset=utf-8" if "error-html-content-type" in self.faults else None
        return self.render(ctx, error.status, body, error.headers, media_type)

    # --- dates ----------------------------------------------------------------------------

    def stamp(self, moment: datetime, *, micro: bool) -> str:
        """A timestamp as answered: RFC 3339 like the document's examples (with microseconds, or
        whole seconds for listings); the alternate variant's ISO 8601 form has a `+0000` offset,
        which RFC 3339 does not allow."""
        if self.alternate:
            return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")
        if "timestamps-not-rfc3339" in self.faults:
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        return micro_stamp(moment) if micro else second_stamp(moment)

    def day(self, value: JSON) -> JSON:
        """A date field as answered: as sent (YYYY-MM-DD); the alternate variant answers it the
        way Laravel's date cast does, as a date-time at midnight."""
        if self.alternate and isinstance(value, str):
            return f"{value}T00:00:00.000000Z"
        return value

    # --- users ----------------------------------------------------------------------------

    def validate_user(self, body: dict[str, JSON], *, check_taken: bool) -> Errors:
        errors = Errors()
        if self.alternate:  # every field of the request example is required
            for name in ("password", *USER_PROFILE_FIELDS):
                if body.get(name) is None:
                    errors.add(name, "required", f"The {name} field is required.")
        email = body.get("email")
        if email is None:
            if "users-email-optional" not in self.faults:
                code = "required" if self.quirky or self.alternate else "invalid"
                errors.add("email", code, "Email address is required.")
        elif not isinstance(email, str) or not EMAIL_RE.fullmatch(email):
            errors.add("email", "invalid", "Email address is invalid.")
        elif check_taken and email.lower() in self.store.users_by_email:
            errors.add("email", "taken", "Email address has already been taken.")
        password = body.get("password")
        if password is None:
            if not self.alternate:
                errors.add("password", "invalid", "Password is required.")
        elif not isinstance(password, str) or len(password) < 8:
            errors.add("password", "invalid", "Password must be a string of at least 8 characters.")
        for name in USER_PROFILE_FIELDS:
            value = body.get(name)
            if value is not None and not isinstance(value, str):
                errors.add(name, "invalid", f"The {name} field must be a string.")
        dob = body.get("date_of_birth")
        if isinstance(dob, str) and parse_date(dob) is None:
            errors.add("date_of_birth", "invalid", "Date of birth must be a date in YYYY-MM-DD format.")
        return errors

    def create_user(self, ctx: Ctx, params: dict[str, str]) -> Result:
        body = ctx.json()
        self.validate_user(body, check_taken=True).raise_if_any()
        email = body.get("email")
        now = self.stamp(datetime.now(UTC), micro=True)
        client = ctx.request.client
        user_id = self.store.next_id("user")
        record: dict[str, JSON] = {
            "user_id": user_id,
            "name": proper_name(body.get("first_name"), body.get("last_name")),
            "email": email,
            **{name: body.get(name) for name in USER_PROFILE_FIELDS},
            "status": 1,
            "role_name": "user",
            "lifecycle": "subscriber",
            "email_verified_at": None,
            "login_at": now,
            "login_amount": 1,
            "login_ip": client.host if client else "127.0.0.1",
            "source": "api",
            "api_created": True,
            "created_at": now,
            "updated_at": now,
        }
        if self.alternate:  # "proper name formatting" of the names too; the date as a date-time
            record["first_name"] = proper_name(body.get("first_name")) or None
            record["last_name"] = proper_name(body.get("last_name")) or None
            record["date_of_birth"] = self.day(body.get("date_of_birth"))
        self.store.add_user(user_id, email, record)
        data = dict(record)
        if "users-names-swapped" in self.faults:
            data["first_name"], data["last_name"] = record["last_name"], record["first_name"]
        if "users-inactive" in self.faults:
            data["status"] = 0
        if "users-password-echoed" in self.faults:
            data["password"] = body.get("password")
        if "users-id-string" in self.faults:
            data["user_id"] = str(user_id)
        return Result(200 if "users-200" in self.faults else 201, data, kind="user")

    # --- bookings -------------------------------------------------------------------------

    def validate_booking(self, body: dict[str, JSON], *, host_id: int | None) -> Errors:
        """Booking body errors; the checks against stored users and listings only when `host_id` is given."""
        errors = Errors()
        user_id, listing_id, room_type_id = (
            body.get("user_id"),
            body.get("listing_id"),
            body.get("room_type_id"),
        )
        if user_id is None:
            if "bookings-missing-user-500" in self.faults:
                raise InjectedFault("user_id is missing")
            errors.add("user_id", "required" if self.alternate else "invalid", "User ID is required.")
        elif not is_int(user_id):
            errors.add("user_id", "invalid", "User ID must be an integer.")
        elif (
            host_id is not None
            and user_id not in self.store.users
            and "bookings-unknown-user-accepted" not in self.faults
        ):
            if self.alternate:  # a missing resource, not a validation error
                raise ApiError(404, "not_found", "User not found.")
            errors.add("user_id", "not_found", "User not found.")
        listing = self.store.listings.get(listing_id) if is_int(listing_id) else None
        if listing_id is None:
            errors.add("listing_id", "required" if self.alternate else "invalid", "Listing ID is required.")
        elif not is_int(listing_id):
            errors.add("listing_id", "invalid", "Listing ID must be an integer.")
        elif host_id is not None and (listing is None or listing.host_id != host_id):
            errors.add("listing_id", "not_found", "Listing not found for this host.")
        elif host_id is not None and self.alternate and listing is not None and listing.status != "published":
            errors.add("listing_id", "not_bookable", "Only published listings can be booked.")
        if self.alternate:  # every field of the request example is required
            for name in ("room_type_id", "message"):
                if body.get(name) is None:
                    errors.add(name, "required", f"The {name} field is required.")
        if room_type_id is not None:
            if not is_int(room_type_id):
                errors.add("room_type_id", "invalid", "Room type ID must be an integer.")
            elif (
                host_id is not None
                and listing is not None
                and listing.host_id == host_id
                and all(rt.id != room_type_id for rt in listing.room_types)
            ):
                errors.add("room_type_id", "not_found", "Room type not found for this listing.")
        dates: dict[str, date | None] = {}
        for name, label in (("checkin_at", "check-in"), ("checkout_at", "checkout")):
            value = body.get(name)
            dates[name] = parse_date(value)
            if value is None:
                errors.add(name, "invalid", f"The {label} date is required.")
            elif dates[name] is None:
                errors.add(name, "invalid", f"The {label} date must be a date in YYYY-MM-DD format.")
        checkin, checkout = dates["checkin_at"], dates["checkout_at"]
        if checkin and checkout and checkout <= checkin and "bookings-date-order-accepted" not in self.faults:
            errors.add("checkout_at", "invalid", "The checkout date must be after the check-in date.")
        message = body.get("message")
        if message is not None and not isinstance(message, str):
            errors.add("message", "invalid", "The message field must be a string.")
        return errors

    def create_booking(self, ctx: Ctx, params: dict[str, str]) -> Result:
        body = ctx.json()
        self.validate_booking(body, host_id=ctx.host_id).raise_if_any()
        listing = self.store.listings[body["listing_id"]]
        room_type = next(
            (rt for rt in listing.room_types if rt.id == body.get("room_type_id")),
            listing.room_types[0] if listing.room_types else None,
        )
        price = room_type.base_price if room_type else 0
        service_fee = math.floor(price * 0.125 + 0.5)
        prices = listing.fields.get("prices")
        deposit = prices.get("security_deposit") if isinstance(prices, dict) else None
        deposit = deposit if is_int(deposit) and deposit > 0 else 0
        checkin, checkout = parse_date(body["checkin_at"]), parse_date(body["checkout_at"])
        assert checkin is not None and checkout is not None
        nights = max(0, (checkout - checkin).days)  # < 0 only with bookings-date-order-accepted
        if "bookings-nights-off-by-one" in self.faults:
            nights += 1
        dates = (
            ("2026-05-01", "2026-05-15")
            if "bookings-example-dates" in self.faults
            else (body["checkin_at"], body["checkout_at"])
        )
        dates = (self.day(dates[0]), self.day(dates[1]))
        booking_id = self.store.next_id("booking")
        now = self.stamp(datetime.now(UTC), micro=True)
        record: dict[str, JSON] = {
            "booking_id": booking_id,
            "booking_no": f"BKG-{booking_id}",
            "user_id": body["user_id"],
            "host_id": ctx.host_id,
            "listing_id": listing.id,
            "checkin_at": dates[0],
            "checkout_at": dates[1],
            "nights": nights,
            "guests": 1,
            "rooms": 1,
            "status": 1,
            "type": "api_booking",
            "currency": "USD",
            "price": price,
            "price_local": price,
            "price_total": price + service_fee,
            "price_total_local": price + service_fee,
            "security_deposit": deposit,
            "security_deposit_local": deposit,
            "discount": 0,
            "transaction_fee": 0,
            "service_fee": service_fee,
            "service_fee_total": service_fee,
            "is_recurring": 0,
            "recurring_at": None,
            "managed": 0,
            "lifecycle": None,
            "payment_status": None,
            "lead_status": None,
            "payout_ready": 0,
            "source": "api",
            "api_created": True,
            "special_requests": None,
            "cancellation_reason": None,
            "dispute_reason": None,
            "paid_at": None,
            "paid_to_host_at": None,
            "invoiced_at": None,
            "canceled_at": None,
            "missed_at": None,
            "confirmed_at": None,
            "extended_at": None,
            "meta": {"source": "api", "api_created": True, "special_requests": None},
            "created_at": now,
            "updated_at": now,
        }
        self.store.bookings[booking_id] = Booking(
            booking_id, ctx.host_id, listing.id, {**record, "message": body.get("message")}
        )
        return Result(200 if "bookings-200" in self.faults else 201, record, kind="booking")

    def create_message(self, ctx: Ctx, params: dict[str, str]) -> Result:
        raw = params["id"]
        booking = self.store.bookings.get(int(raw)) if raw.isascii() and raw.isdigit() else None
        if booking is None or booking.host_id != ctx.host_id:
            raise ApiError(404, "not_found", "Booking not found or unauthorized")
        field = ALTERNATE_MESSAGE_FIELD if self.alternate else "message"
        text = ctx.json().get(field)
        if text is None or (isinstance(text, str) and not text.strip()):
            raise validation_error(field, "required", f"The {field} field is required.")
        if not isinstance(text, str):
            raise validation_error(field, "invalid", f"The {field} field must be a string.")
        now = time.monotonic()
        sent = self.store.messages.setdefault(booking.booking_id, [])
        recent = [m for m in sent if now - m.created_monotonic < self.message_dedup_seconds]
        if "messages-dedup-any-text" in self.faults:
            duplicate = sent[0] if recent and sent[0] in recent else None
        elif "messages-no-dedup" in self.faults:
            duplicate = None
        else:
            duplicate = next((m for m in recent if m.message == text), None)
        if duplicate is not None:
            if self.quirky:
                raise ApiError(
                    409,
                    "conflict_error",
                    "This message was already sent for this booking.",
                    [("message", "duplicate", str(duplicate.message_id))],
                )
            return Result(200, self.message_data(duplicate), kind="booking_message")
        message = Message(
            self.store.next_id("message"),
            booking.booking_id,
            text,
            self.stamp(datetime.now(UTC), micro=True),
            now,
        )
        sent.append(message)
        return Result(201, self.message_data(message), kind="booking_message")

    def message_data(self, message: Message) -> dict[str, JSON]:
        """A booking message as answered (the alternate variant names its id `id` and its text
        after the body field)."""
        data = message.as_data()
        if self.alternate:
            return {
                "id": data["message_id"],
                "booking_id": data["booking_id"],
                ALTERNATE_MESSAGE_FIELD: data["message"],
                "created_at": data["created_at"],
            }
        return data

    # --- listings -------------------------------------------------------------------------

    def list_listings(self, ctx: Ctx, params: dict[str, str]) -> Result:
        grouped: dict[str, list[str]] = {}
        for name, value in ctx.request.query_params.multi_items():
            if self.alternate:  # Laravel's TrimStrings and ConvertEmptyStringsToNull
                value = value.strip()
                if not value:
                    continue
            grouped.setdefault(name, []).append(value)
        errors = Errors()

        def single(name: str) -> str | None:
            values = grouped.get(name)
            if values and len(values) > 1 and not self.alternate:  # PHP keeps the last one
                errors.add(name, "invalid", f"The {name} parameter may be given only once.")
            return values[-1] if values else None

        unbounded = "list-per-page-unbounded" in self.faults
        clamps = self.quirky  # Laravel's paginator: out-of-range values clamped, unknown ones ignored
        page, per_page = 1, 20 if "default-per-page-20" in self.faults else 50
        raw_page, raw_per_page = single("page"), single("per_page")
        if raw_page is not None:
            number = int(raw_page) if re.fullmatch(r"-?\d{1,1000}", raw_page) else None
            if unbounded or clamps:
                number = max(1, number if number is not None else 1)
            if number is None or number < 1:
                errors.add("page", "invalid", "The page parameter must be an integer of at least 1.")
            elif self.alternate and number > ALTERNATE_MAX_PAGE:
                errors.add(
                    "page", "invalid", f"The page parameter may not be greater than {ALTERNATE_MAX_PAGE}."
                )
            else:
                page = number
        if raw_per_page is not None:
            number = int(raw_per_page) if re.fullmatch(r"-?\d{1,1000}", raw_per_page) else None
            if number is not None and unbounded:
                number = max(1, number)  # served as asked above 100
            elif clamps:
                number = min(100, max(1, number)) if number is not None else per_page
            if number is None or number < 1 or (number > 100 and not unbounded):
                errors.add("per_page", "invalid", "The per_page parameter must be an integer from 1 to 100.")
            else:
                per_page = number
        sort, order = single("sort"), single("order")
        if sort is not None and sort not in LIST_SORTS:
            if "list-sort-unchecked" not in self.faults and not clamps:
                errors.add("sort", "invalid", f"The sort parameter must be one of: {', '.join(LIST_SORTS)}.")
            sort = None
        if order is not None and order not in ("asc", "desc"):
            if "list-sort-unchecked" not in self.faults and not clamps:
                errors.add("order", "invalid", "The order parameter must be asc or desc.")
            order = None
        if self.alternate and order is not None and sort is None:
            errors.add("order", "invalid", "The order parameter needs a sort parameter.")
        array_ignored = "status-filter-array-ignored" in self.faults
        statuses = [
            value
            for name, value in ctx.request.query_params.multi_items()
            if name == "listing_status" or (name == "listing_status[]" and not array_ignored)
        ]
        if "status-filter-repeat-last" in self.faults:
            plain = [
                value for name, value in ctx.request.query_params.multi_items() if name == "listing_status"
            ]
            statuses = plain[-1:] + [
                v for n, v in ctx.request.query_params.multi_items() if n == "listing_status[]"
            ]
        if self.alternate:  # PHP: a plain repeated parameter is its last value; [] collects them
            statuses = grouped.get("listing_status", [])[-1:] + grouped.get("listing_status[]", [])
            if len(statuses) != len(set(statuses)):
                errors.add("listing_status", "distinct", "The listing_status values must be distinct.")
        if clamps:
            statuses = [value for value in statuses if value in LISTING_STATUSES]
        for value in statuses:
            if value not in LISTING_STATUSES:
                errors.add(
                    "listing_status",
                    "invalid",
                    f"The listing_status parameter must be one of: {', '.join(LISTING_STATUSES)}.",
                )
                break
        if "status-filter-first-only" in self.faults:
            statuses = statuses[:1]
        q = single("q")
        longest_q = MAX_Q_LENGTH - 1 if "q-max-254" in self.faults else MAX_Q_LENGTH
        if q is not None and len(q.encode() if self.alternate else q) > longest_q and not clamps:
            if "list-long-q-500" in self.faults:
                raise InjectedFault("q is too long for the search index")
            errors.add("q", "invalid", f"The q parameter may not be longer than {longest_q} characters.")
        elif self.alternate and q is not None and not q.isprintable():
            errors.add("q", "invalid", "The q parameter may only hold printable characters.")
        if errors.items:
            if self.alternate:
                raise ApiError(400, "bad_request", "Invalid query parameters.", errors.items)
            status = 400 if "list-invalid-400" in self.faults else 422
            raise ApiError(status, "validation_error", "Validation failed", errors.items)

        every_host = "list-all-hosts" in self.faults or (q is not None and "search-all-hosts" in self.faults)
        query = (
            self.store.version,
            "all" if every_host else ctx.host_id,
            frozenset(statuses),
            q,
            sort,
            order,
        )
        rows = self.list_cache.get(query)
        if rows is None:  # the last queries' rows are kept while no listing changes: paging stays cheap
            rows = [row for row in self.store.listings.values() if every_host or row.host_id == ctx.host_id]
            if statuses:
                rows = [row for row in rows if row.status in statuses]
            if q is not None:
                matches = self.name_matcher(q)
                rows = [row for row in rows if matches(row.name or "")]
            self.sort_listings(rows, sort, order)
            self.list_cache = {
                key: cached
                for key, cached in list(self.list_cache.items())[-(LIST_CACHE_SIZE - 1) :]
                if key[0] == self.store.version
            }
            self.list_cache[query] = rows

        if self.alternate and sort is None:
            rows = self.shuffle_ties(rows)
        total = len(rows)
        if "last-page-floor" in self.faults:
            last_page = max(1, total // per_page)
        else:
            last_page = max(1, math.ceil(total / per_page))
        if page > last_page and "past-end-404" in self.faults:
            raise ApiError(404, "not_found", "Not found")
        start = (page - 1) * per_page
        count = max(0, min(per_page, total - start))  # what this page holds
        served_from = start
        if "page-off-by-one" in self.faults:
            served_from = page * per_page
        elif "pages-overlap" in self.faults and page > 1:
            served_from = start - 1
        items = rows[served_from : served_from + per_page]
        first = start if "from-zero-based" in self.faults else start + 1
        empty = 0 if self.alternate else None
        pagination = {
            "current_page": page,
            "per_page": per_page,
            "total": total,
            "last_page": last_page,
            "from": first if count else empty,
            "to": first + count - 1 if count else empty,
        }
        return Result(200, [self.list_item(row) for row in items], {"pagination": pagination}, kind="listing")

    def name_matcher(self, q: str) -> Callable[[str], bool]:
        """Whether a listing name matches q: a literal substring, ignoring letter case (the quirky
        variant compares letter case too)."""
        if "q-wildcards" in self.faults:
            translated = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in q)
            pattern = re.compile(translated, re.IGNORECASE | re.DOTALL)
            return lambda name: pattern.search(name) is not None
        fold: Callable[[str], str] = (lambda text: text) if self.quirky else str.casefold
        if self.alternate:
            fold = accent_folded
        needle = fold(q)
        if "q-prefix-only" in self.faults:
            return lambda name: fold(name).startswith(needle)
        return lambda name: needle in fold(name)

    def sort_listings(self, rows: list[Listing], sort: str | None, order: str | None) -> None:
        """Default: status rank, name, updated_at desc, id; else the field, then id, in one direction.

        Names compare case-insensitively (casefolded), binary in the quirky variant.
        """
        rank = ALPHABETICAL_RANK if "status-rank-alphabetical" in self.faults else STATUS_RANK
        id_desc = "tie-breaker-always-desc" in self.faults

        def name(row: Listing) -> str:
            if self.alternate:
                return accent_folded(row.name or "")
            return (row.name or "") if self.quirky else (row.name or "").casefold()

        if sort is None:
            if self.alternate:
                rank = ALTERNATE_STATUS_PRIORITY
            with_status = "default-order-ignores-status" not in self.faults
            updated_sign = 1 if "default-order-updated-asc" in self.faults else -1
            id_sign = -1 if id_desc else 1
            rows.sort(
                key=lambda r: (
                    rank[r.status] if with_status else 0,
                    name(r),
                    updated_sign * r.updated_at.timestamp(),
                    id_sign * r.id,
                )
            )
            return
        keys: dict[str, Callable[[Listing], Any]] = {
            "id": lambda r: r.id,
            "name": name,
            "updated_at": lambda r: r.updated_at,
            "listing_status": lambda r: rank[r.status],
        }
        default = "desc" if sort == "updated_at" else "asc"
        if sort == "updated_at" and "sort-updated-default-asc" in self.faults:
            default = "asc"
        direction = default if order is None or "sort-order-ignored" in self.faults else order
        field_key = keys[sort]
        if id_desc and direction == "asc":
            rows.sort(key=lambda r: r.id, reverse=True)
            rows.sort(key=field_key)  # stable: equal keys stay in id desc order
        else:
            rows.sort(key=lambda r: (field_key(r), r.id), reverse=direction == "desc")

    def shuffle_ties(self, rows: list[Listing]) -> list[Listing]:
        """`rows` (in the default order) with the listings equal in status, name (as compared) and
        updated_at in a new random order: the default order has no tie-breaker."""
        result: list[Listing] = []
        for _, group in itertools.groupby(
            rows, key=lambda r: (r.status, accent_folded(r.name or ""), r.updated_at)
        ):
            tied = list(group)
            random.shuffle(tied)
            result.extend(tied)
        return result

    def list_item(self, row: Listing) -> dict[str, JSON]:
        item: dict[str, JSON] = {
            "id": row.id,
            "unique_id": row.unique_id,
            "original_id": row.original_id,
            "name": row.fields.get("name"),
            "listing_status": row.status,
            "updated_at": self.stamp(row.updated_at, micro=False),
        }
        if self.alternate and row.original_id is None:  # what a listing lacks is left out
            del item["original_id"]
        if "list-items-without-room-types" not in self.faults:
            item["room_types"] = [
                {
                    "id": rt.id,
                    "name": rt.name,
                    "rooms": [
                        {"id": room.id, "name": room.name if room.named or not self.alternate else None}
                        for room in rt.rooms
                    ],
                }
                for rt in row.room_types
            ]
        return item

    def upsert_result(self, row: Listing, action: str, match: dict[str, JSON]) -> dict[str, JSON]:
        data: dict[str, JSON] = {
            "id": row.id,
            "unique_id": row.unique_id,
            "original_id": row.original_id,
            "name": row.fields.get("name"),
            "listing_status": row.status,
            "action": action,
            "room_types_count": len(row.room_types),
            "match": copy.deepcopy(match),
            "links": {"preview": f"https://coliving.com/spaces/{row.unique_id}?preview=true"},
            "updated_at": self.stamp(row.updated_at, micro=False),
        }
        if self.alternate and row.original_id is None:
            del data["original_id"]
        if "upsert-result-without-match" in self.faults:
            del data["match"]
        return data

    def validate_listing(self, body: dict[str, JSON], *, partial: bool) -> Errors:
        """POST (every required field) or PATCH (`partial`: only the sent fields, null rejected) errors."""
        errors = Errors()
        if "name" in body or not partial:
            name = body.get("name")
            if name is None:
                if partial and "patch-null-accepted" not in self.faults:
                    errors.add("name", "invalid", "The name field cannot be null.")
                elif not partial and "listing-name-optional" not in self.faults:
                    errors.add("name", "required", "The name field is required.")
            elif not isinstance(name, str):
                errors.add("name", "invalid", "The name field must be a string.")
            elif not name.strip():
                errors.add("name", "required", "The name field is required.")
        original_id = body.get("original_id")
        if original_id is not None and (not isinstance(original_id, str) or not 1 <= len(original_id) <= 255):
            errors.add(
                "original_id", "invalid", "The original_id field must be a string of 1-255 characters."
            )
        if partial and "status" in body and body["status"] not in LISTING_STATUSES:
            errors.add(
                "status", "invalid", f"The status field must be one of: {', '.join(LISTING_STATUSES)}."
            )
        elif partial and self.alternate and body.get("status") == "published":
            errors.add("status", "forbidden", "Listings are published by the platform after review.")
        if self.alternate and not partial:  # the "strongly recommended" fields are required
            for path in ALTERNATE_LISTING_FIELDS:
                if dotted(body, path) in (None, "", [], {}):
                    errors.add(path, "required", f"The {path} field is required.")
        if "room_types" in body or not partial:
            room_types = body.get("room_types")
            empty_ok = "room-types-empty-accepted" in self.faults
            if room_types is None:
                if partial:
                    errors.add("room_types", "invalid", "The room types field cannot be null.")
                elif not empty_ok:
                    errors.add("room_types", "required", "The room types field is required.")
            elif not isinstance(room_types, list):
                errors.add("room_types", "invalid", "The room types field must be an array.")
            elif not room_types and not empty_ok:
                errors.add("room_types", "min", "At least one room type entry is required.")
            else:
                for n, room_type in enumerate(room_types):
                    self.validate_room_type(errors, f"room_types.{n}", room_type, partial)
        return errors

    def validate_room_type(self, errors: Errors, path: str, room_type: JSON, partial: bool) -> None:
        if not isinstance(room_type, dict):
            errors.add(path, "invalid", "Each room type must be an object.")
            return

        def absent(container: dict[str, JSON], name: str, where: str, label: str) -> None:
            if partial and name in container:
                errors.add(where, "invalid", f"The {label} field cannot be null.")
            else:
                errors.add(where, "required", f"The {label} field is required.")

        name = room_type.get("name")
        if name is None:
            absent(room_type, "name", f"{path}.name", "room type name")
        elif not isinstance(name, str) or not name.strip():
            errors.add(f"{path}.name", "invalid", "The room type name must be a non-empty string.")
        kind = room_type.get("room_type")
        if kind is None:
            absent(room_type, "room_type", f"{path}.room_type", "room_type")
        elif kind not in ("private", "shared") and "room-type-unchecked" not in self.faults:
            errors.add(f"{path}.room_type", "invalid", "The room_type must be one of: private, shared.")
        prices = room_type.get("prices")
        if prices is None:
            absent(room_type, "prices", f"{path}.prices.base_price", "base price")
        elif not isinstance(prices, dict):
            errors.add(f"{path}.prices", "invalid", "The prices field must be an object.")
        elif prices.get("base_price") is None:
            absent(prices, "base_price", f"{path}.prices.base_price", "base price")
        elif not is_int(prices["base_price"]):
            errors.add(f"{path}.prices.base_price", "invalid", "The base price must be an integer.")
        elif prices["base_price"] < 1 and "base-price-zero-accepted" not in self.faults:
            errors.add(f"{path}.prices.base_price", "min", "The base price must be at least 1.")
        rooms = room_type.get("rooms")
        if rooms is not None and not isinstance(rooms, list):
            errors.add(f"{path}.rooms", "invalid", "The rooms field must be an array.")
        for m, room in enumerate(rooms if isinstance(rooms, list) else []):
            if not isinstance(room, dict):
                errors.add(f"{path}.rooms.{m}", "invalid", "Each room must be an object.")
            elif room.get("name") is not None and not isinstance(room["name"], str):
                errors.add(f"{path}.rooms.{m}.name", "invalid", "The room name must be a string.")

    def upsert_listing(self, ctx: Ctx, params: dict[str, str]) -> Result:
        body = ctx.json()
        self.validate_listing(body, partial=False).raise_if_any()
        fields = {name: value for name, value in body.items() if name != "status"}
        if fields.get("name") is None:  # only with listing-name-optional
            fields["name"] = ""
        if fields.get("room_types") is None:  # only with room-types-empty-accepted
            fields["room_types"] = []
        if fields.get("original_id") is None:
            fields.pop("original_id", None)
        now = datetime.now(UTC)
        original_id = fields.get("original_id")
        match = None
        if isinstance(original_id, str):
            every_host = "upsert-match-any-host" in self.faults
            match = self.store.find_by_original(original_id, None if every_host else ctx.host_id)
        if match is not None and match.status != "inactive" and "upsert-never-matches" in self.faults:
            match = None
        if match is None and self.alternate and isinstance(original_id, str):
            held = self.store.find_by_original(original_id, None)  # original_ids unique across hosts
            if held is not None and held.host_id != ctx.host_id:
                raise validation_error("original_id", "taken", "This original_id is used by another host.")
        if match is None:
            row = self.store.add_listing(ctx.host_id, fields, "draft" if self.quirky else "pending", now)
            status = 200 if "upsert-create-200" in self.faults else 201
            return Result(status, self.upsert_result(row, "created", MATCH_NONE), kind="listing_upsert")
        if match.status == "inactive" and "upsert-inactive-updated" not in self.faults:
            raise self.inactive_conflict(match)
        if "upsert-update-not-stored" in self.faults:
            action = "updated"
        else:
            changed = self.store.update_listing(match, {**match.fields, **fields}, match.status, now)
            action = "updated" if changed else "unchanged"
        return Result(200, self.upsert_result(match, action, MATCH_ORIGINAL), kind="listing_upsert")

    def inactive_conflict(self, match: Listing) -> ApiError:
        if "upsert-inactive-422" in self.faults:
            return validation_error("original_id", "invalid", "The matched listing is inactive.")
        message = "A listing with this external identity already exists for this host but is inactive."
        if "conflict-type" in self.faults:
            return ApiError(409, "conflict", message)
        return ApiError(
            409,
            "conflict_error",
            message,
            [
                ("action", "conflict", "skipped"),
                ("listing_id", "conflict", str(match.id)),
                ("match.matched", "conflict", "true"),
                ("match.method", "conflict", "original_id"),
                ("match.confidence.level", "conflict", "high"),
                ("match.confidence.score", "conflict", "0.92"),
            ],
        )

    def patch_listing(self, ctx: Ctx, params: dict[str, str]) -> Result:
        raw = params["id"]
        row = self.store.listings.get(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        if row is None:
            if "unknown-listing-500" in self.faults:
                raise InjectedFault(f"listing {raw} does not exist")
            type_ = "listing_not_found" if "unknown-listing-type" in self.faults else "not_found"
            raise ApiError(404, type_, "Listing not found or unauthorized")
        if row.host_id != ctx.host_id and "patch-any-host" not in self.faults:
            if "patch-other-host-403" in self.faults:
                raise ApiError(403, "forbidden", "This listing belongs to another host.")
            raise ApiError(404, "not_found", "Listing not found or unauthorized")
        body = ctx.json()
        if self.alternate and not body:
            raise validation_error("body", "required", "At least one field must be sent.")
        errors = self.validate_listing(body, partial=True)
        original_id = body.get("original_id")
        if isinstance(original_id, str) and not errors.has("original_id"):
            other = self.store.find_by_original(original_id, row.host_id)
            if other is not None and other.id != row.id:
                errors.add(
                    "original_id", "taken", "Another listing of this host already has this original_id."
                )
        errors.raise_if_any()
        sent = {name: value for name, value in body.items() if name != "status"}
        status = body.get("status", row.status)
        if "patch-replaces" in self.faults:
            fields: dict[str, JSON] = {"name": row.fields.get("name"), "room_types": []}
            status = body.get("status", "draft")
        else:
            fields = dict(row.fields)
        for name, value in sent.items():
            if value is None and name != "name":  # name null only gets here with patch-null-accepted
                fields.pop(name, None)
            else:
                fields[name] = value
        if "patch-not-stored" in self.faults:
            action = "updated"
        else:
            changed = self.store.update_listing(row, fields, status, datetime.now(UTC))
            action = "updated" if changed else "unchanged"
        if "patch-action-created" in self.faults:
            action = "created"
        return Result(200, self.upsert_result(row, action, MATCH_ID), kind="listing_upsert")

    # --- integrations ---------------------------------------------------------------------

    def connect_provider(self, ctx: Ctx, params: dict[str, str]) -> Result:
        provider = params["provider"]
        if provider not in PROVIDERS:
            if "unsupported-provider-400" in self.faults:
                raise ApiError(400, "bad_request", "Unsupported provider")
            if self.alternate:  # the name as an errors[] code, under a plain not_found
                raise ApiError(
                    404,
                    "not_found",
                    "Not found",
                    [("provider", "unsupported_provider", f"Supported providers: {', '.join(PROVIDERS)}.")],
                )
            raise ApiError(
                404,
                "unsupported_provider",
                "Unsupported provider",
                [("provider", "unsupported", f"Supported providers: {', '.join(PROVIDERS)}.")],
            )
        key = ctx.json().get("provider_api_key")
        if key is None or (isinstance(key, str) and not key.strip()):
            raise validation_error("provider_api_key", "required", "The provider_api_key field is required.")
        if not isinstance(key, str):
            raise validation_error(
                "provider_api_key", "invalid", "The provider_api_key field must be a string."
            )
        owner = self.store.provider_keys.get((provider, key))
        if owner is not None and owner != ctx.host_id:
            raise ApiError(
                409,
                "conflict_error",
                "This provider API key is already used by another account.",
                [("provider_api_key", "conflict", "The key is connected to another account.")],
            )
        previous = self.store.host_provider_keys.get((ctx.host_id, provider))
        if previous is not None:
            self.store.provider_keys.pop((provider, previous), None)
        self.store.provider_keys[(provider, key)] = ctx.host_id
        self.store.host_provider_keys[(ctx.host_id, provider)] = key
        return Result(200, {"provider": provider, "connected": True}, kind="provider_connection")


def create_app(
    options: ServerOptions, extra_listings: int = 0, *, message_dedup_seconds: float = MESSAGE_DEDUP_SECONDS
) -> Starlette:
    """A Coliving reference server; `extra_listings` generated listings are added to host 321.

    Raises ValueError for a fault name not in `FAULTS`.
    """
    server = ColivingServer(
        options, extra_listings=extra_listings, message_dedup_seconds=message_dedup_seconds
    )
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app = Starlette(routes=[StarletteRoute("/{path:path}", server.handle, methods=methods)])
    app.state.coliving = server
    return app
