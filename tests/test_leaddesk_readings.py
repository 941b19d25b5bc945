"""The LeadDesk suite against servers that take the other readings of leaddesk-api.txt (its silence
points: suites/leaddesk/readings.toml): no false alarm on a conformant server, and honest verdicts.

- the alternate reference server with the default config: the rules on operations the document
  does not show are skipped, naming the config key, and nothing fails; with the keys set, they pass;
- each class of silence point: what the MUST accepts, and the SHOULD that still asks for the
  examples' reading (token status, missing-token and not-found statuses, modify status, member
  names, links without self or total, ISO 8601 dates, generated values the document does not
  promise, undocumented operations, special grants);
- the config as the document prints it: base_url with /stable, `leaddesk_client_id = 1`;
- preflight: a wrong-typed collection, a token response without a token, a refusal of the
  documented grant form are `failed` naming the rule (exit 1); a well-formed refusal of the
  credentials is exit 2; no API at the base URL is exit 3.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apiconform.checks.iso8601 import iso8601_problem, rfc3339_problem
from apiconform.config import load_config, parse_config
from apiconform.providers.leaddesk.probes import promised
from apiconform.providers.leaddesk.server import create_app
from apiconform.providers.leaddesk.transport import start_deployment
from apiconform.reference.serving import RunningServer, ServerOptions, Variant
from apiconform.registry import get_profile
from apiconform.run import ProviderResult, run_provider
from tests.conformance import OPT_IN_CONFIG, describe, outcomes, run_embedded
from tests.test_invariants import ALTERNATE_CONFIG

CREDENTIALS = {
    "client_id": "client-readings",
    "client_secret": "secret-readings",
    "username": "agent",
    "password": "agent-password",
    "leaddesk_client_id": "1",
    "read_only_username": "viewer",
    "read_only_password": "viewer-password",
    "other_client_id": "client-other",
    "other_client_secret": "secret-other",
}
FAST = {"requests": 1000, "per_seconds": 1}
#: The opt-in expiry rules: their token waited out (token_expiry_wait) on a server issuing 2 s tokens.
EXPIRY = OPT_IN_CONFIG["leaddesk"]
SHORT_TOKENS = {"token_lifetime": 2}


def run_config(tmp_path: Path, table: dict[str, Any], patterns: list[str] | None = None) -> ProviderResult:
    config = parse_config({"leaddesk": table}).provider("leaddesk")
    return run_provider(get_profile("leaddesk"), config, report_dir=tmp_path, patterns=patterns, allure=False)


def reference(
    variant: Variant = "clean",
    credentials: dict[str, str] = CREDENTIALS,
    settings: dict[str, Any] | None = None,
) -> Any:
    return create_app(ServerOptions(credentials=credentials, variant=variant, settings=settings or {}))


def against(base_url: str, **table: Any) -> dict[str, Any]:
    """A config table for a target at `base_url` (the API root), with the test's credentials."""
    return {"base_url": base_url, "rate_limit": FAST, **CREDENTIALS, **table}


def json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def must_not_passed(result: ProviderResult) -> dict[str, str]:
    return {r.rule.id: r.outcome for r in result.rules if r.rule.level == "MUST" and r.outcome != "passed"}


def messages(result: ProviderResult) -> dict[str, str]:
    return {r.rule.id: r.message for r in result.rules}


# --- the alternate server: the other reading at every silence point --------------------------------


@pytest.fixture(scope="module")
def alternate_default(tmp_path_factory: pytest.TempPathFactory) -> ProviderResult:
    """The alternate server run with the default config (no keys set)."""
    return run_embedded("leaddesk", tmp_path_factory.mktemp("alternate"), variant="alternate")


RELATION_RULES = (
    "leaddesk.writes.modify-applied",
    "leaddesk.writes.patch-array-replaces",
    "leaddesk.writes.post-adds",
    "leaddesk.writes.subresource-patch",
)
#: MUST rules on the campaign besides those, skipped with them when no campaign can be found
CAMPAIGN_RULES = (
    *RELATION_RULES,
    "leaddesk.writes.patch-partial",
    "leaddesk.writes.keys-case-sensitive",
    "leaddesk.writes.invalid-value-refused",
    "leaddesk.writes.delete-relation",
)
EXPIRY_RULES = ("leaddesk.auth.expired-token-401", "leaddesk.oauth.refresh-after-expiry")


