"""Assertions with evidence: every failure names what was expected, what came back, and how to
reproduce it (a masked curl command). Suites use these instead of bare `assert`."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NoReturn

import pytest

from apiconform.client import ApiResponse
from apiconform.errors import PreconditionNotMet, SetupRefused
from apiconform.schemastore import SchemaStore


def evidence(*responses: ApiResponse) -> str:
    parts = []
    for response in responses:
        parts.append(response.exchange.summary())
        parts.append(f"  reproduce: {response.exchange.curl()}")
    return "\n".join(parts)


def fail(message: str, *responses: ApiResponse) -> NoReturn:
    """Raise an AssertionError carrying `message` and the evidence of `responses`."""
    raise AssertionError(f"{message}\n{evidence(*responses)}" if responses else message)


def check(condition: object, message: str, *responses: ApiResponse) -> None:
    if not condition:
        fail(message, *responses)


def precondition(condition: object, message: str, *responses: ApiResponse) -> None:
    """Raise PreconditionNotMet (with the evidence) unless `condition` holds: what the check
    would conclude rests on it, so without it the rule ends `error`, never passed or failed."""
    if not condition:
        raise PreconditionNotMet(f"{message}\n{evidence(*responses)}" if responses else message)


def setup_refused(message: str, *responses: ApiResponse) -> NoReturn:
    """Raise SetupRefused: a request that only sets a rule up was refused, so the rule is `error`
    (it could not reach a verdict), not `failed`. `message` says what was refused."""
    raise SetupRefused(f"{message}\n{evidence(*responses)}" if responses else message)


def skip_unsupported(
    what: str, response: ApiResponse, setting: str, *, answered: str | None = None
) -> NoReturn:
    """Skip the calling test: the target answered the suite's probe of an operation its document
    does not show (`what`) with "not supported" (e.g. 405, Livespace 514/515). The reason names
    the answer (`answered`, default its HTTP status) and the config key that points the rule at
    an operation the target has."""
    answer = answered or f"HTTP {response.status_code}"
    pytest.skip(
        f"{what} is not supported by the target ({response.exchange.method} {response.exchange.url} "
        f"answered {answer}); "
        f"the document does not show this operation: set {setting} to one the target supports"
    )


def expect_status(response: ApiResponse, expected: int | Collection[int], what: str) -> None:
    allowed = {expected} if isinstance(expected, int) else set(expected)
    if response.status_code not in allowed:
        wanted = " or ".join(str(s) for s in sorted(allowed))
        fail(f"{what}: expected HTTP {wanted}, got {response.status_code}", response)


def expect_json(response: ApiResponse, what: str) -> Any:
    try:
        return response.json()
    except ValueError:
        fail(f"{what}: the body is not JSON", response)


def expect_object(value: Any, what: str, *responses: ApiResponse) -> dict[str, Any]:
    if not isinstance(value, dict):
        fail(f"{what}: expected a JSON object, got {type(value).__name__}", *responses)
    return value


def expect_schema(store: SchemaStore, name: str, instance: Any, what: str, *responses: ApiResponse) -> None:
    errors = store.errors(name, instance)
    if errors:
        fail(f"{what} does not match {name}.schema.json: " + "; ".join(errors), *responses)
