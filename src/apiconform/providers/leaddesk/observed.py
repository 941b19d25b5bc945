"""The LeadDesk rules judged from observed traffic (apiconform check, apiconform proxy), with the
check functions the live suites use (apiconform.providers.leaddesk.media, .collection_checks).
What each rule looks at (every reading of suites/leaddesk/readings.toml passes):

- every error answer is the error object, no answer is a 5xx (SHOULD); every body is JSON in
  UTF-8 (the example's charset=utf-8 a SHOULD); property names are lower case (error_validation's
  keys aside); dates are ISO 8601 (the RFC 3339 form, underscore names and the examples' member
  names are SHOULDs); a 422 carries error_validation; a collection GET with per_page=0 (the
  document's validation example) gets 422 with error_validation naming per_page;

- a GET of one object (`/<resource>/<id>`) answered 200 carries a links object whose links
  (navigation aside) point inside the object;
- collection pages (a GET of a path whose last segment is not an id, the token endpoint aside)
  have the collection shape (self link and total are SHOULDs); without per_page a page holds
  min(25, what is left); with per_page 1-500 and a total, the page holds what the total leaves it,
  and next and prev are there exactly when such pages exist, pointing at them (pages past the
  last, where the document says nothing, are left alone); per_page above 500 is served with at
  most 500 objects or refused;
- token answers: Cache-Control no-store and 200 are SHOULDs; a PATCH answered 2xx with 204 and no
  body is the SHOULD modify-no-content.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from apiconform.checks.expect import check
from apiconform.checks.pagination import expected_count
from apiconform.observed.common import entry_name, no_server_error
from apiconform.observed.observation import NOT_KEPT, Observed
from apiconform.observed.observer import Observer
from apiconform.observed.tally import Tally
from apiconform.profile import Profile
from apiconform.providers.leaddesk import shapes
from apiconform.providers.leaddesk.collection_checks import check_link, check_shape
from apiconform.providers.leaddesk.media import check_body, check_media, check_object_links
from apiconform.providers.leaddesk.probes import names_field
from apiconform.providers.leaddesk.profile import TOKEN_PATH, well_formed_error

MAX_PER_PAGE = 500
DEFAULT_PER_PAGE = 25
OBJECT = re.compile(r"/[^/]+/\d+")
INTEGER = re.compile(r"-?\d+")


def what(seen: Observed) -> str:
    return entry_name(seen, query=True)


def is_collection_path(path: str) -> bool:
    """A path naming a collection: its last segment is not an id, and it is not the token endpoint."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(last) and not last.isdigit() and path != TOKEN_PATH


class Errors(Observer):
    """Error objects, server errors, validation details."""

    needs: ClassVar[Mapping[str, str]] = {
        "leaddesk.errors.shape": "an error answer with its body",
        "leaddesk.errors.no-server-error": "an answered request",
        "leaddesk.errors.validation-422": "a 422 answer, or a collection GET with per_page=0, with its body",
    }

    def observe(self, seen: Observed, tally: Tally) -> None:
        response = seen.response
        no_server_error("leaddesk.errors.no-server-error", seen, tally)
        body = seen.json()
        if body is NOT_KEPT:
            return
        details = body.get("error_validation") if isinstance(body, dict) else None
        if seen.method == "GET" and is_collection_path(seen.path) and seen.query.get("per_page") == ["0"]:
            # the document's own validation example: per_page=0 is a 422 naming per_page
            with tally.check("leaddesk.errors.validation-422"):
                check(
                    seen.status == 422 and names_field(details, ["per_page"]),
                    f"{what(seen)}: HTTP {seen.status} with error_validation {details!r}, not the "
                    "document's 422 naming per_page",
                    response,
                )
        if seen.status < 400:
            return
        with tally.check("leaddesk.errors.shape"):
            check(well_formed_error(body), f"{what(seen)}: not {{error, error_description}}", response)
        if seen.status == 422:
            with tally.check("leaddesk.errors.validation-422"):
                check(
                    isinstance(details, (dict, list)) and bool(details),
                    f"{what(seen)}: a 422 without error_validation ({details!r})",
                    response,
                )


class Media(Observer):
    """JSON in UTF-8, dates, underscore and member names, links on objects."""

    needs: ClassVar[Mapping[str, str]] = {
        "leaddesk.media.json-utf8": "an answer with a body",
        "leaddesk.media.charset-utf8": "an answer with a body",
        "leaddesk.media.lowercase-names": "an answer with a JSON body",
        "leaddesk.media.iso8601": "an answer with a JSON body",
        "leaddesk.media.iso8601-extended": "an answer with a JSON body",
        "leaddesk.media.underscore-reserved": "an answer with a JSON body",
        "leaddesk.media.example-member-names": "an answer with a JSON body",
        "leaddesk.media.object-links": "a GET of one object answered 200",
    }

    def observe(self, seen: Observed, tally: Tally) -> None:
        response = seen.response
        if not seen.exchange.response_body.strip() or seen.method == "HEAD":
            return
        check_media(seen.header("content-type") or "", what(seen), tally, response)
        body = seen.json()
        if body is NOT_KEPT:
            return
        with tally.check("leaddesk.media.json-utf8"):
            check(body is not None, f"{what(seen)}: the body does not parse as JSON in UTF-8", response)
        check_body(body, what(seen), tally, response)
        if seen.method == "GET" and seen.status == 200 and OBJECT.fullmatch(seen.path):
            with tally.check("leaddesk.media.object-links"):
                check_object_links(shapes.links_of(body), seen.path.rstrip("/"), what(seen), response)


