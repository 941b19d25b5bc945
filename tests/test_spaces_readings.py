"""The Spaces suite against servers that take the other readings (suites/spaces/readings.toml): it
must not cry wolf where the document is silent, and its verdicts must be honest at preflight.

- The alternate reference server, with the default config: every MUST passes (the ID member is
  found by the cursor probe), and the SHOULDs that ask for the better reading fail, each for its
  own silence point; with `id_field` set, the probe is not sent.
- A server whose ID member cannot be found: the ID and walk rules are skipped naming `id_field`,
  nothing fails; with `id_field` set they pass.
- Preflight: a wrong-typed list (a bare array), a refused documented credential form (Bearer only,
  a password demanded), a 403, an HTML 200 and an HTML 401 are `failed` naming the rule (exit 1);
  a well-formed 401 is exit 2; no API at the base URL is exit 3. (Spaces has no token endpoint, so
  the "token without session" case does not arise.)
- Config as the document prints it: the example URL `.../api/v1/customers` as `base_url`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apiconform import cli
from apiconform.config import ProviderConfig, parse_config
from apiconform.providers.spaces.profile import SpacesProfile
from apiconform.providers.spaces.server import SpacesServer, serving
from apiconform.reference.serving import Deployment, RunningServer, ServerOptions, Variant
from apiconform.run import ProviderResult, run_provider
from tests.conformance import describe, outcomes, run_embedded

TOKEN = "tok_readings_7f3a9c2e41"
FAST = {"requests": 1000, "per_seconds": 1}


class AppProfile(SpacesProfile):
    """The Spaces profile serving another app on the embedded deployment (TLS and all)."""

    def __init__(self, factory: Callable[[ServerOptions], Any]) -> None:
        self.factory = factory

    def create_app(self, options: ServerOptions) -> Any:
        return self.factory(options)


def run_app(
    tmp_path: Path, factory: Callable[[ServerOptions], Any], config: dict[str, Any] | None = None
) -> ProviderResult:
    """Run the suite against `factory`'s app, embedded, with `config` as the [spaces] table."""
    provider = parse_config({"spaces": config or {}}).provider("spaces")
    return run_provider(AppProfile(factory), provider, report_dir=tmp_path, allure=False)


def answering(status: int, body: bytes, media_type: str | None, headers: dict[str, str] | None = None) -> Any:
    """An app answering every request with the same response."""

    async def handle(request: Request) -> Response:
        return Response(body, status_code=status, media_type=media_type, headers=headers)

    return lambda options: Starlette(routes=[Route("/{path:path}", handle)])


def failed(result: ProviderResult) -> set[str]:
    return {rule for rule, outcome in outcomes(result).items() if outcome == "failed"}


def must_outcomes(result: ProviderResult) -> dict[str, str]:
    return {r.rule.id: r.outcome for r in result.rules if r.rule.level == "MUST"}


# --- the alternate readings, one run -----------------------------------------------------------------


@pytest.fixture(scope="module")
def alternate_default(tmp_path_factory: pytest.TempPathFactory) -> ProviderResult:
    """The alternate server with the default config."""
    return run_embedded("spaces", tmp_path_factory.mktemp("alternate"), variant="alternate")


def message(result: ProviderResult, rule: str) -> str:
    return next(r.message for r in result.rules if r.rule.id == rule)


def test_the_alternate_server_passes_every_must_with_the_default_config(alternate_default):
    musts = must_outcomes(alternate_default)
    assert set(musts.values()) == {"passed"}, describe(alternate_default)
    assert alternate_default.exit_code == 0 and alternate_default.conformant()
    assert "found by a cursor probe" in message(alternate_default, "spaces.lists.objects-have-id")


