"""LeadDesk's media rules over one body or response (leaddesk-api.txt: Content types, UTF-8; Data
format: ISO 8601; Parameters: lower-case attribute keys; Objects: underscore prefix reserved, a
links object to the object's further resources), shared by the live suite
(suites/leaddesk/test_media.py) and observed mode (apiconform.providers.leaddesk.observed).

Which properties hold dates is not documented (the resource models are not part of the document):
string properties named `*_at`, `date`, `*_date`, `datetime` or `*_datetime` are taken as dates, and
must be ISO 8601 in any of its forms (apiconform.checks.iso8601); the example's RFC 3339 form is a
SHOULD. The underscore prefix is "reserved for internal use", so which underscore names the API
uses is its own business: only a SHOULD asks for nothing but the documented ones. A Content-Type
without a charset is JSON's own UTF-8 (the MUST); the example's `charset=utf-8` is a SHOULD.
Property names are the API's attribute keys, which "needs to be written with lowercase letters":
error_validation's keys are not, since they name what the client sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from apiconform.checks.expect import Evidence, check
from apiconform.checks.iso8601 import iso8601_problem, rfc3339_problem
from apiconform.checks.verdicts import RuleSink
from apiconform.providers.leaddesk import shapes

RESERVED = {"_links", "_link", "_meta", "_embedded"}
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


def check_body(body: Any, what: str, verdicts: RuleSink, *responses: Evidence) -> None:
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


def check_media(content_type: str, what: str, verdicts: RuleSink, *responses: Evidence) -> None:
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


def check_object_links(links: Any, own: str, what: str, response: Evidence) -> None:
    """A links object whose links (navigation aside) point at resources inside the object."""
    check(isinstance(links, dict), f"{what}: no links object (_links, or _link)", response)
    elsewhere = outside(links, own)
    check(not elsewhere, f"{what}: links {elsewhere[:3]} point outside {own}, not inside it", response)
