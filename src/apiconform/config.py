"""Loading `apiconform.toml`: one table per provider, `${ENV}` interpolation, strict validation.

Guarantees: `load_config` either returns a fully validated `Config` or raises `ConfigError` whose
message is one line naming the file, the table, the key and the problem. Unknown tables, unknown
keys and values of the wrong type or range are rejected; nothing is silently ignored.

Common keys of every provider table (see the README for the full reference):
`base_url`, `verify` (bool or CA bundle path), `timeout` (seconds per request, default 10),
`deadline` (seconds for the provider's whole run, default 900), `allow_writes` (default false
unless the host is loopback or the embedded server is used), `rate_limit = {requests, per_seconds}`
(default: the provider's documented limit; the embedded server's compressed window when no
base_url is set), plus the provider's credentials.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from apiconform.errors import ConfigError
from apiconform.masking import MIN_SECRET_LENGTH
from apiconform.profile import Profile, RateLimit
from apiconform.registry import get_profile, provider_names

DEFAULT_CONFIG_FILE = "apiconform.toml"
DEFAULT_TIMEOUT = 10.0
DEFAULT_DEADLINE = 900.0
_ENV_PATTERN = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

_COMMON_KEYS: dict[str, Any] = {
    "base_url": {"type": "string", "pattern": "^https?://[^/?#]+", "description": "an http(s) URL"},
    "verify": {"type": ["boolean", "string"]},
    "timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": 600},
    "deadline": {"type": "number", "exclusiveMinimum": 0, "maximum": 86400},
    "allow_writes": {"type": "boolean"},
    "rate_limit": {
        "type": "object",
        "properties": {
            "requests": {"type": "integer", "minimum": 1},
            "per_seconds": {"type": "number", "exclusiveMinimum": 0},
        },
        "required": ["requests", "per_seconds"],
        "additionalProperties": False,
    },
}


@dataclass(frozen=True)
class ProviderConfig:
    """The validated settings of one provider. `base_url` None means the embedded server."""

    name: str
    base_url: str | None = None
    verify: bool | str = True
    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    allow_writes: bool | None = None
    rate_limit: RateLimit | None = None
    credentials: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    #: what was normalised from the values as written (e.g. a base URL as the document prints
    #: it), one line each, for the run to print once
    notes: tuple[str, ...] = ()

    @property
    def embedded(self) -> bool:
        return self.base_url is None

    def writes_allowed(self) -> bool:
        """Writes default to allowed only against the embedded server or a loopback host."""
        if self.allow_writes is not None:
            return self.allow_writes
        return self.base_url is None or is_loopback_url(self.base_url)


@dataclass(frozen=True)
class Config:
    path: Path | None
    providers: Mapping[str, ProviderConfig]

    def provider(self, name: str) -> ProviderConfig:
        return self.providers.get(name) or ProviderConfig(name=name)


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _provider_schema(profile: Profile) -> dict[str, Any]:
    properties: dict[str, Any] = dict(_COMMON_KEYS)
    for credential in profile.credentials:
        if credential in profile.public_credentials:
            # an identifier, typed as the document shows it (LeadDesk: `leaddesk_client_id = 1`)
            properties[credential] = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]}
        else:  # the masker refuses shorter secrets; errors never echo the value (_describe)
            properties[credential] = {"type": "string", "minLength": MIN_SECRET_LENGTH, "x-secret": True}
    properties.update(profile.extra_keys)
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _config_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: _provider_schema(get_profile(name)) for name in provider_names()},
        "additionalProperties": False,
    }


def _interpolate(value: Any, where: str) -> Any:
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise ConfigError(f"{where}: environment variable {name} is not set")
            return os.environ[name]

        return _ENV_PATTERN.sub(replace, value)
    if isinstance(value, dict):
        return {key: _interpolate(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolate(item, where) for item in value]
    return value


def _describe(error: ValidationError) -> str:
    path = list(error.absolute_path)
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known))
        if not path:
            return f"unknown provider table [{extra[0]}]; known: {', '.join(known)}"
        inner = ".".join(str(p) for p in path[1:])
        where = f"[{path[0]}] {inner + ': ' if inner else ''}"
        return f"{where}unknown key {extra[0]!r}; allowed: {', '.join(known)}"
    location = f"[{path[0]}] {'.'.join(str(p) for p in path[1:])}" if path else "top level"
    if error.schema.get("x-secret"):
        need = f"a string of at least {MIN_SECRET_LENGTH} characters"
        return f"{location}: must be {need} (the value is a secret and is not shown)"
    description = error.schema.get("description")
    if error.validator == "pattern" and description:
        return f"{location}: {error.instance!r} is not {description}"
    return f"{location}: {error.message}"


def _check_scheme(profile: Profile, base_url: str, where: str) -> None:
    """An HTTPS-only provider's base URL must be https: its credentials never travel in clear."""
    if profile.https_only and not base_url.lower().startswith("https://"):
        raise ConfigError(
            f"{where}: {profile.title} accepts HTTPS only and the suite never sends its credentials "
            f"over plain HTTP; {base_url!r} is not an https URL"
        )


