"""The Spaces profile: HTTP Basic with the access token as user name and an empty password,
HTTPS only, plain objects, lists `{object: "list", data, has_more}` with cursors, errors
`{message}` "often" (spaces-api.txt).

`base_url` is the API root including `/api/v1` (the document's example is
`https://spaces.pe/api/v1/customers`). The document states no rate limit; the suite paces itself
at 10 requests per second per token unless `rate_limit` says otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import httpx

from apiconform.client import ApiResponse
from apiconform.errors import CredentialsRejected, TargetError
from apiconform.faults import FaultCatalogue
from apiconform.profile import Profile, RateLimit
from apiconform.serving import Deployment, RunningServer, ServerOptions
from apiconform.target import Target

#: The smoke request of the preflight, and the one list the document names.
LIST_PATH = "/customers"
API_PREFIX = "/api/v1"


def basic_credential(token: str, password: str = "") -> str:
    """The Basic credential the document prescribes: base64 of `token:` (empty password)."""
    return base64.b64encode(f"{token}:{password}".encode()).decode("ascii")


def object_id(item: Any) -> Hashable | None:
    """A list object's id (the cursor value), or None when it has no string or integer id."""
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


def auth_headers(token: str | None) -> dict[str, str]:
    """Headers authenticating with `token` as documented (none when `token` is None)."""
    return {} if token is None else {"Authorization": f"Basic {basic_credential(token)}"}


class SpacesProfile(Profile):
    name: ClassVar[str] = "spaces"
    title: ClassVar[str] = "Spaces"
    document: ClassVar[str] = "spaces-api.txt"
    required_credentials = ("access_token",)
    extra_keys: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "plain_http_url": {
            "type": "string",
            "pattern": "^http://[^/?#]+",
            "description": "a plain http:// URL of the API root (for the HTTPS-only rule)",
        },
    }
    #: Not documented: a polite pace for a real vendor.
    documented_rate_limit = RateLimit(10, 1.0)
    embedded_rate_limit = RateLimit(50, 1.0)
    success_envelope = "list"
    error_envelope = "error"
    https_only = True
    preflight_rule = "spaces.auth.basic-accepted"

    def derived_secrets(self, credentials: Mapping[str, str]) -> list[str]:
        """The Basic credential travels base64-encoded: mask that form too (standard and
        URL-safe alphabets)."""
        token = credentials.get("access_token")
        if not token:
            return []
        encoded = basic_credential(token)
        return [encoded, encoded.replace("+", "-").replace("/", "_")]

    def success_data(self, body: Any) -> Any:
        return body.get("data") if isinstance(body, dict) else None

    def parse_list(self, response: ApiResponse) -> tuple[list[Any], bool | None]:
        """The objects of a list response and its has_more (None when not a boolean)."""
        body = response.json_or_none()
        data = body.get("data") if isinstance(body, dict) else None
        has_more = body.get("has_more") if isinstance(body, dict) else None
        return (data if isinstance(data, list) else []), (has_more if isinstance(has_more, bool) else None)

    def pace_key(self, request: httpx.Request) -> str:
        credential = request.headers.get("authorization", "")
        return hashlib.sha256(credential.encode()).hexdigest()[:16] if credential else "anonymous"

    def preflight(self, target: Target) -> None:
        """GET /customers?limit=1 with the documented Basic credential."""
        client, credentials = target.client, target.credentials
        response = client.request(
            "GET", LIST_PATH, params={"limit": 1}, headers=auth_headers(credentials["access_token"])
        )
        if response.status_code in (401, 403):
            raise CredentialsRejected(
                f"GET {LIST_PATH} with the access token as Basic user name answered "
                f"{response.status_code}; check [spaces] access_token"
            )
        if not 200 <= response.status_code < 300:
            hint = " (base_url is the API root, with /api/v1)" if response.status_code == 404 else ""
            raise TargetError(f"smoke request GET {LIST_PATH} answered HTTP {response.status_code}{hint}")

    def faults(self) -> FaultCatalogue:
        from apiconform.providers.spaces.faults import FAULTS

        return FAULTS

    def create_app(self, options: ServerOptions) -> Any:
        from apiconform.providers.spaces.server import create_app

        return create_app(options)

    def start_reference(
        self, options: ServerOptions, *, host: str = "127.0.0.1", port: int = 0
    ) -> Deployment:
        """The API over TLS (a certificate for `host` from a fresh trustme test CA, whose PEM the
        deployment names as `verify`), and a plain-HTTP listener on the next free port, named as
        the `plain_http_url` setting, that must refuse service."""
        import trustme

        from apiconform.providers.spaces.server import create_plain_app

        folder = tempfile.TemporaryDirectory(prefix="apiconform-spaces-tls-")
        ca = trustme.CA()
        certificate = ca.issue_cert(host)
        ca_path = Path(folder.name) / "ca.pem"
        cert_path = Path(folder.name) / "server.pem"
        ca.cert_pem.write_to_path(str(ca_path))
        certificate.private_key_and_cert_chain_pem.write_to_path(str(cert_path))
        servers: list[RunningServer] = []
        try:
            secure = RunningServer(
                self.create_app(options),
                host=host,
                port=port,
                scheme="https",
                ssl_certfile=str(cert_path),
                ssl_keyfile=str(cert_path),
            )
            servers.append(secure)
            https_url = secure.base_url + API_PREFIX
            plain = RunningServer(create_plain_app(options, https_url), host=host, port=0)
            servers.append(plain)
        except BaseException:
            for server in servers:
                server.stop()
            folder.cleanup()
            raise
        return Deployment(
            base_url=https_url,
            servers=servers,
            verify=str(ca_path),
            settings={"plain_http_url": plain.base_url + API_PREFIX},
            cleanups=[folder.cleanup],
        )
