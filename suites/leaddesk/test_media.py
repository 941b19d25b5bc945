"""Media and object rules (leaddesk-api.txt: Content types, UTF-8, another content type requested;
Data format: ISO 8601; Parameters: lower-case attribute keys; Objects: properties at the root,
underscore prefix reserved, a links object to the object's further resources).

Which properties hold dates is not documented (the resource models are not part of the document):
string properties named `*_at`, `date`, `*_date`, `datetime` or `*_datetime` are taken as dates, and
must be ISO 8601 in any of its forms (apiconform.checks.iso8601); the example's RFC 3339 form is a
SHOULD. The underscore prefix is "reserved for internal use", so which underscore names the API
uses is its own business: only a SHOULD asks for nothing but the documented ones. A Content-Type
without a charset is JSON's own UTF-8 (the MUST); the example's `charset=utf-8` is a SHOULD. Ids
may be numbers or strings (the MUST); numbers, as the examples, are a SHOULD. Property names are
the API's attribute keys, which "needs to be written with lowercase letters": error_validation's
keys are not, since they name what the client sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from apiconform.providers.leaddesk import shapes
from apiconform.providers.leaddesk.profile import USERS_PATH
from apiconform.suite import (
    NOT_KEPT,
    ApiResponse,
    Exchange,
    Verdicts,
    answered_exchanges,
    check,
    content_type,
    error_shape,
    fail,
    iso8601_problem,
    recorded_json,
    rfc3339_problem,
)

RESERVED = {"_links", "_link", "_meta", "_embedded"}
#: A media type the API does not serve, for the rule on requesting another content type.
OTHER_MEDIA_TYPE = "application/xml"
#: Link relations that navigate (RFC 8288's registry) rather than name a further resource.
NAVIGATION = frozenset(
    {"self", "collection", "up", "edit", "related", "first", "last", "next", "prev", "previous"}
)


def media_problem(content_type: str) -> str | None:
    """Why a Content-Type is not JSON in UTF-8 (None when it is)."""
    media, _, params = content_type.partition(";")
    if media.strip().lower() != "application/json":
        return f"Content-Type {content_type!r} is not application/json"
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return f"Content-Type {content_type!r} names another charset than UTF-8"
    return None


def charset_problem(content_type: str) -> str | None:
    """Why a JSON Content-Type does not name the example's charset=utf-8 (None when it does)."""
    for param in content_type.partition(";")[2].split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() in ("utf-8", "utf8"):
            return None
    return f"Content-Type {content_type!r} does not say charset=utf-8 (the response header example)"


