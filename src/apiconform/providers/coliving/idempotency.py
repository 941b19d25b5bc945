"""Idempotency-Key on the Coliving reference server: one cache entry per (API key value, route,
key), holding the first answer and the canonical JSON of its body, for 24 hours.

`Idempotency.run` runs an endpoint for a request with an Idempotency-Key: a replay of the
first answer for the same body, 409 idempotency_key_mismatch for another body, 422 (400 in the
quirky and alternate variants when too long) for a key that is not 1-255 characters.
"""

from __future__ import annotations

import asyncio
import copy
import threading
import time
from collections.abc import Callable

from apiconform.providers.coliving.store import IdempotencyEntry, Store, canonical
from apiconform.providers.coliving.wire import ApiError, Ctx, Resource, Result, Wire, validation_error

IDEMPOTENCY_TTL_SECONDS = 24 * 3600.0
MAX_IDEMPOTENCY_KEY_LENGTH = 255


class Idempotency(Resource):
    """The Idempotency-Key cache of `store`; endpoints run under `lock` (the server's one lock)."""

    def __init__(self, wire: Wire, store: Store, lock: threading.Lock) -> None:
        super().__init__(wire, store)
        self.lock = lock

    async def run(self, ctx: Ctx, scope: str, idempotency_key: str, endpoint: Callable[[], Result]) -> Result:
        """`endpoint()`'s answer, or the cached answer of the first request with this key.

        The cache lookup, the endpoint and the storing of its answer happen under one lock with no
        await in between, so concurrent requests with one key create once (the later ones replay).
        """
        with self.lock:
            cache_key, body = self.entry_key(ctx, scope, idempotency_key)
            replay = self.replay(cache_key, body)
            if replay is not None:
                if self.alternate:
                    ctx.headers["Idempotent-Replayed"] = "true"
                return replay
            try:
                result = endpoint()
            except ApiError as error:
                if "idempotency-errors-cached" in self.faults:
                    self.remember(cache_key, body, Result(error.status, None), error)
                raise
            if "idempotency-race" not in self.faults:
                self.remember(cache_key, body, result)
                return result
        await asyncio.sleep(0.05)  # idempotency-race: others find no entry while this one waits
        with self.lock:
            self.remember(cache_key, body, result)
        return result

    def entry_key(self, ctx: Ctx, scope: str, idempotency_key: str) -> tuple[tuple[str, str, str], str]:
        """The cache key and canonical body of a request, or a 4xx for an unusable key or body."""
        longest = MAX_IDEMPOTENCY_KEY_LENGTH
        if "idempotency-key-max-254" in self.faults:
            longest -= 1
        if "idempotency-long-key-accepted" in self.faults:
            longest = 1 << 62
        if len(idempotency_key) > longest and (self.quirky or self.alternate):
            raise ApiError(
                400,
                "bad_request",
                "The Idempotency-Key header is too long.",
                [
                    (
                        "Idempotency-Key",
                        "too_long",
                        "The Idempotency-Key header may have at most 255 characters.",
                    )
                ],
            )
        if not 1 <= len(idempotency_key) <= longest:
            raise validation_error(
                "Idempotency-Key", "invalid", "The Idempotency-Key header must be 1-255 characters."
            )
        assert ctx.key is not None
        body = canonical(ctx.json())
        owner = "*" if "idempotency-replay-across-keys" in self.faults else ctx.key.value
        if "idempotency-scope-key-only" in self.faults:
            scope = "*"
        return (owner, scope, idempotency_key), body

    def replay(self, cache_key: tuple[str, str, str], body: str) -> Result | None:
        """The cached answer for this key (409 for another body), or None to run the request."""
        entry = self.store.idempotency.get(cache_key)
        if entry is None or entry.expires_at <= time.monotonic():
            return None
        if entry.error is not None:  # only with idempotency-errors-cached
            cached: ApiError = entry.error
            raise ApiError(cached.status, cached.type, cached.message, cached.errors, cached.headers)
        if entry.body != body and "idempotency-mismatch-replays" not in self.faults:
            raise ApiError(
                409,
                "conflict_error"
                if "idempotency-mismatch-type" in self.faults
                else "idempotency_key_mismatch",
                "This Idempotency-Key was already used with a different request body.",
                [("Idempotency-Key", "mismatch", "The request body differs from the first use.")],
            )
        if entry.body == body and "idempotency-no-replay" in self.faults:
            return None
        status = 200 if self.quirky else entry.status
        return Result(status, copy.deepcopy(entry.data), copy.deepcopy(entry.meta), entry.kind)

    def remember(
        self, cache_key: tuple[str, str, str], body: str, result: Result, error: ApiError | None = None
    ) -> None:
        """Cache a 2xx answer (an error only when `error` is given) for IDEMPOTENCY_TTL_SECONDS."""
        if error is None and not 200 <= result.status < 300:
            return
        self.store.idempotency[cache_key] = IdempotencyEntry(
            body,
            result.status,
            copy.deepcopy(result.data),
            copy.deepcopy(result.meta),
            result.kind,
            time.monotonic() + IDEMPOTENCY_TTL_SECONDS,
            error,
        )
