"""The LeadDesk profile: OAuth 2 token endpoint (`POST {base_url}/oauth/access-token`, four grant
types), then `Authorization: Bearer`; errors `{error, error_description}`; collections
`{collection, _links, _meta: {total}}` with `page` and `per_page` (leaddesk-api.txt).

`base_url` is the API root including the version segment (`https://restapi-nor.leaddesk.com/stable`).
The document states no rate limit; the suite paces itself at 10 requests per second unless
`rate_limit` says otherwise. Requests to the token endpoint create no data, so they are sent
whether or not writes are allowed. Every request carries `Accept: application/json`, as the
document's request example does.

What the document does not fix is configuration with a documented default (`Settings`): which
collection the write rules create in and delete from (`write_collection`, default `/users`: the
document shows `POST /users` and `DELETE /users/123`), the create body (`create_body`, the
document's example `{"username": ...}`), the campaign and products the relation rules use
(`campaign_id`, `product_ids`: discovered from the target's data when not set), which special
grants the API client holds (`special_grants`), the request the 405 rule sends
(`not_allowed_request`), a LeadDesk client number the API client may not use
(`foreign_leaddesk_client_id`), where a campaign's user relation is removed
(`user_relation_path`), a plain-HTTP address to probe (`plain_http_url`, sent without
credentials) and how long the suite may wait for an access token to expire (`token_expiry_wait`).
See suites/leaddesk/readings.toml.

The optional credentials: `leaddesk_client_id` (the special grants), `read_only_username` and
`read_only_password` (the permission rules), `other_client_id` and `other_client_secret` (a second
API client of the account that does not hold the special grants).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from apiconform.checks.expect import violation
from apiconform.checks.pagination import PageInfo
from apiconform.client import ApiClient, ApiResponse, parse_json
from apiconform.errors import CredentialsRejected, TargetError
from apiconform.profile import Profile, RateLimit
from apiconform.providers.leaddesk import shapes
from apiconform.reference.faults import FaultCatalogue
from apiconform.reference.serving import Deployment, ServerOptions
from apiconform.target import Target

TOKEN_PATH = "/oauth/access-token"
USERS_PATH = "/users"
SPECIAL_GRANTS = ("leaddesk_client_id", "client_user")
#: Token error codes (RFC 6749 section 5.2) that refuse the request's form rather than the
#: credentials in it: the documented grant body itself is refused.
FORM_REFUSALS = frozenset({"invalid_request", "unsupported_grant_type", "unsupported_media_type"})
#: The config keys for what the document leaves open, their JSON Schema and documented default.
SETTINGS_SCHEMA: dict[str, dict[str, Any]] = {
    "write_collection": {
        "type": "string",
        "pattern": "^/[^?#]*[^/?#]$",
        "description": 'a path starting with / (e.g. "/users")',
        "default": "/users",
    },
    "create_body": {
        "type": "object",
        "minProperties": 1,
        "default": {"username": "apiconform-{unique}"},
    },
    "campaign_id": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1}]},
    "product_ids": {
        "type": "array",
        "minItems": 3,
        "items": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1}]},
    },
    "special_grants": {
        "type": "array",
        "items": {"enum": list(SPECIAL_GRANTS)},
        "uniqueItems": True,
        "default": list(SPECIAL_GRANTS),
    },
    "not_allowed_request": {
        "type": "string",
        "pattern": "^[A-Z]+ /[^ ]*$",
        "description": 'a method and a path (e.g. "DELETE /oauth/access-token")',
        "default": "DELETE /oauth/access-token",
    },
    "foreign_leaddesk_client_id": {
        "anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1}],
        "description": "a LeadDesk client number the API client has no access to",
        "default": 999999999,
    },
    "user_relation_path": {
        "type": "string",
        "pattern": "^/[^?#]*\\{user_id\\}[^?#]*$",
        "description": "a path naming {user_id} (and {campaign_id}), e.g. the default",
        "default": "/campaigns/{campaign_id}/users/{user_id}",
    },
    "plain_http_url": {
        "type": "string",
        "pattern": "^http://[^/?#]+",
        "description": "a plain http:// URL of the API root (probed without credentials)",
    },
    "token_expiry_wait": {
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 3600,
        "description": "seconds the suite may wait for an access token to expire (opt-in)",
    },
}


def fill_unique(value: Any, unique: str) -> Any:
    """`value` with `{unique}` replaced by `unique` in every string it holds, at any depth."""
    if isinstance(value, str):
        return value.replace("{unique}", unique)
    if isinstance(value, dict):
        return {key: fill_unique(item, unique) for key, item in value.items()}
    if isinstance(value, list):
        return [fill_unique(item, unique) for item in value]
    return value


@dataclass(frozen=True)
class Settings:
    """The LeadDesk config keys for what the document leaves open, defaults applied (the
    defaults are in SETTINGS_SCHEMA and the README)."""

    write_collection: str
    create_body: Mapping[str, Any]
    campaign_id: int | str | None
    product_ids: tuple[int | str, ...] | None
    special_grants: frozenset[str]
    not_allowed_request: tuple[str, str]
    foreign_leaddesk_client_id: int | str = 999999999
    user_relation_path: str = "/campaigns/{campaign_id}/users/{user_id}"
    plain_http_url: str | None = None
    token_expiry_wait: float | None = None

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> Settings:
        def get(name: str) -> Any:
            return options.get(name, SETTINGS_SCHEMA[name].get("default"))

        method, _, path = str(get("not_allowed_request")).partition(" ")
        products = options.get("product_ids")
        wait = options.get("token_expiry_wait")  # a number in config, text from a deployment
        return cls(
            write_collection=str(get("write_collection")),
            create_body=dict(get("create_body")),
            campaign_id=options.get("campaign_id"),
            product_ids=tuple(products) if products is not None else None,
            special_grants=frozenset(get("special_grants")),
            not_allowed_request=(method, path),
            foreign_leaddesk_client_id=get("foreign_leaddesk_client_id"),
            user_relation_path=str(get("user_relation_path")),
            plain_http_url=options.get("plain_http_url"),
            token_expiry_wait=float(wait) if wait is not None else None,
        )

    def new_body(self) -> dict[str, Any]:
        """The create body with `{unique}` filled with a fresh value (unique per call)."""
        filled: dict[str, Any] = fill_unique(dict(self.create_body), secrets.token_hex(4))
        return filled


@dataclass(frozen=True)
class Tokens:
    """A token response: the tokens (None when missing), expires_in (None unless a positive
    number), the response itself, and when it was received (time.monotonic())."""

    access_token: str | None
    refresh_token: str | None
    response: ApiResponse
    expires_in: float | None = None
    received_at: float = 0.0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"} if self.access_token else {}

    @property
    def expires_at(self) -> float | None:
        """The monotonic time by which the access token has expired for sure: the server issued
        it before the response arrived, for expires_in seconds (None when it says no lifetime)."""
        return None if self.expires_in is None else self.received_at + self.expires_in


def request_token(client: ApiClient, body: Mapping[str, Any]) -> Tokens:
    """POST the token endpoint with a JSON `body` (a grant)."""
    response = client.request("POST", TOKEN_PATH, json=dict(body))
    received_at = time.monotonic()
    data = response.json_or_none()
    data = data if isinstance(data, dict) else {}
    access, refresh = data.get("access_token"), data.get("refresh_token")
    return Tokens(
        access if isinstance(access, str) and access else None,
        refresh if isinstance(refresh, str) and refresh else None,
        response,
        lifetime_of(data.get("expires_in")),
        received_at,
    )


def lifetime_of(value: Any) -> float | None:
    """expires_in as seconds: a positive JSON number, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


