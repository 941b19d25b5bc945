"""The Livespace suite against other readings of livespace-api.md: it does not cry wolf.

For each class of silence point (suites/livespace/readings.toml) a server that takes the other
reading: the alternate reference server, with the default config (the rules that need an
undocumented method it does not have are `skipped`, naming the key, never `failed`) and with the
config that points the suite at its readings; and small apps for the preflight's honest verdicts
(a wrong-typed envelope, a token without a session, a refused documented credential form: each
`failed` naming the rule, exit 1; a well-formed refusal of the key: exit 2; nothing usable: 3).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from apiconform.config import parse_config
from apiconform.errors import ConfigError
from apiconform.masking import Masker
from apiconform.pacing import Pacer
from apiconform.profile import RateLimit
from apiconform.providers.livespace.calls import CALL_PATH, TOKEN_PATH
from apiconform.providers.livespace.profile import LivespaceProfile
from apiconform.providers.livespace.settings import Settings
from apiconform.providers.livespace.shapes import contains, created_id, id_of, items_of, same_id, session_of
from apiconform.reference.serving import RunningServer
from apiconform.registry import get_profile
from apiconform.run import ProviderResult, run_provider
from tests.conformance import describe, outcomes, run_embedded
from tests.test_invariants import ALTERNATE_CONFIG

KEY, SECRET = "readings-key-5f1c", "readings-secret-9d2e"
ALTERNATE = ALTERNATE_CONFIG["livespace"]
#: Only the token path: everything else at its default (the working clients' names and shapes).
DEFAULTS_BUT_TOKEN = {"token_path": ALTERNATE["token_path"]}


def alternate(tmp_path: Path, config: dict[str, Any], patterns: list[str] | None = None) -> ProviderResult:
    parsed = parse_config({"livespace": config}).provider("livespace")
    return run_embedded("livespace", tmp_path, variant="alternate", config=parsed, patterns=patterns)


def must(result: ProviderResult, outcome: str) -> dict[str, str]:
    """MUST rule id -> message, for the rules with `outcome`."""
    return {r.rule.id: r.message for r in result.rules if r.rule.level == "MUST" and r.outcome == outcome}


# --- undocumented methods, names and shapes: skipped by default, passed with the config ----------

#: The rules a default config leaves skipped against the alternate, and the key each names.
SKIPPED_BY_DEFAULT = {
    "livespace.auth.signed-call-accepted": "list_method",
    "livespace.auth.missing-parameters": "list_method",
    "livespace.auth.unknown-key": "list_method",
    "livespace.auth.bad-signature": "list_method",
    "livespace.auth.unknown-session": "list_method",
    "livespace.auth.unknown-auth-method": "list_method",
    "livespace.auth.session-single-use": "list_method",
    "livespace.auth.precise-codes": "list_method",
    "livespace.routing.unknown-format-516": "list_method",
    "livespace.methods.read-by-id": "list_method",
    "livespace.auth.no-permission-540": "add_method",
    "livespace.methods.write-persists": "add_method",
    "livespace.methods.invalid-parameters-refused": "get_method",
    "livespace.methods.validation-420": "get_method",
}


def test_other_method_names_are_skipped_naming_the_key_not_failed(tmp_path):
    """The alternate has Contact/getContacts, ... : the working clients' names answer 560."""
    result = alternate(tmp_path, DEFAULTS_BUT_TOKEN)
    assert not must(result, "failed") and not must(result, "error"), describe(result)
    skipped = {r.rule.id: r.message for r in result.rules if r.outcome == "skipped"}
    assert set(skipped) == set(SKIPPED_BY_DEFAULT), describe(result)
    for rule, key in SKIPPED_BY_DEFAULT.items():
        assert "not supported by the target" in skipped[rule], skipped[rule]
        assert "result 560 (Incorrect method)" in skipped[rule] and f"set {key} " in skipped[rule]
    # what needs no undocumented method is judged, and passes
    for rule in ("livespace.auth.token", "livespace.envelope.members", "livespace.routing.unknown-method"):
        assert outcomes(result)[rule] == "passed"
    assert result.exit_code == 0


