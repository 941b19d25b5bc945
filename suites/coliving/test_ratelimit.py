"""Rate limiting: 60 requests per minute per API key (coliving-api.txt: Rate Limiting).

Runs after every other test (marker `late`), on `api_key_rate_limit` when it is configured and
on `api_key` otherwise. It is the only test that sends unpaced requests: one burst of up to
twice the limit, stopped at the first response not served normally. The window is the configured
`rate_limit` (the documented 60 per 60 s for a real target).
"""

from __future__ import annotations

import itertools
import time

import pytest

from apiconform.checks import ratelimit
from apiconform.checks.envelope import error_body, success_data
from apiconform.checks.expect import check, fail
from apiconform.session import Verdicts

LISTINGS = "/v1/listings"


@pytest.mark.late
@pytest.mark.rule(
    "coliving.ratelimit.enforced",
    "coliving.ratelimit.per-key",
    "coliving.ratelimit.recovers",
    "coliving.ratelimit.status-429",
    "coliving.ratelimit.retry-after",
    "coliving.ratelimit.headers-consistent",
)
def test_rate_limit(client, profile, headers, target, verdicts: Verdicts):
    credential = "api_key_rate_limit" if target.credentials.get("api_key_rate_limit") else "api_key"
    verdicts.note(
        f"burst on {credential}, limit {target.rate_limit.requests} per {target.rate_limit.per_seconds:g} s"
    )
    limit, window = target.rate_limit.requests, target.rate_limit.per_seconds
    key = headers(credential)

    def send():
        return client.request("GET", LISTINGS, headers=key, params={"per_page": 1}, paced=False)

    def recover(throttled) -> None:
        wait = ratelimit.retry_after_seconds(throttled) if throttled is not None else None
        time.sleep(min(wait if wait is not None else window, window) + 0.1 + window * 0.05)

    # A fixed window that happens to end inside the burst can serve up to twice the limit once;
    # a second burst right after a throttle starts on a fresh window and must not.
    burst = ratelimit.burst(send, limit, extra=limit + 1)
    throttled = burst.throttled
    if throttled is not None and len(burst.served) > limit:
        recover(throttled)
        second = ratelimit.burst(send, limit, extra=limit + 1)
        if len(second.served) < len(burst.served):
            burst, throttled = second, second.throttled
    with verdicts.check("coliving.ratelimit.enforced"):
        if throttled is None:
            fail(
                f"{len(burst.responses)} requests in {burst.seconds:.1f} s were all served",
                burst.responses[-1],
            )
        check(
            len(burst.served) <= limit,
            f"{len(burst.served)} requests were served in {burst.seconds:.1f} s "
            f"before one was refused (limit {limit})",
            throttled,
        )
    with verdicts.check("coliving.ratelimit.status-429"):
        if throttled is None:
            fail("no request was throttled, so no 429", burst.responses[-1])
        error_body(profile, throttled, "the throttled request", status=429)
    with verdicts.check("coliving.ratelimit.retry-after"):
        if throttled is None or throttled.status_code != 429:
            pytest.skip("no 429 to inspect")
        seconds = ratelimit.retry_after_seconds(throttled)
        check(seconds is not None, "the 429 has no (readable) Retry-After", throttled)
        check(
            seconds <= window + 1,
            f"Retry-After asks for {seconds:.0f} s, longer than the {window:g} s window",
            throttled,
        )
    with verdicts.check("coliving.ratelimit.headers-consistent"):
        readings = ratelimit.header_readings(burst.served)
        for (limit_a, left_a, _), (limit_b, left_b, response) in itertools.pairwise(readings):
            check(limit_a == limit_b, f"the advertised limit changed from {limit_a} to {limit_b}", response)
            if left_a is not None and left_b is not None:
                check(
                    left_b <= left_a,
                    f"remaining went up from {left_a} to {left_b} within the window",
                    response,
                )
    with verdicts.check("coliving.ratelimit.per-key"):
        other = "api_key_read_only" if credential != "api_key_read_only" else "api_key_other_host"
        response = client.request("GET", LISTINGS, headers=headers(other), params={"per_page": 1})
        success_data(
            profile, response, f"GET /v1/listings with {other} while {credential} is throttled", status=200
        )
    with verdicts.check("coliving.ratelimit.recovers"):
        if throttled is None:
            pytest.skip("no request was throttled")
        recover(throttled)
        response = client.request("GET", LISTINGS, headers=key, params={"per_page": 1}, paced=False)
        success_data(profile, response, "GET /v1/listings after waiting out the window", status=200)
