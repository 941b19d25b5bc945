"""How the Coliving suite reports a refusal of its own setup requests: the rule is `error`
(setup refused), never `failed`, and the message names the fields the target named."""

from __future__ import annotations

from typing import NoReturn

from apiconform.checks.expect import setup_refused
from apiconform.client import ApiResponse
from apiconform.profile import Profile


def named_fields(profile: Profile, response: ApiResponse) -> str:
    """What a refusal names: ` (HTTP 422; the target names: email (invalid), ...)`."""
    items = profile.error_items(response.json_or_none())
    named = ", ".join(f"{item.get('path')} ({item.get('code')})" for item in items[:6])
    return f" (HTTP {response.status_code}" + (f"; the target names: {named})" if named else ")")


def refused_setup(profile: Profile, what: str, response: ApiResponse, hint: str = "") -> NoReturn:
    """The suite's own setup request `what` was refused: the rule is `error`, not `failed`; the
    message says which fields the target named (the bodies carry every field of the document's
    examples, so a refused field is one the document does not explain) and `hint`, if any."""
    setup_refused(f"setup: {what} was refused{named_fields(profile, response)}{hint}", response)
