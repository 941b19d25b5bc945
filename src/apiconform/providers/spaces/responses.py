"""Spaces response checks over one response (spaces-api.txt: All responses will be returned in
JSON format; error JSON will often include message), shared by the live suite
(suites/spaces/test_errors.py) and observed mode (apiconform.providers.spaces.observed).

"All responses will be returned in JSON format" is held as: every response with a body parses as
JSON (the MUST); declaring a JSON media type is the SHOULD (the document speaks of the format, not
of the Content-Type header). An empty body has no format to break, and the body of a redirect the
client follows (e.g. to a trailing slash) is for browsers: neither is judged by the MUST.
"""

from __future__ import annotations

from apiconform.checks.expect import check
from apiconform.client import ApiResponse


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
