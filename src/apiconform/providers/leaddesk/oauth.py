"""The LeadDesk reference server's OAuth 2: the token endpoint, and the bearer tokens it issues.

Token endpoint (RFC 6749), `POST /stable/oauth/access-token`: a JSON body, or
application/x-www-form-urlencoded (any other body is read as JSON; one that is not a JSON object
is 400 invalid_request). Grants: `password` (client_id, client_secret, username, password: the
configured user, or the read-only user with its password, giving a read-only token),
`leaddesk_client_id` (client_id, client_secret, leaddesk_client_id), `client_user` (client_id,
client_secret, username: either user, leaddesk_client_id; the user's scopes, read-only or not)
and `refresh_token` (client_id, client_secret, refresh_token). Parameters are non-empty strings or
integers, compared as strings (leaddesk_client_id is sent as a number). Two API clients are known:
`client_id` (holding both special grants, for the configured `leaddesk_client_id` only) and
`other_client_id` (holding neither). Checks in order: grant_type (missing or unknown: 400
unsupported_grant_type) -> the grant's parameters (400 invalid_request naming the missing ones)
-> client (401 invalid_client with `WWW-Authenticate: Basic realm="LeadDesk"`) -> a special
grant the client does not hold (400 unauthorized_client) -> the grant (400 invalid_grant; another
leaddesk_client_id too). A credential the server was not configured with matches nothing.
Success: 200 `{access_token, token_type: "Bearer", expires_in, refresh_token}` (40 hex characters
each) with `Cache-Control: no-store` and `Pragma: no-cache`. Access tokens expire after expires_in
seconds (the server setting `token_lifetime`, default 3600; a run configured with
token_expiry_wait starts its embedded server with shorter ones, see `transport.py`); refresh
tokens do not expire, and still refresh once their access token has expired. A refresh
invalidates the previous access and refresh tokens; the new ones act for the same user, read-only
or not. The endpoint takes POST only (405 with Allow) and
needs no access token.

Every other request authenticates with `Authorization: Bearer <access token>` (`authenticate`):
no Bearer token is 401 unauthorized, an unknown or expired one 401 invalid_token, both with a
`WWW-Authenticate: Bearer` challenge.

The quirky variant issues 64-hex-character tokens for twice the lifetime (7200 seconds); the
alternate variant's differences (JSON bodies only, an integer leaddesk_client_id, 201 with
token_type "bearer", 400 invalid_client without a challenge, 403 access_denied for a special
grant the client does not hold, 400 missing_token, DELETE revoking the bearer token) are listed
in `server.py`.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
from typing import cast

from starlette.requests import Request

from apiconform.providers.leaddesk.store import Grant, Session, Store
from apiconform.providers.leaddesk.wire import JSON, PREFIX, Answer, ApiError, Wire, media_type, strict_json
from apiconform.reference.kit import form_fields, is_int

TOKEN_PATH = f"{PREFIX}/oauth/access-token"
TOKEN_LIFETIME = 3600  # seconds; the quirky variant's tokens live twice as long
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
SPECIAL_GRANTS = ("leaddesk_client_id", "client_user")
# grant type -> the fault that refuses it as unsupported
DISABLED_GRANTS = {
    "leaddesk_client_id": "leaddesk-client-id-grant-unsupported",
    "client_user": "client-user-grant-unsupported",
}


def parameter_text(value: JSON) -> str | None:
    """A token request parameter as text: a non-empty string, or an integer's digits."""
    if is_int(value):
        return str(value)
    return value if isinstance(value, str) and value else None


