"""Unit tests of the Livespace reference server (apiconform.providers.livespace.server), through
Starlette's TestClient and a small client of its own (getToken, signature, call).

Covered: getToken, signed calls and each authorization code, single-use sessions, routing codes,
the Contact methods and their validation, permission, a write round trip, the envelope invariants
over many generated calls, the quirky variant, the alternate variant (the other reading at every
silence point: its envelope, names and shapes, validation, auth codes, token path and tokens for
any key), and a table with one scenario per fault (conformant on the clean server, deviating with
the fault).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apiconform.providers.livespace import store as store_module
from apiconform.providers.livespace.calls import CALL_PATH, TOKEN_PATH, signature
from apiconform.providers.livespace.envelope import ENVELOPE_KEYS, problems
from apiconform.providers.livespace.server import ALTERNATE_TOKEN_PATH, LivespaceServer, create_app
from apiconform.reference.serving import RunningServer, ServerOptions, Variant
from tests.conformance import assert_fault_cases_cover_the_catalogue

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CREDS = {
    "api_key": "key-main",
    "api_secret": "secret-main",
    "api_key_read_only": "key-read",
    "api_secret_read_only": "secret-read",
}
User = tuple[str, str]
MAIN: User = ("key-main", "secret-main")
READ: User = ("key-read", "secret-read")
STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
CONTACT_KEYS = {"id", "firstname", "lastname", "email", "created"}


def make(
    faults: tuple[str, ...] = (),
    quirky: bool = False,
    variant: Variant = "clean",
    credentials: dict[str, str] = CREDS,
) -> TestClient:
    options = ServerOptions(
        credentials=credentials, faults=frozenset(faults), variant="quirky" if quirky else variant
    )
    return TestClient(create_app(options))


def server_of(client: TestClient) -> LivespaceServer:
    server: LivespaceServer = client.app.state.livespace  # type: ignore[attr-defined]
    return server


@pytest.fixture
def c() -> TestClient:
    return make()


# --- a small client: token, signature, call ----------------------------------------------------


def token(c: TestClient, key: str | None = MAIN[0], auth: str | None = "key") -> httpx.Response:
    form = {name: value for name, value in (("_api_auth", auth), ("_api_key", key)) if value is not None}
    response: httpx.Response = c.post(TOKEN_PATH, data=form)
    return response


def session(c: TestClient, key: str = MAIN[0]) -> tuple[str, str]:
    """(token, session id) of a fresh getToken."""
    data = token(c, key).json()["data"]
    return data["token"], data["session_id"]


def auth_fields(c: TestClient, user: User = MAIN) -> dict[str, Any]:
    """The four authorization fields of a fresh, correctly signed session of `user`."""
    key, secret = user
    tok, session_id = session(c, key)
    return {
        "_api_auth": "key",
        "_api_key": key,
        "_api_session": session_id,
        "_api_sha": signature(key, tok, secret),
    }


def post(c: TestClient, module: str, method: str, data: Any, fmt: str = "json") -> httpx.Response:
    """POST a call whose form field `data` is `data` (JSON-encoded unless it is a string)."""
    content = data if isinstance(data, str) else json.dumps(data)
    path = CALL_PATH.format(format=fmt, module=module, method=method)
    response: httpx.Response = c.post(path, data={"data": content})
    return response


def call(
    c: TestClient,
    module: str,
    method: str,
    params: dict[str, Any] | None = None,
    user: User = MAIN,
    fmt: str = "json",
) -> httpx.Response:
    """A fresh session, then the signed call (the documented way)."""
    return post(c, module, method, {**auth_fields(c, user), **(params or {})}, fmt)


def body(response: httpx.Response) -> dict[str, Any]:
    """The envelope, after checking every envelope invariant."""
    assert problems(response.status_code, response.text) == {}, response.text
    assert response.headers["content-type"] == "application/json"
    parsed: dict[str, Any] = response.json()
    return parsed


def result(response: httpx.Response) -> Any:
    return body(response)["result"]


def data(response: httpx.Response) -> Any:
    envelope = body(response)
    assert envelope["result"] == 200, envelope
    return envelope["data"]


def error(response: httpx.Response) -> tuple[int, str]:
    """(result, error message) of a clean failure: data [] and a string error."""
    envelope = body(response)
    assert envelope["data"] == [] and isinstance(envelope["error"], str), envelope
    return envelope["result"], envelope["error"]


# --- getToken ----------------------------------------------------------------------------------


def test_token_is_fresh_hex_every_time(c: TestClient) -> None:
    first, second = token(c), token(c)
    assert body(first)["error"] is None and body(first)["status"] is True
    tokens = [data(r) for r in (first, second)]
    for item in tokens:
        assert set(item) == {"token", "session_id"}
        assert re.fullmatch(r"[0-9a-f]{40}", item["token"]) and re.fullmatch(
            r"[0-9a-f]{32}", item["session_id"]
        )
    assert tokens[0] != tokens[1]
    assert data(token(c, READ[0]))["token"]


@pytest.mark.parametrize(
    ("key", "auth", "expected"),
    [
        (None, "key", 561),
        ("", "key", 561),
        ("key-main", "oauth", 560),
        ("key-main", None, 561),
        ("key-unknown", "key", 562),
        ("secret-main", "key", 562),
    ],
)
def test_token_errors(c: TestClient, key: str | None, auth: str | None, expected: int) -> None:
    assert error(token(c, key, auth))[0] == expected


def test_token_path_checks_method_and_format(c: TestClient) -> None:
    assert error(c.get(TOKEN_PATH))[0] == 400
    xml = TOKEN_PATH.replace("/json/", "/xml/")
    assert error(c.post(xml, data={"_api_auth": "key", "_api_key": "key-main"}))[0] == 516


# --- signed calls and authorization errors --------------------------------------------------------


def test_signed_call(c: TestClient) -> None:
    page = data(call(c, "Contact", "getAll"))
    assert page["total"] == 30
    assert [item["id"] for item in page["items"]] == list(range(1, 21))
    for item in page["items"]:
        assert set(item) == CONTACT_KEYS and STAMP.fullmatch(item["created"])
    assert sum(item["email"] is None for item in page["items"]) == 2
    assert data(call(c, "Contact", "getAll", user=READ))["total"] == 30


def _mutated(change: Callable[[dict[str, Any]], None]) -> Callable[[TestClient], httpx.Response]:
    def run(c: TestClient) -> httpx.Response:
        fields = auth_fields(c)
        change(fields)
        return post(c, "Contact", "getAll", fields)

    return run


def _drop(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda fields: fields.pop(name)


def _set(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda fields: fields.__setitem__(name, value)


def _session_of_read_only_user(c: TestClient) -> httpx.Response:
    tok, session_id = session(c, READ[0])
    fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
    return post(c, "Contact", "getAll", {**fields, "_api_sha": signature(MAIN[0], tok, MAIN[1])})


def _signed_with(sign: Callable[[str, str, str], str]) -> Callable[[TestClient], httpx.Response]:
    def run(c: TestClient) -> httpx.Response:
        tok, session_id = session(c)
        fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
        return post(c, "Contact", "getAll", {**fields, "_api_sha": sign(MAIN[0], tok, MAIN[1])})

    return run


def _unknown_key(c: TestClient) -> httpx.Response:
    tok, session_id = session(c)
    fields = {"_api_auth": "key", "_api_key": "key-unknown", "_api_session": session_id}
    return post(c, "Contact", "getAll", {**fields, "_api_sha": signature("key-unknown", tok, MAIN[1])})


def _made_up_session(c: TestClient) -> httpx.Response:
    tok, session_id = "ab" * 20, "cd" * 16
    fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
    return post(c, "Contact", "getAll", {**fields, "_api_sha": signature(MAIN[0], tok, MAIN[1])})


AUTH_CASES: list[tuple[str, Callable[[TestClient], httpx.Response], int]] = [
    ("correct", _mutated(lambda fields: None), 200),
    ("upper-case sha", _signed_with(lambda k, t, s: signature(k, t, s).upper()), 200),
    ("_api_auth other", _mutated(_set("_api_auth", "oauth")), 560),
    ("_api_auth a list", _mutated(_set("_api_auth", ["key"])), 560),
    ("_api_auth missing", _mutated(_drop("_api_auth")), 561),
    ("_api_key missing", _mutated(_drop("_api_key")), 561),
    ("_api_session missing", _mutated(_drop("_api_session")), 561),
    ("_api_sha missing", _mutated(_drop("_api_sha")), 561),
    ("_api_sha empty", _mutated(_set("_api_sha", "")), 561),
    ("_api_key a number", _mutated(_set("_api_key", 7)), 561),
    ("_api_session null", _mutated(_set("_api_session", None)), 561),
    ("unknown key", _unknown_key, 562),
    ("unknown session", _made_up_session, 563),
    ("session of another key", _session_of_read_only_user, 563),
    ("wrong secret", _signed_with(lambda k, t, s: signature(k, t, "wrong")), 563),
    ("secret first", _signed_with(lambda k, t, s: signature(s, t, k)), 563),
    ("non-ASCII sha", _mutated(_set("_api_sha", "ä" * 40)), 563),
]


@pytest.mark.parametrize(("what", "probe", "expected"), AUTH_CASES, ids=[case[0] for case in AUTH_CASES])
def test_authorization(
    c: TestClient, what: str, probe: Callable[[TestClient], httpx.Response], expected: int
) -> None:
    response = probe(c)
    assert result(response) == expected, response.text
    if expected != 200:
        assert error(response)[0] == expected


def test_session_is_single_use(c: TestClient) -> None:
    fields = auth_fields(c)
    assert result(post(c, "Contact", "getAll", fields)) == 200
    assert error(post(c, "Contact", "getAll", fields)) == (
        563,
        "No authorization: the session was already used",
    )


@pytest.mark.parametrize(
    ("user", "method", "params", "first"),
    [
        (MAIN, "getAll", {"limit": 0}, 420),  # validation
        (READ, "add", {"firstname": "X"}, 540),  # permission
        (MAIN, "get", {"id": 999}, 400),  # method error
    ],
)
def test_a_failing_call_spends_its_session(
    c: TestClient, user: User, method: str, params: dict[str, Any], first: int
) -> None:
    fields = auth_fields(c, user)
    assert result(post(c, "Contact", method, {**fields, **params})) == first
    assert result(post(c, "Contact", "getAll", fields)) == 563


def test_a_wrong_signature_spends_the_session(c: TestClient) -> None:
    fields = auth_fields(c)
    assert result(post(c, "Contact", "getAll", {**fields, "_api_sha": "0" * 40})) == 563
    assert result(post(c, "Contact", "getAll", fields)) == 563


def test_routing_errors_do_not_spend_the_session(c: TestClient) -> None:
    fields = auth_fields(c)
    assert result(post(c, "Nope", "getAll", fields)) == 514
    assert result(post(c, "Contact", "nope", fields)) == 515
    assert result(post(c, "Contact", "getAll", fields, fmt="xml")) == 516
    assert result(post(c, "Contact", "getAll", fields)) == 200


def test_sessions_are_bounded(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "MAX_SESSIONS", 3)
    oldest = auth_fields(c)
    newer = [auth_fields(c) for _ in range(3)]
    assert len(server_of(c).store.sessions) == 3
    assert result(post(c, "Contact", "getAll", oldest)) == 563
    assert all(result(post(c, "Contact", "getAll", fields)) == 200 for fields in newer)


def test_only_configured_credentials_exist() -> None:
    alone = make(credentials={"api_key": "k", "api_secret": "s", "api_key_read_only": "r"})
    assert set(server_of(alone).store.users) == {"k"}
    assert result(token(alone, "r")) == 562
    assert data(call(alone, "Contact", "getAll", user=("k", "s")))["total"] == 30
    assert result(token(make(credentials={}))) == 562


# --- routing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "form", "expected"),
    [
        ("GET", "/api/public/json/Contact/getAll", None, 400),
        ("PUT", "/api/public/json/Contact/getAll", {"data": "{}"}, 400),
        ("POST", "/api/public/xml/Contact/getAll", None, 516),
        ("POST", "/api/public/JSON/Contact/getAll", None, 516),
        ("POST", "/api/public/xml/Nope/nope", None, 516),  # format before module
        ("POST", "/api/public/json/Nope/getAll", None, 514),
        ("POST", "/api/public/json/contact/getAll", None, 514),  # names are case-sensitive
        ("POST", "/api/public/json/Nope/nope", None, 514),  # module before method
        ("POST", "/api/public/json/Contact", None, 514),
        ("POST", "/api/public/json/Contact/getAll/more", None, 514),
        ("POST", "/api/public/", None, 514),
        ("POST", "/api/public/json/Contact/nope", None, 515),  # method before data and auth
        ("POST", "/api/public/json/Contact/getall", None, 515),
        ("POST", "/api/public/json/Contact/getAll", None, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "{"}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "[1]"}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "null"}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "1" * 5000}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "[" * 100_000}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"other": "{}"}, 561),
        ("POST", "/api/public/json/Contact/getAll", {"data": "{}"}, 561),  # no authorization fields
    ],
)
def test_routing(c: TestClient, method: str, path: str, form: dict[str, str] | None, expected: int) -> None:
    assert error(c.request(method, path, data=form))[0] == expected


def test_paths_outside_the_api_are_404(c: TestClient) -> None:
    for path in ("/", "/api/public", "/api/json/Contact/getAll"):
        response = c.post(path)
        assert (response.status_code, response.text) == (404, "Not Found")


def test_form_bodies_are_read_as_urlencoded(c: TestClient) -> None:
    path = CALL_PATH.format(format="json", module="Contact", method="getAll")
    raw = urlencode([("data", json.dumps(auth_fields(c))), ("data", "ignored")])
    assert result(c.post(path, content=raw, headers={"Content-Type": "text/plain"})) == 200
    multipart = c.post(path, files={"data": ("data.json", json.dumps(auth_fields(c)))})
    assert result(multipart) == 561  # multipart is not read
    as_json = c.post(TOKEN_PATH, json={"_api_auth": "key", "_api_key": "key-main"})
    assert result(as_json) == 561  # a JSON body has no form fields
    twice = c.post(TOKEN_PATH, content=b"_api_auth=key&_api_key=key-main&_api_key=other")
    assert result(twice) == 200  # the first of repeated fields wins
    bad_utf8 = c.post(TOKEN_PATH, content=b"_api_auth=key&_api_key=\xff")
    assert result(bad_utf8) == 562
    many = c.post(TOKEN_PATH, content="&".join(f"f{n}=1" for n in range(200)).encode())
    assert result(many) == 561


# --- methods -----------------------------------------------------------------------------------


def test_get_all_pages(c: TestClient) -> None:
    page = data(call(c, "Contact", "getAll", {"limit": 5, "offset": 28, "unknown": [1]}))
    assert [item["id"] for item in page["items"]] == [29, 30] and page["total"] == 30
    assert data(call(c, "Contact", "getAll", {"offset": 1000}))["items"] == []
    assert len(data(call(c, "Contact", "getAll", {"limit": 100}))["items"]) == 30
    assert len(data(call(c, "Contact", "getAll", {"limit": None, "offset": None}))["items"]) == 20


def test_get(c: TestClient) -> None:
    contact = data(call(c, "Contact", "get", {"id": 3}))
    assert contact == data(call(c, "Contact", "getAll"))["items"][2]
    assert contact["firstname"] == "Maria" and contact["email"] == "maria.wisniewska3@example.com"
    assert error(call(c, "Contact", "get", {"id": 31})) == (400, "General method error: contact 31 not found")


@pytest.mark.parametrize(
    ("method", "params", "named"),
    [
        ("getAll", {"limit": "apiconform"}, ["limit"]),
        ("getAll", {"limit": 0}, ["limit"]),
        ("getAll", {"limit": 101}, ["limit"]),
        ("getAll", {"limit": 1.0}, ["limit"]),
        ("getAll", {"limit": True}, ["limit"]),
        ("getAll", {"offset": -1}, ["offset"]),
        ("getAll", {"offset": "1"}, ["offset"]),
        ("getAll", {"limit": [], "offset": {}}, ["limit", "offset"]),
        ("get", {}, ["id"]),
        ("get", {"id": "3"}, ["id"]),
        ("get", {"id": 0}, ["id"]),
        ("delete", {"id": None}, ["id"]),
        ("add", {}, ["firstname"]),
        ("add", {"firstname": "  "}, ["firstname"]),
        ("add", {"firstname": 1, "lastname": None}, ["firstname"]),
        ("add", {"firstname": "A", "lastname": 2, "email": 5}, ["lastname", "email"]),
        ("add", {"firstname": "A" * 256}, ["firstname"]),
    ],
)
def test_validation_errors_are_420_naming_the_parameters(
    c: TestClient, method: str, params: dict[str, Any], named: list[str]
) -> None:
    code, message = error(call(c, "Contact", method, params))
    assert code == 420 and message.startswith("Validation error: ")
    assert [part.split()[0] for part in message.removeprefix("Validation error: ").split("; ")] == named
    assert len(server_of(c).store.contacts) == 30


def test_read_only_user_cannot_write(c: TestClient) -> None:
    assert error(call(c, "Contact", "add", {"firstname": "X"}, user=READ)) == (
        540,
        "No permission: this API key may not call Contact/add",
    )
    assert result(call(c, "Contact", "delete", {"id": 1}, user=READ)) == 540
    assert result(call(c, "Contact", "add", {}, user=READ)) == 540  # permission before validation
    assert data(call(c, "Contact", "getAll", user=READ))["total"] == 30
    assert data(call(c, "Contact", "get", {"id": 1}, user=READ))["id"] == 1


def test_write_round_trip(c: TestClient) -> None:
    added = data(call(c, "Contact", "add", {"firstname": "Ola", "lastname": "Zając", "email": "o@x.pl"}))
    assert added == {"id": 31}
    contact = data(call(c, "Contact", "get", {"id": 31}))
    assert {k: v for k, v in contact.items() if k != "created"} == {
        "id": 31,
        "firstname": "Ola",
        "lastname": "Zając",
        "email": "o@x.pl",
    }
    assert STAMP.fullmatch(contact["created"])
    assert data(call(c, "Contact", "getAll", {"offset": 30}))["items"] == [contact]
    assert data(call(c, "Contact", "delete", {"id": 31})) == {"id": 31}
    assert result(call(c, "Contact", "get", {"id": 31})) == 400
    assert result(call(c, "Contact", "delete", {"id": 31})) == 400
    assert data(call(c, "Contact", "add", {"firstname": "Ela"})) == {"id": 32}  # ids are not reused
    assert (
        data(call(c, "Contact", "get", {"id": 32}))["lastname"] == ""
        and data(call(c, "Contact", "get", {"id": 32}))["email"] is None
    )
    assert data(call(c, "Contact", "getAll"))["total"] == 31


def test_unhandled_exception_is_500_envelope(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(params: Any) -> Any:
        raise KeyError("boom")

    contact = server_of(c).modules["Contact"]
    monkeypatch.setitem(contact, "getAll", type(contact["getAll"])(broken, write=False))
    assert error(call(c, "Contact", "getAll")) == (
        500,
        "General API error: the call could not be completed",
    )


# --- the envelope over many responses ------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
parameter_names = st.sampled_from(
    ["limit", "offset", "id", "firstname", "lastname", "email", "x", "_api_auth"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    method=st.sampled_from(["getAll", "get", "add", "delete", "nope"]),
    fmt=st.sampled_from(["json", "xml"]),
    params=st.dictionaries(parameter_names, json_values, max_size=4),
    user=st.sampled_from([MAIN, READ]),
    raw=st.none() | st.text(max_size=30),
)
def test_every_response_is_a_well_formed_envelope(
    c: TestClient, method: str, fmt: str, params: dict[str, Any], user: User, raw: str | None
) -> None:
    """Property: whatever is sent, the answer is HTTP 200 with exactly the four envelope keys, a
    boolean status true iff result is 200, and a documented result (envelope.problems)."""
    response = (
        call(c, "Contact", method, params, user, fmt) if raw is None else post(c, "Contact", method, raw, fmt)
    )
    envelope = body(response)
    if envelope["result"] == 200:
        assert envelope["error"] is None
    else:
        assert envelope["data"] == [] and isinstance(envelope["error"], str)


def test_the_envelope_of_every_kind_of_answer(c: TestClient) -> None:
    responses = [token(c), token(c, "nope"), c.get("/api/public/json/Contact/get")]
    responses += [probe(c) for _, probe, _ in AUTH_CASES]
    responses += [
        call(c, "Contact", m, {"id": 1, "firstname": "A"}) for m in ("getAll", "get", "add", "delete")
    ]
    responses += [
        call(c, "Contact", "add", {}, READ),
        call(c, "Nope", "x"),
        call(c, "Contact", "x", fmt="csv"),
    ]
    results = {body(response)["result"] for response in responses}
    assert results == {200, 400, 514, 516, 540, 560, 561, 562, 563}


# --- quirky ------------------------------------------------------------------------------------


def test_quirky_variant_differs_where_the_document_is_silent() -> None:
    q = make(quirky=True)
    failed = body(call(q, "Nope", "getAll"))
    assert failed == {
        "data": None,
        "error": {"message": "No such module: no module Nope", "code": 514},
        "result": 514,
        "status": False,
    }
    page = data(call(q, "Contact", "getAll", {"limit": 2, "offset": 1}))
    assert (page["limit"], page["offset"], page["total"]) == (2, 1, 30)
    assert all(item["owner_id"] == 1 and set(item) == CONTACT_KEYS | {"owner_id"} for item in page["items"])
    assert data(call(q, "Contact", "get", {"id": 2}))["owner_id"] == 1
    fields = auth_fields(q)
    assert [result(post(q, "Contact", "getAll", fields)) for _ in range(3)] == [200, 200, 200]
    assert body(call(q, "Contact", "getAll", {"limit": 0}))["error"]["message"].startswith(
        "Invalid input: limit"
    )


@pytest.mark.parametrize(("what", "probe", "expected"), AUTH_CASES, ids=[case[0] for case in AUTH_CASES])
def test_quirky_auth_codes_stay_precise(
    what: str, probe: Callable[[TestClient], httpx.Response], expected: int
) -> None:
    assert body(probe(make(quirky=True)))["result"] == expected


# --- alternate -----------------------------------------------------------------------------------

ALTERNATE_SHOULD_ONLY = {"livespace.envelope.only-members", "livespace.envelope.status-true-on-success"}


def alt_body(response: httpx.Response) -> dict[str, Any]:
    """The envelope of the alternate variant: every MUST envelope rule holds; the two SHOULDs it
    takes the other reading of (a fifth member, status 1 on success) do not."""
    found = problems(response.status_code, response.text)
    assert set(found) <= ALTERNATE_SHOULD_ONLY, found
    parsed: dict[str, Any] = response.json()
    assert set(parsed) == ENVELOPE_KEYS | {"request_id"}
    return parsed


def alt_token(c: TestClient, key: str = MAIN[0]) -> tuple[str, str]:
    data = alt_body(c.post(ALTERNATE_TOKEN_PATH, data={"_api_auth": "key", "_api_key": key}))["data"]
    assert set(data) == {"token", "session", "expires_in"}
    return data["token"], data["session"]


def alt_call(c: TestClient, method: str, params: dict[str, Any] | None = None, user: User = MAIN) -> Any:
    key, secret = user
    tok, session_id = alt_token(c, key)
    fields = {"_api_auth": "key", "_api_key": key, "_api_session": session_id}
    fields["_api_sha"] = signature(key, tok, secret)
    return alt_body(post(c, "Contact", method, {**fields, **(params or {})}))


@pytest.fixture
def alt() -> TestClient:
    return make(variant="alternate")


def test_alternate_envelope(alt: TestClient) -> None:
    assert alt_body(token(alt))["result"] == 514  # the token path working clients use
    ok = alt_body(alt.post(ALTERNATE_TOKEN_PATH, data={"_api_auth": "key", "_api_key": MAIN[0]}))
    assert (ok["status"], ok["error"], ok["result"]) == (1, None, 200)
    failed = alt_body(post(alt, "Nope", "x", {}))
    assert {k: failed[k] for k in ENVELOPE_KEYS} == {
        "data": [],
        "error": None,
        "result": 514,
        "status": False,
    }
    assert re.fullmatch(r"[0-9a-f]{16}", failed["request_id"])


def test_alternate_names_and_shapes(alt: TestClient) -> None:
    for plain in ("getAll", "get", "add", "delete"):  # 515 and 560 are both "Incorrect method"
        assert alt_call(alt, plain)["result"] == 560
    listed = alt_call(alt, "getContacts")["data"]
    assert isinstance(listed, list) and len(listed) == 30
    assert listed[0] == {
        "id": "C1",
        "name": "Anna",
        "surname": "Nowak",
        "email": "anna.nowak1@example.com",
        "created_at": "20240108T090000",
    }
    assert [item["id"] for item in alt_call(alt, "getContacts", {"limit": 2, "offset": 3})["data"]] == [
        "C4",
        "C5",
    ]
    assert alt_call(alt, "getContact", {"contact_id": "C3"})["data"]["surname"] == "Wiśniewska"
    for other in (3, {"x": 1}, "3", "C0"):  # nothing named: no data (not a validation error)
        assert alt_call(alt, "getContact", {"contact_id": other})["data"] is None
    assert alt_call(alt, "getContact", {"contact_id": "C99"}) | {"request_id": ""} == {
        "data": None,
        "error": None,
        "result": 200,
        "status": 1,
        "request_id": "",
    }


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("getContact", {}),
        ("getContact", {"contact_id": ""}),
        ("getContact", {"contact_id": "C1", "id": 1}),  # a parameter the method does not take
        ("getContacts", {"limit": 1001}),  # beyond what a real client sends
        ("getContacts", {"offset": 1_000_001}),
        ("getContacts", {"page": 1}),
        ("addContact", {"name": "Ola"}),  # every field required
        ("addContact", {"surname": "Zając"}),
        ("deleteContact", {}),
    ],
)
def test_alternate_validation(alt: TestClient, method: str, params: dict[str, Any]) -> None:
    assert alt_call(alt, method, params)["result"] == 420
    assert len(server_of(alt).store.contacts) == 30


def test_alternate_write_round_trip_and_permission(alt: TestClient) -> None:
    new = alt_call(alt, "addContact", {"name": "Ola", "surname": "Zając", "email": "o@x.pl"})["data"]
    assert new == "C31"
    assert alt_call(alt, "getContact", {"contact_id": new})["data"]["name"] == "Ola"
    assert alt_call(alt, "deleteContact", {"contact_id": new})["data"] is True
    assert alt_call(alt, "getContact", {"contact_id": new})["data"] is None
    assert alt_call(alt, "deleteContact", {"contact_id": new})["result"] == 400
    assert alt_call(alt, "addContact", {"name": "R", "surname": "O"}, user=READ)["result"] == 540
    assert len(server_of(alt).store.contacts) == 30


#: AUTH_CASES against the alternate: where the tables overlap it answers the other code.
ALTERNATE_CODES = {560: 515, 561: 550, 563: 530}


@pytest.mark.parametrize(("what", "probe", "expected"), AUTH_CASES, ids=[case[0] for case in AUTH_CASES])
def test_alternate_auth_codes(
    alt: TestClient, what: str, probe: Callable[[TestClient], httpx.Response], expected: int
) -> None:
    """The alternate's auth answers: 550 for missing parameters, 530 for a missing, unknown, used
    or foreign session, 515 for an unknown _api_auth; 200, 562 and a wrong signature's 563 stay."""
    wanted = ALTERNATE_CODES.get(expected, expected)
    if what in ("_api_session missing", "_api_session null"):
        wanted = 530
    if what in ("wrong secret", "secret first", "non-ASCII sha", "upper-case sha"):
        wanted = 563  # the alternate compares the signature exactly (lower-case hex)
    response = post(alt, "Contact", "getContacts", _alternate_fields(alt, what))
    assert alt_body(response)["result"] == wanted, (what, response.text)