def test_undocumented_operations_are_skipped_naming_the_key_not_failed(alternate_default) -> None:
    """The alternate server answers 405 to GET and POST /campaigns (operations the document does not
    show) and takes DELETE on the token endpoint: those rules are skipped, nothing fails; so are
    the opt-in expiry rules (no token_expiry_wait: the default run never waits)."""
    result = alternate_default
    skipped = {rule: outcome for rule, outcome in must_not_passed(result).items()}
    assert skipped == {
        rule: "skipped" for rule in (*CAMPAIGN_RULES, *EXPIRY_RULES, "leaddesk.errors.method-not-allowed-405")
    }
    text = messages(result)
    for rule in CAMPAIGN_RULES:
        assert "GET http" in text[rule] and "HTTP 405" in text[rule] and "set campaign_id" in text[rule]
    for rule in EXPIRY_RULES:
        assert "token_expiry_wait" in text[rule]
    assert "set not_allowed_request" in text["leaddesk.errors.method-not-allowed-405"]
    assert result.exit_code == 0 and result.conformant()


def test_with_the_keys_set_the_alternate_server_passes_every_must(tmp_path) -> None:
    """ALTERNATE_CONFIG (the README shows it): campaign_id, product_ids, not_allowed_request; and
    token_expiry_wait for the opt-in expiry rules."""
    config = parse_config({"leaddesk": {**ALTERNATE_CONFIG["leaddesk"], **EXPIRY}}).provider("leaddesk")
    result = run_embedded("leaddesk", tmp_path, variant="alternate", config=config)
    assert not must_not_passed(result), describe(result, must_not_passed(result))


def test_products_not_listed_skip_naming_product_ids(tmp_path) -> None:
    config = parse_config({"leaddesk": {"campaign_id": 1}}).provider("leaddesk")
    result = run_embedded("leaddesk", tmp_path, variant="alternate", config=config, patterns=RELATION_RULES)
    got = outcomes(result)
    assert got["leaddesk.writes.subresource-patch"] == "passed"
    for rule in RELATION_RULES[:3]:
        assert got[rule] == "skipped" and "set product_ids" in messages(result)[rule]


def test_a_write_collection_the_target_refuses_is_skipped_naming_the_key(tmp_path) -> None:
    """The alternate server refuses POST /products (not shown by the document): the rules that
    create there are skipped, naming write_collection, not failed."""
    table = {"write_collection": "/products", "create_body": {"name": "apiconform-{unique}"}}
    config = parse_config({"leaddesk": table}).provider("leaddesk")
    rules = [
        "leaddesk.writes.create-returns-id",
        "leaddesk.writes.delete-204-then-404",
        "leaddesk.errors.unsupported-media-415",
        "leaddesk.auth.read-only-write-403",
    ]
    result = run_embedded("leaddesk", tmp_path, variant="alternate", config=config, patterns=rules)
    for rule, outcome in outcomes(result).items():
        assert outcome == "skipped" and "set write_collection" in messages(result)[rule], rule


def test_another_write_collection_works_where_the_target_has_it(tmp_path) -> None:
    """The clean server also creates products: pointed there, the write rules pass."""
    table = {"write_collection": "/products", "create_body": {"name": "apiconform-{unique}", "price": 1}}
    config = parse_config({"leaddesk": table}).provider("leaddesk")
    result = run_embedded(
        "leaddesk", tmp_path, config=config, patterns=["leaddesk.writes.*", "leaddesk.errors.*"]
    )
    assert set(outcomes(result).values()) == {"passed"}, describe(result)
    sent = [e.request_body for e in result.exchanges if e.method == "POST" and e.url.endswith("/products")]
    bodies = [body for body in map(json_or_none, sent) if isinstance(body, dict) and body]  # {}: the probe
    assert bodies and all(set(b) == {"name", "price"} and b["name"].startswith("apiconform-") for b in bodies)


