"""The LeadDesk reference server: an in-memory Starlette app implementing leaddesk-api.txt.

`create_app(options)` serves the API under /stable: the OAuth 2 token endpoint
`POST /stable/oauth/access-token`, then, with `Authorization: Bearer <access token>`, users (also
listed as agents), products and campaigns. JSON bodies are `Content-Type: application/json;
charset=utf-8`; 204s have no body and no Content-Type; errors are `{"error": <code>,
"error_description": <text>}`, a 422 adds `error_validation` (parameter -> messages).
`options.faults` switches on single deviations (see `faults.py`); `options.variant` picks one of
three conformant variants: clean (this docstring), quirky and alternate (below).

The token endpoint (grants, token errors, refresh) is described in `oauth.py`.

Order of processing of any other request: a path outside /stable/ is 404 not_found -> an Accept
header that admits no JSON is 406 not_acceptable (the document: "If some else content type is
requested an error will occur") -> authentication (no Bearer token: 401 unauthorized; an unknown
or expired one: 401 invalid_token; both with a `WWW-Authenticate: Bearer` challenge) -> a
read-only token on POST, PATCH, PUT or
DELETE: 403 forbidden -> route (unknown path 404 not_found; a method the path does not take 405
method_not_allowed with Allow; HEAD is served as GET) -> object id (unknown, or not a canonical
decimal integer: 404 user_not_found / product_not_found / campaign_not_found) -> body (a
Content-Type other than application/json, or a body that is not UTF-8 JSON: 415
unsupported_media_type) -> validation (422 validation_failed naming every invalid field).
Unexpected exceptions become a 500 internal_error.

Resources (ids ascending in collections; `_links.self` on every object, `custom_fields` on users;
times ISO 8601 with offset, 2018-12-30T16:18:40+02:00), each described in its module:

- collections, GET /users (and /agents, the same users), /products, /campaigns: `paging.py`;
- users `{id, username, email, created_at}`, POST /users: `users.py`;
- products `{id, name, price, created_at}`, POST /products, PATCH /products/{id}: `products.py`;
- campaigns `{id, name, created_at, products: [{id}], users: [{id}]}`, POST /campaigns, PATCH and
  POST /campaigns/{id}, GET, PATCH and POST /campaigns/{id}/users and /products, DELETE
  /campaigns/{id}/users/{user id} and /products/{product id}: `campaigns.py`;
- GET of one object, DELETE /users/{id} and /products/{id}, the answers to writes: `objects.py`.

Unknown body fields are ignored; null is not a value of any field.

No rate limit is documented and none is enforced.

The server setting `token_lifetime` (ServerOptions.settings; default 3600 seconds) is how long
access tokens live. How the server is deployed (HTTPS, a plain-HTTP listener that refuses
service, short-lived tokens for a run that waits them out) is in `transport.py`.

The quirky variant (`options.quirky`) stays conformant but: every JSON object's keys in reverse
order; objects also carry `status: "active"` and `updated_at`; creates answer 201 with the whole
object; tokens live twice as long (expires_in 7200) and have 64 hex characters; other
error_description wordings; `Content-Type: application/json` without charset; 400 (not 406) for
an Accept that admits no JSON; an invalid page or
per_page is 422 validation_error (with error_validation), except that per_page above 500 is
served as 500.

The alternate variant (`options.alternate`) takes the other reading at every silence point of
suites/leaddesk/readings.toml, and stays conformant:
- it serves only the operations the document shows (POST /users, DELETE /users/{id} and
  /products/{id}, PATCH and POST /campaigns/{id}, PATCH /campaigns/{id}/users, DELETE
  /campaigns/{id}/users/{user id} ("removing user from campaign"), GET /users and /agents) and GET
  of single objects and sub-resources; every other operation is 405 (GET /products and
  /campaigns, POST /products and /campaigns, PATCH /products/{id}, DELETE of a campaign's product,
  PUT anywhere); DELETE on the token endpoint revokes the bearer token (204), an operation beyond
  the document;
- token endpoint: JSON bodies only (a form is 400 invalid_request), leaddesk_client_id must be a
  JSON integer (as in the examples), success is 201 with token_type "bearer", invalid_client is
  400 without a challenge, a special grant the client does not hold is 403 access_denied;
- a request without a token is 400 missing_token; a campaign attribute it does not know (e.g. a
  key in another case) is a 422 naming it; error bodies also carry `message` (the prose's word);
  a GET of an unknown object is 400 with the not-found code (DELETE of one stays 404); a page past
  the last is 404 page_not_found; validation errors are 422 invalid_parameters; a body that is
  not application/json is 400 unsupported_content_type (malformed JSON stays 415);
- creates answer 201 `{id}`; modifications and added relations answer 200 with the campaign;
- members are named as the prose names them: collections `{collection, links: {next, previous},
  meta: {page, per_page}}` (no self, no total; a link that is not available is null; links are
  relative, the first page's names no page), objects carry `_link` with their further resources
  only (no self; a campaign's users and products) and an internal `_type`;
- dates are ISO 8601 basic format (20181230T161840+0200);
- campaign objects hold no users or products, only their counts (product_count, user_count):
  GET /campaigns/{id}/users (or products) answers a collection; a PATCH with users changes only
  the given entries (they are uniquely identified), a PATCH with products replaces them (the
  document's example);
- the API is also served under /2 (the sub-resource example's path).

Faults (`options.faults`, see `faults.py`) are `if "<name>" in self.faults` branches at the one
place each deviation happens; the 500s they provoke are logged at DEBUG, any other 500 at ERROR.

Layout, bottom to top (no module imports one above it): `store` (state, seed data), `wire` (errors,
wordings, rendering, the variants' presentation of objects, request bodies), `oauth` (the token
endpoint and bearer authentication), `objects` (finding, reading, deleting; the answers to
writes), `paging` (collections), `users`, `products`, `campaigns` (one resource family each), and
this module: the request pipeline and the route table.
"""

