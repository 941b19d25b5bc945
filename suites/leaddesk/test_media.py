"""Media and object rules (leaddesk-api.txt: Content types, UTF-8; Data format: ISO 8601;
Objects: underscore prefix reserved, links object).

Which properties hold dates is not documented (the resource models are not part of the document):
string properties named `*_at`, `date`, `*_date`, `datetime` or `*_datetime` are taken as dates, and
must be ISO 8601 in any of its forms (apiconform.checks.iso8601); the example's RFC 3339 form is a
SHOULD. The underscore prefix is "reserved for internal use", so which underscore names the API
uses is its own business: only a SHOULD asks for nothing but the documented ones."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

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
    fail,
    iso8601_problem,
    recorded_json,
    rfc3339_problem,
)

RESERVED = {"_links", "_link", "_meta", "_embedded"}
DATE_NAME = re.compile(r"(^|_)(at|date|datetime)$")


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


def properties(value: Any, path: str = "") -> list[tuple[str, str, Any]]:
    """(path, name, value) of every property of every object in `value`, at any depth."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found.append((where, str(key), item))
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
        if DATE_NAME.search(name) and isinstance(value, str) and (why := problem(value)):
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


def check_body(body: Any, what: str, verdicts: Verdicts, *responses: ApiResponse | Exchange) -> None:
    """The rules every JSON body is held to."""
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


MEDIA_RULES = (
    "leaddesk.media.json-utf8",
    "leaddesk.media.iso8601",
    "leaddesk.media.iso8601-extended",
    "leaddesk.media.underscore-reserved",
    "leaddesk.media.example-member-names",
)


@pytest.mark.rule(*MEDIA_RULES, "leaddesk.media.object-links")
def test_collection_and_object(client, bearer, reference, verdicts: Verdicts):
    """A collection page and a single user: JSON in UTF-8, dates, underscore names, member names,
    and a links object on the object."""
    reference.require(1)
    first = reference.items[0]
    user_id = first.get("id") if isinstance(first, dict) else None
    single = client.request("GET", f"{USERS_PATH}/{user_id}", headers=bearer)
    check(single.status_code == 200, f"GET /users/{user_id}: HTTP {single.status_code}", single)
    page = reference.walk.pages[0].response
    for what, response in (("GET /users", page), (f"GET /users/{user_id}", single)):
        with verdicts.check("leaddesk.media.json-utf8"):
            problem = media_problem(response.headers.get("content-type", ""))
            check(problem is None, f"{what}: {problem}", response)
            try:
                response.content.decode("utf-8")
            except UnicodeDecodeError:
                fail(f"{what}: the body is not valid UTF-8", response)
        check_body(response.json_or_none(), what, verdicts, response)
    with verdicts.check("leaddesk.media.object-links"):
        links = shapes.links_of(single.json_or_none())
        check(links is not None, f"GET /users/{user_id}: no links object (_links, or _link)", single)


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
        problem = media_problem(content_type(exchange))
        if problem is not None:
            with verdicts.check("leaddesk.media.json-utf8"):
                fail(problem, exchange)
        body = parsed(exchange)
        if body is not None:
            check_body(body, f"{exchange.method} {exchange.url}", verdicts, exchange)
