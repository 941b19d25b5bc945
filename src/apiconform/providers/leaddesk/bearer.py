"""The LeadDesk suite's own access token: the `Authorization` header of a password-grant token that
is renewed before it expires, so that a run against a target issuing short-lived tokens (a test
deployment, or the embedded server started for token_expiry_wait) is not cut off half-way by its
own token."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

from apiconform.client import ApiClient
from apiconform.providers.leaddesk.profile import Tokens, request_token


def renewal_margin(lifetime: float) -> float:
    """How long before its expiry a token of `lifetime` seconds is renewed: a quarter of the
    lifetime, at least a second, but never more than half of it."""
    return min(max(lifetime / 4, 1.0), lifetime / 2)


class RenewingBearer(Mapping[str, str]):
    """`Authorization: Bearer <token>` for the run's requests, read afresh at every request.

    Guarantees: the header names the newest token the password grant `body` gave; once less than
    `renewal_margin` of its announced lifetime (expires_in) is left, the next read asks the token
    endpoint for a new one (one request). A renewal the target refuses keeps the old token, so the
    rule that reads it judges what the target answers. A token without expires_in is never renewed.
    """

    def __init__(self, client: ApiClient, body: Mapping[str, Any], first: Tokens) -> None:
        self._client = client
        self._body = dict(body)
        self.tokens = first
        self.renewals = 0

    def due(self) -> bool:
        """Whether the current token is to be renewed before its next use."""
        expires_at, lifetime = self.tokens.expires_at, self.tokens.expires_in
        if expires_at is None or lifetime is None:
            return False
        return time.monotonic() >= expires_at - renewal_margin(lifetime)

    def current(self) -> Tokens:
        """The token to send now (renewed first when `due`)."""
        if self.due():
            renewed = request_token(self._client, self._body)
            self.renewals += 1
            if renewed.access_token is not None:
                self.tokens = renewed
        return self.tokens

    def _headers(self) -> dict[str, str]:
        return self.current().headers

    def __getitem__(self, name: str) -> str:
        return self._headers()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers())

    def __len__(self) -> int:
        return len(self._headers())