from __future__ import annotations

import logging
import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from apiconform.providers.leaddesk.campaigns import Campaigns
from apiconform.providers.leaddesk.faults import FAULTS
from apiconform.providers.leaddesk.oauth import TOKEN_LIFETIME, TOKEN_PATH, OAuth
from apiconform.providers.leaddesk.objects import Objects
from apiconform.providers.leaddesk.paging import Paging
from apiconform.providers.leaddesk.products import Products
from apiconform.providers.leaddesk.store import RELATIONS, seed
from apiconform.providers.leaddesk.users import Users
from apiconform.providers.leaddesk.wire import PREFIX, Answer, ApiError, Ctx, Handler, Wire
from apiconform.reference.kit import catch_all, guarded
from apiconform.reference.serving import ServerOptions

logger = logging.getLogger(__name__)

ALTERNATE_PREFIX = "/2"  # the sub-resource example's path: the alternate variant serves the API there too
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
#: The alternate variant's methods per route: what the document shows (POST /users, DELETE
#: /users/123 and /products/12345, PATCH and POST /campaigns/{id}, PATCH /campaigns/{id}/users,
#: GET /users and /agents) and GET of single objects (the GET row: "GET can be used to fetch
#: single objects"); every other operation is 405.
ALTERNATE_METHODS: dict[str, tuple[str, ...]] = {
    "users": ("GET", "POST"),
    "user": ("GET", "DELETE"),
    "agents": ("GET",),
    "products": (),
    "product": ("GET", "DELETE"),
    "campaigns": (),
    "campaign": ("GET", "PATCH", "POST"),
    "campaign-users": ("GET", "PATCH"),
    "campaign-products": ("GET",),
    "campaign-users-entry": ("DELETE",),
    "campaign-products-entry": (),
}
JSON_MEDIA_RANGES = ("application/json", "application/*", "*/*")


