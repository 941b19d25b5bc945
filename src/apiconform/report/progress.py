"""A live progress line per provider on stderr, only when stderr is a terminal (CI logs stay quiet)."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from apiconform.recording import Exchange


class Progress:
    """`apiconform: coliving: 41 tests, 212 requests, 0 429s` redrawn in place (at most 10 times
    a second); `close()` ends the line. Does nothing when `stream` is not a terminal."""

    def __init__(self, provider: str, stream: TextIO | None = None) -> None:
        self.provider = provider
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.tests = self.requests = self.throttled = 0
        self._drawn = 0.0
        self._lock = threading.Lock()

    def on_exchange(self, exchange: Exchange) -> None:
        with self._lock:
            self.requests += 1
            self.throttled += exchange.status == 429
        self._draw()

    def on_test(self) -> None:
        with self._lock:
            self.tests += 1
        self._draw()

    def _line(self) -> str:
        counts = f"{self.tests} tests, {self.requests} requests, {self.throttled} 429s"
        return f"apiconform: {self.provider}: {counts}"

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        self.stream.write("\r\033[K" + self._line())
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
