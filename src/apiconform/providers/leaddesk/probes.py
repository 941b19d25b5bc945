"""The LeadDesk suite's requests for what the document leaves open: creates in the configured
collection, the size of a collection (from `_meta.total`, or by walking it), and what a refusal
of a set-up request means for the rule it serves.

A refusal of the suite's own create never fails a rule: "not supported" (404, 405, 501) skips it,
naming the config key that points the suite elsewhere; a validation error or a permission refusal
makes it `error`, naming the fields the target refused when it named them.
"""

from __future__ import annotations

from typing import Any, NoReturn

import pytest

from apiconform.checks.expect import check, setup_refused
from apiconform.checks.pagination import walk
from apiconform.client import ApiClient, ApiResponse
from apiconform.providers.leaddesk.profile import LeadDeskProfile, Settings

#: Answers that say "this operation does not exist here" (405 Method Not Allowed; 404 for a
#: collection the target does not have; 501 Not Implemented).
NOT_SUPPORTED = frozenset({404, 405, 501})


def refused_fields(response: ApiResponse) -> list[str]:
    """The parameters a validation error names (`error_validation`'s keys), if any."""
    body = response.json_or_none()
    details = body.get("error_validation") if isinstance(body, dict) else None
    return [str(name) for name in details] if isinstance(details, dict) else []


def create_refused(response: ApiResponse, settings: Settings, what: str) -> NoReturn:
    """Skip or error the calling test for a create the target did not take (see module docstring)."""
    status = response.status_code
    if status in NOT_SUPPORTED:
        pytest.skip(
            f"{what} is not supported by the target ({response.exchange.method} {response.exchange.url} "
            f"answered HTTP {status}); the document shows POST /users only as an example of passing "
            "parameters: set write_collection (and create_body) to a collection the target creates in"
        )
    fields = refused_fields(response)
    named = f"; the target refused {', '.join(fields)}" if fields else ""
    if status == 403:
        setup_refused(f"{what}: the configured user may not create there (HTTP 403){named}", response)
    setup_refused(
        f"{what} was refused with HTTP {status}{named}: set create_body to the body the target "
        f"requires (now {dict(settings.create_body)})",
        response,
    )


def create(client: ApiClient, headers: dict[str, str], settings: Settings, what: str) -> ApiResponse:
    """POST a fresh `create_body` to `write_collection`; a 2xx comes back, anything but a 2xx,
    a 415 or a 5xx (which the create rule itself judges) skips or errors the test."""
    response = client.request("POST", settings.write_collection, headers=headers, json=settings.new_body())
    if not 200 <= response.status_code < 300 and response.status_code != 415 and response.status_code < 500:
        create_refused(response, settings, what)
    return response


def collection_size(
    client: ApiClient, profile: LeadDeskProfile, headers: dict[str, str], path: str
) -> tuple[int, ApiResponse]:
    """How many objects the collection at `path` holds: `_meta.total` of its first page at
    per_page 500 when given, else the objects of a walk. Also the first page's response. A
    refused listing makes the test `error` (the size is only set-up)."""

    def fetch(number: int) -> ApiResponse:
        return client.request("GET", path, headers=headers, params={"per_page": 500, "page": number})

    first = fetch(1)
    if not 200 <= first.status_code < 300:
        setup_refused(f"GET {path} (to count the collection) answered HTTP {first.status_code}", first)
    _, info = profile.parse_page(first)
    if info.total is not None:
        return info.total, first
    walked = walk(fetch, profile.parse_page)
    return len(walked.items), first


def id_of(response: ApiResponse) -> Any:
    """The `id` member of a JSON object body (None when there is none)."""
    body = response.json_or_none()
    return body.get("id") if isinstance(body, dict) else None


def check_unchanged(before: int, after: int, what: str, *responses: ApiResponse) -> None:
    check(
        before == after, f"{what}: the collection held {before} objects before and {after} after", *responses
    )
