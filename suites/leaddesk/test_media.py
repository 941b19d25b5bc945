"""Media and object rules (leaddesk-api.txt: Content types, UTF-8; Data format: ISO 8601;
Objects: underscore prefix reserved, _links)."""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.checks.expect import check, expect_schema, fail
from apiconform.checks.observe import NOT_KEPT, answered_exchanges, content_type, recorded_json
from apiconform.providers.leaddesk.profile import USERS_PATH
from apiconform.recording import Exchange
from apiconform.schemastore import store
from apiconform.session import Verdicts

RESERVED = {"_links", "_meta", "_embedded"}


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


def underscored(value: Any, path: str = "") -> list[str]:
    """Paths of properties starting with _ (other than the reserved ones), at any depth."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.startswith("_") and key not in RESERVED:
                found.append(f"{path}.{key}" if path else key)
            if key not in ("_links", "_meta"):
                found += underscored(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += underscored(item, f"{path}[{index}]")
    return found


@pytest.mark.rule(
    "leaddesk.media.json-utf8",
    "leaddesk.media.iso8601",
    "leaddesk.media.no-underscore-properties",
    "leaddesk.media.object-links",
)
def test_collection_and_object(client, bearer, reference, verdicts: Verdicts):
    """A collection page and a single user: JSON in UTF-8, ISO 8601 dates (the schemas' date-time
    format), no underscore properties but the reserved ones, and _links on the object."""
    reference.require(1)
    first = reference.items[0]
    user_id = first.get("id") if isinstance(first, dict) else None
    single = client.request("GET", f"{USERS_PATH}/{user_id}", headers=bearer)
    check(single.status_code == 200, f"GET /users/{user_id}: HTTP {single.status_code}", single)
    page = reference.walk.pages[0].response
    for what, response, schema in (
        ("GET /users", page, "users-collection"),
        (f"GET /users/{user_id}", single, "user"),
    ):
        with verdicts.check("leaddesk.media.json-utf8"):
            problem = media_problem(response.headers.get("content-type", ""))
            check(problem is None, f"{what}: {problem}", response)
            try:
                response.content.decode("utf-8")
            except UnicodeDecodeError:
                fail(f"{what}: the body is not valid UTF-8", response)
        body = response.json_or_none()
        with verdicts.check("leaddesk.media.iso8601"):
            expect_schema(store("leaddesk"), schema, body, what, response)
        with verdicts.check("leaddesk.media.no-underscore-properties"):
            paths = underscored(body)
            check(not paths, f"{what}: properties {paths[:5]} start with an underscore", response)
    with verdicts.check("leaddesk.media.object-links"):
        body = single.json_or_none()
        links = body.get("_links") if isinstance(body, dict) else None
        check(isinstance(links, dict), f"GET /users/{user_id}: no _links object", single)


def parsed(exchange: Exchange) -> Any:
    body = recorded_json(exchange)
    return None if body is NOT_KEPT else body


@pytest.mark.observer
@pytest.mark.rule("leaddesk.media.json-utf8", "leaddesk.media.no-underscore-properties")
def test_every_response_of_the_run(client, target, verdicts: Verdicts):
    """Every exchange of the session so far (this test runs last)."""
    seen = answered_exchanges(client, target.masker.mask(target.base_url))
    for exchange in seen:
        if exchange.body_json is None:
            continue
        problem = media_problem(content_type(exchange))
        if problem is not None:
            with verdicts.check("leaddesk.media.json-utf8"):
                fail(f"{problem}\n{exchange.summary()}\n  reproduce: {exchange.curl()}")
        paths = underscored(parsed(exchange))
        if paths:
            with verdicts.check("leaddesk.media.no-underscore-properties"):
                fail(f"properties {paths[:5]} start with an underscore\n{exchange.summary()}")
