"""HTTPS only (spaces-api.txt: All requests are required to be done through HTTPS. Requests over
plain HTTP will be rejected).

A credential never travels over plain HTTP by default: the probe of `plain_http_url` carries
none, and the client refuses to send one there. Such a probe shows that plain HTTP refuses an
unauthenticated request, not whether it serves an authenticated one (an API that requires a login
answers it 401 over either transport). `plain_http_probe_token`, a throwaway access token (a key
you can revoke), is the one credential the suite sends over plain HTTP, and only when it is
configured: the rule checks first that it authenticates over HTTPS (else the rule is `error`: the
probe would show nothing), then probes plain HTTP with it too. Without it, the rule's message says
what it could not show.

How plain HTTP is rejected is not stated, so every rejection passes: a connection refused,
closed or reset (the probe was sent and no HTTP answer came back), or any answer that serves no
data (a 3xx to HTTPS, a 4xx, a 5xx; and a 2xx that is not the API's JSON, e.g. a web page on
port 80). Serving fails: any answer whose body carries the list (or an object with data), or a
2xx with a JSON body (the API itself said success). A redirect is not followed: it counts as a
rejection only when its own body serves no data. A probe that could not be sent at all (the
run's deadline) reaches no verdict.
"""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.providers.spaces.profile import LIST_PATH, auth_headers, basic_forms
from apiconform.suite import ApiClient, ApiResponse, TargetError, Verdicts, check, fail, precondition

#: TargetError reasons that mean an answer did come, but too large or too slow to judge.
UNJUDGED = ("response body exceeds", "response not complete")
#: The optional credential the plain-HTTP probe may carry.
PROBE_TOKEN = "plain_http_probe_token"


def serves_data(response: ApiResponse) -> bool:
    """Whether a response body carries API data: the list object, or any object with `data`."""
    body: Any = response.json_or_none()
    return isinstance(body, list) or (
        isinstance(body, dict) and ("data" in body or body.get("object") == "list")
    )


def probe_plain(client: ApiClient, url: str, headers: dict[str, str], what: str) -> str:
    """GET the list over plain HTTP (redirects not followed); fail when it is served; return how
    it was rejected."""
    sent = client.usage.requests
    try:
        response = client.request("GET", url, headers=headers, params={"limit": 1}, follow_redirects=False)
    except TargetError as exc:
        if client.usage.requests == sent or str(exc).startswith(UNJUDGED):
            raise  # not sent, or an answer that could not be read: no verdict
        return f"{what}: refused at the connection ({exc})"
    status = response.status_code
    check(
        not serves_data(response),
        f"GET {LIST_PATH} over plain HTTP {what} was answered HTTP {status}, and its body serves the data",
        response,
    )
    if 200 <= status < 300 and response.json_or_none() is not None:
        fail(
            f"GET {LIST_PATH} over plain HTTP {what} was served: HTTP {status} (success) with a JSON body",
            response,
        )
    kind = " with no API answer (not JSON)" if 200 <= status < 300 else ""
    return f"{what}: HTTP {status}{kind}"


@pytest.mark.rule("spaces.transport.https-only")
def test_plain_http_rejected(client, target, verdicts: Verdicts):
    plain = str(target.options["plain_http_url"]).rstrip("/")
    throwaway = target.credentials.get(PROBE_TOKEN)
    client.allow_bare_origin(plain)
    answers = [probe_plain(client, plain + LIST_PATH, {}, "without credentials")]
    if not throwaway:
        verdicts.note(
            f"plain HTTP rejects an unauthenticated request ({answers[0]}); whether it serves an "
            f"authenticated one is not shown: the suite sends no credential over plain HTTP unless "
            f"{PROBE_TOKEN} is configured (a key you can revoke)"
        )
        return
    headers = auth_headers(throwaway)
    secure = client.request("GET", LIST_PATH, headers=headers, params={"limit": 1})
    precondition(
        200 <= secure.status_code < 300,
        f"{PROBE_TOKEN} is not accepted over HTTPS (GET {LIST_PATH} answered HTTP {secure.status_code}): "
        "a plain-HTTP probe with it cannot show whether an authenticated client is served; configure an "
        "access token the target accepts (one you can revoke)",
        secure,
    )
    client.allow_bare_origin(plain, carrying=[throwaway, *basic_forms(throwaway)])
    answers.append(probe_plain(client, plain + LIST_PATH, headers, f"with {PROBE_TOKEN}"))
    verdicts.note("plain HTTP rejects unauthenticated and authenticated requests: " + "; ".join(answers))


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
