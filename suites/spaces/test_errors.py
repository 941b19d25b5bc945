"""Errors (spaces-api.txt: status codes 400, 401, 404, 500; All responses will be returned in JSON
format; error JSON will often include message).

"All responses will be returned in JSON format" is held as: every response with a body parses as
JSON (the MUST); declaring a JSON media type is the SHOULD (the document speaks of the format, not
of the Content-Type header). An empty body has no format to break, and the body of a redirect the
client follows (e.g. to a trailing slash) is for browsers: neither is judged by the MUST.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Hashable, Sequence
from typing import Any
from urllib.parse import quote

import pytest

from apiconform.providers.spaces.profile import LIST_PATH
from apiconform.providers.spaces.responses import (
    check_json_body,
    check_json_media_type,
    check_message,
)
from apiconform.suite import (
    Verdicts,
    expect_status,
    judge_recorded,
)

#: Characters an ID's last letter or digit is swapped for, by class (so that the ID keeps its form).
SWAPS = (string.digits, "abcdef", "ABCDEF", string.ascii_lowercase, string.ascii_uppercase)


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


@pytest.mark.rule(
    "spaces.errors.unknown-resource-404",
    "spaces.errors.invalid-parameter-400",
    "spaces.errors.json-body",
    "spaces.errors.json-media-type",
    "spaces.errors.message",
)
def test_error_responses(client, auth, reference, verdicts: Verdicts):
    """An unknown path gets 404, and so does an unknown object ID of the target's own form (the
    single-object path is not in the document: a 405 there says the target has no such operation
    and is not judged); a malformed limit gets 400; these, a 401 and a list are JSON, and the
    errors carry a message."""
    missing = quote(unknown_like(reference.ids), safe="")
    probes: list[tuple[str | None, str, dict[str, Any], dict[str, str], int]] = [
        ("spaces.errors.unknown-resource-404", f"{LIST_PATH}/{missing}", {}, auth, 404),
        ("spaces.errors.unknown-resource-404", f"/apiconform-missing-{secrets.token_hex(4)}", {}, auth, 404),
        ("spaces.errors.invalid-parameter-400", LIST_PATH, {"limit": "ten"}, auth, 400),
        (None, LIST_PATH, {"limit": 1}, {}, 401),
        (None, LIST_PATH, {"limit": 1}, auth, 200),
    ]
    for rule, path, params, headers, status in probes:
        response = client.request("GET", path, headers=headers, params=params)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        what = f"GET {path}{'?' + query if query else ''}" + ("" if headers else " without credentials")
        if rule is not None:
            with verdicts.check(rule):
                if path.startswith(LIST_PATH + "/") and response.status_code == 405:
                    verdicts.note(f"{what}: 405, the target has no single-object read (not in the document)")
                else:
                    expect_status(response, status, what)
        with verdicts.check("spaces.errors.json-body"):
            check_json_body(response, what)
        with verdicts.check("spaces.errors.json-media-type"):
            check_json_media_type(response, what)
        if response.status_code >= 400:
            with verdicts.check("spaces.errors.message"):
                check_message(response, what)


@pytest.mark.observer
@pytest.mark.rule(
    "spaces.errors.json-body",
    "spaces.errors.json-media-type",
    "spaces.errors.message",
    "spaces.errors.no-server-error",
)
def test_every_response_of_the_run(client, target, verdicts: Verdicts):
    """Looks at every exchange of the session so far (this test runs last), as `apiconform
    check` does."""
    rules = (
        "spaces.errors.json-body",
        "spaces.errors.json-media-type",
        "spaces.errors.message",
        "spaces.errors.no-server-error",
    )
    base_url = target.masker.mask(target.base_url)
    judge_recorded(target.profile, client.exchanges, base_url, target.masker, verdicts, rules)
