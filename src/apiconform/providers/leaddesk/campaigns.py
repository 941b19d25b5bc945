"""Campaigns of the LeadDesk reference server, and their relations to users and products.

A campaign is `{id, name, created_at, products: [{id}], users: [{id}]}`. POST /campaigns `{name,
products?, users?}`: 200 `{id}`. PATCH /campaigns/{id} `{name?, products?, users?}`: an array
replaces the relation; POST /campaigns/{id} `{products?, users?}` adds to it (an attached id is a
no-op; other fields are ignored); both 204, and a PATCH leaves what it does not name as it was.
Attribute keys are case-sensitive: a key in another case is an unknown attribute, ignored (the
alternate variant: a 422 naming it). GET /campaigns/{id}/users and /products: a JSON array of
`{id}`; PATCH with an array replaces, POST adds (204); DELETE /campaigns/{id}/users/{user id} (or
/products/{product id}) removes that one relation (204; 404 when it is not attached), the user or
product itself stays. An array holds objects with an integer `id` of an existing object; repeated
ids count once; an invalid item is a 422 keyed by the relation ("The selected products.0.id is
invalid."), and the request changes nothing. The alternate variant's campaigns (no relations in
the object, a collection per relation, PATCH adding users, only users removable one by one) are
described in `server.py`.
"""

from __future__ import annotations

from typing import cast

from apiconform.providers.leaddesk.objects import CANONICAL_ID_RE, Family, check_name
from apiconform.providers.leaddesk.store import RELATIONS, Campaign, Relation, now
from apiconform.providers.leaddesk.wire import JSON, Answer, ApiError, Ctx, Problems
from apiconform.reference.kit import is_int

ATTRIBUTES = frozenset({"name", *RELATIONS})


