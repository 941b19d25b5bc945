"""Small, provider-neutral server-side rate limiters: an exact sliding-window log per key, and a
fixed window per key (`FixedWindowLimiter`, below).

`SlidingWindowLimiter(requests, per_seconds)` admits a request for a key when fewer than `requests`
admitted requests of that key lie in the last `per_seconds` seconds, so no window of `per_seconds`
ever holds more than `requests` admitted requests. Rejected requests are not recorded (a client
that keeps retrying while throttled is not locked out for longer). `retry_after` is the time until
the oldest admitted request leaves the window, i.e. until a slot frees. Every decision also says
what rate-limit header fields would report: the limit, the requests still admitted now, and when
the next slot frees (`reset_after`). Thread-safe.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Generic, TypeVar

State = TypeVar("State")


@dataclass(frozen=True)
class Decision:
    """The outcome of one `SlidingWindowLimiter.acquire`."""

    allowed: bool
    retry_after: float = 0.0  # seconds until a slot frees; 0.0 when allowed
    limit: int = 0  # the requests admitted per window
    used: int = 0  # admitted requests in the window, this one included
    reset_after: float = 0.0  # seconds until the oldest admitted request leaves the window

    @property
    def remaining(self) -> int:
        """Requests still admitted now (after this one); never below 0."""
        return max(0, self.limit - self.used)

    @property
    def retry_after_header(self) -> str:
        """`retry_after` as a Retry-After value: whole seconds, rounded up, at least 1."""
        return str(max(1, math.ceil(self.retry_after)))

    def retry_after_date(self, now: float | None = None) -> str:
        """`retry_after` as a Retry-After HTTP date (RFC 9110 IMF-fixdate): the moment a slot
        frees, rounded up to the whole second (never earlier than the slot frees)."""
        moment = math.ceil((time.time() if now is None else now) + self.retry_after)
        return format_datetime(datetime.fromtimestamp(moment, UTC), usegmt=True)

    @property
    def reset_header(self) -> str:
        """`reset_after` as whole seconds, rounded up, at least 1."""
        return str(max(1, math.ceil(self.reset_after)))


class _PerKeyLimiter(Generic[State]):
    """`requests` per `per_seconds` for each key, with a state per key (`_state`) kept under
    `_lock`; `reset` forgets it."""

    def __init__(
        self, requests: int, per_seconds: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if requests < 1 or per_seconds <= 0:
            raise ValueError(f"rate limit must be >= 1 request per > 0 seconds, got {requests}/{per_seconds}")
        self.requests = requests
        self.per_seconds = float(per_seconds)
        self._clock = clock
        self._state: dict[str, State] = {}
        self._lock = threading.Lock()

    def reset(self, key: str | None = None) -> None:
        """Forget the state of `key`, or of every key."""
        with self._lock:
            if key is None:
                self._state.clear()
            else:
                self._state.pop(key, None)


class SlidingWindowLimiter(_PerKeyLimiter[deque[float]]):
    """At most `requests` admitted requests per key in any `per_seconds` window."""

    def acquire(self, key: str) -> Decision:
        """Admit and record one request for `key`, or refuse it saying when a slot frees."""
        with self._lock:
            now = self._clock()
            log = self._state.setdefault(key, deque())
            while log and log[0] <= now - self.per_seconds:
                log.popleft()
            if len(log) < self.requests:
                log.append(now)
                return Decision(True, 0.0, self.requests, len(log), log[0] + self.per_seconds - now)
            wait = log[0] + self.per_seconds - now
            return Decision(False, wait, self.requests, len(log), wait)


class FixedWindowLimiter(_PerKeyLimiter[tuple[float, int]]):
    """At most `requests` admitted requests per key in each window of `per_seconds`, a window
    starting at the key's first request after the previous one ended (Laravel's throttle: a
    counter that expires `per_seconds` after its first hit). A burst that spans a window's end
    can be served up to twice the limit; `retry_after` is the time until the window ends. The
    state of a key is (window end, requests admitted in it)."""

    def acquire(self, key: str) -> Decision:
        """Admit and count one request for `key`, or refuse it saying when the window ends."""
        with self._lock:
            now = self._clock()
            end, used = self._state.get(key, (0.0, 0))
            if now >= end:
                end, used = now + self.per_seconds, 0
            if used < self.requests:
                self._state[key] = (end, used + 1)
                return Decision(True, 0.0, self.requests, used + 1, end - now)
            return Decision(False, end - now, self.requests, used, end - now)
