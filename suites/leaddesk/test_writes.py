"""Write semantics (leaddesk-api.txt: POST/PATCH/DELETE; Response: id on create, 204 on modify;
DELETE 204 then 404; Operation mode: PATCH replaces, POST adds; Sub-resources).

Which resources exist and which methods each takes is not documented; the document shows `POST
/users {"username": ...}`, `DELETE /users/123`, `DELETE /products/12345`, PATCH and POST on
`/campaigns/{id}` and PATCH on `/campaigns/{id}/users`. So:
- one object per run is created in `write_collection` (default `/users`) with `create_body`
  (default the document's `{"username": ...}`), read, and deleted again;
- the relation rules use the campaign `campaign_id` names, else the suite's own campaign
  (`apiconform-campaign`, found in GET /campaigns or created by POST /campaigns); a target that
  answers either with "not supported" skips them, naming `campaign_id`. A configured campaign's
  products and users are restored afterwards (as far as PATCH can restore them);
- the products attached are `product_ids`, else the first three of GET /products; the users, the
  first three of GET /users.
How a campaign's products and users are read back is not documented either: from the campaign
object's `products` and `users` (ids or objects with an id), else from GET of its sub-resources
(an array or a collection)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from apiconform.providers.leaddesk import probes, shapes
from apiconform.providers.leaddesk.profile import Settings
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Profile,
    Verdicts,
    check,
    expect_schema,
    setup_refused,
    skip_unsupported,
    store,
    walk,
)

CAMPAIGNS, PRODUCTS = "/campaigns", "/products"
CAMPAIGN_NAME = "apiconform-campaign"
RELATIONS = ("products", "users")


def refs(ids: list[Any]) -> list[dict[str, Any]]:
    return [{"id": value} for value in ids]


def ordered(ids: list[Any]) -> list[str]:
    """Ids as comparable text (a config may name as strings what the target answers as numbers)."""
    return sorted(str(value) for value in ids)


def expect_change(response: ApiResponse, what: str) -> None:
    """A write on the campaign answers a 2xx; a refusal for a documented reason (400, 403, 422) means
    the suite could not exercise the rule (error, naming what the target refused)."""
    status = response.status_code
    if status in (400, 403, 422):
        fields = probes.refused_fields(response)
        named = f"; the target refused {', '.join(fields)}" if fields else ""
        setup_refused(f"{what} was refused with HTTP {status}{named}", response)
    check(200 <= status < 300, f"{what}: HTTP {status}", response)


# --- the suite's own object: create, read, delete -------------------------------------------------


@pytest.fixture(scope="module")
def created(client: ApiClient, bearer: dict[str, str], settings: Settings) -> ApiResponse:
    """The response to the suite's one create of the run."""
    return probes.create(client, bearer, settings, f"POST {settings.write_collection}")


@pytest.mark.rule("leaddesk.writes.create-returns-id")
def test_create_returns_id(client, bearer, settings, created):
    path = settings.write_collection
    check(created.status_code in (200, 201), f"POST {path}: HTTP {created.status_code}, not 200/201", created)
    expect_schema(store("leaddesk"), "created", created.json_or_none(), f"POST {path}", created)
    new = f"{path}/{probes.id_of(created)}"
    read = client.request("GET", new, headers=bearer)
    check(200 <= read.status_code < 300, f"GET {new} after the create: HTTP {read.status_code}", read)
    read_id = probes.id_of(read)
    check(
        read_id is None or str(read_id) == str(probes.id_of(created)),
        f"GET {new} answers the object {read_id!r}",
        read,
    )


@pytest.mark.rule("leaddesk.writes.delete-204-then-404")
def test_delete(client, bearer, settings, created):
    object_id = probes.id_of(created)
    if not 200 <= created.status_code < 300 or object_id is None:
        setup_refused("the suite's create gave no id, so there is nothing to delete", created)
    path = f"{settings.write_collection}/{object_id}"
    deleted = client.request("DELETE", path, headers=bearer)
    check(deleted.status_code == 204, f"DELETE {path}: HTTP {deleted.status_code}, not 204", deleted)
    check(not deleted.content.strip(), f"DELETE {path}: the 204 has a body", deleted)
    gone = client.request("GET", path, headers=bearer)
    check(
        400 <= gone.status_code < 500,
        f"GET {path} after DELETE: HTTP {gone.status_code}, not a 4xx (404 is usual)",
        gone,
    )
    again = client.request("DELETE", path, headers=bearer)
    check(again.status_code == 404, f"a second DELETE {path}: HTTP {again.status_code}, not 404", again)


