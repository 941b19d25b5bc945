"""HTTPS (leaddesk-api.txt, Requests: "Requests should be made using the HTTPS protocol so that
traffic is encrypted to protect the authentication").

"Should" binds the client, and how a server answers plain HTTP is not stated (silence point
leaddesk.plain-http), so the rule is a SHOULD: base_url is https://, and with `plain_http_url` a
GET /users there, sent with no credential at all (the client refuses to send one to any origin but
base_url's), is refused. Any refusal passes: no HTTP answer (refused, closed, reset), a redirect or
an error that serves no data. Serving fails: a collection in the body, or a 2xx JSON answer. A 401
with the API's error object passes with a note: without a credential the probe cannot tell an API
that refuses plain HTTP from one that only refuses the missing token.
"""

from __future__ import annotations

from typing import Any

import pytest

from apiconform.providers.leaddesk.profile import USERS_PATH, Settings, well_formed_error
from apiconform.suite import ApiResponse, TargetError, Verdicts, check, fail

#: TargetError reasons that mean an answer did come, but too large or too slow to judge.
UNJUDGED = ("response body exceeds", "response not complete")


def serves_data(response: ApiResponse) -> bool:
    """Whether a body carries the API's data: a collection (or a bare list of objects)."""
    body: Any = response.json_or_none()
    return isinstance(body, list) or (isinstance(body, dict) and "collection" in body)


def probe_plain(client: Any, url: str, verdicts: Verdicts) -> None:
    """GET /users at the plain-HTTP `url` without credentials, judged as the module says."""
    client.allow_bare_origin(url)
    sent = client.usage.requests
    try:
        response = client.request("GET", url + USERS_PATH, params={"per_page": 1}, follow_redirects=False)
    except TargetError as exc:
        if client.usage.requests == sent or str(exc).startswith(UNJUDGED):
            raise  # not sent, or an answer that could not be read: no verdict
        verdicts.note(f"plain HTTP refused at the connection: {exc}")
        return
    status = response.status_code
    what = f"GET {USERS_PATH} over plain HTTP ({url}, no credential)"
    check(not serves_data(response), f"{what}: HTTP {status}, and the body serves the collection", response)
    if 200 <= status < 300 and response.json_or_none() is not None:
        fail(f"{what} was served: HTTP {status} (success) with a JSON body", response)
    if 400 <= status < 500 and well_formed_error(response.json_or_none()):
        verdicts.note(
            f"plain HTTP answered {status} with the API's error object: the probe carries no credential, so "
            "whether the API serves an authenticated request over plain HTTP is not shown"
        )
    else:
        verdicts.note(f"plain HTTP answered {status} and served no data")


@pytest.mark.rule("leaddesk.transport.https")
def test_https(client, target, settings: Settings, verdicts: Verdicts):
    base = target.base_url
    check(
        base.startswith("https://"),
        f"base_url {base} is plain HTTP: the API answered the suite unencrypted, access tokens included "
        "(the document: requests should be made using the HTTPS protocol)",
    )
    if settings.plain_http_url is None:
        verdicts.note("base_url is https://; plain HTTP was not probed (set plain_http_url to probe it)")
        return
    probe_plain(client, settings.plain_http_url.rstrip("/"), verdicts)
