"""What the Livespace server tests share: the credentials, test clients of fresh servers, and a
small client of its own (getToken, signature, call) with readers of the envelope that check every
envelope invariant."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import httpx

from apiconform.providers.livespace.calls import CALL_PATH, TOKEN_PATH, signature
from apiconform.providers.livespace.envelope import problems
from apiconform.providers.livespace.server import LivespaceServer, create_app
from apiconform.reference.serving import ServerOptions, Variant

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CREDS = {
    "api_key": "key-main",
    "api_secret": "secret-main",
    "api_key_read_only": "key-read",
    "api_secret_read_only": "secret-read",
}
User = tuple[str, str]
MAIN: User = ("key-main", "secret-main")
READ: User = ("key-read", "secret-read")
STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
CONTACT_KEYS = {"id", "firstname", "lastname", "email", "created"}


def make(
    faults: tuple[str, ...] = (),
    quirky: bool = False,
    variant: Variant = "clean",
    credentials: dict[str, str] = CREDS,
) -> TestClient:
    options = ServerOptions(
        credentials=credentials, faults=frozenset(faults), variant="quirky" if quirky else variant
    )
    return TestClient(create_app(options))


def server_of(client: TestClient) -> LivespaceServer:
    server: LivespaceServer = client.app.state.livespace  # type: ignore[attr-defined]
    return server


# --- a small client: token, signature, call ----------------------------------------------------


def token(c: TestClient, key: str | None = MAIN[0], auth: str | None = "key") -> httpx.Response:
    form = {name: value for name, value in (("_api_auth", auth), ("_api_key", key)) if value is not None}
    response: httpx.Response = c.post(TOKEN_PATH, data=form)
    return response


def session(c: TestClient, key: str = MAIN[0]) -> tuple[str, str]:
    """(token, session id) of a fresh getToken."""
    data = token(c, key).json()["data"]
    return data["token"], data["session_id"]


def auth_fields(c: TestClient, user: User = MAIN) -> dict[str, Any]:
    """The four authorization fields of a fresh, correctly signed session of `user`."""
    key, secret = user
    tok, session_id = session(c, key)
    return {
        "_api_auth": "key",
        "_api_key": key,
        "_api_session": session_id,
        "_api_sha": signature(key, tok, secret),
    }


def post(c: TestClient, module: str, method: str, data: Any, fmt: str = "json") -> httpx.Response:
    """POST a call whose form field `data` is `data` (JSON-encoded unless it is a string)."""
    content = data if isinstance(data, str) else json.dumps(data)
    path = CALL_PATH.format(format=fmt, module=module, method=method)
    response: httpx.Response = c.post(path, data={"data": content})
    return response


def call(
    c: TestClient,
    module: str,
    method: str,
    params: dict[str, Any] | None = None,
    user: User = MAIN,
    fmt: str = "json",
) -> httpx.Response:
    """A fresh session, then the signed call (the documented way)."""
    return post(c, module, method, {**auth_fields(c, user), **(params or {})}, fmt)


def body(response: httpx.Response) -> dict[str, Any]:
    """The envelope, after checking every envelope invariant."""
    assert problems(response.status_code, response.text) == {}, response.text
    assert response.headers["content-type"] == "application/json"
    parsed: dict[str, Any] = response.json()
    return parsed


def result(response: httpx.Response) -> Any:
    return body(response)["result"]


def data(response: httpx.Response) -> Any:
    envelope = body(response)
    assert envelope["result"] == 200, envelope
    return envelope["data"]


def error(response: httpx.Response) -> tuple[int, str]:
    """(result, error message) of a clean failure: data [] and a string error."""
    envelope = body(response)
    assert envelope["data"] == [] and isinstance(envelope["error"], str), envelope
    return envelope["result"], envelope["error"]
