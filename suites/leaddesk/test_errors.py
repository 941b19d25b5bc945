"""Errors (leaddesk-api.txt: HTTP statuses; Error example; Validation error; Commonly used status
codes 400, 404, 405, 415, 422).

Where the document hedges, the MUST takes every reading and a SHOULD asks for the plain one: a GET
of an unknown id is refused with some 4xx (404 is "usually returned"); a body whose Content-Type is
not JSON is refused with some 4xx (415 is stated only for a malformed JSON body); a create missing
its mandatory fields gets 400 ("lacking some mandatory fields") or 422 (a validation error). The
document spells one case out whole: per_page=0 gets 422 with error_validation naming per_page.
Error codes are examples in the document (user_not_found, validation_failed): no rule demands a
particular one, but the same error keeps its id and different errors have their own (a SHOULD)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from apiconform.providers.leaddesk import probes
from apiconform.providers.leaddesk.profile import USERS_PATH
from apiconform.suite import (
    ApiResponse,
    Verdicts,
    check,
    error_shape,
    judge_recorded,
)


def error_id(response: ApiResponse) -> Any:
    body = response.json_or_none()
    return body.get("error") if isinstance(body, dict) else None


@pytest.mark.rule(
    "leaddesk.errors.validation-422",
    "leaddesk.errors.not-found-refused",
    "leaddesk.errors.not-found-status-404",
    "leaddesk.errors.shape",
    "leaddesk.errors.error-ids",
)
def test_error_statuses(client, profile, bearer, verdicts: Verdicts):
    invalid = client.request("GET", USERS_PATH, headers=bearer, params={"per_page": 0})
    what = "GET /users?per_page=0"
    with verdicts.check("leaddesk.errors.validation-422"):  # the document's validation example
        check(invalid.status_code == 422, f"{what}: HTTP {invalid.status_code}, not 422", invalid)
        details = probes.validation_details(invalid)
        check(
            probes.names_field(details, ["per_page"]),
            f"{what}: error_validation {details!r} does not name per_page",
            invalid,
        )
    path = f"{USERS_PATH}/{probes.UNKNOWN_ID}"
    missing = client.request("GET", path, headers=bearer)
    with verdicts.check("leaddesk.errors.not-found-refused"):
        check(400 <= missing.status_code < 500, f"GET {path}: HTTP {missing.status_code}, not a 4xx", missing)
        error_shape(profile, missing, f"GET {path}: the error body")
    with verdicts.check("leaddesk.errors.not-found-status-404"):
        check(missing.status_code == 404, f"GET {path}: HTTP {missing.status_code}, not 404", missing)
    for response, label in ((invalid, what), (missing, f"GET {path}")):
        if response.status_code >= 400:
            with verdicts.check("leaddesk.errors.shape"):
                error_shape(profile, response, f"{label}: the error body")
    again = client.request("GET", path, headers=bearer)
    with verdicts.check("leaddesk.errors.error-ids"):
        first, second, other = error_id(missing), error_id(again), error_id(invalid)
        check(
            first == second,
            f"GET {path} twice: error {first!r}, then {second!r} (same error should always return same id)",
            missing,
            again,
        )
        check(
            first != other,
            f"a not-found (GET {path}) and a validation error ({what}) share the error id {first!r}",
            missing,
            invalid,
        )


@pytest.mark.late  # a target that takes the request may act on the token (e.g. revoke it): run last
@pytest.mark.rule("leaddesk.errors.method-not-allowed-405")
def test_method_not_allowed(client, bearer, settings):
    """not_allowed_request (default DELETE /oauth/access-token, which the document shows with POST
    only: a resource that cannot be deleted, and harmless if it could), sent with the suite's
    access token and no body."""
    method, path = settings.not_allowed_request
    response = client.request(method, path, headers=bearer)
    what = f"{method} {path}"
    if 200 <= response.status_code < 300:
        pytest.skip(
            f"the target takes {what} (HTTP {response.status_code}), an operation the document does not "
            "show: set not_allowed_request to a method and path the target does not allow"
        )
    check(response.status_code == 405, f"{what}: HTTP {response.status_code}, not 405", response)


@pytest.mark.rule(
    "leaddesk.errors.unsupported-media-415",
    "leaddesk.errors.non-json-415",
    "leaddesk.writes.missing-field-refused",
)
def test_refused_creates(client, profile, bearer, settings, verdicts: Verdicts):
    """The configured create with a malformed JSON body (415, stated; nothing created), as
    text/plain ("usually" refused: 415 and nothing created is a SHOULD, since a server that reads
    other formats may take it), and as {} (the create_body without its fields: 400 or 422, a 422
    naming a field of create_body in error_validation; which fields are mandatory is not
    documented, so a target that creates an object from {} has none there: the rule is skipped,
    and the object deleted again)."""
    path = settings.write_collection
    before, _ = probes.collection_size(client, profile, bearer, path)
    body = settings.new_body()
    malformed = client.request(
        "POST", path, headers={**bearer, "Content-Type": "application/json"}, content=json.dumps(body)[:-1]
    )
    if malformed.status_code in probes.NOT_SUPPORTED:
        probes.create_refused(malformed, settings, f"POST {path}")
    plain = client.request(
        "POST", path, headers={**bearer, "Content-Type": "text/plain"}, content=urlencode(body)
    )
    empty = client.request("POST", path, headers=bearer, json={})
    taken = 200 <= empty.status_code < 300
    if taken and probes.id_of(empty) is not None:  # no mandatory field: the suite's object goes again
        client.request("DELETE", f"{path}/{probes.id_of(empty)}", headers=bearer)
        taken = False
    after, listing = probes.collection_size(client, profile, bearer, path)
    with verdicts.check("leaddesk.writes.missing-field-refused"):
        what = f"POST {path} {{}} (create_body without its fields)"
        status = empty.status_code
        if 200 <= status < 300:
            pytest.skip(
                f"{what} created an object (HTTP {status}): no field of create_body is mandatory there"
            )
        check(status in (400, 422), f"{what}: HTTP {status}, not 400 or 422", empty)
        error_shape(profile, empty, what)
        if empty.status_code == 422:  # "error object will also contain error_validation"
            details = probes.validation_details(empty)
            fields = sorted(settings.create_body)
            check(
                probes.names_field(details, fields),
                f"{what}: error_validation {details!r} names none of the missing fields {fields}",
                empty,
            )
    with verdicts.check("leaddesk.errors.unsupported-media-415"):
        check(
            malformed.status_code == 415,
            f"POST {path} with a malformed JSON body: HTTP {malformed.status_code}, not 415",
            malformed,
        )
        # the malformed body creates nothing; a text/plain body read as data may add one object
        read = (1 if 200 <= plain.status_code < 300 else 0) + taken
        check(
            before <= after <= before + read,
            f"POST {path} with a malformed JSON body: the collection held {before} objects before and "
            f"{after} after{' (the text/plain create may add one)' if read else ''}",
            malformed,
            plain,
            listing,
        )
    with verdicts.check("leaddesk.errors.non-json-415"):
        check(
            plain.status_code == 415,
            f"POST {path} with a text/plain body: HTTP {plain.status_code}, not 415",
            plain,
        )
        probes.check_unchanged(before, after - taken, f"the refused POST {path}s", malformed, plain, listing)


@pytest.mark.observer
@pytest.mark.rule("leaddesk.errors.shape", "leaddesk.errors.no-server-error")
def test_every_error_of_the_run(client, target, verdicts: Verdicts):
    """Every exchange of the session so far (this test runs last), as `apiconform check` does."""
    rules = ("leaddesk.errors.shape", "leaddesk.errors.no-server-error")
    base_url = target.masker.mask(target.base_url)
    judge_recorded(target.profile, client.exchanges, base_url, target.masker, verdicts, rules)
