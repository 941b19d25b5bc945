"""The exact shapes the LeadDesk server's faults produce, beyond the generic fault cases
(tests/reference/test_faults.py, with the cases of tests/reference/leaddesk/cases.py).
"""

from __future__ import annotations

from tests.reference.leaddesk.helpers import (
    ROOT,
    USERS,
    C,
    N,
    P,
    U,
    bearer,
    grant,
    ids,
    login,
    make,
    refresh,
    refs,
    related,
    token,
    walk,
)


def test_fault_details() -> None:
    """The exact shapes the faults produce, and deviations the table does not show."""
    nonstandard = token(make(("token-errors-nonstandard",)), grant(client_secret="wrong"))
    assert (nonstandard.status_code, nonstandard.json()["error"]) == (403, "bad_request")
    assert "www-authenticate" not in nonstandard.headers
    plain = token(make(("token-errors-plain-text",)), grant(password="wrong"))
    assert plain.headers["content-type"] == "text/plain; charset=utf-8"
    assert plain.text.startswith("invalid_grant: ")
    assert make(("token-errors-plain-text",)).get(U).json()["error"] == "unauthorized"  # resources: JSON
    assert make(("missing-token-403",)).get(U).json()["error"] == "forbidden"
    served = make(("missing-token-served",))
    assert served.post(P, json={"name": "Anonymous"}).json() == {"id": 6}  # as the password user
    assert make(("invalid-token-served",)).get(U, headers=bearer("nope")).json()["_meta"]["total"] == N
    no_refresh = make(("password-grant-no-refresh-token",))
    assert "refresh_token" in token(no_refresh, grant("client_user")).json()  # the other grants keep it
    unusable = make(("refresh-token-unusable",))
    second = refresh(unusable, token(unusable, grant()).json()["refresh_token"]).json()
    assert refresh(unusable, second["refresh_token"]).status_code == 200
    assert token(make(("unknown-grant-as-password",)), grant(grant_type=...)).status_code == 200
    assert token(make(("bad-password-accepted",)), grant(username="nobody", password="x")).status_code == 400
    bare = make(("errors-without-description",))
    assert bare.get(U).json() == {"error": "unauthorized"}
    assert token(bare, grant(password="x")).json() == {"error": "invalid_grant"}
    clamped = make(("validation-clamped",))
    auth = login(clamped)
    for query, count, self_query in (
        ("per_page=0", 1, "page=1&per_page=1"),
        ("per_page=501", N, "page=1&per_page=500"),
        ("page=x&per_page=ten", 25, "page=1&per_page=25"),
        ("page=-3", 25, "page=1&per_page=25"),
    ):
        body = clamped.get(f"{U}?{query}", headers=auth).json()
        assert len(body["collection"]) == count and body["_links"]["self"].endswith(self_query)
    found = make(("not-found-200",))
    assert found.get(f"{U}/999", headers=login(found)).json() == {}
    assert found.get(f"{C}/9/users", headers=login(found)).json() == {}
    assert found.delete(f"{P}/999", headers=login(found)).status_code == 404  # writes still 404
    crashing = make(("not-found-500",))
    assert crashing.get(f"{P}/999", headers=login(crashing)).json()["error"] == "internal_error"
    allowed = make(("delete-collection-404",))
    assert allowed.put(U, headers=login(allowed)).status_code == 405  # only DELETE
    malformed = make(("malformed-json-400",))
    headers = {**login(malformed), "Content-Type": "application/json"}
    assert malformed.post(P, headers=headers, content=b"{").json()["error"] == "bad_request"
    lenient = make(("non-json-accepted",))
    auth = login(lenient)
    assert lenient.post(P, headers={**auth, "Content-Type": "text/plain"}, content=b"name=Plain").json() == {
        "id": 6
    }
    assert lenient.get(f"{P}/6", headers=auth).json()["name"] == "Plain"
    assert lenient.post(P, headers=auth, content=b'{"name": "Raw"}').json() == {"id": 7}
    latin = make(("charset-latin1",))
    assert latin.get(U).headers["content-type"] == "application/json; charset=iso-8859-1"
    assert make(("html-content-type",)).get(U).headers["content-type"] == "text/html; charset=utf-8"
    dates = make(("dates-not-iso",))
    assert dates.get(f"{U}/1", headers=login(dates)).json()["created_at"] == "30.12.2018 16:18"
    underscored = make(("underscore-property",))
    assert underscored.get(f"{C}/2", headers=login(underscored)).json()["_internal_id"] == "campaign-000002"
    linkless = make(("object-no-links",))
    assert "_links" in linkless.get(U, headers=login(linkless)).json()["collection"][0]  # only single objects
    keyed = make(("collection-items-key",))
    assert [item["id"] for item in keyed.get(P, headers=login(keyed)).json()["items"]] == [1, 2, 3, 4, 5]
    stringly = make(("meta-total-string",))
    assert stringly.get(U, headers=login(stringly)).json()["_meta"]["total"] == str(N)
    twenty = make(("default-per-page-20",))
    assert ids(twenty.get(U, headers=login(twenty))) == USERS[:20]
    assert ids(twenty.get(f"{U}?per_page=25", headers=login(twenty))) == USERS[:25]
    capped = make(("per-page-max-100",))
    assert (
        capped.get(f"{U}?per_page=500", headers=login(capped))
        .json()["_links"]["self"]
        .endswith("per_page=100")
    )
    shifted = make(("page-offset-off-by-one",))
    auth = login(shifted)
    assert ids(shifted.get(f"{U}?per_page=7", headers=auth)) == USERS[:7]
    assert ids(shifted.get(f"{U}?per_page=7&page=2", headers=auth)) == USERS[8:15]
    last = make(("next-on-last-page",))
    auth = login(last)
    assert (
        last.get(f"{U}?page=5", headers=auth).json()["_links"]["next"] == f"{ROOT}/users?page=6&per_page=25"
    )
    assert "next" not in last.get(f"{U}?page=6", headers=auth).json()["_links"]  # the walk ends after it
    first = make(("prev-on-first-page",))
    assert first.get(U, headers=login(first)).json()["_links"]["prev"] == f"{ROOT}/users?page=0&per_page=25"
    plus_one = make(("total-off-by-one",))
    assert [len(p["collection"]) for p in walk(plus_one, login(plus_one), 30)] == [30, 30, 30, 30]
    silent = make(("create-no-id",))
    auth = login(silent)
    created = silent.post(C, headers=auth, json={"name": "x"})
    assert (created.status_code, created.content) == (204, b"")
    assert ids(silent.get(C, headers=auth)) == [1, 2, 3]
    verbose = make(("modify-200-body",))
    auth = login(verbose)
    assert verbose.patch(f"{P}/1", headers=auth, json={"price": 5}).json()["price"] == 5
    assert verbose.patch(f"{C}/1/users", headers=auth, json=refs(3)).json()["users"] == refs(3)
    assert verbose.post(f"{C}/1", headers=auth, json={"users": refs(4)}).status_code == 204
    soft = make(("delete-soft",))
    auth = login(soft)
    assert [soft.delete(f"{P}/1", headers=auth).status_code for _ in range(2)] == [204, 204]
    again = make(("second-delete-204",))
    assert again.delete(f"{P}/999", headers=login(again)).status_code == 404  # never deleted
    merged = make(("patch-array-merges",))
    auth = login(merged)
    merged.patch(f"{C}/1/users", headers=auth, json=refs(5))
    assert related(merged, 1, "users") == [5]  # the sub-resource still replaces
    replacing = make(("post-replaces",))
    replacing.post(f"{C}/1/users", headers=login(replacing), json=refs(5))
    assert related(replacing, 1, "users") == [1, 2, 5]  # the sub-resource still adds
    doubled = make(("post-duplicates",))
    doubled.post(f"{C}/1/users", headers=login(doubled), json=refs(2, 2))
    assert related(doubled, 1, "users") == [1, 2, 2, 2]
    adds = make(("subresource-patch-adds",))
    auth = login(adds)
    adds.patch(f"{C}/1", headers=auth, json={"users": refs(5)})
    assert related(adds, 1, "users") == [5]  # the parent still replaces
    large = make(("large-per-page-500",))
    auth = login(large)
    assert large.get(f"{U}?per_page=200", headers=auth).status_code == 200
    broken = large.get(f"{U}?per_page=201", headers=auth)
    assert (broken.status_code, broken.json()["error"]) == (500, "internal_error")