def test_the_alternate_config_passes_every_must_and_finds_shapes_itself(tmp_path):
    """With the method names and the add fields, the shapes are found without list_items and
    session_field (the bare list, the `session` member: searched for)."""
    config = {k: v for k, v in ALTERNATE.items() if k not in ("list_items", "session_field")}
    result = alternate(tmp_path, config)
    not_passed = {r.rule.id for r in result.rules if r.rule.level == "MUST" and r.outcome != "passed"}
    assert not not_passed, describe(result, not_passed)
    # the other readings show only in SHOULDs
    should = {r.rule.id: r.outcome for r in result.rules if r.rule.level == "SHOULD"}
    assert should["livespace.envelope.only-members"] == "failed"  # request_id
    assert should["livespace.envelope.status-true-on-success"] == "failed"  # status 1
    assert should["livespace.auth.precise-codes"] == "failed"  # 530, 550, 515
    assert should["livespace.methods.client-shapes"] == "failed"  # session, bare list
    assert should["livespace.methods.invalid-parameters-refused"] == "failed"  # an object id: no data


def test_another_token_path_is_a_config_error_in_the_targets_terms(tmp_path):
    result = alternate(tmp_path, {})
    assert result.exit_code == 2
    assert result.error and "token_path" in result.error and "514 (Incorrect module)" in result.error
    assert {r.outcome for r in result.rules} == {"error"}


def test_a_refused_list_params_skips_naming_the_key(tmp_path):
    """The alternate refuses a parameter its list method does not take (420)."""
    result = alternate(
        tmp_path,
        {**ALTERNATE, "list_params": {"apiconform": 1}},
        patterns=["livespace.auth.signed-call-accepted"],
    )
    message = outcomes(result), result.rules[0].message
    assert message[0] == {"livespace.auth.signed-call-accepted": "skipped"}, describe(result)
    assert "set list_params" in message[1] and "420" in message[1]


def test_a_refused_add_payload_is_a_setup_error_not_a_failure(tmp_path):
    """The alternate requires name and surname: the working clients' fields are refused (420).
    Its permission check comes first, so the read-only user's add is still judged (540)."""
    config = {k: v for k, v in ALTERNATE.items() if k != "add_params"}
    rules = ["livespace.methods.write-persists", "livespace.auth.no-permission-540"]
    result = alternate(tmp_path, config, patterns=rules)
    assert outcomes(result) == {rules[0]: "error", rules[1]: "passed"}, describe(result)
    message = result.rules[-1].message if result.rules[-1].rule.id == rules[0] else result.rules[0].message
    assert message.startswith("setup refused: Contact/addContact refused the suite's request with result 420")
    assert "set add_params" in message


def test_a_refused_setup_names_the_field_the_target_names(tmp_path):
    """The clean server names what it refused: the message quotes it."""
    config = parse_config({"livespace": {"add_params": {"lastname": "{unique}"}}}).provider("livespace")
    result = run_embedded("livespace", tmp_path, config=config, patterns=["livespace.methods.write-persists"])
    (rule,) = result.rules
    assert rule.outcome == "error" and "'Validation error: firstname is required'" in rule.message, (
        rule.message
    )


# --- the config keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [("list_method", "getAll"), ("add_method", "Contact/add/more"), ("add_params", {}), ("id_param", "")],
)
def test_livespace_settings_are_validated(key, value):
    with pytest.raises(ConfigError, match=key):
        parse_config({"livespace": {key: value}})


def test_settings_defaults_and_the_unique_marker():
    defaults = Settings.from_options({})
    assert str(defaults.list_method) == "Contact/getAll" and defaults.list_method.setting == "list_method"
    assert [str(m) for m in defaults.writes] == ["Contact/add", "Contact/delete"]
    assert defaults.add_payload("apiconform-1a") == {
        "firstname": "apiconform-contact",
        "lastname": "apiconform-1a",
    }
    configured = Settings.from_options(ALTERNATE)
    assert configured.configured >= {"list_items", "session_field"} and configured.id_param == "contact_id"


# --- finding things in data whose shape the document does not give --------------------------------

