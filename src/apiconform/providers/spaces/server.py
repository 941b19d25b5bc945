"""The Spaces reference server: an in-memory Starlette app implementing spaces-api.txt.

`create_app(options)` is the API (plain ASGI: TLS is added by uvicorn outside); every response is
JSON (`Content-Type: application/json`) and carries `Strict-Transport-Security: max-age=31536000`.
`create_plain_app(options, https_url)` is the plain-HTTP listener, which rejects every request.
`options.faults` switches on single deviations (see `faults.py`); `options.variant` one of three
conformant variants: `clean` (the plain reading below), `quirky` and `alternate` (the other
reading at every silence point of suites/spaces/readings.toml).

Endpoints: `GET /api/v1/customers` (a list `{"object": "list", "data": [...], "has_more": bool}`)
and `GET /api/v1/customers/{id}` (one customer; HEAD is served like GET). Errors are
`{"message": "..."}`.

Order of processing of every request: authentication (401) -> route (unknown path 404, another
method on a known path 405 with Allow) -> query (400) -> lookup (404) -> the answer. Unexpected
exceptions become a 500 `{"message": ...}`.

Choices where the document is silent (clean):

- Auth: authentication is mandatory for all requests, so it comes before routing (an unknown path
  without credentials is a 401). `Authorization: Basic base64(user:password)` (scheme
  case-insensitive) authenticates when the user name is the configured `access_token` or the
  configured `plain_http_probe_token` (a second, revocable token: the one the suite may send
  over plain HTTP); the password is ignored. No or a blank Authorization header, another
  scheme, bad base64, bytes that are not UTF-8, no colon, or an unknown token: 401 with
  `WWW-Authenticate: Basic realm="Spaces"`.
- limit: an optional sign and ASCII digits (`limit=007` is 7; a huge number is out of range);
  anything else ("ten", "1.5", "", " 5") is malformed (400); out of range (400) is named as such.
- Cursors: a cursor names an object by its id exactly as the id is spelled (`starting_after=` is
  an unknown cursor, 400 `No such object: `). starting_before pages are answered in list order,
  and their has_more says whether objects come before the page (the walk's direction).
  Checks run limit, then both cursors, then the cursor's object.
- Pages are full: a page holds `limit` objects unless the list ends.
- The list order is created ascending, then id ascending; the seed has two `created` ties.
- Unknown query parameters are ignored; a repeated parameter takes its last value.
- No rate limit is documented and none is enforced.
- The plain listener answers every request 403 `{"message": ...}` and carries no
  Strict-Transport-Security (RFC 6797 section 7.2: never over plain HTTP).

The quirky variant (`options.quirky`) stays conformant but: integer ids (1-105, not in list order);
lists also carry `url` and `total_count`, customers `livemode: false`; the list order is created
descending, then id descending; starting_before pages come nearest-first (the object just before
the cursor first); an unknown cursor is 404 `{"error": "not_found"}`; both cursors apply
starting_after alone; an out-of-range limit is clamped into 1-100; a malformed limit is 400
`{"error": {"message": "invalid limit"}}`; other message wordings; 401s carry no
WWW-Authenticate; the plain listener redirects (301, empty body) to the same path and query on
the HTTPS origin.

The alternate variant (`options.alternate`) takes the other reading at every silence point:

- the ID of a customer is in the member `customer_id` (no `id`), a UUID-shaped string; the list
  is ordered by that id; lists also carry `page_size` (the number of objects served);
- routing comes before authentication: a path it does not serve is 404 and GET
  /customers/{id} (an operation the document does not show) is 405, with or without credentials;
- a Basic credential with a non-empty password is refused (401): "you do not need to enter
  anything" read as "enter nothing";
- a 401 has an empty body (no Content-Type) and no WWW-Authenticate challenge; every other error
  is `{"error": "..."}` (no `message`), JSON declared `text/plain; charset=utf-8`;
- limit is parsed as Python's `int()` does (" 5", "+5" are 5; "ten", "1.5" are malformed: 400);
  an out-of-range limit falls back to the default 20;
- a page holds at most 25 objects whatever the limit (a server-side cap: the limit is an upper
  bound, not a promise of full pages);
- starting_before pages come nearest-first, and their has_more says whether objects follow the
  page in list order (always true on a starting_before page: the cursor's object follows);
- both cursors apply starting_before alone; an unknown cursor is 404;
- a query parameter the document does not name, or one given twice, is 400 (an invalid
  parameter; clean and quirky ignore it and take a repeated one's last value);
- plain HTTP is refused by closing the connection: its address is the TLS port itself, whose
  handshake fails on a plain request (see `SpacesProfile.start_reference`).

Faults (`options.faults`, see `faults.py`) are `if "<name>" in self.faults` branches at the one
place each deviation happens; the 500s they provoke are logged at DEBUG, any other 500 at ERROR.
"""

