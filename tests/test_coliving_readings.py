"""The Coliving suite against servers that take other readings of coliving-api.txt than the clean
reference server (suites/coliving/readings.toml): it must not cry wolf, and its verdicts must be
honest.

- The alternate reference server with the default config: no MUST rule fails; the rules whose
  reading needs config end `error` or `skipped` naming the setting (booking_listing_id,
  message_field); the rules whose other reading the suite accepts pass.
- Preflight (coliving has no token: the token-without-session case does not apply): a refusal off
  the error envelope, and a refusal of both documented credential forms, are `failed` rules and
  exit 1, not 2 or 3; X-API-Key refused but Bearer served runs the suite.
- Config as the document prints it: `base_url = ".../v1"`.
- Rate limits: a token bucket (the rate reading) passes; a throttle that lifts before the per-key
  probe is confirmed makes coliving.ratelimit.per-key `error`, not passed.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apiconform.config import parse_config
from apiconform.providers.coliving.server import create_app
from apiconform.reference.serving import RunningServer, ServerOptions
from apiconform.registry import get_profile
from apiconform.run import ProviderResult, run_provider
from tests.conformance import describe, outcomes, run_embedded

CREDENTIALS = {
    "api_key": "apiconform-readings-main-0001",
    "api_key_read_only": "apiconform-readings-read-0001",
    "api_key_inactive": "apiconform-readings-inactive-01",
    "api_key_other_host": "apiconform-readings-other-0001",
    "api_key_rate_limit": "apiconform-readings-rate-00001",
}
Asgi = Callable[..., Any]


def run_against(
    app: Asgi, tmp_path: Path, patterns: list[str] | None = None, *, base_suffix: str = "", **table: Any
) -> ProviderResult:
    """Run the suite (the rules matching `patterns`) against `app` served on 127.0.0.1, with the
    config table a user would write (`base_url` as the server's root plus `base_suffix`)."""
    with RunningServer(app) as server:
        data = {"base_url": server.base_url + base_suffix, **CREDENTIALS, "allow_writes": True, **table}
        config = parse_config({"coliving": data}).provider("coliving")
        return run_provider(
            get_profile("coliving"), config, report_dir=tmp_path, patterns=patterns, allure=False
        )


def reference(variant: str = "clean", rate_limit: tuple[int, float] = (60, 1.0), **kwargs: Any) -> Asgi:
    options = ServerOptions(credentials=CREDENTIALS, variant=variant, rate_limit=rate_limit)  # type: ignore[arg-type]
    return create_app(options, **kwargs)


def answering(status: int, body: object) -> Asgi:
    """An app answering every request with `status` and the JSON `body`."""
    content = json.dumps(body).encode()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": content})

    return app


def must_outcomes(result: ProviderResult) -> dict[str, tuple[str, str]]:
    return {r.rule.id: (r.outcome, r.message) for r in result.rules if r.rule.level == "MUST"}


# --- the alternate server with the default config ---------------------------------------------


@pytest.fixture(scope="module")
def alternate_default(tmp_path_factory: pytest.TempPathFactory) -> ProviderResult:
    config = parse_config({"coliving": {}}).provider("coliving")
    return run_embedded("coliving", tmp_path_factory.mktemp("alt"), variant="alternate", config=config)


#: the MUST rules whose setup needs a bookable listing: with the default config they have no verdict
NEEDS_BOOKABLE = {
    "coliving.auth.write-bearer-accepted",
    "coliving.bookings.create-201",
    "coliving.bookings.create-echoes-input",
    "coliving.bookings.example-contract",
    "coliving.idempotency.replay-identical",
    "coliving.idempotency.mismatch-409",
    "coliving.idempotency.scoped-per-key",
    "coliving.idempotency.scoped-per-endpoint",
    "coliving.idempotency.errors-not-cached",
    "coliving.idempotency.key-length",
    "coliving.idempotency.messages-ignore-header",
    "coliving.messages.duplicate-deduplicated",
    "coliving.messages.distinct-text-creates",
}


def test_the_alternate_server_with_the_default_config_fails_no_must_rule(alternate_default):
    musts = must_outcomes(alternate_default)
    failed = {rule: outcome for rule, outcome in musts.items() if outcome[0] == "failed"}
    assert not failed, describe(alternate_default, failed)
    without_verdict = {rule for rule, (outcome, _) in musts.items() if outcome != "passed"}
    assert without_verdict == NEEDS_BOOKABLE, describe(alternate_default, without_verdict)
    for rule in without_verdict:
        outcome, message = musts[rule]
        assert outcome == "error" and "set booking_listing_id" in message, (rule, message)
        assert "listing_id (not_bookable)" in message  # the field the target named
    assert alternate_default.exit_code == 1


@pytest.mark.parametrize(
    "rule",
    [
        # other readings the suite accepts, each exhibited by the alternate server
        "coliving.auth.bearer-accepted",  # X-API-Key required on listing writes
        "coliving.auth.missing-key-401",
        "coliving.auth.write-missing-key-401",  # validation before authentication (valid bodies sent)
        "coliving.auth.write-invalid-key-401",
        "coliving.auth.legacy-create-alias",  # no permission named for users
        "coliving.envelope.request-id-generated",  # in the X-Request-Id header only
        "coliving.envelope.success-shape",  # a legacy success member, no request_id in bodies
        "coliving.envelope.request-id-echo",  # echoed in the header, on the listing writes only
        "coliving.errors.unknown-listing-404",  # an empty PATCH body is a 422 there
        "coliving.errors.unsupported-provider-404",  # in errors[].code, type not_found
        "coliving.users.create-201",  # ISO 8601 timestamps, every example field required
        "coliving.users.create-echoes-input",  # names re-cased, date of birth as a date-time
        "coliving.bookings.unknown-user-refused",  # 404
        "coliving.listings.list-shape",  # original_id left out, +0000 offsets, from/to 0
        "coliving.listings.upsert-create-201",  # strongly recommended fields required
        "coliving.listings.upsert-inactive-409",
        "coliving.listings.upsert-inactive-409-body",
        "coliving.listings.sample-accepted",  # strongly recommended fields required
        "coliving.listings.patch-partial",  # nested objects merged
        "coliving.listings.patch-action",
        "coliving.listings.patch-full-payload",
        "coliving.errors.validation-error-type",  # code required for a missing field
        "coliving.sorting.order-needs-sort",  # order without sort refused
        "coliving.ratelimit.not-premature",  # a fixed window
        "coliving.scoping.upsert-other-host-separate",  # original_ids unique across hosts: 422
        "coliving.schema.list-response-conformance",  # pages and q beyond practical ranges refused
        "coliving.schema.list-bounds-kept",  # 400, trimmed and PHP-style values
        "coliving.schema.write-response-conformance",
        "coliving.pagination.per-page-range",
        "coliving.pagination.meta-consistent",
        "coliving.pagination.walk-exactly-once",  # default-order ties shuffled per request
        "coliving.sorting.default-order",  # another status priority
        "coliving.sorting.by-field",  # accent-insensitive collation
        "coliving.filtering.listing-status",  # PHP reading of plain repetition
        "coliving.filtering.q-substring",  # trimmed q, accent-insensitive matching
        "coliving.ratelimit.enforced",  # a fixed window
        "coliving.ratelimit.per-key",
        "coliving.ratelimit.recovers",  # no Retry-After
    ],
)
def test_other_readings_pass(alternate_default, rule):
    assert outcomes(alternate_default)[rule] == "passed", describe(alternate_default, [rule])


@pytest.mark.parametrize(
    ("rule", "reading"),
    [
        ("coliving.sorting.default-status-rank", "published"),
        ("coliving.filtering.listing-status-repeated", "listing_status="),
        ("coliving.envelope.timestamps-rfc3339", "+0000"),
        ("coliving.envelope.request-id-echo-all", "do not echo"),
        ("coliving.auth.query-key-refused", "got 200"),
        ("coliving.auth.write-permissions", "got 201"),
        ("coliving.listings.starred-fields-suffice", "got 422"),
        ("coliving.errors.example-messages", "required"),
        ("coliving.pagination.invalid-422", "got 400"),
        ("coliving.auth.checked-before-validation", "got 422"),
        ("coliving.ratelimit.retry-after", "Retry-After"),
    ],
)
def test_the_better_reading_is_a_should(alternate_default, rule, reading):
    result = next(r for r in alternate_default.rules if r.rule.id == rule)
    assert (result.rule.level, result.outcome) == ("SHOULD", "failed")
    assert reading in result.message


def test_an_undocumented_message_field_is_skipped_naming_the_setting(tmp_path):
    config = parse_config({"coliving": {"booking_listing_id": 101}}).provider("coliving")
    patterns = ["coliving.messages.*", "coliving.idempotency.messages-ignore-header"]
    result = run_embedded("coliving", tmp_path, variant="alternate", config=config, patterns=patterns)
    assert {r.outcome for r in result.rules} == {"skipped"}, describe(result)
    assert all("set message_field" in r.message and "naming body" in r.message for r in result.rules)
    assert result.exit_code == 0


def test_the_alternate_readings_pass_with_their_config(tmp_path):
    config = parse_config(
        {"coliving": {"booking_listing_id": 101, "message_field": "body", "message_dedup_seconds": 30}}
    ).provider("coliving")
    patterns = [*sorted(NEEDS_BOOKABLE), "coliving.idempotency.concurrent-single-effect"]
    result = run_embedded("coliving", tmp_path, variant="alternate", config=config, patterns=patterns)
    assert {r.outcome for r in result.rules} == {"passed"}, describe(result)


# --- preflight ----------------------------------------------------------------------------------


def test_a_refusal_off_the_error_envelope_is_a_failed_rule(tmp_path):
    """Laravel's default 401 body is not the document's envelope: reachable, not conformant."""
    result = run_against(answering(401, {"message": "Unauthenticated."}), tmp_path)
    assert result.exit_code == 1
    failed = {r.rule.id for r in result.rules if r.outcome == "failed"}
    assert failed == {"coliving.envelope.error-shape"}
    assert {r.outcome for r in result.rules if r.rule.id not in failed} == {"error"}
    message = next(r.message for r in result.rules if r.outcome == "failed")
    assert "not the documented error envelope" in message and "reproduce: curl" in message


def test_a_wrong_typed_error_envelope_is_a_failed_rule(tmp_path):
    result = run_against(answering(403, {"error": "Forbidden"}), tmp_path)
    assert (result.exit_code, outcomes(result)["coliving.envelope.error-shape"]) == (1, "failed")


def test_a_refusal_of_both_documented_credential_forms_is_a_failed_rule(tmp_path):
    body = {"error": {"type": "bad_request", "message": "Unsupported authentication", "errors": []}}
    result = run_against(answering(400, body), tmp_path)
    assert result.exit_code == 1
    assert {r.rule.id for r in result.rules if r.outcome == "failed"} == {
        "coliving.auth.x-api-key-accepted",
        "coliving.auth.bearer-accepted",
    }
    assert "HTTP 400 and 400" in outcomes_message(result, "coliving.auth.bearer-accepted")


def outcomes_message(result: ProviderResult, rule: str) -> str:
    return next(r.message for r in result.rules if r.rule.id == rule)


def test_a_well_formed_refusal_of_the_key_is_exit_2(tmp_path):
    body = {"error": {"type": "auth_error", "message": "Invalid API key", "errors": []}}
    result = run_against(answering(401, body), tmp_path)
    assert result.exit_code == 2 and result.error and result.error.startswith("credentials rejected")
    assert {r.outcome for r in result.rules} == {"error"}


@pytest.mark.parametrize("status", [404, 503])
def test_no_api_at_the_base_url_is_exit_3(status, tmp_path):
    body = {"error": {"type": "not_found", "message": "Not found", "errors": []}}
    result = run_against(answering(status, body), tmp_path)
    assert result.exit_code == 3 and result.error and result.error.startswith("target unreachable")


def test_x_api_key_refused_but_bearer_served_runs_the_suite(tmp_path):
    app = create_app(ServerOptions(credentials=CREDENTIALS, faults=frozenset({"x-api-key-ignored"})))
    result = run_against(app, tmp_path, ["coliving.auth.x-api-key-accepted", "coliving.auth.bearer-accepted"])
    assert outcomes(result) == {
        "coliving.auth.x-api-key-accepted": "failed",
        "coliving.auth.bearer-accepted": "passed",
    }
    assert result.exit_code == 1 and result.error is None


# --- config as the document prints it ---------------------------------------------------------


def test_the_documents_base_url_with_v1_runs_conformant(tmp_path):
    patterns = ["coliving.auth.*", "coliving.listings.list-shape", "coliving.pagination.defaults"]
    result = run_against(reference(), tmp_path, patterns, base_suffix="/v1")
    assert result.exit_code == 0, describe(result)
    assert not result.base_url.endswith("/v1")
    with RunningServer(reference()) as server:
        config = parse_config({"coliving": {"base_url": server.base_url + "/v1"}}).provider("coliving")
    assert len(config.notes) == 1 and "/v1" in config.notes[0]


# --- rate-limit readings -------------------------------------------------------------------------


def limited(inner: Asgi, key: str, admit: Callable[[], bool]) -> Asgi:
    """`inner` behind a rate limit on one API key: `admit()` decides each of its requests."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        headers = dict(scope.get("headers") or [])
        if scope["type"] == "http" and headers.get(b"x-api-key", b"").decode() == key and not admit():
            body = b'{"error": {"type": "rate_limit_exceeded", "message": "Slow down", "errors": []}}'
            start = {"type": "http.response.start", "status": 429}
            await send({**start, "headers": [(b"content-type", b"application/json"), (b"retry-after", b"1")]})
            await send({"type": "http.response.body", "body": body})
            return
        await inner(scope, receive, send)

    return app


def token_bucket(capacity: int, per_seconds: float) -> Callable[[], bool]:
    """The rate reading of "capacity per window": a bucket refilled continuously."""
    state = {"tokens": float(capacity), "at": time.monotonic()}
    lock = threading.Lock()

    def admit() -> bool:
        with lock:
            now = time.monotonic()
            state["tokens"] = min(capacity, state["tokens"] + (now - state["at"]) * capacity / per_seconds)
            state["at"] = now
            if state["tokens"] >= 1:
                state["tokens"] -= 1
                return True
            return False

    return admit


def test_a_token_bucket_is_a_conformant_rate_limit(tmp_path):
    """60 per 10 s as a bucket refilled at 6 per second: a burst is served the 60 and what
    refilled meanwhile, which the rate reading allows."""
    key = CREDENTIALS["api_key_rate_limit"]
    app = limited(reference(rate_limit=(100_000, 1.0)), key, token_bucket(60, 10.0))
    result = run_against(
        app, tmp_path, ["coliving.ratelimit.*"], rate_limit={"requests": 60, "per_seconds": 10}
    )
    musts = {rule: outcome for rule, (outcome, _) in must_outcomes(result).items()}
    assert set(musts.values()) == {"passed"}, describe(result)


def test_a_throttle_that_lifts_before_the_probe_is_confirmed_leaves_per_key_without_a_verdict(tmp_path):
    """The key is refused once, then served again at once: the other key's success proves
    nothing about per-key limits, so the rule is `error`, not passed."""
    key = CREDENTIALS["api_key_rate_limit"]
    count = {"n": 0}

    def once() -> bool:
        count["n"] += 1
        return count["n"] != 61

    app = limited(reference(rate_limit=(100_000, 1.0)), key, once)
    result = run_against(
        app, tmp_path, ["coliving.ratelimit.per-key"], rate_limit={"requests": 60, "per_seconds": 1}
    )
    outcome, message = must_outcomes(result)["coliving.ratelimit.per-key"]
    assert outcome == "error" and message.startswith("precondition not met: ") and "served again" in message


def test_a_window_that_frees_a_slot_during_the_per_key_probe_is_probed_again(tmp_path):
    """A sliding window frees one slot at a time: the first confirmation after the other key's
    request is served, the next try's is refused, and that try is the evidence."""
    key = CREDENTIALS["api_key_rate_limit"]
    count = {"n": 0}

    def frees_one() -> bool:
        count["n"] += 1
        return count["n"] <= 60 or count["n"] == 62

    app = limited(reference(rate_limit=(100_000, 1.0)), key, frees_one)
    result = run_against(
        app, tmp_path, ["coliving.ratelimit.per-key"], rate_limit={"requests": 60, "per_seconds": 1}
    )
    outcome, message = must_outcomes(result)["coliving.ratelimit.per-key"]
    assert outcome == "passed", message


def test_the_refill_allowance_needs_a_burst_shorter_than_a_window():
    from apiconform.checks.ratelimit import Burst, refill_allowance

    burst = Burst(seconds=0.25)
    assert refill_allowance(burst, 60, 1.0) == 15
    assert refill_allowance(Burst(seconds=2.0), 60, 60.0) == 2
    assert math.floor(0.999 * 60) == refill_allowance(Burst(seconds=0.999), 60, 1.0)