@pytest.mark.parametrize(
    ("point", "passed_must", "failed_should", "evidence"),
    [
        ("spaces.plain-http-rejection", "spaces.transport.https-only", None, "refused at the connection"),
        ("spaces.id-member", "spaces.lists.objects-have-id", None, "'customer_id'"),
        ("spaces.short-pages", "spaces.pagination.limit-honoured", "spaces.pagination.full-pages", None),
        ("spaces.short-pages", "spaces.pagination.default-limit", "spaces.pagination.full-pages", None),
        (
            "spaces.limit-out-of-range",
            "spaces.pagination.limit-out-of-range",
            "spaces.pagination.limit-rejected-400",
            "limit=0 answered with 20 objects",
        ),
        (
            "spaces.backward-has-more",
            "spaces.pagination.has-more-exact",
            "spaces.pagination.has-more-backward",
            "read in list order",
        ),
        ("spaces.backward-orientation", "spaces.pagination.backward-walk", None, None),
        ("spaces.list-order", "spaces.pagination.forward-walk", None, None),
        ("spaces.json-format", "spaces.errors.json-body", "spaces.errors.json-media-type", None),
        ("spaces.error-message", "spaces.errors.invalid-parameter-400", "spaces.errors.message", None),
        (
            "spaces.error-message",
            "spaces.errors.message-readable",
            "spaces.errors.message",
            "nothing to judge",
        ),
        ("spaces.unauthorized-answer", "spaces.auth.invalid-token-401", "spaces.auth.www-authenticate", None),
        ("spaces.auth-before-routing", "spaces.auth.missing-401", None, "HTTP 405"),
        ("spaces.single-object-path", "spaces.errors.unknown-resource-404", None, "405"),
        ("spaces.invalid-limit", "spaces.schema.list-response-conformance", None, None),
    ],
)
def test_each_other_reading_passes_its_must(alternate_default, point, passed_must, failed_should, evidence):
    """The MUST a silence point decides passes on the other reading; the SHOULD that asks for the
    better reading (where there is one) fails, so the difference is visible, not hidden."""
    found = outcomes(alternate_default)
    assert found[passed_must] == "passed", (point, describe(alternate_default, [passed_must]))
    if evidence:
        assert evidence in message(alternate_default, passed_must), message(alternate_default, passed_must)
    if failed_should:
        assert found[failed_should] == "failed", (point, describe(alternate_default, [failed_should]))


def test_both_cursors_and_unknown_cursor_readings_pass(alternate_default):
    found = outcomes(alternate_default)
    assert found["spaces.pagination.both-cursors"] == "passed"  # starting_before alone (a SHOULD)
    assert found["spaces.pagination.unknown-cursor-400-404"] == "passed"  # 404 (the MUST)
    assert "404, 404, 404, 404" in message(alternate_default, "spaces.pagination.unknown-cursor-400-404")


def test_undocumented_parameters_are_never_sent(alternate_default):
    """The alternate refuses a parameter the document does not name, or one given twice
    (spaces.unknown-parameter): the suite never sends either, so nothing else fails for it."""
    found = outcomes(alternate_default)
    assert found["spaces.schema.list-response-conformance"] == "passed"
    assert found["spaces.schema.status-code-documented"] == "passed"


# --- the ID member: config or discovery, never an assumption ---------------------------------------


def two_id_members(options: ServerOptions) -> Starlette:
    """The alternate, whose customers also carry a distinct external_id: no single member can be
    told to be the ID without config."""
    server = SpacesServer(options)
    plain = server.customer_data
    server.customer_data = lambda customer: {**plain(customer), "external_id": f"ext-{customer.index}"}  # type: ignore[method-assign]
    return serving(server)


def alternate(options: ServerOptions) -> Any:
    return SpacesProfile().create_app(ServerOptions(credentials=options.credentials, variant="alternate"))


@pytest.mark.parametrize("factory", [two_id_members], ids=["two-id-members"])
def test_an_unfound_id_member_skips_the_id_rules_naming_id_field(tmp_path, factory):
    result = run_app(
        tmp_path, lambda options: factory(ServerOptions(options.credentials, variant="alternate"))
    )
    found = outcomes(result)
    skipped = {rule for rule, outcome in found.items() if outcome == "skipped"}
    assert {
        "spaces.lists.objects-have-id",
        "spaces.pagination.limit-honoured",
        "spaces.pagination.forward-walk",
        "spaces.pagination.backward-walk",
        "spaces.pagination.has-more-exact",
    } <= skipped
    assert all("id_field" in message(result, rule) for rule in skipped), describe(result, skipped)
    assert "several members could be it (customer_id, external_id)" in message(
        result, "spaces.lists.objects-have-id"
    )
    assert not {rule for rule, outcome in must_outcomes(result).items() if outcome in ("failed", "error")}
    assert result.exit_code == 0


def test_id_field_points_the_rules_at_the_member(tmp_path):
    result = run_app(
        tmp_path,
        lambda options: two_id_members(ServerOptions(options.credentials, variant="alternate")),
        {"id_field": "customer_id"},
    )
    assert set(must_outcomes(result).values()) == {"passed"}, describe(result)
    assert "(id_field)" in message(result, "spaces.lists.objects-have-id")


