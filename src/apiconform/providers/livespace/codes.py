"""The result codes of livespace-api.md and the codes the rules accept for each refusal.

The document's tables overlap: 515 and 560 are both "Incorrect method"; 420 "Validation error",
550 "Parameter handling error" and 561 "Incorrect parameters" all fit bad parameters; 530 "User
not logged in" and 563 "No authorization" both fit a call without a valid session. For each
refusal a MUST accepts every code whose title fits that case (and nothing broader: not 564
"General error", nor an authorization code of another case), and a SHOULD asks for the precise
one (readings.toml: livespace.refusal-codes).
"""

from __future__ import annotations

from typing import Any

from apiconform.client import ApiResponse

#: The documented result codes and their titles (the Correct, Method errors, API handling errors
#: and Authorization method errors tables).
TITLES: dict[int, str] = {
    200: "OK",
    400: "General method error",
    420: "Validation error",
    500: "General API error",
    514: "Incorrect module",
    515: "Incorrect method",
    516: "Incorrect output format",
    520: "Database communication error",
    530: "User not logged in",
    540: "No permission",
    550: "Parameter handling error",
    560: "Incorrect method",
    561: "Incorrect parameters",
    562: "Incorrect key",
    563: "No authorization",
    564: "General error",
}
RESULT_CODES = frozenset(TITLES)
#: The Authorization method errors table.
AUTH_CODES = frozenset({560, 561, 562, 563, 564})
#: A refused authorization: an authorization code, or 530 "User not logged in".
REFUSED = AUTH_CODES | {530}

# --- the codes each refusal may get (every title that fits the case; livespace.refusal-codes) ---
#: A missing or unreadable parameter: 561 Incorrect parameters, 550 Parameter handling error,
#: 420 Validation error.
PARAMETER_CODES = frozenset({561, 550, 420})
#: No valid session (missing, unknown, used, another key's): 530 User not logged in, 563 No
#: authorization.
NOT_LOGGED_IN = frozenset({530, 563})
#: An authorization method other than key: 560 and 515, both "Incorrect method".
AUTH_METHOD_CODES = frozenset({560, 515})
#: An unknown key: 562 Incorrect key.
UNKNOWN_KEY_CODES = frozenset({562})
#: An unknown key on a call, on the session issued to it: 562, or 563 (its signature cannot be
#: verified, so the call has no authorization either).
UNKNOWN_KEY_CALL_CODES = frozenset({562, 563})
#: A signature that is not SHA1(key + token + secret), with a known key and a valid session: 563.
BAD_SIGNATURE_CODES = frozenset({563})
#: The rules that judge the refusals (the MUSTs, each of its cases, and the precise-code SHOULD).
REFUSAL_RULES = (
    "livespace.auth.missing-parameters",
    "livespace.auth.unknown-key",
    "livespace.auth.bad-signature",
    "livespace.auth.unknown-session",
    "livespace.auth.unknown-auth-method",
    "livespace.auth.precise-codes",
)
#: What the refusal of each case may be, by what the call lacks or gets wrong.
MISSING_KEY_CODES = PARAMETER_CODES | UNKNOWN_KEY_CODES
MISSING_SIGNATURE_CODES = PARAMETER_CODES | BAD_SIGNATURE_CODES
MISSING_SESSION_CODES = PARAMETER_CODES | NOT_LOGGED_IN
UNREADABLE_DATA_CODES = PARAMETER_CODES | NOT_LOGGED_IN
FOREIGN_SESSION_CODES = UNKNOWN_KEY_CODES | NOT_LOGGED_IN
#: A method refused its parameters: 420 and 550, or 400 "General method error".
METHOD_REFUSED = frozenset({400, 420, 550})
#: Bad parameters: 420, 550 and 561 overlap; 400 "General method error" covers them too.
BAD_PARAMETERS = METHOD_REFUSED | {561}
#: "Not supported": the module (514) or method (515, or 560: the same title) does not exist.
UNSUPPORTED = frozenset({514, 515, 560})
#: The target's own failure: "General API error", "Database communication error".
SERVER_FAILURE = frozenset({500, 520})


def result_of(response: ApiResponse) -> Any:
    """The envelope's `result` (None when the body is not an envelope)."""
    body = response.json_or_none()
    return body.get("result") if isinstance(body, dict) else None


def data_of(response: ApiResponse) -> Any:
    """The envelope's `data` (None when the body is not an envelope)."""
    body = response.json_or_none()
    return body.get("data") if isinstance(body, dict) else None


def error_of(response: ApiResponse) -> Any:
    """The envelope's `error` (None when the body is not an envelope)."""
    body = response.json_or_none()
    return body.get("error") if isinstance(body, dict) else None


def described(result: Any) -> str:
    """`result 515 (Incorrect method)`, or the bare value when it is not a documented code."""
    title = TITLES.get(result) if isinstance(result, int) and not isinstance(result, bool) else None
    return f"result {result!r}" + (f" ({title})" if title else "")