def _alternate_fields(c: TestClient, what: str) -> dict[str, Any]:
    """The fields of AUTH_CASES' `what` probe, built on an alternate session."""
    tok, session_id = alt_token(c)
    fields: dict[str, Any] = {
        "_api_auth": "key",
        "_api_key": MAIN[0],
        "_api_session": session_id,
        "_api_sha": signature(MAIN[0], tok, MAIN[1]),
    }
    changes: dict[str, Callable[[dict[str, Any]], None]] = {
        "correct": lambda fields: None,
        "upper-case sha": _set("_api_sha", signature(MAIN[0], tok, MAIN[1]).upper()),
        "_api_auth other": _set("_api_auth", "oauth"),
        "_api_auth a list": _set("_api_auth", ["key"]),
        "_api_auth missing": _drop("_api_auth"),
        "_api_key missing": _drop("_api_key"),
        "_api_session missing": _drop("_api_session"),
        "_api_sha missing": _drop("_api_sha"),
        "_api_sha empty": _set("_api_sha", ""),
        "_api_key a number": _set("_api_key", 7),
        "_api_session null": _set("_api_session", None),
        "unknown key": _set("_api_key", "key-unknown"),
        "unknown session": _set("_api_session", "cd" * 16),
        "wrong secret": _set("_api_sha", signature(MAIN[0], tok, "wrong")),
        "secret first": _set("_api_sha", signature(MAIN[1], tok, MAIN[0])),
        "non-ASCII sha": _set("_api_sha", "ä" * 40),
    }
    if what == "session of another key":
        _, foreign = alt_token(c, READ[0])
        fields["_api_session"] = foreign
    else:
        changes[what](fields)
    return fields