from __future__ import annotations

import base64
import hmac
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from apiconform.providers.spaces.faults import FAULTS
from apiconform.providers.spaces.store import Customer, IdStyle, Store, seed
from apiconform.reference.kit import InjectedFault, catch_all, error_page, guarded, parse_integer
from apiconform.reference.serving import ServerOptions

JSON = Any
logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
LIST_PATH = f"{API_PREFIX}/customers"
OBJECT_RE = re.compile(re.escape(LIST_PATH) + r"/(?P<id>[^/]+)")
HSTS = "max-age=31536000"
CHALLENGE = 'Basic realm="Spaces"'
BEARER_CHALLENGE = 'Bearer realm="Spaces"'  # bearer-only
ALLOWED = "GET, HEAD"
DEFAULT_LIMIT = 20
PARAMETERS = frozenset({"limit", "starting_after", "starting_before"})
MIN_LIMIT, MAX_LIMIT = 1, 100
MAX_LIMIT_DIGITS = 6  # more significant digits than this are out of range whatever they are
FAULTY_DEFAULT_LIMIT = 10  # default-limit-10
LARGE_LIMIT = 50  # list-large-limit-500
ID_ORDER_BELOW = 50  # order-depends-on-limit
WITHOUT_ID_EVERY = 5  # objects-without-id: every fifth object of a page but the last lacks its id
ALTERNATE_PAGE_CAP = 25
#: garbage-cursor-500: a cursor with a character no id of any style has crashes
ID_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")
CONSTANT_MESSAGE = "Error"  # error-message-constant
ALTERNATE_ID_FIELD = "customer_id"
TEXT_JSON = "text/plain; charset=utf-8"
PLAIN_HTTP_MESSAGE = "Requests over plain HTTP are rejected; use HTTPS."

#: key -> (reference wording, quirky wording); `{}` placeholders are filled by `str.format`.
MESSAGES: dict[str, tuple[str, str]] = {
    "auth-missing": (
        "Authentication required: send the access token as the HTTP Basic user name.",
        "You did not provide an API key.",
    ),
    "auth-malformed": (
        "Malformed Authorization header: use HTTP Basic with the access token as the user name.",
        "The Authorization header could not be read.",
    ),
    "auth-invalid": ("Invalid access token.", "Invalid API key provided."),
    "not-found": ("Unrecognized request URL ({} {}).", "No route matches {} {}."),
    "method": ("Method {} is not allowed on {}.", "{} is not supported for {}."),
    "limit-invalid": ("limit must be an integer", "invalid limit"),
    "limit-range": ("limit must be between 1 and 100", "limit is out of range"),
    "both-cursors": (
        "starting_after and starting_before cannot be used together",
        "Use either starting_after or starting_before.",
    ),
    "unknown-cursor": ("No such object: {}", "No object has the id {}."),
    "missing-parameter": ("Missing required parameter: {}", "{} is required."),
    "parameters": ("Unknown or repeated parameter: {}", "Parameter {} is not allowed here."),
    "unknown-customer": ("No such customer: {}", "Customer {} does not exist."),
    "server-error": ("An unexpected error occurred.", "Something went wrong on our side."),
}