# --- each class of silence point: the MUST accepts the other reading, the SHOULD asks ---------------

#: SHOULD rule -> the other reading the alternate server takes (each fails only the SHOULD)
SHOULD_READINGS = {
    "leaddesk.oauth.token-status-200": "HTTP 201",
    "leaddesk.auth.missing-token-status-401": "HTTP 400",
    "leaddesk.errors.not-found-status-404": "HTTP 400",
    "leaddesk.errors.non-json-415": "HTTP 400",
    "leaddesk.media.iso8601-extended": "20181230T161840+0200",
    "leaddesk.media.example-member-names": "_link",
    "leaddesk.media.underscore-reserved": "_type",
    "leaddesk.collections.self-link": "no self",
    "leaddesk.collections.meta-total": "no total",
}


@pytest.mark.parametrize("rule", SHOULD_READINGS)
def test_the_other_reading_fails_only_its_should(alternate_default, rule: str) -> None:
    assert outcomes(alternate_default)[rule] == "failed"
    assert SHOULD_READINGS[rule] in messages(alternate_default)[rule]


@pytest.mark.parametrize(
    "rule",
    [
        "leaddesk.oauth.password-grant",  # 201, token_type bearer
        "leaddesk.oauth.leaddesk-client-id-grant",  # a JSON integer required
        "leaddesk.oauth.client-user-grant",
        "leaddesk.oauth.refresh-grant",
        "leaddesk.auth.missing-token-refused",  # 400 missing_token
        "leaddesk.errors.not-found-refused",  # 400 user_not_found
        "leaddesk.errors.validation-422",  # another error code
        "leaddesk.errors.unsupported-media-415",  # text/plain: 400
        "leaddesk.media.iso8601",  # basic format
        "leaddesk.media.object-links",  # _link
        "leaddesk.collections.shape",  # links, meta, no total
        "leaddesk.collections.links-consistent",  # no self, previous, null, relative
        "leaddesk.collections.walk-exactly-once",
        "leaddesk.collections.default-per-page",
        "leaddesk.collections.per-page-max",
        "leaddesk.schema.list-response-conformance",  # 404 past the last page
        "leaddesk.writes.create-returns-id",  # 201
        "leaddesk.writes.delete-204-then-404",  # GET after DELETE: 400
        "leaddesk.auth.read-only-write-403",
    ],
)
def test_the_must_accepts_the_other_reading(alternate_default, rule: str) -> None:
    assert outcomes(alternate_default)[rule] == "passed", messages(alternate_default)[rule]


def test_modify_status_200_passes_the_must_and_fails_the_should(tmp_path) -> None:
    config = parse_config({"leaddesk": ALTERNATE_CONFIG["leaddesk"]}).provider("leaddesk")
    result = run_embedded(
        "leaddesk", tmp_path, variant="alternate", config=config, patterns=["leaddesk.writes.*"]
    )
    got = outcomes(result)
    assert got["leaddesk.writes.modify-no-content"] == "failed"
    assert "HTTP 200, not 204" in messages(result)["leaddesk.writes.modify-no-content"]
    assert {got[rule] for rule in RELATION_RULES} == {"passed"}  # users PATCH: the given entries only


@pytest.mark.parametrize(
    "text",
    [
        "2018-12-30T16:18:40+02:00",  # the document's example (RFC 3339)
        "20181230T161840+0200",  # basic format
        "2018-12-30T16:18:40",  # local time, no zone
        "2018-12-30T16:18:40.123456789Z",  # any number of decimals
        "2018-12-30T16:18:40,5Z",  # a decimal comma
        "2018-12-30T16:18+02",  # reduced precision, hour-only offset
        "2018-12-30",
        "20181230",
        "2018-12",
        "2018-364",  # ordinal date
        "2018-W52-7T16:18:40Z",  # week date
        "2018-12-30T24:00:00",  # the end of the day
        "2018-12-30 16:18:40",  # a space for T (RFC 3339's readability allowance)
    ],
)
def test_iso8601_forms_are_accepted(text: str) -> None:
    assert iso8601_problem(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "30.12.2018 16:18",
        "12/30/2018",
        "2018-13-01",
        "2018-02-30",
        "2018-366",
        "2018-W53-1",
        "2018-12-30T25:00",
        "2018-12-30T24:00:01",
        "2018-12-30T16:60",
        "2018-12-30x16:18:40",
        "2018-12-30T16:18:40.",
        "2018-12-30T16:18:40+02:00:00",
        "2018-12-30T16:18:40+24:00",
        " 2018-12-30",
        "1546179520",
        "",
    ],
)
def test_non_iso8601_values_are_refused(text: str) -> None:
    assert iso8601_problem(text)


