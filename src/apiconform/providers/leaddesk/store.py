"""In-memory state of the LeadDesk reference server, and its deterministic seed data.

Nothing here knows HTTP: `server.py` does authentication, routing and validation. The server's
handlers read and change the store on the event loop without awaiting in between, so no lock is
needed.

Seed data (identical on every start):

- 120 users, ids 1-120: username `user-01` .. `user-120`, email `user-NN@example.com` (more than
  100, so a server that caps per_page at 100 shows it);
- 5 products, ids 1-5, with integer prices;
- 2 campaigns, ids 1-2: campaign 1 has products 1, 2 and users 1, 2; campaign 2 products 3, 4
  and users 3, 4.

Times are whole seconds at offset +02:00; the seed starts at 2018-12-30T16:18:40+02:00 (the
document's example) and moves on by a day and an hour per object. Users, products and campaigns
created through the API get the next id (ids are never reused) and the current time.

Tokens: a `Session` is one token response: an access token (valid until `expires_at`, on the
monotonic clock) and a refresh token, both for one `Grant` (who, and whether read-only). The store
indexes sessions by either token; the server decides which index to drop a session from.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal

ZONE = timezone(timedelta(hours=2))
SEED_START = datetime(2018, 12, 30, 16, 18, 40, tzinfo=ZONE)
SEED_USERS = 120
SEED_PRODUCTS = (
    ("Basic subscription", 1900),
    ("Premium subscription", 4900),
    ("Setup fee", 15000),
    ("Support hour", 9000),
    ("Headset", 5900),
)
# name, product ids, user ids
SEED_CAMPAIGNS = (("Spring outbound", (1, 2), (1, 2)), ("Customer retention", (3, 4), (3, 4)))

Relation = Literal["products", "users"]
RELATIONS: tuple[Relation, ...] = ("products", "users")


def now() -> datetime:
    """The current time as the store keeps it: whole seconds at offset +02:00."""
    return datetime.now(ZONE).replace(microsecond=0)


def seed_time(index: int) -> datetime:
    return SEED_START + timedelta(days=index, hours=index % 7)


@dataclass
class User:
    id: int
    username: str
    email: str
    created_at: datetime

    @property
    def updated_at(self) -> datetime:
        return self.created_at


@dataclass
class Product:
    id: int
    name: str
    price: int
    created_at: datetime
    updated_at: datetime


@dataclass
class Campaign:
    id: int
    name: str
    created_at: datetime
    updated_at: datetime
    products: list[int] = field(default_factory=list)
    users: list[int] = field(default_factory=list)

    def related(self, relation: Relation) -> list[int]:
        return self.products if relation == "products" else self.users


Resource = User | Product | Campaign


@dataclass(frozen=True)
class Grant:
    """Whom a token acts for: a user name (or `client:<n>` for the leaddesk_client_id grant)."""

    subject: str
    read_only: bool


@dataclass
class Session:
    grant: Grant
    access_token: str
    refresh_token: str
    expires_at: float  # time.monotonic() after which the access token is refused


class Store:
    """All state of one server instance."""

    def __init__(self) -> None:
        self.users: dict[int, User] = {}
        self.products: dict[int, Product] = {}
        self.campaigns: dict[int, Campaign] = {}
        self.next_user_id = 1
        self.next_product_id = 1
        self.next_campaign_id = 1
        self.by_access: dict[str, Session] = {}
        self.by_refresh: dict[str, Session] = {}

    # --- tokens ---------------------------------------------------------------------------

    def issue(
        self, grant: Grant, access_token: str, refresh_token: str, lifetime: float, *, usable: bool = True
    ) -> Session:
        """A new session; its access token authenticates only when `usable`."""
        session = Session(grant, access_token, refresh_token, time.monotonic() + lifetime)
        if usable:
            self.by_access[access_token] = session
        self.by_refresh[refresh_token] = session
        return session

    def session(self, access_token: str, *, expire: bool = True) -> Session | None:
        """The session of a known, unexpired access token (an expired one is forgotten; with
        `expire` False, expired ones are served too)."""
        session = self.by_access.get(access_token)
        if expire and session is not None and session.expires_at <= time.monotonic():
            del self.by_access[access_token]
            return None
        return session

    # --- resources ------------------------------------------------------------------------

    def add_user(self, username: str, email: str, created_at: datetime) -> User:
        user = User(self.next_user_id, username, email, created_at)
        self.users[user.id] = user
        self.next_user_id += 1
        return user

    def delete(self, kind: Literal["users", "products"], object_id: int) -> None:
        """Forget the user or product, and detach it from every campaign."""
        table = self.users if kind == "users" else self.products
        del table[object_id]
        for campaign in self.campaigns.values():
            related = campaign.related(kind)
            if object_id in related:
                related[:] = [n for n in related if n != object_id]

    def add_product(self, name: str, price: int, created_at: datetime) -> Product:
        product = Product(self.next_product_id, name, price, created_at, created_at)
        self.products[product.id] = product
        self.next_product_id += 1
        return product

    def add_campaign(self, name: str, created_at: datetime) -> Campaign:
        campaign = Campaign(self.next_campaign_id, name, created_at, created_at)
        self.campaigns[campaign.id] = campaign
        self.next_campaign_id += 1
        return campaign

    def exists(self, relation: Relation, object_id: int) -> bool:
        return object_id in (self.products if relation == "products" else self.users)


def seed() -> Store:
    """A store holding the seed users, products and campaigns."""
    store = Store()
    for n in range(1, SEED_USERS + 1):
        store.add_user(f"user-{n:02d}", f"user-{n:02d}@example.com", seed_time(n - 1))
    for n, (name, price) in enumerate(SEED_PRODUCTS):
        store.add_product(name, price, seed_time(n))
    for n, (name, products, users) in enumerate(SEED_CAMPAIGNS):
        campaign = store.add_campaign(name, seed_time(n))
        campaign.products, campaign.users = list(products), list(users)
    return store
