"""A campaign's relations (leaddesk-api.txt: PATCH "only defined values will be updated"; Response:
204 when nothing is created; Operation mode: PATCH replaces, POST adds; Sub-resources; DELETE
"removing user from campaign"; attribute keys are case sensitive; 400/422 for unacceptable
values; 415; 403 for a read-only token).

The document shows PATCH and POST on `/campaigns/{id}` with products, PATCH on
`/campaigns/{id}/users`, and says a relation is removed with DELETE, naming no URI. So:
- the campaign is `campaign_id`, else the suite's own (providers/leaddesk/relations.py); a
  configured campaign's products and users are restored afterwards (as far as PATCH can);
- the products attached are `product_ids`, else the first three of GET /products; the users, the
  first three of GET /users;
- a user is removed from the campaign at `user_relation_path` (default
  /campaigns/{campaign_id}/users/{user_id}); "not supported" there skips that rule, naming the key.
What a write of one relation may change besides it (dates, who changed it last, counts of that
relation) is the server's (silence point leaddesk.server-kept-properties)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from apiconform.providers.leaddesk import probes, shapes
from apiconform.providers.leaddesk.profile import Settings, request_token
from apiconform.providers.leaddesk.relations import (
    CAMPAIGNS,
    PRODUCTS,
    RELATIONS,
    Campaign,
    check_fulfilled,
    expect_change,
    ordered,
    own_campaign,
    refs,
)
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Profile,
    Verdicts,
    check,
    error_shape,
    setup_refused,
    skip_unsupported,
)


@pytest.fixture(scope="module")
def campaign(client: ApiClient, profile: Profile, bearer: Any, settings: Settings) -> Iterator[Campaign]:
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
def product_ids(client: ApiClient, profile: Profile, bearer: Any, settings: Settings) -> list[Any]:
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
    "leaddesk.writes.patch-partial",
    "leaddesk.writes.post-adds",
    "leaddesk.writes.relation-no-content",
)
def test_patch_replaces_and_post_adds(client, bearer, campaign, product_ids, user_ids, verdicts: Verdicts):
    """With users attached (PATCH {users: [u1, u2]}): PATCH {products: [p1, p2]}, then [p3] (the
    document's example: "Previously attached products will be removed"), each leaving the
    campaign's users and other data as they were; then POST {products: [p1]} twice (added once,
    "If these products are already attached, then the command does nothing"). Each answers 204 (or
    200: "204 ... usually only used with DELETE"), never 201."""
    p1, p2, p3 = product_ids
    attach = f"PATCH {campaign.path} users {user_ids[:2]}"
    expect_change(
        client.request("PATCH", campaign.path, headers=bearer, json={"users": refs(user_ids[:2])}), attach
    )
    before = campaign.read()
    kept, users = shapes.client_data(before[0], "products"), campaign.ids("users", before)[0]
    states = []
    for ids in ([p1, p2], [p3]):
        what = f"PATCH {campaign.path} products {ids}"
        response = client.request("PATCH", campaign.path, headers=bearer, json={"products": refs(ids)})
        expect_change(response, what)
        after = campaign.read()
        now, read = campaign.ids("products", after)
        states.append(now)
        with verdicts.check("leaddesk.writes.modify-applied"):
            check_fulfilled(response, what)
            check(set(map(str, ids)) <= set(map(str, now)), f"after {what} the campaign has {now}", read)
        with verdicts.check("leaddesk.writes.modify-no-content"):
            check(response.status_code == 204, f"{what}: HTTP {response.status_code}, not 204", response)
            check(not response.content.strip(), f"{what}: the 204 has a body", response)
        with verdicts.check("leaddesk.writes.patch-array-replaces"):
            check(ordered(now) == ordered(ids), f"after {what} the campaign has {now}, not only {ids}", read)
        with verdicts.check("leaddesk.writes.patch-partial"):
            data = shapes.client_data(after[0], "products")
            lost = {name: (value, data.get(name)) for name, value in kept.items() if data.get(name) != value}
            check(not lost, f"after {what} other properties changed (was, now): {lost}", before[1], after[1])
            users_now, read_users = campaign.ids("users", after)
            check(
                ordered(users_now) == ordered(users),
                f"after {what} (no users sent) the campaign's users are {users_now}, not {users}",
                read_users,
            )
    before_post = states[-1]
    want = ordered(before_post if str(p1) in map(str, before_post) else [*before_post, p1])
    for attempt in ("", " again"):  # the second POST re-adds an attached product: a no-op
        what = f"POST {campaign.path} products [{p1}]{attempt}"
        response = client.request("POST", campaign.path, headers=bearer, json={"products": refs([p1])})
        expect_change(response, what)
        now, read = campaign.ids("products")
        with verdicts.check("leaddesk.writes.post-adds"):
            check_fulfilled(response, what)
            check(ordered(now) == want, f"after {what} onto {before_post} the campaign has {now}", read)
        with verdicts.check("leaddesk.writes.relation-no-content"):
            check(response.status_code == 204, f"{what}: HTTP {response.status_code}, not 204", response)
            check(not response.content.strip(), f"{what}: the 204 has a body", response)


@pytest.mark.rule(
    "leaddesk.writes.keys-case-sensitive",
    "leaddesk.writes.invalid-value-refused",
    "leaddesk.writes.patch-json-only",
    "leaddesk.auth.read-only-change-403",
)
def test_changes_that_change_nothing(
    client, profile, bearer, grant, campaign, product_ids, verdicts: Verdicts
):
    """PATCHes of the campaign's products that must leave them as they are: under the key
    "Products" ("JSON structure is case sensitive": taken and ignored, or refused with 400/422),
    naming a product that does not exist (400 or 422, a 422 naming products in error_validation),
    as text/plain (415, a SHOULD: "usually" JSON only), and with the read-only user's token (403).
    The products are read after each."""
    state, _ = campaign.ids("products")

    def attempt(headers: Any, what: str, **body: Any) -> tuple[ApiResponse, str, ApiResponse]:
        """PATCH the campaign naming a product it does not hold, then read its products; the
        answer, and why the products changed ("" when they did not)."""
        nonlocal state
        probe = next((p for p in product_ids if str(p) not in map(str, state)), product_ids[0])
        kwargs = {key: value(probe) for key, value in body.items()}
        response = client.request("PATCH", campaign.path, headers=headers, **kwargs)
        now, read = campaign.ids("products")
        previous, state = state, now
        changed = ordered(now) != ordered(previous)
        return response, (f"after {what} the products are {now}, not {previous}" if changed else ""), read

    def unchanged(changed: str, *responses: ApiResponse) -> None:
        check(not changed, changed, *responses)

    with verdicts.check("leaddesk.writes.keys-case-sensitive"):
        what = f'PATCH {campaign.path} {{"Products": [...]}}'
        response, changed, read = attempt(bearer, what, json=lambda p: {"Products": refs([p])})
        status = response.status_code
        check(
            200 <= status < 300 or status in (400, 422),
            f"{what}: HTTP {status}, neither taken nor refused as invalid",
            response,
        )
        unchanged(changed, response, read)
    with verdicts.check("leaddesk.writes.invalid-value-refused"):
        what = f"PATCH {campaign.path} products [{probes.UNKNOWN_ID}] (no such product)"
        response, changed, read = attempt(
            bearer, what, json=lambda p: {"products": refs([probes.UNKNOWN_ID])}
        )
        status = response.status_code
        check(status in (400, 422), f"{what}: HTTP {status}, not 400 or 422", response)
        error_shape(profile, response, what)
        details = probes.validation_details(response)
        check(
            status == 400 or probes.names_field(details, ["products"]),
            f"{what}: error_validation {details!r} does not name products",
            response,
        )
        unchanged(changed, response, read)
    with verdicts.check("leaddesk.writes.patch-json-only"):
        what = f"PATCH {campaign.path} with a text/plain body"
        headers = {**bearer, "Content-Type": "text/plain"}
        response, changed, read = attempt(
            headers, what, content=lambda p: json.dumps({"products": refs([p])})
        )
        check(response.status_code == 415, f"{what}: HTTP {response.status_code}, not 415", response)
        unchanged(changed, response, read)
    with verdicts.check("leaddesk.auth.read-only-change-403"):
        read_only = request_token(client, grant(read_only=True))
        if read_only.access_token is None:
            pytest.skip(f"the read-only user got no access token (HTTP {read_only.response.status_code})")
        what = f"PATCH {campaign.path} with a read-only token"
        response, changed, read = attempt(read_only.headers, what, json=lambda p: {"products": refs([p])})
        check(response.status_code == 403, f"{what}: HTTP {response.status_code}, not 403", response)
        unchanged(changed, response, read)


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


@pytest.mark.rule("leaddesk.writes.delete-relation")
def test_delete_relation(client, bearer, settings, campaign, user_ids):
    """With users u1 and u2 attached, DELETE of u1's relation (user_relation_path) removes u1 from
    the campaign and nothing else: the other users stay attached, and u1 itself stays readable."""
    u1, u2, _ = user_ids
    expect_change(
        client.request("PATCH", campaign.path, headers=bearer, json={"users": refs([u1, u2])}),
        f"PATCH {campaign.path} users [{u1}, {u2}]",
    )
    before, read = campaign.ids("users")
    if not {str(u1), str(u2)} <= set(map(str, before)):
        setup_refused(f"after PATCH users [{u1}, {u2}] the campaign's users are {before}", read)
    path = settings.user_relation_path.format(campaign_id=campaign.id, user_id=u1)
    response = client.request("DELETE", path, headers=bearer)
    if response.status_code in probes.NOT_SUPPORTED:
        skip_unsupported(f"removing a user from the campaign (DELETE {path})", response, "user_relation_path")
    check(200 <= response.status_code < 300, f"DELETE {path}: HTTP {response.status_code}", response)
    after, read = campaign.ids("users")
    want = [user for user in before if str(user) != str(u1)]
    check(
        ordered(after) == ordered(want),
        f"after DELETE {path} the users are {after}, not {want}",
        response,
        read,
    )
    user = client.request("GET", f"/users/{u1}", headers=bearer)
    check(
        200 <= user.status_code < 300,
        f"after DELETE {path}: GET /users/{u1} answers HTTP {user.status_code}",
        response,
        user,
    )
