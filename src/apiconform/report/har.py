"""traffic.har: the run's recorded exchanges as an HTTP Archive (HAR 1.2), one page per provider.

Everything comes from `ProviderResult.exchanges`, which the client masked when it recorded them,
so credentials appear as `***`; bodies are the recorded excerpts (at most 20,000 characters). An
exchange carries no timestamp, so `startedDateTime` is reconstructed from the run's start, the
providers' durations and the exchanges' elapsed times: the order is right, the instants are
approximate. Custom fields follow HAR's underscore convention: `_rules`, `_error`, `_credential`
(an opaque label of the request's credential: equal labels, equal credentials; apiconform check
tells credentials apart by it) and `content._truncated` (the body was cut). (The `harfile`
package that schemathesis brings writes entries but no pages, hence plain JSON here.)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from apiconform import __version__
from apiconform.client import RECORDED_BODY
from apiconform.recording import Exchange
from apiconform.report.evidence import exchanges_of
from apiconform.run import ProviderResult

HAR_VERSION = "1.2"
HTTP_VERSION = "HTTP/1.1"


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _header(headers: Sequence[tuple[str, str]], name: str) -> str:
    return next((value for key, value in headers if key.lower() == name), "")


def _pairs(pairs: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs]


def _status_text(status: int | None) -> str:
    try:
        return HTTPStatus(status).phrase if status is not None else ""
    except ValueError:
        return ""


def har_entry(exchange: Exchange, started: datetime, page: str) -> dict[str, Any]:
    """One HAR entry for a recorded exchange."""
    millis = round(exchange.elapsed * 1000, 3)
    request: dict[str, Any] = {
        "method": exchange.method,
        "url": exchange.url,
        "httpVersion": HTTP_VERSION,
        "cookies": [],
        "headers": _pairs(exchange.request_headers),
        "queryString": _pairs(parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True)),
        "headersSize": -1,
        "bodySize": len(exchange.request_body.encode()),
    }
    if exchange.request_body:
        request["postData"] = {
            "mimeType": _header(exchange.request_headers, "content-type") or "application/octet-stream",
            "text": exchange.request_body,
        }
    body = exchange.response_body
    response: dict[str, Any] = {
        "status": exchange.status or 0,
        "statusText": _status_text(exchange.status),
        "httpVersion": HTTP_VERSION,
        "cookies": [],
        "headers": _pairs(exchange.response_headers),
        "content": {
            "size": len(body.encode()),
            "mimeType": _header(exchange.response_headers, "content-type") or "x-unknown",
            "text": body,
        },
        "redirectURL": _header(exchange.response_headers, "location"),
        "headersSize": -1,
        "bodySize": -1,
    }
    entry: dict[str, Any] = {
        "pageref": page,
        "startedDateTime": _stamp(started),
        "time": millis,
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": millis, "receive": 0},
        "_rules": list(exchange.rules),
    }
    if exchange.error:
        entry["_error"] = exchange.error
    if exchange.credential:
        entry["_credential"] = exchange.credential
    if len(body) >= RECORDED_BODY:
        response["content"]["_truncated"] = True
    return entry


def har_document(results: Sequence[ProviderResult], *, started_at: datetime) -> dict[str, Any]:
    """The HAR log of a run: a page per provider, its exchanges as entries, in order."""
    pages: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    page_start = started_at
    for result in results:
        pages.append(
            {
                "startedDateTime": _stamp(page_start),
                "id": result.name,
                "title": f"{result.name} @ {result.base_url}",
                "pageTimings": {"onContentLoad": -1, "onLoad": -1},
            }
        )
        moment = page_start
        for exchange in exchanges_of(result):
            entries.append(har_entry(exchange, moment, result.name))
            moment += timedelta(seconds=exchange.elapsed)
        page_start = max(moment, page_start + timedelta(seconds=result.seconds))
    return {
        "log": {
            "version": HAR_VERSION,
            "creator": {"name": "apiconform", "version": __version__},
            "pages": pages,
            "entries": entries,
        }
    }


def har_json(results: Sequence[ProviderResult], *, started_at: datetime) -> str:
    return json.dumps(har_document(results, started_at=started_at), indent=1, ensure_ascii=False) + "\n"
