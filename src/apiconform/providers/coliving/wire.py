"""The Coliving reference server's wire: what every answer is made of, whatever the endpoint.

- `ApiError` (an error answer), `Errors` (validation errors collected into one 422) and `Result`
  (a success answer);
- `Ctx`, one request being served, with its body parsed as a JSON object (`Ctx.json`) and the
  request ids it is answered with;
- `Wire`, the presentation of the faults switched on and the variant: request ids, the success
  and error envelopes rendered as JSON, timestamps and dates, the quirky variant's wording, key
  order and extra members, the alternate variant's legacy `success` flag;
- `Resource`, what every resource's endpoints share (the wire and the store).

Nothing here knows a route; the resource modules build on this one and `server.py` on them.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from apiconform.providers.coliving.store import ApiKey, Store
from apiconform.reference.kit import reverse_keys

JSON = Any

MAX_REQUEST_ID_LENGTH = 200
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

# The quirky variant words its errors differently (keys: the reference wording).
QUIRKY_MESSAGES = {
    "Validation failed": "The given data was invalid.",
    "API key is required": "No API key was provided.",
    "Invalid API key": "The API key is not valid.",
    "API key is inactive": "The API key has been deactivated.",
    "Missing required API key permission.": "This API key lacks a required permission.",
    "Listing not found or unauthorized": "No such listing for this account.",
    "Not found": "The requested resource does not exist.",
    "Method not allowed": "This method is not supported for this resource.",
    "An unexpected error occurred.": "Something went wrong on our side.",
    "Email address is required.": "The email field is required.",
    "Email address is invalid.": "The email must be a valid email address.",
    "User ID is required.": "The user id field is required.",
    "The name field is required.": "A listing name must be given.",
}


class ApiError(Exception):
    """An error answer: status, error.type, error.message and (path, code, message) items."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        errors: list[tuple[str, str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {type_}: {message}")
        self.status = status
        self.type = type_
        self.message = message
        self.errors = errors or []
        self.headers = headers or {}


def validation_error(path: str, code: str, message: str) -> ApiError:
    """A 422 with a single error item."""
    return ApiError(422, "validation_error", "Validation failed", [(path, code, message)])


