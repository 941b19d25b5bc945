"""The Livespace faults beyond the generic cases: the exact shapes the faults produce."""

from __future__ import annotations

from apiconform.providers.livespace.calls import TOKEN_PATH, signature
from apiconform.providers.livespace.envelope import ENVELOPE_KEYS
from tests.reference.livespace.cases import get_all, json_of, unknown_module
from tests.reference.livespace.helpers import (
    MAIN,
    READ,
    body,
    call,
    data,
    make,
    post,
    result,
    server_of,
    session,
    token,
)
from tests.reference.livespace.probes import signed_with


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
    assert json_of(get_all)(extra)["message"] == "OK"
    assert json_of(unknown_module)(extra)["message"] == "Incorrect module: no module Nope"
    assert set(json_of(unknown_module)(make(("envelope-missing-error",)))) == ENVELOPE_KEYS
    assert json_of(unknown_module)(make(("status-as-string",)))["status"] == "false"
    assert json_of(get_all)(make(("status-true-on-error",)))["status"] is True
    # token-without-session: a call without a session is matched to its token by the signature
    blank = make(("token-without-session",))
    tok, session_id = session(blank)
    fields = {"_api_auth": "key", "_api_key": MAIN[0], "_api_session": session_id}
    signed = {**fields, "_api_sha": signature(MAIN[0], tok, MAIN[1])}
    assert session_id == "" and result(post(blank, "Contact", "getAll", signed)) == 200
    assert result(post(blank, "Contact", "getAll", signed)) == 563  # that session is spent
    assert result(post(blank, "Contact", "getAll", {**fields, "_api_sha": "0" * 40})) == 563
    secret_first = make(("sha-secret-first",))
    assert result(signed_with(lambda k, t, s: signature(s, t, k))(secret_first)) == 200
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
