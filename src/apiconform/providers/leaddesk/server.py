"""The LeadDesk reference server: an in-memory Starlette app implementing leaddesk-api.txt.

`create_app(options)` serves the API under /stable: the OAuth 2 token endpoint
`POST /stable/oauth/access-token`, then, with `Authorization: Bearer <access token>`, users (also
listed as agents), products and campaigns. JSON bodies are `Content-Type: application/json;
charset=utf-8`; 204s have no body and no Content-Type; errors are `{"error": <code>,
"error_description": <text>}`, a 422 adds `error_validation` (parameter -> messages).
`options.faults` switches on single deviations (see `faults.py`); `options.variant` picks one of
three conformant variants: clean (this docstring), quirky and alternate (below).

Token endpoint (RFC 6749): a JSON body, or application/x-www-form-urlencoded (any other body is
read as JSON; one that is not a JSON object is 400 invalid_request). Grants: `password`
(client_id, client_secret, username, password: the configured user, or the read-only user with its
password, giving a read-only token), `leaddesk_client_id` (client_id, client_secret,
leaddesk_client_id), `client_user` (client_id, client_secret, username: either user,
leaddesk_client_id) and `refresh_token` (client_id, client_secret, refresh_token). Parameters are
non-empty strings or integers, compared as strings (leaddesk_client_id is sent as a number). Checks
in order: grant_type (missing or unknown: 400 unsupported_grant_type) -> the grant's parameters
(400 invalid_request naming the missing ones) -> client (401 invalid_client with
`WWW-Authenticate: Basic realm="LeadDesk"`) -> the grant (400 invalid_grant). A credential the
server was not configured with matches nothing. Success: 200 `{access_token, token_type: "Bearer",
expires_in: 3600, refresh_token}` (40 hex characters each) with `Cache-Control: no-store` and
`Pragma: no-cache`. Access tokens expire after expires_in seconds; refresh tokens do not expire. A
refresh invalidates the previous access and refresh tokens; the new ones act for the same user,
read-only or not. The endpoint takes POST only (405 with Allow) and needs no access token.

Order of processing of any other request: a path outside /stable/ is 404 not_found ->
authentication (no Bearer token: 401 unauthorized; an unknown or expired one: 401 invalid_token;
both with a `WWW-Authenticate: Bearer` challenge) -> a read-only token on POST, PATCH, PUT or
DELETE: 403 forbidden -> route (unknown path 404 not_found; a method the path does not take 405
method_not_allowed with Allow; HEAD is served as GET) -> object id (unknown, or not a canonical
decimal integer: 404 user_not_found / product_not_found / campaign_not_found) -> body (a
Content-Type other than application/json, or a body that is not UTF-8 JSON: 415
unsupported_media_type) -> validation (422 validation_failed naming every invalid field).
Unexpected exceptions become a 500 internal_error.

Resources (ids ascending in collections; `_links.self` on every object, `custom_fields` on users):

- GET /users (and /agents, the same users), /products, /campaigns: `{collection, _links: {self,
  next?, prev?}, _meta: {total}}`.
  `page` >= 1 (default 1) and `per_page` 1..500 (default 25) are decimal integers (a sign is
  allowed, so -1 is "at least 1"; anything else "must be an integer"); both are checked and named
  in one 422. Links are absolute, built from the request's base URL, with only page and per_page
  in the query; next is on every page before the last, prev on every page after the first (a page
  past the end is empty, has prev and no next, and keeps the total).
- GET /users/{id}, /products/{id}, /campaigns/{id}. Users `{id, username, email, created_at}`,
  products `{id, name, price, created_at}`, campaigns `{id, name, created_at, products: [{id}],
  users: [{id}]}`; times ISO 8601 with offset (2018-12-30T16:18:40+02:00).
- POST /users `{username}` (the document's example; a non-empty string of at most 255 characters
  no other user has), POST /products `{name, price?}` (name a non-empty string of at most 255
  characters, price an integer >= 0, default 0) and POST /campaigns `{name, products?, users?}`:
  200 `{id}`. PATCH /products/{id} (the sent fields, validated alike): 204. DELETE /users/{id} and
  /products/{id}: 204; a deleted user or product is detached from every campaign and its id is
  not reused.
- PATCH /campaigns/{id} `{name?, products?, users?}`: an array replaces the relation; POST
  /campaigns/{id} `{products?, users?}` adds to it (an attached id is a no-op; other fields are
  ignored); both 204. GET /campaigns/{id}/users and /products: a JSON array of `{id}`; PATCH with
  an array replaces, POST adds (204). An array holds objects with an integer `id` of an existing
  object; repeated ids count once; an invalid item is a 422 keyed by the relation
  ("The selected products.0.id is invalid.").
- Unknown body fields are ignored; null is not a value of any field.

No rate limit is documented and none is enforced.

The quirky variant (`options.quirky`) stays conformant but: every JSON object's keys in reverse
order; objects also carry `status: "active"` and `updated_at`; creates answer 201 with the whole
object; expires_in 7200 and 64-hex-character tokens; other error_description wordings;
`Content-Type: application/json` without charset; an invalid page or per_page is 400 bad_request
(no error_validation), except that per_page above 500 is served as 500.

The alternate variant (`options.alternate`) takes the other reading at every silence point of
suites/leaddesk/readings.toml, and stays conformant:
- it serves only the operations the document shows (POST /users, DELETE /users/{id} and
  /products/{id}, PATCH and POST /campaigns/{id}, PATCH /campaigns/{id}/users, GET /users and
  /agents) and GET of single objects and sub-resources; every other operation is 405 (GET
  /products and /campaigns, POST /products and /campaigns, PATCH /products/{id}, PUT anywhere);
  DELETE on the token endpoint revokes the bearer token (204), an operation beyond the document;
- token endpoint: JSON bodies only (a form is 400 invalid_request), leaddesk_client_id must be a
  JSON integer (as in the examples), success is 201 with token_type "bearer", invalid_client is
  400 without a challenge;
- a request without a token is 400 missing_token; an Accept header that admits no JSON is 406;
  a GET of an unknown object is 400 with the not-found code (DELETE of one stays 404); a page past
  the last is 404 page_not_found; validation errors are 422 invalid_parameters; a body that is
  not application/json is 400 unsupported_content_type (malformed JSON stays 415);
- creates answer 201 `{id}`; modifications and added relations answer 200 with the campaign;
- members are named as the prose names them: collections `{collection, links: {next, previous},
  meta: {page, per_page}}` (no self, no total; a link that is not available is null; links are
  relative, the first page's names no page), objects carry `_link` with their further resources
  only (no self; a campaign's users and products) and an internal `_type`;
- dates are ISO 8601 basic format (20181230T161840+0200);
- campaign objects hold no users or products: GET /campaigns/{id}/users (or products) answers a
  collection; a PATCH with users changes only the given entries (they are uniquely identified),
  a PATCH with products replaces them (the document's example);
- the API is also served under /2 (the sub-resource example's path).

Faults (`options.faults`, see `faults.py`) are `if "<name>" in self.faults` branches at the one
place each deviation happens; the 500s they provoke are logged at DEBUG, any other 500 at ERROR.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, cast
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from apiconform.providers.leaddesk.faults import FAULTS
from apiconform.providers.leaddesk.store import (
    RELATIONS,
    Campaign,
    Grant,
    Product,
    Relation,
    Resource,
    Session,
    User,
    now,
    seed,
)
from apiconform.reference.kit import InjectedFault, catch_all, form_fields, is_int, reverse_keys
from apiconform.reference.serving import ServerOptions

JSON = Any
logger = logging.getLogger(__name__)

PREFIX = "/stable"
ALTERNATE_PREFIX = "/2"  # the sub-resource example's path: the alternate variant serves the API there too
TOKEN_PATH = f"{PREFIX}/oauth/access-token"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
DEFAULT_PER_PAGE, MAX_PER_PAGE = 25, 500
FAULTY_DEFAULT_PER_PAGE = 20  # default-per-page-20
FAULTY_MAX_PER_PAGE = 100  # per-page-max-100
CRASH_ABOVE_PER_PAGE = 200  # large-per-page-500
MAX_NAME = 255
INTEGER_RE = re.compile(r"([+-]?)0*([0-9]+)")
CANONICAL_ID_RE = re.compile(r"[1-9][0-9]{0,17}")
MAX_PARAMETER_DIGITS = 12  # a page or per_page with more significant digits saturates at 10**12
TOKEN_LIFETIME, QUIRKY_TOKEN_LIFETIME = 3600, 7200
TOKEN_BYTES, QUIRKY_TOKEN_BYTES = 20, 32  # 40 and 64 hex characters
BASIC_CHALLENGE = 'Basic realm="LeadDesk"'
BEARER_CHALLENGE = 'Bearer realm="LeadDesk"'
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
GRANT_PARAMETERS: dict[str, tuple[str, ...]] = {
    "password": ("client_id", "client_secret", "username", "password"),
    "leaddesk_client_id": ("client_id", "client_secret", "leaddesk_client_id"),
    "client_user": ("client_id", "client_secret", "username", "leaddesk_client_id"),
    "refresh_token": ("client_id", "client_secret", "refresh_token"),
}
# grant type -> the fault that refuses it as unsupported
DISABLED_GRANTS = {
    "leaddesk_client_id": "leaddesk-client-id-grant-unsupported",
    "client_user": "client-user-grant-unsupported",
}
SINGULAR = {"users": "user", "products": "product", "campaigns": "campaign"}
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
}
JSON_MEDIA_RANGES = ("application/json", "application/*", "*/*")

#: key -> (reference wording, quirky wording); `{}` placeholders are filled by `str.format`.
MESSAGES: dict[str, tuple[str, str]] = {
    "not-found": ("No resource exists at {}.", "Nothing here: {}."),
    "user_not_found": ("User not found", "No user has the id {}."),
    "product_not_found": ("Product not found", "No product has the id {}."),
    "campaign_not_found": ("Campaign not found", "No campaign has the id {}."),
    "method": ("Method {} is not allowed for this resource.", "{} is not supported here."),
    "unauthorized": ("An access token is required.", "You must authenticate with a Bearer token."),
    "invalid-token": ("The access token is invalid or has expired.", "This access token is not valid."),
    "forbidden": ("The access token is read-only.", "Read-only users cannot modify data."),
    "media-type": (
        "The request body must be JSON (Content-Type: application/json).",
        "Only application/json request bodies are supported.",
    ),
    "malformed-json": ("The request body is not valid JSON.", "The JSON body could not be parsed."),
    "validation": ("Parameter validation failed", "The given data was invalid."),
    "bad-parameter": ("Invalid {}.", "The {} parameter is out of range or not a number."),
    "server-error": ("Internal server error", "Something went wrong on our side."),
    "unsupported-grant": (
        "The authorization grant type is not supported by the authorization server.",
        "Unknown grant_type.",
    ),
    "missing-parameters": (
        "The request is missing a required parameter: {}.",
        "Required parameters are missing: {}.",
    ),
    "token-body": (
        "The token request must be a JSON object or a form.",
        "Send the token request as a JSON object.",
    ),
    "invalid-client": ("Client authentication failed.", "Unknown client or wrong client secret."),
    "invalid-credentials": ("The user credentials were incorrect.", "Wrong username or password."),
    "invalid-client-number": ("The LeadDesk client or user is not known.", "Unknown LeadDesk client."),
    "invalid-refresh": ("The refresh token is invalid.", "This refresh token cannot be used."),
    "client-number": (
        "The leaddesk_client_id must be an integer.",
        "leaddesk_client_id is not a number.",
    ),
    "token-json": ("The token request must be a JSON object.", "Send the token request as JSON."),
    "missing-token": ("The Authorization header is required.", "No Authorization header was sent."),
    "not-acceptable": ("Only application/json responses are available.", "Accept application/json."),
    "page-not-found": ("Page {} does not exist.", "There is no page {}."),
    "username-taken": ("The username has already been taken.", "That username is in use."),
}


class ApiError(Exception):
    """An error answer: status, error code, message key (and its values), error_validation.

    `oauth` marks the token endpoint's errors (some faults change only those)."""

    def __init__(
        self,
        status: int,
        code: str,
        key: str,
        *values: object,
        validation: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        oauth: bool = False,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.key = key
        self.values = values
        self.validation = validation
        self.headers = headers or {}
        self.oauth = oauth


class Problems:
    """Validation messages by field; `raise_if_any` turns them into one 422 (error `code`)."""

    def __init__(self, code: str = "validation_failed") -> None:
        self.items: dict[str, list[str]] = {}
        self.code = code

    def add(self, name: str, message: str) -> None:
        self.items.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ApiError(422, self.code, "validation", validation=self.items)


@dataclass
class Answer:
    """A success: status, the JSON body (None: no body) and extra headers."""

    status: int
    body: JSON = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Ctx:
    """One request being served."""

    request: Request
    params: dict[str, str]
    session: Session
    body: bytes = b""

    @property
    def root(self) -> str:
        """The API root as the client addressed it (an absolute URL, no trailing slash)."""
        return str(self.request.base_url).rstrip("/") + PREFIX


Handler = Callable[[Ctx], Answer]


def strict_json(content: bytes) -> JSON:
    """The JSON value of a UTF-8 body; ValueError for anything else (NaN and Infinity included)."""

    def reject(name: str) -> JSON:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(content.decode("utf-8"), parse_constant=reject)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


def parameter_text(value: JSON) -> str | None:
    """A token request parameter as text: a non-empty string, or an integer's digits."""
    if is_int(value):
        return str(value)
    return value if isinstance(value, str) and value else None


def is_utf8(text: str) -> bool:
    """Whether `text` can be answered in UTF-8 (JSON escapes can spell lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_integer(raw: str) -> int | None:
    """The integer `raw` spells (an optional sign, ASCII digits), saturating at 10**12."""
    match = INTEGER_RE.fullmatch(raw)
    if match is None:
        return None
    sign, digits = match.groups()
    value = int(digits) if len(digits) <= MAX_PARAMETER_DIGITS else 10**MAX_PARAMETER_DIGITS
    return -value if sign == "-" else value


class LeadDeskServer:
    """The endpoints and the request pipeline; `create_app` wraps one instance in Starlette."""

    def __init__(self, options: ServerOptions) -> None:
        self.faults = FAULTS.validate(options.faults)
        self.quirky = options.quirky
        self.alternate = options.alternate
        self.credentials = dict(options.credentials)
        self.store = seed()
        self.deleted: set[tuple[str, int]] = set()  # (kind, id) deleted (for second-delete-204)
        routes: list[tuple[str, str, dict[str, Handler]]] = [
            ("users", r"/users", {"GET": self.lister("users"), "POST": self.create_user}),
            ("user", r"/users/(?P<id>[^/]+)", {"GET": self.reader("users"), "DELETE": self.deleter("users")}),
            ("agents", r"/agents", {"GET": self.lister("users", "agents")}),
            ("products", r"/products", {"GET": self.lister("products"), "POST": self.create_product}),
            (
                "product",
                r"/products/(?P<id>[^/]+)",
                {
                    "GET": self.reader("products"),
                    "PATCH": self.patch_product,
                    "DELETE": self.deleter("products"),
                },
            ),
            ("campaigns", r"/campaigns", {"GET": self.lister("campaigns"), "POST": self.create_campaign}),
            (
                "campaign",
                r"/campaigns/(?P<id>[^/]+)",
                {"GET": self.reader("campaigns"), "PATCH": self.patch_campaign, "POST": self.post_campaign},
            ),
        ]
        for relation in RELATIONS:
            handlers: dict[str, Handler] = {
                "GET": self.read_relation,
                "PATCH": self.patch_relation,
                "POST": self.post_relation,
            }
            pattern = rf"/campaigns/(?P<id>[^/]+)/(?P<relation>{relation})"
            routes.append((f"campaign-{relation}", pattern, handlers))
        self.routes: list[tuple[re.Pattern[str], dict[str, Handler]]] = [
            (self.path(pattern), self.shown(name, handlers)) for name, pattern, handlers in routes
        ]

    @staticmethod
    def path(pattern: str) -> re.Pattern[str]:
        return re.compile(re.escape(PREFIX) + pattern)

    def shown(self, route: str, handlers: dict[str, Handler]) -> dict[str, Handler]:
        """The handlers of a route: all of them, or in the alternate variant only the operations
        the document shows (ALTERNATE_METHODS)."""
        if not self.alternate:
            return handlers
        return {method: handler for method, handler in handlers.items() if method in ALTERNATE_METHODS[route]}

    def problems(self) -> Problems:
        """A validation collector; the alternate variant names the error otherwise (the document
        gives validation_failed only as an example)."""
        return Problems("invalid_parameters" if self.alternate else "validation_failed")

    def message(self, key: str, *values: object) -> str:
        reference, quirky = MESSAGES[key]
        return (quirky if self.quirky else reference).format(*values)

    # --- pipeline -------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        try:
            path, method = request.scope["path"], request.method
            if self.alternate and path.startswith(ALTERNATE_PREFIX + "/"):
                path = PREFIX + path.removeprefix(ALTERNATE_PREFIX)
            body = await request.body() if method in WRITE_METHODS else b""
            if path == TOKEN_PATH:
                if self.alternate and method == "DELETE":  # an operation beyond the document
                    answer = self.revoke(request)
                elif method != "POST":
                    raise self.method_not_allowed(method, ["POST", "DELETE"] if self.alternate else ["POST"])
                else:
                    answer = self.token(request, body)
            else:
                answer = self.dispatch(request, path, method, body)
            response = self.render(answer)
        except ApiError as error:
            response = self.failure(error)
        except Exception as exc:
            log = logger.debug if isinstance(exc, InjectedFault) else logger.error
            log("unhandled error serving %s %s", request.method, request.url.path, exc_info=True)
            response = self.failure(ApiError(500, "internal_error", "server-error"))
        return response

    def dispatch(self, request: Request, path: str, method: str, body: bytes) -> Answer:
        if not path.startswith(PREFIX + "/"):
            raise ApiError(404, "not_found", "not-found", path)
        if self.alternate and not self.accepts_json(request):
            raise ApiError(406, "not_acceptable", "not-acceptable")
        session = self.authenticate(request)
        if method in WRITE_METHODS and session.grant.read_only and "read-only-can-write" not in self.faults:
            raise ApiError(403, "forbidden", "forbidden")
        for pattern, handlers in self.routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            handler = handlers.get("GET" if method == "HEAD" else method)
            if handler is None:
                raise self.method_not_allowed(method, list(handlers))
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

    def method_not_allowed(self, method: str, methods: list[str]) -> ApiError:
        if method == "DELETE" and "delete-collection-404" in self.faults:
            return ApiError(404, "not_found", "not-found", "this path")
        allowed = [*methods[:1], "HEAD", *methods[1:]] if "GET" in methods else methods
        return ApiError(405, "method_not_allowed", "method", method, headers={"Allow": ", ".join(allowed)})

    def password_user(self) -> Session:
        """The session a token-less or unknown-token request is served with under the
        missing-token-served and invalid-token-served faults."""
        return Session(Grant(self.credentials.get("username", ""), False), "", "", math.inf)

    def authenticate(self, request: Request) -> Session:
        scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            if "missing-token-served" in self.faults:
                return self.password_user()
            if "missing-token-403" in self.faults:
                raise ApiError(403, "forbidden", "unauthorized")
            if self.alternate:  # 400 Bad Request: "lacking some mandatory fields"
                raise ApiError(400, "missing_token", "missing-token")
            raise ApiError(
                401, "unauthorized", "unauthorized", headers={"WWW-Authenticate": BEARER_CHALLENGE}
            )
        session = self.store.session(token)
        if session is not None:
            return session
        if "invalid-token-served" in self.faults:
            return self.password_user()
        challenge = f'{BEARER_CHALLENGE}, error="invalid_token"'
        raise ApiError(401, "invalid_token", "invalid-token", headers={"WWW-Authenticate": challenge})

    # --- rendering ------------------------------------------------------------------------

    def json_media_type(self) -> str:
        if "html-content-type" in self.faults:
            return "text/html; charset=utf-8"
        if "charset-latin1" in self.faults:
            return "application/json; charset=iso-8859-1"
        return "application/json" if self.quirky else "application/json; charset=utf-8"

    def render(self, answer: Answer) -> Response:
        if answer.body is None:
            return Response(status_code=answer.status, headers=answer.headers)
        body = reverse_keys(answer.body) if self.quirky else answer.body
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return Response(content, answer.status, answer.headers, self.json_media_type())

    def failure(self, error: ApiError) -> Response:
        status, code, headers = error.status, error.code, error.headers
        description = self.message(error.key, *error.values)
        if error.oauth and "token-errors-nonstandard" in self.faults:
            status, code, headers = 403, "bad_request", {}
        if error.oauth and "token-errors-plain-text" in self.faults:
            return PlainTextResponse(f"{code}: {description}", status, headers)
        body: dict[str, JSON] = {"error": code}
        if "errors-without-description" not in self.faults:
            body["error_description"] = description
        if error.validation is not None and "validation-no-details" not in self.faults:
            body["error_validation"] = error.validation
        return self.render(Answer(status, body, headers))

    def stamp(self, moment: datetime) -> str:
        if "dates-not-iso" in self.faults:
            return moment.strftime("%d.%m.%Y %H:%M")
        if self.alternate or "dates-basic-format" in self.faults:  # ISO 8601 basic format
            return moment.strftime("%Y%m%dT%H%M%S%z")
        return moment.isoformat()

    @property
    def prose_names(self) -> bool:
        """Members named as the prose names them (`_link`, `links`, `meta`, `previous`), not as
        the examples do (`_links`, `_meta`, `prev`)."""
        return self.alternate or "prose-member-names" in self.faults

    def data(self, ctx: Ctx, kind: str, item: Resource, *, links: bool = True) -> dict[str, JSON]:
        """An object as answered: its properties, then its links object (unless `links` is False).
        The alternate variant names it `_link`, lists only further resources (no self), and
        leaves a campaign's users and products to its sub-resources."""
        data: dict[str, JSON] = {"id": item.id}
        if isinstance(item, User):
            data.update(username=item.username, email=item.email)
        elif isinstance(item, Product):
            data.update(name=item.name, price=item.price)
        else:
            data["name"] = item.name
        data["created_at"] = self.stamp(item.created_at)
        if isinstance(item, Campaign) and not self.alternate:
            data.update(products=[{"id": n} for n in item.products], users=[{"id": n} for n in item.users])
        if self.quirky:
            data.update(status="active", updated_at=self.stamp(item.updated_at))
        if "underscore-property" in self.faults:
            data["_internal_id"] = f"{SINGULAR[kind]}-{item.id:06d}"
        if self.alternate:  # the prefix is "reserved for internal use": the API's own use
            data["_type"] = SINGULAR[kind]
        if links:
            url = f"{ctx.root}/{kind}/{item.id}"
            further: dict[str, str] = {} if self.alternate else {"self": url}
            if isinstance(item, User):
                further["custom_fields"] = f"{url}/custom-fields"
            elif isinstance(item, Campaign) and self.alternate:
                further.update(users=f"{url}/users", products=f"{url}/products")
            data["_link" if self.prose_names else "_links"] = further
        return data

    # --- token endpoint -------------------------------------------------------------------

    def token_fields(self, request: Request, body: bytes) -> dict[str, JSON]:
        if media_type(request) == "application/x-www-form-urlencoded":
            if self.alternate:  # the document's token requests are JSON, nothing else
                raise ApiError(400, "invalid_request", "token-json", oauth=True)
            return dict(form_fields(body))
        try:
            fields = strict_json(body)
        except ValueError:
            fields = None
        if not isinstance(fields, dict):
            raise ApiError(400, "invalid_request", "token-body", oauth=True)
        return fields

    def matches(self, sent: str, credential: str) -> bool:
        """Whether `sent` is the configured value of `credential` (never, when not configured)."""
        configured = self.credentials.get(credential)
        return bool(configured) and hmac.compare_digest(
            sent.encode("utf-8", "surrogatepass"), str(configured).encode("utf-8", "surrogatepass")
        )

    def token(self, request: Request, body: bytes) -> Answer:
        fields = self.token_fields(request, body)
        sent_type = fields.get("grant_type")
        grant_type = sent_type if isinstance(sent_type, str) and sent_type in GRANT_PARAMETERS else None
        if grant_type is None and "unknown-grant-as-password" in self.faults:
            grant_type = "password"
        if grant_type is not None and DISABLED_GRANTS.get(grant_type) in self.faults:
            grant_type = None
        if grant_type is None:
            raise ApiError(400, "unsupported_grant_type", "unsupported-grant", oauth=True)
        names = GRANT_PARAMETERS[grant_type]
        sent = {name: parameter_text(fields.get(name)) for name in names}
        missing = [name for name in names if sent[name] is None]
        if missing:
            raise ApiError(400, "invalid_request", "missing-parameters", ", ".join(missing), oauth=True)
        if self.alternate and "leaddesk_client_id" in names and not is_int(fields["leaddesk_client_id"]):
            raise ApiError(400, "invalid_request", "client-number", oauth=True)  # 1 in the examples
        values = cast(dict[str, str], sent)
        client_known = self.matches(values["client_id"], "client_id") and self.matches(
            values["client_secret"], "client_secret"
        )
        if not client_known and "bad-client-accepted" not in self.faults:
            if self.alternate:  # RFC 6749 5.2 allows 400 for invalid_client
                raise ApiError(400, "invalid_client", "invalid-client", oauth=True)
            raise ApiError(
                401,
                "invalid_client",
                "invalid-client",
                headers={"WWW-Authenticate": BASIC_CHALLENGE},
                oauth=True,
            )
        if grant_type == "refresh_token":
            session = self.refresh(values["refresh_token"])
        else:
            session = self.issue(self.grant(grant_type, values))
        token_body: dict[str, JSON] = {
            "access_token": session.access_token,
            "token_type": "bearer" if self.alternate else "Bearer",
            "expires_in": QUIRKY_TOKEN_LIFETIME if self.quirky else TOKEN_LIFETIME,
            "refresh_token": session.refresh_token,
        }
        if grant_type == "password" and "password-grant-no-refresh-token" in self.faults:
            del token_body["refresh_token"]
        status = 201 if self.alternate or "token-201" in self.faults else 200  # the status is not stated
        return Answer(status, token_body, {} if "token-cacheable" in self.faults else dict(NO_STORE))

    def grant(self, grant_type: str, values: dict[str, str]) -> Grant:
        """Whom the credentials of a password, leaddesk_client_id or client_user grant name."""

        def invalid(key: str) -> ApiError:
            return ApiError(400, "invalid_grant", key, oauth=True)

        users = (("username", "password", False), ("read_only_username", "read_only_password", True))
        if grant_type == "password":
            for user, secret, read_only in users:
                if self.matches(values["username"], user) and (
                    self.matches(values["password"], secret) or "bad-password-accepted" in self.faults
                ):
                    return Grant(values["username"], read_only)
            raise invalid("invalid-credentials")
        if not self.matches(values["leaddesk_client_id"], "leaddesk_client_id"):
            raise invalid("invalid-client-number")
        if grant_type == "leaddesk_client_id":
            return Grant(f"client:{values['leaddesk_client_id']}", False)
        for user, _, read_only in users:
            if self.matches(values["username"], user):
                return Grant(values["username"], read_only)
        raise invalid("invalid-client-number")

    def issue(self, grant: Grant, *, usable: bool = True) -> Session:
        size = QUIRKY_TOKEN_BYTES if self.quirky else TOKEN_BYTES
        lifetime = QUIRKY_TOKEN_LIFETIME if self.quirky else TOKEN_LIFETIME
        return self.store.issue(
            grant, secrets.token_hex(size), secrets.token_hex(size), lifetime, usable=usable
        )

    def revoke(self, request: Request) -> Answer:
        """DELETE on the token endpoint (the alternate variant): the bearer token is revoked."""
        session = self.authenticate(request)
        self.store.by_access.pop(session.access_token, None)
        self.store.by_refresh.pop(session.refresh_token, None)
        return Answer(204)

    def refresh(self, refresh_token: str) -> Session:
        """A new session for the grant of `refresh_token`, invalidating the old tokens."""
        old = self.store.by_refresh.get(refresh_token)
        if old is None:
            raise ApiError(400, "invalid_grant", "invalid-refresh", oauth=True)
        if "refresh-keeps-access" not in self.faults:
            self.store.by_access.pop(old.access_token, None)
        if "refresh-keeps-refresh" not in self.faults:
            del self.store.by_refresh[refresh_token]
        return self.issue(old.grant, usable="refresh-token-unusable" not in self.faults)

    # --- reading --------------------------------------------------------------------------

    def table(self, kind: str) -> dict[int, Any]:
        tables: dict[str, dict[int, Any]] = {
            "users": self.store.users,
            "products": self.store.products,
            "campaigns": self.store.campaigns,
        }
        return tables[kind]

    def find(self, ctx: Ctx, kind: str) -> Any:
        """The object the path's id names, or a 404 (a 500 or None under the not-found faults)."""
        raw = ctx.params["id"]
        item = self.table(kind).get(int(raw)) if CANONICAL_ID_RE.fullmatch(raw) else None
        if item is not None:
            return item
        if "not-found-500" in self.faults:
            raise InjectedFault(f"{SINGULAR[kind]} {raw} does not exist")
        reading = ctx.request.method in ("GET", "HEAD")
        if "not-found-200" in self.faults and reading:
            return None
        code = f"{SINGULAR[kind]}_not_found"
        if reading and (self.alternate or "not-found-400" in self.faults):  # "usually" 404
            raise ApiError(400, code, code, raw)
        raise ApiError(404, code, code, raw)

    def reader(self, kind: str) -> Handler:
        def read(ctx: Ctx) -> Answer:
            item = self.find(ctx, kind)
            if item is None:  # not-found-200
                return Answer(200, {})
            return Answer(200, self.data(ctx, kind, item, links="object-no-links" not in self.faults))

        return read

    def page_parameters(self, ctx: Ctx) -> tuple[int, int]:
        """(page, per_page) of a collection request, or a 422 (quirky: 400) naming each bad one."""
        query = ctx.request.query_params
        clamped = "validation-clamped" in self.faults
        problems = self.problems()
        default_per_page = (
            FAULTY_DEFAULT_PER_PAGE if "default-per-page-20" in self.faults else DEFAULT_PER_PAGE
        )
        values: dict[str, int] = {}
        for name, label, default in (("page", "page", 1), ("per_page", "per page", default_per_page)):
            raw = query.get(name)
            value = default if raw is None else parse_integer(raw)
            if value is None:
                if not clamped:
                    problems.add(name, f"The {label} must be an integer.")
                value = default
            elif value < 1:
                if not clamped:
                    problems.add(name, f"The {label} must be at least 1.")
                value = 1
            elif name == "per_page" and value > MAX_PER_PAGE:
                if not (clamped or self.quirky):
                    problems.add(name, f"The {label} may not be greater than {MAX_PER_PAGE}.")
                value = MAX_PER_PAGE
            values[name] = value
        if problems.items and self.quirky:
            raise ApiError(400, "bad_request", "bad-parameter", " and ".join(problems.items))
        problems.raise_if_any()
        page, per_page = values["page"], values["per_page"]
        if per_page > CRASH_ABOVE_PER_PAGE and "large-per-page-500" in self.faults:
            raise InjectedFault(f"per_page {per_page}")
        if "per-page-max-100" in self.faults:
            per_page = min(per_page, FAULTY_MAX_PER_PAGE)
        return page, per_page

    def lister(self, kind: str, path: str | None = None) -> Handler:
        """GET of a collection of `kind`, served at `path` (default: the kind's own path)."""
        path = path or kind

        def list_page(ctx: Ctx) -> Answer:
            page, per_page = self.page_parameters(ctx)
            items = [item for _, item in sorted(self.table(kind).items())]
            total = len(items)
            start = (page - 1) * per_page
            if page > 1 and "page-offset-off-by-one" in self.faults:
                start += 1
            if self.alternate and page > 1 and start >= total:  # no such page: not found
                raise ApiError(404, "page_not_found", "page-not-found", page)
            base = f"{PREFIX if self.alternate else ctx.root}/{path}?"  # alternate: relative links
            links: dict[str, JSON] = {}
            if not (self.alternate or "collection-no-self" in self.faults):
                links["self"] = base + urlencode({"page": page, "per_page": per_page})
            has_next = page * per_page < total
            if "next-on-last-page" in self.faults:
                has_next = start < total
            links["next"] = base + urlencode({"page": page + 1, "per_page": per_page}) if has_next else None
            prev = None
            if page > 1 or "prev-on-first-page" in self.faults:
                query = {"page": page - 1, "per_page": per_page}
                if self.alternate and page == 2:
                    del query["page"]  # the first page's link names no page
                prev = base + urlencode(query)
            links["previous" if self.prose_names else "prev"] = prev
            if not self.alternate:  # the alternate writes null for a page that is not available
                links = {name: value for name, value in links.items() if value is not None}
            reported: JSON = total + 1 if "total-off-by-one" in self.faults else total
            if "meta-total-string" in self.faults:
                reported = str(reported)
            meta: dict[str, JSON] = {"total": reported}
            if self.alternate or "meta-no-total" in self.faults:  # total is "like" what meta holds
                meta = {"page": page, "per_page": per_page}
            key = "items" if "collection-items-key" in self.faults else "collection"
            return Answer(
                200,
                {
                    key: [self.data(ctx, kind, item) for item in items[start : start + per_page]],
                    "links" if self.prose_names else "_links": links,
                    "meta" if self.prose_names else "_meta": meta,
                },
            )

        return list_page

    def read_relation(self, ctx: Ctx) -> Answer:
        """A campaign's users or products: a JSON array of `{id}` (the alternate variant: a
        collection holding all of them on one page)."""
        campaign = self.find(ctx, "campaigns")
        if campaign is None:  # not-found-200
            return Answer(200, {})
        relation = cast(Relation, ctx.params["relation"])
        entries: list[JSON] = [{"id": n} for n in campaign.related(relation)]
        if self.alternate:
            links = {"next": None, "previous": None}
            return Answer(200, {"collection": entries, "links": links, "meta": {"page": 1}})
        return Answer(200, entries)

    # --- writing --------------------------------------------------------------------------

    def json_body(self, ctx: Ctx) -> JSON:
        """The body as JSON, or a 415 (a non-JSON Content-Type, or not UTF-8 JSON)."""
        if media_type(ctx.request) != "application/json":
            if self.alternate or "non-json-400" in self.faults:  # the response is not stated
                raise ApiError(400, "unsupported_content_type", "media-type")
            if "non-json-accepted" not in self.faults:
                raise ApiError(415, "unsupported_media_type", "media-type")
            try:
                return strict_json(ctx.body)
            except ValueError:
                return form_fields(ctx.body)
        try:
            return strict_json(ctx.body)
        except ValueError:
            if "malformed-json-400" in self.faults:
                raise ApiError(400, "bad_request", "malformed-json") from None
            raise ApiError(415, "unsupported_media_type", "malformed-json") from None

    def json_object(self, ctx: Ctx) -> dict[str, JSON]:
        body = self.json_body(ctx)
        if not isinstance(body, dict):
            problems = self.problems()
            problems.add("body", "The request body must be a JSON object.")
            problems.raise_if_any()
        return cast(dict[str, JSON], body)

    @staticmethod
    def check_name(body: dict[str, JSON], problems: Problems, *, required: bool) -> None:
        if "name" not in body and not required:
            return
        name = body.get("name")
        if name is None or name == "":
            problems.add("name", "The name field is required.")
        elif not isinstance(name, str):
            problems.add("name", "The name must be a string.")
        elif len(name) > MAX_NAME:
            problems.add("name", f"The name may not be greater than {MAX_NAME} characters.")
        elif not is_utf8(name):
            problems.add("name", "The name must be valid UTF-8 text.")

    @staticmethod
    def check_price(body: dict[str, JSON], problems: Problems) -> None:
        if "price" not in body:
            return
        price = body["price"]
        if not is_int(price):
            problems.add("price", "The price must be an integer.")
        elif price < 0:
            problems.add("price", "The price must be at least 0.")

    def related_ids(self, relation: Relation, value: JSON, problems: Problems) -> list[int]:
        """The ids of an array of `{id}` naming existing objects (problems keyed by the relation)."""
        if not isinstance(value, list):
            problems.add(relation, f"The {relation} must be an array.")
            return []
        ids = []
        for n, item in enumerate(value):
            ref = item.get("id") if isinstance(item, dict) else None
            if not is_int(ref):
                problems.add(relation, f"The {relation}.{n}.id must be an integer.")
            elif not self.store.exists(relation, ref):
                problems.add(relation, f"The selected {relation}.{n}.id is invalid.")
            else:
                ids.append(ref)
        return ids

    def relations_of(self, body: dict[str, JSON], problems: Problems) -> dict[Relation, list[int]]:
        return {
            relation: self.related_ids(relation, body[relation], problems)
            for relation in RELATIONS
            if relation in body
        }

    def attach(self, campaign: Campaign, changes: dict[Relation, list[int]], *, replace: bool) -> None:
        """Replace each named relation, or add to it (an attached id is a no-op). The alternate
        variant never replaces users: its users are "entries [that] can be uniquely identified",
        so a PATCH changes only the given ones (products are replaced, as the document's example
        says)."""
        for relation, ids in changes.items():
            keep = not replace or (self.alternate and relation == "users")
            current = list(campaign.related(relation)) if keep else []
            for object_id in ids:
                if object_id not in current or (not replace and "post-duplicates" in self.faults):
                    current.append(object_id)
            if relation == "products":
                campaign.products = current
            else:
                campaign.users = current
            campaign.updated_at = now()

    def created(self, ctx: Ctx, kind: str, item: Resource) -> Answer:
        if "create-no-id" in self.faults:
            return Answer(204)
        if self.quirky:
            return Answer(201, self.data(ctx, kind, item))
        if self.alternate:  # "201 Created" (the status table) rather than the Response section's 200
            return Answer(201, {"id": item.id})
        return Answer(200, {"id": item.id})

    def modified(self, ctx: Ctx, kind: str, item: Resource) -> Answer:
        """The answer to a modification (PATCH) or an added relation (POST on a campaign): 204
        without a body; the alternate variant takes 204 as "usually only used with DELETE
        requests" and answers 200 with the object."""
        if self.alternate or "modify-200-body" in self.faults:
            return Answer(200, self.data(ctx, kind, item))
        return Answer(204)

    def create_user(self, ctx: Ctx) -> Answer:
        """POST /users `{username}` (the document's example): username a non-empty string of at
        most 255 characters that no other user has."""
        body = self.json_object(ctx)
        problems = self.problems()
        username = body.get("username")
        if username is None or username == "":
            problems.add("username", "The username field is required.")
        elif not isinstance(username, str):
            problems.add("username", "The username must be a string.")
        elif len(username) > MAX_NAME or not is_utf8(username):
            problems.add("username", f"The username must be UTF-8 text of at most {MAX_NAME} characters.")
        elif any(user.username == username for user in self.store.users.values()):
            problems.add("username", self.message("username-taken"))
        problems.raise_if_any()
        user = self.store.add_user(str(username), f"{username}@example.com", now())
        return self.created(ctx, "users", user)

    def create_product(self, ctx: Ctx) -> Answer:
        body = self.json_object(ctx)
        problems = self.problems()
        self.check_name(body, problems, required=True)
        self.check_price(body, problems)
        problems.raise_if_any()
        return self.created(
            ctx, "products", self.store.add_product(body["name"], body.get("price", 0), now())
        )

    def patch_product(self, ctx: Ctx) -> Answer:
        product: Product = self.find(ctx, "products")
        body = self.json_object(ctx)
        problems = self.problems()
        self.check_name(body, problems, required=False)
        self.check_price(body, problems)
        problems.raise_if_any()
        if "patch-ignored" not in self.faults and ("name" in body or "price" in body):
            product.name = body.get("name", product.name)
            product.price = body.get("price", product.price)
            product.updated_at = now()
        return self.modified(ctx, "products", product)

    def deleter(self, kind: Literal["users", "products"]) -> Handler:
        """DELETE of a user or product: 204 without a body; the object is detached from every
        campaign and its id is never reused."""

        def delete(ctx: Ctx) -> Answer:
            raw = ctx.params["id"]
            if (
                "second-delete-204" in self.faults
                and CANONICAL_ID_RE.fullmatch(raw)
                and (kind, int(raw)) in self.deleted
            ):
                return Answer(204)
            item: User | Product = self.find(ctx, kind)
            if "delete-soft" not in self.faults:
                self.store.delete(kind, item.id)
                self.deleted.add((kind, item.id))
            return Answer(204)

        return delete

    def create_campaign(self, ctx: Ctx) -> Answer:
        body = self.json_object(ctx)
        problems = self.problems()
        self.check_name(body, problems, required=True)
        changes = self.relations_of(body, problems)
        problems.raise_if_any()
        campaign = self.store.add_campaign(body["name"], now())
        self.attach(campaign, changes, replace=True)
        return self.created(ctx, "campaigns", campaign)

    def patch_campaign(self, ctx: Ctx) -> Answer:
        campaign: Campaign = self.find(ctx, "campaigns")
        body = self.json_object(ctx)
        problems = self.problems()
        self.check_name(body, problems, required=False)
        changes = self.relations_of(body, problems)
        problems.raise_if_any()
        if "patch-ignored" not in self.faults:
            if "name" in body:
                campaign.name = body["name"]
                campaign.updated_at = now()
            self.attach(campaign, changes, replace="patch-array-merges" not in self.faults)
        return self.modified(ctx, "campaigns", campaign)

    def post_campaign(self, ctx: Ctx) -> Answer:
        campaign: Campaign = self.find(ctx, "campaigns")
        problems = self.problems()
        changes = self.relations_of(self.json_object(ctx), problems)
        problems.raise_if_any()
        self.attach(campaign, changes, replace="post-replaces" in self.faults)
        return self.modified(ctx, "campaigns", campaign) if self.alternate else Answer(204)

    def relation_change(self, ctx: Ctx) -> tuple[Campaign, dict[Relation, list[int]]]:
        """The campaign of a sub-resource request and its body (an array) as a change."""
        campaign: Campaign = self.find(ctx, "campaigns")
        relation = cast(Relation, ctx.params["relation"])
        problems = self.problems()
        ids = self.related_ids(relation, self.json_body(ctx), problems)
        problems.raise_if_any()
        return campaign, {relation: ids}

    def patch_relation(self, ctx: Ctx) -> Answer:
        campaign, changes = self.relation_change(ctx)
        if "patch-ignored" not in self.faults:
            self.attach(campaign, changes, replace="subresource-patch-adds" not in self.faults)
        return self.modified(ctx, "campaigns", campaign)

    def post_relation(self, ctx: Ctx) -> Answer:
        campaign, changes = self.relation_change(ctx)
        self.attach(campaign, changes, replace=False)
        return self.modified(ctx, "campaigns", campaign) if self.alternate else Answer(204)


def create_app(options: ServerOptions) -> Starlette:
    """A LeadDesk reference server. Raises ValueError for a fault name not in `FAULTS`."""
    server = LeadDeskServer(options)
    app = catch_all(server.handle)
    app.state.leaddesk = server
    return app
