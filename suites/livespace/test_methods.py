"""Method calls: reading a listed object, validation errors, a write round trip, and generated
parameters (livespace-api.md, Responses; Method errors 400/420; API handling error 550).

The document names no module, method, parameter or data shape: the methods are list_method,
get_method, add_method and delete_method, the id parameter id_param, the new object's fields
add_params (defaults: what working public clients use, Contact/getAll, get, add and delete). The
MUST rules look into data only to find what they need (the list, an id, the marker the suite
added; `shapes.py`) and skip, naming the key, when they cannot; the shapes working clients read are
a SHOULD (livespace.methods.client-shapes)."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apiconform.providers.livespace.codes import BAD_PARAMETERS, data_of, described, result_of
from apiconform.providers.livespace.envelope import problems
from apiconform.providers.livespace.probes import (
    ListProbe,
    refused_setup,
    skip_if_parameters_refused,
    skip_if_unsupported,
)
from apiconform.providers.livespace.shapes import EMPTY, contains, created_id, id_of, items_of, same_id
from apiconform.suite import ApiResponse, Verdicts, check, fail, load_catalogue, store


def check_schema(name: str, instance: Any, what: str, response: ApiResponse) -> None:
    errors = store("livespace").errors(name, instance)
    check(not errors, f"{what} does not match {name}.schema.json: " + "; ".join(errors), response)


@pytest.mark.rule("livespace.methods.read-by-id", "livespace.methods.client-shapes")
def test_read_a_listed_object(caller, keys, settings, probe: ListProbe, verdicts: Verdicts):
    """The list probe's first object, read by get_method with its id."""
    with verdicts.check("livespace.methods.client-shapes"):
        token_data = data_of(probe.session.response)
        check_schema("token", token_data, "getToken data", probe.session.response)
    probe.require()
    listed = data_of(probe.response)
    if result_of(probe.response) != 200:
        pytest.skip(f"{probe.method} answered {described(result_of(probe.response))}: nothing listed to read")
    with verdicts.check("livespace.methods.client-shapes"):
        check_schema("contacts-page", listed, f"{probe.method} data", probe.response)
    items = items_of(listed, settings)
    if items is None:
        pytest.skip(
            f"no list found in the data of {probe.method} (the document gives no shape: set list_items)"
        )
    if not items:
        pytest.skip(f"{probe.method} lists no object to read")
    wanted = id_of(items[0], settings)
    if wanted is None:
        pytest.skip(f"the first listed object has no {settings.id_param} or id member (set id_param)")
    one = caller.call_method(keys, settings.get_method, {settings.id_param: wanted})
    skip_if_unsupported(one, settings.get_method)
    skip_if_parameters_refused(one, settings.get_method, "id_param")
    what = f"{settings.get_method} {settings.id_param}={wanted!r}"
    with verdicts.check("livespace.methods.read-by-id"):
        check(result_of(one) == 200, f"{what}: {described(result_of(one))}", one)
        data = data_of(one)
        check(data not in EMPTY, f"{what}: answered no data", one)
        got = id_of(data, settings) if isinstance(data, dict) else None
        check(got is None or same_id(got, wanted), f"{what}: answered the object with id {got!r}", one)
    with verdicts.check("livespace.methods.client-shapes"):
        check_schema("contact", data_of(one), f"{settings.get_method} data", one)


@pytest.mark.rule("livespace.methods.invalid-parameters-refused", "livespace.methods.validation-420")
def test_invalid_parameters(caller, keys, settings, verdicts: Verdicts):
    """get_method without its id, and with an object as the id: invalid in every reading."""
    method = settings.get_method
    for params in ({}, {settings.id_param: {"apiconform": "not-an-id"}}):
        response = caller.call_method(keys, method, params)
        skip_if_unsupported(response, method)
        result = result_of(response)
        with verdicts.check("livespace.methods.invalid-parameters-refused"):
            check(
                result in BAD_PARAMETERS,
                f"{method} {params}: {described(result)}, not a method or parameter error (420/400/550/561)",
                response,
            )
        with verdicts.check("livespace.methods.validation-420"):
            check(result == 420, f"{method} {params}: {described(result)}, not 420", response)


@pytest.mark.rule("livespace.methods.write-persists")
def test_write_round_trip(caller, keys, settings):
    marker = f"apiconform-{secrets.token_hex(4)}"
    add, get, delete = settings.add_method, settings.get_method, settings.delete_method
    added = caller.call_method(keys, add, settings.add_payload(marker))
    skip_if_unsupported(added, add)
    if result_of(added) in BAD_PARAMETERS:
        refused_setup(added, add, "add_params")
    check(result_of(added) == 200, f"{add}: {described(result_of(added))}", added)
    new_id = created_id(data_of(added), settings)
    if new_id is None:
        pytest.skip(f"{add} answered 200, but its data shows no id the suite can find (set id_param)")
    read = caller.call_method(keys, get, {settings.id_param: new_id})
    skip_if_unsupported(read, get)
    check(result_of(read) == 200, f"{get} of the new object: {described(result_of(read))}", read)
    check(contains(data_of(read), marker), f"{get} does not show what was added ({marker})", read)
    deleted = caller.call_method(keys, delete, {settings.id_param: new_id})
    skip_if_unsupported(deleted, delete)
    check(result_of(deleted) == 200, f"{delete}: {described(result_of(deleted))}", deleted)
    gone = caller.call_method(keys, get, {settings.id_param: new_id})
    check(
        result_of(gone) != 200 or data_of(gone) in EMPTY,
        f"{get} still finds the deleted object",
        gone,
    )


#: The envelope rules whose breach makes an envelope malformed (the SHOULDs are opinions).
MUST = {rule.id for rule in load_catalogue("livespace").values() if rule.level == "MUST"}

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
)


@pytest.mark.rule("livespace.methods.generated-envelope")
@example(which="list", params={"limit": 100, "offset": 0})
@example(which="list", params={"limit": 10**6})
@given(
    which=st.sampled_from(["list", "get"]),
    params=st.dictionaries(st.sampled_from(["limit", "offset", "id", "apiconform"]), values, max_size=3),
)
def test_generated_parameters(which, params, caller, keys, settings):
    """Property: whatever the parameters (any result is allowed: the document promises to accept
    none of them), a read call answers HTTP 200 with a well-formed envelope."""
    method = settings.list_method if which == "list" else settings.get_method
    if "id" in params and settings.id_param != "id":
        params = {settings.id_param if k == "id" else k: v for k, v in params.items()}
    response = caller.call_method(keys, method, params)
    found = {
        rule: problem
        for rule, problem in problems(response.status_code, response.text).items()
        if rule in MUST
    }
    if found:
        fail(f"{method} {params}: " + "; ".join(found.values()), response)
