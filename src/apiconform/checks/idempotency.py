"""Idempotency-Key probes, provider-neutral (after draft-ietf-httpapi-idempotency-key-header).

A provider's suite supplies `post(body, key, credential)`, which sends one create request with
the given idempotency key on behalf of one of its credentials; each probe sends the requests of
one scenario and returns the responses for the suite's assertions.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from apiconform.client import ApiResponse

Post = Callable[[Mapping[str, Any], str, str], ApiResponse]


def new_key(prefix: str = "apiconform-idem") -> str:
    """A fresh idempotency key that names its origin."""
    return f"{prefix}-{secrets.token_hex(12)}"


def replay(
    post: Post, body: Mapping[str, Any], credential: str = "api_key"
) -> tuple[ApiResponse, ApiResponse]:
    """The same key and body twice."""
    key = new_key()
    return post(body, key, credential), post(body, key, credential)


def mismatch(
    post: Post, body: Mapping[str, Any], other_body: Mapping[str, Any], credential: str = "api_key"
) -> tuple[ApiResponse, ApiResponse]:
    """One key, first with `body`, then with `other_body`."""
    key = new_key()
    return post(body, key, credential), post(other_body, key, credential)


def across_credentials(
    post: Post, body: Mapping[str, Any], first: str, second: str
) -> tuple[ApiResponse, ApiResponse]:
    """The same key and body from two credentials."""
    key = new_key()
    return post(body, key, first), post(body, key, second)


def after_error(
    post: Post, bad_body: Mapping[str, Any], good_body: Mapping[str, Any], credential: str = "api_key"
) -> tuple[ApiResponse, ApiResponse]:
    """One key, first with a body the target must reject, then with the corrected body."""
    key = new_key()
    return post(bad_body, key, credential), post(good_body, key, credential)


def concurrent(
    post: Post, body: Mapping[str, Any], count: int = 3, credential: str = "api_key"
) -> list[ApiResponse]:
    """`count` requests with one key and body, released at the same moment from threads.
    A request that could not be sent re-raises its error here."""
    key = new_key()
    barrier = threading.Barrier(count)
    results: list[ApiResponse | BaseException] = [RuntimeError("not sent")] * count

    def send(index: int) -> None:
        barrier.wait(timeout=30)
        try:
            results[index] = post(body, key, credential)
        except BaseException as exc:  # re-raised in the calling thread
            results[index] = exc

    threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [r for r in results if isinstance(r, ApiResponse)]


def distinct(values: Sequence[Any]) -> int:
    return len({repr(v) for v in values})
