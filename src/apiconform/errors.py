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
    """The target refused the configured credentials at preflight (exit 2)."""


class TargetUnreachable(ApiconformError):
    """The target could not be reached at preflight (exit 3)."""

    exit_code = 3


class TargetError(Exception):
    """One request could not get a usable response (transport failure, timeout, oversized body,
    off-origin redirect, run deadline). A test that hits it ends as `error`, not `failed`."""
