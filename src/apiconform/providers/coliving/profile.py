"""The Coliving profile: `X-API-Key` or `Authorization: Bearer`, `{data, meta}` / `{error: {...}}`
envelopes, 60 requests per minute per key (coliving-api.txt)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal
from urllib.parse import quote, quote_plus

import httpx

from apiconform.checks.expect import violation
from apiconform.checks.pagination import PageInfo
from apiconform.client import ApiResponse
from apiconform.errors import CredentialsRejected, TargetError
from apiconform.profile import Profile, RateLimit
from apiconform.reference.faults import FaultCatalogue
from apiconform.reference.serving import ServerOptions
from apiconform.schemastore import store
from apiconform.target import Target

AuthStyle = Literal["x-api-key", "bearer"]
#: `headers(credential="api_key", style="x-api-key")`: a configured credential as request headers
Headers = Callable[..., dict[str, str]]
#: The smoke request of the preflight: the cheapest authenticated read.
PREFLIGHT_PATH = "/v1/listings"


def auth_headers(key: str | None, style: AuthStyle = "x-api-key") -> dict[str, str]:
    """Headers carrying `key` in one of the two documented ways (none when `key` is None)."""
    if key is None:
        return {}
    if style == "bearer":
        return {"Authorization": f"Bearer {key}"}
    return {"X-API-Key": key}


class ColivingProfile(Profile):
    name: ClassVar[str] = "coliving"
    title: ClassVar[str] = "Coliving"
    document: ClassVar[str] = "coliving-api.txt"
    required_credentials = ("api_key",)
    optional_credentials = (
        "api_key_other_host",
        "api_key_read_only",
        "api_key_inactive",
        "api_key_rate_limit",
        "api_key_expired",
        "api_key_legacy",
        "api_key_no_listings_read",
    )
    extra_keys: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        # the booking-message body field and de-duplication window are undocumented
        # (silence point coliving.message-body): defaults "message" and 60
        "message_field": {"type": "string", "minLength": 1},
        "message_dedup_seconds": {"type": "number", "exclusiveMinimum": 0},
        # which listings can be booked is undocumented (coliving.bookable-listings): default the
        # suite's own listing apiconform-bookings
        "booking_listing_id": {"type": "integer", "minimum": 1},
    }
    documented_rate_limit = RateLimit(60, 60.0)
    #: The embedded server's window is compressed 60x: the same count, per second.
    embedded_rate_limit = RateLimit(60, 1.0)
    success_envelope = "success-envelope"
    error_envelope = "error-envelope"

    base_url_note = "the document's base URL ends in /v1, and the suite's paths carry /v1 themselves"

    def derived_secrets(self, credentials: Mapping[str, str]) -> list[str]:
        """The keys as they travel in a URL (one probe sends api_key in the query string), percent-
        encoded as httpx sends a query value, and as other clients would."""
        forms = set()
        for value in credentials.values():
            as_sent = str(httpx.QueryParams({"k": value})).removeprefix("k=")
            forms |= {as_sent, quote(value, safe=""), quote_plus(value)}
        return sorted(forms - set(credentials.values()))

    def normalize_base_url(self, url: str) -> str:
        """`https://api.coliving.com/v1`, as the document prints it, is the API root
        `https://api.coliving.com`: the suite's paths are /v1/..."""
        return url.removesuffix("/v1")

    def success_data(self, body: Any) -> Any:

        return body.get("data") if isinstance(body, dict) else None

    def error_type(self, body: Any) -> str | None:
        error = body.get("error") if isinstance(body, dict) else None
        value = error.get("type") if isinstance(error, dict) else None
        return value if isinstance(value, str) else None

    def error_items(self, body: Any) -> list[Mapping[str, Any]]:
        error = body.get("error") if isinstance(body, dict) else None
        items = error.get("errors") if isinstance(error, dict) else None
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

    def parse_page(self, response: ApiResponse) -> tuple[list[Any], PageInfo]:
        """Items and `meta.pagination` of a GET /v1/listings page (fields that are missing or of
        the wrong type come back as None, for the checks to report)."""
        body = response.json_or_none()
        data = body.get("data") if isinstance(body, dict) else None
        meta = body.get("meta") if isinstance(body, dict) else None
        pagination = meta.get("pagination") if isinstance(meta, dict) else None
        pagination = pagination if isinstance(pagination, dict) else {}

        def number(name: str) -> int | None:
            value = pagination.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        info = PageInfo(
            current_page=number("current_page"),
            per_page=number("per_page"),
            total=number("total"),
            last_page=number("last_page"),
            first_index=number("from"),
            last_index=number("to"),
        )
        return (data if isinstance(data, list) else []), info

    def pace_key(self, request: httpx.Request) -> str:
        key = request.headers.get("x-api-key")
        authorization = request.headers.get("authorization", "")
        if key is None and authorization[:7].lower() == "bearer ":
            key = authorization[7:]
        if not key:
            return "anonymous"
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def preflight(self, target: Target) -> None:
        """The smoke request (GET /v1/listings?per_page=1), with each documented way of sending
        the key until one is served (so that a target refusing one of them is reported by that
        rule, not as a bad key). Verdicts: any 2xx runs the suite (whose rules judge the body);
        no API at the base URL (404), a 3xx, a 5xx or a 429 is a target error (exit 3); both
        forms refused with a well-formed 401/403 error envelope is refused credentials (exit 2);
        a 401/403 off the error envelope, or a refusal of both documented forms with another
        status, breaks the contract (exit 1, the rules it breaks failed)."""
        client, credentials = target.client, target.credentials
        answers = []
        for style in ("x-api-key", "bearer"):
            response = client.request(
                "GET",
                PREFLIGHT_PATH,
                params={"per_page": 1},
                headers=auth_headers(credentials["api_key"], style),
            )
            answers.append(response)
            if 200 <= response.status_code < 300:
                return
            unusable = self._unusable(response)
            if unusable is not None:
                raise TargetError(unusable)
        refusals = [r for r in answers if r.status_code in (401, 403)]
        malformed = [r for r in refusals if not self._well_formed_error(r)]
        if malformed:
            raise violation(
                f"GET {PREFLIGHT_PATH} refused the key with HTTP {malformed[0].status_code} and a body "
                "that is not the documented error envelope {error: {type, message, errors}}",
                *malformed,
                rules=("coliving.envelope.error-shape",),
            )
        if refusals:
            detail = self.error_type(refusals[0].json_or_none()) or "no error type"
            raise CredentialsRejected(
                f"GET {PREFLIGHT_PATH} with api_key answered {refusals[0].status_code} ({detail}), "
                "sent as X-API-Key and as Bearer; check [coliving] api_key"
            )
        raise violation(
            f"GET {PREFLIGHT_PATH}?per_page=1 with the key as X-API-Key and as Authorization: Bearer "
            f"(the documented forms) answered HTTP {answers[0].status_code} and {answers[1].status_code}, "
            "not a success nor a refusal of the key",
            *answers,
            rules=("coliving.auth.x-api-key-accepted", "coliving.auth.bearer-accepted"),
        )

    @staticmethod
    def _unusable(response: ApiResponse) -> str | None:
        """Why nothing usable answered the smoke request, or None."""
        status = response.status_code
        if status == 404:
            return (
                f"smoke request GET {PREFLIGHT_PATH} answered HTTP 404: no Coliving API at this base URL "
                "(the API root, as https://api.coliving.com or https://api.coliving.com/v1)"
            )
        if status == 429:
            return (
                f"smoke request GET {PREFLIGHT_PATH} was throttled (HTTP 429): the key's rate limit is spent"
            )
        if status >= 500 or 300 <= status < 400 or status < 200:
            return f"smoke request GET {PREFLIGHT_PATH} answered HTTP {status}"
        return None

    def _well_formed_error(self, response: ApiResponse) -> bool:
        """Whether `response` carries the document's error envelope."""
        return not store(self.name).errors(self.error_envelope, response.json_or_none())

    def faults(self) -> FaultCatalogue:
        from apiconform.providers.coliving.faults import FAULTS

        return FAULTS

    def create_app(self, options: ServerOptions) -> Any:
        from apiconform.providers.coliving.server import create_app

        return create_app(options)
