"""Access tokens on resources (leaddesk-api.txt: Access token; 401 Unauthorized; 403 Forbidden,
e.g. creation with read-only token)."""

from __future__ import annotations

import secrets

import pytest

from apiconform.checks.expect import check, expect_schema
from apiconform.providers.leaddesk.profile import USERS_PATH, request_token
from apiconform.schemastore import store
from apiconform.session import Verdicts

PRODUCTS = "/products"


def total_of(response) -> object:
    body = response.json_or_none()
    meta = body.get("_meta") if isinstance(body, dict) else None
    return meta.get("total") if isinstance(meta, dict) else None


@pytest.mark.rule("leaddesk.auth.missing-token-401", "leaddesk.auth.invalid-token-401")
def test_requests_without_a_valid_token(client, verdicts: Verdicts):
    probes = [
        ("leaddesk.auth.missing-token-401", "without a token", {}),
        (
            "leaddesk.auth.invalid-token-401",
            "with an unknown token",
            {"Authorization": f"Bearer apiconform-unknown-{secrets.token_hex(8)}"},
        ),
    ]
    for rule, what, headers in probes:
        response = client.request("GET", USERS_PATH, headers=headers, params={"per_page": 1})
        with verdicts.check(rule):
            check(response.status_code == 401, f"GET /users {what}: HTTP {response.status_code}", response)
            expect_schema(store("leaddesk"), "error", response.json_or_none(), f"GET /users {what}", response)


@pytest.mark.rule("leaddesk.auth.read-only-write-403")
def test_read_only_user_cannot_create(client, grant, bearer):
    read_only = request_token(client, grant(read_only=True))
    check(read_only.access_token is not None, "the read-only user got no access token", read_only.response)
    before = client.request("GET", PRODUCTS, headers=bearer, params={"per_page": 1})
    name = f"apiconform-forbidden-{secrets.token_hex(4)}"
    response = client.request("POST", PRODUCTS, headers=read_only.headers, json={"name": name})
    check(
        response.status_code == 403,
        f"POST /products with a read-only token: HTTP {response.status_code}",
        response,
    )
    after = client.request("GET", PRODUCTS, headers=bearer, params={"per_page": 1})
    check(total_of(before) == total_of(after), "the refused create still added a product", before, after)
