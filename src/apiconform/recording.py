"""Recorded exchanges: what was sent and received, already masked, and how to reproduce it."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

#: How much of a body an exchange keeps for messages and reports.
BODY_EXCERPT = 2000


def excerpt(text: str, limit: int = BODY_EXCERPT) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... [{len(text) - limit} more characters]"


def no_body() -> None:
    """`Exchange.parses_as_json` of an exchange without a response body."""
    return None


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
    #: whether the whole response body (before truncation) parses as JSON (None when it is
    #: empty), decided on first use: see `body_json`
    parses_as_json: Callable[[], bool | None] = field(default=no_body, repr=False, compare=False)

    @property
    def body_json(self) -> bool | None:
        """Whether the whole response body (before truncation) parses as JSON; None when empty."""
        return self.parses_as_json()

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
