"""Exceptions: those that end a run early (`ApiconformError`, each mapped to a documented exit
code), and those that end one test or preflight, carrying the recorded exchanges they rest on
(`Evidenced`: a failed check, a refused set-up request, an unmet precondition, a contract
violation at preflight)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apiconform.recording import Exchange


class ApiconformError(Exception):
    """Base class; `exit_code` is what the CLI exits with."""

    exit_code = 1


class UsageError(ApiconformError):
    """A bad command line or configuration (exit 2)."""

    exit_code = 2


class ConfigError(UsageError):
    """The configuration file or a value in it is wrong (exit 2)."""


class CredentialsRejected(UsageError):
    """The target refused the configured credentials at preflight (exit 2). Raised only when the
    refusal is well formed in the document's own terms (its error shape, a documented refusal
    status or code), so that the user, not the target, has something to fix."""


class Evidenced(Exception):
    """An exception whose message rests on recorded exchanges: `exchanges` (masked, in the order
    the message cites them; empty when it cites none). The message itself carries them as text
    for people (`reproduce: curl ...`); reports read `exchanges`, never the text."""

    def __init__(self, message: str, exchanges: Iterable[Exchange] = ()) -> None:
        super().__init__(message)
        self.exchanges: tuple[Exchange, ...] = tuple(exchanges)


class CheckFailed(Evidenced, AssertionError):
    """A check found the target off its contract: the rule it verifies is `failed`. Raised by
    `fail()`, `check()` and the other helpers of apiconform.checks (as schemathesis' checks raise
    their typed failures), with the message and the exchanges it rests on."""


class ContractViolation(Evidenced):
    """At preflight, the target answered, but what it answered breaks the contract (an envelope
    of the wrong type, a token response without its token or session, a refusal of the documented
    credential form). The run reports `rules` failed with `message` and `exchanges` (the evidence),
    its other rules `error` with the reason, and exits 1: reachable and not conformant."""

    def __init__(self, message: str, rules: tuple[str, ...], exchanges: Iterable[Exchange] = ()) -> None:
        super().__init__(message, exchanges)
        self.message = message
        self.rules = rules


class SetupRefused(Evidenced):
    """A request the suite sends only to set a rule up (create a user to book for, a campaign to
    attach products to) was refused. The rule could not reach a verdict: `error`, never `failed`.
    The message says what was refused (which documented field, when the target named one) and
    carries the evidence."""


class PreconditionNotMet(Evidenced):
    """A check whose verdict depends on timing found that its precondition did not hold (e.g. a
    window passed before the probe went out): the rule could not reach a verdict (`error`)."""


class TargetError(Exception):
    """One request could not get a usable response (transport failure, timeout, oversized body,
    off-origin redirect, run deadline). A test that hits it ends as `error`, not `failed`."""


def evidence_of(exc: BaseException) -> tuple[Exchange, ...]:
    """The exchanges `exc` rests on: its own (`Evidenced`), or those of the first three exceptions
    of a group (the ones a failure message shows), each exchange once, in order; empty otherwise."""
    if isinstance(exc, Evidenced):
        return exc.exchanges
    if isinstance(exc, BaseExceptionGroup):
        found = {id(e): e for inner in exc.exceptions[:3] for e in evidence_of(inner)}
        return tuple(found.values())
    return ()