class LeadDeskServer:
    """The request pipeline and the route table of one server; `create_app` wraps it in Starlette.

    Its state is `store`; `wire` presents answers, `oauth` issues and checks tokens."""

    def __init__(self, options: ServerOptions) -> None:
        self.faults = FAULTS.validate(options.faults)
        self.alternate = options.alternate
        self.wire = Wire(self.faults, quirky=options.quirky, alternate=options.alternate)
        self.store = seed()
        lifetime = options.settings.get("token_lifetime", TOKEN_LIFETIME)
        assert isinstance(lifetime, int | float) and lifetime > 0, lifetime
        self.oauth = OAuth(self.wire, self.store, dict(options.credentials), lifetime)
        objects = Objects(self.wire, self.store)
        paging = Paging(objects)
        users, products, campaigns = Users(objects), Products(objects), Campaigns(objects)
        routes: list[tuple[str, str, dict[str, Handler]]] = [
            ("users", r"/users", {"GET": paging.lister("users"), "POST": users.create}),
            (
                "user",
                r"/users/(?P<id>[^/]+)",
                {"GET": objects.reader("users"), "DELETE": objects.deleter("users")},
            ),
            ("agents", r"/agents", {"GET": paging.lister("users", "agents")}),
            ("products", r"/products", {"GET": paging.lister("products"), "POST": products.create}),
            (
                "product",
                r"/products/(?P<id>[^/]+)",
                {
                    "GET": objects.reader("products"),
                    "PATCH": products.patch,
                    "DELETE": objects.deleter("products"),
                },
            ),
            ("campaigns", r"/campaigns", {"GET": paging.lister("campaigns"), "POST": campaigns.create}),
            (
                "campaign",
                r"/campaigns/(?P<id>[^/]+)",
                {"GET": objects.reader("campaigns"), "PATCH": campaigns.patch, "POST": campaigns.post},
            ),
        ]
        for relation in RELATIONS:
            handlers: dict[str, Handler] = {
                "GET": campaigns.read_relation,
                "PATCH": campaigns.patch_relation,
                "POST": campaigns.post_relation,
            }
            pattern = rf"/campaigns/(?P<id>[^/]+)/(?P<relation>{relation})"
            routes.append((f"campaign-{relation}", pattern, handlers))
            entry = rf"{pattern}/(?P<entry>[^/]+)"
            routes.append((f"campaign-{relation}-entry", entry, {"DELETE": campaigns.remove_relation}))
        self.routes: list[tuple[re.Pattern[str], dict[str, Handler]]] = [
            (re.compile(re.escape(PREFIX) + pattern), self.shown(name, handlers))
            for name, pattern, handlers in routes
        ]

    def shown(self, route: str, handlers: dict[str, Handler]) -> dict[str, Handler]:
        """The handlers of a route: all of them, or in the alternate variant only the operations
        the document shows (ALTERNATE_METHODS)."""
        if not self.alternate:
            return handlers
        return {method: handler for method, handler in handlers.items() if method in ALTERNATE_METHODS[route]}

    # --- pipeline -------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        """The response to any request: an answer, an error, or the 500 for an exception."""
        return await guarded(request, self.serve, self.internal_error, logger)

    def internal_error(self) -> Response:
        """The server's own 500: internal_error in the error shape."""
        return self.wire.failure(ApiError(500, "internal_error", "server-error"))

    async def serve(self, request: Request, *, unauthenticated: bool = False) -> Response:
        """The token endpoint's or a resource's answer, or the error it raised, rendered
        (`unauthenticated`: resources are served without a token, as the password user)."""
        try:
            path, method = request.scope["path"], request.method
            if self.alternate and path.startswith(ALTERNATE_PREFIX + "/"):
                path = PREFIX + path.removeprefix(ALTERNATE_PREFIX)
            body = await request.body() if method in WRITE_METHODS else b""
            if path == TOKEN_PATH:
                answer = self.oauth.endpoint(request, method, body)
            else:
                answer = self.dispatch(request, path, method, body, unauthenticated=unauthenticated)
            return self.wire.render(answer)
        except ApiError as error:
            return self.wire.failure(error)

    def dispatch(
        self, request: Request, path: str, method: str, body: bytes, *, unauthenticated: bool = False
    ) -> Answer:
        """A request outside the token endpoint, through the processing order above."""
        if not path.startswith(PREFIX + "/"):
            raise ApiError(404, "not_found", "not-found", path)
        if not self.accepts_json(request) and "accept-ignored" not in self.faults:
            # the error for another content type is not stated: the quirky variant says 400
            raise ApiError(400 if self.wire.quirky else 406, "not_acceptable", "not-acceptable")
        session = self.oauth.password_user() if unauthenticated else self.oauth.authenticate(request)
        if method in WRITE_METHODS and session.grant.read_only and "read-only-can-write" not in self.faults:
            raise ApiError(403, "forbidden", "forbidden")
        for pattern, handlers in self.routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            handler = handlers.get("GET" if method == "HEAD" else method)
            if handler is None:
                raise self.wire.method_not_allowed(method, list(handlers))
            return handler(Ctx(request, match.groupdict(), session, body))
        raise ApiError(404, "not_found", "not-found", path)

    @staticmethod
    def accepts_json(request: Request) -> bool:
        """Whether the request's Accept header (if any) admits application/json."""
        accept = request.headers.get("accept")
        if accept is None:
            return True
        ranges = {part.partition(";")[0].strip().lower() for part in accept.split(",")}
        return bool(ranges & set(JSON_MEDIA_RANGES))


def create_app(options: ServerOptions) -> Starlette:
    """A LeadDesk reference server. Raises ValueError for a fault name not in `FAULTS`."""
    server = LeadDeskServer(options)
    app = catch_all(server.handle)
    app.state.leaddesk = server
    return app
