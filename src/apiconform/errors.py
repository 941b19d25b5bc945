"""Exceptions that end a run early, each mapped to a documented exit code."""

from __future__ import annotations


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


class ContractViolation(Exception):
    """At preflight, the target answered, but what it answered breaks the contract (an envelope
    of the wrong type, a token response without its token or session, a refusal of the documented
    credential form). The run reports `rules` failed with `message` (which carries the evidence),
    its other rules `error` with the reason, and exits 1: reachable and not conformant."""

    def __init__(self, message: str, rules: tuple[str, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.rules = rules


class SetupRefused(Exception):
    """A request the suite sends only to set a rule up (create a user to book for, a campaign to
    attach products to) was refused. The rule could not reach a verdict: `error`, never `failed`.
    The message says what was refused (which documented field, when the target named one) and
    carries the evidence."""


class PreconditionNotMet(Exception):
    """A check whose verdict depends on timing found that its precondition did not hold (e.g. a
    window passed before the probe went out): the rule could not reach a verdict (`error`)."""


class TargetError(Exception):
    """One request could not get a usable response (transport failure, timeout, oversized body,
    off-origin redirect, run deadline). A test that hits it ends as `error`, not `failed`."""