# --- the campaign and its relations ----------------------------------------------------------------


class Campaign:
    """A campaign's path and how to read its relations (found out once, then reused)."""

    def __init__(self, client: ApiClient, headers: dict[str, str], path: str) -> None:
        self.client, self.headers, self.path = client, headers, path
        self.from_subresource: dict[str, bool] = {}

    def ids(self, relation: str) -> tuple[list[Any], ApiResponse]:
        """The ids of the campaign's `relation` and the response they came from; the test errors
        when the target shows them in neither documented-compatible way."""
        if not self.from_subresource.get(relation):
            response = self.client.request("GET", self.path, headers=self.headers)
            body = response.json_or_none()
            found = shapes.related_ids(body.get(relation)) if isinstance(body, dict) else None
            if found is not None and 200 <= response.status_code < 300:
                return found, response
            self.from_subresource[relation] = True
        response = self.client.request(
            "GET", f"{self.path}/{relation}", headers=self.headers, params={"per_page": 500}
        )
        found = shapes.related_ids(response.json_or_none())
        if found is None or not 200 <= response.status_code < 300:
            setup_refused(
                f"the campaign's {relation} cannot be read: GET {self.path} has no {relation} and "
                f"GET {self.path}/{relation} answered HTTP {response.status_code} without a list",
                response,
            )
        return found, response


def own_campaign(client: ApiClient, profile: Profile, headers: dict[str, str]) -> str:
    """The path of the suite's campaign: found by name, or created once."""
    listing = client.request("GET", CAMPAIGNS, headers=headers, params={"per_page": 500})
    if listing.status_code in probes.NOT_SUPPORTED:
        skip_unsupported("listing campaigns to find the suite's own (GET /campaigns)", listing, "campaign_id")
    if not 200 <= listing.status_code < 300:
        setup_refused(f"GET {CAMPAIGNS} answered HTTP {listing.status_code}", listing)

    def fetch(number: int) -> ApiResponse:
        if number == 1:
            return listing
        return client.request("GET", CAMPAIGNS, headers=headers, params={"per_page": 500, "page": number})

    for item in walk(fetch, profile.parse_page).items:
        if isinstance(item, dict) and item.get("name") == CAMPAIGN_NAME:
            return f"{CAMPAIGNS}/{item.get('id')}"
    created = client.request("POST", CAMPAIGNS, headers=headers, json={"name": CAMPAIGN_NAME})
    if created.status_code in probes.NOT_SUPPORTED:
        skip_unsupported("creating the suite's campaign (POST /campaigns)", created, "campaign_id")
    if not 200 <= created.status_code < 300 or probes.id_of(created) is None:
        setup_refused(f"POST {CAMPAIGNS} answered HTTP {created.status_code} without an id", created)
    return f"{CAMPAIGNS}/{probes.id_of(created)}"


@pytest.fixture(scope="module")
def campaign(
    client: ApiClient, profile: Profile, bearer: dict[str, str], settings: Settings
) -> Iterator[Campaign]:
    """The campaign the relation rules change (see the module docstring)."""
    if settings.campaign_id is None:
        yield Campaign(client, bearer, own_campaign(client, profile, bearer))
        return
    configured = Campaign(client, bearer, f"{CAMPAIGNS}/{settings.campaign_id}")
    original = {relation: configured.ids(relation)[0] for relation in RELATIONS}
    yield configured
    client.request(
        "PATCH", configured.path, headers=bearer, json={r: refs(ids) for r, ids in original.items()}
    )


