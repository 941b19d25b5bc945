"""Generated requests: schemathesis over `schemas/<provider>/openapi.yaml`, sent by our client.

schemathesis generates the cases (positive or negative data, from our hand-written schemas) and
runs the checks we choose for each rule; the request itself always goes through the run's
`ApiClient`, so generated traffic is paced, pinned to the origin, counted and masked like the rest.
Which schemathesis checks back which rule is decided per rule in the suites: a check is never
applied where the document does not demand what it tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import requests
import schemathesis
from schemathesis import Case, GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks
from schemathesis.specs.openapi.schemas import OpenApiSchema

from apiconform.checks.expect import evidence, exchanges
from apiconform.client import ApiClient, ApiResponse
from apiconform.errors import CheckFailed
from apiconform.resources import schemas_dir

#: A schemathesis check: a function of (context, response, case) that raises on a failure.
CheckFunction = Callable[..., Any]
#: The schemathesis checks the suites tie to rules (each applied only where the document demands
#: what it tests); suites pass the functions themselves to `run_checks`.
response_schema_conformance: CheckFunction = openapi_checks.response_schema_conformance
status_code_conformance: CheckFunction = openapi_checks.status_code_conformance
content_type_conformance: CheckFunction = openapi_checks.content_type_conformance
negative_data_rejection: CheckFunction = openapi_checks.negative_data_rejection
not_a_server_error: CheckFunction = schemathesis.checks.not_a_server_error
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
_AUTH_HEADERS = {"authorization", "x-api-key", "cookie"}
_DROPPED_HEADERS = {
    "user-agent",
    "accept-encoding",
    "connection",
    "content-length",
    "x-schemathesis-testcaseid",
}


@cache
def openapi(provider: str) -> OpenApiSchema:
    """The provider's OpenAPI document, loaded once (no schemathesis.toml discovery)."""
    schema = schemathesis.openapi.from_path(
        schemas_dir(provider) / "openapi.yaml", config=schemathesis.Config()
    )
    assert isinstance(schema, OpenApiSchema)
    return schema


def operation(provider: str, operation_id: str) -> Any:
    return openapi(provider).find_operation_by_id(operation_id)


def strategy(provider: str, operation_id: str, mode: GenerationMode = POSITIVE) -> Any:
    """A hypothesis strategy of schemathesis `Case`s for one operation."""
    return operation(provider, operation_id).as_strategy(generation_mode=mode)


def send_case(client: ApiClient, case: Case[Any], headers: Mapping[str, str]) -> ApiResponse:
    """Send a generated case through the run's client, with `headers` (the real credentials)
    replacing whatever credentials the case carried."""
    kwargs = case.as_transport_kwargs(base_url=client.base_url)
    sent_headers = {
        name: str(value)
        for name, value in (kwargs.get("headers") or {}).items()
        if name.lower() not in _AUTH_HEADERS | _DROPPED_HEADERS
    }
    sent_headers.update(headers)
    content: bytes | None = None
    if "json" in kwargs:
        content = json.dumps(kwargs["json"]).encode()
        sent_headers.setdefault("Content-Type", "application/json")
    elif isinstance(kwargs.get("data"), (bytes, str)):
        data = kwargs["data"]
        content = data.encode() if isinstance(data, str) else data
    return client.request(
        kwargs["method"],
        kwargs["url"],
        headers=sent_headers,
        params=kwargs.get("params"),
        content=content,
        follow_redirects=False,
    )


def as_schemathesis_response(response: ApiResponse) -> schemathesis.Response:
    """Our (already masked in its exchange) response in the shape schemathesis' checks read."""
    exchange = response.exchange
    prepared = requests.Request(
        method=exchange.method,
        url=exchange.url,
        headers=dict(exchange.request_headers),
        data=exchange.request_body.encode() if exchange.request_body else None,
    ).prepare()
    headers: dict[str, list[str]] = {}
    for name, value in response.headers.multi_items():
        headers.setdefault(name.lower(), []).append(value)
    return schemathesis.Response(
        status_code=response.status_code,
        headers=headers,
        content=response.content,
        request=prepared,
        elapsed=response.elapsed,
        verify=True,
        message=response.reason_phrase,
        http_version=response.http_version.removeprefix("HTTP/") or "1.1",
    )


def run_checks(case: Case[Any], response: ApiResponse, checks: Sequence[CheckFunction]) -> None:
    """Run the schemathesis `checks` (e.g. `status_code_conformance`) on `response`; CheckFailed,
    resting on the response's exchange, if any of them fails."""
    try:
        case.validate_response(as_schemathesis_response(response), checks=list(checks))
    except (AssertionError, BaseExceptionGroup) as exc:
        title = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        details = [str(inner).strip() for inner in getattr(exc, "exceptions", (exc,))]
        message = f"{title}\n" + "\n".join(details[:3]) + "\n" + evidence(response)
        raise CheckFailed(message, exchanges(response)) from None
