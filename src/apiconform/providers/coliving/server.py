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
  scheme than Bearer counts as no key; an expired key (`api_key_expired`) is refused like an
  inactive one. A 401 carries `WWW-Authenticate: Bearer realm="coliving"` and `errors: []`.
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

- Auth [auth-header-forms, validation-order, permissions-unstated, key-location]: POST and PATCH
  /v1/listings need X-API-Key (Bearer alone gets 401: their header tables mark X-API-Key
  required); POST bodies are validated before the key is checked; POST
  /v1/integrations/{provider}/provider-key needs `integrations.write` (held by the full keys);
  POST /v1/users, /v1/bookings and their messages need no permission; the query parameter api_key
  is taken as a key too.
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
- Listings [original-id-scope, patch-status-values, empty-patch-body, list-item-absent-values,
  patch-nesting]: original_ids are unique across hosts (422 original_id taken for another host's);
  PATCH may not set status published (the platform publishes); an empty PATCH body is 422 path
  body; a PATCH merges the sections it sends into the stored ones key by key; a listing without
  original_id lists none, a room created without a name lists name null.
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
- Idempotency [idempotency-replay, idempotency-key-over-limit, idempotency-scope]: a replay
  answers the first status with `Idempotent-Replayed: true`; a key over 255 characters is 400
  bad_request; entries are scoped by the resource created (users, bookings, listings).
- Rate limit [ratelimit-window, throttled-response]: a fixed window per key anchored at its first
  request (Laravel's throttle); a 429 carries no Retry-After.
- Booking messages [message-body]: the body field is `body`, data is {id, booking_id, body,
  created_at}, and the de-duplication window 30 s (unless `message_dedup_seconds` is given).

Faults (`options.faults`, see `faults.py`) are `if "<name>" in self.faults` branches at the one
place each deviation happens; the 500s they provoke are logged at DEBUG, any other 500 at ERROR.

Layout, bottom to top (each module imports only those below it):

- `store.py`: the in-memory state and its seed data; `wire.py`: errors, results, the request
  context and body parsing, request ids, envelopes, timestamps and the variants' presentation;
- one module per resource: `users.py`, `bookings.py`, `messages.py` (booking messages),
  `listings.py` (the list), `listing_writes.py` (upsert and PATCH), `integrations.py` (provider
  keys); `access.py` (authentication, rate limit, permissions) and `idempotency.py`;
- this module: the route table and the pipeline above, and `create_app`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from apiconform.providers.coliving.access import Access
from apiconform.providers.coliving.bookings import Bookings
from apiconform.providers.coliving.faults import FAULTS
from apiconform.providers.coliving.idempotency import Idempotency
from apiconform.providers.coliving.integrations import Integrations
from apiconform.providers.coliving.listing_writes import ListingWrites
from apiconform.providers.coliving.listings import Listings
from apiconform.providers.coliving.messages import MESSAGE_DEDUP_SECONDS, Messages
from apiconform.providers.coliving.store import INTEGRATIONS_WRITE, Store, seed, seed_alternate
from apiconform.providers.coliving.users import Users
from apiconform.providers.coliving.wire import JSON, ApiError, Ctx, Result, Wire
from apiconform.reference.kit import catch_all, guarded
from apiconform.reference.serving import ServerOptions

logger = logging.getLogger(__name__)

Handler = Callable[[Ctx, dict[str, str]], Result]


@dataclass(frozen=True)
class Route:
    """One operation: its method and path, endpoint, permission, idempotency scope ("" for
    endpoints without Idempotency-Key) and the body check the alternate variant runs before
    authentication."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    permission: str | None
    scope: str
    prevalidate: Callable[[dict[str, JSON]], None] | None = None


class ColivingServer:
    """The route table and the request pipeline over the resources; `create_app` serves one."""

    def __init__(self, options: ServerOptions, *, extra_listings: int, message_dedup_seconds: float) -> None:
        self.options = options
        self.faults = FAULTS.validate(options.faults)
        self.quirky = options.quirky
        self.alternate = options.alternate
        self.store = Store()
        seed(
            self.store,
            dict(options.credentials),
            extra_listings,
            normalize="legacy-aliases-ignored" not in self.faults,
        )
        if self.alternate:
            seed_alternate(self.store)
        self.wire = Wire(self.faults, quirky=self.quirky, alternate=self.alternate)
        self.lock = threading.Lock()
        self.access = Access(self.wire, self.store, options)
        self.idempotency = Idempotency(self.wire, self.store, self.lock)
        self.users = Users(self.wire, self.store)
        self.bookings = Bookings(self.wire, self.store)
        self.messages = Messages(self.wire, self.store, message_dedup_seconds)
        self.listings = Listings(self.wire, self.store)
        self.listing_writes = ListingWrites(self.wire, self.store)
        self.integrations = Integrations(self.wire, self.store)
        self.routes = [
            Route(
                "POST",
                re.compile(r"/v1/users"),
                self.users.create_user,
                "users.write",
                "POST /v1/users",
                lambda body: self.users.validate_user(body, check_taken=False).raise_if_any(),
            ),
            Route(
                "POST",
                re.compile(r"/v1/bookings"),
                self.bookings.create_booking,
                "bookings.write",
                "POST /v1/bookings",
                lambda body: self.bookings.validate_booking(body, host_id=None).raise_if_any(),
            ),
            Route(
                "POST",
                re.compile(r"/v1/bookings/(?P<id>[^/]+)/messages"),
                self.messages.create_message,
                "bookings.write",
                "",
            ),
            Route("GET", re.compile(r"/v1/listings"), self.listings.list_listings, "listings.read", ""),
            Route("HEAD", re.compile(r"/v1/listings"), self.listings.list_listings, "listings.read", ""),
            Route(
                "POST",
                re.compile(r"/v1/listings"),
                self.listing_writes.upsert_listing,
                "listings.write",
                "POST /v1/listings",
                lambda body: self.listing_writes.validate_listing(body, partial=False).raise_if_any(),
            ),
            Route(
                "PATCH",
                re.compile(r"/v1/listings/(?P<id>[^/]+)"),
                self.listing_writes.patch_listing,
                "listings.write",
                "",
            ),
            Route(
                "POST",
                re.compile(r"/v1/integrations/(?P<provider>[^/]+)/provider-key"),
                self.integrations.connect_provider,
                INTEGRATIONS_WRITE if self.alternate else "listings.write",
                "",
            ),
        ]
        if self.alternate:  # no operation the document does not show
            self.routes = [route for route in self.routes if route.method != "HEAD"]

    async def handle(self, request: Request) -> Response:
        """The answer to any request: the endpoint's, an error envelope, or the 500 envelope when
        the endpoint raises anything else (see the module docstring for the order of processing)."""
        body_id, header_id = self.wire.request_ids(request)
        ctx = Ctx(request, body_id, header_id)
        response = await guarded(
            request,
            lambda _: self.answer(ctx),
            lambda: self.wire.failure(ctx, ApiError(500, "internal_error", "An unexpected error occurred.")),
            logger,
        )
        if self.quirky:
            await asyncio.sleep(random.uniform(0, 0.015))
        return response

    async def answer(self, ctx: Ctx) -> Response:
        """Route, authenticate, rate-limit, authorise and serve `ctx`: a success or an error envelope."""
        request = ctx.request
        try:
            route, params = self.resolve(request.method, request.scope["path"])
            if route.method in ("POST", "PATCH"):
                ctx.raw_body = await request.body()
            if route.prevalidate is not None and ("validation-before-auth" in self.faults or self.alternate):
                route.prevalidate(ctx.json())
            ctx.key = self.access.authenticate(request)
            listing_write = route.handler in (
                self.listing_writes.upsert_listing,
                self.listing_writes.patch_listing,
            )
            if self.alternate and listing_write and not request.headers.get("x-api-key", "").strip():
                # "X-API-Key * Header: Required API key" in these two operations' header tables
                raise self.access.unauthorized("The X-API-Key header is required for this endpoint.")
            self.access.check_rate_limit(ctx)
            self.access.check_permission(ctx.key, self.permission(route))
            return self.wire.success(ctx, await self.serve(ctx, route, params))
        except ApiError as error:
            return self.wire.failure(ctx, error)

    def permission(self, route: Route) -> str | None:
        """The permission `route` needs (None: any valid key), as the faults and variant have it.
        The alternate variant names none for users, bookings and booking messages: the document
        states permissions for the listing endpoints only [permissions-unstated]."""
        handler = route.handler
        if handler == self.listings.list_listings:
            if "read-needs-write" in self.faults:
                return "listings.write"
            if "read-permission-unchecked" in self.faults:
                return None
        unstated = (self.users.create_user, self.bookings.create_booking, self.messages.create_message)
        if handler in unstated and self.alternate:
            return None
        if handler in unstated[:2] and "write-permissions-ignored" in self.faults:
            return None
        return route.permission

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

    async def serve(self, ctx: Ctx, route: Route, params: dict[str, str]) -> Result:
        """Run the endpoint under the server's lock, honouring an Idempotency-Key on the routes
        that take one."""
        scope = route.scope
        if route.handler == self.messages.create_message and "messages-honour-idempotency-key" in self.faults:
            scope = "POST /v1/bookings/{id}/messages"
        if "idempotency-listings-only" in self.faults and scope in ("POST /v1/users", "POST /v1/bookings"):
            scope = ""
        if scope and self.alternate:  # entries scoped by the resource created [idempotency-scope]
            scope = scope.rsplit("/", 1)[-1]
        idempotency_key = ctx.request.headers.get("idempotency-key") if scope else None
        if idempotency_key is None:
            with self.lock:
                return route.handler(ctx, params)
        return await self.idempotency.run(ctx, scope, idempotency_key, lambda: route.handler(ctx, params))


def create_app(
    options: ServerOptions, extra_listings: int = 0, *, message_dedup_seconds: float = MESSAGE_DEDUP_SECONDS
) -> Starlette:
    """A Coliving reference server; `extra_listings` generated listings are added to host 321.

    Raises ValueError for a fault name not in `FAULTS`.
    """
    server = ColivingServer(
        options, extra_listings=extra_listings, message_dedup_seconds=message_dedup_seconds
    )
    app = catch_all(server.handle)
    app.state.coliving = server
    return app
