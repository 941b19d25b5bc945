"""Pacing: keep every key's request rate below the target's limit.

A target counts a request at some moment between our sending it and our receiving its response;
which moment, we cannot know (and with a pause in either process, it can be well after sending).
So the pacer counts each request from the moment it *completes*, and a request still in flight
as "now": a new request on a key is sent only when fewer than `requests` of that key's requests
are in flight or completed within the last window. Then no window of the target can hold more
than `requests` of them, whatever the delays: every request the target counted in the window
before admitting the new one completed after that window began, so the pacer counted it too.

The log of completed requests is pyrate-limiter's sliding-window log (`InMemoryBucket`), fed
with completion times. (Its `Limiter` logs the moment a slot is taken and cannot hold a slot
until the response arrives; that acquisition-time window, even with a margin, was measured to let
an occasional request through early when a garbage-collection pause delayed the one before.)

The window is also widened by a small margin against clock-rate differences.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pyrate_limiter import InMemoryBucket, Rate, RateItem

from apiconform.errors import TargetError
from apiconform.profile import RateLimit

#: Widen each window by this fraction plus a fixed slack, against clock-rate differences.
_MARGIN_FRACTION = 0.03
_MARGIN_SECONDS = 0.05


def _now_ms() -> int:
    return int(time.monotonic() * 1000)


@dataclass
class _KeyLog:
    completed: InMemoryBucket  # completion times (ms), as pyrate-limiter's sliding-window log
    in_flight: int = 0


class Pacer:
    """Blocks until a request on a key fits in the rate limit, or the run deadline would pass.

    Guarantees: for every key, at any moment, the requests in flight plus those completed within
    the last `per_seconds` (plus margin) number at most `requests`. `slot` raises TargetError
    instead of waiting past `deadline_at` (a `time.monotonic()` value). Thread-safe.
    """

    def __init__(self, rate_limit: RateLimit, deadline_at: float) -> None:
        self.rate_limit = rate_limit
        self.window = rate_limit.per_seconds * (1 + _MARGIN_FRACTION) + _MARGIN_SECONDS
        self._rate = Rate(rate_limit.requests, max(1, round(self.window * 1000)))
        self._deadline_at = deadline_at
        self._logs: dict[str, _KeyLog] = {}
        self._changed = threading.Condition()
        self.waited_seconds = 0.0

    def _wait_needed(self, log: _KeyLog, now_ms: int) -> float:
        """Seconds until a slot frees for `log` at `now_ms` (0.0: one is free); inf while only
        in-flight requests fill the window."""
        log.completed.leak(now_ms)  # drop completions older than the window
        done = log.completed.count()
        used = log.in_flight + done
        if used < self.rate_limit.requests:
            return 0.0
        excess = used - self.rate_limit.requests  # this many completions must leave the window
        if excess >= done:
            return float("inf")
        oldest_to_leave = log.completed.peek(done - 1 - excess)  # peek counts from the newest
        assert oldest_to_leave is not None
        return (oldest_to_leave.timestamp + self._rate.interval - now_ms + 1) / 1000

    def acquire(self, key: str) -> None:
        """Take a slot on `key` (waiting for one); pair with `release(key)` once the response
        is in (or the request failed). Prefer `slot(key)`."""
        started = time.monotonic()
        if self._deadline_at - started <= 0:
            raise TargetError("run deadline exceeded")
        with self._changed:
            log = self._logs.get(key) or self._logs.setdefault(key, _KeyLog(InMemoryBucket([self._rate])))
            while True:
                now = time.monotonic()
                wait = self._wait_needed(log, int(now * 1000))
                if wait <= 0:
                    log.in_flight += 1
                    break
                remaining = self._deadline_at - now
                if remaining <= 0 or (wait > remaining and wait != float("inf")):
                    raise TargetError("run deadline exceeded while pacing requests")
                self._changed.wait(timeout=min(wait, remaining))
        self.waited_seconds += time.monotonic() - started

    def release(self, key: str) -> None:
        """Mark one request on `key` as complete: its slot stays taken for one window from now."""
        with self._changed:
            log = self._logs[key]
            log.in_flight -= 1
            # always admitted: in-flight plus completed requests never exceed the limit
            log.completed.put(RateItem(key, _now_ms()))
            self._changed.notify_all()

    def in_window(self, key: str) -> int:
        """How many requests on `key` are in flight or completed within the last window (plus
        margin): at least as many as any window of the target can hold of this client's requests
        right now."""
        with self._changed:
            log = self._logs.get(key)
            if log is None:
                return 0
            log.completed.leak(_now_ms())
            return log.in_flight + log.completed.count()

    @contextmanager
    def slot(self, key: str) -> Iterator[None]:
        """`with pacer.slot(key): send()`: the request counts from sending until one window
        after its response."""
        self.acquire(key)
        try:
            yield
        finally:
            self.release(key)