class Collections(Observer):
    """Collection pages: shape, sizes, links."""

    needs: ClassVar[Mapping[str, str]] = {
        "leaddesk.collections.shape": "a collection GET answered 200 with its body",
        "leaddesk.collections.self-link": "a collection GET answered 200 with its body",
        "leaddesk.collections.meta-total": "a collection GET answered 200 with its body",
        "leaddesk.collections.default-per-page": "a collection GET without per_page answered 200",
        "leaddesk.collections.per-page-max": "a collection GET with per_page answered",
        "leaddesk.collections.links-consistent": "a collection page with a total, within the collection",
    }

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def observe(self, seen: Observed, tally: Tally) -> None:
        if seen.method != "GET" or not is_collection_path(seen.path):
            return
        body = seen.json()
        if body is NOT_KEPT:
            return
        response, query = seen.response, seen.query
        page_values, size_values = query.get("page", []), query.get("per_page", [])
        if len(page_values) > 1 or len(size_values) > 1:
            return
        size_text = size_values[0] if size_values else None
        if size_text is not None and size_text.isdigit() and int(size_text) > MAX_PER_PAGE:
            with tally.check("leaddesk.collections.per-page-max"):
                if 200 <= seen.status < 300:
                    items, _ = self.profile.parse_page(response)
                    check(len(items) <= MAX_PER_PAGE, f"{what(seen)}: serves {len(items)} objects", response)
                else:
                    check(400 <= seen.status < 500, f"{what(seen)}: HTTP {seen.status}", response)
            return
        if size_text is not None and INTEGER.fullmatch(size_text) and int(size_text) < 1:
            with tally.check("leaddesk.errors.validation-422"):
                check(
                    seen.status in (400, 422),
                    f"{what(seen)}: HTTP {seen.status}, not 422 (or 400)",
                    response,
                )
                details = body.get("error_validation") if isinstance(body, dict) else None
                if seen.status == 422:
                    check(
                        isinstance(details, dict) and "per_page" in details,
                        f"{what(seen)}: error_validation {details!r} does not name per_page",
                        response,
                    )
            return
        if seen.status != 200:
            return
        with tally.check("leaddesk.collections.shape"):
            check_shape(response, what(seen))
        if not isinstance(body, dict) or not isinstance(body.get("collection"), list):
            return
        with tally.check("leaddesk.collections.self-link"):
            check(
                shapes.link(shapes.links_of(body), "self"), f"{what(seen)}: its links carry no self", response
            )
        with tally.check("leaddesk.collections.meta-total"):
            check(shapes.total_of(body) is not None, f"{what(seen)}: its meta carries no total", response)
        page_text = page_values[0] if page_values else "1"
        if not page_text.isdigit() or int(page_text) < 1:
            return
        if size_text is not None and (not size_text.isdigit() or not 1 <= int(size_text) <= MAX_PER_PAGE):
            return
        page = int(page_text)
        per_page = int(size_text) if size_text is not None else DEFAULT_PER_PAGE
        items = body["collection"]
        total = shapes.total_of(body)
        if total is None:
            if size_text is None:
                with tally.check("leaddesk.collections.default-per-page"):
                    check(
                        len(items) <= DEFAULT_PER_PAGE,
                        f"{what(seen)}: without per_page it holds {len(items)} objects (25 at most)",
                        response,
                    )
            return
        want = expected_count(total, per_page, page)
        rule = (
            "leaddesk.collections.default-per-page"
            if size_text is None
            else "leaddesk.collections.per-page-max"
        )
        with tally.check(rule):
            check(
                len(items) == want,
                f"{what(seen)}: holds {len(items)} objects; total {total} with per_page {per_page} "
                f"leaves {want}",
                response,
            )
        if want == 0 and page > 1:
            return  # past the last page: the document says nothing of its links
        with tally.check("leaddesk.collections.links-consistent"):
            links = shapes.links_of(body)
            expected_links = {"next": expected_count(total, per_page, page + 1) > 0, "prev": page > 1}
            for name, present in expected_links.items():
                check(
                    (shapes.link(links, name) is not None) is present,
                    f"{what(seen)}: the links {'lack' if present else 'have'} {name} (total {total}, "
                    f"per_page {per_page}, page {page})",
                    response,
                )
                if present:
                    target = page + (1 if name == "next" else -1)
                    check_link(links, name, target, per_page, what(seen), response)


class Tokens(Observer):
    """Token answers and modifications."""

    needs: ClassVar[Mapping[str, str]] = {
        "leaddesk.oauth.no-store": "a token request answered 2xx",
        "leaddesk.oauth.token-status-200": "a token request answered 2xx",
        "leaddesk.writes.modify-no-content": "a PATCH answered 2xx",
    }

    def observe(self, seen: Observed, tally: Tally) -> None:
        response = seen.response
        if not 200 <= seen.status < 300:
            return
        if seen.method == "POST" and seen.path == TOKEN_PATH:
            with tally.check("leaddesk.oauth.no-store"):
                value = seen.header("cache-control") or ""
                check(
                    "no-store" in value.lower(),
                    f"{what(seen)}: Cache-Control is {value!r}, not no-store",
                    response,
                )
            with tally.check("leaddesk.oauth.token-status-200"):
                check(
                    seen.status == 200, f"{what(seen)}: HTTP {seen.status}, not 200 (RFC 6749 5.1)", response
                )
        elif seen.method == "PATCH":
            with tally.check("leaddesk.writes.modify-no-content"):
                check(
                    seen.status == 204 and not seen.exchange.response_body.strip(),
                    f"{what(seen)}: HTTP {seen.status}, not 204 without a body",
                    response,
                )


def observers(profile: Profile, options: Mapping[str, object]) -> list[Observer]:
    """LeadDesk's observers (apiconform.observed.observer)."""
    return [Errors(), Media(), Collections(profile), Tokens()]
