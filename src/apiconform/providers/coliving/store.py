"""In-memory state of the Coliving reference server, and its deterministic seed data.

The store holds plain dataclasses and maintains two indexes itself: users by lower-cased email and
listings by (host id, original_id). Nothing here knows HTTP; `server.py` does the validation and
takes a lock around every call that mutates the store.

Seed data (identical on every start):

- host 321 (`api_key`, `api_key_read_only`, `api_key_inactive`, `api_key_rate_limit`,
  `api_key_expired`, `api_key_legacy` with the legacy `*.create` permissions and
  `api_key_no_listings_read` without any listings permission) owns 19
  listings: 101-112 and 117-123 (every status: 4 draft, 6 pending, 7 published, 2 inactive), with
  - names sharing the prefix "Sunny";
  - "100% Coliving Loft" next to "1000 Oaks House" (a `%` wildcard would match both) and
    "Room_Share Central" next to "RoomXShare Central" (a `_` wildcard would match both); q "%" or
    "_" taken as wildcards would match every listing;
  - two pairs sharing name and status but not updated_at: "Garden Studio" (published; 117 is
    newer than 118) and "Harbor House" (pending; 120 is newer than 119), so updated_at desc is
    id asc for one pair and id desc for the other;
  - "alpha Loft" (121, draft) and "Alpha House" (122, pending) with the same updated_at, and
    "Alpha Loft" (123, published): names differing only in letter case, and an order that
    differs between case-insensitive and binary collation ("alpha Loft" / "Alpine Lodge");
  - 1-2 room types each with rooms. Every listing but 106, 109 and 120 has an original_id
    `seed-h1-NN` (NN = id - 100); the inactive ones are 107 and 111.
- host 654 (`api_key_other_host`) owns listings 113-116, 113 being named "Sunny Apartment" like 101.
- users 123 and 124 (platform-wide: a booking may name any existing user).
- `extra_listings` generated listings for host 321 follow (ids from 124), named
  "Generated Listing NNNNN", statuses cycling draft/pending/published/inactive, original_id
  `gen-NNNNN`, one room type with one room each.

Timestamps of listings have whole seconds (updated_at is answered at second resolution, and
ordering by it must agree with what is answered).

Ids: listings count up from 101, room types from 501, rooms from 9001, users created through the
API from 555001, bookings from 777001, messages from 888001.
"""

from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

HOST_ID = 321
OTHER_HOST_ID = 654

STATUS_RANK = {"draft": 0, "pending": 1, "published": 2, "inactive": 3}
LISTING_STATUSES = tuple(STATUS_RANK)

PERMISSIONS = (
    "users.read",
    "users.write",
    "bookings.read",
    "bookings.write",
    "listings.read",
    "listings.write",
)
READ_PERMISSIONS = ("users.read", "bookings.read", "listings.read")

#: the legacy aliases of the write permissions ("*.create values are accepted temporarily")
LEGACY_PERMISSIONS = (
    "users.read",
    "users.create",
    "bookings.read",
    "bookings.create",
    "listings.read",
    "listings.create",
)
#: every permission but listings.read (and listings.write, which does not imply it)
NO_LISTINGS_READ = ("users.read", "users.write", "bookings.read", "bookings.write")

# credential name -> (host id, active, permissions, expired)
KEY_SPECS: dict[str, tuple[int, bool, tuple[str, ...], bool]] = {
    "api_key": (HOST_ID, True, PERMISSIONS, False),
    "api_key_read_only": (HOST_ID, True, READ_PERMISSIONS, False),
    "api_key_inactive": (HOST_ID, False, PERMISSIONS, False),
    "api_key_other_host": (OTHER_HOST_ID, True, PERMISSIONS, False),
    "api_key_rate_limit": (HOST_ID, True, PERMISSIONS, False),
    "api_key_expired": (HOST_ID, True, PERMISSIONS, True),
    "api_key_legacy": (HOST_ID, True, LEGACY_PERMISSIONS, False),
    "api_key_no_listings_read": (HOST_ID, True, NO_LISTINGS_READ, False),
}

JSON = Any


