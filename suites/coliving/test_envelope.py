"""Envelopes, content type and request ids (coliving-api.txt: Error Handling; Listings contract
update; Create/Update Listing Headers: X-Request-Id), held over every answer of the run.

This test runs last (`observer`) and judges every exchange the run recorded, at no cost in
requests: every 2xx body is {data, meta}, every error body the error object (a throttled answer,
whose shape the document leaves open, is left to the rate-limit SHOULDs); a sent X-Request-Id is
echoed by POST and PATCH /v1/listings (the only operations whose header tables list it: silence
point coliving.request-id-endpoints) and GET/POST/PATCH /v1/listings carry a request id ("server
echoes or generates"; "including request IDs"), in the X-Request-Id header or the body's
request_id (silence point coliving.request-id-echo-place). When the rules run alone, the few
answers they need (a success, an error, a traced GET, with writes a traced PATCH) are requested
here. Requests sent with an Idempotency-Key are left out of the request-id SHOULDs: a replay may
repeat the first answer's id (silence point coliving.idempotency-replay).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.observed import body_request_id
from apiconform.suite import (
    NOT_KEPT,
    Exchange,
    Verdicts,
    answered_exchanges,
    content_type,
    recorded_json,
    report,
    store,
)

LISTINGS = "/v1/listings"


def header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


class Seen:
    """One answered exchange, as the envelope rules look at it."""

    def __init__(self, exchange: Exchange, base: str) -> None:
        self.exchange = exchange
        self.path = exchange.url[len(base) :].split("?", 1)[0]
        self.body = recorded_json(exchange)
        self.sent_trace = header(exchange.request_headers, "x-request-id")
        self.keyed = header(exchange.request_headers, "idempotency-key") is not None
        self.header_id = header(exchange.response_headers, "x-request-id")
        self.body_id = body_request_id(self.body) if self.body is not NOT_KEPT else None
        self.status = exchange.status or 0

    @property
    def listings(self) -> bool:
        return self.path == LISTINGS or self.path.startswith(LISTINGS + "/")

    @property
    def documented_trace(self) -> bool:
        """The document lists X-Request-Id for this operation (POST and PATCH /v1/listings)."""
        return self.listings and self.exchange.method in ("POST", "PATCH")


@pytest.fixture(scope="module")
def seen(client, target, request) -> list[Seen]:
    """Every answered exchange of the run so far but throttled ones, after the requests the rules
    need when nothing of the kind was sent yet."""
    base = target.masker.mask(target.base_url)

    def current() -> list[Seen]:
        found = [Seen(e, base) for e in answered_exchanges(client, base)]
        return [s for s in found if s.status != 429]

    found = current()
    needs: list[tuple[Callable[[Seen], bool], Callable[[], Any]]] = [
        (lambda s: 200 <= s.status < 300, lambda: request.getfixturevalue("plain_get")),
        (lambda s: s.status >= 400, lambda: request.getfixturevalue("no_key_get")),
        (lambda s: s.status >= 400 and bool(item_list(s.body)), lambda: refused_get(client, request)),
        (lambda s: s.sent_trace is not None and not s.documented_trace, lambda: traced_get(client, request)),
    ]
    if target.allow_writes:
        needs += [
            (
                lambda s: s.documented_trace and s.sent_trace is None,
                lambda: request.getfixturevalue("listing_invalid"),
            ),
            (
                lambda s: s.documented_trace and s.exchange.method == "POST" and s.sent_trace is not None,
                lambda: request.getfixturevalue("sample_listing"),
            ),
            (
                lambda s: s.documented_trace and s.exchange.method == "PATCH" and s.sent_trace is not None,
                lambda: request.getfixturevalue("traced_404"),
            ),
        ]
    for present, send in needs:
        if not any(present(s) for s in found):
            send()
    return current()


def item_list(body: Any) -> list[Any]:
    error = body.get("error") if isinstance(body, dict) else None
    items = error.get("errors") if isinstance(error, dict) else None
    return items if isinstance(items, list) else []


def refused_get(client, request):
    """A list query beyond the documented bounds (per_page=0): usually an error naming it."""
    return client.request(
        "GET", LISTINGS, headers=request.getfixturevalue("headers")(), params={"per_page": 0}
    )


def traced_get(client, request):
    trace = f"{payloads.PREFIX}trace-{payloads.token()}"
    headers = {**request.getfixturevalue("headers")(), "X-Request-Id": trace}
    return client.request("GET", LISTINGS, headers=headers, params={"per_page": 1})


@pytest.mark.observer
@pytest.mark.rule(
    "coliving.envelope.success-shape",
    "coliving.envelope.error-shape",
    "coliving.envelope.error-items-shape",
    "coliving.envelope.json-media-type",
    "coliving.envelope.request-id-present",
    "coliving.envelope.request-id-generated",
    "coliving.envelope.request-id-echo",
    "coliving.envelope.request-id-echo-all",
    "coliving.envelope.request-id-consistent",
    "coliving.envelope.request-id-unique",
)
def test_envelopes(seen: list[Seen], profile, target, verdicts: Verdicts):
    schemas = store(profile.name)
    kept = [s for s in seen if s.body is not NOT_KEPT]
    verdicts.note(f"{len(seen)} answers of the run")
    with verdicts.check("coliving.envelope.success-shape"):
        report(
            [
                (s.exchange, "; ".join(problems))
                for s in kept
                if 200 <= s.status < 300 and (problems := schemas.errors(profile.success_envelope, s.body))
            ],
            "are successes off the {data, meta} envelope",
        )
    errors = [s for s in kept if s.status >= 400]
    with verdicts.check("coliving.envelope.error-shape"):
        report(
            [
                (s.exchange, "; ".join(problems))
                for s in errors
                if (problems := schemas.errors(profile.error_envelope, s.body))
            ],
            "are errors off the {error: {type, message, errors}} envelope",
        )
    with verdicts.check("coliving.envelope.error-items-shape"):
        report(
            [(s.exchange, problem) for s in errors if (problem := items_problem(s.body))],
            "have malformed errors[] items",
        )
    with verdicts.check("coliving.envelope.json-media-type"):
        report(
            [
                (s.exchange, f"Content-Type {content_type(s.exchange)!r}")
                for s in seen
                if s.exchange.body_json is not None
                and content_type(s.exchange).split(";")[0].strip().lower() != "application/json"
            ],
            "do not declare Content-Type application/json",
        )
    with verdicts.check("coliving.envelope.request-id-present"):
        report(
            [(s.exchange, "no request_id") for s in kept if s.body_id is None],
            "carry no request_id in the body",
        )
    with verdicts.check("coliving.envelope.request-id-generated"):
        report(
            [
                (s.exchange, "no request id in the X-Request-Id header nor in the body")
                for s in kept
                if s.listings and s.sent_trace is None and s.header_id is None and s.body_id is None
            ],
            "of GET, POST or PATCH /v1/listings carry no request id",
        )
    traced = [s for s in seen if s.sent_trace is not None]
    for rule, which in (
        ("coliving.envelope.request-id-echo", [s for s in traced if s.documented_trace]),
        ("coliving.envelope.request-id-echo-all", [s for s in traced if not s.documented_trace]),
    ):
        with verdicts.check(rule):
            if not which:
                pytest.skip(
                    "X-Request-Id is documented only for POST and PATCH /v1/listings, and writes are not "
                    "allowed (allow_writes), so no request could carry it there"
                )
            report(
                [
                    (s.exchange, f"sent {s.sent_trace!r}, header {s.header_id!r}, body {s.body_id!r}")
                    for s in which
                    if s.sent_trace not in (s.header_id, s.body_id)
                ],
                "do not echo the sent X-Request-Id in the header nor as the body's request_id",
            )
    plain = [s for s in kept if not s.keyed]
    with verdicts.check("coliving.envelope.request-id-consistent"):
        both = [s for s in plain if s.header_id and s.body_id]
        if not both:
            pytest.skip("no response carried a request id in both the header and the body")
        report(
            [
                (s.exchange, f"header {s.header_id!r}, body {s.body_id!r}")
                for s in both
                if s.header_id != s.body_id
            ],
            "carry one request id in the header and another in the body",
        )
    with verdicts.check("coliving.envelope.request-id-unique"):
        generated: dict[str, Seen] = {}
        repeated = []
        for s in plain:
            request_id = s.header_id or s.body_id
            if s.sent_trace is not None or request_id is None:
                continue
            if request_id in generated:
                repeated.append((s.exchange, f"request id {request_id!r} again"))
            generated.setdefault(request_id, s)
        if not generated:
            pytest.skip("no response carried a generated request id")
        report(repeated, "repeat a request id generated for an earlier request")


def items_problem(body: Any) -> str | None:
    """Why an error body's errors[] items are not {path, code, message} strings, or None."""
    error = body.get("error") if isinstance(body, dict) else None
    items = error.get("errors") if isinstance(error, dict) else None
    if not isinstance(items, list):
        return None  # the envelope rule reports it
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            return f"error.errors[{index}] is not an object"
        missing = [k for k in ("path", "code", "message") if not isinstance(item.get(k), str)]
        if missing:
            return f"error.errors[{index}] lacks string {', '.join(missing)}"
    return None
