"""How a Livespace call is made (not in the document; the pattern working public clients use).

A call is two requests: `getToken` (form `_api_auth=key`, `_api_key`) answers a token and a
session id (where in its data: `settings`); the call itself posts one form field `data`, a JSON
object with `_api_auth`, `_api_key`, `_api_session`, `_api_sha` = SHA1(api key + token + api
secret) and the method's parameters. Tokens, session ids and signatures are secrets: each is
added to the run's masker before any request or response holding it is recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apiconform.client import ApiClient, ApiResponse
from apiconform.providers.livespace.settings import Method, Settings
from apiconform.providers.livespace.shapes import session_of, token_of

#: Default paths, relative to base_url (config keys `token_path` and `call_path` override them).
TOKEN_PATH = "/api/public/json/_Api/auth_call/_api_method/getToken"
CALL_PATH = "/api/public/{format}/{module}/{method}"


def signature(api_key: str, token: str, api_secret: str) -> str:
    """The documented `_api_sha`: SHA1 of API key + token + API secret, hex."""
    return hashlib.sha1(f"{api_key}{token}{api_secret}".encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    """A token and session id from getToken (each a non-empty string or an integer, as the target
    issued it; None when the answer lacked it)."""

    token: str | int | None
    session_id: str | int | None
    response: ApiResponse


@dataclass(frozen=True)
class Credentials:
    api_key: str
    api_secret: str


@dataclass(frozen=True)
class SignedCall:
    """A call made the documented way (`Caller.call`) with `api_key`: a token and session fetched
    just before, the four authorization fields built from them, and the answer."""

    api_key: str
    session: Session
    response: ApiResponse

    @property
    def freshly_authorized(self) -> bool:
        """Whether getToken answered a token and a session id for it (so that the call carried
        the documented authorization)."""
        return self.session.token is not None and self.session.session_id is not None


class Caller:
    """Makes Livespace calls through the run's client (paced, masked, recorded)."""

    def __init__(
        self,
        client: ApiClient,
        *,
        token_path: str = TOKEN_PATH,
        call_path: str = CALL_PATH,
        settings: Settings | None = None,
    ) -> None:
        self.client = client
        self.token_path = token_path
        self.call_path = call_path
        self.settings = settings or Settings.from_options()
        #: every call made the documented way, in order (for the rules over all of them)
        self.signed_calls: list[SignedCall] = []

    def get_token(self, api_key: str | None, *, auth: str = "key") -> Session:
        """POST getToken; the token and session id found in the answer (masked from now on)."""
        form = {"_api_auth": auth} | ({"_api_key": api_key} if api_key is not None else {})
        response = self.client.request("POST", self.token_path, data=form)
        body = response.json_or_none()
        data = body.get("data") if isinstance(body, dict) else None
        return Session(token_of(data, self.settings), session_of(data, self.settings), response)

    def post(self, module: str, method: str, fields: Mapping[str, Any], *, fmt: str = "json") -> ApiResponse:
        """POST one call with `fields` as the `data` form field (no token handling)."""
        for name in ("_api_sha", "_api_session"):
            value = fields.get(name)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and len(str(value)) >= 4:
                self.client.masker.add(str(value))
        return self.post_form(module, method, {"data": json.dumps(dict(fields))}, fmt=fmt)

    def post_form(
        self, module: str, method: str, form: Mapping[str, str], *, fmt: str = "json"
    ) -> ApiResponse:
        """POST `form` as it is to a call's path (e.g. a `data` field that is not JSON)."""
        path = self.call_path.format(format=fmt, module=module, method=method)
        return self.client.request("POST", path, data=dict(form))

    def auth_fields(self, credentials: Credentials, session: Session) -> dict[str, Any]:
        """The four documented authorization fields for `session`."""
        token = "" if session.token is None else str(session.token)
        sha = signature(credentials.api_key, token, credentials.api_secret)
        return {
            "_api_auth": "key",
            "_api_key": credentials.api_key,
            "_api_session": session.session_id,
            "_api_sha": sha,
        }

    def call(
        self,
        credentials: Credentials,
        module: str,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        fmt: str = "json",
    ) -> ApiResponse:
        """A fresh token and session, then the signed call (the documented way; kept in
        `signed_calls`, whose last entry is this call with the session it fetched)."""
        session = self.get_token(credentials.api_key)
        response = self.post(
            module, method, {**self.auth_fields(credentials, session), **(params or {})}, fmt=fmt
        )
        self.signed_calls.append(SignedCall(credentials.api_key, session, response))
        return response

    def call_method(
        self, credentials: Credentials, method: Method, params: Mapping[str, Any] | None = None
    ) -> ApiResponse:
        """`call` of a configured method (`settings`)."""
        return self.call(credentials, method.module, method.name, params)
