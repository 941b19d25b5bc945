"""Secret masking: every configured credential and every token obtained at run time.

A `Masker` holds the secret values of one run; `mask()` replaces each of them (and the derived
forms a provider registers, e.g. base64 of a Basic credential) with `***`. Everything the suite
records, prints or writes passes through it.
"""

from __future__ import annotations

import hashlib
import re
import secrets as random
import threading
from collections.abc import Iterable

MASK = "***"
#: Header names whose values are masked whatever they hold.
SECRET_HEADERS = frozenset({"authorization", "x-api-key", "proxy-authorization", "cookie", "set-cookie"})
#: Shorter secrets are refused (the config requires at least this many characters).
MIN_SECRET_LENGTH = 4
#: Headers whose values name the credential a request carries (see `credential_label`)
CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "proxy-authorization"})
#: per process, never stored: labels compare within one process and say nothing of a credential
_LABEL_SALT = random.token_bytes(16)


def credential_label(headers: Iterable[tuple[str, str]]) -> str | None:
    """An opaque label of the credential in a request's auth headers, so that a recording whose
    credentials are masked can still tell requests of one credential from another's (equal labels,
    equal credentials, within one process); None when the request carries none or it is masked."""
    values = sorted(
        value.strip() for name, value in headers if name.lower() in CREDENTIAL_HEADERS and value.strip()
    )
    if not values or any(MASK in value for value in values):
        return None
    digest = hashlib.sha256(_LABEL_SALT + "\n".join(values).encode()).hexdigest()
    return f"credential-{digest[:12]}"


class Masker:
    """A thread-safe set of secret strings and their masking.

    Guarantees: after `add(s)`, no output of `mask()` contains `s` (secrets shorter than four
    characters are refused, since masking them would garble ordinary text).
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret:
            return
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(f"a secret must be at least {MIN_SECRET_LENGTH} characters long")
        with self._lock:
            if secret not in self._secrets:
                self._secrets.add(secret)
                alternatives = sorted(self._secrets, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(s) for s in alternatives))

    @property
    def secrets(self) -> frozenset[str]:
        return frozenset(self._secrets)

    def mask(self, text: str) -> str:
        pattern = self._pattern
        if pattern is None or not text:
            return text
        return pattern.sub(MASK, text)

    def mask_headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Mask a header list: secret-bearing header names wholesale, all other values by content."""
        pairs = list(headers)
        pattern = self._pattern
        if pattern is not None and pattern.search("\n".join(value for _, value in pairs)):
            return [
                (name, MASK if name.lower() in SECRET_HEADERS else self.mask(value)) for name, value in pairs
            ]
        # no secret in any value (a secret never spans two values: a value holds no newline)
        return [(name, MASK if name.lower() in SECRET_HEADERS else value) for name, value in pairs]
