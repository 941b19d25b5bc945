"""The LeadDesk server's products (apiconform.providers.leaddesk.products): create, patch, delete,
and the validation of name and price.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.reference.leaddesk.helpers import (
    ISO,
    P,
    TestClient,
    ids,
    schema_errors,
)


def test_product_lifecycle(c: TestClient, auth: dict[str, str]) -> None:
    created = c.post(P, headers=auth, json={"name": "Widget", "price": 100})
    assert (created.status_code, created.json()) == (200, {"id": 6})
    assert schema_errors("created", created.json()) == []
    product = c.get(f"{P}/6", headers=auth).json()
    assert (product["name"], product["price"]) == ("Widget", 100) and ISO.fullmatch(product["created_at"])
    changed = c.patch(f"{P}/6", headers=auth, json={"price": 250})
    assert (changed.status_code, changed.content) == (204, b"")
    assert "content-type" not in changed.headers
    product = c.get(f"{P}/6", headers=auth).json()
    assert (product["name"], product["price"]) == ("Widget", 250)
    assert c.patch(f"{P}/6", headers=auth, json={"name": "Gadget", "other": 1}).status_code == 204
    assert c.get(f"{P}/6", headers=auth).json()["name"] == "Gadget"
    deleted = c.delete(f"{P}/6", headers=auth)
    assert (deleted.status_code, deleted.content, "content-type" in deleted.headers) == (204, b"", False)
    for method in ("GET", "DELETE", "PATCH"):
        gone = c.request(method, f"{P}/6", headers=auth, json={} if method == "PATCH" else None)
        assert (gone.status_code, gone.json()["error"]) == (404, "product_not_found")
    assert c.post(P, headers=auth, json={"name": "Next"}).json() == {"id": 7}  # ids are never reused
    assert c.get(f"{P}/7", headers=auth).json()["price"] == 0


INVALID_PRODUCTS = [
    ({}, {"name": ["The name field is required."]}),
    ({"name": ""}, {"name": ["The name field is required."]}),
    ({"name": None}, {"name": ["The name field is required."]}),
    ({"name": 5}, {"name": ["The name must be a string."]}),
    ({"name": "x" * 256}, {"name": ["The name may not be greater than 255 characters."]}),
    ({"name": "\ud800"}, {"name": ["The name must be valid UTF-8 text."]}),
    ({"name": "x", "price": -1}, {"price": ["The price must be at least 0."]}),
    ({"name": "x", "price": "5"}, {"price": ["The price must be an integer."]}),
    ({"name": "x", "price": 1.5}, {"price": ["The price must be an integer."]}),
    ({"name": "x", "price": True}, {"price": ["The price must be an integer."]}),
    ({"name": "x", "price": None}, {"price": ["The price must be an integer."]}),
    (
        {"price": -5},
        {"name": ["The name field is required."], "price": ["The price must be at least 0."]},
    ),
]


@pytest.mark.parametrize(("body", "problems"), INVALID_PRODUCTS)
def test_invalid_products_are_422(
    c: TestClient, auth: dict[str, str], body: dict[str, Any], problems: dict[str, list[str]]
) -> None:
    headers = {**auth, "Content-Type": "application/json"}
    response = c.post(P, headers=headers, content=json.dumps(body))
    assert (response.status_code, response.json()["error_validation"]) == (422, problems)
    patched = c.patch(f"{P}/1", headers=headers, content=json.dumps({"name": "x", **body}))
    assert patched.status_code == (204 if set(problems) == {"name"} and "name" not in body else 422)
    assert ids(c.get(P, headers=auth)) == [1, 2, 3, 4, 5]
    assert c.get(f"{P}/1", headers=auth).json()["price"] == 1900


def test_invalid_patch_changes_nothing(c: TestClient, auth: dict[str, str]) -> None:
    before = c.get(f"{P}/1", headers=auth).json()
    for body in ({"name": ""}, {"price": -1}, {"name": "ok", "price": "1"}):
        assert c.patch(f"{P}/1", headers=auth, json=body).status_code == 422
    assert c.get(f"{P}/1", headers=auth).json() == before
