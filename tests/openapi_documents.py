"""The providers' OpenAPI documents (schemas/<provider>/openapi.yaml) as schemathesis loads them, with
their external `$ref`s to the schema files resolved. Shared by the generic schema-case runner (its
response cases) and the OpenAPI tests of each provider.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.result import Err, Ok

from tests.schema_validation import SCHEMAS


def openapi_path(provider: str) -> Path:
    """Where a provider's OpenAPI document is."""
    return SCHEMAS / provider / "openapi.yaml"


@cache
def operations(provider: str) -> dict[str, Any]:
    """The operations of a provider's openapi.yaml as schemathesis loads them, by operationId.

    An operation whose parameters or request body hold an unresolvable $ref comes back as an Err (an
    AssertionError here); one whose response schema does is loaded anyway, and schemathesis then skips
    validating that response (a warning in the CLI, silence in the Python API), which is why every ref
    is checked to resolve and the response cases include invalid bodies.
    """
    results = list(schemathesis.openapi.from_path(str(openapi_path(provider))).get_all_operations())
    assert [result.err() for result in results if isinstance(result, Err)] == []
    return {
        op.definition.raw["operationId"]: op
        for op in (result.ok() for result in results if isinstance(result, Ok))
    }


def generated(operation: Any, count: int) -> list[Any]:
    """Up to `count` cases schemathesis generates for an operation (positive data, no shrinking)."""
    seen: list[Any] = []

    @settings(
        max_examples=count,
        phases=[Phase.generate],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def collect(case: Any) -> None:
        seen.append(case)

    collect()
    return seen


def example_response(status: int, body: Any, method: str, url: str) -> httpx.Response:
    """A JSON response to `method url`, in the form schemathesis' `validate_response` takes."""
    response = httpx.Response(status, json=body, request=httpx.Request(method, url))
    response.elapsed = timedelta(0)
    return response
