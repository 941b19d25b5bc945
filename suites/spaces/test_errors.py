"""Errors (spaces-api.txt: status codes 400, 401, 404, 500; All responses will be returned in JSON
format; error JSON will often include message).

"All responses will be returned in JSON format" is held as: every response with a body parses as
JSON (the MUST); declaring a JSON media type is the SHOULD (the document speaks of the format, not
of the Content-Type header). An empty body has no format to break, and the body of a redirect the
client follows (e.g. to a trailing slash) is for browsers: neither is judged by the MUST.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import quote

import pytest

from apiconform.providers.spaces.probes import unknown_like
from apiconform.providers.spaces.profile import LIST_PATH
from apiconform.providers.spaces.responses import check_json_body, check_json_media_type, check_message
from apiconform.suite import ApiResponse, Verdicts, check, expect_status, fail, judge_recorded

#: A message that is one token of lower-case words or digits joined by _ . : - ("not_found",
#: "invalid-limit"), or that carries an underscore or a digit without a space ("ERR_401", "E1234"),
#: is a code for programs, not text for people.
CODE_LIKE = re.compile(r"[a-z0-9]+(?:[_.:-][a-z0-9]+)+|\S*[_0-9]\S*")


def message_problem(message: Any) -> str | None:
    """What keeps `message` from being human-readable text (None when it is): not a string, empty,
    without a letter, markup, or a bare code."""
    if not isinstance(message, str):
        return f"message is {type(message).__name__} {message!r}, not text"
    text = message.strip()
    if not any(char.isalpha() for char in text):
        return f"message {message!r} holds no word"
    if text.startswith("<"):
        return f"message {message[:40]!r} is markup, not text"
    if CODE_LIKE.fullmatch(text):
        return f"message {message!r} is a code for programs, not text for people"
    return None


def check_readable_messages(messages: dict[str, tuple[int, Any, ApiResponse]]) -> None:
    """Every message present is human-readable (`message_problem`), and errors of different
    kinds do not all carry one text (that text gives no information about the error)."""
    for what, (_, message, response) in messages.items():
        problem = message_problem(message)
        check(problem is None, f"{what}: {problem}", response)
    kinds = {status: message for status, message, _ in messages.values()}
    if len(kinds) > 1 and len({str(message).strip().lower() for message in kinds.values()}) == 1:
        statuses = ", ".join(map(str, sorted(kinds)))
        first = next(iter(kinds.values()))
        fail(
            f"errors of every kind ({statuses}) carry the same message {first!r}: it gives no "
            "information about the error",
            *(response for _, _, response in messages.values()),
        )


@pytest.mark.rule(
    "spaces.errors.unknown-resource-404",
    "spaces.errors.invalid-parameter-400",
    "spaces.errors.json-body",
    "spaces.errors.json-media-type",
    "spaces.errors.message",
    "spaces.errors.message-readable",
)
def test_error_responses(client, auth, reference, verdicts: Verdicts):
    """An unknown path gets 404, and so does an unknown object ID of the target's own form (the
    single-object path is not in the document: a 405 there says the target has no such operation
    and is not judged); a malformed limit gets 400; these, a 401 and a list are JSON, and the
    errors carry a message (the SHOULD: "often"); where they do, it is human-readable text about
    the error (the MUST)."""
    messages: dict[str, tuple[int, Any, ApiResponse]] = {}
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
            body = response.json_or_none()
            if isinstance(body, dict) and "message" in body:
                messages[what] = (response.status_code, body["message"], response)
    with verdicts.check("spaces.errors.message-readable"):
        check_readable_messages(messages)
        if not messages:
            verdicts.note("no error body carries a message: nothing to judge (spaces.errors.message)")


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
