"""Write semantics (leaddesk-api.txt: POST/PATCH/DELETE; Response: id on create, 204 on modify;
DELETE 204 then 404; Operation mode: PATCH replaces, POST adds; Sub-resources).

A product is created, read, modified and deleted in one flow, so a run leaves no product behind;
the relation rules reuse one campaign named `apiconform-campaign` (created on the first run)."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from apiconform.checks.expect import check, expect_schema
from apiconform.checks.pagination import walk
from apiconform.schemastore import store
from apiconform.session import Verdicts

PRODUCTS, CAMPAIGNS = "/products", "/campaigns"
CAMPAIGN_NAME = "apiconform-campaign"


def body_of(response) -> dict[str, Any]:
    body = response.json_or_none()
    return body if isinstance(body, dict) else {}


@pytest.mark.rule(
    "leaddesk.writes.create-returns-id",
    "leaddesk.writes.modify-204",
    "leaddesk.writes.delete-204-then-404",
)
def test_product_lifecycle(client, bearer, verdicts: Verdicts):
    name = f"apiconform-product-{secrets.token_hex(4)}"
    created = client.request("POST", PRODUCTS, headers=bearer, json={"name": name, "price": 100})
    check(
        created.status_code in (200, 201), f"POST /products: HTTP {created.status_code}, not 200/201", created
    )
    expect_schema(store("leaddesk"), "created", created.json_or_none(), "POST /products", created)
    product = f"{PRODUCTS}/{body_of(created)['id']}"
    read = client.request("GET", product, headers=bearer)
    check(
        read.status_code == 200 and body_of(read).get("name") == name,
        f"GET {product} after the create: HTTP {read.status_code}, name {body_of(read).get('name')!r}",
        read,
    )
    with verdicts.check("leaddesk.writes.modify-204"):
        changed = client.request("PATCH", product, headers=bearer, json={"price": 250})
        check(changed.status_code == 204, f"PATCH {product}: HTTP {changed.status_code}, not 204", changed)
        check(not changed.content.strip(), f"PATCH {product}: the 204 has a body", changed)
        after = client.request("GET", product, headers=bearer)
        check(
            body_of(after).get("price") == 250,
            f"GET {product}: price {body_of(after).get('price')!r}, not 250",
            after,
        )
    with verdicts.check("leaddesk.writes.delete-204-then-404"):
        deleted = client.request("DELETE", product, headers=bearer)
        check(deleted.status_code == 204, f"DELETE {product}: HTTP {deleted.status_code}, not 204", deleted)
        check(not deleted.content.strip(), f"DELETE {product}: the 204 has a body", deleted)
        gone = client.request("GET", product, headers=bearer)
        check(gone.status_code == 404, f"GET {product} after DELETE: HTTP {gone.status_code}, not 404", gone)
        again = client.request("DELETE", product, headers=bearer)
        check(
            again.status_code == 404, f"a second DELETE {product}: HTTP {again.status_code}, not 404", again
        )


@pytest.fixture(scope="module")
def campaign(client, profile, bearer) -> str:
    """The path of the suite's campaign (found by name, or created once)."""

    def fetch(number: int):
        return client.request("GET", CAMPAIGNS, headers=bearer, params={"per_page": 500, "page": number})

    for item in walk(fetch, profile.parse_page).items:
        if isinstance(item, dict) and item.get("name") == CAMPAIGN_NAME:
            return f"{CAMPAIGNS}/{item.get('id')}"
    created = client.request("POST", CAMPAIGNS, headers=bearer, json={"name": CAMPAIGN_NAME})
    check(created.status_code in (200, 201), f"POST /campaigns: HTTP {created.status_code}", created)
    return f"{CAMPAIGNS}/{body_of(created).get('id')}"


@pytest.fixture(scope="module")
def related_ids(client, profile, bearer, reference) -> dict[str, list[Any]]:
    """Three product ids and three user ids to attach."""
    products = client.request("GET", PRODUCTS, headers=bearer, params={"per_page": 3})
    product_ids = [i.get("id") for i in profile.parse_page(products)[0] if isinstance(i, dict)]
    user_ids = [i.get("id") for i in reference.items[:3] if isinstance(i, dict)]
    if len(product_ids) < 3 or len(user_ids) < 3:
        pytest.skip("the account needs three products and three users to attach")
    return {"products": product_ids, "users": user_ids}


def attached(client, bearer, campaign: str, relation: str) -> list[Any]:
    response = client.request("GET", campaign, headers=bearer)
    check(response.status_code == 200, f"GET {campaign}: HTTP {response.status_code}", response)
    value = body_of(response).get(relation)
    return (
        sorted((item.get("id") for item in value if isinstance(item, dict)), key=str)
        if isinstance(value, list)
        else []
    )


def refs(ids: list[Any]) -> list[dict[str, Any]]:
    return [{"id": value} for value in ids]


def expect_change(response, what: str) -> None:
    check(200 <= response.status_code < 300, f"{what}: HTTP {response.status_code}", response)


@pytest.mark.rule("leaddesk.writes.patch-array-replaces", "leaddesk.writes.post-adds")
def test_patch_replaces_and_post_adds(client, bearer, campaign, related_ids, verdicts: Verdicts):
    p1, p2, p3 = related_ids["products"]
    with verdicts.check("leaddesk.writes.patch-array-replaces"):
        for ids in ([p1, p2], [p3]):
            response = client.request("PATCH", campaign, headers=bearer, json={"products": refs(ids)})
            expect_change(response, f"PATCH {campaign} products {ids}")
            now = attached(client, bearer, campaign, "products")
            check(now == sorted(ids, key=str), f"after PATCH products {ids} the campaign has {now}", response)
    with verdicts.check("leaddesk.writes.post-adds"):
        client.request("PATCH", campaign, headers=bearer, json={"products": refs([p3])})
        for _ in range(2):  # the second POST re-adds an attached product: a no-op
            response = client.request("POST", campaign, headers=bearer, json={"products": refs([p1])})
            expect_change(response, f"POST {campaign} products [{p1}]")
            now = attached(client, bearer, campaign, "products")
            want = sorted([p1, p3], key=str)
            check(
                now == want,
                f"after POST products [{p1}] onto [{p3}] the campaign has {now}, not {want}",
                response,
            )


@pytest.mark.rule("leaddesk.writes.subresource-patch")
def test_subresource_patch(client, bearer, campaign, related_ids):
    u1, u2, u3 = related_ids["users"]
    response = client.request("PATCH", campaign, headers=bearer, json={"users": refs([u3])})
    expect_change(response, f"PATCH {campaign} users [{u3}]")
    response = client.request("PATCH", f"{campaign}/users", headers=bearer, json=refs([u1, u2]))
    expect_change(response, f"PATCH {campaign}/users [{u1}, {u2}]")
    now = attached(client, bearer, campaign, "users")
    want = sorted([u1, u2], key=str)
    check(
        now == want,
        f"PATCH {campaign}/users [{u1}, {u2}] left users {now}, as PATCH on the parent would {want}",
        response,
    )