def refresh_grant(credentials: Mapping[str, str], refresh_token: str) -> dict[str, Any]:
    """The refresh_token grant body, the fields of the document's example in its order."""
    return {
        "grant_type": "refresh_token",
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
        "refresh_token": refresh_token,
    }


def password_grant(credentials: Mapping[str, str], *, read_only: bool = False) -> dict[str, Any]:
    """The password grant body for the main user (or the read-only user): the fields of the
    document's example, in its order."""
    user, secret = ("read_only_username", "read_only_password") if read_only else ("username", "password")
    return {
        "grant_type": "password",
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
        "username": credentials[user],
        "password": credentials[secret],
    }


def client_number(credentials: Mapping[str, str]) -> int | str:
    """`leaddesk_client_id` as the document's examples send it: a JSON number when it is all
    digits (`"leaddesk_client_id": 1`), else the configured text."""
    value = credentials["leaddesk_client_id"]
    return int(value) if value.isascii() and value.isdigit() else value


def well_formed_error(body: Any) -> bool:
    """Whether `body` is the document's error object: a non-empty `error` string and an
    `error_description` string holding text (a letter: "Message is human readable")."""
    return (
        isinstance(body, dict)
        and isinstance(body.get("error"), str)
        and bool(body["error"])
        and isinstance(body.get("error_description"), str)
        and re.search(r"[^\W\d_]", body["error_description"]) is not None
    )


