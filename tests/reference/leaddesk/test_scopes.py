"""The LeadDesk server's token limits and lifetimes (apiconform.providers.leaddesk.oauth): the
second API client without the special grants, the LeadDesk client number the special grants are
for, client_user tokens with the user's own scopes, read-only tokens kept read-only by a refresh,
and access tokens that expire (with refresh tokens that outlive them)."""

from __future__ import annotations

import time

import pytest

from tests.reference.leaddesk.helpers import (
    C,
    P,
    TestClient,
    U,
    bearer,
    call,
    grant,
    make,
    refresh,
    refs,
    related,
    token,
    viewer,
)

OTHER = {"client_id": "client-other", "client_secret": "secret-other"}


@pytest.mark.parametrize("kind", ["leaddesk_client_id", "client_user"])
def test_a_client_without_the_special_grants_is_refused_them(c: TestClient, kind: str) -> None:
    response = token(c, grant(kind, **OTHER))
    assert response.status_code == 400 and response.json()["error"] == "unauthorized_client"
    assert "access_token" not in response.json()


def test_the_second_client_still_takes_the_password_grant(c: TestClient) -> None:
    response = token(c, grant(**OTHER))
    assert response.status_code == 200
    assert c.get(U, headers=bearer(response.json()["access_token"])).status_code == 200


def test_the_alternate_refuses_a_special_grant_with_403() -> None:
    response = token(make(variant="alternate"), grant("client_user", **OTHER))
    assert response.status_code == 403 and response.json()["error"] == "access_denied"


@pytest.mark.parametrize("kind", ["leaddesk_client_id", "client_user"])
def test_another_leaddesk_client_is_refused(c: TestClient, kind: str) -> None:
    response = token(c, grant(kind, leaddesk_client_id=999999999))
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_client_user_token_has_the_users_scopes(c: TestClient) -> None:
    read_only = bearer(token(c, grant("client_user", username="viewer")).json()["access_token"])
    assert c.get(U, headers=read_only).status_code == 200
    assert c.post(P, headers=read_only, json={"name": "x"}).status_code == 403
    full = bearer(token(c, grant("client_user")).json()["access_token"])
    assert c.post(P, headers=full, json={"name": "x"}).status_code == 200


def test_a_refreshed_read_only_token_stays_read_only(c: TestClient) -> None:
    first = token(c, viewer()).json()
    second = refresh(c, first["refresh_token"]).json()
    headers = bearer(second["access_token"])
    assert c.get(U, headers=headers).status_code == 200
    assert c.patch(f"{C}/1", headers=headers, json={"products": refs(3)}).status_code == 403
    assert c.delete(f"{P}/1", headers=headers).status_code == 403
    assert related(c, 1, "products") == [1, 2]


def test_tokens_announce_the_configured_lifetime_and_expire() -> None:
    c = make(token_lifetime=0.2)
    body = token(c, grant()).json()
    assert body["expires_in"] == 1  # whole seconds, rounded up
    assert c.get(U, headers=bearer(body["access_token"])).status_code == 200
    time.sleep(0.3)
    expired = c.get(U, headers=bearer(body["access_token"]))
    assert expired.status_code == 401 and expired.json()["error"] == "invalid_token"
    renewed = refresh(c, body["refresh_token"])
    assert renewed.status_code == 200
    assert c.get(U, headers=bearer(renewed.json()["access_token"])).status_code == 200


def test_quirky_tokens_live_twice_the_documents_lifetime_but_keep_a_configured_one() -> None:
    assert token(make(quirky=True), grant()).json()["expires_in"] == 7200
    assert token(make(quirky=True, token_lifetime=2), grant()).json()["expires_in"] == 2


def test_read_only_tokens_may_not_delete_a_campaigns_user(c: TestClient) -> None:
    headers = bearer(token(c, viewer()).json()["access_token"])
    assert c.delete(f"{C}/1/users/1", headers=headers).status_code == 403
    assert related(c, 1, "users") == [1, 2]
    assert call(c, "DELETE", f"{C}/1/users/1").status_code == 204