DEFAULT = Settings.from_options({})
ITEMS = [{"id": 1}, {"id": 2}]
FINDS: list[tuple[str, Callable[[Any], Any], Any, Any]] = [
    ("items member", lambda d: items_of(d, DEFAULT), {"items": ITEMS, "total": 2}, ITEMS),
    ("bare list", lambda d: items_of(d, DEFAULT), ITEMS, ITEMS),
    ("the one list member", lambda d: items_of(d, DEFAULT), {"contacts": ITEMS, "count": 2}, ITEMS),
    ("two list members", lambda d: items_of(d, DEFAULT), {"a": [], "b": ITEMS}, None),
    (
        "list_items set",
        lambda d: items_of(d, Settings.from_options({"list_items": "b"})),
        {"b": ITEMS},
        ITEMS,
    ),
    (
        "list_items set, absent",
        lambda d: items_of(d, Settings.from_options({"list_items": "x"})),
        ITEMS,
        None,
    ),
    ("id member", lambda d: id_of(d, DEFAULT), {"id": "C7"}, "C7"),
    (
        "id_param member first",
        lambda d: id_of(d, Settings.from_options({"id_param": "cid"})),
        {"cid": 3, "id": 9},
        3,
    ),
    ("a boolean is no id", lambda d: id_of(d, DEFAULT), {"id": True}, None),
    ("bare new id", lambda d: created_id(d, DEFAULT), "C31", "C31"),
    ("nested new id", lambda d: created_id(d, DEFAULT), {"contact": {"id": 31}}, 31),
    ("no new id", lambda d: created_id(d, DEFAULT), True, None),
    ("session_id", lambda d: session_of(d, DEFAULT), {"token": "t", "session_id": "s"}, "s"),
    ("session named otherwise", lambda d: session_of(d, DEFAULT), {"token": "t", "sessionId": 7}, 7),
    ("empty session", lambda d: session_of(d, DEFAULT), {"token": "t", "session_id": ""}, None),
    ("two sessions", lambda d: session_of(d, DEFAULT), {"session_a": "a", "session_b": "b"}, None),
    (
        "session_field set, absent",
        lambda d: session_of(d, Settings.from_options({"session_field": "x"})),
        {"session": "s"},
        None,
    ),
    ("marker deep", lambda d: contains(d, "apiconform-1"), {"a": [{"b": "x apiconform-1 y"}]}, True),
    ("marker absent", lambda d: contains(d, "apiconform-1"), {"a": [1, None]}, False),
]


@pytest.mark.parametrize(("what", "find", "data", "found"), FINDS, ids=[case[0] for case in FINDS])
def test_finding_in_data(what, find, data, found):
    assert find(data) == found


def test_ids_compare_as_the_target_wrote_them():
    assert same_id(3, "3") and same_id("C3", "C3") and not same_id(3, "C3") and not same_id(True, 1)


# --- the write guard: a configured write method is a write whatever its name -----------------------


def test_configured_write_methods_are_guarded_whatever_their_names():
    profile = LivespaceProfile()
    guard = profile.write_guard({"add_method": "Contact/insert", "delete_method": "Contact/trash"})

    def request(module: str, method: str, fmt: str = "json") -> httpx.Request:
        path = CALL_PATH.format(format=fmt, module=module, method=method)
        return httpx.Request("POST", "https://x.example" + path)

    assert guard(request("Contact", "insert")) and guard(request("Contact", "trash", "xml"))
    assert guard(request("Contact", "addContact"))  # by its name, configured or not
    assert not guard(request("Contact", "getAll")) and not guard(request("Deal", "insert"))
    assert not guard(httpx.Request("POST", "https://x.example" + TOKEN_PATH))
    assert not profile.write_guard({})(request("Contact", "insert"))


def test_the_client_refuses_a_configured_write_without_allow_writes():
    from apiconform.client import ApiClient
    from apiconform.errors import TargetError

    client = ApiClient(
        "https://x.example",
        masker=Masker(),
        pacer=Pacer(RateLimit(100, 1.0), deadline_at=1e12),
        pace_key=lambda request: "k",
        is_write=LivespaceProfile().write_guard({"add_method": "Contact/insert"}),
        writes_allowed=False,
        timeout=1,
        deadline_at=1e12,
    )
    with pytest.raises(TargetError, match="writes are not allowed"):
        client.request("POST", CALL_PATH.format(format="json", module="Contact", method="insert"), data={})


# --- preflight: honest verdicts --------------------------------------------------------------------