class LeadDeskProfile(Profile):
    name: ClassVar[str] = "leaddesk"
    title: ClassVar[str] = "LeadDesk"
    document: ClassVar[str] = "leaddesk-api.txt"
    required_credentials = ("client_id", "client_secret", "username", "password")
    optional_credentials = (
        "leaddesk_client_id",
        "read_only_username",
        "read_only_password",
        "other_client_id",
        "other_client_secret",
    )
    #: the LeadDesk account number (an integer in the document's examples), not a secret
    public_credentials = frozenset({"leaddesk_client_id"})
    numeric_credentials = frozenset({"leaddesk_client_id"})
    default_headers: ClassVar[Mapping[str, str]] = {"Accept": "application/json"}
    extra_keys: ClassVar[Mapping[str, Mapping[str, Any]]] = SETTINGS_SCHEMA
    documented_rate_limit = RateLimit(10, 1.0)
    #: the reference server enforces no limit (none is documented): the embedded run is paced
    #: only loosely, so that its ~130 requests never wait a window
    embedded_rate_limit = RateLimit(1000, 1.0)
    success_envelope = "collection"
    error_envelope = "error"
    preflight_rule = "leaddesk.oauth.password-grant"
    reference_path = "/stable"  # as the real API: the reference server serves it there

    def embedded_server_settings(self, options: Mapping[str, object]) -> Mapping[str, object]:
        """With token_expiry_wait configured (opt-in), the embedded server issues access tokens
        that live a second less (at least one), so that the expiry rules wait them out; without
        it, the document's 3600 seconds."""
        wait = options.get("token_expiry_wait")
        if not isinstance(wait, int | float | str):
            return {}
        return {"token_lifetime": max(1.0, float(wait) - 1)}

    def error_type(self, body: Any) -> str | None:
        value = body.get("error") if isinstance(body, dict) else None
        return value if isinstance(value, str) else None

    def is_write(self, request: httpx.Request) -> bool:
        """Requests to the token endpoint change no account data (token requests are POSTs by
        protocol; the 405 rule's probe may be another method there)."""
        if request.url.path.endswith(TOKEN_PATH):
            return False
        return super().is_write(request)

    def response_secrets(self, request: httpx.Request, content: bytes) -> list[str]:
        """Token responses carry the access and refresh tokens: secrets from then on."""
        if not request.url.path.endswith(TOKEN_PATH):
            return []
        try:
            body = parse_json(content)
        except ValueError:
            return []
        if not isinstance(body, dict):
            return []
        return [v for k in ("access_token", "refresh_token") if isinstance(v := body.get(k), str)]

    def success_data(self, body: Any) -> Any:
        return body.get("collection") if isinstance(body, dict) else None

    def parse_page(self, response: ApiResponse) -> tuple[list[Any], PageInfo]:
        """A collection page: its objects; page and per_page from the request the suite sent (page
        1 when it sent none); total from the meta object when it holds one; has_next from a next
        link (under any of the names the document uses; a null link is no link)."""
        body = response.json_or_none()
        items = body.get("collection") if isinstance(body, dict) else None
        page, per_page = shapes.query_page(str(response.request.url))
        return (items if isinstance(items, list) else []), PageInfo(
            current_page=page or 1,
            per_page=per_page,
            total=shapes.total_of(body),
            has_next=shapes.link(shapes.links_of(body), "next") is not None,
        )

    def pace_key(self, request: httpx.Request) -> str:
        return "account"  # one client and user per run: pace them together

    def preflight(self, target: Target) -> None:
        """The password grant as the document shows it, then GET /users?per_page=1 with the token.
        TargetError when nothing usable answers (no API at base_url: a 404, a 5xx, a redirect
        away); CredentialsRejected for a well-formed refusal of the configured credentials
        (an error object naming anything but the request's form); ContractViolation when the
        target answers off the contract: a 2xx without an access token, a refusal of the
        documented grant form, an error without the documented shape, a refusal of the token it
        just issued, a collection that is not a JSON object."""
        client, credentials = target.client, target.credentials
        tokens = request_token(client, password_grant(credentials))
        status = tokens.response.status_code
        if not 200 <= status < 300:
            self._refused_grant(tokens.response)
        if tokens.access_token is None:
            raise violation(
                f"the password grant answered {status} without an access_token (the document's "
                f"token response carries one)",
                tokens.response,
                rules=("leaddesk.oauth.password-grant",),
            )
        smoke = client.request("GET", USERS_PATH, params={"per_page": 1}, headers=tokens.headers)
        self._check_smoke(smoke)

    def _refused_grant(self, response: ApiResponse) -> None:
        """Raise the verdict on a password grant that got no 2xx (see `preflight`)."""
        status, body = response.status_code, response.json_or_none()
        code = self.error_type(body)
        if status == 404:
            raise TargetError(
                f"token request POST {TOKEN_PATH} answered HTTP 404: no LeadDesk API at base_url "
                "(it is the API root, e.g. https://restapi-nor.leaddesk.com/stable)"
            )
        if not 400 <= status < 500 or status == 429:
            raise TargetError(f"token request POST {TOKEN_PATH} answered HTTP {status}")
        if not well_formed_error(body):
            raise violation(
                f"the password grant was refused with HTTP {status} without the documented error "
                f"object {{error, error_description}}",
                response,
                rules=("leaddesk.errors.shape",),
            )
        if status in (405, 415) or code in FORM_REFUSALS:
            raise violation(
                f"the token endpoint refused the password grant in the document's own form (a JSON "
                f"body with grant_type, client_id, client_secret, username, password): HTTP {status} "
                f"{code}",
                response,
                rules=("leaddesk.oauth.password-grant",),
            )
        raise CredentialsRejected(
            f"the password grant answered {status} ({code}); check [leaddesk] client_id, "
            "client_secret, username and password"
        )

    def _check_smoke(self, response: ApiResponse) -> None:
        """Raise the verdict on GET /users with the new token, unless it is a 2xx JSON object."""
        status = response.status_code
        what = f"GET {USERS_PATH}?per_page=1 with the password grant's access token"
        if 200 <= status < 300:
            if not isinstance(response.json_or_none(), dict):
                raise violation(
                    f"{what} answered {status} with a body that is not a JSON object (the document's "
                    f"collection is {{collection, _links, _meta}})",
                    response,
                    rules=("leaddesk.collections.shape",),
                )
            return
        if status == 404 or status >= 500 or status == 429 or not 400 <= status < 500:
            raise TargetError(f"smoke request {what} answered HTTP {status}")
        if not well_formed_error(response.json_or_none()):
            raise violation(
                f"{what} was refused with HTTP {status} without the documented error object "
                f"{{error, error_description}}",
                response,
                rules=("leaddesk.errors.shape",),
            )
        if status == 403:
            raise CredentialsRejected(
                f"{what} answered 403 ({self.error_type(response.json_or_none())}): the configured "
                "user may not read users; configure a user who may"
            )
        raise violation(
            f"{what} answered {status}: the token the target just issued does not read users",
            response,
            rules=("leaddesk.oauth.password-grant",),
        )

    def faults(self) -> FaultCatalogue:
        from apiconform.providers.leaddesk.faults import FAULTS

        catalogue: FaultCatalogue = FAULTS
        return catalogue

    def create_app(self, options: ServerOptions) -> Any:
        from apiconform.providers.leaddesk.server import create_app

        return create_app(options)

    def start_reference(
        self, options: ServerOptions, *, host: str = "127.0.0.1", port: int = 0
    ) -> Deployment:
        """The API over HTTPS under /stable, a plain-HTTP listener that refuses service, and the
        settings the suite needs for them (providers/leaddesk/transport.py)."""
        from apiconform.providers.leaddesk.transport import start_deployment

        return start_deployment(options, self.create_app(options), host=host, port=port)
