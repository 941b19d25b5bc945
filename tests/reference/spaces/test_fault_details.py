"""The Spaces faults beyond the generic cases: the rules each names, the plain listener's refusal of
an unknown fault, and the exact shapes the faults produce."""

from __future__ import annotations

import pytest

from apiconform.providers.spaces.faults import FAULTS
from tests.reference.spaces.helpers import (
    CUSTOMER_KEYS,
    TOKEN,
    L,
    basic,
    get,
    make,
    make_plain,
    order,
    page,
)

EXPECTED_RULES = {
    "basic-empty-password-rejected": ("spaces.auth.basic-accepted",),
    "bearer-only": ("spaces.auth.basic-accepted",),
    "missing-auth-served": ("spaces.auth.missing-401",),
    "missing-auth-403": ("spaces.auth.missing-401",),
    "invalid-token-served": ("spaces.auth.invalid-token-401",),
    "no-www-authenticate": ("spaces.auth.www-authenticate",),
    "plain-http-served": ("spaces.transport.https-only",),
    "plain-http-authenticated-served": ("spaces.transport.https-only",),
    "plain-http-redirect-with-data": ("spaces.transport.https-only",),
    "no-hsts": ("spaces.transport.hsts",),
    "list-bare-array": ("spaces.lists.shape",),
    "list-object-missing": ("spaces.lists.shape",),
    "has-more-string": ("spaces.lists.shape", "spaces.schema.list-response-conformance"),
    "limit-required": (
        "spaces.lists.shape",
        "spaces.pagination.default-limit",
        "spaces.schema.list-response-conformance",
    ),
    "cursor-required": ("spaces.schema.list-response-conformance",),
    "objects-without-id": ("spaces.lists.objects-have-id",),
    "default-limit-10": ("spaces.pagination.default-limit",),
    "limit-exceeded": ("spaces.pagination.limit-honoured",),
    "limit-off-by-one": ("spaces.pagination.full-pages", "spaces.pagination.forward-walk"),
    "limit-unbounded": ("spaces.pagination.limit-out-of-range", "spaces.pagination.limit-rejected-400"),
    "limit-above-max-served": (
        "spaces.pagination.limit-out-of-range",
        "spaces.pagination.limit-rejected-400",
    ),
    "limit-clamped": ("spaces.pagination.limit-rejected-400",),
    "starting-after-inclusive": ("spaces.pagination.forward-walk",),
    "starting-after-skips-one": ("spaces.pagination.forward-walk",),
    "starting-before-ignored": ("spaces.pagination.backward-walk",),
    "starting-before-as-after": ("spaces.pagination.backward-walk",),
    "has-more-always-true": ("spaces.pagination.has-more-exact",),
    "has-more-when-full": ("spaces.pagination.has-more-exact",),
    "has-more-backward-list-order": ("spaces.pagination.has-more-backward",),
    "order-depends-on-limit": ("spaces.pagination.order-independent-of-limit",),
    "both-cursors-500": ("spaces.pagination.both-cursors", "spaces.errors.no-server-error"),
    "unknown-cursor-first-page": ("spaces.pagination.unknown-cursor-400-404",),
    "unknown-cursor-500": ("spaces.pagination.unknown-cursor-400-404", "spaces.errors.no-server-error"),
    "garbage-cursor-500": ("spaces.pagination.unknown-cursor-400-404", "spaces.errors.no-server-error"),
    "unknown-cursor-422": ("spaces.pagination.unknown-cursor-400-404",),
    "unknown-customer-400": ("spaces.errors.unknown-resource-404",),
    "unknown-path-200": ("spaces.errors.unknown-resource-404",),
    "invalid-limit-ignored": ("spaces.errors.invalid-parameter-400",),
    "invalid-limit-422": ("spaces.errors.invalid-parameter-400", "spaces.schema.status-code-documented"),
    "errors-html": ("spaces.errors.json-body", "spaces.errors.json-media-type"),
    "errors-text-plain": ("spaces.errors.json-media-type",),
    "errors-no-message": ("spaces.errors.message",),
    "error-message-codes": ("spaces.errors.message-readable",),
    "error-message-constant": ("spaces.errors.message-readable",),
    "list-large-limit-500": ("spaces.schema.list-response-conformance", "spaces.errors.no-server-error"),
}


def test_every_fault_names_its_rules() -> None:
    assert {fault.name: fault.rules for fault in FAULTS} == EXPECTED_RULES


def test_the_plain_listener_refuses_unknown_fault_names() -> None:
    with pytest.raises(ValueError, match="unknown fault 'no-such-fault'"):
        make_plain(("no-such-fault",))


