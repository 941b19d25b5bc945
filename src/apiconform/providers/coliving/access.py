"""Who may ask: the Coliving reference server's authentication, rate limit and permissions.

`Access.authenticate` finds the API key of a request (X-API-Key, else a Bearer token, and in
the alternate variant the query parameter api_key; 401 for none, an unknown, an inactive or an
expired key), `check_rate_limit` admits it in its key's window (429 otherwise) and
`check_permission` holds the key to a route's permission (403 otherwise), in that order, as the
pipeline in `server.py` calls them.
"""

from __future__ import annotations

import time

from starlette.requests import Request

from apiconform.providers.coliving.store import ApiKey, Store
from apiconform.providers.coliving.wire import ApiError, Ctx, Resource, Wire
from apiconform.reference.limits import Decision, FixedWindowLimiter, SlidingWindowLimiter
from apiconform.reference.serving import ServerOptions


class Access(Resource):
    """The keys of `store`, the credentials and rate limit of `options`: who is asking, whether
    they may ask now, and whether they may ask this."""

    def __init__(self, wire: Wire, store: Store, options: ServerOptions) -> None:
        super().__init__(wire, store)
        self.options = options
        requests, per_seconds = options.rate_limit
        if "ratelimit-limit-doubled" in self.faults:
            requests *= 2
        if "ratelimit-limit-halved" in self.faults:
            requests = max(1, requests // 2)
        limiter = FixedWindowLimiter if self.alternate else SlidingWindowLimiter
        self.limiter: SlidingWindowLimiter | FixedWindowLimiter = limiter(requests, per_seconds)
        self.stuck_until: dict[str, float] = {}  # only with ratelimit-stuck

    def unauthorized(self, message: str) -> ApiError:
        """A 401 auth_error with `message`, an empty errors[] and the WWW-Authenticate challenge."""
        type_ = "unauthorized" if "auth-error-type" in self.faults else "auth_error"
        items = [("X-API-Key", "required", message)] if "auth-errors-listed" in self.faults else []
        return ApiError(401, type_, message, items, headers={"WWW-Authenticate": 'Bearer realm="coliving"'})

    def supplied_key(self, request: Request) -> str | None:
        """The key `request` carries: a non-empty X-API-Key, else a Bearer token; the alternate
        variant also reads the query parameter api_key (silence point coliving.key-location)."""
        writing = request.method in ("POST", "PATCH")
        supplied = None
        if "x-api-key-ignored" not in self.faults:
            supplied = request.headers.get("x-api-key", "").strip() or None
        bearer_ignored = "bearer-ignored" in self.faults or (
            writing and "bearer-ignored-on-writes" in self.faults
        )
        if supplied is None and not bearer_ignored:
            scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                supplied = token.strip()
        if supplied is None and (self.alternate or "query-key-accepted" in self.faults):
            supplied = request.query_params.get("api_key", "").strip() or None
        return supplied

    def authenticate(self, request: Request) -> ApiKey:
        """The key `request` names; a 401 for none, an unknown, an inactive or an expired one."""
        writing = request.method in ("POST", "PATCH")

        def faulty(name: str) -> bool:  # `name` for every request, or `write-<name>` for writes
            return name in self.faults or (writing and f"write-{name}" in self.faults)

        supplied = self.supplied_key(request)
        served = self.store.keys.get(self.options.credentials.get("api_key", ""))
        if supplied is None:
            if faulty("missing-key-served") and served is not None:
                return served
            if "missing-key-403" in self.faults:
                raise ApiError(403, "forbidden", "API key is required")
            raise self.unauthorized("API key is required")
        key = self.store.keys.get(supplied)
        if key is None:
            if faulty("invalid-key-served") and served is not None:
                return served
            raise self.unauthorized("Invalid API key")
        if not key.active and not faulty("inactive-key-served"):
            raise self.unauthorized("API key is inactive")
        if key.expired and "expired-key-served" not in self.faults:
            raise self.unauthorized("API key has expired")
        return key

    def check_rate_limit(self, ctx: Ctx) -> None:
        """Admit the request in its key's sliding window or answer 429 (rate-limit headers go to
        `ctx.headers`: on every answer to a valid key in the quirky variant)."""
        if "ratelimit-not-enforced" in self.faults:
            return
        assert ctx.key is not None
        bucket = "*" if "ratelimit-global" in self.faults else ctx.key.value
        requests, seconds = self.options.rate_limit
        now = time.monotonic()
        stuck = self.stuck_until.get(bucket, 0.0)
        if now < stuck:  # only with ratelimit-stuck
            decision = Decision(
                False, min(stuck - now, seconds), self.limiter.requests, self.limiter.requests
            )
        else:
            decision = self.limiter.acquire(bucket)
            if not decision.allowed and "ratelimit-stuck" in self.faults:
                self.stuck_until[bucket] = now + 20 * seconds
        if "ratelimit-headers-inconsistent" in self.faults:
            # "remaining" counts up: it reports the requests used, not those left
            ctx.headers.update(
                {"X-RateLimit-Limit": str(requests), "X-RateLimit-Remaining": str(decision.used)}
            )
        elif self.quirky:
            ctx.headers.update(
                {
                    "X-RateLimit-Limit": str(decision.limit),
                    "X-RateLimit-Remaining": str(decision.remaining),
                    "X-RateLimit-Reset": decision.reset_header,
                }
            )
        if decision.allowed:
            return
        headers = {}
        if "ratelimit-no-retry-after" not in self.faults and not self.alternate:
            headers["Retry-After"] = (
                decision.retry_after_date() if self.quirky else decision.retry_after_header
            )
        message = f"Too many requests: at most {requests} per {seconds:g} seconds per API key."
        status = 503 if "ratelimit-503" in self.faults else 429
        raise ApiError(status, "rate_limit_exceeded", message, headers=headers)

    def check_permission(self, key: ApiKey, permission: str | None) -> None:
        """Nothing when `key` holds `permission` (or none is needed), else a 403 naming it."""
        if permission is None or permission in key.permissions or "permissions-ignored" in self.faults:
            return
        named = [("required_permission", "forbidden", permission)]
        if "forbidden-as-401" in self.faults:
            raise ApiError(401, "auth_error", "Missing required API key permission.", named)
        raise ApiError(
            403,
            "forbidden",
            "Missing required API key permission.",
            [] if "forbidden-unnamed" in self.faults else named,
        )
