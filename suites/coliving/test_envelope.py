"""Envelopes, content type and request ids (coliving-api.txt: Error Handling; Create/Update
Listing Headers: X-Request-Id), checked on one small sample of successes and errors.

X-Request-Id appears only in the header tables of POST and PATCH /v1/listings: the MUST echo is
judged there (a traced PATCH of an unknown listing, with writes allowed), the echo on GET
/v1/listings is the SHOULD request-id-echo-all (silence point coliving.request-id-endpoints)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.observed import body_request_id
from apiconform.providers.coliving.profile import Headers
from apiconform.suite import (
    ApiClient,
    ApiResponse,
    Target,
    Verdicts,
    check,
    expect_json,
    expect_schema,
    fail,
    store,
)

LISTINGS = "/v1/listings"


@dataclass
class Sample:
    what: str
    response: ApiResponse
    sent_request_id: str | None = None
    #: the document lists X-Request-Id for this operation (POST and PATCH /v1/listings)
    documented_trace: bool = False


@pytest.fixture(scope="module")
def samples(client: ApiClient, headers: Headers, target: Target) -> list[Sample]:
    """Two plain successes, a traced success, 401, 422 and (with writes) a traced 404."""
    trace = f"{payloads.PREFIX}trace-{payloads.token()}"
    main = headers()
    found = [
        Sample("GET /v1/listings", client.request("GET", LISTINGS, headers=main, params={"per_page": 2})),
        Sample(
            "GET /v1/listings (again)", client.request("GET", LISTINGS, headers=main, params={"per_page": 1})
        ),
        Sample(
            "GET /v1/listings with X-Request-Id",
            client.request("GET", LISTINGS, headers={**main, "X-Request-Id": trace}, params={"per_page": 1}),
            trace,
        ),
        Sample("GET /v1/listings without a key", client.request("GET", LISTINGS)),
        Sample(
            "GET /v1/listings?per_page=0",
            client.request("GET", LISTINGS, headers=main, params={"per_page": 0}),
        ),
    ]
    if target.allow_writes:
        trace_404 = f"{trace}-404"
        found.append(
            Sample(
                "PATCH /v1/listings/{unknown} with X-Request-Id",
                client.request(
                    "PATCH",
                    f"{LISTINGS}/999999999",
                    headers={**main, "X-Request-Id": trace_404},
                    json={"name": f"{payloads.PREFIX}renamed"},
                ),
                trace_404,
                documented_trace=True,
            )
        )
    return found


@pytest.mark.rule(
    "coliving.envelope.success-shape",
    "coliving.envelope.error-shape",
    "coliving.envelope.error-items-shape",
    "coliving.envelope.json-media-type",
    "coliving.envelope.request-id-present",
    "coliving.envelope.request-id-echo",
    "coliving.envelope.request-id-echo-all",
    "coliving.envelope.request-id-consistent",
    "coliving.envelope.request-id-unique",
)
def test_envelopes(samples: list[Sample], profile, verdicts: Verdicts):
    schemas = store(profile.name)
    generated_ids = []
    errors_seen = both_ids_seen = documented_traces = 0
    for sample in samples:
        response, what = sample.response, sample.what
        body = response.json_or_none()
        is_error = response.status_code >= 400
        with verdicts.check("coliving.envelope.json-media-type"):
            content_type = response.headers.get("content-type", "")
            check(
                content_type.split(";")[0].strip().lower() == "application/json",
                f"{what}: Content-Type is {content_type!r}, not application/json",
                response,
            )
        if not is_error:
            with verdicts.check("coliving.envelope.success-shape"):
                expect_schema(
                    schemas, profile.success_envelope, expect_json(response, what), f"{what}: body", response
                )
        else:
            errors_seen += 1
            with verdicts.check("coliving.envelope.error-shape"):
                expect_schema(
                    schemas, profile.error_envelope, expect_json(response, what), f"{what}: body", response
                )
            with verdicts.check("coliving.envelope.error-items-shape"):
                for index, item in enumerate(profile.error_items(body)):
                    missing = [k for k in ("path", "code", "message") if not isinstance(item.get(k), str)]
                    check(
                        not missing,
                        f"{what}: error.errors[{index}] lacks string {', '.join(missing)}",
                        response,
                    )
                error = body.get("error") if isinstance(body, dict) else None
                raw_items = error.get("errors") if isinstance(error, dict) else None
                if isinstance(raw_items, list):
                    check(
                        all(isinstance(i, dict) for i in raw_items),
                        f"{what}: error.errors[] holds a non-object item",
                        response,
                    )
        in_body = body_request_id(body)
        in_header = response.headers.get("x-request-id")
        with verdicts.check("coliving.envelope.request-id-present"):
            check(in_body, f"{what}: the body carries no request_id", response)
        with verdicts.check("coliving.envelope.request-id-consistent"):
            if in_body and in_header:
                both_ids_seen += 1
                check(
                    in_body == in_header,
                    f"{what}: X-Request-Id {in_header!r} but body request_id {in_body!r}",
                    response,
                )
        if sample.sent_request_id is not None:
            rule = "coliving.envelope.request-id-echo"
            if not sample.documented_trace:
                rule = "coliving.envelope.request-id-echo-all"
            else:
                documented_traces += 1
            with verdicts.check(rule):
                check(
                    sample.sent_request_id in (in_body, in_header),
                    f"{what}: the sent X-Request-Id {sample.sent_request_id!r} is echoed neither in the "
                    f"X-Request-Id header ({in_header!r}) nor as the body's request_id ({in_body!r})",
                    response,
                )
        else:
            generated_ids.append((in_header or in_body, response))
    # a rule with nothing to look at is skipped with the reason, not passed
    if not errors_seen:
        for rule in ("coliving.envelope.error-shape", "coliving.envelope.error-items-shape"):
            with verdicts.check(rule):
                pytest.skip("none of the sample requests got an error response to check")
    if not documented_traces:
        with verdicts.check("coliving.envelope.request-id-echo"):
            pytest.skip(
                "X-Request-Id is documented only for POST and PATCH /v1/listings, and writes are not "
                "allowed (allow_writes), so no request could carry it there"
            )
    if not both_ids_seen:
        with verdicts.check("coliving.envelope.request-id-consistent"):
            pytest.skip("no response carried a request id in both the header and the body")
    if not any(request_id for request_id, _ in generated_ids):
        with verdicts.check("coliving.envelope.request-id-unique"):
            pytest.skip("no response carried a generated request id")
    with verdicts.check("coliving.envelope.request-id-unique"):
        seen: dict[str, ApiResponse] = {}
        for request_id, response in generated_ids:
            if request_id is None:
                continue
            if request_id in seen:
                fail(
                    f"two requests were given the same request id {request_id!r}", seen[request_id], response
                )
            seen[request_id] = response
