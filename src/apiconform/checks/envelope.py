"""Envelope checks: success and error bodies in the provider's dialect (schemas named by the profile)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from apiconform.checks.expect import expect_json, expect_schema, expect_status, fail
from apiconform.client import ApiResponse
from apiconform.profile import Profile
from apiconform.schemastore import store


def success_data(
    profile: Profile,
    response: ApiResponse,
    what: str,
    *,
    status: int | Collection[int] = (200, 201),
    data_schema: str | None = None,
) -> Any:
    """Assert `response` is a success with the provider's envelope (and `data_schema`); return its data."""
    expect_status(response, status, what)
    body = expect_json(response, what)
    schemas = store(profile.name)
    expect_schema(schemas, profile.success_envelope, body, f"{what}: the success body", response)
    data = profile.success_data(body)
    if data_schema is not None:
        expect_schema(schemas, data_schema, data, f"{what}: data", response)
    return data


def error_body(
    profile: Profile,
    response: ApiResponse,
    what: str,
    *,
    status: int | Collection[int],
    error_type: str | Collection[str] | None = None,
) -> Any:
    """Assert `response` has `status`, the provider's error envelope and, if given, the error type."""
    expect_status(response, status, what)
    body = expect_json(response, what)
    error_shape(profile, response, f"{what}: the error body")
    if error_type is not None:
        wanted = {error_type} if isinstance(error_type, str) else set(error_type)
        actual = profile.error_type(body)
        if actual not in wanted:
            fail(f"{what}: expected error type {' or '.join(sorted(wanted))}, got {actual!r}", response)
    return body


def error_shape(profile: Profile, response: ApiResponse, what: str) -> None:
    """Assert `response`'s body (None when it is not JSON) is the provider's error envelope;
    `what` names the body in the failure message."""
    schemas = store(profile.name)
    expect_schema(schemas, profile.error_envelope, response.json_or_none(), what, response)


def error_paths(profile: Profile, body: Any) -> list[str]:
    """The field paths named by an error envelope's items."""
    return [str(item.get("path")) for item in profile.error_items(body) if isinstance(item, dict)]