def test_alternate_session_is_single_use(alt: TestClient) -> None:
    tok, session_id = alt_token(alt)
    fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
    fields["_api_sha"] = signature(MAIN[0], tok, MAIN[1])
    assert [alt_body(post(alt, "Contact", "getContacts", fields))["result"] for _ in range(2)] == [200, 530]
    assert (
        alt_body(alt.post(ALTERNATE_TOKEN_PATH, data={"_api_auth": "oauth", "_api_key": MAIN[0]}))["result"]
        == 515
    )
    assert alt_body(alt.post(ALTERNATE_TOKEN_PATH, data={"_api_auth": "key"}))["result"] == 550


def test_alternate_token_for_any_key_is_refused_at_the_call(alt: TestClient) -> None:
    tok, session_id = alt_token(alt, "key-unknown")
    fields = {"_api_auth": "key", "_api_key": "key-unknown", "_api_session": session_id}
    fields["_api_sha"] = signature("key-unknown", tok, MAIN[1])
    assert alt_body(post(alt, "Contact", "getContacts", fields))["result"] == 562


# --- a real server -----------------------------------------------------------------------------


def test_serves_over_http_with_uvicorn() -> None:
    with RunningServer(create_app(ServerOptions(credentials=CREDS))) as server:
        got = httpx.post(
            server.base_url + TOKEN_PATH, data={"_api_auth": "key", "_api_key": "key-main"}
        ).json()
        tok, session_id = got["data"]["token"], got["data"]["session_id"]
        fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id, "limit": 1}
        fields["_api_sha"] = signature(MAIN[0], tok, MAIN[1])
        path = CALL_PATH.format(format="json", module="Contact", method="getAll")
        response = httpx.post(server.base_url + path, data={"data": json.dumps(fields)})
        assert response.status_code == 200 and len(response.json()["data"]["items"]) == 1
        assert httpx.get(server.base_url + "/").status_code == 404


