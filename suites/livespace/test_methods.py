"""Method calls: the read methods' data, validation errors, a write round trip, and generated
parameters (livespace-api.md, Responses; Method errors 400/420; API handling error 550). The
modules are not documented: Contact/getAll, get, add and delete follow working clients."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apiconform.checks.expect import check, fail
from apiconform.providers.livespace.envelope import problems
from apiconform.providers.livespace.profile import result_of
from apiconform.schemastore import store
from apiconform.session import Verdicts

VALIDATION_CODES = {420, 400, 550}


def data_of(response) -> Any:
    body = response.json_or_none()
    return body.get("data") if isinstance(body, dict) else None


def check_schema(name: str, instance: Any, what: str, response) -> None:
    errors = store("livespace").errors(name, instance)
    check(not errors, f"{what} does not match {name}.schema.json: " + "; ".join(errors), response)


@pytest.mark.rule("livespace.methods.read-data")
def test_read_methods(caller, keys):
    listed = caller.call(keys, "Contact", "getAll", {"limit": 5})
    check(result_of(listed) == 200, f"Contact/getAll: result {result_of(listed)!r}", listed)
    page = data_of(listed)
    check_schema("contacts-page", page, "Contact/getAll data", listed)
    if not page["items"]:
        pytest.skip("the account has no contacts to read one of")
    first = page["items"][0]
    one = caller.call(keys, "Contact", "get", {"id": first["id"]})
    check(result_of(one) == 200, f"Contact/get id {first['id']}: result {result_of(one)!r}", one)
    check_schema("contact", data_of(one), "Contact/get data", one)
    check(data_of(one).get("id") == first["id"], "Contact/get answered another contact", one)


@pytest.mark.rule("livespace.methods.validation-error", "livespace.methods.validation-420")
def test_invalid_parameters(caller, keys, verdicts: Verdicts):
    for params in ({"limit": "apiconform"}, {"limit": 0}, {"offset": -1}):
        response = caller.call(keys, "Contact", "getAll", params)
        result = result_of(response)
        with verdicts.check("livespace.methods.validation-error"):
            check(
                result in VALIDATION_CODES,
                f"Contact/getAll {params}: result {result!r}, not a method or parameter error (420/400/550)",
                response,
            )
        with verdicts.check("livespace.methods.validation-420"):
            check(result == 420, f"Contact/getAll {params}: result {result!r}, not 420", response)


@pytest.mark.rule("livespace.methods.write-roundtrip")
def test_write_round_trip(caller, keys):
    name = f"apiconform-{secrets.token_hex(4)}"
    added = caller.call(keys, "Contact", "add", {"firstname": "apiconform-contact", "lastname": name})
    check(result_of(added) == 200, f"Contact/add: result {result_of(added)!r}", added)
    check_schema("created", data_of(added), "Contact/add data", added)
    contact_id = data_of(added)["id"]
    read = caller.call(keys, "Contact", "get", {"id": contact_id})
    check(result_of(read) == 200, f"Contact/get of the new contact: result {result_of(read)!r}", read)
    check((data_of(read) or {}).get("lastname") == name, "Contact/get does not show what was added", read)
    deleted = caller.call(keys, "Contact", "delete", {"id": contact_id})
    check(result_of(deleted) == 200, f"Contact/delete: result {result_of(deleted)!r}", deleted)
    gone = caller.call(keys, "Contact", "get", {"id": contact_id})
    check(result_of(gone) != 200, "Contact/get still finds the deleted contact", gone)


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
)


@pytest.mark.rule("livespace.methods.generated-envelope")
@example(method="getAll", params={"limit": 100, "offset": 0})  # the documented-looking bounds
@example(method="getAll", params={"limit": 10**6})
@given(
    method=st.sampled_from(["getAll", "get"]),
    params=st.dictionaries(st.sampled_from(["limit", "offset", "id", "apiconform"]), values, max_size=3),
)
def test_generated_parameters(method, params, caller, keys):
    """Property: whatever the parameters, a read call answers HTTP 200 with a well-formed envelope."""
    response = caller.call(keys, "Contact", method, params)
    found = problems(response.status_code, response.text)
    if found:
        fail(f"Contact/{method} {params}: " + "; ".join(found.values()), response)
