"""The Spaces profile: HTTP Basic with the access token as user name and an empty password,
HTTPS only, plain objects, lists `{object: "list", data, has_more}` with cursors, errors
`{message}` "often" (spaces-api.txt).

`base_url` is the API root including `/api/v1` (the document's example is
`https://spaces.pe/api/v1/customers`; written with `/customers`, as in that example, it is used
without it). The document states no rate limit; the suite paces itself at 10 requests per second
per token unless `rate_limit` says otherwise.

Settings for what the document leaves open (`extra_keys`): `plain_http_url` (where to probe plain
HTTP) and `id_field` (the member that holds an object's ID, default `id`: the document says the
cursors take "the ID of the object" without naming the member). The optional credential
`plain_http_probe_token` is a throwaway access token (a key the user can revoke): the only
credential the suite ever sends over plain HTTP, and only when it is configured, so that the
HTTPS-only rule can show whether plain HTTP serves an authenticated client.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Hashable, Mapping
from typing import Any, ClassVar, NoReturn

import httpx

from apiconform.checks.expect import violation
from apiconform.client import ApiResponse
from apiconform.errors import CredentialsRejected, TargetError
from apiconform.profile import Profile, RateLimit
from apiconform.reference.faults import FaultCatalogue
from apiconform.reference.serving import Deployment, RunningServer, ServerOptions
from apiconform.target import Target

#: The smoke request of the preflight, and the one list the document names.
LIST_PATH = "/customers"
API_PREFIX = "/api/v1"
#: The member holding an object's ID unless `id_field` says otherwise.
DEFAULT_ID_FIELD = "id"
#: Rules the preflight's answer can break (see `SpacesProfile.preflight`).
BASIC_RULE = "spaces.auth.basic-accepted"
SHAPE_RULE = "spaces.lists.shape"
JSON_RULE = "spaces.errors.json-body"
LIST_RULE = "spaces.schema.list-response-conformance"


def basic_credential(token: str, password: str = "") -> str:
    """The Basic credential the document prescribes: base64 of `token:` (empty password)."""
    return base64.b64encode(f"{token}:{password}".encode()).decode("ascii")


def basic_forms(token: str) -> list[str]:
    """The forms `token` takes in a Basic credential on the wire: base64 of `token:`, in the
    standard and the URL-safe alphabets."""
    encoded = basic_credential(token)
    return [encoded, encoded.replace("+", "-").replace("/", "_")]


def object_id(item: Any, field: str = DEFAULT_ID_FIELD) -> Hashable | None:
    """A list object's ID (the cursor value) from its member `field`, or None when that member is
    not a string or an integer."""
    value = item.get(field) if isinstance(item, dict) else None
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


def auth_headers(token: str | None) -> dict[str, str]:
    """Headers authenticating with `token` as documented (none when `token` is None)."""
    return {} if token is None else {"Authorization": f"Basic {basic_credential(token)}"}


def body_is_json_or_empty(response: ApiResponse) -> bool:
    """Whether the body is JSON, or empty (a response without content has no format to break)."""
    return not response.content.strip() or response.json_or_none() is not None


def challenges(response: ApiResponse) -> list[str]:
    """The lower-case auth schemes a response's WWW-Authenticate headers name (RFC 9110 11.6.1:
    each challenge starts with its scheme; parameters follow a space)."""
    schemes = []
    for value in response.headers.get_list("www-authenticate"):
        for part in value.split(","):
            token = part.strip().split(" ", 1)[0]
            if token and "=" not in token:
                schemes.append(token.lower())
    return schemes


class SpacesProfile(Profile):
    name: ClassVar[str] = "spaces"
    title: ClassVar[str] = "Spaces"
    document: ClassVar[str] = "spaces-api.txt"
    required_credentials = ("access_token",)
    #: a throwaway token (a key you can revoke) for the plain-HTTP probe: the one credential ever
    #: sent over plain HTTP, and only when configured
    optional_credentials = ("plain_http_probe_token",)
    extra_keys: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "plain_http_url": {
            "type": "string",
            "pattern": "^http://[^/?#]+",
            "description": "a plain http:// URL of the API root (for the HTTPS-only rule; probed without "
            "credentials, and with plain_http_probe_token when that is configured)",
        },
        "id_field": {
            "type": "string",
            "minLength": 1,
            "description": "the member of a listed object that holds its ID, the cursor value (default id)",
        },
    }
    #: Not documented: a polite pace for a real vendor.
    documented_rate_limit = RateLimit(10, 1.0)
    embedded_rate_limit = RateLimit(50, 1.0)
    success_envelope = "list"
    error_envelope = "error"
    https_only = True
    preflight_rule = BASIC_RULE
    base_url_note = (
        "the document's example URL is the customers list; the API root is the part before /customers"
    )

    def normalize_base_url(self, url: str) -> str:
        """The API root for the document's example URL (`https://spaces.pe/api/v1/customers`):
        a trailing `/customers` is dropped; anything else is kept."""
        return url.removesuffix(LIST_PATH) if url.endswith(API_PREFIX + LIST_PATH) else url

    def derived_secrets(self, credentials: Mapping[str, str]) -> list[str]:
        """The Basic credential travels base64-encoded: mask that form too (standard and
        URL-safe alphabets), for the access token and the plain-HTTP probe token."""
        return [
            form
            for name in ("access_token", "plain_http_probe_token")
            if (token := credentials.get(name))
            for form in basic_forms(token)
        ]

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
        """GET /customers?limit=1 with the documented Basic credential; an honest verdict on the
        answer. A 2xx whose body is not a JSON object is off the contract (ContractViolation:
        spaces.lists.shape, and spaces.errors.json-body when it is not JSON). 404, a redirect
        away, 429 and 5xx: nothing usable answers at the base URL (TargetError). 401 is the
        documented refusal (CredentialsRejected, exit 2) unless the target refuses the documented
        credential form: it challenges only another scheme, or accepts the same token as Bearer
        or with a password (two probes, sent only after a 401), or the 401's body is not JSON;
        then ContractViolation. 403 and other 4xx are not the documented answer to the
        documented request with the documented credential (ContractViolation)."""
        client, token = target.client, target.credentials["access_token"]
        response = client.request("GET", LIST_PATH, params={"limit": 1}, headers=auth_headers(token))
        status, what = (
            response.status_code,
            f"GET {LIST_PATH}?limit=1 with the access token as Basic user name",
        )
        if 200 <= status < 300:
            body = response.json_or_none()
            if not isinstance(body, dict):
                rules = (SHAPE_RULE,) if body is not None else (SHAPE_RULE, JSON_RULE)
                kind = "not JSON" if body is None else f"a JSON {type(body).__name__}"
                raise violation(
                    f"{what} answered {status} with {kind}, not the list object "
                    f'{{"object": "list", "data": [...], "has_more": ...}} (is base_url the API root?)',
                    response,
                    rules=rules,
                )
            return
        if status == 404 or 300 <= status < 400:
            hint = " (base_url is the API root, with /api/v1, e.g. https://spaces.pe/api/v1)"
            raise TargetError(f"smoke request GET {LIST_PATH} answered HTTP {status}{hint}")
        if status == 429 or status >= 500:
            raise TargetError(
                f"smoke request GET {LIST_PATH} answered HTTP {status}: the target cannot serve now"
            )
        if status == 401:
            self._refused(target, response, what)
        if status == 403:
            raise violation(
                f"{what} answered 403, which the document does not list: its refusal of a credential "
                "is 401 (No valid API key used), so the documented credential form is refused here "
                "(if the token lacks access to /customers, configure one that has it)",
                response,
                rules=(BASIC_RULE,),
            )
        raise violation(
            f"{what} answered {status}: the documented request (limit 1 is in the documented range "
            "1-100) with the documented credential is not served",
            response,
            rules=(BASIC_RULE, LIST_RULE),
        )

    def _refused(self, target: Target, response: ApiResponse, what: str) -> NoReturn:
        """A 401 to the documented credential: CredentialsRejected when it is a refusal in the
        document's terms; ContractViolation when the target refuses the documented form itself."""
        client, token = target.client, target.credentials["access_token"]
        other = [scheme for scheme in challenges(response) if scheme != "basic"]
        if other and "basic" not in challenges(response):
            raise violation(
                f"{what} answered 401 challenging {', '.join(other)}, not Basic: the target does not "
                "take the documented HTTP Basic credential",
                response,
                rules=(BASIC_RULE,),
            )
        forms = {
            "as a Bearer token": {"Authorization": f"Bearer {token}"},
            "as Basic user name with a password": {"Authorization": f"Basic {basic_credential(token, 'x')}"},
        }
        for form, headers in forms.items():
            try:
                probe = client.request("GET", LIST_PATH, params={"limit": 1}, headers=headers)
            except TargetError:
                continue  # the target did answer the documented form; a failed probe proves nothing
            if 200 <= probe.status_code < 300:
                raise violation(
                    f"{what} and an empty password (the documented form) answered 401, but the same "
                    f"token {form} is accepted: the target refuses the documented credential form",
                    response,
                    probe,
                    rules=(BASIC_RULE,),
                )
        if not body_is_json_or_empty(response):
            raise violation(
                f"{what} answered 401 with a body that is not JSON (All responses will be returned in "
                "JSON format); check [spaces] access_token as well",
                response,
                rules=(JSON_RULE,),
            )
        raise CredentialsRejected(f"{what} answered 401; check [spaces] access_token")

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
        the `plain_http_url` setting, that must refuse service (the alternate variant: the TLS
        port itself, which closes a plain connection)."""
        from apiconform.providers.spaces.server import create_plain_app
        from apiconform.reference.tls import IssuedCertificate, serve_https

        certificate = IssuedCertificate.issue(host)
        servers: list[RunningServer] = []
        try:
            secure = serve_https(self.create_app(options), certificate, host=host, port=port)
            servers.append(secure)
            https_url = secure.base_url + API_PREFIX
            if options.alternate and not options.faults:
                # the alternate refuses plain HTTP by closing the connection: the TLS port itself,
                # whose handshake fails on a plain request
                plain_url = f"http://{host}:{secure.port}{API_PREFIX}"
            else:
                plain = RunningServer(create_plain_app(options, https_url), host=host, port=0)
                servers.append(plain)
                plain_url = plain.base_url + API_PREFIX
        except BaseException:
            for server in servers:
                server.stop()
            certificate.cleanup()
            raise
        return Deployment(
            base_url=https_url,
            servers=servers,
            verify=certificate.ca_path,
            settings={"plain_http_url": plain_url},
            cleanups=[certificate.cleanup],
        )
