"""Pacing: keep every key's request rate below the target's limit.

One sliding-window limiter (pyrate-limiter) per pacing key. The window is widened by a small
margin so that network jitter between our send time and the server's receive time cannot push
N+1 requests into one of the server's windows.
"""

from __future__ import annotations

import threading
import time

from pyrate_limiter import Limiter, Rate

from apiconform.errors import TargetError
from apiconform.profile import RateLimit

#: Widen each window by this fraction plus a fixed slack, against clock and network jitter.
_MARGIN_FRACTION = 0.03
_MARGIN_SECONDS = 0.05


class Pacer:
    """Blocks until a request on `key` fits in the rate limit, or the run deadline would pass.

    Guarantees: in any interval of `per_seconds` (plus margin), at most `requests` acquisitions
    succeed per key. `acquire` raises TargetError instead of waiting past `deadline_at`
    (a `time.monotonic()` value).
    """

    def __init__(self, rate_limit: RateLimit, deadline_at: float) -> None:
        self.rate_limit = rate_limit
        window_ms = int((rate_limit.per_seconds * (1 + _MARGIN_FRACTION) + _MARGIN_SECONDS) * 1000)
        self._rate = Rate(rate_limit.requests, window_ms)
        self._deadline_at = deadline_at
        self._limiters: dict[str, Limiter] = {}
        self._lock = threading.Lock()
        self.waited_seconds = 0.0

    def _limiter(self, key: str) -> Limiter:
        with self._lock:
            limiter = self._limiters.get(key)
            if limiter is None:
                limiter = self._limiters[key] = Limiter(self._rate, buffer_ms=10)
            return limiter

    def acquire(self, key: str) -> None:
        remaining = self._deadline_at - time.monotonic()
        if remaining <= 0:
            raise TargetError("run deadline exceeded")
        started = time.monotonic()
        acquired = self._limiter(key).try_acquire("request", blocking=True, timeout=remaining)
        self.waited_seconds += time.monotonic() - started
        if not acquired:
            raise TargetError("run deadline exceeded while pacing requests")
