"""The LeadDesk server's fault cases, for the generic fault tests (tests/reference/test_faults.py):
one scenario per fault of the catalogue, in its order, with what a conformant server shows there.

- `FAULT_CASES`: `(fault, scenario(faults) -> observation, conformant(observation) -> bool)`, each
  scenario run against a fresh server started with `faults` (`()`: the clean server);
- `make(faults)`: a test client of a fresh server (ValueError for an unknown fault name).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from apiconform.providers.leaddesk.transport import start_deployment
from apiconform.reference.serving import ServerOptions
from tests.reference.leaddesk.helpers import (
    CREDS,
    ISO,
    JSON_UTF8,
    RESERVED,
    ROOT,
    TOKEN,
    USERS,
    C,
    N,
    P,
    S,
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


def _answer(method: str, path: str, **kwargs: Any) -> Scenario:
    """(status, body bytes) of one request with the password user's token."""
    return lambda c: (lambda r: (r.status_code, r.content))(call(c, method, path, **kwargs))


def _deployed(faults: tuple[str, ...]) -> Any:
    """On a fresh deployment: the API's scheme, and what a GET /stable/users with no credential
    got over plain HTTP (its status, and whether it served the collection)."""
    deployment = start_deployment(ServerOptions(credentials=CREDS, faults=frozenset(faults)))
    try:
        answer = httpx.get(deployment.settings["plain_http_url"] + "/users?per_page=1", timeout=5)
        served = "collection" in answer.text
        return deployment.base_url.split(":", 1)[0], answer.status_code, served
    finally:
        deployment.stop()


def _expired(scenario: Callable[[TestClient, dict[str, Any]], Any]) -> Callable[[tuple[str, ...]], Any]:
    """`scenario(client, tokens)` on a fresh server whose tokens live 0.2 s, once the password
    grant's `tokens` have expired."""

    def run(faults: tuple[str, ...]) -> Any:
        c = make(faults, token_lifetime=0.2)
        tokens = token(c, grant()).json()
        time.sleep(0.3)
        return scenario(c, tokens)

    return run


