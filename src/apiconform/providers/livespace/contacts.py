"""The reference server's Contact module, in the plain reading (clean and quirky) and in the
alternate one (other method names, parameters and data shapes: the document gives none).

Plain: `getAll` (`limit` 1-100, default 20; `offset` >= 0; data `{"items": [...], "total": n}`),
`get` (`id`; an unknown id is 400), `add` (write: `firstname` required, `lastname`, `email`; data
`{"id": n}`), `delete` (write: `id`; data `{"id": n}`); contacts `{"id", "firstname",
"lastname", "email", "created"}` with integer ids and "YYYY-MM-DD HH:MM:SS" times. The quirky
variant adds `owner_id` to contacts and `limit`/`offset` to the getAll data.

Alternate: `getContacts` (`limit` 1-1000, default 50; `offset` 0-1,000,000; data: a bare list),
`getContact` (`contact_id`, required; any value that names no contact, an object
included, answers 200 with data null), `addContact` (write: `name`
and `surname` required, `email`; data: the new id), `deleteContact` (write: `contact_id`; data
true); contacts `{"id", "name", "surname", "email", "created_at"}` with string ids ("C7") and ISO
8601 basic-format times ("20240108T090000", not RFC 3339); any parameter a method does not take
is a validation error.

Faults (`faults.py`) act on the plain methods only (the fault runs use the clean server).
"""

from __future__ import annotations

import re
from collections.abc import Set

from apiconform.providers.livespace.params import JSON, ApiError, Method, Params
from apiconform.providers.livespace.store import Contact, Store, now_stamp

ALTERNATE_ID = re.compile(r"C([1-9][0-9]{0,17})")


class PlainContacts:
    """Contact/getAll, get, add and delete."""

    def __init__(self, store: Store, faults: Set[str], *, quirky: bool) -> None:
        self.store = store
        self.faults = faults
        self.quirky = quirky

    def methods(self) -> dict[str, Method]:
        return {
            "getAll": Method(self.get_all, write=False),
            "get": Method(self.get, write=False),
            "add": Method(self.add, write=True),
            "delete": Method(self.delete, write=True),
        }

    def data(self, contact: Contact) -> dict[str, JSON]:
        data = contact.as_data()
        if "contact-missing-created" in self.faults:
            del data["created"]
        if self.quirky:
            data["owner_id"] = 1
        return data

    def validation(self, params: Params) -> None:
        params.check(550 if "validation-550" in self.faults else 420)

    def find(self, params: Params) -> Contact | None:
        """The contact `id` names; None when the id is invalid and validation-ignored is on."""
        contact_id = params.integer("id", None, 1)
        if params.problems and "validation-ignored" in self.faults:
            return None
        self.validation(params)
        contact = self.store.contacts.get(contact_id)
        if contact is None:
            raise ApiError(400, f"contact {contact_id} not found")
        return contact

    def get_all(self, params: Params) -> JSON:
        limit = params.integer("limit", 20, 1, 100)
        offset = params.integer("offset", 0, 0)
        self.validation(params)
        data: dict[str, JSON] = {
            "items": [self.data(contact) for contact in self.store.page(limit, offset)],
            "total": len(self.store.contacts),
        }
        if self.quirky:
            data.update(limit=limit, offset=offset)
        return data

    def get(self, params: Params) -> JSON:
        contact = self.find(params)
        if contact is None:
            return None
        if "get-another-contact" in self.faults:
            ids = sorted(self.store.contacts)
            contact = self.store.contacts[ids[(ids.index(contact.id) + 1) % len(ids)]]
        return self.data(contact)

    def add(self, params: Params) -> JSON:
        firstname = params.text("firstname", "", required=True)
        lastname = params.text("lastname", "")
        email = params.text("email", None)
        self.validation(params)
        contact = self.store.add_contact(firstname or "", lastname or "", email, now_stamp())
        return {"id": contact.id}

    def delete(self, params: Params) -> JSON:
        contact = self.find(params)
        if contact is None:
            return None
        if "delete-not-applied" not in self.faults:
            del self.store.contacts[contact.id]
        return {"id": contact.id}


class AlternateContacts:
    """Contact/getContacts, getContact, addContact and deleteContact."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def methods(self) -> dict[str, Method]:
        return {
            "getContacts": Method(self.get_contacts, write=False),
            "getContact": Method(self.get_contact, write=False),
            "addContact": Method(self.add_contact, write=True),
            "deleteContact": Method(self.delete_contact, write=True),
        }

    @staticmethod
    def data(contact: Contact) -> dict[str, JSON]:
        return {
            "id": f"C{contact.id}",
            "name": contact.firstname,
            "surname": contact.lastname,
            "email": contact.email,
            "created_at": contact.created.replace("-", "").replace(":", "").replace(" ", "T"),
        }

    def contact_id(self, params: Params) -> int | None:
        """The number of the contact `contact_id` names (None: no such contact, whatever the
        value: an object or a number names no contact either); a missing id is a validation error."""
        params.read.add("contact_id")
        value = params.values.get("contact_id")
        if value is None or value == "":
            params.problems.append("contact_id is required (a string such as C7)")
        params.check(420)
        match = ALTERNATE_ID.fullmatch(value) if isinstance(value, str) else None
        return int(match[1]) if match else None

    def get_contacts(self, params: Params) -> JSON:
        limit = params.integer("limit", 50, 1, 1000)
        offset = params.integer("offset", 0, 0, 1_000_000)
        params.check(420)
        return [self.data(contact) for contact in self.store.page(limit, offset)]

    def get_contact(self, params: Params) -> JSON:
        number = self.contact_id(params)
        contact = self.store.contacts.get(number) if number is not None else None
        return None if contact is None else self.data(contact)

    def add_contact(self, params: Params) -> JSON:
        name = params.text("name", None, required=True)
        surname = params.text("surname", None, required=True)
        email = params.text("email", None)
        params.check(420)
        contact = self.store.add_contact(name or "", surname or "", email, now_stamp())
        return f"C{contact.id}"

    def delete_contact(self, params: Params) -> JSON:
        number = self.contact_id(params)
        if number is None or number not in self.store.contacts:
            raise ApiError(400, f"contact {params.values.get('contact_id')} not found")
        del self.store.contacts[number]
        return True
