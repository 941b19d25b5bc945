"""LeadDesk's media rules over one body or response (leaddesk-api.txt: Content types, UTF-8; Data
format: ISO 8601; Objects: underscore prefix reserved, links object), shared by the live suite
(suites/leaddesk/test_media.py) and observed mode (apiconform.providers.leaddesk.observed).

Which properties hold dates is not documented (the resource models are not part of the document):
string properties named `*_at`, `date`, `*_date`, `datetime` or `*_datetime` are taken as dates, and
must be ISO 8601 in any of its forms (apiconform.checks.iso8601); the example's RFC 3339 form is a
SHOULD. The underscore prefix is "reserved for internal use", so which underscore names the API
uses is its own business: only a SHOULD asks for nothing but the documented ones."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from apiconform.checks.expect import Evidence, check
from apiconform.checks.iso8601 import iso8601_problem, rfc3339_problem
from apiconform.checks.verdicts import RuleSink

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


def check_body(body: Any, what: str, verdicts: RuleSink, *responses: Evidence) -> None:
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