@pytest.fixture(scope="module")
def product_ids(client: ApiClient, profile: Profile, bearer: dict[str, str], settings: Settings) -> list[Any]:
    """Three products to attach: product_ids, else the first three of GET /products."""
    if settings.product_ids is not None:
        return list(settings.product_ids[:3])
    listing = client.request("GET", PRODUCTS, headers=bearer, params={"per_page": 3})
    if listing.status_code in probes.NOT_SUPPORTED:
        skip_unsupported("listing products to attach (GET /products)", listing, "product_ids")
    found = [shapes.item_id(item) for item in profile.parse_page(listing)[0]]
    if len(found) < 3:
        pytest.skip("the account needs three products to attach (or set product_ids)")
    return found[:3]


@pytest.fixture(scope="module")
def user_ids(reference: Any) -> list[Any]:
    """Three users to attach: the first three of GET /users."""
    found = [shapes.item_id(item) for item in reference.items[:3]]
    if len(found) < 3:
        pytest.skip("the account needs three users to attach")
    return found


@pytest.mark.rule(
    "leaddesk.writes.modify-applied",
    "leaddesk.writes.modify-no-content",
    "leaddesk.writes.patch-array-replaces",
    "leaddesk.writes.post-adds",
)
def test_patch_replaces_and_post_adds(client, bearer, campaign, product_ids, verdicts: Verdicts):
    """PATCH {products: [p1, p2]}, then [p3] (the document's example: "Previously attached
    products will be removed"); then POST {products: [p1]} twice (added once, "If these products are
    already attached, then the command does nothing")."""
    p1, p2, p3 = product_ids
    states = []
    for ids in ([p1, p2], [p3]):
        what = f"PATCH {campaign.path} products {ids}"
        response = client.request("PATCH", campaign.path, headers=bearer, json={"products": refs(ids)})
        expect_change(response, what)
        now, read = campaign.ids("products")
        states.append(now)
        with verdicts.check("leaddesk.writes.modify-applied"):
            check(set(map(str, ids)) <= set(map(str, now)), f"after {what} the campaign has {now}", read)
        with verdicts.check("leaddesk.writes.modify-no-content"):
            check(response.status_code == 204, f"{what}: HTTP {response.status_code}, not 204", response)
            check(not response.content.strip(), f"{what}: the 204 has a body", response)
        with verdicts.check("leaddesk.writes.patch-array-replaces"):
            check(ordered(now) == ordered(ids), f"after {what} the campaign has {now}, not only {ids}", read)
    with verdicts.check("leaddesk.writes.post-adds"):
        before = states[-1]
        want = ordered(before if str(p1) in map(str, before) else [*before, p1])
        for attempt in ("", " again"):  # the second POST re-adds an attached product: a no-op
            what = f"POST {campaign.path} products [{p1}]{attempt}"
            response = client.request("POST", campaign.path, headers=bearer, json={"products": refs([p1])})
            expect_change(response, what)
            now, read = campaign.ids("products")
            check(ordered(now) == want, f"after {what} onto {before} the campaign has {now}", read)


@pytest.mark.rule("leaddesk.writes.subresource-patch")
def test_subresource_patch(client, bearer, campaign, user_ids):
    """From users holding u1 and u2: PATCH /users [u3] on the sub-resource, then PATCH {users: [u3]}
    on the campaign. The sub-resource request is "identical" to the campaign's, and a PATCH with
    the same entries again changes nothing whether PATCH replaces the users or changes only the
    given entries: so both leave the same users, which hold u3."""
    u1, u2, u3 = user_ids
    parent = {"users": refs([u1, u2])}
    expect_change(
        client.request("PATCH", campaign.path, headers=bearer, json=parent), f"PATCH {campaign.path}"
    )
    what = f"PATCH {campaign.path}/users [{u3}]"
    response = client.request("PATCH", f"{campaign.path}/users", headers=bearer, json=refs([u3]))
    expect_change(response, what)
    via_sub, read = campaign.ids("users")
    check(str(u3) in map(str, via_sub), f"after {what} the campaign's users are {via_sub}", read)
    again = f"PATCH {campaign.path} {{users: [{u3}]}}"
    expect_change(client.request("PATCH", campaign.path, headers=bearer, json={"users": refs([u3])}), again)
    via_parent, read = campaign.ids("users")
    check(
        ordered(via_sub) == ordered(via_parent),
        f"{what} left users {via_sub}; the same request on the campaign ({again}) then left {via_parent}",
        read,
    )
