"""What the LeadDesk reference server's resources share: finding an object by the path's id,
reading and deleting it, the answers to creates and modifications, and the name check.

An id is a canonical decimal integer; an unknown one, or any other spelling, is 404
user_not_found / product_not_found / campaign_not_found (the alternate variant: 400 for a GET).
A deleted user or product is detached from every campaign and its id is not reused.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from apiconform.providers.leaddesk.store import Product, Resource, Store, User
from apiconform.providers.leaddesk.wire import (
    JSON,
    SINGULAR,
    Answer,
    ApiError,
    Ctx,
    Handler,
    Problems,
    Wire,
    is_utf8,
)
from apiconform.reference.kit import InjectedFault

CANONICAL_ID_RE = re.compile(r"[1-9][0-9]{0,17}")
MAX_NAME = 255


def check_name(body: dict[str, JSON], problems: Problems, *, required: bool) -> None:
    """Adds a problem unless `name` is a non-empty UTF-8 string of at most 255 characters
    (or absent and not `required`)."""
    if "name" not in body and not required:
        return
    name = body.get("name")
    if name is None or name == "":
        problems.add("name", "The name field is required.")
    elif not isinstance(name, str):
        problems.add("name", "The name must be a string.")
    elif len(name) > MAX_NAME:
        problems.add("name", f"The name may not be greater than {MAX_NAME} characters.")
    elif not is_utf8(name):
        problems.add("name", "The name must be valid UTF-8 text.")


class Objects:
    """The objects of one server's store, as its resources find, read, create and delete them."""

    def __init__(self, wire: Wire, store: Store) -> None:
        self.wire = wire
        self.store = store
        self.faults = wire.faults
        self.quirky = wire.quirky
        self.alternate = wire.alternate
        self.deleted: set[tuple[str, int]] = set()  # (kind, id) deleted (for second-delete-204)
        self.reads: dict[tuple[str, int], int] = {}  # (kind, id) -> GETs of it (get-counts-reads)

    def table(self, kind: str) -> dict[int, Any]:
        """The store's objects of `kind` (users, products or campaigns) by id."""
        tables: dict[str, dict[int, Any]] = {
            "users": self.store.users,
            "products": self.store.products,
            "campaigns": self.store.campaigns,
        }
        return tables[kind]

    def find(self, ctx: Ctx, kind: str) -> Any:
        """The object the path's id names, or a 404 (a 500 or None under the not-found faults)."""
        raw = ctx.params["id"]
        item = self.table(kind).get(int(raw)) if CANONICAL_ID_RE.fullmatch(raw) else None
        if item is not None:
            return item
        if "not-found-500" in self.faults:
            raise InjectedFault(f"{SINGULAR[kind]} {raw} does not exist")
        reading = ctx.request.method in ("GET", "HEAD")
        if "not-found-200" in self.faults and reading:
            return None
        code = f"{SINGULAR[kind]}_not_found"
        if reading and (self.alternate or "not-found-400" in self.faults):  # "usually" 404
            raise ApiError(400, code, code, raw)
        raise ApiError(404, code, code, raw)

    def reader(self, kind: str) -> Handler:
        """GET of one object of `kind`."""

        def read(ctx: Ctx) -> Answer:
            item = self.find(ctx, kind)
            if item is None:  # not-found-200
                return Answer(200, {})
            data = self.wire.data(ctx, kind, item, links="object-no-links" not in self.faults)
            if "get-counts-reads" in self.faults:  # a GET that changes the object it reads
                count = self.reads[kind, item.id] = self.reads.get((kind, item.id), 0) + 1
                data["read_count"] = count
            return Answer(200, {"data": data} if "object-wrapped" in self.faults else data)

        return read

    def deleter(self, kind: Literal["users", "products"]) -> Handler:
        """DELETE of a user or product: 204 without a body; the object is detached from every
        campaign and its id is never reused."""

        def delete(ctx: Ctx) -> Answer:
            raw = ctx.params["id"]
            if (
                "second-delete-204" in self.faults
                and CANONICAL_ID_RE.fullmatch(raw)
                and (kind, int(raw)) in self.deleted
            ):
                return Answer(204)
            item: User | Product = self.find(ctx, kind)
            if "delete-soft" not in self.faults:
                self.store.delete(kind, item.id)
                self.deleted.add((kind, item.id))
            return Answer(204)

        return delete

    def created(self, ctx: Ctx, kind: str, item: Resource) -> Answer:
        """The answer to a create: 200 `{id}` (quirky: 201 with the object; alternate: 201 `{id}`)."""
        if "create-no-id" in self.faults:
            return Answer(204)
        if self.quirky:
            return Answer(201, self.wire.data(ctx, kind, item))
        created = {"id": self.wire.id_value(item.id)}
        # "201 Created" (the status table) rather than the Response section's 200
        return Answer(201 if self.alternate or "create-201-id-only" in self.faults else 200, created)

    def modified(self, ctx: Ctx, kind: str, item: Resource) -> Answer:
        """The answer to a modification (PATCH) or an added relation (POST on a campaign): 204
        without a body; the alternate variant takes 204 as "usually only used with DELETE
        requests" and answers 200 with the object."""
        if self.alternate or "modify-200-body" in self.faults:
            return Answer(200, self.wire.data(ctx, kind, item))
        return Answer(204)


class Family:
    """A family of handlers (collections, users, products, campaigns) over the shared objects,
    with the presentation, store, faults and variant they come with."""

    def __init__(self, objects: Objects) -> None:
        self.objects = objects
        self.wire = objects.wire
        self.store = objects.store
        self.faults = objects.faults
        self.quirky = objects.quirky
        self.alternate = objects.alternate