class ApiError(Exception):
    """An error answer: its status and message; `body` replaces `{"message": ...}` when given."""

    def __init__(
        self, status: int, message: str, *, body: JSON = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.body = body
        self.headers = headers or {}


@dataclass
class Page:
    """One page of the list, in the order it is answered."""

    customers: list[Customer]
    has_more: bool


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(user, password) of a `Basic` Authorization header, or None when it is not one."""
    scheme, _, param = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(param.strip(), validate=True).decode("utf-8")
    except ValueError:  # binascii.Error, UnicodeDecodeError, non-ASCII text
        return None
    user, colon, password = decoded.partition(":")
    return (user, password) if colon else None


def parse_limit_leniently(raw: str) -> int | None:
    """The alternate's reading of limit: what Python's `int()` takes (None when it takes nothing)."""
    try:
        return int(raw)
    except ValueError:
        return None


def id_style(options: ServerOptions) -> IdStyle:
    return "integer" if options.quirky else "uuid" if options.alternate else "prefixed"


class SpacesServer:
    """The endpoints and the request pipeline; `create_app` wraps one instance in Starlette.

    `plain` makes the instance the API as the plain-HTTP listener serves it with the faults
    plain-http-served (no authentication) and plain-http-authenticated-served (`authenticate`):
    no Strict-Transport-Security.
    """

    def __init__(
        self, options: ServerOptions, *, plain: bool = False, authenticate: bool | None = None
    ) -> None:
        self.faults = FAULTS.validate(options.faults)
        self.quirky = options.quirky
        self.alternate = options.alternate
        self.plain = plain
        self.authenticates = not plain if authenticate is None else authenticate
        #: the access tokens it accepts: the configured one and the revocable plain-HTTP probe token
        self.tokens = [
            str(value)
            for value in (
                options.credentials.get(name) for name in ("access_token", "plain_http_probe_token")
            )
            if value
        ]
        self.store: Store = seed(id_style=id_style(options))
        self.id_field = ALTERNATE_ID_FIELD if self.alternate else "id"

    def message(self, key: str, *values: object) -> str:
        if "error-message-codes" in self.faults:
            return key.replace("-", "_")
        if "error-message-constant" in self.faults:
            return CONSTANT_MESSAGE
        reference, quirky = MESSAGES[key]
        return (quirky if self.quirky else reference).format(*values)

    # --- pipeline -------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        response = await guarded(request, self.serve, self.server_error, logger)
        if not self.plain and "no-hsts" not in self.faults:
            response.headers["Strict-Transport-Security"] = HSTS
        return response

    async def serve(self, request: Request) -> Response:
        try:
            return self.dispatch(request)
        except ApiError as error:
            return self.failure(error)

    def server_error(self) -> Response:
        return self.failure(ApiError(500, self.message("server-error")))

    def dispatch(self, request: Request) -> Response:
        path, method = request.scope["path"], request.method
        object_path = OBJECT_RE.fullmatch(path)
        if self.alternate:  # routing before authentication
            routed = self.route(path, method, object_path)
        if self.authenticates:
            self.authenticate(request)
        if not self.alternate:
            routed = self.route(path, method, object_path)
        if routed is not None:
            return routed
        if object_path is None:
            return self.list_response(self.list_page(request.query_params))
        return JSONResponse(self.customer_data(self.find(object_path["id"])))

    def route(self, path: str, method: str, object_path: re.Match[str] | None) -> Response | None:
        """Raise the 404 or 405 a request's path and method get (None: served; a response: the
        fault unknown-path-200's answer)."""
        if path != LIST_PATH and object_path is None:
            if "unknown-path-200" in self.faults and (path + "/").startswith(API_PREFIX + "/"):
                return JSONResponse({})
            raise ApiError(404, self.message("not-found", method, path))
        if self.alternate and object_path is not None:
            raise ApiError(405, self.message("method", method, path), headers={"Allow": ""})
        if method not in ("GET", "HEAD"):
            raise ApiError(405, self.message("method", method, path), headers={"Allow": ALLOWED})
        return None

    def unauthorized(self, key: str) -> ApiError:
        if "bearer-only" in self.faults:
            return ApiError(401, self.message(key), headers={"WWW-Authenticate": BEARER_CHALLENGE})
        silent = self.quirky or self.alternate or "no-www-authenticate" in self.faults
        return ApiError(401, self.message(key), headers={} if silent else {"WWW-Authenticate": CHALLENGE})

    def authenticate(self, request: Request) -> None:
        header = request.headers.get("authorization", "")
        if not header.strip():
            if "missing-auth-served" in self.faults:
                return
            if "missing-auth-403" in self.faults:
                raise ApiError(403, self.message("auth-missing"))
            raise self.unauthorized("auth-missing")
        if "bearer-only" in self.faults:
            scheme, _, credential = header.strip().partition(" ")
            if scheme.lower() == "bearer" and self.is_token(credential.strip()):
                return
            raise self.unauthorized("auth-malformed")
        credentials = basic_credentials(header)
        if credentials is None:
            raise self.unauthorized("auth-malformed")
        user, password = credentials
        if "basic-empty-password-rejected" in self.faults and not password:
            raise self.unauthorized("auth-invalid")
        if self.alternate and password:
            raise self.unauthorized("auth-invalid")
        if self.is_token(user):
            return
        if "invalid-token-served" in self.faults:
            return
        raise self.unauthorized("auth-invalid")

    def is_token(self, value: str) -> bool:
        return any(hmac.compare_digest(value.encode(), token.encode()) for token in self.tokens)

    # --- rendering ------------------------------------------------------------------------

    def failure(self, error: ApiError) -> Response:
        if "errors-html" in self.faults:
            page = error_page(error.status, error.message)
            return HTMLResponse(page, status_code=error.status, headers=error.headers)
        if self.alternate and error.status == 401:
            return Response(status_code=401, headers=error.headers)
        body = {"message": error.message} if error.body is None else error.body
        if self.alternate:
            body = {"error": error.message}
        if "errors-no-message" in self.faults:
            body = {}
        response = JSONResponse(body, status_code=error.status, headers=error.headers)
        if self.alternate or "errors-text-plain" in self.faults:
            response.headers["Content-Type"] = TEXT_JSON
        return response

    def customer_data(self, customer: Customer) -> dict[str, JSON]:
        data = customer.as_data(self.id_field)
        if self.quirky:
            data["livemode"] = False
        return data

    def list_response(self, page: Page) -> Response:
        data = [self.customer_data(customer) for customer in page.customers]
        if "objects-without-id" in self.faults:
            for item in data[WITHOUT_ID_EVERY - 1 : -1 : WITHOUT_ID_EVERY]:  # the last keeps its id
                del item[self.id_field]
        if "list-bare-array" in self.faults:
            return JSONResponse(data)
        has_more: JSON = page.has_more
        if "has-more-string" in self.faults:
            has_more = "true" if page.has_more else "false"
        body: dict[str, JSON] = {"object": "list", "data": data, "has_more": has_more}
        if "list-object-missing" in self.faults:
            del body["object"]
        if self.quirky:
            body.update(url=LIST_PATH, total_count=len(self.store.customers))
        if self.alternate:
            body["page_size"] = len(data)
        return JSONResponse(body)

    # --- customers ------------------------------------------------------------------------

    def find(self, key: str) -> Customer:
        customer = self.store.get(key)
        if customer is None:
            status = 400 if "unknown-customer-400" in self.faults else 404
            raise ApiError(status, self.message("unknown-customer", key))
        return customer

    def limit(self, raw: str | None) -> int:
        default = FAULTY_DEFAULT_LIMIT if "default-limit-10" in self.faults else DEFAULT_LIMIT
        if raw is None:
            if "limit-required" in self.faults:
                raise ApiError(400, self.message("missing-parameter", "limit"))
            return default
        value = parse_limit_leniently(raw) if self.alternate else parse_integer(raw, MAX_LIMIT_DIGITS)
        if value is None:
            if "invalid-limit-ignored" in self.faults:
                return default
            status = 422 if "invalid-limit-422" in self.faults else 400
            body = {"error": {"message": self.message("limit-invalid")}} if self.quirky else None
            raise ApiError(status, self.message("limit-invalid"), body=body)
        if value > LARGE_LIMIT and "list-large-limit-500" in self.faults:
            raise InjectedFault(f"limit {value}")
        if MIN_LIMIT <= value <= MAX_LIMIT or "limit-unbounded" in self.faults:
            return value
        if value > MAX_LIMIT and "limit-above-max-served" in self.faults:
            return value
        if self.alternate:
            return default
        if self.quirky or "limit-clamped" in self.faults:
            return min(MAX_LIMIT, max(MIN_LIMIT, value))
        raise ApiError(400, self.message("limit-range"))

    def position(self, ordered: list[Customer], cursor: str) -> int | None:
        """The index of the cursor's object in `ordered`; None (serve the first page) only with
        unknown-cursor-first-page."""
        for index, customer in enumerate(ordered):
            if customer.key == cursor:
                return index
        if "unknown-cursor-first-page" in self.faults:
            return None
        if "unknown-cursor-500" in self.faults:
            raise InjectedFault(f"unknown cursor {cursor!r}")
        if "garbage-cursor-500" in self.faults and not ID_CHARACTERS.fullmatch(cursor):
            raise InjectedFault(f"a cursor no id could be: {cursor!r}")
        if "unknown-cursor-422" in self.faults:
            raise ApiError(422, self.message("unknown-cursor", cursor))
        if self.quirky:
            raise ApiError(404, self.message("unknown-cursor", cursor), body={"error": "not_found"})
        if self.alternate:
            raise ApiError(404, self.message("unknown-cursor", cursor))
        raise ApiError(400, self.message("unknown-cursor", cursor))

    def ordered(self, limit: int) -> list[Customer]:
        """Every customer in list order."""
        if "order-depends-on-limit" in self.faults and limit < ID_ORDER_BELOW:
            return self.store.by_id()
        if self.alternate:
            return self.store.by_id()
        return self.store.by_created(descending=self.quirky)

    def check_parameters(self, query: QueryParams) -> None:
        """The alternate's reading of parameters the document does not name, or gives twice: 400."""
        names = [name for name, _ in query.multi_items()]
        unknown = sorted({name for name in names if name not in PARAMETERS})
        repeated = sorted({name for name in names if names.count(name) > 1})
        if unknown or repeated:
            raise ApiError(400, self.message("parameters", ", ".join(unknown + repeated)))

    def list_page(self, query: QueryParams) -> Page:
        if self.alternate:
            self.check_parameters(query)
        limit = self.limit(query.get("limit"))
        after, before = query.get("starting_after"), query.get("starting_before")
        if after is None and before is None and "cursor-required" in self.faults:
            raise ApiError(400, self.message("missing-parameter", "starting_after or starting_before"))
        if "starting-before-ignored" in self.faults:
            before = None
        if after is not None and before is not None:
            if "both-cursors-500" in self.faults:
                raise InjectedFault("both cursors")
            if self.alternate:
                after = None
            elif self.quirky:
                before = None
            else:
                raise ApiError(400, self.message("both-cursors"))
        if before is not None and "starting-before-as-after" in self.faults:
            after, before = before, None
        ordered = self.ordered(limit)
        count = max(0, limit)  # limit-unbounded: 0 or below serves nothing
        if self.alternate:
            count = min(count, ALTERNATE_PAGE_CAP)
        if "limit-exceeded" in self.faults:
            count += 1
        backward = False
        if after is not None and (index := self.position(ordered, after)) is not None:
            start = index + 1
            if "starting-after-inclusive" in self.faults:
                start = index
            elif "starting-after-skips-one" in self.faults:
                start = index + 2
            customers = ordered[start : start + count]
            has_more = start + count < len(ordered)
        elif before is not None and (end := self.position(ordered, before)) is not None:
            start = max(0, end - count)
            customers, has_more, backward = ordered[start:end], start > 0, True
            if self.alternate or "has-more-backward-list-order" in self.faults:
                has_more = end < len(ordered)  # objects follow the page in list order
        else:
            customers, has_more = ordered[:count], count < len(ordered)
        if "has-more-always-true" in self.faults:
            has_more = True
        elif "has-more-when-full" in self.faults:
            has_more = len(customers) == limit
        if "limit-off-by-one" in self.faults:
            customers = customers[: max(1, limit - 1)]
        if backward and (self.quirky or self.alternate):
            customers.reverse()
        return Page(customers, has_more)


def create_app(options: ServerOptions) -> Starlette:
    """A Spaces reference server. Raises ValueError for a fault name not in `FAULTS`."""
    return serving(SpacesServer(options))


def serving(server: SpacesServer) -> Starlette:
    """An app that hands every request to `server` (held as `app.state.spaces`)."""
    app = catch_all(server.handle)
    app.state.spaces = server
    return app


class PlainListener:
    """The plain-HTTP port: 403 JSON for every request (quirky: a 301 to the HTTPS origin; with
    plain-http-redirect-with-data, a 301 that carries the list as its body)."""

    def __init__(self, options: ServerOptions, https_url: str) -> None:
        self.quirky = options.quirky
        self.faults = FAULTS.validate(options.faults)
        parts = urlsplit(https_url)
        self.https_origin = f"{parts.scheme}://{parts.netloc}"
        self.api = SpacesServer(options, plain=True)

    async def handle(self, request: Request) -> Response:
        if self.quirky or "plain-http-redirect-with-data" in self.faults:
            raw_path: bytes = request.scope.get("raw_path") or quote(request.scope["path"]).encode()
            query = request.url.query
            location = self.https_origin + raw_path.decode("latin-1") + (f"?{query}" if query else "")
            if "plain-http-redirect-with-data" in self.faults:
                served = self.api.list_response(self.api.list_page(request.query_params))
                return Response(
                    served.body,
                    status_code=301,
                    headers={"Location": location},
                    media_type="application/json",
                )
            return Response(status_code=301, headers={"Location": location})
        return JSONResponse({"message": PLAIN_HTTP_MESSAGE}, status_code=403)


def create_plain_app(options: ServerOptions, https_url: str) -> Starlette:
    """The plain-HTTP listener next to the API at `https_url` (its API root, e.g.
    https://127.0.0.1:8443/api/v1). With plain-http-served it serves the API without
    authentication; with plain-http-authenticated-served it serves authenticated requests (and
    answers others 401). Raises ValueError for a fault name not in `FAULTS`."""
    faults = FAULTS.validate(options.faults)
    if "plain-http-served" in faults:
        return serving(SpacesServer(options, plain=True))
    if "plain-http-authenticated-served" in faults:
        return serving(SpacesServer(options, plain=True, authenticate=True))
    listener = PlainListener(options, https_url)
    app = catch_all(listener.handle)
    app.state.spaces_plain = listener
    return app