def _base_url(profile: Profile, url: str, where: str) -> tuple[str, tuple[str, ...]]:
    """The base URL the suite uses for `url` as written, and the note when they differ."""
    _check_scheme(profile, url, where)
    written = url.rstrip("/")
    used = profile.normalize_base_url(written)
    if used == written:
        return used, ()
    return used, (f"{where} {written} is used as {used} ({profile.base_url_note})",)


def parse_config(data: Mapping[str, Any], path: Path | None = None) -> Config:
    """Validate an already-parsed TOML mapping (see the module docstring)."""
    label = str(path) if path else "config"
    data = _interpolate(dict(data), label)
    error = best_match(Draft202012Validator(_config_schema()).iter_errors(data))
    if error is not None:
        raise ConfigError(f"{label}: {_describe(error)}")
    providers: dict[str, ProviderConfig] = {}
    for name, table in data.items():
        profile = get_profile(name)
        rate = table.get("rate_limit")
        verify = table.get("verify", True)
        base_url: str | None = None
        notes: tuple[str, ...] = ()

        if "base_url" in table:
            base_url, notes = _base_url(profile, table["base_url"], f"{label}: [{name}] base_url")

        if isinstance(verify, str) and not Path(verify).is_file():
            raise ConfigError(f"{label}: [{name}] verify: CA bundle {verify!r} does not exist")
        providers[name] = ProviderConfig(
            name=name,
            base_url=base_url,
            verify=verify,
            timeout=float(table.get("timeout", DEFAULT_TIMEOUT)),
            deadline=float(table.get("deadline", DEFAULT_DEADLINE)),
            allow_writes=table.get("allow_writes"),
            rate_limit=RateLimit(rate["requests"], float(rate["per_seconds"])) if rate else None,
            credentials={key: str(table[key]) for key in profile.credentials if key in table},
            options={key: table[key] for key in profile.extra_keys if key in table},
            notes=notes,
        )
    return Config(path=path, providers=providers)


def load_config(path: str | Path | None) -> Config:
    """Load `path`, or `./apiconform.toml` when `path` is None and it exists, else an empty config."""
    if path is None:
        default = Path(DEFAULT_CONFIG_FILE)
        if not default.is_file():
            return Config(path=None, providers={})
        path = default
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return parse_config(data, path)


def with_base_url(config: ProviderConfig, base_url: str) -> ProviderConfig:
    """Return `config` pointed at `base_url` (the --base-url override), validated like the file."""
    if not re.match(r"^https?://[^/?#]+", base_url):
        raise ConfigError(f"--base-url: {base_url!r} is not an http(s) URL")
    used, notes = _base_url(get_profile(config.name), base_url, "--base-url")
    return ProviderConfig(**{**config.__dict__, "base_url": used, "notes": notes})
