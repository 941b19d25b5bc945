"""Finding things in Livespace data, whose shapes the document does not give.

Each function looks where the settings say (a key the user set is taken as given) and, for a
default, searches around it; None means "not found", never a guess. No MUST rule checks a shape
through these: they only find what a rule needs (a token, a list, an id) or tell it to skip.
"""

from __future__ import annotations

from typing import Any

from apiconform.providers.livespace.settings import Settings

#: What counts as "no data" in a success (e.g. reading an object that no longer exists).
EMPTY: tuple[Any, ...] = (None, [], {}, "", False)


def is_scalar_id(value: Any) -> bool:
    """A non-empty string or an integer (not a boolean)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value != "")


def _member(data: Any, configured: str, explicit: bool, word: str) -> Any:
    """data[configured]; for a default name that is absent, the one member whose name contains
    `word`."""
    if not isinstance(data, dict):
        return None
    if configured in data or explicit:
        return data.get(configured)
    named = [name for name in data if word in str(name).lower()]
    return data[named[0]] if len(named) == 1 else None


def token_of(data: Any, settings: Settings) -> Any:
    """The token in getToken's data (a non-empty string or an integer), or None."""
    explicit = "token_field" in settings.configured
    value = _member(data, settings.token_field, explicit, "token")
    return value if is_scalar_id(value) else None


def session_of(data: Any, settings: Settings) -> Any:
    """The session id in getToken's data (a non-empty string or an integer), or None."""
    explicit = "session_field" in settings.configured
    value = _member(data, settings.session_field, explicit, "session")
    return value if is_scalar_id(value) else None


def items_of(data: Any, settings: Settings) -> list[Any] | None:
    """The list in the list method's data, or None when it cannot be found."""
    where = settings.list_items
    if "list_items" in settings.configured:
        found = data if where == "" else data.get(where) if isinstance(data, dict) else None
        return found if isinstance(found, list) else None
    if isinstance(data, dict) and isinstance(data.get(where), list):
        return list(data[where])
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) == 1:
            return lists[0]
    return None


def id_of(item: Any, settings: Settings) -> Any:
    """An object's id: its member named `id_param`, else `id`; a bare id stands for itself."""
    if is_scalar_id(item):
        return item
    if not isinstance(item, dict):
        return None
    for name in dict.fromkeys((settings.id_param, "id")):
        if is_scalar_id(item.get(name)):
            return item[name]
    return None


def created_id(data: Any, settings: Settings) -> Any:
    """The id of the object an add answered: the data itself (a bare id), its id member, or the
    id of its one object-valued member (e.g. {"contact": {"id": 7}})."""
    found = id_of(data, settings)
    if found is not None or not isinstance(data, dict):
        return found
    nested = [value for value in data.values() if isinstance(value, dict)]
    return id_of(nested[0], settings) if len(nested) == 1 else None


def same_id(a: Any, b: Any) -> bool:
    """Both ids (a string or an integer) and equal, an integer and its decimal string counting as
    equal."""
    return is_scalar_id(a) and is_scalar_id(b) and (a == b or str(a) == str(b))


def contains(data: Any, value: str) -> bool:
    """Whether the string `value` appears in `data` (a member value or a list entry, at any depth,
    or inside a longer string)."""
    if isinstance(data, str):
        return value in data
    if isinstance(data, dict):
        return any(contains(member, value) for member in data.values())
    if isinstance(data, list):
        return any(contains(entry, value) for entry in data)
    return False
