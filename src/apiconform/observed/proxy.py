"""`apiconform proxy`: a forwarding proxy that records the user's own traffic and judges it.

Built on the project's ASGI stack (Starlette on uvicorn, as the reference servers) with httpx as
the forwarding client. Guarantees:
- it sends nothing of its own: every upstream request is one the user's client sent, forwarded
  once, to the upstream URL followed by the request's path and query (a path prefix of the
  upstream, e.g. LeadDesk's `/stable`, is kept), with the same method, headers (less the
  hop-by-hop ones; Host names the upstream) and body; redirects are passed back, never followed;
- it changes no response: the status, headers (less the hop-by-hop ones) and the body bytes as
  the upstream sent them (still compressed, when they were) go back to the client, streamed;
- each exchange is recorded masked (apiconform.observed.secrets) with its body kept up to the
  client's size bound (`max_body`, decompressed, inflated in bounded steps), judged by the
  provider's observers as it completes, and appended to the `record` file as one JSON line (a
  HAR entry) when one is given; the proxy's memory stays bounded whatever the bodies' size;
- an upstream that cannot be reached gets the client a 502 (the only answer the proxy makes up),
  recorded as no response.
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from apiconform.client import DEFAULT_MAX_BODY
from apiconform.errors import UsageError
from apiconform.inflate import BoundedDecoder
from apiconform.observed.observer import Observer, finish_all, observe
from apiconform.observed.reader import Raw, TrafficReader
from apiconform.observed.tally import Tally
from apiconform.report.har import har_entry

#: hop-by-hop headers (RFC 9110 section 7.6.1) and what the transport recomputes
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
    }
)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def _kept(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name.lower() not in HOP_BY_HOP]


class Recorder:
    """Where the proxy's exchanges go: masked, judged, and appended to the record file."""

    def __init__(
        self,
        reader: TrafficReader,
        observers: list[Observer],
        tally: Tally,
        record: IO[str] | None = None,
    ) -> None:
        self.reader = reader
        self.observers = observers
        self.tally = tally
        self.record = record
        self.forwarded = 0
        self._lock = threading.Lock()

    def add(self, raw: Raw) -> None:
        """Judge and record one exchange (thread-safe)."""
        with self._lock:
            self.reader.stats.entries += 1
            seen = self.reader.accept(raw)
            if seen is None:
                return
            for observer in self.observers:
                observe(observer, seen, self.tally)
            if self.record is not None:
                moment = datetime.fromtimestamp(raw.started or time.time(), UTC)
                entry = har_entry(seen.exchange, moment, self.reader.profile.name)
                self.record.write(json.dumps(entry, ensure_ascii=False) + "\n")
                self.record.flush()

    def finish(self) -> None:
        with self._lock:
            finish_all(self.observers, self.tally)


def proxy_app(
    upstream: str,
    recorder: Recorder,
    *,
    timeout: float,
    verify: bool | str = True,
    max_body: int = DEFAULT_MAX_BODY,
) -> Starlette:
    """The proxy's ASGI app (see the module docstring)."""
    base = upstream.rstrip("/")
    client = httpx.AsyncClient(
        verify=verify, timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False
    )

    async def forward(request: Request) -> Response:
        started = time.time()
        clock = time.monotonic()
        url = base + request.url.path + (f"?{request.url.query}" if request.url.query else "")
        headers = _kept(request.headers.items())
        sent = bytearray()

        async def body() -> AsyncIterator[bytes]:
            async for chunk in request.stream():
                if len(sent) < max_body:
                    sent.extend(chunk[: max_body - len(sent)])
                yield chunk

        def raw(status: int | None, response_headers: list[tuple[str, str]], content: bytes | None) -> Raw:
            problem = None if content is not None else f"body larger than {max_body} bytes"
            return Raw(
                method=request.method,
                url=url,
                request_headers=headers,
                request_body=bytes(sent),
                status=status,
                response_headers=response_headers,
                body=content,
                body_problem=problem if status is not None else None,
                started=started,
                elapsed=time.monotonic() - clock,
            )

        upstream_request = client.build_request(request.method, url, headers=headers, content=body())
        try:
            response = await client.send(upstream_request, stream=True)
        except httpx.HTTPError as exc:
            recorder.add(raw(None, [], None))
            return PlainTextResponse(f"apiconform proxy: upstream not reachable: {type(exc).__name__}", 502)
        recorder.forwarded += 1
        response_headers = list(response.headers.multi_items())
        decoder = BoundedDecoder(response.headers.get("content-encoding", ""), max_body)

        async def relay() -> AsyncIterator[bytes]:
            try:
                async for chunk in response.aiter_raw():
                    decoder.feed(chunk)
                    yield chunk
            finally:
                await response.aclose()
                recorder.add(raw(response.status_code, response_headers, decoder.result()))

        return StreamingResponse(
            relay(), status_code=response.status_code, headers=dict(_kept(response_headers))
        )

    app = Starlette(routes=[Route("/{path:path}", forward, methods=METHODS)])
    app.state.client = client
    return app


def listening_socket(host: str, port: int, shown: str) -> socket.socket:
    """A TCP socket listening on `host`:`port`; UsageError (one line) when it cannot."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise UsageError(f"--listen: cannot listen on {shown}: {exc.strerror or exc}") from None
    return sock


def serve_until_interrupted(app: Starlette, sock: socket.socket) -> None:
    """Serve `app` on `sock` in this thread until Ctrl-C or SIGTERM: uvicorn's own handlers stop it
    gracefully (the requests in flight are forwarded and recorded whole; a second signal stops it
    at once), and the signal it passes on afterwards is swallowed here, so that the caller goes on
    to write the reports."""
    config = uvicorn.Config(
        app, log_level="error", access_log=False, lifespan="off", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    ignored = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, lambda *_: None) for signum in ignored}
    try:
        server.run(sockets=[sock])
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sock.close()


def open_record(path: str | Path | None) -> IO[str] | None:
    """The record file (JSON lines of HAR entries), truncated; None without one."""
    if path is None:
        return None
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.open("w", encoding="utf-8")


__all__ = ["Recorder", "listening_socket", "open_record", "proxy_app", "serve_until_interrupted"]
