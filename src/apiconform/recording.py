"""Recorded exchanges: what was sent and received, already masked, and how to reproduce it."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: How much of a body an exchange keeps for messages and reports.
BODY_EXCERPT = 2000


def excerpt(text: str, limit: int = BODY_EXCERPT) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... [{len(text) - limit} more characters]"


def no_body() -> None:
    """`Exchange.parses_as_json` of an exchange without a response body."""
    return None


class BodyNotKept(Exception):
    """An exchange's response body was too large to keep for a later look (`Exchange.json`):
    judge it from the live response, or by `Exchange.body_json`."""


def unparsed() -> Any:
    """`Exchange.parse_body` of an exchange whose body was not kept (or that has none)."""
    raise BodyNotKept("the response body was not kept")


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its response (or the reason there was none). All fields are masked."""

    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: str
    status: int | None = None
    response_headers: tuple[tuple[str, str], ...] = ()
    response_body: str = ""
    elapsed: float = 0.0
    error: str | None = None
    rules: tuple[str, ...] = ()
    #: an opaque label of the credential the request carried (apiconform.masking.credential_label)
    credential: str | None = None
    #: whether the whole response body (before truncation) parses as JSON (None when it is
    #: empty), decided on first use: see `body_json`
    parses_as_json: Callable[[], bool | None] = field(default=no_body, repr=False, compare=False)
    #: the whole response body parsed, on first use: see `json`
    parse_body: Callable[[], Any] = field(default=unparsed, repr=False, compare=False)

    @property
    def body_json(self) -> bool | None:
        """Whether the whole response body (before truncation) parses as JSON; None when empty."""
        return self.parses_as_json()

    def json(self) -> Any:
        """The whole response body (not cut like `response_body`) parsed as JSON, for checks that
        look at recorded exchanges. ValueError when it is not JSON (an empty body included);
        BodyNotKept when it was too large to keep (`body_json` still says whether it parsed).
        The value is NOT masked: take evidence from the masked fields, never from it."""
        if self.body_json is None:
            raise ValueError("the response has no body")
        return self.parse_body()

    def curl(self) -> str:
        """A curl command reproducing the request (secrets appear as ***; fill them in to run it)."""
        parts = ["curl", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.request_headers:
            if name.lower() in {"host", "content-length", "accept-encoding", "connection", "user-agent"}:
                continue
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.request_body:
            parts += ["--data-raw", shlex.quote(self.request_body)]
        return " ".join(parts)

    def summary(self) -> str:
        """Two short lines: the request and what came back."""
        outcome = f"{self.status}" if self.status is not None else f"no response ({self.error})"
        body = excerpt(self.response_body.replace("\n", " "), 300)
        return f"{self.method} {self.url} -> {outcome}" + (f"\n  body: {body}" if body else "")

    def as_text(self) -> str:
        """The full masked exchange, for attachments."""
        lines = [f"{self.method} {self.url}"]
        lines += [f"{name}: {value}" for name, value in self.request_headers]
        if self.request_body:
            lines += ["", excerpt(self.request_body)]
        lines += ["", f"--> {self.status if self.status is not None else 'no response: ' + str(self.error)}"]
        lines += [f"{name}: {value}" for name, value in self.response_headers]
        if self.response_body:
            lines += ["", excerpt(self.response_body)]
        return "\n".join(lines)