def test_rfc3339_is_the_narrower_should() -> None:
    assert rfc3339_problem("2018-12-30T16:18:40+02:00") is None
    assert rfc3339_problem("20181230T161840+0200") and rfc3339_problem("2018-12-30T16:18:40")


def test_generated_values_the_document_does_not_promise() -> None:
    assert promised({}, 120) and promised({"per_page": 500}, 120) and promised({"page": 5}, 120)
    assert promised({"page": 1}, 0)  # page 1 exists, empty or not
    assert not promised({"page": 6}, 120)  # past the last page
    assert not promised({"page": 10**12, "per_page": 1}, 120)


# --- special grants --------------------------------------------------------------------------------


def refusing_client_user(app: Any) -> Callable[..., Awaitable[None]]:
    """`app` whose token endpoint refuses the client_user grant with unauthorized_client (an API
    client that does not hold that special grant)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/oauth/access-token"):
            await app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            grant_type = json.loads(body).get("grant_type")
        except (ValueError, AttributeError):
            grant_type = None
        if grant_type == "client_user":
            refusal = {"error": "unauthorized_client", "error_description": "No client_user grant."}
            await JSONResponse(refusal, 400)(scope, receive, send)
            return
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await app(scope, replay, send)

    return wrapped


GRANT_RULES = ["leaddesk.oauth.leaddesk-client-id-grant", "leaddesk.oauth.client-user-grant"]


def test_a_special_grant_the_client_lacks_is_skipped(tmp_path) -> None:
    with RunningServer(refusing_client_user(reference())) as server:
        result = run_config(tmp_path, against(server.base_url + "/stable"), GRANT_RULES)
    assert outcomes(result) == {GRANT_RULES[0]: "passed", GRANT_RULES[1]: "skipped"}
    assert "unauthorized_client" in messages(result)[GRANT_RULES[1]]


def test_special_grants_names_the_grants_the_client_holds(tmp_path) -> None:
    with RunningServer(reference()) as server:
        table = against(server.base_url + "/stable", special_grants=["leaddesk_client_id"])
        result = run_config(tmp_path, table, GRANT_RULES)
    assert outcomes(result) == {GRANT_RULES[0]: "passed", GRANT_RULES[1]: "skipped"}
    assert "special_grants does not list client_user" in messages(result)[GRANT_RULES[1]]


# --- the config as the document prints it ---------------------------------------------------------


@pytest.mark.parametrize("variant", ["clean", "alternate"])
def test_document_verbatim_config_runs_conformant(tmp_path, variant: Variant) -> None:
    """base_url with /stable as the document prints it, and `leaddesk_client_id = 1` as a TOML
    number: the special grants send it as a JSON number (the alternate server takes nothing else).
    The server issues 2-second tokens, and the config waits them out."""
    with RunningServer(reference(variant, settings=SHORT_TOKENS)) as server:
        base_url = server.base_url
        lines = [
            "[leaddesk]",
            f'base_url = "{base_url}/stable/"',
            "leaddesk_client_id = 1",
            "rate_limit = { requests = 1000, per_seconds = 1 }",
            f"token_expiry_wait = {EXPIRY['token_expiry_wait']}",
            *(f'{k} = "{v}"' for k, v in CREDENTIALS.items() if k != "leaddesk_client_id"),
            *(
                f"{k} = {json.dumps(v)}"
                for k, v in ALTERNATE_CONFIG["leaddesk"].items()
                if variant == "alternate"
            ),
        ]
        path = tmp_path / "apiconform.toml"
        path.write_text("\n".join(lines) + "\n")
        config = load_config(path).provider("leaddesk")
        assert config.credentials["leaddesk_client_id"] == "1" and config.base_url == f"{base_url}/stable"
        result = run_provider(get_profile("leaddesk"), config, report_dir=tmp_path / "out", allure=False)
    assert not must_not_passed(result), describe(result, must_not_passed(result))
    assert result.exit_code == 0
    bodies = [json_or_none(e.request_body) for e in result.exchanges if e.url.endswith("/oauth/access-token")]
    grants = [body for body in bodies if isinstance(body, dict) and "leaddesk_client_id" in body]
    # every special grant sends it as a JSON number: 1, or foreign_leaddesk_client_id's 999999999
    assert len(grants) >= 2 and all(body["leaddesk_client_id"] in (1, 999999999) for body in grants)


# --- honest verdicts at preflight -------------------------------------------------------------------

TOKEN = {"access_token": "a" * 40, "token_type": "Bearer", "expires_in": 3600, "refresh_token": "r" * 40}
USERS = {"collection": [{"id": 1, "username": "agent"}], "_links": {}, "_meta": {"total": 1}}


def fake(token: Response, users: Response | None = None) -> Starlette:
    """A LeadDesk-like target answering the token request and GET /users as given."""

    async def token_endpoint(request: Request) -> Response:
        return token

    async def list_users(request: Request) -> Response:
        return users or JSONResponse(USERS)

    return Starlette(
        routes=[
            Route("/stable/oauth/access-token", token_endpoint, methods=["POST"]),
            Route("/stable/users", list_users),
        ]
    )


def error(code: str, status: int) -> JSONResponse:
    return JSONResponse({"error": code, "error_description": f"{code} (test)"}, status)


PREFLIGHT_FAILURES = [
    (
        "a token response without a token",
        fake(JSONResponse({"token_type": "Bearer"})),
        "leaddesk.oauth.password-grant",
    ),
    (
        "a 2xx token response that is not JSON",
        fake(Response("token: abc", 200, media_type="text/plain")),
        "leaddesk.oauth.password-grant",
    ),
    ("the grant type refused", fake(error("unsupported_grant_type", 400)), "leaddesk.oauth.password-grant"),
    ("the JSON body refused", fake(error("invalid_request", 400)), "leaddesk.oauth.password-grant"),
    (
        "the JSON media type refused",
        fake(error("unsupported_media_type", 415)),
        "leaddesk.oauth.password-grant",
    ),
    (
        "a refusal without the error object",
        fake(Response("<h1>Forbidden</h1>", 403, media_type="text/html")),
        "leaddesk.errors.shape",
    ),
    (
        "a collection of the wrong type",
        fake(JSONResponse(TOKEN), JSONResponse([{"id": 1}])),
        "leaddesk.collections.shape",
    ),
    (
        "the token it just issued refused",
        fake(JSONResponse(TOKEN), error("invalid_token", 401)),
        "leaddesk.oauth.password-grant",
    ),
]


@pytest.mark.parametrize(
    ("what", "app", "rule"), PREFLIGHT_FAILURES, ids=[case[0] for case in PREFLIGHT_FAILURES]
)
def test_a_target_off_the_contract_at_preflight_fails_the_rule(
    tmp_path, what: str, app: Any, rule: str
) -> None:
    with RunningServer(app) as server:
        result = run_config(tmp_path, against(server.base_url + "/stable"))
    assert result.exit_code == 1, result.error
    assert result.error and result.error.startswith("not conformant at preflight")
    got = outcomes(result)
    assert got[rule] == "failed" and messages(result)[rule].count("reproduce: curl") >= 1
    assert {outcome for r, outcome in got.items() if r != rule} == {"error"}


@pytest.mark.parametrize(
    ("what", "app", "code"),
    [
        ("wrong credentials, refused in the document's terms", fake(error("invalid_grant", 400)), 2),
        ("an unknown client", fake(error("invalid_client", 401)), 2),
        ("a user who may not read users", fake(JSONResponse(TOKEN), error("forbidden", 403)), 2),
        ("no token endpoint at the base URL", fake(error("not_found", 404)), 3),
        ("a server error", fake(error("internal_error", 503)), 3),
    ],
)
def test_credentials_and_unreachable_targets_keep_their_exit_codes(
    tmp_path, what: str, app: Any, code: int
) -> None:
    with RunningServer(app) as server:
        result = run_config(tmp_path, against(server.base_url + "/stable"))
    assert result.exit_code == code, result.error
    if code == 2:
        assert outcomes(result)["leaddesk.oauth.password-grant"] == "failed"


# --- the readings of #19's silence points ----------------------------------------------------------

#: faults that take another reading of a silence point, each failing only its SHOULD (and no MUST)
OTHER_READINGS = {
    "token-type-lowercase": "leaddesk.oauth.token-type-bearer",  # leaddesk.token-type-case
    "content-type-no-charset": "leaddesk.media.charset-utf8",  # leaddesk.charset-parameter
    "relative-links": "leaddesk.collections.absolute-links",  # leaddesk.link-form
    "object-no-self": "leaddesk.media.object-links-example",  # leaddesk.member-names
    "ids-as-strings": "leaddesk.writes.integer-id",  # leaddesk.id-type
    "create-201-id-only": "leaddesk.writes.created-content",  # leaddesk.create-status
    "post-relation-200": "leaddesk.writes.relation-no-content",  # leaddesk.modify-status
    "plain-http-only": "leaddesk.transport.https",  # leaddesk.plain-http
}


def test_the_other_readings_of_19_fail_only_their_shoulds(tmp_path) -> None:
    """One run with every such reading at once: no MUST fails, each SHOULD does."""
    config = parse_config({"leaddesk": EXPIRY}).provider("leaddesk")
    result = run_embedded("leaddesk", tmp_path, faults=list(OTHER_READINGS), config=config)
    assert not must_not_passed(result), describe(result, must_not_passed(result))
    got = outcomes(result)
    assert {rule: got[rule] for rule in OTHER_READINGS.values()} == dict.fromkeys(
        OTHER_READINGS.values(), "failed"
    )
    assert got["leaddesk.media.example-types"] == "failed"


def refusing_refresh(app: Any) -> Callable[..., Awaitable[None]]:
    """`app` whose token endpoint refuses every refresh_token grant (400 invalid_grant), as a
    server that refreshes only expired access tokens refuses the suite's early refresh."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/oauth/access-token"):
            await app(scope, receive, send)
            return
        message = await receive()
        body = message.get("body", b"")
        if (json_or_none(body.decode()) or {}).get("grant_type") == "refresh_token":
            refusal = {"error": "invalid_grant", "error_description": "The access token has not expired."}
            await JSONResponse(refusal, 400)(scope, receive, send)
            return

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        await app(scope, replay, send)

    return wrapped