# --- faults ------------------------------------------------------------------------------------

Scenario = Callable[[TestClient], Any]


def _json(probe: Callable[[TestClient], httpx.Response]) -> Scenario:
    return lambda c: probe(c).json()


def _result_of(probe: Callable[[TestClient], httpx.Response]) -> Scenario:
    return lambda c: probe(c).json()["result"]


def _unknown_module(c: TestClient) -> httpx.Response:
    return call(c, "Nope", "getAll")


def _get_all(c: TestClient) -> httpx.Response:
    return call(c, "Contact", "getAll", {"limit": 2})


def _reused(c: TestClient) -> Any:
    fields = auth_fields(c)
    return [post(c, "Contact", "getAll", fields).json()["result"] for _ in range(2)]


def _auth_failures(c: TestClient) -> list[int]:
    probes = dict((what, probe) for what, probe, _ in AUTH_CASES)
    names = ("_api_auth other", "_api_sha missing", "unknown key", "unknown session")
    return [probes[name](c).json()["result"] for name in names]


def _invalid(c: TestClient) -> list[int]:
    return [
        call(c, "Contact", "getAll", {"limit": "x"}).json()["result"],
        call(c, "Contact", "add", {"lastname": "no first name"}).json()["result"],
        call(c, "Contact", "get", {}).json()["result"],
        call(c, "Contact", "get", {"id": {"x": 1}}).json()["result"],
    ]


