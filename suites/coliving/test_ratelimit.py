"""Rate limiting: 60 requests per minute per API key (coliving-api.txt: Rate Limiting).

Runs after every other test (marker `late`), on `api_key_rate_limit` when it is configured and
on `api_key` otherwise. It is the only test that sends unpaced requests: one burst of up to
twice the limit, stopped at the first response not served normally. The window is the configured
`rate_limit` (the documented 60 per 60 s for a real target).

"60 requests per minute" does not say how the minute is counted (silence point
coliving.ratelimit-window): a sliding window, a fixed window (a burst that spans its end may be
served twice the limit once, so a second burst follows a throttle at once, in a fresh window),
or a rate (a token bucket refilling during the burst). The count is judged against the limit plus
what a refill during the burst allows; that allowance only separates a doubled limit from a refill
while the burst lasts less than a window, so a slower burst with more than the limit served is
`error` (its precondition did not hold), never passed. Likewise "per key": the other key's
request is only evidence while the first key is still refused, so the first key is probed again
right after it. A sliding window frees one slot at a time (in a compressed test window, every few
milliseconds), so the probe is tried again, up to PER_KEY_ATTEMPTS times, each time right after
the first key was refused; the rule is `error` if the first key was served after every try.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from apiconform.providers.coliving.profile import auth_headers
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Target,
    Verdicts,
    check,
    error_body,
    fail,
    precondition,
    ratelimit,
    success_data,
)

LISTINGS = "/v1/listings"
#: how often the per-key probe (first key refused, other key, first key again) is tried
PER_KEY_ATTEMPTS = 6


@dataclass
class Throttle:
    """What the burst found, and the probes sent right after it."""

    credential: str
    limit: int
    window: float
    burst: ratelimit.Burst
    #: the first burst's count of requests served, and how many requests of this client on the
    #: key a window of the target could still hold when it began
    first_served: int = 0
    recent: int = 0
    #: the other key probed while the burst's key was refused, its answer, and the burst's key
    #: probed again right after (None when nothing was throttled or no other key is configured)
    other: str | None = None
    other_response: ApiResponse | None = None
    confirm: ApiResponse | None = None

    @property
    def throttled(self) -> ApiResponse | None:
        return self.burst.throttled

    @property
    def note(self) -> str:
        return f"burst on {self.credential}, limit {self.limit} per {self.window:g} s"


def wait_out(throttled: ApiResponse | None, window: float) -> None:
    """Sleep until a throttled key may be served again: Retry-After (at most a window), or a
    window, plus a margin."""
    wait = ratelimit.retry_after_seconds(throttled) if throttled is not None else None
    time.sleep(min(wait if wait is not None else window, window) + 0.1 + window * 0.05)


@pytest.fixture(scope="module")
def throttle(client: ApiClient, target: Target) -> Throttle:
    credential = "api_key_rate_limit" if target.credentials.get("api_key_rate_limit") else "api_key"
    limit, window = target.rate_limit.requests, target.rate_limit.per_seconds
    key = auth_headers(target.credentials[credential])

    def send() -> ApiResponse:
        return client.request("GET", LISTINGS, headers=key, params={"per_page": 1}, paced=False)

    # A fixed window that happens to end inside the burst can serve up to twice the limit once;
    # a second burst right after a throttle starts on a fresh window and must not.
    pace_key = target.profile.pace_key(httpx.Request("GET", client.url(LISTINGS), headers=key))
    recent = client.pacer.in_window(pace_key)
    burst = ratelimit.burst(send, limit, extra=limit + 1)
    first_served = len(burst.served)
    if burst.throttled is not None and len(burst.served) > limit:
        wait_out(burst.throttled, window)
        second = ratelimit.burst(send, limit, extra=limit + 1)
        if len(second.served) < len(burst.served):
            burst = second
    result = Throttle(credential, limit, window, burst, first_served, recent)
    if burst.throttled is not None:
        other = "api_key_read_only" if credential != "api_key_read_only" else "api_key_other_host"
        if target.credentials.get(other):
            other_key = auth_headers(target.credentials[other])

            def send_other() -> ApiResponse:
                return client.request("GET", LISTINGS, headers=other_key, params={"per_page": 1}, paced=False)

            result.other = other
            result.other_response, result.confirm = probe_other_key(send, send_other)
    return result


def served(response: ApiResponse) -> bool:
    return 200 <= response.status_code < 300


def probe_other_key(
    send: Callable[[], ApiResponse], send_other: Callable[[], ApiResponse]
) -> tuple[ApiResponse, ApiResponse]:
    """(the other key's answer, the first key's answer right after it) from the first try in which
    the first key was refused right before (the burst's refusal, for the first try) and right
    after; else the last try's."""
    for attempt in range(PER_KEY_ATTEMPTS):
        if attempt and served(send()):
            continue  # the first key's window freed a slot: it is not refused now
        other_response, confirm = send_other(), send()
        if not served(confirm):
            break
    return other_response, confirm


@pytest.mark.late
@pytest.mark.rule("coliving.ratelimit.enforced")
def test_enforced(throttle: Throttle, verdicts: Verdicts):
    verdicts.note(throttle.note)
    burst, limit, window = throttle.burst, throttle.limit, throttle.window
    if throttle.throttled is None:
        fail(f"{len(burst.responses)} requests in {burst.seconds:.1f} s were all served", burst.responses[-1])
    served = len(burst.served)
    if served > limit:
        precondition(
            burst.seconds < window,
            f"{served} requests were served in {burst.seconds:.2f} s before one was refused (limit {limit} "
            f"per {window:g} s): the burst lasted a window or more, so the count cannot tell a limit above "
            f"{limit} from a refill during the burst",
            throttle.throttled,
        )
    allowance = limit + ratelimit.refill_allowance(burst, limit, window)
    check(
        served <= allowance,
        f"{served} requests were served in {burst.seconds:.2f} s before one was refused (limit {limit} "
        f"per {window:g} s; a refill during the burst allows at most {allowance})",
        throttle.throttled,
    )


@pytest.mark.late
@pytest.mark.rule("coliving.ratelimit.not-premature")
def test_not_premature(throttle: Throttle, verdicts: Verdicts):
    """ "60 requests per minute": a key is served the limit inside one window before it is
    refused. Judged on the first burst of api_key_rate_limit (a key nothing else uses), less the
    requests this run sent on it within the window before (none, unless the key is shared)."""
    verdicts.note(throttle.note)
    if throttle.credential != "api_key_rate_limit":
        pytest.skip("credential api_key_rate_limit is not configured")
    floor = throttle.limit - throttle.recent
    check(
        throttle.first_served >= floor,
        f"only {throttle.first_served} requests were served before one was refused (limit {throttle.limit} "
        f"per {throttle.window:g} s; {throttle.recent} sent on the key within the window before)",
        throttle.burst.throttled or throttle.burst.responses[-1],
    )


@pytest.mark.late
@pytest.mark.rule(
    "coliving.ratelimit.status-429", "coliving.ratelimit.retry-after", "coliving.ratelimit.headers-consistent"
)
def test_throttled_response(profile, throttle: Throttle, verdicts: Verdicts):
    verdicts.note(throttle.note)
    throttled, window = throttle.throttled, throttle.window
    with verdicts.check("coliving.ratelimit.status-429"):
        if throttled is None:
            fail("no request was throttled, so no 429", throttle.burst.responses[-1])
        error_body(profile, throttled, "the throttled request", status=429)
    with verdicts.check("coliving.ratelimit.retry-after"):
        if throttled is None or throttled.status_code != 429:
            pytest.skip("no 429 to inspect")
        seconds = ratelimit.retry_after_seconds(throttled)
        if seconds is None:
            fail("the 429 has no (readable) Retry-After", throttled)
        check(
            seconds <= window + 1,
            f"Retry-After asks for {seconds:.0f} s, longer than the {window:g} s window",
            throttled,
        )
    with verdicts.check("coliving.ratelimit.headers-consistent"):
        readings = ratelimit.header_readings(throttle.burst.served)
        for (limit_a, left_a, _), (limit_b, left_b, response) in itertools.pairwise(readings):
            check(limit_a == limit_b, f"the advertised limit changed from {limit_a} to {limit_b}", response)
            if left_a is not None and left_b is not None:
                check(
                    left_b <= left_a,
                    f"remaining went up from {left_a} to {left_b} within the window",
                    response,
                )


@pytest.mark.late
@pytest.mark.rule("coliving.ratelimit.per-key")
def test_per_key(profile, throttle: Throttle, verdicts: Verdicts):
    verdicts.note(throttle.note)
    if throttle.throttled is None:
        pytest.skip("no request was throttled, so per-key limits cannot be observed")
    if throttle.other_response is None or throttle.confirm is None:
        pytest.skip("credential api_key_read_only is not configured")
    what = f"GET /v1/listings with {throttle.other} while {throttle.credential} is throttled"
    precondition(
        not 200 <= throttle.confirm.status_code < 300,
        f"{throttle.credential} was served again right after the request with {throttle.other}: its "
        "window may have passed before that request went out, so it shows nothing about per-key limits",
        throttle.other_response,
        throttle.confirm,
    )
    success_data(profile, throttle.other_response, what, status=200)


@pytest.mark.late
@pytest.mark.rule("coliving.ratelimit.recovers")
def test_recovers(client, profile, target, throttle: Throttle, verdicts: Verdicts):
    """Runs last of the rate-limit tests: it waits out the window."""
    verdicts.note(throttle.note)
    if throttle.throttled is None:
        pytest.skip("no request was throttled")
    wait_out(throttle.throttled, throttle.window)
    key = auth_headers(target.credentials[throttle.credential])
    response = client.request("GET", LISTINGS, headers=key, params={"per_page": 1}, paced=False)
    success_data(profile, response, "GET /v1/listings after waiting out the window", status=200)