def normalize_permissions(permissions: tuple[str, ...] | list[str]) -> frozenset[str]:
    """Canonical permission names: the legacy `<area>.create` aliases become `<area>.write`.

    The document accepts `*.create` "temporarily"; keys are stored with canonical names only, so
    every permission check compares against `*.read` / `*.write`.
    """
    return frozenset(p[: -len(".create")] + ".write" if p.endswith(".create") else p for p in permissions)


def canonical(value: JSON) -> str:
    """A JSON text that is equal for equal JSON values (key order ignored; 1, 1.0 and true differ)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Host:
    id: int
    name: str


@dataclass(frozen=True)
class ApiKey:
    value: str
    name: str
    host_id: int
    active: bool
    permissions: frozenset[str]
    expired: bool = False  # its expiration date has passed


@dataclass
class User:
    user_id: int
    email: str | None
    record: dict[str, JSON]  # the fields answered on creation (never the password)


@dataclass
class Booking:
    booking_id: int
    host_id: int
    listing_id: int
    record: dict[str, JSON]


@dataclass
class Room:
    id: int
    key: str  # the sent `id`, or the name: what keeps the int id stable across updates
    name: str
    named: bool = True  # whether the name was sent (else `name` is the "Room N" default)


@dataclass
class RoomType:
    id: int
    key: str
    name: str
    base_price: int
    rooms: list[Room]


@dataclass
class Listing:
    id: int
    host_id: int
    unique_id: str
    status: str
    updated_at: datetime
    fields: dict[str, JSON]  # every stored field as sent (name, original_id, room_types, location, ...)
    room_types: list[RoomType] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        name = self.fields.get("name")
        return name if isinstance(name, str) else None

    @property
    def original_id(self) -> str | None:
        oid = self.fields.get("original_id")
        return oid if isinstance(oid, str) else None


@dataclass
class IdempotencyEntry:
    body: str  # canonical JSON of the request body
    status: int
    data: JSON
    meta: dict[str, JSON]
    kind: str
    expires_at: float  # time.monotonic() deadline
    error: Any = None  # a cached error answer (only with the idempotency-errors-cached fault)


@dataclass
class Message:
    message_id: int
    booking_id: int
    message: str
    created_at: str
    created_monotonic: float

    def as_data(self) -> dict[str, JSON]:
        return {
            "message_id": self.message_id,
            "booking_id": self.booking_id,
            "message": self.message,
            "created_at": self.created_at,
        }


class Store:
    """All state of one server instance."""

    def __init__(self) -> None:
        self.hosts: dict[int, Host] = {}
        self.keys: dict[str, ApiKey] = {}
        self.users: dict[int, User] = {}
        self.users_by_email: dict[str, int] = {}
        self.bookings: dict[int, Booking] = {}
        self.listings: dict[int, Listing] = {}
        self.by_original: dict[tuple[int, str], int] = {}
        self.idempotency: dict[tuple[str, str, str], IdempotencyEntry] = {}
        self.messages: dict[int, list[Message]] = {}
        self.provider_keys: dict[tuple[str, str], int] = {}  # (provider, provider key) -> host id
        self.host_provider_keys: dict[tuple[int, str], str] = {}  # (host id, provider) -> provider key
        self._random = random.Random(20260406)
        self._unique_ids: set[str] = set()
        self.version = 0  # incremented on every change to a listing
        self._next = {
            "listing": 101,
            "room_type": 501,
            "room": 9001,
            "user": 555001,
            "booking": 777001,
            "message": 888001,
        }

    def next_id(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] = value + 1
        return value

    # --- keys and users ---

    def add_key(
        self,
        value: str,
        name: str,
        host_id: int,
        active: bool,
        permissions: tuple[str, ...],
        *,
        expired: bool = False,
        normalize: bool = True,
    ) -> None:
        """A key; its legacy `*.create` permissions become `*.write` unless not `normalize`."""
        granted = normalize_permissions(permissions) if normalize else frozenset(permissions)
        self.keys[value] = ApiKey(value, name, host_id, active, granted, expired)

    def add_user(self, user_id: int, email: str | None, record: dict[str, JSON]) -> User:
        user = User(user_id, email, record)
        self.users[user_id] = user
        if email is not None:
            self.users_by_email[email.lower()] = user_id
        return user

    # --- listings ---

    def _unique_id(self) -> str:
        alphabet = string.ascii_lowercase + string.digits
        while True:
            candidate = "".join(self._random.choice(alphabet) for _ in range(8))
            if candidate not in self._unique_ids:
                self._unique_ids.add(candidate)
                return candidate

    def find_by_original(self, original_id: str, host_id: int | None) -> Listing | None:
        """The listing of `host_id` (of any host, lowest id first, when None) with this original_id."""
        if host_id is not None:
            listing_id = self.by_original.get((host_id, original_id))
            return None if listing_id is None else self.listings[listing_id]
        matches = [lid for (_, oid), lid in self.by_original.items() if oid == original_id]
        return self.listings[min(matches)] if matches else None

    def add_listing(self, host_id: int, fields: dict[str, JSON], status: str, now: datetime) -> Listing:
        now = now.replace(microsecond=0)
        listing = Listing(self.next_id("listing"), host_id, self._unique_id(), status, now, {})
        self.version += 1
        self.listings[listing.id] = listing
        self._set_fields(listing, fields)
        return listing

    def update_listing(self, listing: Listing, fields: dict[str, JSON], status: str, now: datetime) -> bool:
        """Store `fields` and `status`; bump updated_at and return True when anything changed.

        updated_at moves at least one second forward, so every change is visible at the
        second resolution in which it is answered.
        """
        if status == listing.status and canonical(fields) == canonical(listing.fields):
            return False
        self._set_fields(listing, fields)
        listing.status = status
        self.version += 1
        listing.updated_at = max(now.replace(microsecond=0), listing.updated_at + timedelta(seconds=1))
        return True

    def _set_fields(self, listing: Listing, fields: dict[str, JSON]) -> None:
        old = listing.original_id
        if old is not None and self.by_original.get((listing.host_id, old)) == listing.id:
            del self.by_original[(listing.host_id, old)]
        listing.fields = fields
        if listing.original_id is not None:
            self.by_original[(listing.host_id, listing.original_id)] = listing.id
        raw = fields.get("room_types")
        listing.room_types = self._room_types(raw if isinstance(raw, list) else [], listing.room_types)

    def _room_types(self, raw: list[JSON], previous: list[RoomType]) -> list[RoomType]:
        """Room types for the sent array; those whose sent id (or name) is unchanged keep their int id."""
        free = {rt.key: rt for rt in previous}
        result = []
        for position, item in enumerate(raw):
            item = item if isinstance(item, dict) else {}
            name = _name(item, f"Room type {position + 1}")
            key = _stable_key(item, name)
            old = free.pop(key, None)
            prices = item.get("prices")
            base = prices.get("base_price") if isinstance(prices, dict) else None
            rooms_raw = item.get("rooms")
            rooms = self._rooms(rooms_raw if isinstance(rooms_raw, list) else [], old.rooms if old else [])
            result.append(
                RoomType(
                    old.id if old else self.next_id("room_type"),
                    key,
                    name,
                    base if isinstance(base, int) and not isinstance(base, bool) else 0,
                    rooms,
                )
            )
        return result

    def _rooms(self, raw: list[JSON], previous: list[Room]) -> list[Room]:
        free = {room.key: room for room in previous}
        result = []
        for position, item in enumerate(raw):
            item = item if isinstance(item, dict) else {}
            name = _name(item, f"Room {position + 1}")
            key = _stable_key(item, name)
            old = free.pop(key, None)
            named = isinstance(item.get("name"), str)
            result.append(Room(old.id if old else self.next_id("room"), key, name, named))
        return result


def _name(item: dict[str, JSON], default: str) -> str:
    name = item.get("name")
    return name if isinstance(name, str) else default


def _stable_key(item: dict[str, JSON], name: str) -> str:
    return f"id:{canonical(item['id'])}" if item.get("id") is not None else f"name:{name}"


# --- seed data ---------------------------------------------------------------------------------

SEED_EPOCH = datetime(2026, 3, 1, 9, 0, 0, tzinfo=UTC)

# (name, status, original_id, [(room type name, room_type, base_price, [room names])])
_HOST1 = [
    (
        "Sunny Apartment",
        "published",
        "seed-h1-01",
        [("Standard Room", "private", 1200, ["Room 101", "Room 102"]), ("Deluxe Suite", "private", 1650, [])],
    ),
    ("Sunny Apartment Annex", "published", "seed-h1-02", [("Annex Room", "private", 1100, ["Annex 1"])]),
    ("Sunny Side Loft", "draft", "seed-h1-03", [("Loft Bed", "shared", 650, ["Loft A", "Loft B"])]),
    ("100% Coliving Loft", "published", "seed-h1-04", [("Studio", "private", 1400, ["Studio 1"])]),
    (
        "Room_Share Central",
        "pending",
        "seed-h1-05",
        [("Shared Double", "shared", 700, ["Double 1"]), ("Single", "private", 980, ["Single 1"])],
    ),
    ("RoomXShare Central", "published", None, [("Single", "private", 990, ["Single 2"])]),
    ("Old Town Rooms", "inactive", "seed-h1-07", [("Classic Room", "private", 900, ["Classic 1"])]),
    ("Mission District House", "pending", "seed-h1-08", [("Garden Room", "private", 1500, ["Garden 1"])]),
    ("Alpine Lodge", "draft", None, [("Dorm Bed", "shared", 500, ["Dorm 1", "Dorm 2"])]),
    ("1000 Oaks House", "draft", "seed-h1-10", [("Oak Room", "private", 1050, ["Oak 1"])]),
    (
        "Closed Canal House",
        "inactive",
        "seed-h1-11",
        [("Canal Room", "private", 1150, ["Canal 1"]), ("Canal Bunk", "shared", 600, ["Bunk 1"])],
    ),
    ("Riverside Commons", "pending", "seed-h1-12", [("River Room", "private", 1250, ["River 1"])]),
]
# Added after host 654's listings (ids 117-123), each with its updated_at as hours after SEED_EPOCH:
# (name, status, original_id, room types, hours)
_HOST1_MORE = [
    ("Garden Studio", "published", "seed-h1-17", [("Garden Studio", "private", 1350, ["Studio G1"])], 130),
    ("Garden Studio", "published", "seed-h1-18", [("Garden Studio", "private", 1340, ["Studio G2"])], 120),
    ("Harbor House", "pending", "seed-h1-19", [("Harbor Room", "private", 1180, ["Harbor 1"])], 121),
    ("Harbor House", "pending", None, [("Harbor Bunk", "shared", 620, ["Bunk H1"])], 131),
    ("alpha Loft", "draft", "seed-h1-21", [("Loft Room", "private", 1020, ["Loft 1"])], 140),
    ("Alpha House", "pending", "seed-h1-22", [("House Room", "private", 1080, ["House 1"])], 140),
    ("Alpha Loft", "published", "seed-h1-23", [("Loft Suite", "private", 1450, ["Suite 1"])], 150),
]
_HOST2 = [
    ("Sunny Apartment", "published", "seed-h2-01", [("Standard Room", "private", 1300, ["Room 1"])]),
    ("Berlin Kreuzberg House", "published", "seed-h2-02", [("Altbau Room", "private", 850, ["Altbau 1"])]),
    ("Lisbon Surf Coliving", "pending", "seed-h2-03", [("Surf Bunk", "shared", 450, ["Bunk 1"])]),
    ("Tokyo Shibuya Rooms", "draft", "seed-h2-04", [("Tatami Room", "private", 950, ["Tatami 1"])]),
]

_ROOM_TYPES = list[tuple[str, str, int, list[str]]]


def _listing_fields(
    name: str, original_id: str | None, room_types: _ROOM_TYPES, **extra: JSON
) -> dict[str, JSON]:
    fields: dict[str, JSON] = {"name": name}
    if original_id is not None:
        fields["original_id"] = original_id
    fields.update(extra)
    fields["room_types"] = [
        {
            "id": f"{(original_id or name.lower().replace(' ', '-'))}-rt{n + 1}",
            "name": rt_name,
            "room_type": kind,
            "prices": {"base_price": price},
            "rooms": [
                {"id": f"{rt_name.lower().replace(' ', '-')}-{r + 1}", "name": room}
                for r, room in enumerate(rooms)
            ],
        }
        for n, (rt_name, kind, price, rooms) in enumerate(room_types)
    ]
    return fields


#: The alternate variant's extra listing of host 321: a name with an accent, which an accent- and
#: case-insensitive collation sorts among the E names and a binary or casefolding one after Z.
ALTERNATE_ACCENTED = ("Élan Vital Loft", "draft", "seed-h1-alt-1", [("Élan Room", "private", 990, ["É1"])])
#: The permission the alternate variant requires for POST /v1/integrations/{provider}/provider-key
#: (the document names none); its full keys hold it.
INTEGRATIONS_WRITE = "integrations.write"


def seed_alternate(store: Store) -> None:
    """What the alternate variant adds to `seed`: the accented listing, and the integrations
    permission on every key that may write listings."""
    name, status, original_id, room_types = ALTERNATE_ACCENTED
    fields = _listing_fields(name, original_id, room_types, location={"city": "Lyon", "country": "France"})
    store.add_listing(HOST_ID, fields, status, SEED_EPOCH + timedelta(hours=160))
    for value, key in list(store.keys.items()):
        if "listings.write" in key.permissions:
            store.keys[value] = ApiKey(
                key.value,
                key.name,
                key.host_id,
                key.active,
                key.permissions | {INTEGRATIONS_WRITE},
                key.expired,
            )


def seed(
    store: Store, credentials: dict[str, str], extra_listings: int = 0, *, normalize: bool = True
) -> None:
    """Fill `store` with the hosts, keys, users and listings described in the module docstring
    (the keys' legacy permissions left as they are unless `normalize`)."""
    store.hosts[HOST_ID] = Host(HOST_ID, "Seed Host One")
    store.hosts[OTHER_HOST_ID] = Host(OTHER_HOST_ID, "Seed Host Two")
    for name, (host_id, active, permissions, expired) in KEY_SPECS.items():
        if credentials.get(name):
            store.add_key(
                credentials[name], name, host_id, active, permissions, expired=expired, normalize=normalize
            )
    stamp = "2026-03-01T09:00:00.000000Z"
    for user_id, email, first, last in (
        (123, "seed.one@example.com", "Ada", "Lovelace"),
        (124, "seed.two@example.com", "Alan", "Turing"),
    ):
        store.add_user(
            user_id,
            email,
            {
                "user_id": user_id,
                "name": f"{first} {last}",
                "email": email,
                "first_name": first,
                "last_name": last,
                "status": 1,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
    tick = 0
    for host_id, rows in ((HOST_ID, _HOST1), (OTHER_HOST_ID, _HOST2)):
        for name, status, original_id, room_types in rows:
            tick += 1
            extra: dict[str, JSON] = {"location": {"city": "San Francisco", "country": "United States"}}
            if tick == 1:
                extra["prices"] = {"currency": "usd", "security_deposit": 300}
            store.add_listing(
                host_id,
                _listing_fields(name, original_id, room_types, **extra),
                status,
                SEED_EPOCH + timedelta(hours=tick * 7, minutes=tick * 13),
            )
    for name, status, original_id, room_types, hours in _HOST1_MORE:
        fields = _listing_fields(
            name, original_id, room_types, location={"city": "Oakland", "country": "United States"}
        )
        store.add_listing(HOST_ID, fields, status, SEED_EPOCH + timedelta(hours=hours))
    for n in range(1, extra_listings + 1):
        fields = _listing_fields(
            f"Generated Listing {n:05d}",
            f"gen-{n:05d}",
            [("Generated Room", "private", 800 + n % 500, [f"Generated {n:05d}-1"])],
        )
        store.add_listing(HOST_ID, fields, LISTING_STATUSES[n % 4], SEED_EPOCH - timedelta(minutes=n))
