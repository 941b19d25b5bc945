"""The Livespace profile: every call answers HTTP 200 with `{data, error, result, status}` and the
real status in `result`; every call needs a fresh token and session and a SHA1 signature
(livespace-api.md). The URL pattern, modules, methods and data shapes are not documented: see
`calls.py`, `settings.py` (the config keys that say them) and the README.

The document states no rate limit; the suite paces itself at 10 requests per second (a call is
two requests) unless `rate_limit` says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import httpx

from apiconform.client import ApiClient, parse_json
from apiconform.profile import Profile, RateLimit
from apiconform.providers.livespace.calls import CALL_PATH, TOKEN_PATH, Caller, Credentials
from apiconform.providers.livespace.preflight import judge_call, judge_token
from apiconform.providers.livespace.settings import KEYS, Settings
from apiconform.reference.faults import FaultCatalogue
from apiconform.reference.serving import ServerOptions
from apiconform.target import Target

#: Method names that write (by prefix), for the allow_writes guard; the configured add_method and
#: delete_method are writes whatever their names.
WRITE_VERBS = ("add", "edit", "update", "delete", "remove", "set", "create")
#: Members of a response's data whose values are secrets (getToken's token and session id).
SECRET_WORDS = ("token", "session")


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
        **KEYS,
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
        """Every Livespace request is a POST; only calls of a writing method change data (any
        method whose name starts with add/edit/update/delete/remove/set/create)."""
        method = request.url.path.rstrip("/").rsplit("/", 1)[-1].lower()
        return method.startswith(WRITE_VERBS)

    def write_guard(self, options: Mapping[str, object]) -> Callable[[httpx.Request], bool]:
        """`is_write`, and a call of the configured add_method or delete_method whatever its name
        (in any format)."""
        call_path = str(options.get("call_path", CALL_PATH))
        patterns = [
            re.compile(
                ".*"
                + re.escape(call_path)
                .replace(re.escape("{format}"), "[^/]*")
                .replace(re.escape("{module}"), re.escape(method.module))
                .replace(re.escape("{method}"), re.escape(method.name))
            )
            for method in Settings.from_options(options).writes
        ]

        def guard(request: httpx.Request) -> bool:
            path = request.url.path
            return self.is_write(request) or any(p.fullmatch(path) for p in patterns)

        return guard

    def response_secrets(self, request: httpx.Request, content: bytes) -> list[str]:
        """getToken answers a token and a session id: secrets from that moment on (the values of
        any data member whose name contains "token" or "session", in any response: the token
        path and the members' names are not documented)."""
        lowered = content.lower()
        if not any(word.encode() in lowered for word in SECRET_WORDS):
            return []
        try:
            body = parse_json(content)
        except ValueError:
            return []
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            return []
        return [
            str(value)
            for key, value in data.items()
            if any(word in str(key).lower() for word in SECRET_WORDS)
            and isinstance(value, (str, int))
            and not isinstance(value, bool)
        ]

    def pace_key(self, request: httpx.Request) -> str:
        return "account"  # the key travels in the body; one account per run

    def caller(self, client: ApiClient, options: Mapping[str, object] | None = None) -> Caller:
        options = options or {}
        return Caller(
            client,
            token_path=str(options.get("token_path", TOKEN_PATH)),
            call_path=str(options.get("call_path", CALL_PATH)),
            settings=Settings.from_options(options),
        )

    def preflight(self, target: Target) -> None:
        """getToken, then one signed call of the configured list method with its list_params
        (verdicts: `preflight.py`)."""
        caller = self.caller(target.client, target.options)
        credentials = target.credentials
        session = caller.get_token(credentials["api_key"])
        judge_token(session)
        keys = Credentials(credentials["api_key"], credentials["api_secret"])
        method = caller.settings.list_method
        fields = {**caller.auth_fields(keys, session), **caller.settings.list_params}
        judge_call(caller.post(method.module, method.name, fields), method)

    def faults(self) -> FaultCatalogue:
        from apiconform.providers.livespace.faults import FAULTS

        return FAULTS

    def create_app(self, options: ServerOptions) -> Any:
        from apiconform.providers.livespace.server import create_app

        return create_app(options)
