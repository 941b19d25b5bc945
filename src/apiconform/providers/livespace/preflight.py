"""The Livespace preflight's verdicts: getToken, then one signed call of the configured list method.

Honest verdicts (Profile.preflight):
- TargetError (exit 3) only when nothing usable answers: a transport failure (from the client), a
  redirect, HTTP 404 or 5xx without an envelope (no Livespace API at this path), HTTP 429 without
  one (a throttle in front of it), or the target's own failure (500/520) at getToken.
- CredentialsRejected (exit 2) only for a well-formed refusal of the configured key or secret:
  an envelope (HTTP 200) with 562 "Incorrect key", 563 "No authorization", 564 "General error",
  540 "No permission", or, for the signed call, 530 "User not logged in".
- ConfigError (exit 2) for a well-formed answer that the suite's undocumented path is not the
  target's: 514-516 to getToken (`token_path`), 516 to the signed call (the format in `call_path`).
- ContractViolation (exit 1, the rules named failed) when the target answers but off the
  contract: a body that is not an envelope (not a JSON object with an integer `result`) or
  another HTTP status with an envelope; a getToken success without a token or session id; a
  refusal of the documented credential form (`_api_auth=key` and `_api_key`) with another code.
- Anything else at the signed call (e.g. 515: the configured list method does not exist; 420: it
  wants parameters) lets the suite run: the rules that need the method skip or judge it.
"""

from __future__ import annotations

from typing import Any

from apiconform.checks.expect import violation
from apiconform.client import ApiResponse
from apiconform.errors import ConfigError, CredentialsRejected, TargetError
from apiconform.providers.livespace.calls import Session
from apiconform.providers.livespace.codes import SERVER_FAILURE, described
from apiconform.providers.livespace.envelope import is_code, problems
from apiconform.providers.livespace.settings import Method

TOKEN_RULE = "livespace.auth.token"
CALL_RULE = "livespace.auth.signed-call-accepted"
KEY_REFUSED = frozenset({540, 562, 563, 564})


def envelope_of(response: ApiResponse) -> dict[str, Any] | None:
    """The body when it is an envelope the suite can read (an object with an integer result)."""
    body = response.json_or_none()
    return body if isinstance(body, dict) and is_code(body.get("result")) else None


def _answered(response: ApiResponse, what: str, rule: str, path_setting: str) -> dict[str, Any]:
    """The envelope of `response`; raises TargetError or ContractViolation when there is none."""
    body = envelope_of(response)
    status = response.status_code
    if body is None and (300 <= status < 400 or status in (404, 429) or status >= 500):
        raise TargetError(
            f"{what} answered HTTP {status} without a Livespace envelope: no Livespace API there "
            f"(check base_url; the document gives no paths: {path_setting})"
        )
    if body is None or status != 200:
        broken = (*problems(status, response.text), rule)
        shown = "not a Livespace envelope" if body is None else f"HTTP {status}, not 200"
        raise violation(f"{what} answered {shown}", response, rules=broken)
    return body


def judge_token(session: Session) -> None:
    """Raise unless getToken gave a token and a session id (see the module docstring)."""
    response = session.response
    body = _answered(response, "getToken", TOKEN_RULE, "token_path")
    result = body["result"]
    if result == 200:
        if session.token is None or session.session_id is None:
            missing = " and ".join(
                name
                for name, value in (("a token", session.token), ("a session id", session.session_id))
                if value is None
            )
            raise violation(
                f"getToken answered result 200 without {missing} (looked for token_field and "
                f"session_field, or one member named like them)",
                response,
                rules=(TOKEN_RULE,),
            )
        return
    if result in KEY_REFUSED:
        raise CredentialsRejected(f"getToken answered {described(result)}; check [livespace] api_key")
    if result in {514, 515, 516}:
        raise ConfigError(
            f"[livespace] token_path: getToken answered {described(result)}: the target issues no "
            "tokens at this path (the document gives none: set token_path)"
        )
    if result in SERVER_FAILURE:
        raise TargetError(f"getToken answered {described(result)}: the target failed")
    raise violation(
        f"getToken refused the documented credential form (_api_auth=key, _api_key) with {described(result)}",
        response,
        rules=(*problems(response.status_code, response.text), TOKEN_RULE),
    )


def judge_call(response: ApiResponse, method: Method) -> None:
    """Raise when the signed call shows the run cannot go on (see the module docstring)."""
    body = _answered(response, f"a signed call of {method}", CALL_RULE, "call_path")
    result = body["result"]
    if result in KEY_REFUSED | {530}:
        raise CredentialsRejected(
            f"a signed call of {method} answered {described(result)}; "
            "check [livespace] api_key and api_secret"
        )
    if result == 516:
        raise ConfigError(
            f"[livespace] call_path: a signed call of {method} answered {described(result)}: the "
            "format in the call path is not the target's (the document gives no paths: set call_path)"
        )
