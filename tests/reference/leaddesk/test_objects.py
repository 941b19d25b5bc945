"""The LeadDesk server's single objects (apiconform.providers.leaddesk.objects and wire): their
representation, and unknown or non-canonical ids.
"""

from __future__ import annotations

import pytest

from tests.reference.leaddesk.helpers import (
    ROOT,
    C,
    N,
    P,
    TestClient,
    U,
    refs,
    schema_errors,
)


def test_objects(c: TestClient, auth: dict[str, str]) -> None:
    user = c.get(f"{U}/1", headers=auth).json()
    assert user == {
        "id": 1,
        "username": "user-01",
        "email": "user-01@example.com",
        "created_at": "2018-12-30T16:18:40+02:00",
        "_links": {"self": f"{ROOT}/users/1", "custom_fields": f"{ROOT}/users/1/custom-fields"},
    }
    assert list(user) == ["id", "username", "email", "created_at", "_links"]
    product = c.get(f"{P}/2", headers=auth).json()
    assert list(product) == ["id", "name", "price", "created_at", "_links"]
    assert (product["name"], product["price"]) == ("Premium subscription", 4900)
    campaign = c.get(f"{C}/2", headers=auth).json()
    assert list(campaign) == ["id", "name", "created_at", "products", "users", "_links"]
    assert (campaign["products"], campaign["users"]) == (refs(3, 4), refs(3, 4))
    for name, body in (("user", user), ("product", product), ("campaign", campaign)):
        assert schema_errors(name, body) == []


@pytest.mark.parametrize(
    ("path", "code"),
    [
        (f"{U}/{N + 1}", "user_not_found"),
        (f"{U}/0", "user_not_found"),
        (f"{U}/abc", "user_not_found"),
        (f"{U}/01", "user_not_found"),
        (f"{U}/-1", "user_not_found"),
        (f"{U}/99999999999999999999999", "user_not_found"),
        (f"{P}/6", "product_not_found"),
        (f"{P}/1.0", "product_not_found"),
        (f"{C}/3", "campaign_not_found"),
        (f"{C}/3/users", "campaign_not_found"),
    ],
)
def test_unknown_ids_are_404(c: TestClient, auth: dict[str, str], path: str, code: str) -> None:
    response = c.get(path, headers=auth)
    assert (response.status_code, response.json()["error"]) == (404, code)
    assert schema_errors("error", response.json()) == []
