"""Values the Spaces suite probes with: an ID of the target's own form that names no object and
a cursor no ID could be (a token of the configured token's form is `lookalike`, from
apiconform.suite).

Each keeps the form of the target's own values where it can, so that a target that checks the
form of an ID or a token cannot answer 400 for a reason the probe is not about.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Hashable, Sequence

#: Characters an ID's last letter or digit is swapped for, by class (so that the ID keeps its form).
SWAPS = (string.digits, "abcdef", "ABCDEF", string.ascii_lowercase, string.ascii_uppercase)
#: A cursor no ID could be: words, a space and punctuation (an ID is one token of letters,
#: digits and separators in every form the suite has met: cus_..., integers, UUIDs).
GARBAGE_CURSOR = "apiconform: not an ID!"


def unknown_like(ids: Sequence[Hashable]) -> str:
    """An ID of the same form as the target's own that names no object: for integers, one above
    the largest; for strings, the first ID with its last letter or digit swapped for another of
    its kind (a UUID stays a UUID); a random name when the list is empty."""
    numbers = [key for key in ids if isinstance(key, int)]
    if ids and len(numbers) == len(ids):
        return str(max(numbers) + 1000)
    taken = {str(key) for key in ids}
    text = str(ids[0]) if ids else ""
    where = next((i for i in range(len(text) - 1, -1, -1) if text[i].isascii() and text[i].isalnum()), None)
    if where is not None:
        kind = next(chars for chars in SWAPS if text[where] in chars)
        for char in kind:
            candidate = text[:where] + char + text[where + 1 :]
            if candidate not in taken:
                return candidate
    return f"apiconform-missing-{secrets.token_hex(4)}"
