"""Media and object rules (leaddesk-api.txt: Content types, UTF-8; Data format: ISO 8601;
Objects: underscore prefix reserved, links object).

Which properties hold dates is not documented (the resource models are not part of the document):
string properties named `*_at`, `date`, `*_date`, `datetime` or `*_datetime` are taken as dates, and
must be ISO 8601 in any of its forms (apiconform.checks.iso8601); the example's RFC 3339 form is a
SHOULD. The underscore prefix is "reserved for internal use", so which underscore names the API
uses is its own business: only a SHOULD asks for nothing but the documented ones."""

from __future__ import annotations

import pytest

from apiconform.providers.leaddesk import shapes
from apiconform.providers.leaddesk.media import MEDIA_RULES, check_body, media_problem
from apiconform.providers.leaddesk.profile import USERS_PATH
from apiconform.suite import (
    Verdicts,
    check,
    fail,
    judge_recorded,
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


@pytest.mark.observer
@pytest.mark.rule(*MEDIA_RULES)
def test_every_response_of_the_run(client, target, verdicts: Verdicts):
    """Every exchange of the session so far (this test runs last), as `apiconform check` does."""
    base_url = target.masker.mask(target.base_url)
    judge_recorded(target.profile, client.exchanges, base_url, target.masker, verdicts, MEDIA_RULES)
