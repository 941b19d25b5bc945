"""In-memory state of the Spaces reference server, and its deterministic seed data.

Nothing here knows HTTP; `server.py` does authentication, routing and validation. The document
describes no write operation, so the state never changes after seeding (no lock is needed).

Seed data (identical on every start): 105 customers, index 0-104, for the configured access token
(more than the largest limit, 100, so that a limit above it served as asked shows).

- id: `cus_` + 14 lowercase letters and digits taken from a SHA-256 of the index, so the ids are
  not sortable in list order (ordering by id differs from ordering by created); the quirky variant
  uses the integers 1-105 in a scattered order instead (19 * index mod 105, plus 1), the alternate
  variant UUID-shaped strings (8-4-4-4-12 lowercase hex digits, also from a SHA-256 of the index).
- `created`: unix seconds, one day apart plus a jitter below an hour, so increasing with the
  index, except that customers 11 and 31 share `created` with customers 10 and 30 (two ties,
  broken by id).
- `name` and `email` from small lists of Peruvian first and last names; `metadata` is `{}`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

JSON = Any
IdStyle = Literal["prefixed", "integer", "uuid"]

SEED_CUSTOMERS = 105
SEED_START = 1_704_103_200  # 2024-01-01T10:00:00Z
TIED = frozenset({11, 31})  # these customers share `created` with the one before them
ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
ID_LENGTH = 14
QUIRKY_ID_STRIDE = 19  # coprime with SEED_CUSTOMERS: index -> stride * index mod 105 is a permutation
FIRST_NAMES = ("Lucía", "Mateo", "Valentina", "Santiago", "Camila", "Sebastián", "Ximena", "Diego", "Sofía")
LAST_NAMES = ("Quispe", "Flores", "Rodríguez", "Mamani", "Chávez", "Torres", "Huamán")


@dataclass(frozen=True)
class Customer:
    index: int
    id: str | int
    name: str
    email: str
    created: int

    @property
    def key(self) -> str:
        """The id as a cursor or path segment spells it."""
        return str(self.id)

    def as_data(self, id_field: str = "id") -> dict[str, JSON]:
        """The customer as served, its ID in the member `id_field`."""
        return {
            id_field: self.id,
            "object": "customer",
            "name": self.name,
            "email": self.email,
            "created": self.created,
            "metadata": {},
        }


class Store:
    """The customers of one server instance, by id and in list order."""

    def __init__(self, customers: Iterable[Customer]) -> None:
        self.customers = list(customers)
        self.by_key = {customer.key: customer for customer in self.customers}
        if len(self.by_key) != len(self.customers):
            raise ValueError("customer ids are not unique")

    def get(self, key: str) -> Customer | None:
        return self.by_key.get(key)

    def by_created(self, *, descending: bool = False) -> list[Customer]:
        """The list order: created, then id (a total order), ascending or descending."""
        return sorted(self.customers, key=lambda c: (c.created, c.id), reverse=descending)

    def by_id(self) -> list[Customer]:
        return sorted(self.customers, key=lambda c: c.id)


def customer_id(index: int) -> str:
    """`cus_` + 14 lowercase alphanumerics derived from the index (a SHA-256, base 36)."""
    number = int.from_bytes(hashlib.sha256(f"spaces-customer-{index}".encode()).digest(), "big")
    chars = []
    for _ in range(ID_LENGTH):
        number, digit = divmod(number, len(ID_ALPHABET))
        chars.append(ID_ALPHABET[digit])
    return "cus_" + "".join(chars)


def quirky_id(index: int) -> int:
    return QUIRKY_ID_STRIDE * index % SEED_CUSTOMERS + 1


def uuid_id(index: int) -> str:
    """A UUID-shaped id (8-4-4-4-12 lowercase hex) derived from the index (a SHA-256)."""
    digest = hashlib.sha256(f"spaces-customer-uuid-{index}".encode()).hexdigest()
    return "-".join(digest[a:b] for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32)))


ID_STYLES: dict[str, Callable[[int], str | int]] = {
    "prefixed": customer_id,
    "integer": quirky_id,
    "uuid": uuid_id,
}


def created_at(index: int) -> int:
    if index in TIED:
        return created_at(index - 1)
    return SEED_START + index * 86_400 + index * 7_919 % 3_600


def ascii_lower(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def seed(*, id_style: IdStyle = "prefixed") -> Store:
    """The 105 seed customers, with ids of `id_style` (see the module docstring)."""
    customers = []
    for index in range(SEED_CUSTOMERS):
        first, last = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[index % len(LAST_NAMES)]
        customers.append(
            Customer(
                index=index,
                id=ID_STYLES[id_style](index),
                name=f"{first} {last}",
                email=f"{ascii_lower(first)}.{ascii_lower(last)}{index + 1}@example.com",
                created=created_at(index),
            )
        )
    return Store(customers)
