"""The Livespace envelope over many responses: a property over generated calls, and every kind of
answer."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reference.livespace.helpers import MAIN, READ, TestClient, User, body, call, post, token
from tests.reference.livespace.probes import AUTH_CASES

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
