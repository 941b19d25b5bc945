"""Rate-limit probes, provider-neutral.

`burst` sends requests back to back, unpaced, until one is not served normally (or a bound is
reached); the helpers read what the throttled response says about when to come back, and the
rate-limit header fields seen on the way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from apiconform.client import ApiResponse

#: Header field pairs (limit, remaining) in use: IETF draft names and the X- convention.
LIMIT_HEADERS = (("ratelimit-limit", "ratelimit-remaining"), ("x-ratelimit-limit", "x-ratelimit-remaining"))


@dataclass
class Burst:
    responses: list[ApiResponse] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def served(self) -> list[ApiResponse]:
        return [r for r in self.responses if 200 <= r.status_code < 300]

    @property
    def throttled(self) -> ApiResponse | None:
        """The first response that was not served normally (not 2xx), if any."""
        return next((r for r in self.responses if not 200 <= r.status_code < 300), None)


def burst(send: Callable[[], ApiResponse], limit: int, extra: int = 1) -> Burst:
    """Send up to `limit + extra` requests as fast as possible, stopping after the first one that
    is not served normally."""
    result = Burst()
    started = time.monotonic()
    for _ in range(limit + extra):
        response = send()
        result.responses.append(response)
        if not 200 <= response.status_code < 300:
            break
    result.seconds = time.monotonic() - started
    return result


def refill_allowance(burst: Burst, limit: int, window: float) -> int:
    """How many requests beyond `limit` a burst may be served under the rate reading of "N per
    window" (a token bucket refilling N per window): the refill during the burst's duration."""
    return math.floor(burst.seconds * limit / window)


def retry_after_seconds(response: ApiResponse) -> float | None:
    """Retry-After as seconds (from delta-seconds or an HTTP date); None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def header_readings(responses: list[ApiResponse]) -> list[tuple[int | None, int | None, ApiResponse]]:
    """(limit, remaining, response) for each response that carries one of the known field pairs."""
    readings = []
    for response in responses:
        for limit_name, remaining_name in LIMIT_HEADERS:
            limit, remaining = response.headers.get(limit_name), response.headers.get(remaining_name)
            if limit is not None or remaining is not None:
                readings.append((_number(limit), _number(remaining), response))
                break
    return readings


def _number(value: str | None) -> int | None:
    if value is None:
        return None
    head = value.split(",")[0].split(";")[0].strip()
    return int(head) if head.isdigit() else None
