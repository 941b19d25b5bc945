"""In-memory state of the Livespace reference server, and its deterministic seed data.

Nothing here knows HTTP; `server.py` does routing, authorization and validation and holds a lock
around every call into the store.

- Users: one per configured key pair: `api_key`/`api_secret` may read and write;
  `api_key_read_only`/`api_secret_read_only` (when both are configured) may only read.
- Sessions: getToken issues a token (40 hex) and a session id (32 hex) bound to the key. A session
  remembers how often it was used; at most MAX_SESSIONS are kept (the oldest are forgotten).
- Contacts: 30 seeded (ids 1-30, identical on every start; every seventh has no email); contacts
  added through the API get ids from 31 up (ids are never reused). Timestamps are
  "YYYY-MM-DD HH:MM:SS".
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

MAX_SESSIONS = 10_000
SEED_CONTACTS = 30
SEED_START = datetime(2024, 1, 8, 9, 0, 0)
FIRST_NAMES = ("Anna", "Piotr", "Maria", "Tomasz", "Katarzyna", "Marek", "Ewa", "Jan", "Zofia", "Adam")
LAST_NAMES = ("Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski")
ASCII = str.maketrans("śóńęłąćźż", "sonelaczz")

JSON = Any


def stamp(moment: datetime) -> str:
    """The Livespace timestamp form: "YYYY-MM-DD HH:MM:SS"."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class User:
    key: str
    secret: str
    can_write: bool


@dataclass
class Session:
    session_id: str
    token: str
    key: str  # the API key the session was issued to
    uses: int = 0


@dataclass
class Contact:
    id: int
    firstname: str
    lastname: str
    email: str | None
    created: str

    def as_data(self) -> dict[str, JSON]:
        return {
            "id": self.id,
            "firstname": self.firstname,
            "lastname": self.lastname,
            "email": self.email,
            "created": self.created,
        }


class Store:
    """All state of one server instance."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.sessions: OrderedDict[str, Session] = OrderedDict()
        self.contacts: dict[int, Contact] = {}
        self.next_contact_id = 1

    def issue_session(self, key: str) -> Session:
        """A new token and session id for `key` (forgetting the oldest beyond MAX_SESSIONS)."""
        session = Session(secrets.token_hex(16), secrets.token_hex(20), key)
        self.sessions[session.session_id] = session
        while len(self.sessions) > MAX_SESSIONS:
            self.sessions.popitem(last=False)
        return session

    def end_sessions(self, key: str) -> None:
        """Forget every session issued to `key`."""
        for session_id in [sid for sid, session in self.sessions.items() if session.key == key]:
            del self.sessions[session_id]

    def add_contact(self, firstname: str, lastname: str, email: str | None, created: str) -> Contact:
        contact = Contact(self.next_contact_id, firstname, lastname, email, created)
        self.contacts[contact.id] = contact
        self.next_contact_id += 1
        return contact

    def page(self, limit: int, offset: int) -> list[Contact]:
        """Contacts by id, `offset` skipped, at most `limit`."""
        ordered = sorted(self.contacts)
        return [self.contacts[contact_id] for contact_id in ordered[offset : offset + limit]]


def now_stamp() -> str:
    return stamp(datetime.now(UTC))


def seed(store: Store, credentials: Mapping[str, str]) -> None:
    """The users of the configured key pairs and the 30 seed contacts."""
    for key_name, secret_name, can_write in (
        ("api_key", "api_secret", True),
        ("api_key_read_only", "api_secret_read_only", False),
    ):
        key, secret = credentials.get(key_name), credentials.get(secret_name)
        if key and secret:
            store.users[key] = User(key, secret, can_write)
    for n in range(SEED_CONTACTS):
        first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)]
        email = None if n % 7 == 6 else f"{first}.{last}{n + 1}@example.com".lower().translate(ASCII)
        store.add_contact(first, last, email, stamp(SEED_START + timedelta(days=n, hours=n % 9)))
