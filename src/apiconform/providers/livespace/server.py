"""The Livespace reference server: an in-memory Starlette app implementing livespace-api.md.

`create_app(options)` answers every request under /api/public/ with HTTP 200 and the envelope
`{"data", "error", "result", "status"}` (Content-Type application/json). Paths outside
/api/public/ answer HTTP 404 (plain text). `options.faults` switches on single deviations (see
`faults.py`); `options.variant` chooses one of three conformant variants (below).

Paths (not documented; the pattern working clients use, as `calls.py`):
`POST /api/public/{format}/_Api/auth_call/_api_method/getToken` (form `_api_auth`, `_api_key`) and
`POST /api/public/{format}/{Module}/{method}` (one form field `data`, a JSON object). Form bodies
are read as application/x-www-form-urlencoded whatever the Content-Type (multipart is not
supported: its fields count as missing); the first of repeated fields wins.

Order of checks of a call: HTTP method (anything but POST: 400; TRACE and made-up methods do not
reach the server: a plain-text 405 from Starlette) -> format (only `json`, else 516;
getToken too) -> module (514; also for any other path under /api/public/) -> method (515) ->
`data` present and a JSON object (561) -> authorization -> permission (540) -> the method's
parameters (420). Routing errors come before authorization, so they consume no session.

The clean variant (the plain reading):

- Envelope: `status` true exactly when `result` is 200; a success has `"error": null`, a failure
  `"data": []` and `error` a string "<title>: <detail>" (e.g. "Validation error: limit must be an
  integer from 1 to 100"); no other members.
- Authorization, on getToken and on calls: `_api_auth` missing: 561; present but not "key": 560.
  `_api_key`, `_api_session`, `_api_sha` missing, empty or not strings: 561 (all missing ones
  named). Unknown key: 562; unknown session, a session issued to another key, a session already
  used or a wrong signature: 563. The signature is SHA1(key + token + secret), compared
  case-insensitively. A session is consumed by the first call that presents it with its own key
  (the signature is checked after that), so a refused signature, permission or validation spends
  it too. getToken answers `{"token": <40 hex>, "session_id": <32 hex>}`; at most 10,000 sessions
  are kept.
- Methods: module Contact, `getAll`, `get`, `add`, `delete` (`contacts.PlainContacts`). Integers
  must be JSON integers (not strings, floats or booleans); ids positive; strings at most 255
  characters; null counts as absent; unknown parameters are ignored. Every invalid parameter is
  named in one 420 ("; "-separated); an unknown id is 400 (General method error). An unknown
  method is 515. Unexpected exceptions answer a 500 envelope.

The quirky variant stays conformant but: on failure `data` is null and `error` an object
`{"message", "code"}` with other wordings; contacts carry `owner_id` and the getAll data `limit` and
`offset`; a session may be used again (the SHOULD rule livespace.auth.session-single-use fails).

The alternate variant takes the other reading at every silence point (suites/livespace/readings.toml):

- getToken is `POST /api/public/{format}/Auth/getToken` (the path working clients use answers
  514, Incorrect module): the suite needs `token_path`.
- Envelope: every response has a fifth member, `request_id`; `status` on success is 1, not true
  (false on failure, as the document's example); a failure has `"data": []` and `"error": null`,
  exactly the document's example.
- Authorization codes where the tables overlap: a missing `_api_auth`, `_api_key` or `_api_sha`
  is 550 (Parameter handling error); `_api_auth` other than key is 515 (Incorrect method); a
  missing, unknown, reused or foreign session is 530 (User not logged in). Unknown key 562 and a
  wrong signature 563 stay; the signature must be lower-case hex (compared exactly). getToken
  answers `{"token", "session", "expires_in"}` (the session id under another name) and does not
  check the key: it issues a session to any key, and the call with an unknown key is 562. A
  session is bound to its key, checked first: another key on it is 530. A new getToken ends the
  key's earlier sessions.
- Methods: module Contact, `getContacts`, `getContact`, `addContact`, `deleteContact`
  (`contacts.AlternateContacts`): other names, a `contact_id` parameter, string ids, the list as
  the bare data, other contact members, ISO 8601 basic-format times, bounds on `limit` and
  `offset` (values no real client sends are refused), a parameter a method does not take refused
  (420), an id that names nothing (an object included) read as 200 with data null, `name` and
  `surname` both required to add. An unknown method is 560 (the other "Incorrect method"), so
  the names working clients use (getAll, ...) answer 560: the suite needs the config in
  tests/test_invariants.py ALTERNATE_CONFIG.

Faults (`options.faults`, see `faults.py`) are `if "<name>" in self.faults` branches at the one
place each deviation happens (the method faults in the plain Contact methods); the crash they
provoke is logged at DEBUG, any other 500 at ERROR.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import threading
from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from apiconform.client import parse_json
from apiconform.providers.livespace.calls import signature
from apiconform.providers.livespace.codes import TITLES as DOCUMENTED_TITLES
from apiconform.providers.livespace.contacts import AlternateContacts, PlainContacts
from apiconform.providers.livespace.faults import FAULTS
from apiconform.providers.livespace.params import JSON, ApiError, Method, Params
from apiconform.providers.livespace.store import Session, Store, User, seed
from apiconform.reference.kit import InjectedFault, catch_all, error_page, form_fields, guarded, is_int
from apiconform.reference.serving import ServerOptions

logger = logging.getLogger(__name__)

PUBLIC_PREFIX = "/api/public/"
TOKEN_RE = re.compile(r"/api/public/(?P<format>[^/]+)/_Api/auth_call/_api_method/getToken")
ALTERNATE_TOKEN_RE = re.compile(r"/api/public/(?P<format>[^/]+)/Auth/getToken")
#: The alternate's getToken path, as a `token_path` setting.
ALTERNATE_TOKEN_PATH = "/api/public/json/Auth/getToken"
CALL_RE = re.compile(r"/api/public/(?P<format>[^/]+)/(?P<module>[^/]+)/(?P<method>[^/]+)")
FORMAT = "json"
#: The methods that reach the server; any other is Starlette's plain-text 405 (with Allow).
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
LARGE_LIMIT = 50  # large-limit-crash: a limit above this crashes (any method)

# result -> the error title: the document's (and 404, only with undocumented-result), and the
# quirky variant's other wordings
TITLES = {**DOCUMENTED_TITLES, 404: "Not found"}
QUIRKY_TITLES = {
    400: "The method failed",
    404: "Nothing here",
    420: "Invalid input",
    500: "Something went wrong",
    514: "No such module",
    515: "No such method",
    516: "Unsupported output format",
    520: "Database unavailable",
    530: "Not logged in",
    540: "Permission denied",
    550: "Cannot handle the parameters",
    560: "Unsupported authorization method",
    561: "Missing or malformed authorization parameters",
    562: "Unknown API key",
    563: "Not authorized",
    564: "Authorization failed",
}


#: The result of each authorization refusal: (clean and quirky, alternate). The alternate takes
#: the other code where the tables overlap: 550 for missing parameters, 515 ("Incorrect method")
#: for an unknown _api_auth, 530 ("User not logged in") for a call without a valid session.
REFUSALS: dict[str, tuple[int, int]] = {
    "auth-missing": (561, 550),
    "auth-other": (560, 515),
    "parameter-missing": (561, 550),
    "session-missing": (561, 530),
    "unknown-key": (562, 562),
    "unknown-session": (563, 530),
    "bad-signature": (563, 563),
}


#: auth-codes-swapped: the codes of an unknown key (562) and a wrong signature (563) swapped.
SWAPPED = {"unknown-key": 563, "bad-signature": 562}


class InjectedCrash(InjectedFault):
    """A crash a fault provokes on purpose, answered as a bare HTTP 500 (not an envelope)."""


class LivespaceServer:
    """The request pipeline and the methods; `create_app` wraps one instance in Starlette."""

    def __init__(self, options: ServerOptions) -> None:
        self.faults = FAULTS.validate(options.faults)
        self.quirky = options.quirky
        self.alternate = options.alternate
        self.store = Store()
        seed(self.store, options.credentials)
        self.lock = threading.Lock()
        contacts = (
            AlternateContacts(self.store)
            if self.alternate
            else PlainContacts(self.store, self.faults, quirky=self.quirky)
        )
        self.modules: dict[str, dict[str, Method]] = {"Contact": contacts.methods()}

    # --- pipeline -------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        if not request.scope["path"].startswith(PUBLIC_PREFIX):
            return PlainTextResponse("Not Found", status_code=404)
        return await guarded(request, self.serve, self.server_error, logger)

    async def serve(self, request: Request) -> Response:
        path: str = request.scope["path"]
        body = await request.body() if request.method == "POST" else b""
        try:
            with self.lock:
                data = self.dispatch(request.method, path, body)
            return self.render(200, data, None)
        except ApiError as error:
            return self.failure(error)
        except InjectedCrash:
            logger.debug("injected crash serving %s", path, exc_info=True)
            return PlainTextResponse("Internal Server Error", status_code=500)

    def server_error(self) -> Response:
        return self.failure(ApiError(500, "the call could not be completed"))

    def dispatch(self, http_method: str, path: str, body: bytes) -> JSON:
        """The data of a successful call; raises ApiError for a failed one."""
        if http_method != "POST":
            raise ApiError(400, f"calls must use POST, not {http_method}")
        token_path = (ALTERNATE_TOKEN_RE if self.alternate else TOKEN_RE).fullmatch(path)
        if token_path is not None:
            self.check_format(token_path["format"])
            return self.get_token(form_fields(body))
        call_path = CALL_RE.fullmatch(path)
        if call_path is None:
            raise self.unknown_module(path.removeprefix(PUBLIC_PREFIX))
        self.check_format(call_path["format"])
        module = self.modules.get(call_path["module"])
        if module is None:
            raise self.unknown_module(call_path["module"])
        method = module.get(call_path["method"])
        if method is None:
            result = 400 if "unknown-method-400" in self.faults else 560 if self.alternate else 515
            raise ApiError(result, f"{call_path['module']} has no method {call_path['method']}")
        values = self.call_data(form_fields(body))
        user = self.authorize(values)
        if "read-only-reads-refused" in self.faults and not user.can_write and not method.write:
            raise self.refuse("bad-signature", "the read-only user is not authorized")
        params = Params(values, lenient="validation-ignored" in self.faults, strict=self.alternate)
        if method.write and not user.can_write and "read-only-can-write" not in self.faults:
            if "forbidden-write-applied" in self.faults:
                method.handler(params)
            raise ApiError(540, f"this API key may not call {call_path['module']}/{call_path['method']}")
        limit = values.get("limit")
        if "large-limit-crash" in self.faults and is_int(limit) and limit > LARGE_LIMIT:
            raise InjectedCrash(f"limit {limit}")  # in the parameter handling every method shares
        return method.handler(params)

    def check_format(self, fmt: str) -> None:
        if fmt != FORMAT and "unknown-format-served" not in self.faults:
            raise ApiError(516, f"{fmt} (the format is {FORMAT})")

    def unknown_module(self, name: str) -> ApiError:
        return ApiError(404 if "undocumented-result" in self.faults else 514, f"no module {name}")

    def call_data(self, form: Mapping[str, str]) -> dict[str, JSON]:
        """The `data` form field as a JSON object, or a 561."""
        raw = form.get("data")
        if raw is None:
            raise ApiError(561, "the form field data is missing")
        try:
            values = parse_json(raw)
        except ValueError:
            raise ApiError(561, "the form field data is not JSON") from None
        if not isinstance(values, dict):
            raise ApiError(561, "the form field data must be a JSON object")
        return values

    # --- authorization --------------------------------------------------------------------

    def refuse(self, reason: str, detail: str) -> ApiError:
        """The refusal of a call's authorization for `reason` (a key of REFUSALS)."""
        result = REFUSALS[reason][1 if self.alternate else 0]
        if "auth-codes-swapped" in self.faults:
            result = SWAPPED.get(reason, result)
        return ApiError(564 if "imprecise-auth-codes" in self.faults else result, detail)

    def check_auth_method(self, values: Mapping[str, JSON]) -> None:
        if "unknown-auth-method-served" in self.faults:
            return
        auth = values.get("_api_auth")
        if auth is None:
            raise self.refuse("auth-missing", "_api_auth is missing")
        if auth != "key":
            raise self.refuse("auth-other", "_api_auth must be key")

    def get_token(self, form: Mapping[str, str]) -> JSON:
        self.check_auth_method(form)
        key = form.get("_api_key")
        if not key:
            raise self.refuse("parameter-missing", "_api_key is missing")
        if key not in self.store.users and not self.alternate:  # the alternate checks it at the call
            raise self.refuse("unknown-key", "unknown _api_key")
        if self.alternate:  # a new session ends the key's earlier ones
            self.store.end_sessions(key)
        session = self.reissued(key) or self.store.issue_session(key)
        session_id = "" if "token-without-session" in self.faults else session.session_id
        if self.alternate:
            return {"token": session.token, "session": session_id, "expires_in": 300}
        return {"token": session.token, "session_id": session_id}

    def reissued(self, key: str) -> Session | None:
        """session-reissued: the newest session of `key`, once a call has used it."""
        if "session-reissued" not in self.faults:
            return None
        mine = [session for session in self.store.sessions.values() if session.key == key]
        return mine[-1] if mine and mine[-1].uses else None

    def signed(self, key: str, session: Session, secret: str, sha: str) -> bool:
        if "sha-secret-first" in self.faults:
            expected = signature(secret, session.token, key)
        else:
            expected = signature(key, session.token, secret)
        given = sha if self.alternate else sha.lower()  # the alternate: lower-case hex only
        return hmac.compare_digest(given.encode(), expected.encode())

    def session_signed_by(self, key: str, sha: str | None) -> Session | None:
        """token-without-session: the newest unused session of `key` whose token `sha` signs."""
        user = self.store.users.get(key)
        if user is None or sha is None:
            return None
        for session in reversed(self.store.sessions.values()):
            if session.key == key and not session.uses and self.signed(key, session, user.secret, sha):
                return session
        return None

    def authorize(self, values: Mapping[str, JSON]) -> User:
        """The user a call is made by (its session consumed), or a 56x."""
        self.check_auth_method(values)
        strings = {
            name: value if isinstance(value := values.get(name), str) and value else None
            for name in ("_api_key", "_api_session", "_api_sha")
        }
        missing = [name for name, value in strings.items() if value is None]
        if "missing-sha-served" in self.faults and "_api_sha" in missing:
            missing.remove("_api_sha")
        if "token-without-session" in self.faults and "_api_session" in missing:
            missing.remove("_api_session")
        key, session_id, sha = strings["_api_key"], strings["_api_session"], strings["_api_sha"]
        if missing or key is None:
            reason = "session-missing" if missing == ["_api_session"] else "parameter-missing"
            raise self.refuse(reason, f"missing or not a non-empty string: {', '.join(missing)}")
        if self.alternate and session_id is not None:  # the session's key is checked before the key
            bound = self.store.sessions.get(session_id)
            if bound is not None and bound.key != key:
                raise self.refuse("unknown-session", "the session was issued to another key")
        user = self.store.users.get(key)
        if user is None and "unknown-key-served" not in self.faults:
            raise self.refuse("unknown-key", "unknown _api_key")
        if session_id is not None:
            session = self.store.sessions.get(session_id)
        else:
            session = self.session_signed_by(key, sha)
        if session is None:
            if "unknown-session-served" in self.faults and user is not None:
                return user
            raise self.refuse("unknown-session", "unknown _api_session")
        if user is None:  # unknown-key-served: the session's user is served
            user = self.store.users.get(session.key)
        if user is None or session.key != user.key:
            raise self.refuse("unknown-session", "the session was issued to another key")
        if session.uses and not self.quirky and "session-reusable" not in self.faults:
            raise self.refuse("unknown-session", "the session was already used")
        session.uses += 1
        if sha is None or "bad-signature-served" in self.faults:  # sha None: missing-sha-served
            return user
        if not self.signed(key, session, user.secret, sha):
            raise self.refuse("bad-signature", "_api_sha does not match")
        return user

    # --- rendering ------------------------------------------------------------------------

    def render(self, result: int, data: JSON, error: JSON) -> Response:
        ok = result == 200
        status: JSON = ok or "status-true-on-error" in self.faults
        if "status-as-string" in self.faults:
            status = "true" if status else "false"
        elif ok and self.alternate:
            status = 1
        body: dict[str, JSON] = {"data": data, "error": error, "result": result, "status": status}
        if self.alternate:
            body["request_id"] = secrets.token_hex(8)
        if ok and "envelope-missing-error" in self.faults:
            del body["error"]
        if "envelope-extra-key" in self.faults:
            body["message"] = "OK" if ok else error
        http_status = 200
        if not ok and "http-status-mirrors-result" in self.faults:
            http_status = 400 if result < 500 else 500
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return Response(content, status_code=http_status, media_type="application/json")

    def failure(self, error: ApiError) -> Response:
        title = (QUIRKY_TITLES if self.quirky else TITLES)[error.result]
        message = f"{title}: {error.detail}"
        if "html-on-error" in self.faults:
            return HTMLResponse(error_page(error.result, message))
        if self.quirky:
            return self.render(error.result, None, {"message": message, "code": error.result})
        if self.alternate:  # the document's own failure example: data [] and error null
            return self.render(error.result, [], None)
        return self.render(error.result, [], message)


def create_app(options: ServerOptions) -> Starlette:
    """A Livespace reference server. Raises ValueError for a fault name not in `FAULTS`."""
    server = LivespaceServer(options)
    app = catch_all(server.handle, METHODS)
    app.state.livespace = server
    return app
