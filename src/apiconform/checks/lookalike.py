"""Values of the same form as a target's own: a probe with one (an unknown key, a session id no
one was issued) cannot be answered "malformed" for a reason the probe is not about."""

from __future__ import annotations

import secrets
import string

HEX_LOWER, HEX_UPPER = "abcdef", "ABCDEF"


def kinds_of(value: str) -> tuple[str, ...]:
    """The character classes `value`'s letters and digits are drawn from: digits, and lower- and
    upper-case letters, narrowed to the hex letters where all of a case's letters are hex."""
    lower = HEX_LOWER if all(c in HEX_LOWER for c in value if c in string.ascii_lowercase) else None
    upper = HEX_UPPER if all(c in HEX_UPPER for c in value if c in string.ascii_uppercase) else None
    return (string.digits, lower or string.ascii_lowercase, upper or string.ascii_uppercase)


def lookalike(value: str, *, fallback_prefix: str = "apiconform-unknown") -> str:
    """A random value of `value`'s form (each ASCII digit and letter replaced by a random one of
    its class, hex letters by hex letters; anything else kept), never `value` itself; only its
    length and character classes are taken from it (it may be a secret). A value with no letter
    or digit gets a random `fallback_prefix-<hex>` instead."""
    wide = (string.digits, string.ascii_lowercase, string.ascii_uppercase)
    if not any(char in kind for kind in wide for char in value):
        return f"{fallback_prefix}-{secrets.token_hex(8)}"
    pairs = list(zip(wide, kinds_of(value), strict=True))

    def swapped(char: str) -> str:
        return next((secrets.choice(kind) for whole, kind in pairs if char in whole), char)

    while True:
        made = "".join(swapped(char) for char in value)
        if made != value:
            return made