#: What a small app answers (to getToken, or to any call).
Handler = Callable[[Request], Response]


def envelope(result: Any, data: Any = None, status: Any = None, error: Any = None) -> Response:
    body = {
        "data": data,
        "error": error,
        "result": result,
        "status": result == 200 if status is None else status,
    }
    return Response(json.dumps(body), media_type="application/json")


def good_token(request: Request) -> Response:
    return envelope(200, {"token": "a" * 40, "session_id": "b" * 32})


def good_call(request: Request) -> Response:
    return envelope(200, {"items": [], "total": 0})


def app_of(token: Handler, call: Handler) -> Starlette:
    async def handle(request: Request) -> Response:
        return token(request) if request.url.path == TOKEN_PATH else call(request)

    return Starlette(routes=[Route("/{path:path}", handle, methods=["POST"])])


@pytest.fixture
def serve() -> Iterator[Callable[[Starlette], str]]:
    servers: list[RunningServer] = []

    def start(app: Starlette) -> str:
        servers.append(RunningServer(app))
        return servers[-1].base_url

    yield start
    for server in servers:
        server.stop()


def run_against(base_url: str, tmp_path: Path, patterns: list[str] | None = None) -> ProviderResult:
    config = parse_config(
        {"livespace": {"base_url": base_url, "api_key": KEY, "api_secret": SECRET, "timeout": 5}}
    ).provider("livespace")
    return run_provider(
        get_profile("livespace"), config, report_dir=tmp_path, patterns=patterns, allure=False
    )


def failed(result: ProviderResult) -> dict[str, str]:
    return {r.rule.id: r.message for r in result.rules if r.outcome == "failed"}


PREFLIGHT_FAILURES = [
    # (case, token handler, call handler, rules that must be among the failed)
    (
        "token envelope of the wrong type",
        lambda request: Response(json.dumps([{"token": "x"}]), media_type="application/json"),
        good_call,
        {"livespace.auth.token", "livespace.envelope.json"},
    ),
    (
        "token result a string",
        lambda request: envelope("200", {"token": "a" * 40, "session_id": "b" * 32}, status=True),
        good_call,
        {"livespace.auth.token", "livespace.envelope.documented-result"},
    ),
    (
        "token without a session",
        lambda request: envelope(200, {"token": "a" * 40}),
        good_call,
        {"livespace.auth.token"},
    ),
    (
        "token with an empty session",
        lambda request: envelope(200, {"token": "a" * 40, "session_id": ""}),
        good_call,
        {"livespace.auth.token"},
    ),
    (
        "documented credential form refused (561)",
        lambda request: envelope(561, [], error="Incorrect parameters"),
        good_call,
        {"livespace.auth.token"},
    ),
    (
        "documented credential form refused (560)",
        lambda request: envelope(560, []),
        good_call,
        {"livespace.auth.token"},
    ),
    (
        "token answered HTTP 401 with an envelope",
        lambda request: Response(
            json.dumps({"data": [], "error": None, "result": 562, "status": False}), 401
        ),
        good_call,
        {"livespace.auth.token", "livespace.envelope.http-200"},
    ),
    (
        "signed call's envelope of the wrong type",
        good_token,
        lambda request: Response('"OK"', media_type="application/json"),
        {"livespace.auth.signed-call-accepted", "livespace.envelope.json"},
    ),
    (
        "signed call answered plain text",
        good_token,
        lambda request: PlainTextResponse("OK"),
        {"livespace.auth.signed-call-accepted", "livespace.envelope.json"},
    ),
]


@pytest.mark.parametrize(
    ("case", "token", "call", "rules"), PREFLIGHT_FAILURES, ids=[case[0] for case in PREFLIGHT_FAILURES]
)
def test_an_answer_off_the_contract_fails_the_rules_it_breaks(case, token, call, rules, serve, tmp_path):
    result = run_against(serve(app_of(token, call)), tmp_path)
    assert result.exit_code == 1, (case, result.error)
    assert result.error and result.error.startswith("not conformant at preflight")
    assert rules <= set(failed(result)), (case, failed(result))
    assert {r.outcome for r in result.rules} == {"failed", "error"}
    message = failed(result)[sorted(rules)[0]]
    assert "reproduce: curl" in message and SECRET not in message


