"""The LeadDesk server's request bodies and media types (apiconform.providers.leaddesk.wire): bodies
that are not JSON objects (422) or not JSON (415), media type parameters, UTF-8 answers.
"""

from __future__ import annotations

import pytest

from tests.reference.leaddesk.helpers import (
    JSON_UTF8,
    C,
    P,
    S,
    TestClient,
    U,
    grant,
    ids,
    related,
    schema_errors,
    token,
)


@pytest.mark.parametrize("content", [b'[{"name": "x"}]', b'"x"', b"5", b"null"])
def test_bodies_must_be_objects(c: TestClient, auth: dict[str, str], content: bytes) -> None:
    response = c.post(P, headers={**auth, "Content-Type": "application/json"}, content=content)
    assert (response.status_code, response.json()["error_validation"]) == (
        422,
        {"body": ["The request body must be a JSON object."]},
    )


UNSUPPORTED_MEDIA = [
    ("malformed JSON", "application/json", b'{"name": "x"'),
    ("empty body", "application/json", b""),
    ("NaN", "application/json", b'{"name": "x", "price": NaN}'),
    ("not UTF-8", "application/json", '{"name": "é"}'.encode("latin-1")),
    ("UTF-16", "application/json", '{"name": "x"}'.encode("utf-16")),
    ("text/plain", "text/plain", b"name=x"),
    ("text/plain JSON", "text/plain", b'{"name": "x"}'),
    ("form", "application/x-www-form-urlencoded", b"name=x"),
    ("no content type", None, b'{"name": "x"}'),
]


@pytest.mark.parametrize(
    ("content_type", "content"),
    [case[1:] for case in UNSUPPORTED_MEDIA],
    ids=[c[0] for c in UNSUPPORTED_MEDIA],
)
@pytest.mark.parametrize(("method", "path"), [("POST", P), ("PATCH", f"{P}/1"), ("POST", f"{C}/1/users")])
def test_bodies_that_are_not_json_are_415(
    c: TestClient, auth: dict[str, str], method: str, path: str, content_type: str | None, content: bytes
) -> None:
    headers = auth if content_type is None else {**auth, "Content-Type": content_type}
    response = c.request(method, path, headers=headers, content=content)
    assert (response.status_code, response.json()["error"]) == (415, "unsupported_media_type")
    assert schema_errors("error", response.json()) == []
    assert ids(c.get(P, headers=auth)) == [1, 2, 3, 4, 5]
    assert c.get(f"{P}/1", headers=auth).json()["name"] == "Basic subscription"
    assert related(c, 1, "users") == [1, 2]


def test_json_media_type_parameters_are_accepted(c: TestClient, auth: dict[str, str]) -> None:
    headers = {**auth, "Content-Type": "Application/JSON; charset=utf-8"}
    assert c.post(P, headers=headers, content=b'{"name": "Caf\xc3\xa9"}').json() == {"id": 6}
    assert c.get(f"{P}/6", headers=auth).json()["name"] == "Café"


def test_every_json_answer_is_utf8(c: TestClient, auth: dict[str, str]) -> None:
    responses = [
        token(c, grant()),
        token(c, grant(password="x")),
        c.get(U, headers=auth),
        c.get(f"{U}/2", headers=auth),
        c.get(U),
        c.get(f"{U}?page=0", headers=auth),
        c.delete(U, headers=auth),
        c.get(f"{S}/x", headers=auth),
        c.post(P, headers=auth, json={"name": "Zoë"}),
        c.post(P, headers={**auth, "Content-Type": "text/plain"}, content=b"x"),
    ]
    assert {r.headers["content-type"] for r in responses} == {JSON_UTF8}
    assert c.get(f"{P}/6", headers=auth).content.decode("utf-8").count("Zoë") == 1
