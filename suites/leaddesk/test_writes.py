"""The suite's own object: create, read, delete (leaddesk-api.txt: POST, Response: the new id, "201
Created ... content is usually returned"; GET "is read-only"; DELETE 204 then 404; 403 for a
read-only token).

Which resources exist and which methods each takes is not documented; the document shows `POST
/users {"username": ...}`, `DELETE /users/123` and `DELETE /products/12345`. So one object per
run is created in `write_collection` (default `/users`) with `create_body` (default the document's
`{"username": ...}`), read (twice: a GET changes nothing), and deleted again, after the read-only
user's DELETE of it was refused. The campaign relations are in test_relations.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from apiconform.providers.leaddesk import probes
from apiconform.providers.leaddesk.profile import Settings, request_token
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Verdicts,
    check,
    expect_schema,
    setup_refused,
    store,
)


@pytest.fixture(scope="module")
def created(client: ApiClient, bearer: Any, settings: Settings) -> ApiResponse:
    """The response to the suite's one create of the run."""
    return probes.create(client, bearer, settings, f"POST {settings.write_collection}")


def sent_body(response: ApiResponse) -> dict[str, Any]:
    """The JSON object the request of `response` sent."""
    body = json.loads(response.request.content or b"{}")
    return body if isinstance(body, dict) else {}


def differing(sent: dict[str, Any], read: Any) -> list[str]:
    """The sent properties that the object read back holds with another value (a property it does
    not show, e.g. a write-only password, is not judged)."""
    if not isinstance(read, dict):
        return []
    return [
        f"{name}: sent {value!r}, read {read[name]!r}"
        for name, value in sent.items()
        if name in read and read[name] != value
    ]


@pytest.mark.rule(
    "leaddesk.writes.create-returns-id",
    "leaddesk.writes.integer-id",
    "leaddesk.writes.created-content",
    "leaddesk.methods.get-read-only",
)
def test_create_returns_id(client, bearer, settings, created, verdicts: Verdicts):
    """The create answers 200 or 201 with the new id, and the object reads back as sent; the id is
    a number (the example); a 201 returns the object's content; a second GET of it answers what
    the first did (the first changed nothing)."""
    path, sent = settings.write_collection, sent_body(created)
    object_id = probes.id_of(created)
    new = f"{path}/{object_id}"
    read = client.request("GET", new, headers=bearer) if object_id is not None else None
    with verdicts.check("leaddesk.writes.create-returns-id"):
        status = created.status_code
        check(status in (200, 201), f"POST {path}: HTTP {status}, not 200/201", created)
        expect_schema(store("leaddesk"), "created", created.json_or_none(), f"POST {path}", created)
        assert read is not None  # the schema demands the id
        check(200 <= read.status_code < 300, f"GET {new} after the create: HTTP {read.status_code}", read)
        read_id = probes.id_of(read)
        check(
            read_id is None or str(read_id) == str(object_id),
            f"GET {new} answers the object {read_id!r}",
            read,
        )
        changed = differing(sent, read.json_or_none())
        check(
            not changed,
            f"GET {new}: the object does not hold what the create sent: {changed[:3]}",
            created,
            read,
        )
    with verdicts.check("leaddesk.writes.integer-id"):
        check(
            isinstance(object_id, int) and not isinstance(object_id, bool),
            f'POST {path}: the new id is {object_id!r}, not a number as in the example {{"id": 1}}',
            created,
        )
    with verdicts.check("leaddesk.writes.created-content"):
        if created.status_code == 201:  # "it's content is usually returned in the response"
            body = created.json_or_none()
            shown = [name for name in sent if isinstance(body, dict) and name in body]
            check(
                shown,
                f"POST {path}: the 201 carries none of the created object's properties {sorted(sent)}",
                created,
            )
    with verdicts.check("leaddesk.methods.get-read-only"):
        if read is None or not 200 <= read.status_code < 300:
            pytest.skip("the suite's create gave no object to read (leaddesk.writes.create-returns-id)")
        again = client.request("GET", new, headers=bearer)
        check(
            again.json_or_none() == read.json_or_none(),
            f"GET {new} twice: the second answer differs from the first (a GET changed the object)",
            read,
            again,
        )


@pytest.mark.rule("leaddesk.writes.delete-204-then-404", "leaddesk.auth.read-only-change-403")
def test_delete(client, bearer, grant, settings, created, verdicts: Verdicts):
    """The read-only user's DELETE of the suite's object is refused (403) and leaves it readable;
    then the suite's DELETE answers 204 with no body, GET no longer serves it (a 4xx), and a second
    DELETE gets 404."""
    object_id = probes.id_of(created)
    if not 200 <= created.status_code < 300 or object_id is None:
        setup_refused("the suite's create gave no id, so there is nothing to delete", created)
    path = f"{settings.write_collection}/{object_id}"
    with verdicts.check("leaddesk.auth.read-only-change-403"):
        read_only = request_token(client, grant(read_only=True))
        if read_only.access_token is None:
            pytest.skip(f"the read-only user got no access token (HTTP {read_only.response.status_code})")
        refused = client.request("DELETE", path, headers=read_only.headers)
        kept = client.request("GET", path, headers=bearer)
        what = f"DELETE {path} with a read-only token"
        check(refused.status_code == 403, f"{what}: HTTP {refused.status_code}, not 403", refused)
        check(
            200 <= kept.status_code < 300,
            f"after the {what}: GET {path} answers HTTP {kept.status_code}",
            refused,
            kept,
        )
    deleted = client.request("DELETE", path, headers=bearer)
    with verdicts.check("leaddesk.writes.delete-204-then-404"):
        check(deleted.status_code == 204, f"DELETE {path}: HTTP {deleted.status_code}, not 204", deleted)
        check(not deleted.content.strip(), f"DELETE {path}: the 204 has a body", deleted)
        gone = client.request("GET", path, headers=bearer)
        check(
            400 <= gone.status_code < 500,
            f"GET {path} after DELETE: HTTP {gone.status_code}, not a 4xx (404 is usual)",
            gone,
        )
        again = client.request("DELETE", path, headers=bearer)
        check(again.status_code == 404, f"a second DELETE {path}: HTTP {again.status_code}, not 404", again)