@pytest.mark.parametrize("code", [562, 563, 564, 540])
def test_a_well_formed_refusal_of_the_key_is_exit_2(code, serve, tmp_path):
    result = run_against(serve(app_of(lambda request: envelope(code, []), good_call)), tmp_path)
    assert result.exit_code == 2 and result.error and "api_key" in result.error
    assert set(failed(result)) == {"livespace.auth.signed-call-accepted"}


@pytest.mark.parametrize("code", [562, 563, 530])
def test_a_well_formed_refusal_of_the_signed_call_is_exit_2(code, serve, tmp_path):
    result = run_against(serve(app_of(good_token, lambda request: envelope(code, []))), tmp_path)
    assert result.exit_code == 2 and result.error and "api_secret" in result.error


def test_an_unsupported_list_method_at_preflight_is_not_a_credential_problem(serve, tmp_path):
    """515 to the smoke call: the run goes on; the rules that need the method are skipped."""
    result = run_against(serve(app_of(good_token, lambda request: envelope(515, []))), tmp_path)
    assert result.error is None
    assert outcomes(result)["livespace.auth.signed-call-accepted"] == "skipped"
    assert (
        "set list_method"
        in {r.rule.id: r.message for r in result.rules}["livespace.auth.signed-call-accepted"]
    )


@pytest.mark.parametrize(
    ("what", "response"),
    [
        ("404 plain", lambda request: PlainTextResponse("Not Found", 404)),
        ("502 html", lambda request: Response("<html>502</html>", 502, media_type="text/html")),
        ("redirect", lambda request: Response("", 302, headers={"Location": "https://elsewhere.example/"})),
    ],
)
def test_nothing_usable_at_the_token_path_is_exit_3(what, response, serve, tmp_path):
    result = run_against(serve(app_of(response, good_call)), tmp_path)
    assert result.exit_code == 3 and result.error and result.error.startswith("target unreachable"), what
    assert not failed(result)


def test_a_format_the_target_does_not_serve_is_a_config_error(tmp_path):
    """The alternate answers 516 when call_path fixes another format."""
    result = alternate(tmp_path, {**ALTERNATE, "call_path": "/api/public/xml/{module}/{method}"})
    assert result.exit_code == 2 and result.error and "call_path" in result.error


def test_a_session_issued_to_an_unknown_key_must_serve_no_call(serve, tmp_path):
    """getToken may issue a session to an unknown key (livespace.token-for-unknown-key), but a
    target that then serves the call on it fails livespace.auth.unknown-key."""
    rule = "livespace.auth.unknown-key"
    result = run_against(serve(app_of(good_token, good_call)), tmp_path, patterns=[rule])
    assert outcomes(result) == {rule: "failed"}, describe(result)
    assert "on the session getToken issued to it: result 200 (OK), not 562 or 563" in result.rules[0].message


def test_a_long_recorded_envelope_is_judged_on_its_whole_body():
    """A list call answering more than an exchange records (a real account's 100 contacts) is a
    JSON object: the observer reads the whole body, not the cut text (a blind implementation's
    getAll showed this false alarm)."""
    import json

    from apiconform.providers.livespace.envelope import recorded_problems
    from apiconform.recording import BodyNotKept, Exchange

    body = {"data": {"items": [{"id": i, "note": "x" * 300} for i in range(100)]}, "error": None}
    body |= {"result": 200, "status": True}
    text = json.dumps(body)
    cut = Exchange("POST", "http://x/api", (), "", 200, (), text[:20_000], parses_as_json=lambda: True)
    assert recorded_problems(Exchange(**{**_fields(cut), "parse_body": lambda: body})) == {}

    def not_kept():
        raise BodyNotKept("too large")

    assert recorded_problems(Exchange(**{**_fields(cut), "parse_body": not_kept})) == {}
    broken = Exchange(
        **{**_fields(cut), "status": 500, "parses_as_json": lambda: False, "parse_body": not_kept}
    )
    assert set(recorded_problems(broken)) == {"livespace.envelope.http-200", "livespace.envelope.json"}


def _fields(exchange):
    from dataclasses import fields

    return {f.name: getattr(exchange, f.name) for f in fields(exchange)}
