"""The pieces every reference server shares: one catch-all app, one guard, small parsers.

- `catch_all(handle)`: a Starlette app that hands every request, whatever its path and method
  (TRACE and made-up methods included), to `handle`, so that the server alone decides 404 and 405
  (or, with `methods`, only those methods: any other gets Starlette's plain-text 405);
- `guarded(request, serve, fail)`: `serve(request)`, or `fail()` when it raises anything
  unexpected (the server's 500), logged at DEBUG for an `InjectedFault` and at ERROR otherwise;
- `is_int`, `parse_integer` (a query parameter's digits), `reverse_keys` (the quirky variants' key
  order), `form_fields` (a urlencoded body), `error_page` (the HTML page of the errors-as-HTML
  faults).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeGuard
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

JSON = Any
Handler = Callable[[Request], Awaitable[Response]]
#: The methods the catch-all route declares; any other reaches the handler through the 405 handler.
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]
#: More fields than this in a urlencoded body are not parsed (form_fields answers {}).
MAX_FORM_FIELDS = 100
INTEGER_RE = re.compile(r"([+-]?)0*([0-9]+)")
logger = logging.getLogger("apiconform.reference")


class InjectedFault(RuntimeError):
    """An exception a fault raises on purpose, to be answered as the server's 500."""


def catch_all(handle: Handler, methods: Sequence[str] | None = None) -> Starlette:
    """An app that hands every request, whatever its path, to `handle`: whatever its method too,
    or, when `methods` is given, in those methods only (any other is answered by Starlette: a
    plain-text 405 with an Allow header)."""
    if methods is not None:
        return Starlette(routes=[Route("/{path:path}", handle, methods=list(methods))])

    async def other_method(request: Request, exc: Exception) -> Response:
        return await handle(request)

    return Starlette(
        routes=[Route("/{path:path}", handle, methods=METHODS)], exception_handlers={405: other_method}
    )


async def guarded(
    request: Request, serve: Handler, fail: Callable[[], Response], log_to: logging.Logger = logger
) -> Response:
    """`serve(request)`, or `fail()` (the server's own 500) when it raises an exception it does
    not answer itself; an `InjectedFault` is logged at DEBUG, anything else at ERROR (on `log_to`)."""
    try:
        return await serve(request)
    except Exception as exc:
        log = log_to.debug if isinstance(exc, InjectedFault) else log_to.error
        log("unhandled error serving %s %s", request.method, request.url.path, exc_info=True)
        return fail()


def is_int(value: JSON) -> TypeGuard[int]:
    """A JSON integer (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def parse_integer(raw: str, max_digits: int) -> int | None:
    """The integer `raw` spells as an optional sign and ASCII digits (None when it spells none);
    more than `max_digits` significant digits saturate at 10**max_digits, keeping the sign."""
    match = INTEGER_RE.fullmatch(raw)
    if match is None:
        return None
    sign, digits = match.groups()
    value = int(digits) if len(digits) <= max_digits else 10**max_digits
    return -value if sign == "-" else value


def reverse_keys(value: JSON) -> JSON:
    """`value` with every object's keys in reverse order (lists keep theirs)."""
    if isinstance(value, dict):
        return {k: reverse_keys(v) for k, v in reversed(value.items())}
    if isinstance(value, list):
        return [reverse_keys(v) for v in value]
    return value


def form_fields(body: bytes) -> dict[str, str]:
    """A urlencoded body's fields (the first of repeated ones); {} when it cannot be parsed."""
    fields: dict[str, str] = {}
    try:
        pairs = parse_qsl(
            body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS
        )
    except ValueError:
        return fields
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


def error_page(code: int, message: str) -> str:
    """A minimal HTML error page naming `code` and `message` (escaped)."""
    return f"<!DOCTYPE html><html><body><h1>Error {code}</h1><p>{html.escape(message)}</p></body></html>"