def _forbidden_write(c: TestClient) -> tuple[int, int]:
    refused = call(c, "Contact", "add", {"firstname": "R"}, user=READ).json()["result"]
    return refused, len(server_of(c).store.contacts)


def _deleted_then_get(c: TestClient) -> int:
    added = call(c, "Contact", "add", {"firstname": "Gone"}).json()["data"]["id"]
    call(c, "Contact", "delete", {"id": added})
    result_code: int = call(c, "Contact", "get", {"id": added}).json()["result"]
    return result_code


def _large_limit(c: TestClient) -> dict[str, str]:
    response = call(c, "Contact", "getAll", {"limit": 60})
    found: dict[str, str] = problems(response.status_code, response.text)
    return found


def _missing(name: str) -> Scenario:
    return _result_of(_mutated(_drop(name)))


FAULT_CASES: list[tuple[str, Scenario, Callable[[Any], bool]]] = [
    ("http-status-mirrors-result", lambda c: _unknown_module(c).status_code, lambda s: s == 200),
    (
        "html-on-error",
        lambda c: _unknown_module(c).headers["content-type"],
        lambda t: t == "application/json",
    ),
    ("envelope-extra-key", _json(_get_all), lambda b: set(b) == ENVELOPE_KEYS),
    ("envelope-missing-error", _json(_get_all), lambda b: set(b) == ENVELOPE_KEYS),
    ("status-true-on-error", _json(_unknown_module), lambda b: b["status"] is False),
    ("status-as-string", _json(_get_all), lambda b: b["status"] is True),
    ("undocumented-result", _result_of(_unknown_module), lambda r: r == 514),
    (
        "token-without-session",
        lambda c: token(c).json()["data"]["session_id"],
        lambda s: re.fullmatch(r"[0-9a-f]{32}", s) is not None,
    ),
    ("sha-secret-first", _result_of(_get_all), lambda r: r == 200),
    ("missing-sha-served", _missing("_api_sha"), lambda r: r == 561),
    ("unknown-key-served", _result_of(_unknown_key), lambda r: r == 562),
    (
        "bad-signature-served",
        _result_of(_signed_with(lambda k, t, s: signature(k, t, "x"))),
        lambda r: r == 563,
    ),
    ("unknown-session-served", _result_of(_made_up_session), lambda r: r == 563),
    ("unknown-auth-method-served", _result_of(_mutated(_set("_api_auth", "oauth"))), lambda r: r == 560),
    ("session-reusable", _reused, lambda r: r == [200, 563]),
    ("imprecise-auth-codes", _auth_failures, lambda r: r == [560, 561, 562, 563]),
    (
        "read-only-can-write",
        _result_of(lambda c: call(c, "Contact", "add", {"firstname": "R"}, user=READ)),
        lambda r: r == 540,
    ),
    ("forbidden-write-applied", _forbidden_write, lambda r: r == (540, 30)),
    ("unknown-method-400", _result_of(lambda c: call(c, "Contact", "nope")), lambda r: r == 515),
    (
        "unknown-format-served",
        _result_of(lambda c: call(c, "Contact", "getAll", fmt="xml")),
        lambda r: r == 516,
    ),
    (
        "contact-missing-created",
        lambda c: [
            _get_all(c).json()["data"]["items"][0],
            call(c, "Contact", "get", {"id": 1}).json()["data"],
        ],
        lambda items: all("created" in item for item in items),
    ),
    (
        "get-another-contact",
        lambda c: [call(c, "Contact", "get", {"id": n}).json()["data"]["id"] for n in (1, 30)],
        lambda ids: ids == [1, 30],
    ),
    ("validation-ignored", _invalid, lambda r: r == [420] * 4),
    ("validation-550", _invalid, lambda r: r == [420] * 4),
    ("delete-not-applied", _deleted_then_get, lambda r: r == 400),
    ("large-limit-crash", _large_limit, lambda found: found == {}),
]


