"""HTTPS only (spaces-api.txt: All requests are required to be done through HTTPS. Requests over
plain HTTP will be rejected). The suite never sends the token over plain HTTP: the probe carries
no credential, and the client refuses to send one to that address."""

from __future__ import annotations

import pytest

from apiconform.checks.expect import check, fail
from apiconform.errors import TargetError
from apiconform.providers.spaces.profile import LIST_PATH
from apiconform.session import Verdicts


@pytest.mark.rule("spaces.transport.https-only")
def test_plain_http_rejected(client, target, verdicts: Verdicts):
    """Rejected means: connection refused or closed, any 3xx without data, or a 4xx/5xx; a 2xx
    (anything served) fails."""
    plain = str(target.options["plain_http_url"]).rstrip("/")
    client.allow_bare_origin(plain)
    try:
        response = client.request("GET", plain + LIST_PATH, params={"limit": 1}, follow_redirects=False)
    except TargetError as exc:
        verdicts.note(f"plain HTTP refused at the connection: {exc}")
        return
    if 200 <= response.status_code < 300:
        fail(f"GET {LIST_PATH} over plain HTTP was served (HTTP {response.status_code})", response)
    verdicts.note(f"plain HTTP answered {response.status_code}")


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
