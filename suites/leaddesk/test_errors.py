"""Errors (leaddesk-api.txt: HTTP statuses; Error example; Validation error; Commonly used status
codes 404, 405, 415, 422)."""

from __future__ import annotations

import secrets

import pytest

from apiconform.checks.expect import check, expect_schema
from apiconform.checks.observe import NOT_KEPT, answered_exchanges, recorded_json, report
from apiconform.providers.leaddesk.profile import TOKEN_PATH, USERS_PATH
from apiconform.recording import Exchange
from apiconform.schemastore import store
from apiconform.session import Verdicts

PRODUCTS = "/products"


def check_error_shape(response, what: str) -> None:
    expect_schema(store("leaddesk"), "error", response.json_or_none(), f"{what}: the error body", response)


@pytest.mark.rule(
    "leaddesk.errors.validation-422",
    "leaddesk.errors.not-found-404",
    "leaddesk.errors.shape",
)
def test_error_statuses(client, bearer, verdicts: Verdicts):
    invalid = client.request("GET", USERS_PATH, headers=bearer, params={"per_page": 0})
    what = "GET /users?per_page=0"
    with verdicts.check("leaddesk.errors.validation-422"):
        check(
            invalid.status_code in (400, 422),
            f"{what}: HTTP {invalid.status_code}, not 422 (or 400)",
            invalid,
        )
        if invalid.status_code == 422:
            body = invalid.json_or_none() if isinstance(invalid.json_or_none(), dict) else {}
            details = body.get("error_validation")
            check(body.get("error") == "validation_failed", f"{what}: error {body.get('error')!r}", invalid)
            check(
                isinstance(details, dict) and "per_page" in details,
                f"{what}: error_validation {details!r} does not name per_page",
                invalid,
            )
    missing = client.request("GET", f"{USERS_PATH}/999999999", headers=bearer)
    with verdicts.check("leaddesk.errors.not-found-404"):
        check(missing.status_code == 404, f"GET /users/999999999: HTTP {missing.status_code}", missing)
    for response, label in ((invalid, what), (missing, "GET /users/999999999")):
        if response.status_code >= 400:
            with verdicts.check("leaddesk.errors.shape"):
                check_error_shape(response, label)


@pytest.mark.rule("leaddesk.errors.method-not-allowed-405")
def test_method_not_allowed(client, bearer):
    """DELETE on the token endpoint: a resource that cannot be deleted, and harmless if it could."""
    response = client.request("DELETE", TOKEN_PATH, headers=bearer)
    check(response.status_code == 405, f"DELETE {TOKEN_PATH}: HTTP {response.status_code}, not 405", response)


def total_of(response) -> object:
    body = response.json_or_none()
    meta = body.get("_meta") if isinstance(body, dict) else None
    return meta.get("total") if isinstance(meta, dict) else None


@pytest.mark.rule("leaddesk.errors.unsupported-media-415")
def test_unsupported_media(client, bearer, verdicts: Verdicts):
    before = client.request("GET", PRODUCTS, headers=bearer, params={"per_page": 1})
    name = f"apiconform-media-{secrets.token_hex(4)}"
    probes = [
        ("a malformed JSON body", {"Content-Type": "application/json"}, '{"name": "' + name),
        ("a text/plain body", {"Content-Type": "text/plain"}, f"name={name}"),
    ]
    for what, headers, content in probes:
        response = client.request("POST", PRODUCTS, headers={**bearer, **headers}, content=content)
        check(
            response.status_code == 415, f"POST /products with {what}: HTTP {response.status_code}", response
        )
    after = client.request("GET", PRODUCTS, headers=bearer, params={"per_page": 1})
    check(total_of(before) == total_of(after), "a refused create still added a product", before, after)


def error_shaped(exchange: Exchange) -> bool:
    """Whether the error body is {error, error_description} (a body too large to keep is not judged)."""
    body = recorded_json(exchange)
    if body is NOT_KEPT:
        return True
    return isinstance(body, dict) and all(
        isinstance(body.get(k), str) for k in ("error", "error_description")
    )


@pytest.mark.observer
@pytest.mark.rule("leaddesk.errors.shape", "leaddesk.errors.no-server-error")
def test_every_error_of_the_run(client, target, verdicts: Verdicts):
    """Every exchange of the session so far (this test runs last)."""
    seen = answered_exchanges(client, target.masker.mask(target.base_url))
    with verdicts.check("leaddesk.errors.shape"):
        report(
            [(e, "not {error, error_description}") for e in seen if e.status >= 400 and not error_shaped(e)],
            "are errors without the documented shape",
        )
    with verdicts.check("leaddesk.errors.no-server-error"):
        report([(e, f"HTTP {e.status}") for e in seen if e.status >= 500], "got a 5xx")