@pytest.mark.parametrize(
    ("fault", "scenario", "conformant"), FAULT_CASES, ids=[case[0] for case in FAULT_CASES]
)
def test_fault_deviates_where_the_clean_server_conforms(
    fault: str, scenario: Scenario, conformant: Callable[[Any], bool]
) -> None:
    assert conformant(scenario(make())), "the clean server does not conform"
    assert not conformant(scenario(make((fault,)))), f"{fault} does not deviate"


def test_every_fault_has_a_case_and_known_rules() -> None:
    assert_fault_cases_cover_the_catalogue("livespace", [case[0] for case in FAULT_CASES])


def test_unknown_fault_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault 'no-such-fault'"):
        make(("no-such-fault",))


def test_fault_details() -> None:
    """Deviations the table does not show: the exact shapes the faults produce."""
    mirrors = make(("http-status-mirrors-result",))
    assert call(mirrors, "Contact", "get", {"id": 999}).status_code == 400
    assert call(mirrors, "Contact", "getAll", {"limit": 0}).status_code == 400
    assert token(mirrors, "nope").status_code == 500  # 562
    assert call(mirrors, "Contact", "getAll").status_code == 200
    page = make(("html-on-error",)).post("/api/public/json/Nope/x")
    assert page.status_code == 200 and page.text.startswith("<!DOCTYPE html>") and "514" in page.text
    extra = make(("envelope-extra-key",))
    assert _json(_get_all)(extra)["message"] == "OK"
    assert _json(_unknown_module)(extra)["message"] == "Incorrect module: no module Nope"
    assert set(_json(_unknown_module)(make(("envelope-missing-error",)))) == ENVELOPE_KEYS
    assert _json(_unknown_module)(make(("status-as-string",)))["status"] == "false"
    assert _json(_get_all)(make(("status-true-on-error",)))["status"] is True
    # token-without-session: a call without a session is matched to its token by the signature
    blank = make(("token-without-session",))
    tok, session_id = session(blank)
    fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
    signed = {**fields, "_api_sha": signature(MAIN[0], tok, MAIN[1])}
    assert session_id == "" and result(post(blank, "Contact", "getAll", signed)) == 200
    assert result(post(blank, "Contact", "getAll", signed)) == 563  # that session is spent
    assert result(post(blank, "Contact", "getAll", {**fields, "_api_sha": "0" * 40})) == 563
    secret_first = make(("sha-secret-first",))
    assert result(_signed_with(lambda k, t, s: signature(s, t, k))(secret_first)) == 200
    assert result(call(make(("missing-sha-served",)), "Contact", "getAll", {"_api_sha": None})) == 200
    assert (
        result(make(("unknown-key-served",)).post(TOKEN_PATH, data={"_api_auth": "key", "_api_key": "x"}))
        == 562
    )
    assert result(token(make(("unknown-auth-method-served",)), auth="oauth")) == 200
    assert result(token(make(("imprecise-auth-codes",)), "nope")) == 564
    assert result(call(make(("read-only-can-write",)), "Contact", "delete", {"id": 1}, user=READ)) == 200
    ignored = make(("validation-ignored",))
    assert len(data(call(ignored, "Contact", "getAll", {"limit": 0, "offset": -5}))["items"]) == 20
    created = data(call(ignored, "Contact", "add", {"email": 5}))["id"]
    assert data(call(ignored, "Contact", "get", {"id": created}))["firstname"] == ""
    assert body(call(ignored, "Contact", "get", {}))["data"] is None  # served as "nothing"
    assert body(call(ignored, "Contact", "get", {"id": "x"}))["data"] is None
    assert body(call(make(("validation-550",)), "Contact", "add", {}))["error"].startswith(
        "Parameter handling error"
    )
    kept = make(("delete-not-applied",))
    assert data(call(kept, "Contact", "delete", {"id": 1})) == {"id": 1}
    assert len(server_of(kept).store.contacts) == 30
    crash = make(("large-limit-crash",))
    crashed = call(crash, "Contact", "get", {"id": 1, "limit": 51})
    assert (crashed.status_code, crashed.text) == (500, "Internal Server Error")
    assert result(call(crash, "Contact", "getAll", {"limit": 50})) == 200
    assert call(crash, "Contact", "getAll", {"limit": 51}).status_code == 500
    assert result(call(make(("unknown-format-served",)), "Contact", "getAll", fmt="xml")) == 200
    assert result(make(("unknown-format-served",)).post(TOKEN_PATH.replace("json", "csv"), data={})) == 561