def properties(value: Any, path: str = "") -> list[tuple[str, str, Any]]:
    """(path, name, value) of every property of every object in `value`, at any depth (the
    contents of error_validation, which name the client's parameters, left out)."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found.append((where, str(key), item))
            if key != "error_validation":
                found += properties(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += properties(item, f"{path}[{index}]")
    return found


def underscored(body: Any) -> list[str]:
    """Paths of properties starting with _ other than the documented ones."""
    return [path for path, name, _ in properties(body) if name.startswith("_") and name not in RESERVED]


def date_problems(body: Any, problem: Callable[[str], str | None] = iso8601_problem) -> list[str]:
    """`path: why` for every date property (by name) whose string value `problem` refuses."""
    found = []
    for path, name, value in properties(body):
        if shapes.DATE_NAME.search(name) and isinstance(value, str) and (why := problem(value)):
            found.append(f"{path}: {why}")
    return found


def prose_names(body: Any) -> list[str]:
    """Paths of members named as the prose names them where the examples use other names: `_link`
    anywhere, a collection's `links` and `meta`, a links object's `previous`."""
    found = []
    if isinstance(body, dict) and "collection" in body:
        found += [name for name in ("links", "meta") if isinstance(body.get(name), dict)]
    for path, name, value in properties(body):
        if name == "_link" and isinstance(value, dict):
            found.append(path)
        if name in ("_links", "_link", "links") and isinstance(value, dict) and "previous" in value:
            found.append(f"{path}.previous")
    return found


def upper_case_names(body: Any) -> list[str]:
    """Paths of properties whose names have an upper-case letter."""
    return [path for path, name, _ in properties(body) if name != name.lower()]


def check_body(body: Any, what: str, verdicts: Verdicts, *responses: ApiResponse | Exchange) -> None:
    """The rules every JSON body is held to."""
    with verdicts.check("leaddesk.media.lowercase-names"):
        paths = upper_case_names(body)
        check(not paths, f"{what}: properties {paths[:5]} are not written in lower-case letters", *responses)
    with verdicts.check("leaddesk.media.iso8601"):
        problems = date_problems(body)
        check(not problems, f"{what}: dates not in ISO 8601: {problems[:3]}", *responses)
    with verdicts.check("leaddesk.media.iso8601-extended"):
        problems = date_problems(body, rfc3339_problem)
        check(not problems, f"{what}: dates not in the example's RFC 3339 form: {problems[:3]}", *responses)
    with verdicts.check("leaddesk.media.underscore-reserved"):
        paths = underscored(body)
        check(not paths, f"{what}: properties {paths[:5]} start with an underscore", *responses)
    with verdicts.check("leaddesk.media.example-member-names"):
        paths = prose_names(body)
        check(not paths, f"{what}: {paths[:5]} named as the prose, not the examples", *responses)


def check_media(content_type: str, what: str, verdicts: Verdicts, *responses: ApiResponse | Exchange) -> None:
    """The media type rules every response with a body is held to."""
    with verdicts.check("leaddesk.media.json-utf8"):
        problem = media_problem(content_type)
        check(problem is None, f"{what}: {problem}", *responses)
    with verdicts.check("leaddesk.media.charset-utf8"):
        problem = charset_problem(content_type)
        check(problem is None, f"{what}: {problem}", *responses)


MEDIA_RULES = (
    "leaddesk.media.json-utf8",
    "leaddesk.media.charset-utf8",
    "leaddesk.media.iso8601",
    "leaddesk.media.iso8601-extended",
    "leaddesk.media.underscore-reserved",
    "leaddesk.media.example-member-names",
    "leaddesk.media.lowercase-names",
)


def link_path(url: Any) -> str | None:
    """The path a link (absolute, or a relative reference) points at (None for no link)."""
    return urlsplit(url).path.rstrip("/") if isinstance(url, str) and url else None


def outside(links: dict[str, Any], own: str) -> list[str]:
    """`name: url` of each link that points neither at the object (a path ending in `own`) nor
    at a resource inside it, navigation relations (self, collection, up, ...) left aside."""
    found = []
    for name, url in links.items():
        path = link_path(url)
        if name in NAVIGATION or path is None:
            continue
        if not path.endswith(own) and f"{own}/" not in path:
            found.append(f"{name}: {url}")
    return found


def check_object_links(links: Any, own: str, what: str, response: ApiResponse) -> None:
    """A links object whose links (navigation aside) point at resources inside the object."""
    check(isinstance(links, dict), f"{what}: no links object (_links, or _link)", response)
    elsewhere = outside(links, own)
    check(not elsewhere, f"{what}: links {elsewhere[:3]} point outside {own}, not inside it", response)


def check_example_types(items: list[Any], what: str, response: ApiResponse) -> None:
    """Users as the Objects example types them: an integer id, a string username."""
    wrong = [
        item.get("id")
        for item in items
        if isinstance(item, dict)
        and (
            not isinstance(item.get("id"), int)
            or isinstance(item.get("id"), bool)
            or not isinstance(item.get("username", ""), str)
        )
    ]
    check(
        not wrong,
        f"{what}: users {wrong[:3]!r} without an integer id and a string username (the example)",
        response,
    )


@pytest.mark.rule(
    *MEDIA_RULES,
    "leaddesk.media.object-links",
    "leaddesk.media.object-root",
    "leaddesk.media.object-links-example",
    "leaddesk.media.example-types",
)
def test_collection_and_object(client, bearer, reference, verdicts: Verdicts):
    """A collection page and a single user: JSON in UTF-8, dates, underscore and member names,
    the object's properties at the root, and its links object: links to resources inside it, and
    as the example, self and custom_fields."""
    reference.require(1)
    first = reference.items[0]
    user_id = first.get("id") if isinstance(first, dict) else None
    own = f"{USERS_PATH}/{user_id}"
    single = client.request("GET", own, headers=bearer)
    check(single.status_code == 200, f"GET {own}: HTTP {single.status_code}", single)
    page = reference.walk.pages[0].response
    for what, response in (("GET /users", page), (f"GET {own}", single)):
        check_media(response.headers.get("content-type", ""), what, verdicts, response)
        with verdicts.check("leaddesk.media.json-utf8"):
            try:
                response.content.decode("utf-8")
            except UnicodeDecodeError:
                fail(f"{what}: the body is not valid UTF-8", response)
        check_body(response.json_or_none(), what, verdicts, response)
    body = single.json_or_none()
    with verdicts.check("leaddesk.media.object-root"):
        found = body.get("id") if isinstance(body, dict) else None
        check(
            found is not None and str(found) == str(user_id),
            f"GET {own}: the root of the response holds id {found!r}, not the object's properties",
            single,
        )
    links = shapes.links_of(body)
    with verdicts.check("leaddesk.media.object-links"):
        check_object_links(links, own, f"GET {own}", single)
    with verdicts.check("leaddesk.media.object-links-example"):
        links = links if isinstance(links, dict) else {}
        own_link = link_path(links.get("self"))
        check(
            own_link is not None and own_link.endswith(own),
            f"GET {own}: its links' self is {links.get('self')!r}, not its own URL (the example)",
            single,
        )
        check(
            link_path(links.get("custom_fields")) is not None,
            f"GET {own}: its links carry no custom_fields (the example)",
            single,
        )
    with verdicts.check("leaddesk.media.example-types"):
        check_example_types([body], f"GET {own}", single)
        check_example_types(reference.walk.pages[0].items, "GET /users", page)


@pytest.mark.rule("leaddesk.media.other-accept-refused")
def test_another_content_type_requested(client, profile, bearer):
    """GET /users asking for another content type only (Accept: application/xml): "If some else
    content type is requested an error will occur": a 4xx with the error object (406 or another;
    the status is not stated), never the collection."""
    response = client.request(
        "GET", USERS_PATH, headers={**bearer, "Accept": OTHER_MEDIA_TYPE}, params={"per_page": 1}
    )
    what = f"GET /users with Accept: {OTHER_MEDIA_TYPE}"
    check(400 <= response.status_code < 500, f"{what}: HTTP {response.status_code}, not an error", response)
    error_shape(profile, response, what)


def parsed(exchange: Exchange) -> Any:
    body = recorded_json(exchange)
    return None if body is NOT_KEPT else body


@pytest.mark.observer
@pytest.mark.rule(*MEDIA_RULES)
def test_every_response_of_the_run(client, target, verdicts: Verdicts):
    """Every exchange of the session so far (this test runs last)."""
    seen = answered_exchanges(client, target.masker.mask(target.base_url))
    for exchange in seen:
        if exchange.body_json is None:
            continue
        what = f"{exchange.method} {exchange.url}"
        check_media(content_type(exchange), what, verdicts, exchange)
        with verdicts.check("leaddesk.media.json-utf8"):
            check(exchange.body_json, f"{what}: the body does not parse as JSON in UTF-8", exchange)
        body = parsed(exchange)
        if body is not None:
            check_body(body, f"{exchange.method} {exchange.url}", verdicts, exchange)
