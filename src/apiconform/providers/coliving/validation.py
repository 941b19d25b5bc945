"""How the Coliving suite judges a 422 to an invalid request: the rule of the broken constraint
(422, the error envelope, an errors[] item naming the field) and coliving.errors.validation-error-type
(error.type validation_error with at least one item), each in its own verdict."""

from __future__ import annotations

from apiconform.checks.envelope import error_body, error_paths
from apiconform.checks.expect import check
from apiconform.checks.verdicts import Verdicts
from apiconform.client import ApiResponse
from apiconform.profile import Profile

VALIDATION_TYPE_RULE = "coliving.errors.validation-error-type"


def judge_422(
    profile: Profile,
    verdicts: Verdicts,
    rule: str,
    response: ApiResponse,
    what: str,
    path: str,
    *,
    prefix: bool = False,
) -> None:
    """Under `rule`: 422 with the error envelope and an errors[] item whose path is `path` (or,
    with `prefix`, starts with it: a nested path's form is unstated); under the validation-type
    rule: error.type validation_error and at least one errors[] item."""
    with verdicts.check(rule):
        error = error_body(profile, response, what, status=422)
        paths = error_paths(profile, error)
        named = any(p.startswith(path) for p in paths) if prefix else path in paths
        check(
            named,
            f"{what}: no errors[] item has {'a path starting' if prefix else 'path'} {path!r} (got {paths})",
            response,
        )
    with verdicts.check(VALIDATION_TYPE_RULE):
        error = error_body(profile, response, what, status=422, error_type="validation_error")
        check(profile.error_items(error), f"{what}: the 422 has no errors[] item", response)
