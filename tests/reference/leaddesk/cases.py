"""The LeadDesk server's fault cases, for the generic fault tests (tests/reference/test_faults.py):
one scenario per fault of the catalogue, in its order, with what a conformant server shows there.

- `FAULT_CASES`: `(fault, scenario(faults) -> observation, conformant(observation) -> bool)`, each
  scenario run against a fresh server started with `faults` (`()`: the clean server);
- `make(faults)`: a test client of a fresh server (ValueError for an unknown fault name).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.reference.leaddesk.helpers import (
    ISO,
    JSON_UTF8,
    RESERVED,
    TOKEN,
    USERS,
    C,
    N,
    P,
    TestClient,
    U,
    bearer,
    call,
    grant,
    ids,
    login,
    make,
    refresh,
    refs,
    related,
    token,
    viewer,
    walk,
)

__all__ = ["FAULT_CASES", "make"]


#: What one case does on a test client of a fresh server; it returns what it observed.
Scenario = Callable[[TestClient], Any]


def _status(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Scenario:
    return lambda c: call(c, method, path, headers, **kwargs).status_code


def _body(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Scenario:
    return lambda c: call(c, method, path, headers, **kwargs).json()


def _token_error(body: dict[str, Any]) -> Scenario:
    """(status, content type, JSON body or None) of a refused token request."""

    def run(c: TestClient) -> Any:
        response = token(c, body)
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
        return response.status_code, response.headers["content-type"], parsed

    return run


def _refused(status: int, code: str) -> Callable[[Any], bool]:
    return lambda o: o[0] == status and o[1] == JSON_UTF8 and o[2]["error"] == code


def _grant_reads(body: dict[str, Any]) -> Scenario:
    def run(c: TestClient) -> Any:
        response = token(c, body)
        access = response.json().get("access_token", "none")
        return response.status_code, c.get(U, headers=bearer(access)).status_code

    return run


def _refresh(c: TestClient) -> dict[str, int]:
    """Statuses after refreshing a password-grant token: the new token, the old access token,
    the old refresh token used again."""
    first = token(c, grant()).json()
    second = refresh(c, first["refresh_token"]).json()
    return {
        "new": c.get(U, headers=bearer(second["access_token"])).status_code,
        "old_access": c.get(U, headers=bearer(first["access_token"])).status_code,
        "old_refresh": refresh(c, first["refresh_token"]).status_code,
    }


def _products_after(method: str, path: str, **kwargs: Any) -> Scenario:
    """The status of a request, and the product ids afterwards."""

    def run(c: TestClient) -> Any:
        response = c.request(method, path, **kwargs)
        return response.status_code, ids(call(c, "GET", f"{P}?per_page=500"))

    return run


def _objects(c: TestClient) -> list[dict[str, Any]]:
    auth = login(c)
    return [*c.get(U, headers=auth).json()["collection"], c.get(f"{U}/1", headers=auth).json()]


def _many_products(c: TestClient) -> int:
    """The objects GET /products?per_page=500 holds once there are 125 products."""
    auth = login(c)
    for n in range(120):
        c.post(P, headers=auth, json={"name": f"Bulk {n}"})
    return len(c.get(f"{P}?per_page=500", headers=auth).json()["collection"])


def _walked(c: TestClient) -> list[Any]:
    return [item["id"] for page in walk(c, login(c), 7) for item in page["collection"]]


def _links(query: str) -> Scenario:
    return lambda c: set(call(c, "GET", f"{U}?{query}").json()["_links"])


def _deletes(count: int) -> Scenario:
    """DELETE /products/1 `count` times, then GET it: the statuses."""

    def run(c: TestClient) -> Any:
        auth = login(c)
        statuses = [c.delete(f"{P}/1", headers=auth).status_code for _ in range(count)]
        return statuses, c.get(f"{P}/1", headers=auth).status_code

    return run


def _relation_after(method: str, path: str, body: Any, relation: str) -> Scenario:
    def run(c: TestClient) -> Any:
        call(c, method, path, json=body)
        return related(c, 1, relation)

    return run


#: (fault, scenario on a client, conformant): the catalogue's faults, in its order.
CASES: list[tuple[str, Scenario, Callable[[Any], bool]]] = [
    ("password-grant-no-refresh-token", lambda c: token(c, grant()).json(), lambda b: "refresh_token" in b),
    (
        "leaddesk-client-id-grant-unsupported",
        _grant_reads(grant("leaddesk_client_id")),
        lambda o: o == (200, 200),
    ),
    ("client-user-grant-unsupported", _grant_reads(grant("client_user")), lambda o: o == (200, 200)),
    ("refresh-token-unusable", _refresh, lambda o: o["new"] == 200),
    ("refresh-keeps-access", _refresh, lambda o: o["old_access"] == 401),
    ("refresh-keeps-refresh", _refresh, lambda o: o["old_refresh"] == 400),
    (
        "unknown-grant-as-password",
        _token_error(grant(grant_type="apiconform")),
        _refused(400, "unsupported_grant_type"),
    ),
    ("bad-client-accepted", _token_error(grant(client_secret="wrong")), _refused(401, "invalid_client")),
    ("bad-password-accepted", _token_error(grant(password="wrong")), _refused(400, "invalid_grant")),
    ("token-errors-nonstandard", _token_error(grant(password="wrong")), _refused(400, "invalid_grant")),
    ("token-cacheable", lambda c: token(c, grant()).headers.get("cache-control"), lambda v: v == "no-store"),
    ("token-201", lambda c: token(c, grant()).status_code, lambda s: s == 200),
    ("token-errors-plain-text", _token_error(grant(grant_type="x")), _refused(400, "unsupported_grant_type")),
    ("missing-token-served", _status("GET", U, {}), lambda s: s == 401),
    ("missing-token-403", _status("GET", U, {}), lambda s: s == 401),
    ("invalid-token-served", _status("GET", U, bearer("nope")), lambda s: s == 401),
    (
        "read-only-can-write",
        lambda c: _products_after("POST", P, headers=login(c, viewer()), json={"name": "x"})(c),
        lambda o: o == (403, [1, 2, 3, 4, 5]),
    ),
    ("errors-without-description", _body("GET", f"{U}/999"), lambda b: "error_description" in b),
    (
        "validation-no-details",
        _body("GET", f"{U}?per_page=0"),
        lambda b: b.get("error_validation") == {"per_page": ["The per page must be at least 1."]},
    ),
    ("validation-clamped", _status("GET", f"{U}?per_page=0"), lambda s: s == 422),
    ("not-found-200", _status("GET", f"{U}/999"), lambda s: s == 404),
    ("not-found-500", _status("GET", f"{U}/999"), lambda s: s == 404),
    ("not-found-400", _status("GET", f"{P}/999"), lambda s: s == 404),
    (
        "delete-collection-404",
        lambda c: (call(c, "DELETE", U).status_code, call(c, "DELETE", TOKEN).status_code),
        lambda o: o == (405, 405),
    ),
    (
        "malformed-json-400",
        lambda c: _products_after(
            "POST", P, headers={**login(c), "Content-Type": "application/json"}, content=b'{"name": '
        )(c),
        lambda o: o == (415, [1, 2, 3, 4, 5]),
    ),
    (
        "non-json-accepted",
        lambda c: _products_after(
            "POST", P, headers={**login(c), "Content-Type": "text/plain"}, content=b"name=x"
        )(c),
        lambda o: o == (415, [1, 2, 3, 4, 5]),
    ),
    (
        "non-json-400",
        lambda c: _products_after(
            "POST", P, headers={**login(c), "Content-Type": "text/plain"}, content=b"x"
        )(c),
        lambda o: o == (415, [1, 2, 3, 4, 5]),
    ),
    ("charset-latin1", lambda c: call(c, "GET", U).headers["content-type"], lambda t: t == JSON_UTF8),
    ("html-content-type", lambda c: call(c, "GET", U).headers["content-type"], lambda t: t == JSON_UTF8),
    ("dates-not-iso", _body("GET", f"{U}/1"), lambda b: ISO.fullmatch(b["created_at"]) is not None),
    ("dates-basic-format", _body("GET", f"{C}/1"), lambda b: ISO.fullmatch(b["created_at"]) is not None),
    (
        "underscore-property",
        _objects,
        lambda objects: all(not (set(o) - RESERVED) & {k for k in o if k.startswith("_")} for o in objects),
    ),
    ("object-no-links", _body("GET", f"{U}/1"), lambda b: "_links" in b),
    (
        "prose-member-names",
        lambda c: (set(call(c, "GET", U).json()), set(call(c, "GET", f"{U}/1").json())),
        lambda o: {"_links", "_meta"} <= o[0] and "_links" in o[1],
    ),
    ("collection-items-key", _body("GET", U), lambda b: "collection" in b),
    ("meta-total-string", _body("GET", U), lambda b: b["_meta"]["total"] == N),
    ("collection-no-self", _body("GET", U), lambda b: "self" in b["_links"]),
    ("meta-no-total", _body("GET", f"{P}"), lambda b: b["_meta"].get("total") == 5),
    ("default-per-page-20", lambda c: ids(call(c, "GET", U)), lambda found: found == USERS[:25]),
    ("per-page-max-100", _many_products, lambda count: count == 125),
    ("page-offset-off-by-one", _walked, lambda found: found == USERS),
    ("next-on-last-page", _links("page=5"), lambda links: links == {"self", "prev"}),
    ("prev-on-first-page", _links("page=1"), lambda links: links == {"self", "next"}),
    ("total-off-by-one", _body("GET", U), lambda b: b["_meta"]["total"] == N),
    (
        "create-no-id",
        lambda c: (lambda r: (r.status_code, r.content))(call(c, "POST", P, json={"name": "x"})),
        lambda o: o == (200, b'{"id":6}'),
    ),
    (
        "modify-200-body",
        lambda c: call(c, "PATCH", f"{P}/1", json={"price": 5}),
        lambda r: (r.status_code, r.content) == (204, b""),
    ),
    (
        "patch-ignored",
        lambda c: (
            call(c, "PATCH", f"{P}/1", json={"price": 5}).status_code,
            _body("GET", f"{P}/1")(c)["price"],
        ),
        lambda o: o == (204, 5),
    ),
    ("delete-soft", _deletes(1), lambda o: o == ([204], 404)),
    ("second-delete-204", _deletes(2), lambda o: o == ([204, 404], 404)),
    (
        "patch-array-merges",
        _relation_after("PATCH", f"{C}/1", {"products": refs(3)}, "products"),
        lambda r: r == [3],
    ),
    (
        "post-replaces",
        _relation_after("POST", f"{C}/1", {"products": refs(3)}, "products"),
        lambda r: r == [1, 2, 3],
    ),
    (
        "post-duplicates",
        _relation_after("POST", f"{C}/1", {"products": refs(1)}, "products"),
        lambda r: r == [1, 2],
    ),
    (
        "subresource-patch-adds",
        _relation_after("PATCH", f"{C}/1/users", refs(5), "users"),
        lambda r: r == [5],
    ),
    ("large-per-page-500", _status("GET", f"{U}?per_page=201"), lambda s: s == 200),
]


def on_a_fresh_server(scenario: Scenario) -> Callable[[tuple[str, ...]], Any]:
    """`scenario` in the generic form: run on a fresh server started with the given faults."""
    return lambda faults: scenario(make(faults))


FAULT_CASES: list[tuple[str, Callable[[tuple[str, ...]], Any], Callable[[Any], bool]]] = [
    (fault, on_a_fresh_server(scenario), conformant) for fault, scenario, conformant in CASES
]