def _read_only_create(body: dict[str, Any], refreshed: bool = False) -> Scenario:
    """The status of POST /products with the token of grant `body` (refreshed first)."""

    def run(c: TestClient) -> Any:
        tokens = token(c, body).json()
        if refreshed:
            tokens = refresh(c, tokens["refresh_token"]).json()
        return c.post(P, headers=bearer(tokens["access_token"]), json={"name": "x"}).status_code

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
    ("token-type-lowercase", lambda c: token(c, grant()).json()["token_type"], lambda t: t == "Bearer"),
    ("refresh-drops-read-only", _read_only_create(viewer(), refreshed=True), lambda s: s == 403),
    (
        "special-grant-unchecked",
        _token_error(grant("leaddesk_client_id", client_id="client-other", client_secret="secret-other")),
        _refused(400, "unauthorized_client"),
    ),
    (
        "client-number-unchecked",
        _token_error(grant("client_user", leaddesk_client_id=999999999)),
        _refused(400, "invalid_grant"),
    ),
    (
        "client-user-full-scopes",
        _read_only_create(grant("client_user", username="viewer")),
        lambda s: s == 403,
    ),
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
    ("error-description-empty", _body("GET", f"{U}/999"), lambda b: b["error_description"] != ""),
    (
        "error-id-varies",
        lambda c: [_body("GET", f"{U}/999")(c)["error"] for _ in range(2)],
        lambda codes: codes[0] == codes[1],
    ),
    (
        "one-error-id",
        lambda c: {_body("GET", f"{U}/999")(c)["error"], _body("GET", f"{U}?per_page=0")(c)["error"]},
        lambda codes: len(codes) == 2,
    ),
    (
        "validation-no-details",
        _body("GET", f"{U}?per_page=0"),
        lambda b: b.get("error_validation") == {"per_page": ["The per page must be at least 1."]},
    ),
    ("validation-400", _status("GET", f"{U}?per_page=0"), lambda s: s == 422),
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
    (
        "accept-ignored",
        lambda c: call(c, "GET", U, {**login(c), "Accept": "application/xml"}).status_code,
        lambda s: s == 406,
    ),
    (
        "content-type-no-charset",
        lambda c: call(c, "GET", U).headers["content-type"],
        lambda t: t == JSON_UTF8,
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
    ("object-wrapped", _body("GET", f"{U}/1"), lambda b: b.get("id") == 1),
    (
        "object-links-elsewhere",
        _body("GET", f"{U}/1"),
        lambda b: b["_links"]["custom_fields"].startswith(f"{ROOT}/users/1/"),
    ),
    ("object-no-self", _body("GET", f"{U}/1"), lambda b: b["_links"].get("self") == f"{ROOT}/users/1"),
    ("user-no-custom-fields-link", _body("GET", f"{U}/1"), lambda b: "custom_fields" in b["_links"]),
    ("camel-case-property", _body("GET", f"{U}/1"), lambda b: all(k == k.lower() for k in b)),
    ("ids-as-strings", _body("GET", f"{U}/1"), lambda b: b["id"] == 1),
    (
        "get-counts-reads",
        lambda c: [_body("GET", f"{U}/1", login(c))(c) for _ in range(2)],
        lambda bodies: bodies[0] == bodies[1],
    ),
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
    ("relative-links", _body("GET", U), lambda b: b["_links"]["next"].startswith(ROOT)),
    ("agents-bare-array", _body("GET", f"{S}/agents"), lambda b: isinstance(b, dict) and "collection" in b),
    (
        "create-no-id",
        lambda c: (lambda r: (r.status_code, r.content))(call(c, "POST", P, json={"name": "x"})),
        lambda o: o == (200, b'{"id":6}'),
    ),
    (
        "create-ignores-body",
        lambda c: _body("GET", f"{U}/{call(c, 'POST', U, json={'username': 'fresh-name'}).json()['id']}")(c),
        lambda b: b["username"] == "fresh-name",
    ),
    (
        "create-201-id-only",
        _answer("POST", U, json={"username": "fresh"}),
        lambda o: o == (200, b'{"id":121}'),
    ),
    ("missing-field-500", _status("POST", U, json={}), lambda s: s == 422),
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
        "patch-clears-unsent",
        _relation_after("PATCH", f"{C}/1", {"products": refs(3)}, "users"),
        lambda r: r == [1, 2],
    ),
    (
        "keys-case-insensitive",
        _relation_after("PATCH", f"{C}/1", {"Products": refs(3)}, "products"),
        lambda r: r == [1, 2],
    ),
    (
        "unknown-relation-dropped",
        lambda c: (
            call(c, "PATCH", f"{C}/1", json={"products": refs(999)}).status_code,
            related(c, 1, "products"),
        ),
        lambda o: o == (422, [1, 2]),
    ),
    ("relation-post-201", _answer("POST", f"{C}/1", json={"products": refs(3)}), lambda o: o == (204, b"")),
    ("post-relation-200", _answer("POST", f"{C}/1", json={"products": refs(3)}), lambda o: o == (204, b"")),
    (
        "relation-delete-deletes-object",
        lambda c: (
            call(c, "DELETE", f"{C}/1/users/1").status_code,
            related(c, 1, "users"),
            call(c, "GET", f"{U}/1").status_code,
        ),
        lambda o: o == (204, [2], 200),
    ),
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
    ("page-past-end-416", _status("GET", f"{U}?page=99"), lambda s: s == 200),
]


def on_a_fresh_server(scenario: Scenario) -> Callable[[tuple[str, ...]], Any]:
    """`scenario` in the generic form: run on a fresh server started with the given faults."""
    return lambda faults: scenario(make(faults))


#: Faults whose scenario needs more than a test client of a fresh server: the deployment
#: (HTTPS and its plain-HTTP listener), or tokens that expire.
SPECIAL: dict[str, tuple[Callable[[tuple[str, ...]], Any], Callable[[Any], bool]]] = {
    "plain-http-only": (_deployed, lambda o: o[0] == "https" and not o[2]),
    "plain-http-serves-data": (_deployed, lambda o: o[0] == "https" and not o[2]),
    "token-never-expires": (
        _expired(lambda c, t: c.get(U, headers=bearer(t["access_token"])).status_code),
        lambda s: s == 401,
    ),
    "refresh-expires-with-access": (
        _expired(lambda c, t: refresh(c, t["refresh_token"]).status_code),
        lambda s: s == 200,
    ),
}


def _in_catalogue_order() -> list[tuple[str, Callable[[tuple[str, ...]], Any], Callable[[Any], bool]]]:
    """Every case, the special ones included, in the fault catalogue's order."""
    from apiconform.providers.leaddesk.faults import FAULTS

    plain = {fault: (on_a_fresh_server(scenario), conformant) for fault, scenario, conformant in CASES}
    found = {**plain, **SPECIAL}
    return [(fault, *found[fault]) for fault in FAULTS.names if fault in found]


FAULT_CASES = _in_catalogue_order()
