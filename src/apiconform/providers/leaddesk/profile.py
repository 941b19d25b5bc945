"""The LeadDesk profile: OAuth 2 token endpoint (`POST {base_url}/oauth/access-token`, four grant
types), then `Authorization: Bearer`; errors `{error, error_description}`; collections
`{collection, _links, _meta: {total}}` with `page` and `per_page` (leaddesk-api.txt).

`base_url` is the API root including the version segment (`https://restapi-nor.leaddesk.com/stable`).
The document states no rate limit; the suite paces itself at 10 requests per second unless
`rate_limit` says otherwise. Token requests are POSTs by protocol: they create no data, so they are
sent whether or not writes are allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx

from apiconform.checks.pagination import PageInfo
from apiconform.client import ApiClient, ApiResponse, parse_json
from apiconform.errors import CredentialsRejected, TargetError
from apiconform.faults import FaultCatalogue
from apiconform.profile import Profile, RateLimit
from apiconform.serving import ServerOptions
from apiconform.target import Target

TOKEN_PATH = "/oauth/access-token"
USERS_PATH = "/users"


@dataclass(frozen=True)
class Tokens:
    """A token response: the tokens (None when missing) and the response itself."""

    access_token: str | None
    refresh_token: str | None
    response: ApiResponse

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"} if self.access_token else {}


def request_token(client: ApiClient, body: Mapping[str, Any]) -> Tokens:
    """POST the token endpoint with a JSON `body` (a grant)."""
    response = client.request("POST", TOKEN_PATH, json=dict(body))
    data = response.json_or_none()
    data = data if isinstance(data, dict) else {}
    access, refresh = data.get("access_token"), data.get("refresh_token")
    return Tokens(
        access if isinstance(access, str) else None,
        refresh if isinstance(refresh, str) else None,
        response,
    )


def password_grant(credentials: Mapping[str, str], *, read_only: bool = False) -> dict[str, Any]:
    """The password grant body for the main user (or the read-only user)."""
    user, secret = ("read_only_username", "read_only_password") if read_only else ("username", "password")
    return {
        "grant_type": "password",
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
        "username": credentials[user],
        "password": credentials[secret],
    }


def link_page(url: Any) -> tuple[int | None, int | None]:
    """(page, per_page) named in a link URL's query (None where absent or not an integer)."""
    if not isinstance(url, str):
        return None, None
    query = parse_qs(urlsplit(url).query)

    def number(name: str) -> int | None:
        values = query.get(name)
        return int(values[0]) if values and values[0].isdigit() else None

    return number("page"), number("per_page")


class LeadDeskProfile(Profile):
    name: ClassVar[str] = "leaddesk"
    title: ClassVar[str] = "LeadDesk"
    document: ClassVar[str] = "leaddesk-api.txt"
    required_credentials = ("client_id", "client_secret", "username", "password")
    optional_credentials = ("leaddesk_client_id", "read_only_username", "read_only_password")
    #: the LeadDesk account number (an integer in the document's examples), not a secret
    public_credentials = frozenset({"leaddesk_client_id"})
    documented_rate_limit = RateLimit(10, 1.0)
    embedded_rate_limit = RateLimit(100, 1.0)
    success_envelope = "collection"
    error_envelope = "error"
    preflight_rule = "leaddesk.oauth.password-grant"
    reference_path = "/stable"  # as the real API: the reference server serves it there

    def error_type(self, body: Any) -> str | None:
        value = body.get("error") if isinstance(body, dict) else None
        return value if isinstance(value, str) else None

    def is_write(self, request: httpx.Request) -> bool:
        """Token requests are POSTs that change no data."""
        if request.method == "POST" and request.url.path.endswith(TOKEN_PATH):
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
        """A collection page: its objects; total from `_meta`, has_next from `_links.next`, the
        page and per_page from `_links.self`."""
        body = response.json_or_none()
        body = body if isinstance(body, dict) else {}
        items = body.get("collection")
        raw_meta, raw_links = body.get("_meta"), body.get("_links")
        meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
        links: dict[str, Any] = raw_links if isinstance(raw_links, dict) else {}
        total = meta.get("total")
        page, per_page = link_page(links.get("self"))
        return (items if isinstance(items, list) else []), PageInfo(
            current_page=page,
            per_page=per_page,
            total=total if isinstance(total, int) and not isinstance(total, bool) else None,
            has_next="next" in links,
        )

    def pace_key(self, request: httpx.Request) -> str:
        return "account"  # one client and user per run: pace them together

    def preflight(self, target: Target) -> None:
        """The password grant, then GET /users?per_page=1 with the token. A refusal (400, 401,
        403) is CredentialsRejected; any other failure, a 2xx without an access token included,
        is TargetError."""
        client, credentials = target.client, target.credentials
        tokens = request_token(client, password_grant(credentials))
        status = tokens.response.status_code
        if status in (400, 401, 403):
            body = tokens.response.json_or_none()
            code = self.error_type(body) or "no error code"
            raise CredentialsRejected(
                f"the password grant answered {status} ({code}); check [leaddesk] client_id, "
                "client_secret, username and password"
            )
        if not 200 <= status < 300:
            hint = " (base_url is the API root, e.g. .../stable)" if status == 404 else ""
            raise TargetError(f"token request POST {TOKEN_PATH} answered HTTP {status}{hint}")
        if tokens.access_token is None:  # not a refusal: a body that is no token response
            raise TargetError(f"token request POST {TOKEN_PATH} answered {status} without an access_token")
        response = client.request("GET", USERS_PATH, params={"per_page": 1}, headers=tokens.headers)
        if response.status_code in (401, 403):
            raise CredentialsRejected(
                f"GET {USERS_PATH} with the new access token answered {response.status_code}"
            )
        if not 200 <= response.status_code < 300:
            raise TargetError(f"smoke request GET {USERS_PATH} answered HTTP {response.status_code}")

    def faults(self) -> FaultCatalogue:
        from apiconform.providers.leaddesk.faults import FAULTS

        catalogue: FaultCatalogue = FAULTS
        return catalogue

    def create_app(self, options: ServerOptions) -> Any:
        from apiconform.providers.leaddesk.server import create_app

        return create_app(options)
