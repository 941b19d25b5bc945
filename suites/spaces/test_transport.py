"""HTTPS only (spaces-api.txt: All requests are required to be done through HTTPS. Requests over
plain HTTP will be rejected). The suite never sends the token over plain HTTP: the probe carries
no credential, and the client refuses to send one to that address.

How plain HTTP is rejected is not stated, so every rejection passes: a connection refused,
closed or reset (the probe was sent and no HTTP answer came back), or any answer that serves no
data (a 3xx to HTTPS, a 4xx, a 5xx; and a 2xx that is not the API's JSON, e.g. a web page on
port 80). Serving fails: any answer whose body carries the list (or an object with data), or a
2xx with a JSON body (the API itself said success). A probe that could not be sent at all (the
run's deadline) reaches no verdict.
"""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.providers.spaces.profile import LIST_PATH
from apiconform.suite import ApiResponse, TargetError, Verdicts, check, fail

#: TargetError reasons that mean an answer did come, but too large or too slow to judge.
UNJUDGED = ("response body exceeds", "response not complete")


def serves_data(response: ApiResponse) -> bool:
    """Whether a response body carries API data: the list object, or any object with `data`."""
    body: Any = response.json_or_none()
    return isinstance(body, list) or (
        isinstance(body, dict) and ("data" in body or body.get("object") == "list")
    )


@pytest.mark.rule("spaces.transport.https-only")
def test_plain_http_rejected(client, target, verdicts: Verdicts):
    plain = str(target.options["plain_http_url"]).rstrip("/")
    client.allow_bare_origin(plain)
    sent = client.usage.requests
    try:
        response = client.request("GET", plain + LIST_PATH, params={"limit": 1}, follow_redirects=False)
    except TargetError as exc:
        if client.usage.requests == sent or str(exc).startswith(UNJUDGED):
            raise  # not sent, or an answer that could not be read: no verdict
        verdicts.note(f"plain HTTP refused at the connection: {exc}")
        return
    status = response.status_code
    check(
        not serves_data(response),
        f"GET {LIST_PATH} over plain HTTP was answered HTTP {status}, and its body serves the data",
        response,
    )
    if 200 <= status < 300 and response.json_or_none() is not None:
        fail(
            f"GET {LIST_PATH} over plain HTTP was served: HTTP {status} (success) with a JSON body", response
        )
    kind = " with no API answer (not JSON)" if 200 <= status < 300 else ""
    verdicts.note(f"plain HTTP answered {status}{kind}")


@pytest.mark.rule("spaces.transport.hsts")
def test_strict_transport_security(client, auth):
    response = client.request("GET", LIST_PATH, headers=auth, params={"limit": 1})
    value = response.headers.get("strict-transport-security", "")
    ages = [part.split("=", 1)[1].strip('" ') for part in value.split(";") if "max-age=" in part.lower()]
    check(
        bool(ages) and ages[0].isdigit() and int(ages[0]) > 0,
        f"Strict-Transport-Security is {value!r}, expected a positive max-age",
        response,
    )
