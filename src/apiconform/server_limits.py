"""A small, provider-neutral server-side rate limiter: an exact sliding-window log per key.

`SlidingWindowLimiter(requests, per_seconds)` admits a request for a key when fewer than `requests`
admitted requests of that key lie in the last `per_seconds` seconds, so no window of `per_seconds`
ever holds more than `requests` admitted requests. Rejected requests are not recorded (a client
that keeps retrying while throttled is not locked out for longer). `retry_after` is the time until
the oldest admitted request leaves the window, i.e. until a slot frees. Thread-safe.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The outcome of one `SlidingWindowLimiter.acquire`."""

    allowed: bool
    retry_after: float = 0.0  # seconds until a slot frees; 0.0 when allowed

    @property
    def retry_after_header(self) -> str:
        """`retry_after` as a Retry-After value: whole seconds, rounded up, at least 1."""
        return str(max(1, math.ceil(self.retry_after)))


class SlidingWindowLimiter:
    """At most `requests` admitted requests per key in any `per_seconds` window."""

    def __init__(
        self, requests: int, per_seconds: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if requests < 1 or per_seconds <= 0:
            raise ValueError(f"rate limit must be >= 1 request per > 0 seconds, got {requests}/{per_seconds}")
        self.requests = requests
        self.per_seconds = float(per_seconds)
        self._clock = clock
        self._log: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> Decision:
        """Admit and record one request for `key`, or refuse it saying when a slot frees."""
        with self._lock:
            now = self._clock()
            log = self._log.setdefault(key, deque())
            while log and log[0] <= now - self.per_seconds:
                log.popleft()
            if len(log) < self.requests:
                log.append(now)
                return Decision(True)
            return Decision(False, log[0] + self.per_seconds - now)

    def reset(self, key: str | None = None) -> None:
        """Forget the log of `key`, or of every key."""
        with self._lock:
            if key is None:
                self._log.clear()
            else:
                self._log.pop(key, None)