def test_a_wrong_id_field_skips_the_id_rules_naming_it(tmp_path):
    """An id_field no object carries locates nothing: skipped with the reason, never failed."""
    config = parse_config({"spaces": {"id_field": "external_id"}}).provider("spaces")
    result = run_embedded("spaces", tmp_path, variant="alternate", config=config, patterns=["spaces.lists.*"])
    assert outcomes(result) == {"spaces.lists.shape": "passed", "spaces.lists.objects-have-id": "skipped"}
    assert "carries an ID in 'external_id': check id_field" in message(result, "spaces.lists.objects-have-id")


# --- a redirect to a trailing slash ------------------------------------------------------------------


def trailing_slash(options: ServerOptions) -> Any:
    """The clean server behind a router that serves the list at /customers/ and redirects
    /customers there with an HTML page (as werkzeug's strict slashes do)."""
    api = SpacesProfile().create_app(options)
    list_path = "/api/v1/customers"

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == list_path:
            query = scope.get("query_string", b"").decode("latin-1")
            location = list_path + "/" + (f"?{query}" if query else "")
            page = f'<!doctype html><a href="{location}">Redirecting...</a>'.encode()
            await Response(page, status_code=308, headers={"Location": location}, media_type="text/html")(
                scope, receive, send
            )
            return
        if scope["type"] == "http" and scope["path"] == list_path + "/":
            scope = {**scope, "path": list_path, "raw_path": list_path.encode()}
        await api(scope, receive, send)

    return app


def test_a_redirect_to_a_trailing_slash_is_not_a_json_failure(tmp_path):
    """The body of a redirect the client follows is for browsers: json-body (MUST) passes; the
    media type SHOULD notes the HTML."""
    result = run_app(tmp_path, trailing_slash)
    assert set(must_outcomes(result).values()) == {"passed"}, describe(result)
    assert outcomes(result)["spaces.errors.json-media-type"] == "failed"
    assert any(e.status == 308 for e in result.exchanges)


# --- preflight: honest verdicts ----------------------------------------------------------------------


def fault_run(tmp_path: Path, fault: str) -> ProviderResult:
    return run_embedded("spaces", tmp_path, faults=[fault])


@pytest.mark.parametrize(
    ("fault", "rule", "words"),
    [
        ("list-bare-array", "spaces.lists.shape", "a JSON list, not the list object"),
        ("bearer-only", "spaces.auth.basic-accepted", "challenging bearer, not Basic"),
        ("basic-empty-password-rejected", "spaces.auth.basic-accepted", "with a password is accepted"),
    ],
)
def test_an_answer_off_the_contract_at_preflight_fails_its_rule(tmp_path, fault, rule, words):
    """A wrong-typed list and a refused documented credential form: reachable and not conformant
    (exit 1), the rule failed with the evidence, every other rule an error with the reason."""
    result = fault_run(tmp_path, fault)
    assert result.exit_code == 1
    assert failed(result) == {rule}
    assert words in message(result, rule) and "reproduce: curl" in message(result, rule)
    assert {outcome for rule_id, outcome in outcomes(result).items() if rule_id != rule} == {"error"}


@pytest.mark.parametrize(
    ("app", "rules", "words"),
    [
        (
            answering(403, b'{"message": "Forbidden"}', "application/json"),
            {"spaces.auth.basic-accepted"},
            "answered 403, which the document does not list",
        ),
        (
            answering(200, b"<!DOCTYPE html><html><body>Welcome</body></html>", "text/html"),
            {"spaces.lists.shape", "spaces.errors.json-body"},
            "with not JSON",
        ),
        (
            answering(
                401, b"<html><body>Unauthorized</body></html>", "text/html", {"WWW-Authenticate": "Basic"}
            ),
            {"spaces.errors.json-body"},
            "a body that is not JSON",
        ),
        (
            answering(400, b'{"message": "Bad Authorization header"}', "application/json"),
            {"spaces.auth.basic-accepted", "spaces.schema.list-response-conformance"},
            "answered 400",
        ),
    ],
    ids=["403", "html-200", "html-401", "400"],
)
def test_other_answers_off_the_contract_at_preflight(tmp_path, app, rules, words):
    result = run_app(tmp_path, app)
    assert result.exit_code == 1, result.error
    assert failed(result) == rules
    assert all(words in message(result, rule) for rule in rules)