class Campaigns(Family):
    """The campaign and campaign relation handlers of one server."""

    # --- relations ------------------------------------------------------------------------

    def related_ids(self, relation: Relation, value: JSON, problems: Problems) -> list[int]:
        """The ids of an array of `{id}` naming existing objects (problems keyed by the relation)."""
        if not isinstance(value, list):
            problems.add(relation, f"The {relation} must be an array.")
            return []
        ids = []
        for n, item in enumerate(value):
            ref = item.get("id") if isinstance(item, dict) else None
            if "ids-as-strings" in self.faults and isinstance(ref, str) and CANONICAL_ID_RE.fullmatch(ref):
                ref = int(ref)  # a server answering ids as strings takes them back so
            if not is_int(ref):
                problems.add(relation, f"The {relation}.{n}.id must be an integer.")
            elif not self.store.exists(relation, ref):
                if "unknown-relation-dropped" not in self.faults:
                    problems.add(relation, f"The selected {relation}.{n}.id is invalid.")
            else:
                ids.append(ref)
        return ids

    def relations_of(self, body: dict[str, JSON], problems: Problems) -> dict[Relation, list[int]]:
        """The relation arrays a campaign body holds, as ids."""
        return {
            relation: self.related_ids(relation, body[relation], problems)
            for relation in RELATIONS
            if relation in body
        }

    def attach(self, campaign: Campaign, changes: dict[Relation, list[int]], *, replace: bool) -> None:
        """Replace each named relation, or add to it (an attached id is a no-op). The alternate
        variant never replaces users: its users are "entries [that] can be uniquely identified",
        so a PATCH changes only the given ones (products are replaced, as the document's example
        says)."""
        for relation, ids in changes.items():
            keep = not replace or (self.alternate and relation == "users")
            current = list(campaign.related(relation)) if keep else []
            for object_id in ids:
                if object_id not in current or (not replace and "post-duplicates" in self.faults):
                    current.append(object_id)
            if relation == "products":
                campaign.products = current
            else:
                campaign.users = current
            campaign.updated_at = now()

    def campaign_body(self, ctx: Ctx, problems: Problems) -> dict[str, JSON]:
        """A campaign request's JSON object. Keys are case-sensitive: one in another case is an
        unknown attribute (ignored; the alternate variant names it in a 422)."""
        body = self.wire.json_object(ctx)
        if "keys-case-insensitive" in self.faults:
            body = {str(key).lower(): value for key, value in body.items()}
        if self.alternate:
            for key in body:
                if key not in ATTRIBUTES:
                    problems.add(key, self.wire.message("unknown-attribute", key))
        return body

    # --- campaigns ------------------------------------------------------------------------

    def create(self, ctx: Ctx) -> Answer:
        """POST /campaigns `{name, products?, users?}`: a new campaign with those relations."""
        body = self.wire.json_object(ctx)
        problems = self.wire.problems()
        check_name(body, problems, required=True)
        changes = self.relations_of(body, problems)
        problems.raise_if_any()
        campaign = self.store.add_campaign(body["name"], now())
        self.attach(campaign, changes, replace=True)
        return self.objects.created(ctx, "campaigns", campaign)

    def patch(self, ctx: Ctx) -> Answer:
        """PATCH /campaigns/{id} `{name?, products?, users?}`: an array replaces the relation;
        what the body does not name stays as it was."""
        campaign: Campaign = self.objects.find(ctx, "campaigns")
        problems = self.wire.problems()
        body = self.campaign_body(ctx, problems)
        check_name(body, problems, required=False)
        changes = self.relations_of(body, problems)
        problems.raise_if_any()
        if "patch-clears-unsent" in self.faults:  # PATCH as a replacement of the whole object
            changes = {relation: changes.get(relation, []) for relation in RELATIONS}
        if "patch-ignored" not in self.faults:
            if "name" in body:
                campaign.name = body["name"]
                campaign.updated_at = now()
            self.attach(campaign, changes, replace="patch-array-merges" not in self.faults)
        return self.objects.modified(ctx, "campaigns", campaign)

    def post(self, ctx: Ctx) -> Answer:
        """POST /campaigns/{id} `{products?, users?}`: the ids are added to the relations (204;
        the alternate variant: 200 with the campaign)."""
        campaign: Campaign = self.objects.find(ctx, "campaigns")
        problems = self.wire.problems()
        changes = self.relations_of(self.campaign_body(ctx, problems), problems)
        problems.raise_if_any()
        self.attach(campaign, changes, replace="post-replaces" in self.faults)
        return self.relations_added(ctx, campaign)

    def relations_added(self, ctx: Ctx, campaign: Campaign) -> Answer:
        """The answer to a POST that only adds relations: 204 without a body (the alternate
        variant: 200 with the campaign)."""
        if "relation-post-201" in self.faults:  # as if something had been created
            return Answer(201, {"id": self.wire.id_value(campaign.id)})
        if self.alternate or "post-relation-200" in self.faults:
            return Answer(200, self.wire.data(ctx, "campaigns", campaign))
        return Answer(204)

    # --- sub-resources: /campaigns/{id}/users and /campaigns/{id}/products ----------------

    def read_relation(self, ctx: Ctx) -> Answer:
        """A campaign's users or products: a JSON array of `{id}` (the alternate variant: a
        collection holding all of them on one page)."""
        campaign = self.objects.find(ctx, "campaigns")
        if campaign is None:  # not-found-200
            return Answer(200, {})
        relation = cast(Relation, ctx.params["relation"])
        entries: list[JSON] = [{"id": n} for n in campaign.related(relation)]
        if self.alternate:
            links = {"next": None, "previous": None}
            return Answer(200, {"collection": entries, "links": links, "meta": {"page": 1}})
        return Answer(200, entries)

    def relation_change(self, ctx: Ctx) -> tuple[Campaign, dict[Relation, list[int]]]:
        """The campaign of a sub-resource request and its body (an array) as a change."""
        campaign: Campaign = self.objects.find(ctx, "campaigns")
        relation = cast(Relation, ctx.params["relation"])
        problems = self.wire.problems()
        ids = self.related_ids(relation, self.wire.json_body(ctx), problems)
        problems.raise_if_any()
        return campaign, {relation: ids}

    def patch_relation(self, ctx: Ctx) -> Answer:
        """PATCH /campaigns/{id}/{relation} with an array: the relation replaced."""
        campaign, changes = self.relation_change(ctx)
        if "patch-ignored" not in self.faults:
            self.attach(campaign, changes, replace="subresource-patch-adds" not in self.faults)
        return self.objects.modified(ctx, "campaigns", campaign)

    def post_relation(self, ctx: Ctx) -> Answer:
        """POST /campaigns/{id}/{relation} with an array: the ids added to the relation."""
        campaign, changes = self.relation_change(ctx)
        self.attach(campaign, changes, replace=False)
        return self.relations_added(ctx, campaign)

    def remove_relation(self, ctx: Ctx) -> Answer:
        """DELETE /campaigns/{id}/{relation}/{entry}: that one user or product is no longer
        attached (204); one that is not attached is 404. The object itself stays (the fault
        relation-delete-deletes-object deletes it instead)."""
        campaign: Campaign = self.objects.find(ctx, "campaigns")
        relation = cast(Relation, ctx.params["relation"])
        raw = ctx.params["entry"]
        entry = int(raw) if CANONICAL_ID_RE.fullmatch(raw) else None
        related = campaign.related(relation)
        if entry is None or entry not in related:
            raise ApiError(404, f"campaign_{relation[:-1]}_not_found", "relation-not-found", relation[:-1])
        if "relation-delete-deletes-object" in self.faults:
            self.store.delete(relation, entry)
        else:
            related.remove(entry)
        campaign.updated_at = now()
        return Answer(204)
