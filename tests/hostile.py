"""A hostile test target: a raw TCP server on 127.0.0.1 that misbehaves in one chosen way for
every connection, and logs the request line and headers it received (what reached it).

Modes (`HostileServer(mode)`):
- transport: `silent` (accepts, never answers), `headers-only` (a Content-Length, then nothing),
  `drip` (a body one byte a second), `reset` (an RST right away), `garbage` (non-HTTP bytes);
- bodies: `json-lie` (application/json that is not JSON), `truncated` (JSON cut short),
  `html` (an HTML error page), `huge` (declares and streams 200 MB), `endless` (chunks forever),
  `gzip-bomb` (256 MiB of zeros, gzipped), `nested` (JSON nested 100,000 deep);
- redirects: `redirect-away` (302 to `redirect_to`), `redirect-loop` (302 to itself);
- rate limiting: `retry-after` (429 with Retry-After: 86400);
- `ok` answers `{}` with 200 (a canary: it only records what reaches it).
"""

from __future__ import annotations

import contextlib
import functools
import socket
import struct
import threading
import zlib
from types import TracebackType

MODES = (
    "silent",
    "headers-only",
    "drip",
    "reset",
    "garbage",
    "json-lie",
    "truncated",
    "html",
    "huge",
    "endless",
    "gzip-bomb",
    "nested",
    "redirect-away",
    "redirect-loop",
    "retry-after",
    "ok",
)


@functools.cache
def _bomb() -> bytes:
    """256 MiB of zeros as one gzip member (about 250 KB), built once."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    chunk = b"\0" * (1 << 20)
    return b"".join(compressor.compress(chunk) for _ in range(256)) + compressor.flush()


class HostileServer:
    def __init__(self, mode: str, *, redirect_to: str = "") -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.redirect_to = redirect_to
        self.requests: list[str] = []  # request line and headers of each request received
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _read_head(self, conn: socket.socket) -> str:
        conn.settimeout(5)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        self.requests.append(head)
        return head

    def _handle(self, conn: socket.socket) -> None:
        try:
            head = self._read_head(conn)
            path = head.split(" ", 2)[1] if head.count(" ") >= 2 else "/"
            getattr(self, "_" + self.mode.replace("-", "_"))(conn, path)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    @staticmethod
    def _respond(conn: socket.socket, status: str, body: bytes, headers: str = "") -> None:
        conn.sendall(
            f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n{headers}\r\n".encode()
            + body
        )

    def _until_stopped(self, seconds: float = 3600) -> None:
        self._stop.wait(seconds)

    def _silent(self, conn: socket.socket, path: str) -> None:
        self._until_stopped()

    def _headers_only(self, conn: socket.socket, path: str) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
        self._until_stopped()

    def _drip(self, conn: socket.socket, path: str) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3600\r\n\r\n")
        while not self._stop.wait(1.0):
            conn.sendall(b" ")

    def _reset(self, conn: socket.socket, path: str) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def _garbage(self, conn: socket.socket, path: str) -> None:
        conn.sendall(b"\x16\x03\x01 this is not HTTP \xff\xfe\x00\r\n\r\n")

    def _json_lie(self, conn: socket.socket, path: str) -> None:
        self._respond(conn, "200 OK", b"this is not JSON", "Content-Type: application/json\r\n")

    def _truncated(self, conn: socket.socket, path: str) -> None:
        self._respond(conn, "200 OK", b'{"data": [{"id": 1}, {"id"', "Content-Type: application/json\r\n")

    def _html(self, conn: socket.socket, path: str) -> None:
        page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        self._respond(conn, "502 Bad Gateway", page, "Content-Type: text/html\r\n")

    def _huge(self, conn: socket.socket, path: str) -> None:
        size = 200 * 1024 * 1024
        conn.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n".encode()
        )
        chunk = b"[" + b"0," * 32767 + b"0"
        sent = 0
        while sent < size and not self._stop.is_set():
            conn.sendall(chunk)
            sent += len(chunk)

    def _endless(self, conn: socket.socket, path: str) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        piece = b"0," * 8192
        while not self._stop.is_set():
            conn.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")

    def _gzip_bomb(self, conn: socket.socket, path: str) -> None:
        body = _bomb()
        headers = "Content-Type: application/json\r\nContent-Encoding: gzip\r\n"
        self._respond(conn, "200 OK", body, headers)

    def _nested(self, conn: socket.socket, path: str) -> None:
        depth = 100_000
        self._respond(conn, "200 OK", b"[" * depth + b"]" * depth, "Content-Type: application/json\r\n")

    def _redirect_away(self, conn: socket.socket, path: str) -> None:
        self._respond(conn, "302 Found", b"", f"Location: {self.redirect_to}{path}\r\n")

    def _redirect_loop(self, conn: socket.socket, path: str) -> None:
        self._respond(conn, "302 Found", b"", f"Location: {self.base_url}{path}\r\n")

    def _retry_after(self, conn: socket.socket, path: str) -> None:
        body = b'{"error": {"type": "rate_limit_exceeded", "message": "slow down", "errors": []}}'
        self._respond(
            conn, "429 Too Many Requests", body, "Content-Type: application/json\r\nRetry-After: 86400\r\n"
        )

    def _ok(self, conn: socket.socket, path: str) -> None:
        self._respond(conn, "200 OK", b"{}", "Content-Type: application/json\r\n")

    def close(self) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(timeout=2)

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
