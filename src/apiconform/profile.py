"""The provider profile: what is particular to one provider's dialect.

A provider is one `Profile` subclass in `apiconform.providers.<name>.profile`. It names the
credentials its config takes, its documented rate limit, how a credential is put on a request,
how to tell which key a request spends (for pacing), the reference server and its faults, and the
preflight request. Shared checks and the runner use only this interface.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import httpx

    from apiconform.checks.pagination import PageInfo
    from apiconform.client import ApiResponse
    from apiconform.reference.faults import FaultCatalogue
    from apiconform.reference.serving import Deployment, ServerOptions
    from apiconform.target import Target


@dataclass(frozen=True)
class RateLimit:
    """`requests` per `per_seconds`, per key."""

    requests: int
    per_seconds: float


class Profile(abc.ABC):
    """One provider's dialect. Subclasses set the class attributes and implement the methods."""

    name: ClassVar[str]
    title: ClassVar[str]
    #: The file name of the provider's published document (a rule's `source` starts with it).
    document: ClassVar[str]

    #: Credentials a real target must be configured with.
    required_credentials: ClassVar[tuple[str, ...]]
    #: Credentials that enable more rules when present.
    optional_credentials: ClassVar[tuple[str, ...]] = ()
    #: Credentials that identify rather than authenticate (an account number): not masked, so
    #: that a short value such as `7` neither garbles the output nor is refused by the masker.
    public_credentials: ClassVar[frozenset[str]] = frozenset()
    #: Credentials the document shows as numbers (LeadDesk's `leaddesk_client_id = 1`): the values
    #: generated for an embedded or demo server are digits, so that a server taking the number
    #: as a JSON integer can match them.
    numeric_credentials: ClassVar[frozenset[str]] = frozenset()
    #: Headers every request carries because the document's request examples carry them (e.g.
    #: `Accept: application/json`); a request's own headers override them.
    default_headers: ClassVar[Mapping[str, str]] = {}
    #: Non-secret provider-specific config keys and their JSON Schema.
    extra_keys: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    #: The documented rate limit (what a real vendor enforces).
    documented_rate_limit: ClassVar[RateLimit]
    #: The window the embedded reference server is started with, to keep runs fast.
    embedded_rate_limit: ClassVar[RateLimit]
    #: The document allows HTTPS only: `base_url` must be https (the suite never sends the
    #: credentials over plain HTTP).
    https_only: ClassVar[bool] = False
    #: The rule the preflight's smoke request exercises: when the target refuses the configured
    #: credentials, that rule is reported failed with the evidence (the run still exits 2).
    preflight_rule: ClassVar[str | None] = None
    #: Where the reference server serves the API below its origin (LeadDesk: `/stable`); the
    #: embedded target's base URL includes it.
    reference_path: ClassVar[str] = ""
    #: Schema names (in schemas/<provider>/) of the success and error envelopes.
    success_envelope: ClassVar[str]
    error_envelope: ClassVar[str]

    #: Why `normalize_base_url` changes a base URL (printed once with the change).
    base_url_note: ClassVar[str] = ""

    def embedded_server_settings(self, options: Mapping[str, object]) -> Mapping[str, object]:
        """The server settings (`ServerOptions.settings`) a run's embedded reference server is
        started with, given the run's provider options (e.g. LeadDesk's short token lifetime when
        the config asks the suite to wait tokens out); `apiconform serve` starts the server
        without them. The default: none."""
        return {}

    def normalize_base_url(self, url: str) -> str:
        """The base URL the suite uses for `url` as the user wrote it (no trailing slash), e.g.
        as the provider's document prints it. The default keeps it."""
        return url

    @property
    def credentials(self) -> tuple[str, ...]:

        return self.required_credentials + self.optional_credentials

    def derived_secrets(self, credentials: Mapping[str, str]) -> list[str]:
        """Forms of the credentials that travel on the wire and must be masked too."""
        return []

    def is_write(self, request: httpx.Request) -> bool:
        """Whether `request` may change the target's data (refused without `allow_writes`).
        Providers whose protocol needs POSTs that change nothing (token requests, read calls)
        override this."""
        return request.method in {"POST", "PUT", "PATCH", "DELETE"}

    def write_guard(self, options: Mapping[str, object]) -> Callable[[httpx.Request], bool]:
        """The test the client refuses writes by (without `allow_writes`) for a target with these
        provider `options`: `is_write`, unless the options name more writing operations."""
        return self.is_write

    def response_secrets(self, request: httpx.Request, content: bytes) -> list[str]:
        """Secrets the target issues in a response (e.g. access tokens), to be masked from then
        on, the response itself included. Called for every response before it is recorded."""
        return []

    def success_data(self, body: Any) -> Any:
        """The payload inside a success envelope that has already been validated."""
        return body

    def error_type(self, body: Any) -> str | None:
        """The machine-readable error type/code of an error envelope, if the dialect has one."""
        return None

    def error_items(self, body: Any) -> list[Mapping[str, Any]]:
        """Field-level error items of an error envelope, if the dialect has them."""
        return []

    def parse_page(self, response: ApiResponse) -> tuple[list[Any], PageInfo]:
        """Items and page information of a page-number paginated list response."""
        raise NotImplementedError(f"{self.name} has no page-number pagination")

    @abc.abstractmethod
    def pace_key(self, request: httpx.Request) -> str:
        """The key a request is counted against by the target's rate limit (never logged)."""

    @abc.abstractmethod
    def preflight(self, target: Target) -> None:
        """Send the smoke request(s) with `target.client`. Guarantees an honest verdict:
        TargetError (from the client, or raised here) only when nothing usable answers (transport
        failure, no API at the base URL, a 5xx); CredentialsRejected only for a refusal of the
        configured credentials that is well formed in the document's own terms (ConfigError when
        such an answer says a provider config key does not fit the target); ContractViolation,
        naming the rules it breaks, when the target answers but off the contract."""

    @abc.abstractmethod
    def faults(self) -> FaultCatalogue:
        """The reference server's fault catalogue."""

    @abc.abstractmethod
    def create_app(self, options: ServerOptions) -> Any:
        """The reference server's ASGI app."""

    def start_reference(
        self, options: ServerOptions, *, host: str = "127.0.0.1", port: int = 0
    ) -> Deployment:
        """Start the reference server (plain HTTP on `host`:`port`, port 0 = any free port; the
        API at `reference_path`). Providers whose server needs more (TLS, a second listener)
        override this."""
        from apiconform.reference.serving import Deployment, RunningServer

        server = RunningServer(self.create_app(options), host=host, port=port)
        return Deployment(server.base_url + self.reference_path, [server])
