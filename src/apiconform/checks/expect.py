"""Assertions with evidence: every failure names what was expected, what came back, and how to
reproduce it. Suites use these instead of bare `assert`.

A failure is typed data (apiconform.errors): `CheckFailed` (or `SetupRefused`,
`PreconditionNotMet`, `ContractViolation`) carrying its message and the recorded exchanges it rests
on. The message also shows them as text for people (each exchange's summary and a masked `curl`
command); the run and the reports take the exchanges from the exception, never from the text."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NoReturn

import pytest

from apiconform.client import ApiResponse
from apiconform.errors import CheckFailed, ContractViolation, PreconditionNotMet, SetupRefused
from apiconform.recording import Exchange
from apiconform.schemastore import SchemaStore

#: What a failure may rest on: a response the suite got, or a recorded exchange.
Evidence = ApiResponse | Exchange


def exchanges(*evidence: Evidence) -> tuple[Exchange, ...]:
    """The recorded exchanges of `evidence`, in order."""
    return tuple(item.exchange if isinstance(item, ApiResponse) else item for item in evidence)


def evidence(*items: Evidence) -> str:
    """The evidence as text: per exchange, its summary and a masked curl reproduction."""
    parts = []
    for exchange in exchanges(*items):
        parts.append(exchange.summary())
        parts.append(f"  reproduce: {exchange.curl()}")
    return "\n".join(parts)


def _with_evidence(message: str, items: tuple[Evidence, ...]) -> str:
    return f"{message}\n{evidence(*items)}" if items else message


def fail(message: str, *responses: Evidence) -> NoReturn:
    """Raise CheckFailed: `message`, followed by the evidence of `responses` as text, and their
    exchanges as data."""
    raise CheckFailed(_with_evidence(message, responses), exchanges(*responses))


def check(condition: object, message: str, *responses: Evidence) -> None:
    """Do nothing when `condition` holds; otherwise `fail(message, *responses)`."""
    if not condition:
        fail(message, *responses)


def precondition(condition: object, message: str, *responses: Evidence) -> None:
    """Raise PreconditionNotMet (with the evidence) unless `condition` holds: what the check
    would conclude rests on it, so without it the rule ends `error`, never passed or failed."""
    if not condition:
        raise PreconditionNotMet(_with_evidence(message, responses), exchanges(*responses))


def setup_refused(message: str, *responses: Evidence) -> NoReturn:
    """Raise SetupRefused: a request that only sets a rule up was refused, so the rule is `error`
    (it could not reach a verdict), not `failed`. `message` says what was refused."""
    raise SetupRefused(_with_evidence(message, responses), exchanges(*responses))


def violation(message: str, *responses: Evidence, rules: tuple[str, ...]) -> ContractViolation:
    """The ContractViolation a preflight raises: the target answered off the contract, which
    `rules` judge; `message` followed by the evidence of `responses`."""
    return ContractViolation(_with_evidence(message, responses), rules, exchanges(*responses))


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
    """Fail unless `response` has the `expected` status (one of them)."""
    allowed = {expected} if isinstance(expected, int) else set(expected)
    if response.status_code not in allowed:
        wanted = " or ".join(str(s) for s in sorted(allowed))
        fail(f"{what}: expected HTTP {wanted}, got {response.status_code}", response)


def expect_json(response: ApiResponse, what: str) -> Any:
    """The parsed body of `response`; fail when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        fail(f"{what}: the body is not JSON", response)


def expect_schema(store: SchemaStore, name: str, instance: Any, what: str, *responses: Evidence) -> None:
    """Fail, naming every violation, unless `instance` matches `name`.schema.json of `store`."""
    errors = store.errors(name, instance)
    if errors:
        fail(f"{what} does not match {name}.schema.json: " + "; ".join(errors), *responses)
