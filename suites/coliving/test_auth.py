"""Authentication and permissions (coliving-api.txt: Authentication, Auth Examples, API Key
Features, the Responses of every endpoint).

Reads are probed on GET /v1/listings. The write probes (no key, an unknown key, the inactive key)
go to every documented write: POST /v1/users, /v1/bookings, /v1/bookings/{id}/messages and
/v1/listings, PATCH /v1/listings/{id}, and (without a key) POST
/v1/integrations/{provider}/provider-key. Each carries a valid body, as the document's examples
have it (a server may validate before it authenticates: silence point coliving.validation-order),
and each would change nothing or only add the suite's own data where a broken server serves it: a
new `apiconform-` user, a booking and a message of the suite's own, the sample listing with the
body it already has. They are writes all the same, so they run only with `allow_writes`.
"""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.providers.coliving import payloads, samples
from apiconform.suite import ApiResponse, SetupRefused, Verdicts, check, error_body, success_data

LISTINGS = "/v1/listings"
INVALID_KEY = "apiconform-invalid-key-0000000000"
UNKNOWN_PROVIDER = f"{payloads.PREFIX}no-such-provider"
#: query parameters a server might (wrongly) read an API key from
QUERY_KEY_NAMES = ("api_key", "apiKey", "key", "token")


def no_field_errors(profile, response: ApiResponse, what: str) -> None:
    """A 401's errors[] is empty, as the document's 401 example has it."""
    items = profile.error_items(response.json_or_none())
    check(not items, f"{what}: the 401 lists {len(items)} errors[] item(s), not []", response)


def refused_401(profile, response: ApiResponse, what: str) -> None:
    """401 auth_error with the error envelope and an empty errors[]."""
    error_body(profile, response, what, status=401, error_type="auth_error")
    no_field_errors(profile, response, what)


# --- reads -------------------------------------------------------------------------------------


@pytest.mark.rule("coliving.auth.x-api-key-accepted")
def test_x_api_key_accepted(plain_get, profile):
    success_data(profile, plain_get, "GET /v1/listings with X-API-Key", status=200)


@pytest.mark.rule("coliving.auth.bearer-accepted")
def test_bearer_accepted(client, profile, headers):
    """Also traced with X-Request-Id (the envelope rules look at its echo)."""
    sent = {**headers(style="bearer"), "X-Request-Id": f"{payloads.PREFIX}trace-{payloads.token()}"}
    response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=sent)
    success_data(profile, response, "GET /v1/listings with Authorization: Bearer", status=200)


@pytest.mark.rule("coliving.auth.missing-key-401", "coliving.auth.error-type-auth-error")
def test_missing_key(no_key_get, profile, verdicts: Verdicts):
    what = "GET /v1/listings without a key"
    with verdicts.check("coliving.auth.missing-key-401"):
        error_body(profile, no_key_get, what, status=401)
        no_field_errors(profile, no_key_get, what)
    with verdicts.check("coliving.auth.error-type-auth-error"):
        error_body(profile, no_key_get, what, status=401, error_type="auth_error")


@pytest.mark.rule("coliving.auth.invalid-key-401", "coliving.auth.error-type-auth-error")
def test_invalid_key(client, profile, verdicts: Verdicts):
    for what, sent in (
        ("an unknown X-API-Key", {"X-API-Key": INVALID_KEY}),
        ("an unknown Bearer key", {"Authorization": f"Bearer {INVALID_KEY}"}),
    ):
        response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=sent)
        with verdicts.check("coliving.auth.invalid-key-401"):
            error_body(profile, response, f"GET /v1/listings with {what}", status=401)
            no_field_errors(profile, response, f"GET /v1/listings with {what}")
        with verdicts.check("coliving.auth.error-type-auth-error"):
            error_body(
                profile, response, f"GET /v1/listings with {what}", status=401, error_type="auth_error"
            )


@pytest.mark.rule("coliving.auth.inactive-key-401")
def test_inactive_key(client, profile, headers):
    response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=headers("api_key_inactive"))
    error_body(profile, response, "GET /v1/listings with an inactive key", status=401)
    no_field_errors(profile, response, "GET /v1/listings with an inactive key")


