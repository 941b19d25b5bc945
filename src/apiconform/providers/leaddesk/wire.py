"""What the LeadDesk reference server puts on the wire, and how it reads request bodies.

- `ApiError` (an error answer), `Problems` (validation messages collected into one 422), `Answer`
  (a success), `Ctx` (one request being served) and `Handler`;
- `MESSAGES`: every error_description, in the reference and the quirky wording;
- `Wire`: one server's presentation, by its variant and faults: wordings, the 405, rendering
  (JSON media type, the quirky variant's key order), error bodies, dates, the representation of
  an object, and the JSON request body (or its 415);
- parsers: `strict_json`, `media_type`, `is_utf8`.

The server's docstring (`server.py`) describes what each variant presents; nothing here knows the
routes, the store's indexes or the token endpoint's grants.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from apiconform.providers.leaddesk.store import Campaign, Product, Resource, Session, User
from apiconform.reference.kit import form_fields, reverse_keys

JSON = Any

PREFIX = "/stable"
SINGULAR = {"users": "user", "products": "product", "campaigns": "campaign"}

#: key -> (reference wording, quirky wording); `{}` placeholders are filled by `str.format`.
MESSAGES: dict[str, tuple[str, str]] = {
    "not-found": ("No resource exists at {}.", "Nothing here: {}."),
    "user_not_found": ("User not found", "No user has the id {}."),
    "product_not_found": ("Product not found", "No product has the id {}."),
    "campaign_not_found": ("Campaign not found", "No campaign has the id {}."),
    "method": ("Method {} is not allowed for this resource.", "{} is not supported here."),
    "unauthorized": ("An access token is required.", "You must authenticate with a Bearer token."),
    "invalid-token": ("The access token is invalid or has expired.", "This access token is not valid."),
    "forbidden": ("The access token is read-only.", "Read-only users cannot modify data."),
    "media-type": (
        "The request body must be JSON (Content-Type: application/json).",
        "Only application/json request bodies are supported.",
    ),
    "malformed-json": ("The request body is not valid JSON.", "The JSON body could not be parsed."),
    "validation": ("Parameter validation failed", "The given data was invalid."),
    "bad-parameter": ("Invalid {}.", "The {} parameter is out of range or not a number."),
    "server-error": ("Internal server error", "Something went wrong on our side."),
    "unsupported-grant": (
        "The authorization grant type is not supported by the authorization server.",
        "Unknown grant_type.",
    ),
    "missing-parameters": (
        "The request is missing a required parameter: {}.",
        "Required parameters are missing: {}.",
    ),
    "token-body": (
        "The token request must be a JSON object or a form.",
        "Send the token request as a JSON object.",
    ),
    "invalid-client": ("Client authentication failed.", "Unknown client or wrong client secret."),
    "invalid-credentials": ("The user credentials were incorrect.", "Wrong username or password."),
    "invalid-client-number": ("The LeadDesk client or user is not known.", "Unknown LeadDesk client."),
    "invalid-refresh": ("The refresh token is invalid.", "This refresh token cannot be used."),
    "client-number": (
        "The leaddesk_client_id must be an integer.",
        "leaddesk_client_id is not a number.",
    ),
    "token-json": ("The token request must be a JSON object.", "Send the token request as JSON."),
    "missing-token": ("The Authorization header is required.", "No Authorization header was sent."),
    "not-acceptable": ("Only application/json responses are available.", "Accept application/json."),
    "page-not-found": ("Page {} does not exist.", "There is no page {}."),
    "username-taken": ("The username has already been taken.", "That username is in use."),
    "special-grant": (
        "The client is not authorized to use this grant type.",
        "This API client does not hold that special grant.",
    ),
    "https-required": ("The API is served over HTTPS only.", "Use https:// to reach the API."),
    "relation-not-found": ("The campaign has no such {}.", "That {} is not attached to the campaign."),
    "unknown-attribute": ("The attribute {} is not known.", "Unknown attribute: {}."),
}


class ApiError(Exception):
    """An error answer: status, error code, message key (and its values), error_validation.

    `oauth` marks the token endpoint's errors (some faults change only those)."""

    def __init__(
        self,
        status: int,
        code: str,
        key: str,
        *values: object,
        validation: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        oauth: bool = False,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.key = key
        self.values = values
        self.validation = validation
        self.headers = headers or {}
        self.oauth = oauth


class Problems:
    """Validation messages by field; `raise_if_any` turns them into one 422 (error `code`)."""

    def __init__(self, code: str = "validation_failed") -> None:
        self.items: dict[str, list[str]] = {}
        self.code = code

    def add(self, name: str, message: str) -> None:
        self.items.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ApiError(422, self.code, "validation", validation=self.items)


@dataclass
class Answer:
    """A success: status, the JSON body (None: no body) and extra headers."""

    status: int
    body: JSON = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Ctx:
    """One request being served."""

    request: Request
    params: dict[str, str]
    session: Session
    body: bytes = b""

    @property
    def root(self) -> str:
        """The API root as the client addressed it (an absolute URL, no trailing slash)."""
        return str(self.request.base_url).rstrip("/") + PREFIX


Handler = Callable[[Ctx], Answer]


def strict_json(content: bytes) -> JSON:
    """The JSON value of a UTF-8 body; ValueError for anything else (NaN and Infinity included)."""

    def reject(name: str) -> JSON:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(content.decode("utf-8"), parse_constant=reject)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def media_type(request: Request) -> str:
    """The request's Content-Type without parameters, lower-case ("" when there is none)."""
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


def is_utf8(text: str) -> bool:
    """Whether `text` can be answered in UTF-8 (JSON escapes can spell lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Wire:
    """One server's presentation: what its variant (clean, quirky or alternate) and its faults
    make of errors, successes, dates and objects, and how it reads a JSON request body."""

    def __init__(self, faults: frozenset[str], *, quirky: bool, alternate: bool) -> None:
        self.faults = faults
        self.quirky = quirky
        self.alternate = alternate
        self.errors_answered = 0  # error-id-varies: each error's code gets the next number

    def problems(self) -> Problems:
        """A validation collector; the alternate variant names the error otherwise (the document
        gives validation_failed only as an example)."""
        return Problems("invalid_parameters" if self.alternate else "validation_failed")

    def message(self, key: str, *values: object) -> str:
        """The error_description of `key` in this variant's wording."""
        reference, quirky = MESSAGES[key]
        return (quirky if self.quirky else reference).format(*values)

    def method_not_allowed(self, method: str, methods: list[str]) -> ApiError:
        """The 405 for `method` on a path that takes `methods` (Allow lists HEAD after a GET)."""
        if method == "DELETE" and "delete-collection-404" in self.faults:
            return ApiError(404, "not_found", "not-found", "this path")
        allowed = [*methods[:1], "HEAD", *methods[1:]] if "GET" in methods else methods
        return ApiError(405, "method_not_allowed", "method", method, headers={"Allow": ", ".join(allowed)})

    # --- rendering ------------------------------------------------------------------------

    def json_media_type(self) -> str:
        if "html-content-type" in self.faults:
            return "text/html; charset=utf-8"
        if "charset-latin1" in self.faults:
            return "application/json; charset=iso-8859-1"
        plain = self.quirky or "content-type-no-charset" in self.faults  # UTF-8 is JSON's own
        return "application/json" if plain else "application/json; charset=utf-8"

    def render(self, answer: Answer) -> Response:
        """The response of `answer`: no body and no Content-Type for a None body, else compact
        UTF-8 JSON (the quirky variant's keys in reverse order)."""
        if answer.body is None:
            return Response(status_code=answer.status, headers=answer.headers)
        body = reverse_keys(answer.body) if self.quirky else answer.body
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return Response(content, answer.status, answer.headers, self.json_media_type())

    def failure(self, error: ApiError) -> Response:
        """The response of `error`: `{error, error_description, error_validation?}`."""
        status, code, headers = error.status, error.code, error.headers
        description = self.message(error.key, *error.values)
        if not error.oauth:
            self.errors_answered += 1
            if "one-error-id" in self.faults:
                code = "error"
            if "error-id-varies" in self.faults:
                code = f"{code}_{self.errors_answered}"
        if "error-description-empty" in self.faults:
            description = ""
        if error.oauth and "token-errors-nonstandard" in self.faults:
            status, code, headers = 403, "bad_request", {}
        if error.oauth and "token-errors-plain-text" in self.faults:
            return PlainTextResponse(f"{code}: {description}", status, headers)
        body: dict[str, JSON] = {"error": code}
        if "errors-without-description" not in self.faults:
            body["error_description"] = description
        if self.alternate:  # the prose's "Message", beside the example's error_description
            body["message"] = description
        if error.validation is not None and "validation-no-details" not in self.faults:
            body["error_validation"] = error.validation
        return self.render(Answer(status, body, headers))

    def stamp(self, moment: datetime) -> str:
        """A time as answered: ISO 8601 extended format (the alternate variant: basic format)."""
        if "dates-not-iso" in self.faults:
            return moment.strftime("%d.%m.%Y %H:%M")
        if self.alternate or "dates-basic-format" in self.faults:  # ISO 8601 basic format
            return moment.strftime("%Y%m%dT%H%M%S%z")
        return moment.isoformat()

    @property
    def prose_names(self) -> bool:
        """Members named as the prose names them (`_link`, `links`, `meta`, `previous`), not as
        the examples do (`_links`, `_meta`, `prev`)."""
        return self.alternate or "prose-member-names" in self.faults

    def data(self, ctx: Ctx, kind: str, item: Resource, *, links: bool = True) -> dict[str, JSON]:
        """An object as answered: its properties, then its links object (unless `links` is False).
        The alternate variant names it `_link`, lists only further resources (no self), and
        leaves a campaign's users and products to its sub-resources."""
        data: dict[str, JSON] = {"id": self.id_value(item.id)}
        if isinstance(item, User):
            data.update(username=item.username, email=item.email)
        elif isinstance(item, Product):
            data.update(name=item.name, price=item.price)
        else:
            data["name"] = item.name
        data["createdAt" if "camel-case-property" in self.faults else "created_at"] = self.stamp(
            item.created_at
        )
        if isinstance(item, Campaign) and not self.alternate:
            data.update(products=[{"id": n} for n in item.products], users=[{"id": n} for n in item.users])
        elif isinstance(item, Campaign):  # counts derived from the relations, kept by the server
            data.update(product_count=len(item.products), user_count=len(item.users))
        if self.quirky:
            data.update(status="active", updated_at=self.stamp(item.updated_at))
        if "underscore-property" in self.faults:
            data["_internal_id"] = f"{SINGULAR[kind]}-{item.id:06d}"
        if self.alternate:  # the prefix is "reserved for internal use": the API's own use
            data["_type"] = SINGULAR[kind]
        if links:
            data["_link" if self.prose_names else "_links"] = self.links(ctx, kind, item)
        return data

    def id_value(self, number: int) -> JSON:
        """An id as answered: a JSON number, as in the examples (ids-as-strings: its digits)."""
        return str(number) if "ids-as-strings" in self.faults else number

    def links(self, ctx: Ctx, kind: str, item: Resource) -> dict[str, str]:
        """An object's links: self (not in the alternate variant) and its further resources,
        inside its own URL: a user's custom_fields; the alternate variant's campaign its users
        and products."""
        url = f"{ctx.root}/{kind}/{item.id}"
        further: dict[str, str] = {}
        if not (self.alternate or "object-no-self" in self.faults):
            further["self"] = url
        if isinstance(item, User) and "user-no-custom-fields-link" not in self.faults:
            inside = "object-links-elsewhere" not in self.faults
            further["custom_fields"] = (
                f"{url}/custom-fields" if inside else f"{ctx.root}/custom-fields?user={item.id}"
            )
        elif isinstance(item, Campaign) and self.alternate:
            further.update(users=f"{url}/users", products=f"{url}/products")
        return further

    # --- reading request bodies -----------------------------------------------------------

    def json_body(self, ctx: Ctx) -> JSON:
        """The body as JSON, or a 415 (a non-JSON Content-Type, or not UTF-8 JSON)."""
        if media_type(ctx.request) != "application/json":
            if self.alternate or "non-json-400" in self.faults:  # the response is not stated
                raise ApiError(400, "unsupported_content_type", "media-type")
            if "non-json-accepted" not in self.faults:
                raise ApiError(415, "unsupported_media_type", "media-type")
            try:
                return strict_json(ctx.body)
            except ValueError:
                return form_fields(ctx.body)
        try:
            return strict_json(ctx.body)
        except ValueError:
            if "malformed-json-400" in self.faults:
                raise ApiError(400, "bad_request", "malformed-json") from None
            raise ApiError(415, "unsupported_media_type", "malformed-json") from None

    def json_object(self, ctx: Ctx) -> dict[str, JSON]:
        """The body as a JSON object, or its 415, or a 422 naming `body` for any other JSON."""
        body = self.json_body(ctx)
        if not isinstance(body, dict):
            problems = self.problems()
            problems.add("body", "The request body must be a JSON object.")
            problems.raise_if_any()
        return cast(dict[str, JSON], body)
