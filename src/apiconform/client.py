"""The one HTTP client for everything the suite sends (schemathesis' traffic included).

Guarantees of `ApiClient.request`:
- it only ever sends to the configured origin: a path is joined to the base URL, an absolute URL
  of another origin is refused, and redirects are followed only within the origin (a redirect
  elsewhere is returned as-is, never followed, so no credential leaves the origin);
- each request waits for its key's pacing slot, and ends within `timeout` seconds of wall time
  (connect, headers and a body that drips all count), and no request starts after the run deadline;
- the response body is read up to `max_body` bytes (after decompression); more is an error;
- every exchange is counted and recorded, masked, against the rules that are running;
- any failure to get a usable response raises `TargetError` with a one-line reason.
"""

from __future__ import annotations

import json as jsonlib
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from apiconform.errors import ConfigError, TargetError
from apiconform.inflate import BodyTooLarge, InflateError, inflate, supported
from apiconform.masking import SECRET_HEADERS, Masker, credential_label
from apiconform.pacing import Pacer
from apiconform.recording import Exchange, no_body, unparsed

DEFAULT_MAX_BODY = 10 * 1024 * 1024
#: Characters of each body an exchange keeps (the suites parse recorded bodies up to this size)
RECORDED_BODY = 20_000
#: HTTP methods that change data unless the profile says otherwise (see Profile.is_write)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_NOT_PARSED = object()
_USER_AGENT = "apiconform"
#: Bodies up to this size are kept by their exchange until `body_json` is asked for
_LAZY_BODY_LIMIT = 64 * 1024


def origin_of(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) of `url`, the port defaulted from the scheme."""
    parts = url if isinstance(url, httpx.URL) else httpx.URL(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme, parts.host, port)


class Body:
    """A fully read response body whose JSON parse is done at most once, on first use (by the
    suite's `json()` or by the exchange's `body_json`), and never when nothing asks."""

    __slots__ = ("_error", "_parsed", "content")

    def __init__(self, content: bytes) -> None:
        self.content = content
        self._parsed: Any = _NOT_PARSED
        self._error: str | None = None

    def json(self) -> Any:
        """The parsed body; ValueError (every time) when it is not JSON."""
        if self._error is not None:
            raise ValueError(self._error)
        if self._parsed is _NOT_PARSED:
            try:
                self._parsed = parse_json(self.content)
            except ValueError as exc:
                self._error = str(exc)
                raise
        return self._parsed

    def is_json(self) -> bool | None:
        """Whether the body parses as JSON; None when it is empty (or only whitespace)."""
        if not self.content.strip():
            return None
        try:
            self.json()
        except ValueError:
            return False
        return True


@dataclass
class ApiResponse:
    """A fully read response. `json()` parses once and raises ValueError on a non-JSON body."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    request: httpx.Request
    elapsed: float
    exchange: Exchange
    http_version: str = "HTTP/1.1"
    reason_phrase: str = ""
    _body: Body | None = field(default=None, repr=False)

    def json(self) -> Any:
        """The parsed body; ValueError when it is not JSON (nesting too deep to parse included)."""
        if self._body is None:
            self._body = Body(self.content)
        return self._body.json()

    def json_or_none(self) -> Any:
        """The parsed body, or None when it is not JSON."""
        try:
            return self.json()
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


@dataclass
class Usage:
    """Request accounting for one run, overall and per rule."""

    requests: int = 0
    throttled: int = 0
    #: 429s on paced requests: the suite's own pacing failed to stay under the target's limit
    #: (429s on unpaced requests are the rate-limit probes' intended ones)
    unintended_throttled: int = 0
    per_rule: Counter[str] = field(default_factory=Counter)
    throttled_per_rule: Counter[str] = field(default_factory=Counter)


def _without(text: str, values: Iterable[str]) -> str:
    for value in values:
        text = text.replace(value, "")
    return text


