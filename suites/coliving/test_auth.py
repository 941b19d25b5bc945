"""Authentication and permissions (coliving-api.txt: Authentication, Auth Examples, Responses)."""

from __future__ import annotations

import pytest

from apiconform.providers.coliving import payloads
from apiconform.suite import Verdicts, check, error_body, success_data

LISTINGS = "/v1/listings"
UNKNOWN_LISTING = "/v1/listings/999999999"
INVALID_KEY = "apiconform-invalid-key-0000000000"


@pytest.mark.rule("coliving.auth.x-api-key-accepted")
def test_x_api_key_accepted(client, profile, headers):
    response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=headers(style="x-api-key"))
    success_data(profile, response, "GET /v1/listings with X-API-Key", status=200)


@pytest.mark.rule("coliving.auth.bearer-accepted")
def test_bearer_accepted(client, profile, headers):
    response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=headers(style="bearer"))
    success_data(profile, response, "GET /v1/listings with Authorization: Bearer", status=200)


@pytest.mark.rule("coliving.auth.missing-key-401", "coliving.auth.error-type-auth-error")
def test_missing_key(client, profile, target, verdicts: Verdicts):
    """A read and, where writes are allowed, a harmless write (an empty PATCH of an unknown id),
    both without a key."""
    responses = [("GET /v1/listings without a key", client.request("GET", LISTINGS))]
    if target.allow_writes:  # a valid body: the document does not order validation and authentication
        rename = {"name": f"{payloads.PREFIX}renamed"}
        responses.append(
            (
                "PATCH /v1/listings/{unknown} without a key",
                client.request("PATCH", UNKNOWN_LISTING, json=rename),
            )
        )
    for what, response in responses:
        with verdicts.check("coliving.auth.missing-key-401"):
            error_body(profile, response, what, status=401)
        with verdicts.check("coliving.auth.error-type-auth-error"):
            error_body(profile, response, what, status=401, error_type="auth_error")


@pytest.mark.rule("coliving.auth.invalid-key-401", "coliving.auth.error-type-auth-error")
def test_invalid_key(client, profile, verdicts: Verdicts):
    for what, sent in (
        ("an unknown X-API-Key", {"X-API-Key": INVALID_KEY}),
        ("an unknown Bearer key", {"Authorization": f"Bearer {INVALID_KEY}"}),
    ):
        response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=sent)
        with verdicts.check("coliving.auth.invalid-key-401"):
            error_body(profile, response, f"GET /v1/listings with {what}", status=401)
        with verdicts.check("coliving.auth.error-type-auth-error"):
            error_body(
                profile, response, f"GET /v1/listings with {what}", status=401, error_type="auth_error"
            )


@pytest.mark.rule("coliving.auth.inactive-key-401")
def test_inactive_key(client, profile, headers):
    response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=headers("api_key_inactive"))
    error_body(profile, response, "GET /v1/listings with an inactive key", status=401)


@pytest.mark.rule("coliving.auth.read-only-key-reads")
def test_read_only_key_reads(client, profile, headers):
    response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=headers("api_key_read_only"))
    success_data(profile, response, "GET /v1/listings with a key holding listings.read only", status=200)


@pytest.mark.rule("coliving.auth.missing-permission-403", "coliving.auth.forbidden-names-permission")
def test_missing_write_permission(client, profile, headers, kept_listing, verdicts: Verdicts):
    """POST and PATCH of the suite's own listing, with its current body, by a read-only key: a
    server that wrongly allows them changes nothing."""
    listing = kept_listing("permissions")
    read_only = headers("api_key_read_only")
    attempts = [
        (
            "POST /v1/listings with a read-only key",
            client.request("POST", LISTINGS, headers=read_only, json=listing.body),
        ),
        (
            "PATCH /v1/listings/{id} with a read-only key",
            client.request(
                "PATCH", f"{LISTINGS}/{listing.id}", headers=read_only, json={"name": listing.body["name"]}
            ),
        ),
    ]
    for what, response in attempts:
        with verdicts.check("coliving.auth.missing-permission-403"):
            error_body(profile, response, what, status=403, error_type="forbidden")
        with verdicts.check("coliving.auth.forbidden-names-permission"):
            body = error_body(profile, response, what, status=403)
            named = [
                item
                for item in profile.error_items(body)
                if item.get("path") == "required_permission" and item.get("message") == "listings.write"
            ]
            check(named, f"{what}: no errors[] item names the permission listings.write", response)


@pytest.mark.rule("coliving.auth.checked-before-validation")
def test_auth_before_validation(client, profile):
    """An invalid body (no email) without a key: 401, not 422. A server that serves it creates nothing."""
    response = client.request("POST", "/v1/users", json={"first_name": "apiconform"})
    error_body(profile, response, "POST /v1/users without a key and without email", status=401)
