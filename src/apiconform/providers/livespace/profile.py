"""The Livespace profile: every call answers HTTP 200 with `{data, error, result, status}` and the
real status in `result`; every call needs a fresh single-use token and session and a SHA1
signature (livespace-api.md). The URL pattern is not documented: see `calls.py` and the README.

The document states no rate limit; the suite paces itself at 10 requests per second (a call is
two requests) unless `rate_limit` says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

from apiconform.client import ApiClient, ApiResponse, parse_json
from apiconform.errors import CredentialsRejected, TargetError
from apiconform.faults import FaultCatalogue
from apiconform.profile import Profile, RateLimit
from apiconform.providers.livespace.calls import CALL_PATH, TOKEN_PATH, Caller, Credentials
from apiconform.serving import ServerOptions
from apiconform.target import Target

#: The documented result codes (the Correct, Method, API handling and Authorization tables).
RESULT_CODES = frozenset({200, 400, 420, 500, 514, 515, 516, 520, 530, 540, 550, 560, 561, 562, 563, 564})
AUTH_CODES = frozenset({560, 561, 562, 563, 564})
#: Method names that write (by prefix), for the allow_writes guard.
WRITE_VERBS = ("add", "edit", "update", "delete", "remove", "set", "create")


def result_of(response: ApiResponse) -> Any:
    """The envelope's `result` (None when the body is not an envelope)."""
    body = response.json_or_none()
    return body.get("result") if isinstance(body, dict) else None


class LivespaceProfile(Profile):
    name: ClassVar[str] = "livespace"
    title: ClassVar[str] = "Livespace CRM"
    document: ClassVar[str] = "livespace-api.md"
    required_credentials = ("api_key", "api_secret")
    optional_credentials = ("api_key_read_only", "api_secret_read_only")
    extra_keys: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "token_path": {"type": "string", "pattern": "^/", "description": "a path starting with /"},
        "call_path": {
            "type": "string",
            "pattern": "^/.*[{]module[}].*[{]method[}]",
            "description": "a path with {format}, {module} and {method}",
        },
    }
    documented_rate_limit = RateLimit(10, 1.0)
    embedded_rate_limit = RateLimit(100, 1.0)
    success_envelope = "envelope"
    error_envelope = "envelope"
    preflight_rule = "livespace.auth.signed-call-accepted"

    def success_data(self, body: Any) -> Any:
        return body.get("data") if isinstance(body, dict) else None

    def error_type(self, body: Any) -> str | None:
        result = body.get("result") if isinstance(body, dict) else None
        return str(result) if isinstance(result, int) else None

    def is_write(self, request: httpx.Request) -> bool:
        """Every Livespace request is a POST; only calls of a writing method change data (the
        suite's writes are Contact/add and Contact/delete; any add/edit/update/delete/remove/set
        method counts)."""
        method = request.url.path.rstrip("/").rsplit("/", 1)[-1].lower()
        return method.startswith(WRITE_VERBS)

    def response_secrets(self, request: httpx.Request, content: bytes) -> list[str]:
        """getToken answers a token and a session id: secrets from that moment on."""
        if not request.url.path.endswith("getToken"):
            return []
        try:
            body = parse_json(content)
        except ValueError:
            return []
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            return []
        return [value for key in ("token", "session_id") if isinstance(value := data.get(key), str)]

    def pace_key(self, request: httpx.Request) -> str:
        return "account"  # the key travels in the body; one account per run

    def caller(self, client: ApiClient, options: Mapping[str, object] | None = None) -> Caller:
        options = options or {}
        return Caller(
            client,
            token_path=str(options.get("token_path", TOKEN_PATH)),
            call_path=str(options.get("call_path", CALL_PATH)),
        )

    def preflight(self, target: Target) -> None:
        """getToken, then a signed Contact/getAll with limit 1."""
        client, credentials = target.client, target.credentials
        caller = self.caller(client)
        session = caller.get_token(credentials["api_key"])
        if result_of(session.response) in AUTH_CODES:
            raise CredentialsRejected(
                f"getToken answered result {result_of(session.response)}; check [livespace] api_key"
            )
        if session.token is None or session.session_id is None:
            raise TargetError(
                f"getToken answered HTTP {session.response.status_code}, result "
                f"{result_of(session.response)!r}, without a token and session (check base_url)"
            )
        keys = Credentials(credentials["api_key"], credentials["api_secret"])
        response = caller.post("Contact", "getAll", {**caller.auth_fields(keys, session), "limit": 1})
        result = result_of(response)
        if result in AUTH_CODES:
            raise CredentialsRejected(
                f"a signed call answered result {result}; check [livespace] api_key and api_secret"
            )
        if result != 200:
            raise TargetError(
                f"smoke call Contact/getAll answered HTTP {response.status_code}, result {result!r}"
            )

    def faults(self) -> FaultCatalogue:
        from apiconform.providers.livespace.faults import FAULTS

        return FAULTS

    def create_app(self, options: ServerOptions) -> Any:
        from apiconform.providers.livespace.server import create_app

        return create_app(options)