class Errors:
    """Collects validation errors; `raise_if_any` turns them into one 422."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []

    def add(self, path: str, code: str, message: str) -> None:
        self.items.append((path, code, message))

    def has(self, path: str) -> bool:
        return any(item[0] == path for item in self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ApiError(422, "validation_error", "Validation failed", self.items)


@dataclass
class Result:
    """A success answer: status, data, extra meta members, and the kind of data (for quirky extras)."""

    status: int
    data: JSON
    meta: dict[str, JSON] = field(default_factory=dict)
    kind: str = "object"


@dataclass
class Ctx:
    """One request being served."""

    request: Request
    body_request_id: str | None
    header_request_id: str | None
    raw_body: bytes = b""
    key: ApiKey | None = None
    headers: dict[str, str] = field(default_factory=dict)  # extra response headers (rate limit)

    def json(self) -> dict[str, JSON]:
        """The body as a JSON object, or a 422 path `body`."""

        def reject_constant(name: str) -> JSON:
            raise ValueError(f"{name} is not JSON")

        try:
            body = json.loads(self.raw_body, parse_constant=reject_constant)
        except (ValueError, RecursionError):
            raise validation_error("body", "invalid", "The request body must be valid JSON.") from None
        if not isinstance(body, dict):
            raise validation_error("body", "invalid", "The request body must be a JSON object.")
        return body

    @property
    def host_id(self) -> int:
        assert self.key is not None
        return self.key.host_id


def parse_date(value: JSON) -> date | None:
    """A body's `YYYY-MM-DD` date, or None when `value` is not one (a real calendar day)."""
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def micro_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def second_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Wire:
    """How this server answers: request ids, envelopes, timestamps and dates, as the faults
    switched on (`faults`) and the variant (`quirky`, `alternate`) want them."""

    def __init__(self, faults: frozenset[str], *, quirky: bool, alternate: bool) -> None:
        self.faults = faults
        self.quirky = quirky
        self.alternate = alternate

    def generate_request_id(self) -> str:
        """A new request id: `req_<32 hex>` (a plain uuid4 in the quirky variant)."""
        if "request-id-constant" in self.faults:
            return "req_000001"
        return str(uuid.uuid4()) if self.quirky else f"req_{uuid.uuid4().hex}"

    def request_ids(self, request: Request) -> tuple[str | None, str | None]:
        """(id for the body, id for the X-Request-Id header); None leaves it out."""
        sent = request.headers.get("x-request-id")
        post = request.method == "POST"
        if (
            sent is None
            or not 1 <= len(sent) <= MAX_REQUEST_ID_LENGTH
            or "request-id-not-echoed" in self.faults
            or (post and "request-id-not-echoed-on-post" in self.faults)
        ):
            sent = None
        if (
            sent is None
            and request.method in ("POST", "PATCH")
            and "request-id-missing-on-writes" in self.faults
        ):
            return None, None
        if self.alternate:  # the header only, and echoed only where the document lists it
            documented = request.method in ("POST", "PATCH") and request.scope["path"].startswith(
                "/v1/listings"
            )
            return None, (sent if documented else None) or self.generate_request_id()
        if sent is None and "no-request-id" in self.faults:
            return None, None
        request_id = sent or self.generate_request_id()
        if "request-id-header-mismatch" in self.faults:
            return self.generate_request_id(), request_id
        return request_id, None if self.quirky else request_id

    # --- rendering ------------------------------------------------------------------------

    def render(
        self, ctx: Ctx, status: int, body: JSON, headers: dict[str, str], media_type: str | None
    ) -> Response:
        """`body` as compact JSON with `status`, the context's extra headers and its X-Request-Id."""
        if self.quirky:
            body = reverse_keys(body)
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {**ctx.headers, **headers}
        if ctx.header_request_id is not None:
            headers["X-Request-Id"] = ctx.header_request_id
        default = "application/json; charset=utf-8" if self.quirky else "application/json"
        return Response(content, status_code=status, headers=headers, media_type=media_type or default)

    def success(self, ctx: Ctx, result: Result) -> Response:
        """`result` in the success envelope `{data, meta: {request_id, ...}}`."""
        data = result.data
        if self.quirky and isinstance(data, dict):
            data = {**data, "object": result.kind}
        elif self.quirky and isinstance(data, list):
            data = [{**item, "object": result.kind} for item in data]
        body: dict[str, JSON] = {"data": data}
        if self.alternate:  # the legacy flag, alongside the canonical shape
            body["success"] = True
        if "success-without-meta" not in self.faults:
            meta: dict[str, JSON] = {} if ctx.body_request_id is None else {"request_id": ctx.body_request_id}
            meta.update(result.meta)
            if self.quirky:
                meta["api_version"] = "v1"
            body["meta"] = meta
        return self.render(ctx, result.status, body, {}, None)

    def failure(self, ctx: Ctx, error: ApiError) -> Response:
        """`error` in the error envelope `{error: {type, message, request_id, errors}}`."""
        type_ = error.type
        listing_write = ctx.request.scope["path"].startswith("/v1/listings") and ctx.request.method != "GET"
        if error.status == 422 and (
            "validation-type" in self.faults or (listing_write and "validation-type-listings" in self.faults)
        ):
            type_ = "invalid_request"
        reworded = self.quirky or "messages-reworded" in self.faults
        word = (lambda text: QUIRKY_MESSAGES.get(text, text)) if reworded else (lambda text: text)
        where = "field" if "error-items-unpathed" in self.faults else "path"
        errors = list(error.errors)
        if error.status == 404 and not errors and "not-found-errors-listed" in self.faults:
            errors.append(("id", "not_found", "No listing has this id."))
        items = [{where: path, "code": code, "message": word(message)} for path, code, message in errors]
        obj: dict[str, JSON] = {"type": type_, "message": word(error.message)}
        if ctx.body_request_id is not None:
            obj["request_id"] = ctx.body_request_id
        obj["errors"] = items
        if self.quirky:
            obj["documentation_url"] = f"https://coliving.com/docs/api/errors#{type_}"
        body: dict[str, JSON] = obj if "error-flat" in self.faults else {"error": obj}
        if self.alternate:
            body["success"] = False
        media_type = "text/html; charset=utf-8" if "error-html-content-type" in self.faults else None
        return self.render(ctx, error.status, body, error.headers, media_type)

    # --- dates ----------------------------------------------------------------------------

    def stamp(self, moment: datetime, *, micro: bool) -> str:
        """A timestamp as answered: RFC 3339 like the document's examples (with microseconds, or
        whole seconds for listings); the alternate variant's ISO 8601 form has a `+0000` offset,
        which RFC 3339 does not allow."""
        if self.alternate:
            return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")
        if "timestamps-not-rfc3339" in self.faults:
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        return micro_stamp(moment) if micro else second_stamp(moment)

    def day(self, value: JSON) -> JSON:
        """A date field as answered: as sent (YYYY-MM-DD); the alternate variant answers it the
        way Laravel's date cast does, as a date-time at midnight."""
        if self.alternate and isinstance(value, str):
            return f"{value}T00:00:00.000000Z"
        return value


class Resource:
    """One resource's endpoints: they answer through `wire` from `store`, with its faults and
    variant (`faults`, `quirky`, `alternate`)."""

    def __init__(self, wire: Wire, store: Store) -> None:
        self.wire = wire
        self.store = store
        self.faults = wire.faults
        self.quirky = wire.quirky
        self.alternate = wire.alternate
