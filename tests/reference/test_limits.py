"""The reference servers' rate limiters (apiconform.reference.limits): a sliding window and a
fixed window, and the header values their decisions tell."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import pytest

from apiconform.reference.limits import FixedWindowLimiter, SlidingWindowLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_limiter_is_exact() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(3, 10.0, clock=clock)
    admitted = []
    for step in range(200):  # a request every 0.7 s: never more than 3 admitted in any 10 s window
        clock.now = 1000.0 + step * 0.7
        if limiter.acquire("k").allowed:
            admitted.append(clock.now)
    assert all(later - earlier >= 10.0 for earlier, later in zip(admitted, admitted[3:], strict=False))
    assert len(admitted) >= 3 * 13


def test_sliding_window_limiter_retry_after() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(2, 10.0, clock=clock)
    assert limiter.acquire("k").allowed
    clock.now += 4
    assert limiter.acquire("k").allowed
    clock.now += 1
    refused = limiter.acquire("k")
    assert not refused.allowed and refused.retry_after == pytest.approx(5.0)
    assert refused.retry_after_header == "5"
    assert limiter.acquire("other").allowed
    clock.now += 5  # the first request leaves the window
    assert limiter.acquire("k").allowed
    assert not limiter.acquire("k").allowed
    limiter.reset("k")
    assert limiter.acquire("k").allowed
    clock.now += 0.9999
    refused = limiter.acquire("k")
    assert (
        refused.retry_after_header == "1" if refused.retry_after < 1 else refused.retry_after_header.isdigit()
    )
    with pytest.raises(ValueError):
        SlidingWindowLimiter(0, 1.0)
    with pytest.raises(ValueError):
        SlidingWindowLimiter(1, 0)


def test_decisions_tell_the_rate_limit_header_values() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(3, 10.0, clock=clock)
    first = limiter.acquire("k")
    assert (first.limit, first.used, first.remaining, first.reset_after) == (3, 1, 2, 10.0)
    clock.now += 2.5
    second = limiter.acquire("k")
    assert (second.remaining, second.reset_after, second.reset_header) == (1, 7.5, "8")
    limiter.acquire("k")
    refused = limiter.acquire("k")
    assert (refused.allowed, refused.remaining, refused.used, refused.reset_after) == (False, 0, 3, 7.5)
    date = refused.retry_after_date(now=1_700_000_000.2)  # 7.5 s later, rounded up: ...007.7 -> ...008
    assert date == "Tue, 14 Nov 2023 22:13:28 GMT"
    assert parsedate_to_datetime(date).timestamp() == 1_700_000_008


def test_retry_after_header_rounds_up() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(1, 2.5, clock=clock)
    limiter.acquire("k")
    assert limiter.acquire("k").retry_after_header == "3"
    clock.now += 2.4
    assert limiter.acquire("k").retry_after_header == "1"


def test_fixed_window_limiter() -> None:
    clock = FakeClock()
    limiter = FixedWindowLimiter(2, 10.0, clock=clock)
    assert limiter.acquire("k").allowed
    clock.now += 9
    assert limiter.acquire("k").allowed
    refused = limiter.acquire("k")
    assert not refused.allowed and refused.retry_after == pytest.approx(1.0)
    assert limiter.acquire("other").allowed
    clock.now += 1  # the window, anchored at the first request, ends: a burst may span it
    assert limiter.acquire("k").allowed and limiter.acquire("k").allowed
    assert not limiter.acquire("k").allowed
    limiter.reset()
    assert limiter.acquire("k").allowed
    with pytest.raises(ValueError):
        FixedWindowLimiter(1, 0)
