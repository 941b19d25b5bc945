"""The Spaces rules judged from observed traffic (apiconform check, apiconform proxy), with the
check functions the live suites use (apiconform.providers.spaces.responses, .lists). What each
rule looks at (every reading of suites/spaces/readings.toml passes):

- every answer with a body is JSON (a redirect's body aside); a JSON media type, a message in
  error bodies, no 5xx and a Basic challenge on a 401 are SHOULDs;
- GET /customers answered 200: the list shape; its objects carry an ID (`id_field`, else `id`,
  else a member ending in `id`: the document does not name the member); no more objects than a
  `limit` of 1-100 asks, nor than 20 without one (a short page is allowed); a limit outside 1-100
  refused, or answered with 1-100 objects (0 passes unless another answer to the same credential
  shows the list holds objects); a limit that is no number refused with 400; a GET /customers with
  no parameter at all is not refused as a bad request (400 or 422): limit and both cursors are
  optional.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from typing import Any, ClassVar

from apiconform.checks.expect import check, fail
from apiconform.checks.pagination import CursorPage
from apiconform.observed.common import no_server_error
from apiconform.observed.observation import NOT_KEPT, Observed
from apiconform.observed.observer import Observer
from apiconform.observed.tally import Tally
from apiconform.profile import Profile
from apiconform.providers.spaces.lists import check_ids, check_list_shape
from apiconform.providers.spaces.profile import LIST_PATH, challenges
from apiconform.providers.spaces.responses import check_json_body, check_json_media_type, check_message

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
INTEGER = re.compile(r"-?\d+")
#: empty answers to a limit below 1 kept for the end
MAX_KEPT = 20


def what(seen: Observed) -> str:
    return f"entry {seen.index}: {seen.method} {seen.exchange.url}"


class Responses(Observer):
    """JSON bodies, media types, messages, server errors, challenges."""

    needs: ClassVar[Mapping[str, str]] = {
        "spaces.errors.json-body": "an answer with a body",
        "spaces.errors.json-media-type": "an answer with a body",
        "spaces.errors.message": "an error answer with its body",
        "spaces.errors.no-server-error": "an answered request",
        "spaces.auth.www-authenticate": "a 401",
    }

    def observe(self, seen: Observed, tally: Tally) -> None:
        response = seen.response
        no_server_error("spaces.errors.no-server-error", seen, tally)
        if seen.status == 401:
            with tally.check("spaces.auth.www-authenticate"):
                check(
                    "basic" in challenges(response),
                    f"{what(seen)}: the 401 carries WWW-Authenticate {seen.header('www-authenticate')!r}, "
                    "not a Basic challenge",
                    response,
                )
        if seen.json() is NOT_KEPT:
            return
        if seen.status >= 400:
            with tally.check("spaces.errors.message"):
                check_message(response, what(seen))
        if not seen.exchange.response_body.strip():
            return
        if not 300 <= seen.status < 400:
            with tally.check("spaces.errors.json-body"):
                check_json_body(response, what(seen))
        with tally.check("spaces.errors.json-media-type"):
            check_json_media_type(response, what(seen))


class Lists(Observer):
    """GET /customers pages."""

    needs: ClassVar[Mapping[str, str]] = {
        "spaces.lists.shape": "a GET /customers answered 200 with its body",
        "spaces.lists.objects-have-id": "a GET /customers answered 200 with objects",
        "spaces.pagination.limit-honoured": "a GET /customers with a limit of 1-100 answered 200",
        "spaces.pagination.default-limit": "a GET /customers without a limit answered 200",
        "spaces.pagination.limit-out-of-range": "a GET /customers with a limit outside 1-100",
        "spaces.errors.invalid-parameter-400": "a GET /customers with a limit that is no number",
    }

    def __init__(self, profile: Profile, id_field: str | None) -> None:
        self.profile = profile
        self.id_field = id_field
        #: credentials whose list was seen holding objects
        self.listed: set[str] = set()
        #: empty answers to a limit below 1, by credential (the first few): judged at the end
        self.empty: list[tuple[str, Observed]] = []

    def observe(self, seen: Observed, tally: Tally) -> None:
        if seen.method != "GET" or seen.path != LIST_PATH or seen.json() is NOT_KEPT:
            return
        response = seen.response
        limits = seen.query.get("limit", [])
        if len(limits) > 1:
            return
        limit = limits[0] if limits else None
        if limit is not None and any(c.isalpha() for c in limit):
            with tally.check("spaces.errors.invalid-parameter-400"):
                check(
                    seen.status == 400,
                    f"{what(seen)}: a limit that is no number got HTTP {seen.status}",
                    response,
                )
            return
        if limit is not None and INTEGER.fullmatch(limit) and not 1 <= int(limit) <= MAX_LIMIT:
            with tally.check("spaces.pagination.limit-out-of-range"):
                if not 400 <= seen.status < 500:
                    check(seen.status == 200, f"{what(seen)} got HTTP {seen.status}", response)
                    items, _ = self.profile.parse_list(response)  # type: ignore[attr-defined]
                    if not items and int(limit) < 1 and seen.credential and len(self.empty) < MAX_KEPT:
                        self.empty.append((seen.credential, seen))
                    check(
                        len(items) <= MAX_LIMIT,
                        f"{what(seen)} served {len(items)} objects: an out-of-range limit is neither "
                        "rejected (4xx) nor answered within the documented range 1-100",
                        response,
                    )
            return
        if not seen.query and seen.status in (400, 422):
            # the list the document promises for a bare request is not served: its shape and its
            # default page both fail, as they do in the live suite
            for rule in ("spaces.lists.shape", "spaces.pagination.default-limit"):
                with tally.check(rule):
                    fail(
                        f"{what(seen)}: a list request without any parameter got HTTP {seen.status}; "
                        "limit (default 20) and the cursors are optional",
                        response,
                    )
            return

        if seen.status != 200:
            return
        items, has_more = self.profile.parse_list(response)  # type: ignore[attr-defined]
        if items and seen.credential:
            self.listed.add(seen.credential)
        page = CursorPage(items, has_more, None, response)
        with tally.check("spaces.lists.shape"):
            check_list_shape(page, what(seen))
        if items:
            with tally.check("spaces.lists.objects-have-id"):
                field = self.id_field or _id_member(items)
                check_ids(page, what(seen), lambda item: _id(item, field), field)
        if limit is None:
            with tally.check("spaces.pagination.default-limit"):
                check(
                    len(items) <= DEFAULT_LIMIT,
                    f"{what(seen)}: without a limit the page holds {len(items)} objects (20 at most)",
                    response,
                )
        elif INTEGER.fullmatch(limit):
            with tally.check("spaces.pagination.limit-honoured"):
                check(
                    len(items) <= int(limit),
                    f"{what(seen)}: the page holds {len(items)} objects, limit {limit}",
                    response,
                )

    def finish(self, tally: Tally) -> None:
        """An empty page for a limit below 1 from an account whose list holds objects serves the
        limit as asked (0 objects): neither refused nor within the documented 1-100."""
        for credential, seen in self.empty:
            if credential in self.listed:
                with tally.check("spaces.pagination.limit-out-of-range", count=False):
                    fail(
                        f"{what(seen)} served 0 objects although the list holds objects (other answers "
                        "to the same credential list some): the limit was neither rejected (4xx) nor "
                        "answered within the documented range 1-100",
                        seen.response,
                    )


def _id(item: Any, field: str) -> Hashable | None:
    value = item.get(field) if isinstance(item, dict) else None
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _id_member(items: list[Any]) -> str:
    """The member holding the objects' IDs: `id` when any object has it, else the one member
    ending in `id` that the objects carry (the document does not name it), else `id`."""
    names: set[str] = set()
    for item in items:
        if isinstance(item, dict):
            if "id" in item:
                return "id"
            names |= {name for name in item if name.lower().endswith("id")}
    return next(iter(names)) if len(names) == 1 else "id"


def observers(profile: Profile, options: Mapping[str, object]) -> list[Observer]:
    """Spaces' observers (apiconform.observed.observer); `id_field` names the ID member."""
    id_field = options.get("id_field")
    return [Responses(), Lists(profile, id_field if isinstance(id_field, str) else None)]
