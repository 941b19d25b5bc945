"""A target: one provider's API as the suite talks to it.

`open_target` resolves where the API is (the configured base URL, or the embedded reference
server started on 127.0.0.1), which credentials to use, whether writes are allowed, and builds the
paced, masking client. The embedded server is started with the run's credentials (generated ones
for any that are not configured) so that every rule can run against it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType

from apiconform.client import ApiClient
from apiconform.config import ProviderConfig
from apiconform.masking import Masker
from apiconform.pacing import Pacer
from apiconform.profile import Profile, RateLimit
from apiconform.reference.serving import Deployment, ServerOptions, Variant


@dataclass
class Target:
    profile: Profile
    config: ProviderConfig
    base_url: str
    credentials: Mapping[str, str]
    allow_writes: bool
    rate_limit: RateLimit
    client: ApiClient
    masker: Masker
    deadline_at: float
    server: Deployment | None = None
    #: provider-specific settings the suite reads (config `options` merged with defaults)
    options: Mapping[str, object] = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        return self.server is not None

    def missing(self, needs: Iterable[str]) -> list[str]:
        """The needs (credential names, provider settings, or `allow_writes`) this target cannot
        satisfy."""
        gaps = []
        for need in needs:
            if need == "allow_writes":
                if not self.allow_writes:
                    gaps.append("allow_writes")
            elif not self.credentials.get(need) and not self.options.get(need):
                gaps.append(need)
        return gaps

    def close(self) -> None:
        self.client.close()
        if self.server is not None:
            self.server.stop()

    def __enter__(self) -> Target:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def generated_credential(name: str, *, numeric: bool = False) -> str:
    """A fresh value for credential `name` of an embedded server (digits when `numeric`)."""
    if numeric:
        return str(100_000 + secrets.randbelow(900_000))
    return f"apiconform-{name.replace('_', '-')}-{secrets.token_hex(12)}"


def open_target(
    profile: Profile,
    config: ProviderConfig,
    *,
    faults: Iterable[str] = (),
    variant: Variant = "clean",
    masker: Masker | None = None,
    deadline_at: float | None = None,
) -> Target:
    """Open the target of `config` (see the module docstring). The caller must `close()` it."""
    masker = masker or Masker()
    deadline_at = deadline_at if deadline_at is not None else time.monotonic() + config.deadline
    server = None
    credentials = dict(config.credentials)
    options: dict[str, object] = dict(config.options)
    verify = config.verify
    if config.embedded:
        rate_limit = config.rate_limit or profile.embedded_rate_limit
        for name in profile.credentials:
            numeric = name in profile.numeric_credentials
            credentials.setdefault(name, generated_credential(name, numeric=numeric))
        server_options = ServerOptions(
            credentials=credentials,
            faults=profile.faults().validate(faults),
            variant=variant,
            rate_limit=(rate_limit.requests, rate_limit.per_seconds),
            settings=profile.embedded_server_settings(config.options),
        )
        server = profile.start_reference(server_options)
        base_url = server.base_url
        verify = server.verify
        options = {**options, **server.settings}
    else:
        assert config.base_url is not None
        rate_limit = config.rate_limit or profile.documented_rate_limit
        base_url = config.base_url
    for name, value in credentials.items():
        if name not in profile.public_credentials:
            masker.add(value)
    for derived in profile.derived_secrets(credentials):
        masker.add(derived)
    client = ApiClient(
        base_url,
        masker=masker,
        pacer=Pacer(rate_limit, deadline_at),
        pace_key=profile.pace_key,
        response_secrets=profile.response_secrets,
        is_write=profile.write_guard(options),
        writes_allowed=config.writes_allowed(),
        timeout=config.timeout,
        deadline_at=deadline_at,
        verify=verify,
        default_headers=profile.default_headers,
    )
    return Target(
        profile=profile,
        config=config,
        base_url=base_url,
        credentials=credentials,
        allow_writes=config.writes_allowed(),
        rate_limit=rate_limit,
        client=client,
        masker=masker,
        deadline_at=deadline_at,
        server=server,
        options=options,
    )
