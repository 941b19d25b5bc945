"""What the LeadDesk server does with requests it must not take as they are (server.py,
campaigns.py): another content type asked for, a campaign attribute in another case, a relation to
nothing, a PATCH naming one relation, a relation removed one by one."""

from __future__ import annotations

import pytest

from tests.reference.leaddesk.helpers import C, P, S, TestClient, U, call, login, make, refs, related


@pytest.mark.parametrize(("variant", "status"), [("clean", 406), ("quirky", 400), ("alternate", 406)])
def test_another_content_type_asked_for_is_an_error(variant: str, status: int) -> None:
    c = make(variant=variant)  # type: ignore[arg-type]
    response = c.get(U, headers={**login(c), "Accept": "application/xml"})
    assert response.status_code == status and response.json()["error"] == "not_acceptable"
    assert c.get(U, headers={**login(c), "Accept": "text/html, application/json;q=0.5"}).status_code == 200


def test_a_key_in_another_case_is_ignored(c: TestClient) -> None:
    response = call(c, "PATCH", f"{C}/1", json={"Products": refs(3)})
    assert response.status_code == 204 and related(c, 1, "products") == [1, 2]


def test_the_alternate_refuses_a_key_in_another_case() -> None:
    a = make(variant="alternate")
    response = call(a, "PATCH", f"{C}/1", json={"Products": refs(3)})
    assert response.status_code == 422 and set(response.json()["error_validation"]) == {"Products"}


def test_a_relation_to_nothing_changes_nothing(c: TestClient) -> None:
    response = call(c, "PATCH", f"{C}/1", json={"products": refs(3, 999)})
    assert response.status_code == 422 and set(response.json()["error_validation"]) == {"products"}
    assert related(c, 1, "products") == [1, 2]


def test_a_patch_naming_one_relation_keeps_the_other(c: TestClient) -> None:
    assert call(c, "PATCH", f"{C}/1", json={"products": refs(3)}).status_code == 204
    assert related(c, 1, "users") == [1, 2] and related(c, 1, "products") == [3]


def test_a_user_is_removed_from_a_campaign_alone(c: TestClient) -> None:
    assert call(c, "DELETE", f"{C}/1/users/1").status_code == 204
    assert related(c, 1, "users") == [2]
    assert call(c, "GET", f"{U}/1").status_code == 200
    missing = call(c, "DELETE", f"{C}/1/users/1")
    assert missing.status_code == 404 and missing.json()["error"] == "campaign_user_not_found"
    assert call(c, "DELETE", f"{C}/1/products/2").status_code == 204
    assert related(c, 1, "products") == [1] and call(c, "GET", f"{P}/2").status_code == 200


def test_the_alternate_removes_users_but_not_products() -> None:
    a = make(variant="alternate")
    assert call(a, "DELETE", f"{S}/campaigns/1/users/1").status_code == 204
    assert call(a, "DELETE", f"{S}/campaigns/1/products/1").status_code == 405
