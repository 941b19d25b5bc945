"""What an answer to the suite's call of an undocumented method means for the rules that use it.

The document shows no method, so the suite's first call of each configured method is also a
probe: "not supported" (514 Incorrect module, 515 or 560 Incorrect method) skips the rules that
need the method, naming the config key to set; a method's refusal of its parameters (400, 420, 550) to
parameters the suite chose (undocumented too) skips them naming that key, or, for a request that
only sets a rule up, makes the rule `error`. Any other answer is the target's, for the rule to
judge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import pytest

from apiconform.checks.expect import setup_refused, skip_unsupported
from apiconform.client import ApiResponse
from apiconform.providers.livespace.calls import Session
from apiconform.providers.livespace.codes import METHOD_REFUSED, UNSUPPORTED, described, error_of, result_of
from apiconform.providers.livespace.settings import Method


def skip_if_unsupported(response: ApiResponse, method: Method) -> None:
    """Skip the calling test when `response` says `method` does not exist."""
    result = result_of(response)
    if result in UNSUPPORTED:
        skip_unsupported(f"the method {method}", response, method.setting, answered=described(result))


def skip_if_parameters_refused(response: ApiResponse, method: Method, setting: str) -> None:
    """Skip the calling test when `method` refused the parameters the suite chose (`setting`)."""
    result = result_of(response)
    if result in METHOD_REFUSED:
        pytest.skip(
            f"{method} refused the suite's parameters with {described(result)}; the document does "
            f"not give them: set {setting} to what the target takes"
        )


def refused_setup(response: ApiResponse, method: Method, setting: str) -> NoReturn:
    """Raise SetupRefused: `method`, called only to set the rule up, refused the suite's request
    (what the target said about it, when it said something, is quoted)."""
    error = error_of(response)
    said = error.get("message") if isinstance(error, dict) else error
    quoted = f": {said!r}" if isinstance(said, str) and said else ""
    setup_refused(
        f"{method} refused the suite's request with {described(result_of(response))}{quoted} "
        f"(its fields are not documented: set {setting})",
        response,
    )


@dataclass(frozen=True)
class ListProbe:
    """getToken and one signed call of the list method with list_params, shared by the rules."""

    session: Session
    response: ApiResponse
    method: Method

    @property
    def exists(self) -> bool:
        """Whether the call did not answer "not supported"."""
        return result_of(self.response) not in UNSUPPORTED

    def require(self) -> None:
        """Skip the calling test (or `verdicts.check` block) unless the list method exists and
        took the suite's parameters."""
        skip_if_unsupported(self.response, self.method)
        skip_if_parameters_refused(self.response, self.method, "list_params")