def test_a_well_formed_refusal_is_exit_2(tmp_path):
    """A 401 in the document's terms (JSON, or empty, with a Basic challenge or none) is the user's
    credentials to fix: exit 2, the preflight rule failed with that reason."""
    for body in (b'{"message": "No valid API key used"}', b""):
        result = run_app(tmp_path, answering(401, body, "application/json" if body else None))
        assert result.exit_code == 2, result.error
        assert failed(result) == {"spaces.auth.basic-accepted"}
        assert "credentials rejected" in message(result, "spaces.auth.basic-accepted")


def test_no_api_at_the_base_url_is_exit_3(tmp_path):
    for status in (404, 503):
        result = run_app(tmp_path, answering(status, b'{"message": "x"}', "application/json"))
        assert result.exit_code == 3 and result.error and result.error.startswith("target unreachable")
        assert set(outcomes(result).values()) == {"error"}


# --- config as the document prints it -----------------------------------------------------------------


@contextmanager
def deployed(variant: Variant = "clean") -> Iterator[Deployment]:
    deployment = SpacesProfile().start_reference(
        ServerOptions(credentials={"access_token": TOKEN}, variant=variant)
    )
    try:
        yield deployment
    finally:
        deployment.stop()


def test_the_documents_example_url_works_as_base_url(tmp_path, capsys):
    """`https://spaces.pe/api/v1/customers` is the document's example: as base_url it is used as
    the API root, said once on stderr, and the run is conformant."""
    with deployed() as deployment:
        config = tmp_path / "apiconform.toml"
        config.write_text(
            "[spaces]\n"
            f'base_url = "{deployment.base_url}/customers"\n'
            f'access_token = "{TOKEN}"\n'
            f'verify = "{deployment.verify}"\n'
            f'plain_http_url = "{deployment.settings["plain_http_url"]}"\n'
            "rate_limit = { requests = 1000, per_seconds = 1 }\n"
        )
        code = cli.main(["run", "spaces", "--config", str(config), "--report-dir", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 0, captured.out[-3000:] + captured.err[-2000:]
    note = f"is used as {deployment.base_url} (the document's example URL is the customers list"
    assert captured.err.count(note) == 1, captured.err


def test_a_target_with_the_other_readings_run_as_a_user_would(tmp_path):
    """The alternate, started on its own and configured as a real target (ALTERNATE_CONFIG)."""
    with deployed("alternate") as deployment:
        provider = ProviderConfig(
            name="spaces",
            base_url=deployment.base_url,
            verify=str(deployment.verify),
            credentials={"access_token": TOKEN},
            options={"id_field": "customer_id", "plain_http_url": deployment.settings["plain_http_url"]},
            rate_limit=parse_config({"spaces": {"rate_limit": FAST}}).provider("spaces").rate_limit,
        )
        result = run_provider(SpacesProfile(), provider, report_dir=tmp_path, allure=False)
    assert set(must_outcomes(result).values()) == {"passed"}, describe(result)
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("status", "body", "media_type", "outcome"),
    [
        (200, b"<!DOCTYPE html><html><body>Spaces: sign up</body></html>", "text/html", "passed"),
        (426, b"", None, "passed"),
        (308, b"", None, "passed"),
        (200, b'{"message": "use https"}', "application/json", "failed"),
        (403, b'{"object": "list", "data": [], "has_more": false}', "application/json", "failed"),
    ],
    ids=["web-page-200", "426", "308", "json-200", "data-403"],
)
def test_plain_http_answers(tmp_path, status, body, media_type, outcome):
    """Every rejection passes, a page that is not the API's included; an answer that serves the
    API (data, or a JSON success) fails, whatever its status."""
    headers = {"Location": "https://127.0.0.1/"} if 300 <= status < 400 else None
    plain = RunningServer(answering(status, body, media_type, headers)(ServerOptions()))
    try:
        with deployed() as deployment:
            provider = ProviderConfig(
                name="spaces",
                base_url=deployment.base_url,
                verify=str(deployment.verify),
                credentials={"access_token": TOKEN},
                options={"plain_http_url": plain.base_url + "/api/v1"},
            )
            result = run_provider(
                SpacesProfile(),
                provider,
                report_dir=tmp_path,
                allure=False,
                patterns=["spaces.transport.https-only"],
            )
    finally:
        plain.stop()
    assert outcomes(result) == {"spaces.transport.https-only": outcome}, describe(result)