class OAuth:
    """The token endpoint and the bearer authentication of one server, over its store's sessions
    and the credentials it was configured with."""

    def __init__(
        self, wire: Wire, store: Store, credentials: dict[str, str], lifetime: float = TOKEN_LIFETIME
    ) -> None:
        self.wire = wire
        self.store = store
        self.credentials = credentials
        self.faults = wire.faults
        self.quirky = wire.quirky
        self.alternate = wire.alternate
        #: seconds an access token lives (expires_in); the quirky variant's default is twice the
        #: document's (a configured lifetime is kept as it is)
        self.lifetime = TOKEN_LIFETIME * 2 if self.quirky and lifetime == TOKEN_LIFETIME else lifetime

    def endpoint(self, request: Request, method: str, body: bytes) -> Answer:
        """A request to the token endpoint: POST asks for a token (the alternate variant: DELETE
        revokes the bearer token); any other method is a 405."""
        if self.alternate and method == "DELETE":  # an operation beyond the document
            return self.revoke(request)
        if method != "POST":
            raise self.wire.method_not_allowed(method, ["POST", "DELETE"] if self.alternate else ["POST"])
        return self.token(request, body)

    # --- the token endpoint ---------------------------------------------------------------

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
        """A token response for a grant, or the RFC 6749 error of the first check it fails."""
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
        client = self.client(values["client_id"], values["client_secret"])
        if client is None and "bad-client-accepted" not in self.faults:
            if self.alternate:  # RFC 6749 5.2 allows 400 for invalid_client
                raise ApiError(400, "invalid_client", "invalid-client", oauth=True)
            raise ApiError(
                401,
                "invalid_client",
                "invalid-client",
                headers={"WWW-Authenticate": BASIC_CHALLENGE},
                oauth=True,
            )
        if grant_type in SPECIAL_GRANTS and client == "other_client_id":
            self.refuse_special_grant()
        if grant_type == "refresh_token":
            session = self.refresh(values["refresh_token"])
        else:
            session = self.issue(self.grant(grant_type, values))
        lowercase = self.alternate or "token-type-lowercase" in self.faults  # RFC 6749: any case
        token_body: dict[str, JSON] = {
            "access_token": session.access_token,
            "token_type": "bearer" if lowercase else "Bearer",
            "expires_in": self.expires_in,
            "refresh_token": session.refresh_token,
        }
        if grant_type == "password" and "password-grant-no-refresh-token" in self.faults:
            del token_body["refresh_token"]
        status = 201 if self.alternate or "token-201" in self.faults else 200  # the status is not stated
        return Answer(status, token_body, {} if "token-cacheable" in self.faults else dict(NO_STORE))

    @property
    def expires_in(self) -> int:
        """The lifetime an access token is announced with (whole seconds, at least 1)."""
        return max(1, math.ceil(self.lifetime))

    def client(self, client_id: str, client_secret: str) -> str | None:
        """Which configured API client the credentials name (`client_id` or `other_client_id`),
        or None."""
        for name, secret in (("client_id", "client_secret"), ("other_client_id", "other_client_secret")):
            if self.matches(client_id, name) and self.matches(client_secret, secret):
                return name
        return None

    def refuse_special_grant(self) -> None:
        """The refusal of a special grant to the API client that does not hold it (RFC 6749 5.2:
        400 unauthorized_client; the alternate variant: 403 access_denied)."""
        if "special-grant-unchecked" in self.faults:
            return
        if self.alternate:
            raise ApiError(403, "access_denied", "special-grant", oauth=True)
        raise ApiError(400, "unauthorized_client", "special-grant", oauth=True)

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
        if (
            not self.matches(values["leaddesk_client_id"], "leaddesk_client_id")
            and "client-number-unchecked" not in self.faults
        ):
            raise invalid("invalid-client-number")
        if grant_type == "leaddesk_client_id":
            return Grant(f"client:{values['leaddesk_client_id']}", False)
        for user, _, read_only in users:
            if self.matches(values["username"], user):  # the user's scopes, as its password grant
                return Grant(values["username"], read_only and "client-user-full-scopes" not in self.faults)
        raise invalid("invalid-client-number")

    def issue(self, grant: Grant, *, usable: bool = True) -> Session:
        """A new session for `grant`, with fresh tokens of this variant's size and lifetime."""
        size = QUIRKY_TOKEN_BYTES if self.quirky else TOKEN_BYTES
        return self.store.issue(
            grant, secrets.token_hex(size), secrets.token_hex(size), self.lifetime, usable=usable
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
        expired = old is not None and old.expires_at <= time.monotonic()
        if old is None or (expired and "refresh-expires-with-access" in self.faults):
            raise ApiError(400, "invalid_grant", "invalid-refresh", oauth=True)
        if "refresh-keeps-access" not in self.faults:
            self.store.by_access.pop(old.access_token, None)
        if "refresh-keeps-refresh" not in self.faults:
            del self.store.by_refresh[refresh_token]
        grant = old.grant
        if "refresh-drops-read-only" in self.faults:
            grant = Grant(grant.subject, False)
        return self.issue(grant, usable="refresh-token-unusable" not in self.faults)

    # --- bearer authentication ------------------------------------------------------------

    def password_user(self) -> Session:
        """The session a token-less or unknown-token request is served with under the
        missing-token-served and invalid-token-served faults."""
        return Session(Grant(self.credentials.get("username", ""), False), "", "", math.inf)

    def authenticate(self, request: Request) -> Session:
        """The session of the request's bearer token, or its 401 (alternate: 400 without one)."""
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
        session = self.store.session(token, expire="token-never-expires" not in self.faults)
        if session is not None:
            return session
        if "invalid-token-served" in self.faults:
            return self.password_user()
        challenge = f'{BEARER_CHALLENGE}, error="invalid_token"'
        raise ApiError(401, "invalid_token", "invalid-token", headers={"WWW-Authenticate": challenge})
