"""Products of the LeadDesk reference server: `POST /products` and `PATCH /products/{id}`.

A product is `{id, name, price, created_at}`. POST /products `{name, price?}`: name a non-empty
string of at most 255 characters, price an integer >= 0 (default 0); 200 `{id}`. PATCH
/products/{id} changes the sent fields, validated alike: 204. GET /products and /products/{id},
DELETE /products/{id} are the shared collection, read and delete handlers (`paging`, `objects`).
"""

from __future__ import annotations

from apiconform.providers.leaddesk.objects import Family, check_name
from apiconform.providers.leaddesk.store import Product, now
from apiconform.providers.leaddesk.wire import JSON, Answer, Ctx, Problems
from apiconform.reference.kit import is_int


def check_price(body: dict[str, JSON], problems: Problems) -> None:
    """Adds a problem unless `price` is absent or an integer >= 0."""
    if "price" not in body:
        return
    price = body["price"]
    if not is_int(price):
        problems.add("price", "The price must be an integer.")
    elif price < 0:
        problems.add("price", "The price must be at least 0.")


class Products(Family):
    """The product handlers of one server."""

    def create(self, ctx: Ctx) -> Answer:
        """POST /products `{name, price?}`: a new product, or a 422 naming every invalid field."""
        body = self.wire.json_object(ctx)
        problems = self.wire.problems()
        check_name(body, problems, required=True)
        check_price(body, problems)
        problems.raise_if_any()
        return self.objects.created(
            ctx, "products", self.store.add_product(body["name"], body.get("price", 0), now())
        )

    def patch(self, ctx: Ctx) -> Answer:
        """PATCH /products/{id} `{name?, price?}`: the sent fields replaced, or a 422 changing
        nothing."""
        product: Product = self.objects.find(ctx, "products")
        body = self.wire.json_object(ctx)
        problems = self.wire.problems()
        check_name(body, problems, required=False)
        check_price(body, problems)
        problems.raise_if_any()
        if "patch-ignored" not in self.faults and ("name" in body or "price" in body):
            product.name = body.get("name", product.name)
            product.price = body.get("price", product.price)
            product.updated_at = now()
        return self.objects.modified(ctx, "products", product)
