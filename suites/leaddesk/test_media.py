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

from typing import Any

import pytest

from apiconform.providers.leaddesk import shapes
from apiconform.providers.leaddesk.media import (
    MEDIA_RULES,
    check_body,
    check_media,
    check_object_links,
    link_path,
)
from apiconform.providers.leaddesk.profile import USERS_PATH
from apiconform.suite import ApiResponse, Verdicts, check, error_shape, fail, judge_recorded

#: A media type the API does not serve, for the rule on requesting another content type.
OTHER_MEDIA_TYPE = "application/xml"


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


@pytest.mark.observer
@pytest.mark.rule(*MEDIA_RULES)
def test_every_response_of_the_run(client, target, verdicts: Verdicts):
    """Every exchange of the session so far (this test runs last), as `apiconform check` does."""
    base_url = target.masker.mask(target.base_url)
    judge_recorded(target.profile, client.exchanges, base_url, target.masker, verdicts, MEDIA_RULES)