def test_an_early_refresh_refused_skips_the_refresh_rules(tmp_path) -> None:
    """leaddesk.refresh-before-expiry: a target that refreshes only expired tokens gets the refresh
    rules skipped, naming the silence point, not failed."""
    rules = [
        "leaddesk.oauth.refresh-grant",
        "leaddesk.oauth.refresh-invalidates-access",
        "leaddesk.oauth.refresh-invalidates-refresh",
        "leaddesk.oauth.refresh-keeps-limits",
    ]
    with RunningServer(refusing_refresh(reference())) as server:
        result = run_config(tmp_path, against(server.base_url + "/stable"), rules)
    assert outcomes(result) == dict.fromkeys(rules, "skipped"), describe(result)
    assert all("leaddesk.refresh-before-expiry" in messages(result)[rule] for rule in rules)


def creating_from_nothing(app: Any) -> Callable[..., Awaitable[None]]:
    """`app` that creates a user from `{}` (a target where no field of the create is mandatory)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].endswith("/users"):
            await app(scope, receive, send)
            return
        message = await receive()
        body = message.get("body", b"")
        if json_or_none(body.decode()) == {}:
            body = json.dumps({"username": f"generated-{id(body)}"}).encode()

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        await app(scope, replay, send)

    return wrapped


def test_a_create_from_nothing_skips_the_missing_field_rule(tmp_path) -> None:
    """leaddesk.mandatory-fields: a target that creates a user from {} has no mandatory field: the
    rule is skipped, the object deleted again (so the 415 rules count nothing created)."""
    rules = [
        "leaddesk.writes.missing-field-refused",
        "leaddesk.errors.unsupported-media-415",
        "leaddesk.errors.non-json-415",
    ]
    with RunningServer(creating_from_nothing(reference())) as server:
        result = run_config(tmp_path, against(server.base_url + "/stable"), rules)
    got = outcomes(result)
    assert got == {rules[0]: "skipped", rules[1]: "passed", rules[2]: "passed"}, describe(result)
    assert "no field of create_body is mandatory" in messages(result)[rules[0]]
    assert any(e.method == "DELETE" and "/users/" in e.url and e.status == 204 for e in result.exchanges)


class PlainListener:
    """A plain-HTTP listener that records every request it gets and answers `status` with `body`."""

    def __init__(self, status: int, body: Any) -> None:
        self.status, self.body = status, body
        self.received: list[tuple[str, str, dict[str, str], bytes]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        content = await request.body()
        self.received.append((request.method, str(request.url), dict(request.headers), content))
        await JSONResponse(self.body, self.status)(scope, receive, send)


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (401, {"error": "unauthorized", "error_description": "An access token is required."}, "passed"),
        (301, None, "passed"),
        (200, {"collection": [{"id": 1}], "_links": {}, "_meta": {}}, "failed"),
    ],
)
def test_no_credential_travels_over_plain_http(tmp_path, status: int, body: Any, outcome: str) -> None:
    """The whole suite with plain_http_url at a listener that logs what it gets: only the probe
    arrives there, carrying no Authorization header and no configured credential or issued token
    anywhere; a refusal passes (the 401 with the note of what it could not show), serving fails."""
    listener = PlainListener(status, body)
    credentials = {
        name: value if name == "leaddesk_client_id" else f"distinct-{name}-5q9w"
        for name, value in CREDENTIALS.items()
    }
    deployment = start_deployment(ServerOptions(credentials=credentials))
    try:
        with RunningServer(listener) as plain:
            table = {
                **credentials,
                "base_url": deployment.base_url,
                "verify": deployment.verify,
                "plain_http_url": plain.base_url + "/stable",
                "rate_limit": FAST,
            }
            result = run_config(tmp_path, table)
    finally:
        deployment.stop()
    assert outcomes(result)["leaddesk.transport.https"] == outcome, describe(result)
    if status == 401:
        assert "not shown" in messages(result)["leaddesk.transport.https"]
    assert [(method, url.split("?")[0]) for method, url, _, _ in listener.received] == [
        ("GET", plain.base_url + "/stable/users")
    ]
    issued = {
        token
        for e in result.exchanges
        if e.url.endswith("/oauth/access-token")
        for token in (json_or_none(e.response_body) or {}).values()
        if isinstance(token, str) and len(token) >= 16
    }
    for _, url, headers, content in listener.received:
        assert "authorization" not in headers and "cookie" not in headers
        seen = url + json.dumps(headers) + content.decode(errors="replace")
        assert not [value for value in (*credentials.values(), *issued) if len(value) > 3 and value in seen]


def without_agents(app: Any) -> Callable[..., Awaitable[None]]:
    """`app` with no /agents resource (404)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/agents"):
            await JSONResponse({"error": "not_found", "error_description": "No such resource."}, 404)(
                scope, receive, send
            )
            return
        await app(scope, receive, send)

    return wrapped


def test_no_agents_resource_skips_its_rule(tmp_path) -> None:
    """leaddesk.agents-example: /agents is only in the collection example's links."""
    with RunningServer(without_agents(reference())) as server:
        result = run_config(tmp_path, against(server.base_url + "/stable"), ["leaddesk.collections.agents"])
    assert outcomes(result) == {"leaddesk.collections.agents": "skipped"}
    assert "HTTP 404" in messages(result)["leaddesk.collections.agents"]  # the username "agent" is masked