def _carries_only(header: str, allowed: tuple[str, ...]) -> bool:
    """Whether a secret-bearing header value holds one of `allowed` and, apart from those, at most
    an auth scheme's name (`Basic <allowed>`)."""
    rest = _without(header, allowed).strip()
    return rest != header.strip() and (rest == "" or rest.isalpha())


class ApiClient:
    def __init__(
        self,
        base_url: str,
        *,
        masker: Masker,
        pacer: Pacer,
        pace_key: Callable[[httpx.Request], str],
        response_secrets: Callable[[httpx.Request, bytes], Iterable[str]] | None = None,
        is_write: Callable[[httpx.Request], bool] | None = None,
        writes_allowed: bool = True,
        timeout: float,
        deadline_at: float,
        verify: bool | str = True,
        max_body: int = DEFAULT_MAX_BODY,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.masker = masker
        self.pacer = pacer
        self.timeout = timeout
        self.deadline_at = deadline_at
        self.max_body = max_body
        self._pace_key = pace_key
        self._response_secrets = response_secrets
        self._is_write = is_write or (lambda request: request.method in WRITE_METHODS)
        self.writes_allowed = writes_allowed
        self._origin = origin_of(self.base_url)
        #: origins besides the configured one, each with the only secrets requests there may carry
        self._bare_origins: dict[tuple[str, str, int | None], tuple[str, ...]] = {}
        self._http = httpx.Client(
            verify=_tls_verification(verify),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": _USER_AGENT, **(default_headers or {})},
            trust_env=False,
        )
        self._lock = threading.Lock()
        self.usage = Usage()
        self.exchanges: list[Exchange] = []
        self.max_exchanges = 2000
        #: Rule ids of the test that is running; set by the pytest plugin.
        self.current_rules: tuple[str, ...] = ()
        #: Called with every exchange (the pytest plugin collects the current test's).
        self.listeners: list[Callable[[Exchange], None]] = []

    def close(self) -> None:
        self._http.close()

    # -- building -------------------------------------------------------------------------

    def url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return self.base_url + ("" if path_or_url.startswith("/") else "/") + path_or_url

    def allow_bare_origin(self, url: str, *, carrying: Iterable[str] = ()) -> None:
        """Allow requests to `url`'s origin as well, but only requests that carry no credential
        other than the values in `carrying` (and, once allowed, none but those): no other
        secret-bearing header (one that holds anything beyond a scheme name and those values)
        and no other configured secret anywhere in the URL or body. Used to probe, e.g., a
        plain-HTTP address that must refuse service, with nothing or with a throwaway credential
        the user configured for it (each of its forms on the wire is listed in `carrying`)."""
        self._bare_origins[origin_of(url)] = tuple(value for value in carrying if value)

    def _check_origin(self, request: httpx.Request) -> None:
        url = request.url
        origin = origin_of(url)
        if origin == self._origin:
            return
        shown = self.masker.mask(str(url.copy_with(query=None)))
        if origin not in self._bare_origins:
            raise TargetError(f"refused to send a request outside the configured origin: {shown}")
        allowed = self._bare_origins[origin]
        carried = [
            name
            for name, value in request.headers.items()
            if name.lower() in SECRET_HEADERS and not _carries_only(value, allowed)
        ]
        text = str(url) + (request.content.decode("utf-8", errors="replace") if request.content else "")
        text = _without(text + "\n" + "\n".join(request.headers.values()), allowed)
        if carried or self.masker.mask(text) != text:
            raise TargetError(f"refused to send credentials outside the configured origin: {shown}")

    # -- sending --------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        params: Any = None,
        json: Any = _NOT_PARSED,
        content: bytes | str | None = None,
        data: Mapping[str, Any] | None = None,
        cookies: Mapping[str, str] | None = None,
        follow_redirects: bool = True,
        paced: bool = True,
    ) -> ApiResponse:
        """Send one request (see the module docstring for what is guaranteed). `paced=False` is
        for the rate-limit rules alone: the request skips its key's pacing slot (and does not
        take one), so that a burst can exceed the target's limit on purpose."""
        kwargs: dict[str, Any] = {"headers": headers, "params": params, "cookies": cookies}
        if json is not _NOT_PARSED:
            kwargs["json"] = json
        if content is not None:
            kwargs["content"] = content
        if data is not None:
            kwargs["data"] = data
        request = self._http.build_request(method, self.url(path_or_url), **kwargs)
        for _ in range(_MAX_REDIRECTS + 1):
            response = self._send(request, paced)
            if not (follow_redirects and response.status_code in _REDIRECTS):
                return response
            location = response.headers.get("location")
            if not location:
                return response
            target = request.url.join(location)
            if origin_of(target) != self._origin:
                return response  # never follow a redirect off the origin
            redirect_method = "GET" if response.status_code == 303 else method
            request = self._http.build_request(
                redirect_method,
                target,
                headers=request.headers,
                content=None if redirect_method == "GET" else request.content,
            )
        raise TargetError(
            f"more than {_MAX_REDIRECTS} redirects from {method} {self.masker.mask(path_or_url)}"
        )

    def _send(self, request: httpx.Request, paced: bool = True) -> ApiResponse:
        self._check_origin(request)
        if not self.writes_allowed and self._is_write(request):
            raise TargetError(
                f"refused to send {request.method} {request.url.path}: writes are not allowed "
                "(allow_writes = false)"
            )
        if not paced:
            return self._exchange(request, paced)
        key = self._pace_key(request)
        self.pacer.acquire(key)
        try:
            return self._exchange(request, paced)
        finally:
            self.pacer.release(key)

    def _exchange(self, request: httpx.Request, paced: bool) -> ApiResponse:
        remaining = self.deadline_at - time.monotonic()
        if remaining <= 0:
            raise TargetError("run deadline exceeded")
        budget = min(self.timeout, remaining)
        request.extensions["timeout"] = {"connect": budget, "read": budget, "write": budget, "pool": budget}
        started = time.monotonic()
        try:
            response = self._http.send(request, stream=True)
            try:
                chunks: list[bytes] = []
                size = 0
                for chunk in decoded(response, self.max_body):
                    size += len(chunk)
                    if size > self.max_body:
                        raise TargetError(f"response body exceeds {self.max_body} bytes")
                    if time.monotonic() - started > budget:
                        raise TargetError(f"response not complete within {budget:.1f} s")
                    chunks.append(chunk)
            except BodyTooLarge:
                raise TargetError(f"response body exceeds {self.max_body} bytes") from None
            except InflateError as exc:
                raise TargetError(f"response body could not be decoded: {exc}") from None
            finally:
                response.close()
        except TargetError as exc:
            self._record(request, None, b"", time.monotonic() - started, str(exc), paced)
            raise
        except httpx.HTTPError as exc:
            reason = self._describe_transport_error(exc)
            self._record(request, None, b"", time.monotonic() - started, reason, paced)
            raise TargetError(reason) from None
        elapsed = time.monotonic() - started
        if elapsed > budget:
            reason = f"response not complete within {budget:.1f} s"
            self._record(request, None, b"", elapsed, reason, paced)
            raise TargetError(reason)
        content = b"".join(chunks)
        body = Body(content)  # the response and its exchange share one parse, made on demand
        parse_body: Callable[[], Any] = unparsed
        if len(content) <= _LAZY_BODY_LIMIT:
            parses_as_json: Callable[[], bool | None] = body.is_json
            parse_body = body.json
        else:  # decided now, so that recorded exchanges never hold a large body
            verdict = body.is_json()
            parses_as_json = lambda: verdict  # noqa: E731
        exchange = self._record(request, response, content, elapsed, None, paced, parses_as_json, parse_body)
        return ApiResponse(
            status_code=response.status_code,
            headers=response.headers,
            content=content,
            request=request,
            elapsed=elapsed,
            exchange=exchange,
            http_version=response.http_version,
            reason_phrase=response.reason_phrase,
            _body=body,
        )

    def _describe_transport_error(self, exc: httpx.HTTPError) -> str:
        kind = {
            httpx.ConnectTimeout: "connection timed out",
            httpx.ReadTimeout: "no response within the timeout",
            httpx.WriteTimeout: "request could not be sent within the timeout",
            httpx.PoolTimeout: "no connection available within the timeout",
            httpx.ConnectError: "cannot connect",
            httpx.RemoteProtocolError: "the target broke the HTTP protocol",
            httpx.ReadError: "connection failed while reading",
            httpx.DecodingError: "response body could not be decoded",
        }
        for exc_type, label in kind.items():
            if isinstance(exc, exc_type):
                return self.masker.mask(f"{label}: {exc}" if str(exc) else label)
        return self.masker.mask(f"{type(exc).__name__}: {exc}")

    def _record(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        content: bytes,
        elapsed: float,
        error: str | None,
        paced: bool = True,
        parses_as_json: Callable[[], bool | None] = no_body,
        parse_body: Callable[[], Any] = unparsed,
    ) -> Exchange:
        if self._response_secrets is not None and content:
            for secret in self._response_secrets(request, content):
                if isinstance(secret, str) and len(secret) >= 4:
                    self.masker.add(secret)  # tokens issued by the target: masked before recording
        mask = self.masker.mask
        body = request.content.decode("utf-8", errors="replace") if request.content else ""
        exchange = Exchange(
            parses_as_json=parses_as_json,
            parse_body=parse_body,
            method=request.method,
            url=mask(str(request.url)),
            # tuples of strings: the garbage collector stops tracking them (a run keeps thousands)
            request_headers=tuple(self.masker.mask_headers(request.headers.multi_items())),
            # masked whole, then cut: a cut first could leave the start of a secret unmasked
            request_body=mask(body)[:RECORDED_BODY],
            status=response.status_code if response is not None else None,
            response_headers=tuple(self.masker.mask_headers(response.headers.multi_items()))
            if response
            else (),
            response_body=mask(content.decode("utf-8", errors="replace"))[:RECORDED_BODY],
            elapsed=elapsed,
            error=error,
            rules=self.current_rules,
            credential=credential_label(request.headers.multi_items()),
        )
        with self._lock:
            self.usage.requests += 1
            throttled = response is not None and response.status_code == 429
            if throttled:
                self.usage.throttled += 1
                if paced:
                    self.usage.unintended_throttled += 1
            for rule in self.current_rules:
                self.usage.per_rule[rule] += 1
                if throttled:
                    self.usage.throttled_per_rule[rule] += 1
            if len(self.exchanges) < self.max_exchanges:
                self.exchanges.append(exchange)
        for listener in list(self.listeners):
            listener(exchange)
        return exchange


def decoded(response: httpx.Response, limit: int) -> Iterator[bytes]:
    """The decoded body of a streamed `response`, inflated in bounded steps (apiconform.inflate)
    for the codings it handles, so that a compressed body is cut at `limit` before more than a
    step past it is ever inflated (BodyTooLarge); other codings go through httpx's decoders."""
    encoding = response.headers.get("content-encoding", "")
    if not supported(encoding):
        return response.iter_bytes()
    return inflate(response.iter_raw(), encoding, limit)


def _tls_verification(verify: bool | str) -> bool | ssl.SSLContext:
    """`verify` for httpx: a CA bundle path becomes an SSL context (ConfigError if unusable)."""
    if not isinstance(verify, str):
        return verify
    try:
        return ssl.create_default_context(cafile=verify)
    except (ssl.SSLError, OSError) as exc:
        raise ConfigError(f"verify: cannot use {verify!r} as a CA bundle: {exc}") from None


def parse_json(content: bytes | str) -> Any:
    """json.loads of a target's body; a body nested too deeply to parse raises ValueError too
    (not RecursionError), so that every caller's `except ValueError` holds."""
    try:
        return jsonlib.loads(content)
    except RecursionError:
        raise ValueError("JSON nested too deeply to parse") from None
