"""Secrets in recorded traffic: found and handed to the run's `Masker` before an exchange is kept.

A recording holds real credentials the user never configured here: the auth headers (masked
whole anyway: apiconform.masking.SECRET_HEADERS), the credential inside them (a Bearer token, the
user and password of a Basic credential, an API key), token fields of request and response bodies
and query strings (LeadDesk's passwords, client secrets and tokens, Livespace's `_api_key`,
`_api_sha` and session, Coliving's `provider_api_key` and user passwords), and what the provider's
profile says a response issues (`Profile.response_secrets`). `harvest` adds each value (of at
least four characters: shorter ones are masked where they stand, `mask_fields`) to the masker.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx

from apiconform.masking import (
    CREDENTIAL_HEADERS,
    MASK,
    MIN_SECRET_LENGTH,
    SECRET_HEADERS,
    Masker,
    credential_label,
)
from apiconform.profile import Profile

#: Body, form and query fields whose values are secrets, in any provider's traffic (lower case)
SECRET_FIELDS = frozenset(
    {
        "password",
        "client_secret",
        "refresh_token",
        "access_token",
        "id_token",
        "token",
        "session",
        "session_id",
        "api_key",
        "api_secret",
        "apikey",
        "secret",
        "provider_api_key",
        "_api_key",
        "_api_sha",
        "_api_session",
        "_api_secret",
        "x-api-key",
    }
)


def _secret_field(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_FIELDS or lowered.endswith(("_token", "_secret", "password"))


def _add(masker: Masker, value: object) -> None:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value)
        if len(text) >= MIN_SECRET_LENGTH and text != MASK:
            masker.add(text)


def _walk(value: Any, found: list[object], depth: int = 0) -> None:
    """Collect the values of secret fields anywhere in a parsed body (bounded depth)."""
    if depth > 8:
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(key, str) and _secret_field(key) and not isinstance(inner, (dict, list)):
                found.append(inner)
            else:
                _walk(inner, found, depth + 1)
    elif isinstance(value, list):
        for inner in value[:1000]:
            _walk(inner, found, depth + 1)


def fields_of(body: bytes, content_type: str = "") -> list[object]:
    """The values of secret fields in a JSON or form body (also a form field `data` holding JSON,
    as Livespace sends its calls)."""
    found: list[object] = []
    if not body.strip():
        return found
    text = body.decode("utf-8", errors="replace")
    try:
        _walk(json.loads(text), found)
        return found
    except (ValueError, RecursionError):
        pass
    if "=" in text and "\n" not in text.strip():
        for name, value in parse_qsl(text, keep_blank_values=True):
            if _secret_field(name):
                found.append(value)
            elif value[:1] in ("{", "["):
                with contextlib.suppress(ValueError, RecursionError):
                    _walk(json.loads(value), found)
    return found


def header_credentials(headers: Iterable[tuple[str, str]]) -> list[str]:
    """The credentials inside auth headers: the whole value, a scheme's token, and a Basic
    credential's user and password."""
    found: list[str] = []
    for name, value in headers:
        if name.lower() not in CREDENTIAL_HEADERS or not value.strip():
            continue
        found.append(value.strip())
        scheme, _, token = value.strip().partition(" ")
        if token:
            found.append(token.strip())
            if scheme.lower() == "basic":
                try:
                    decoded = base64.b64decode(token.strip(), validate=False).decode("utf-8")
                except (binascii.Error, UnicodeDecodeError):
                    continue
                user, _, password = decoded.partition(":")
                found += [decoded, user, password]
    return found


def harvest(
    masker: Masker,
    profile: Profile,
    *,
    method: str,
    url: str,
    request_headers: list[tuple[str, str]],
    request_body: bytes,
    response_body: bytes,
) -> None:
    """Add every secret this exchange carries to `masker` (see the module docstring)."""
    for value in header_credentials(request_headers):
        _add(masker, value)
    query = httpx.URL(url).query.decode("utf-8", errors="replace")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if _secret_field(name):
            _add(masker, value)
    for field in fields_of(request_body) + fields_of(response_body):
        _add(masker, field)
    if response_body:
        try:
            request = httpx.Request(method, url, headers=request_headers, content=request_body)
            issued = profile.response_secrets(request, response_body)
        except (ValueError, TypeError, httpx.InvalidURL):
            issued = []
        for value in issued:
            _add(masker, value)


def mask_fields(text: str) -> str:
    """`text` (a JSON or form body, or a query string) with the values of secret fields replaced
    by the mask, whatever their length (JSON is rewritten compactly; anything else is kept)."""
    if not text.strip():
        return text
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        parsed = None
    else:
        if _has_secret(parsed):
            return json.dumps(_masked(parsed), ensure_ascii=False)
        return text
    if "=" in text and "\n" not in text.strip():
        pairs = parse_qsl(text, keep_blank_values=True)
        if any(_secret_field(name) for name, _ in pairs):
            return urlencode([(name, MASK if _secret_field(name) else value) for name, value in pairs])
    return text


def _has_secret(value: Any, depth: int = 0) -> bool:
    found: list[object] = []
    _walk(value, found)
    return bool(found)


def _masked(value: Any, depth: int = 0) -> Any:
    if depth > 8:
        return value
    if isinstance(value, dict):
        return {
            key: MASK
            if isinstance(key, str) and _secret_field(key) and not isinstance(inner, (dict, list))
            else _masked(inner, depth + 1)
            for key, inner in value.items()
        }
    if isinstance(value, list):
        return [_masked(inner, depth + 1) for inner in value]
    return value


__all__ = ["SECRET_HEADERS", "credential_label", "harvest", "mask_fields"]
