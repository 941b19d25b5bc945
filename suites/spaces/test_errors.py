"""Errors (spaces-api.txt: status codes 400, 401, 404, 500; All responses will be returned in JSON
format; error JSON will often include message).

"All responses will be returned in JSON format" is held as: every response with a body parses as
JSON (the MUST); declaring a JSON media type is the SHOULD (the document speaks of the format, not
of the Content-Type header). An empty body has no format to break, and the body of a redirect the
client follows (e.g. to a trailing slash) is for browsers: neither is judged by the MUST.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Hashable, Sequence
from typing import Any
from urllib.parse import quote

import pytest

from apiconform.providers.spaces.profile import LIST_PATH
from apiconform.suite import (
    NOT_KEPT,
    ApiResponse,
    Exchange,
    Verdicts,
    answered_exchanges,
    check,
    content_type,
    expect_status,
    recorded_json,
    report,
)

#: Characters an ID's last letter or digit is swapped for, by class (so that the ID keeps its form).
SWAPS = (string.digits, "abcdef", "ABCDEF", string.ascii_lowercase, string.ascii_uppercase)


def is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def check_json_body(response: ApiResponse, what: str) -> None:
    """A response with a body parses as JSON (a redirect's body, for browsers, is not judged)."""
    if response.content.strip() and not 300 <= response.status_code < 400:
        check(response.json_or_none() is not None, f"{what}: the body does not parse as JSON", response)


def check_json_media_type(response: ApiResponse, what: str) -> None:
    """A response with a body declares a JSON media type."""
    if response.content.strip():
        declared = response.headers.get("content-type", "")
        check(is_json_type(declared), f"{what}: Content-Type is {declared!r}, not JSON", response)


def check_message(response: ApiResponse, what: str) -> None:
    body = response.json_or_none()
    message = body.get("message") if isinstance(body, dict) else None
    check(
        isinstance(message, str) and message.strip(),
        f"{what}: the error body has no string message",
        response,
    )


def unknown_like(ids: Sequence[Hashable]) -> str:
    """An ID of the same form as the target's own that names no object: for integers, one above
    the largest; for strings, the first ID with its last letter or digit swapped for another of
    its kind (a UUID stays a UUID); a random name when the list is empty."""
    numbers = [key for key in ids if isinstance(key, int)]
    if ids and len(numbers) == len(ids):
        return str(max(numbers) + 1000)
    taken = {str(key) for key in ids}
    text = str(ids[0]) if ids else ""
    where = next((i for i in range(len(text) - 1, -1, -1) if text[i].isascii() and text[i].isalnum()), None)
    if where is not None:
        kind = next(chars for chars in SWAPS if text[where] in chars)
        for char in kind:
            candidate = text[:where] + char + text[where + 1 :]
            if candidate not in taken:
                return candidate
    return f"apiconform-missing-{secrets.token_hex(4)}"


@pytest.mark.rule(
    "spaces.errors.unknown-resource-404",
    "spaces.errors.invalid-parameter-400",
    "spaces.errors.json-body",
    "spaces.errors.json-media-type",
    "spaces.errors.message",
)
def test_error_responses(client, auth, reference, verdicts: Verdicts):
    """An unknown path gets 404, and so does an unknown object ID of the target's own form (the
    single-object path is not in the document: a 405 there says the target has no such operation
    and is not judged); a malformed limit gets 400; these, a 401 and a list are JSON, and the
    errors carry a message."""
    missing = quote(unknown_like(reference.ids), safe="")
    probes: list[tuple[str | None, str, dict[str, Any], dict[str, str], int]] = [
        ("spaces.errors.unknown-resource-404", f"{LIST_PATH}/{missing}", {}, auth, 404),
        ("spaces.errors.unknown-resource-404", f"/apiconform-missing-{secrets.token_hex(4)}", {}, auth, 404),
        ("spaces.errors.invalid-parameter-400", LIST_PATH, {"limit": "ten"}, auth, 400),
        (None, LIST_PATH, {"limit": 1}, {}, 401),
        (None, LIST_PATH, {"limit": 1}, auth, 200),
    ]
    for rule, path, params, headers, status in probes:
        response = client.request("GET", path, headers=headers, params=params)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        what = f"GET {path}{'?' + query if query else ''}" + ("" if headers else " without credentials")
        if rule is not None:
            with verdicts.check(rule):
                if path.startswith(LIST_PATH + "/") and response.status_code == 405:
                    verdicts.note(f"{what}: 405, the target has no single-object read (not in the document)")
                else:
                    expect_status(response, status, what)
        with verdicts.check("spaces.errors.json-body"):
            check_json_body(response, what)
        with verdicts.check("spaces.errors.json-media-type"):
            check_json_media_type(response, what)
        if response.status_code >= 400:
            with verdicts.check("spaces.errors.message"):
                check_message(response, what)


def has_message(exchange: Exchange) -> bool:
    """Whether the error body carries a message (a body too large to keep is not judged)."""
    body = recorded_json(exchange)
    if body is NOT_KEPT:
        return True
    return isinstance(body, dict) and isinstance(body.get("message"), str) and bool(body["message"].strip())


@pytest.mark.observer
@pytest.mark.rule(
    "spaces.errors.json-body",
    "spaces.errors.json-media-type",
    "spaces.errors.message",
    "spaces.errors.no-server-error",
)
def test_every_response_of_the_run(client, target, verdicts: Verdicts):
    """Looks at every exchange of the session so far (this test runs last)."""
    seen = answered_exchanges(client, target.masker.mask(target.base_url))
    with verdicts.check("spaces.errors.json-body"):
        report(
            [
                (e, f"Content-Type {content_type(e)!r}, not JSON")
                for e in seen
                if e.body_json is False and not 300 <= (e.status or 0) < 400
            ],
            "with a body do not parse as JSON",
        )
    with verdicts.check("spaces.errors.json-media-type"):
        report(
            [
                (e, f"Content-Type {content_type(e)!r}")
                for e in seen
                if e.body_json is not None and not is_json_type(content_type(e))
            ],
            "with a body do not declare a JSON media type",
        )
    with verdicts.check("spaces.errors.message"):
        report(
            [(e, "no message") for e in seen if (e.status or 0) >= 400 and not has_message(e)],
            "lack a message",
        )
    with verdicts.check("spaces.errors.no-server-error"):
        report([(e, f"HTTP {e.status}") for e in seen if (e.status or 0) >= 500], "got a 5xx")