@pytest.mark.rule("coliving.auth.expired-key-refused")
def test_expired_key(client, profile, headers):
    """ "Expiration: Optional expiration date": an expired key is not a valid key. The 401 row
    names missing, invalid and inactive keys only, so a 403 refusal passes too."""
    response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=headers("api_key_expired"))
    error_body(profile, response, "GET /v1/listings with an expired key", status=(401, 403))


@pytest.mark.rule("coliving.auth.read-only-key-reads")
def test_read_only_key_reads(client, profile, headers):
    response = client.request("GET", LISTINGS, params={"per_page": 1}, headers=headers("api_key_read_only"))
    success_data(profile, response, "GET /v1/listings with a key holding listings.read only", status=200)


@pytest.mark.rule("coliving.auth.no-listings-read-403")
def test_key_without_listings_read(client, profile, headers):
    response = client.request(
        "GET", LISTINGS, params={"per_page": 1}, headers=headers("api_key_no_listings_read")
    )
    error_body(
        profile,
        response,
        "GET /v1/listings with a key without listings.read",
        status=403,
        error_type="forbidden",
    )


@pytest.mark.rule("coliving.auth.query-key-refused")
def test_key_in_the_query_is_not_a_key(client, profile, target):
    """The key in the query string only (under the names servers commonly read), no header."""
    key = target.credentials["api_key"]
    params: dict[str, Any] = {name: key for name in QUERY_KEY_NAMES}
    response = client.request("GET", LISTINGS, params={**params, "per_page": 1})
    error_body(profile, response, "GET /v1/listings with the key in the query string only", status=401)


# --- writes ------------------------------------------------------------------------------------


def optional(request: pytest.FixtureRequest, name: str) -> Any:
    """The fixture `name`, or None when setting it up was refused (its own rules report that)."""
    try:
        return request.getfixturevalue(name)
    except SetupRefused:
        return None


@pytest.fixture(scope="module")
def write_probe(client, target, request):
    """`write_probe(headers, integrations=False)`: each documented write sent with `headers` (no
    key, an unknown or the inactive key) and a valid body, {what: response}; the booking-message
    endpoint only when the suite has a booking."""

    def probe(sent: dict[str, str], integrations: bool = False) -> dict[str, ApiResponse]:
        refs = request.getfixturevalue("booking_refs")
        sample = request.getfixturevalue("sample_listing")
        booking = optional(request, "booking_id")
        field = str(target.options.get("message_field", "message"))
        writes: list[tuple[str, str, str, Any]] = [
            ("POST /v1/users", "POST", "/v1/users", payloads.user_body()),
            ("POST /v1/bookings", "POST", "/v1/bookings", refs.body()),
            ("POST /v1/listings", "POST", LISTINGS, samples.sample_body()),
        ]
        if sample.id is not None:
            writes.append(
                ("PATCH /v1/listings/{id}", "PATCH", f"{LISTINGS}/{sample.id}", {"name": samples.SAMPLE_NAME})
            )
        if booking is not None:
            text = f"{payloads.PREFIX}message {payloads.token()}"
            path = f"/v1/bookings/{booking}/messages"
            writes.append(("POST /v1/bookings/{id}/messages", "POST", path, {field: text}))
        if integrations:
            path = f"/v1/integrations/{UNKNOWN_PROVIDER}/provider-key"
            body = {"provider_api_key": f"{payloads.PREFIX}provider-key"}
            writes.append(("POST /v1/integrations/{provider}/provider-key", "POST", path, body))
        return {
            what: client.request(method, path, headers=sent, json=body) for what, method, path, body in writes
        }

    return probe


@pytest.mark.rule("coliving.auth.write-missing-key-401")
def test_writes_without_a_key(write_probe, no_key_get, profile):
    """Every documented operation without a key: 401 (the integrations endpoint may refuse its
    unknown provider first, with its 404)."""
    refused_401(profile, no_key_get, "GET /v1/listings without a key")
    for what, response in write_probe({}, integrations=True).items():
        if what.startswith("POST /v1/integrations") and response.status_code == 404:
            error_body(profile, response, f"{what} without a key", status=404)
            continue
        refused_401(profile, response, f"{what} without a key")


@pytest.mark.rule("coliving.auth.write-invalid-key-401")
def test_writes_with_an_unknown_key(write_probe, profile):
    for what, response in write_probe({"X-API-Key": INVALID_KEY}).items():
        refused_401(profile, response, f"{what} with an unknown key")


