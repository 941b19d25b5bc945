"""One recorded exchange as the observers see it: the masked `Exchange` (evidence, reports) and
an `ApiResponse` built from it, so that the live suites' check functions (which take responses)
judge recorded traffic unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from apiconform.client import ApiResponse, Body, parse_json
from apiconform.recording import BodyNotKept, Exchange

#: what `Observed.json()` gives for a body that is not known (cut, binary, too large, absent)
NOT_KEPT: Any = object()


class RecordedBody(Body):
    """The body of a recorded exchange: the parse of `content` when it was kept whole; a body
    that was not kept parses as nothing (`json()` raises BodyNotKept, `is_json()` is None)."""

    __slots__ = ("kept",)

    def __init__(self, content: bytes, kept: bool) -> None:
        super().__init__(content)
        self.kept = kept

    def json(self) -> Any:
        if not self.kept:
            raise BodyNotKept("the recorded response body is not whole")
        return super().json()

    def is_json(self) -> bool | None:
        return super().is_json() if self.kept else None


@dataclass(frozen=True, slots=True)
class Observed:
    """A recorded exchange that got a response, with what the observers ask of it."""

    #: 1-based position of the entry among everything read (all files), for messages
    index: int
    #: the masked exchange: evidence and reports take it, never the response's content
    exchange: Exchange
    #: the response for check functions; its content is the whole body when `body_kept`
    response: ApiResponse
    #: the request path below the base URL (e.g. `/v1/listings`), without the query
    path: str
    #: the request's query parameters, each with every value it was given
    query: Mapping[str, list[str]]
    #: the request body as sent (unmasked: for comparisons only, never for output)
    request_body: bytes
    #: an opaque label of the credential the request carried (equal labels, equal credentials);
    #: None when the recording does not say (a masked or absent credential)
    credential: str | None
    #: when the request started (seconds since the epoch), None when not recorded
    started: float | None
    #: whether the response body is known whole (not cut, not binary, not too large to keep)
    body_kept: bool

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def method(self) -> str:
        return self.exchange.method

    def header(self, name: str) -> str | None:
        """A response header's value (the first, when repeated), None when absent."""
        value: str | None = self.response.headers.get(name)
        return value

    def request_header(self, name: str) -> str | None:
        value: str | None = self.response.request.headers.get(name)
        return value

    def json(self) -> Any:
        """The parsed response body; None when it is empty or not JSON, NOT_KEPT when the body is
        not known whole (then nothing can be judged of it)."""
        if not self.body_kept:
            return NOT_KEPT
        return self.response.json_or_none()

    def request_json(self) -> Any:
        """The parsed request body, None when it is empty or not JSON."""
        if not self.request_body.strip():
            return None
        try:
            return parse_json(self.request_body)
        except (ValueError, UnicodeDecodeError):
            return None

    def finished(self) -> float | None:
        return None if self.started is None else self.started + self.exchange.elapsed


def observed(
    *,
    index: int,
    exchange: Exchange,
    base_url: str,
    url: str | None = None,
    request_headers: Iterable[tuple[str, str]],
    request_body: bytes,
    response_headers: Iterable[tuple[str, str]],
    content: bytes,
    body_kept: bool,
    credential: str | None = None,
    started: float | None = None,
) -> Observed:
    """The `Observed` form of `exchange` (which got a response). `url` (default: the exchange's),
    `request_headers`, `response_headers` and `content` are what the checks read, as recorded;
    only `exchange` (masked) is ever shown. ValueError (httpx.InvalidURL) for a URL httpx refuses."""
    assert exchange.status is not None
    url = url or exchange.url
    parts = urlsplit(url)
    base_path = urlsplit(base_url).path.rstrip("/")
    path = parts.path[len(base_path) :] if parts.path.startswith(base_path) else parts.path
    request = httpx.Request(exchange.method, url, headers=list(request_headers))
    response = ApiResponse(
        status_code=exchange.status,
        headers=httpx.Headers(list(response_headers)),
        content=content if body_kept else b"",
        request=request,
        elapsed=exchange.elapsed,
        exchange=exchange,
        _body=RecordedBody(content, body_kept),
    )
    return Observed(
        index=index,
        exchange=exchange,
        response=response,
        path=path or "/",
        query=parse_qs(parts.query, keep_blank_values=True),
        request_body=request_body,
        credential=credential,
        started=started,
        body_kept=body_kept,
    )


def from_exchange(exchange: Exchange, base_url: str, index: int = 0) -> Observed:
    """A recorded exchange of a live run (masked, its whole body parsed on demand when it was
    kept) as the observers see it, so that a live observer test and `apiconform check` share one
    check. The request body is the recorded (masked) one."""
    kept = True
    try:
        exchange.json()
    except BodyNotKept:
        kept = False
    except ValueError:
        pass
    content = exchange.response_body.encode()
    if kept and exchange.body_json:  # the recorded text is cut: the whole body, as parsed
        content = json.dumps(exchange.json(), ensure_ascii=False).encode()
    return observed(
        index=index,
        exchange=exchange,
        base_url=base_url,
        request_headers=exchange.request_headers,
        request_body=exchange.request_body.encode(),
        response_headers=exchange.response_headers,
        content=content,
        body_kept=kept,
    )
