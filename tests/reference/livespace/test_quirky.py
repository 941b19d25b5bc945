"""The Livespace server's quirky variant: conformant, but different where the document is silent."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.reference.livespace.helpers import (
    CONTACT_KEYS,
    TestClient,
    auth_fields,
    body,
    call,
    data,
    make,
    post,
    result,
)
from tests.reference.livespace.probes import AUTH_CASES


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