@pytest.mark.rule("coliving.auth.write-inactive-key-401")
def test_writes_with_the_inactive_key(write_probe, headers, profile):
    for what, response in write_probe(headers("api_key_inactive")).items():
        refused_401(profile, response, f"{what} with an inactive key")


@pytest.mark.rule("coliving.auth.write-bearer-accepted")
def test_writes_take_bearer(request, profile):
    """The retries of POST /v1/users and /v1/bookings go with Authorization: Bearer alone (their
    sections say only "Authentication: API Key"); the run's new listing with X-API-Key and the
    "Optional: Bearer {api_key}" of its header table. (The duplicate booking message and one PATCH
    carry Bearer too: test_messages, test_patch.)"""
    for name, what in (
        ("user_retried", "POST /v1/users with Authorization: Bearer"),
        ("new_listing", "POST /v1/listings with X-API-Key and Authorization: Bearer"),
        ("booking_retried", "POST /v1/bookings with Authorization: Bearer"),
    ):
        response = request.getfixturevalue(name).response
        success_data(profile, response, what, status=(200, 201))


@pytest.mark.rule("coliving.auth.legacy-create-alias")
def test_legacy_create_permission(client, profile, headers):
    """A key whose write permission is a legacy `*.create` value (users.create) creates a user."""
    response = client.request(
        "POST", "/v1/users", headers=headers("api_key_legacy"), json=payloads.user_body()
    )
    success_data(profile, response, "POST /v1/users with a key holding users.create", status=(200, 201))


@pytest.mark.rule("coliving.auth.write-permissions")
def test_read_only_key_cannot_create_users_or_bookings(client, profile, headers, booking_refs, verdicts):
    read_only = headers("api_key_read_only")
    for what, path, body, permission in (
        ("POST /v1/users", "/v1/users", payloads.user_body(), "users.write"),
        ("POST /v1/bookings", "/v1/bookings", booking_refs.body(), "bookings.write"),
    ):
        response = client.request("POST", path, headers=read_only, json=body)
        with verdicts.check("coliving.auth.write-permissions"):
            error_body(profile, response, f"{what} with a read-only key", status=403, error_type="forbidden")
            named = [i.get("message") for i in profile.error_items(response.json_or_none())]
            check(permission in named, f"{what}: the 403 does not name {permission}", response)


@pytest.mark.rule("coliving.auth.missing-permission-403", "coliving.auth.forbidden-names-permission")
def test_missing_write_permission(client, profile, headers, sample_listing, verdicts: Verdicts):
    """POST and PATCH of the suite's sample listing, with the body it has, by a read-only key: a
    server that wrongly allows them changes nothing."""
    read_only = headers("api_key_read_only")
    attempts = [
        (
            "POST /v1/listings with a read-only key",
            client.request("POST", LISTINGS, headers=read_only, json=sample_listing.body),
        )
    ]
    if sample_listing.id is not None:
        attempts.append(
            (
                "PATCH /v1/listings/{id} with a read-only key",
                client.request(
                    "PATCH",
                    f"{LISTINGS}/{sample_listing.id}",
                    headers=read_only,
                    json={"name": sample_listing.body["name"]},
                ),
            )
        )
    for what, response in attempts:
        with verdicts.check("coliving.auth.missing-permission-403"):
            error_body(profile, response, what, status=403, error_type="forbidden")
        with verdicts.check("coliving.auth.forbidden-names-permission"):
            body = error_body(profile, response, what, status=403)
            named = [
                item
                for item in profile.error_items(body)
                if item.get("path") == "required_permission"
                and item.get("code") == "forbidden"
                and item.get("message") == "listings.write"
            ]
            check(
                named,
                f"{what}: no errors[] item is {{path required_permission, code forbidden, message "
                "listings.write}",
                response,
            )


@pytest.mark.rule("coliving.auth.checked-before-validation")
def test_auth_before_validation(client, profile):
    """An invalid body (no email) without a key: 401, not 422. A server that serves it creates nothing."""
    response = client.request("POST", "/v1/users", json={"first_name": "apiconform"})
    error_body(profile, response, "POST /v1/users without a key and without email", status=401)