def test_fault_details() -> None:
    """Deviations the table does not show: the exact shapes the faults produce."""
    full = order()
    assert get(make(("basic-empty-password-rejected",)), headers=basic(TOKEN, "x")).status_code == 200
    forbidden = get(make(("missing-auth-403",)), headers={})
    assert forbidden.json()["message"].startswith("Authentication required")
    assert "www-authenticate" not in forbidden.headers
    assert get(make(("missing-auth-served",)), headers=basic("tok_unknown")).status_code == 401
    assert get(make(("invalid-token-served",)), headers={}).status_code == 401
    assert "www-authenticate" not in get(make(("no-www-authenticate",)), headers={}).headers
    assert page(make(("has-more-string",)), limit=20, starting_after=full[-21]) == (full[-20:], "false")
    without_id = get(make(("objects-without-id",)), limit=10).json()["data"]
    assert [("id" in item) for item in without_id] == [True] * 4 + [False] + [True] * 5  # the last keeps it
    assert list(without_id[4]) == CUSTOMER_KEYS[1:]
    assert get(make(("objects-without-id",)), f"{L}/{full[4]}").json()["id"] == full[4]  # lists only
    assert page(make(("default-limit-10",))) == (full[:10], True)
    off_by_one = make(("limit-off-by-one",))
    assert page(off_by_one, limit=5, starting_after=full[-6]) == (full[-5:-1], False)  # as if 5 were served
    assert page(off_by_one, limit=1) == (full[:1], True)
    unbounded = make(("limit-unbounded",))
    assert page(unbounded, limit=0) == ([], True) and page(unbounded, limit=-5) == ([], True)
    assert page(unbounded, limit=101) == (full[:101], True)
    assert page(unbounded, limit=1000) == (full, False)
    assert get(unbounded, limit="ten").status_code == 400
    clamped = make(("limit-clamped",))
    assert page(clamped, limit=0) == (full[:1], True) and page(clamped, limit=101) == (full[:100], True)
    assert page(make(("starting-after-inclusive",)), limit=3, starting_after=full[10])[0] == full[10:13]
    assert page(make(("starting-after-skips-one",)), limit=3, starting_after=full[10])[0] == full[12:15]
    assert page(make(("starting-before-ignored",)), limit=3, starting_before=full[10])[0] == full[:3]
    assert page(make(("starting-before-as-after",)), limit=3, starting_before=full[10])[0] == full[11:14]
    assert page(make(("has-more-always-true",)), starting_before=full[1]) == (full[:1], True)
    when_full = make(("has-more-when-full",))
    assert page(when_full, limit=5, starting_after=full[-6]) == (full[-5:], True)
    assert page(when_full, limit=5, starting_after=full[-5]) == (full[-4:], False)
    by_limit = make(("order-depends-on-limit",))
    assert page(by_limit, limit=49)[0] == sorted(full)[:49]
    assert page(by_limit, limit=50)[0] == full[:50] and page(by_limit)[0] == sorted(full)[:20]
    crashed = get(make(("both-cursors-500",)), starting_after=full[0], starting_before=full[5])
    assert crashed.status_code == 500 and crashed.json() == {"message": "An unexpected error occurred."}
    assert page(make(("unknown-cursor-first-page",)), limit=2, starting_before="cus_nope") == (full[:2], True)
    assert get(make(("unknown-cursor-500",)), starting_after="cus_nope").status_code == 500
    assert get(make(("unknown-customer-400",)), f"{L}/cus_nope").json() == {
        "message": "No such customer: cus_nope"
    }
    unknown_path = make(("unknown-path-200",))
    assert get(unknown_path, "/api/v1/nope").json() == {} and get(unknown_path, "/other").status_code == 404
    assert page(make(("invalid-limit-ignored",)), limit="ten") == (full[:20], True)
    assert get(make(("invalid-limit-ignored",)), limit=0).status_code == 400
    assert get(make(("invalid-limit-422",)), limit="1.5").json() == {"message": "limit must be an integer"}
    html_error = get(make(("errors-html",)), headers={})
    assert html_error.status_code == 401 and html_error.headers["content-type"].startswith("text/html")
    assert html_error.text.startswith("<!DOCTYPE html>") and html_error.headers["www-authenticate"]
    assert get(make(("errors-no-message",)), headers={}).json() == {}
    large = make(("list-large-limit-500",))
    assert get(large, limit=50).status_code == 200 and get(large, limit=100).status_code == 500


def test_fault_details_of_the_preflight_and_reading_faults() -> None:
    """The faults a preflight meets (bearer-only, list-bare-array) and those of the readings'
    SHOULDs and MUSTs added since (limit-exceeded, has-more-backward-list-order,
    errors-text-plain, plain-http-redirect-with-data)."""
    full = order()
    bearer = make(("bearer-only",))
    refused = get(bearer)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == 'Bearer realm="Spaces"'
    assert get(bearer, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert get(bearer, headers={"Authorization": "Bearer tok_unknown"}).status_code == 401
    bare = get(make(("list-bare-array",)), limit=2).json()
    assert [item["id"] for item in bare] == full[:2]
    assert page(make(("limit-exceeded",)), limit=5) == (full[:6], True)
    assert page(make(("has-more-backward-list-order",)), limit=3, starting_before=full[10]) == (
        full[7:10],
        True,
    )
    assert page(make(("has-more-backward-list-order",)), limit=3, starting_after=full[-4]) == (
        full[-3:],
        False,
    )
    text = get(make(("errors-text-plain",)), f"{L}/cus_nope")
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.json() == {"message": "No such customer: cus_nope"}
    redirect = make_plain(("plain-http-redirect-with-data",)).get(L, params={"limit": 2})
    assert (
        redirect.status_code == 301 and redirect.headers["location"] == f"https://spaces.test:8443{L}?limit=2"
    )
    assert [item["id"] for item in redirect.json()["data"]] == full[:2]
