"""The LeadDesk suite's requests for what the document leaves open: creates in the configured
collection, the size of a collection (from `_meta.total`, or by walking it), and what a refusal
of a set-up request means for the rule it serves.

A refusal of the suite's own create never fails a rule: "not supported" (404, 405, 501) skips it,
naming the config key that points the suite elsewhere; a validation error or a permission refusal
makes it `error`, naming the fields the target refused when it named them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

import pytest

from apiconform.checks.expect import check, setup_refused
from apiconform.checks.pagination import walk
from apiconform.client import ApiClient, ApiResponse
from apiconform.providers.leaddesk.profile import LeadDeskProfile, Settings

#: Answers that say "this operation does not exist here" (405 Method Not Allowed; 404 for a
#: collection the target does not have; 501 Not Implemented).
NOT_SUPPORTED = frozenset({404, 405, 501})
#: An id no object of a real account is taken to have (a GET of it, a relation to it).
UNKNOWN_ID = 999999999


def validation_details(response: ApiResponse) -> Any:
    """The error_validation member of an error body (None when there is none)."""
    body = response.json_or_none()
    return body.get("error_validation") if isinstance(body, dict) else None


def refused_fields(response: ApiResponse) -> list[str]:
    """The parameters a validation error names (`error_validation`'s keys), if any."""
    details = validation_details(response)
    return [str(name) for name in details] if isinstance(details, dict) else []


def names_field(details: Any, fields: Iterable[str]) -> bool:
    """Whether error_validation (an object) names one of `fields`, itself or a part of it
    (`products.0.id`, `products[0]`)."""
    if not isinstance(details, dict):
        return False
    keys = [str(key) for key in details]
    return any(key == field or key.startswith((f"{field}.", f"{field}[")) for key in keys for field in fields)


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


def create(client: ApiClient, headers: Mapping[str, str], settings: Settings, what: str) -> ApiResponse:
    """POST a fresh `create_body` to `write_collection`; a 2xx comes back, anything but a 2xx,
    a 415 or a 5xx (which the create rule itself judges) skips or errors the test."""
    response = client.request("POST", settings.write_collection, headers=headers, json=settings.new_body())
    if not 200 <= response.status_code < 300 and response.status_code != 415 and response.status_code < 500:
        create_refused(response, settings, what)
    return response


def collection_size(
    client: ApiClient, profile: LeadDeskProfile, headers: Mapping[str, str], path: str
) -> tuple[int, ApiResponse]:
    """How many objects the collection at `path` (the configured write_collection) holds: the
    meta's total on its first page at per_page 500 when given, else the objects of a walk. Also
    the first page's response. A listing answered "not supported" skips the test, naming
    write_collection; another refusal makes it `error` (the size is only set-up)."""

    def fetch(number: int) -> ApiResponse:
        return client.request("GET", path, headers=headers, params={"per_page": 500, "page": number})

    first = fetch(1)
    if first.status_code in NOT_SUPPORTED:
        pytest.skip(
            f"listing {path} (to count it) is not supported by the target (GET {first.exchange.url} "
            f"answered HTTP {first.status_code}): set write_collection to a collection the target "
            "lists, creates in and deletes from"
        )
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


def promised(query: Mapping[str, Any], size: int) -> bool:
    """Whether the document promises a 200 page for a collection query on `size` objects: per_page
    (default 25) within 1..500 ("Maximum is by default 500 items") and page 1 or a page that holds
    objects ("page 2 with per_page=25 would give out items from 26...50")."""
    per_page, page = query.get("per_page", 25), query.get("page", 1)
    if not (isinstance(per_page, int) and 1 <= per_page <= 500 and isinstance(page, int)):
        return False
    return page == 1 or 1 <= page <= math.ceil(size / per_page)
