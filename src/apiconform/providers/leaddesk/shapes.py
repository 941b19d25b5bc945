"""Reading LeadDesk bodies under every reading leaddesk-api.txt allows (suites/leaddesk/readings.toml).

The document names some members twice: the Collections prose says "collection, links and meta" and
"links for next and previous page", the Objects prose "_link object", while both examples spell
`_links`, `_meta` and `prev`. It shows `_links.self` only in an example, and says `total` is "like"
what `_meta` holds. Links are absolute URLs in every example; nothing says a relative one is wrong.
The functions here find a member under any of its documented names, treat a null link as an absent
one, and never guess beyond that: each returns None for what the body does not hold in any reading.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: Names of the links object: the examples' `_links`, the Objects prose's `_link`, the Collections
#: prose's `links`.
LINKS_NAMES = ("_links", "_link", "links")
#: Names of the meta object: the example's `_meta`, the prose's `meta`.
META_NAMES = ("_meta", "meta")
#: Names of the previous-page link: the example's `prev`, the prose's "previous page".
PREV_NAMES = ("prev", "previous")
#: The names the document's examples use (what the SHOULD rule on member names asks for).
EXAMPLE_NAMES = {"links": "_links", "meta": "_meta", "prev": "prev"}
#: Properties taken as dates (the document lists none): `*_at`, `date`, `*_date`, `datetime`,
#: `*_datetime` (silence point leaddesk.date-format).
DATE_NAME = re.compile(r"(^|_)(at|date|datetime)$")
#: Properties a server keeps itself on a write (besides the dates): who changed an object last,
#: its version (silence point leaddesk.server-kept-properties).
SERVER_KEPT = re.compile(r"^(updated|modified|last_|version|etag|revision)")


def client_data(body: Any, relation: str) -> dict[str, Any]:
    """The properties of an object that a write of `relation` alone leaves as they were: all but
    that relation and what derives from it (names holding its singular, e.g. product_count), the
    dates and what the server keeps itself (SERVER_KEPT), and underscore names (links, meta)."""
    if not isinstance(body, dict):
        return {}
    stem = relation.removesuffix("s")
    return {
        name: value
        for name, value in body.items()
        if not (name.startswith("_") or stem in name or DATE_NAME.search(name) or SERVER_KEPT.match(name))
    }


def member(body: Any, names: tuple[str, ...]) -> tuple[str | None, Any]:
    """The first of `names` that `body` (a JSON object) has, and its value; (None, None) if none."""
    if isinstance(body, dict):
        for name in names:
            if name in body:
                return name, body[name]
    return None, None


def links_of(body: Any) -> dict[str, Any] | None:
    """The links object of a collection or an object under any documented name (None when absent
    or not an object)."""
    _, value = member(body, LINKS_NAMES)
    return value if isinstance(value, dict) else None


def meta_of(body: Any) -> dict[str, Any] | None:
    """The meta object of a collection under any documented name (None when absent or not an object)."""
    _, value = member(body, META_NAMES)
    return value if isinstance(value, dict) else None


def is_count(value: Any) -> bool:
    """Whether `value` is a JSON integer (not a boolean) of at least 0."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def total_of(body: Any) -> int | None:
    """`total` of the collection's meta object when it is a count; None otherwise."""
    meta = meta_of(body)
    total = meta.get("total") if meta is not None else None
    return total if is_count(total) else None


def link(links: dict[str, Any] | None, relation: str) -> str | None:
    """The URL of link `relation` ("next", "prev" or "self"; prev also as "previous"); None when
    absent, null, or not a string."""
    if links is None:
        return None
    names = PREV_NAMES if relation == "prev" else (relation,)
    _, value = member(links, names)
    return value if isinstance(value, str) else None


def query_page(url: Any) -> tuple[int | None, int | None]:
    """(page, per_page) named in a URL's query (None where absent or not a decimal integer)."""
    if not isinstance(url, str):
        return None, None
    query = parse_qs(urlsplit(url).query)

    def number(name: str) -> int | None:
        values = query.get(name)
        return int(values[0]) if values and values[0].isdigit() else None

    return number("page"), number("per_page")


def item_id(item: Any) -> Any:
    """The id of a related entry: the entry itself when it is a bare id, else its `id` member."""
    if isinstance(item, dict):
        return item.get("id")
    return item if isinstance(item, (int, str)) and not isinstance(item, bool) else None


def related_ids(value: Any) -> list[Any] | None:
    """The ids a relation holds: an array of ids or of objects with an id, or a collection whose
    `collection` is such an array. None when `value` is none of these."""
    if isinstance(value, dict):
        value = value.get("collection")
    if not isinstance(value, list):
        return None
    ids = [item_id(item) for item in value]
    return None if any(i is None for i in ids) else ids
