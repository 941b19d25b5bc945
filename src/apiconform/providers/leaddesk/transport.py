"""How the LeadDesk reference server is deployed (`LeadDeskProfile.start_reference`).

The API is served over HTTPS ("Requests should be made using the HTTPS protocol so that traffic is
encrypted to protect the authentication"), with a certificate from a fresh test CA whose PEM the
deployment names as `verify`. Beside it, a plain-HTTP listener, named as the `plain_http_url`
setting, refuses service, each variant in its own way:

- clean: 301 to the same path over HTTPS, with no body;
- quirky: 403 https_required in the error shape;
- alternate: no listener: `plain_http_url` is the HTTPS port itself, where a plain request gets
  no HTTP answer (the TLS handshake fails).

Faults: `plain-http-only` serves the API over plain HTTP alone (the base URL is http://, and
`plain_http_url` names it too); `plain-http-serves-data` has the plain listener serve the API,
without authentication.

Token lifetime: the server setting `token_lifetime` (ServerOptions.settings) is how long access
tokens live: 3600 seconds unless a run's config sets token_expiry_wait, when the embedded server
issues tokens that live a second less (`LeadDeskProfile.embedded_server_settings`), so that the
expiry rules are checked (opt-in: the default run never waits).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from apiconform.providers.leaddesk.server import LeadDeskServer, create_app
from apiconform.providers.leaddesk.wire import ApiError
from apiconform.reference.kit import catch_all, guarded
from apiconform.reference.serving import Deployment, RunningServer, ServerOptions
from apiconform.reference.tls import IssuedCertificate, serve_https

logger = logging.getLogger(__name__)


class PlainListener:
    """The plain-HTTP listener beside the API at `https_root` (an https:// origin)."""

    def __init__(self, server: LeadDeskServer, https_root: str) -> None:
        self.server = server
        self.https_root = https_root.rstrip("/")

    async def handle(self, request: Request) -> Response:
        """A refusal that serves no data (see the module docstring), or the API without
        authentication under plain-http-serves-data."""
        server = self.server
        if "plain-http-serves-data" in server.faults:

            async def unauthenticated(request: Request) -> Response:
                return await server.serve(request, unauthenticated=True)

            return await guarded(request, unauthenticated, server.internal_error, logger)
        if server.wire.quirky:
            return server.wire.failure(ApiError(403, "https_required", "https-required"))
        target = self.https_root + request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Response(status_code=301, headers={"Location": target})


def start_deployment(
    options: ServerOptions, app: Any = None, *, host: str = "127.0.0.1", port: int = 0
) -> Deployment:
    """The API over HTTPS at `host`:`port` (port 0: any free port) under /stable, and the plain
    listener on another free port (see the module docstring). `app` is the API's app as
    `create_app(options)` builds it (the default), or a wrapper of one that passes `state` through
    (the benchmarks count requests so). Raises ValueError for a fault name not in the catalogue."""
    app = create_app(options) if app is None else app
    server: LeadDeskServer = app.state.leaddesk

    settings: dict[str, str] = {}
    if "plain-http-only" in server.faults:
        plain = RunningServer(app, host=host, port=port)
        settings["plain_http_url"] = plain.base_url + "/stable"
        return Deployment(plain.base_url + "/stable", [plain], settings=settings)
    certificate = IssuedCertificate.issue(host)
    servers: list[RunningServer] = []
    try:
        secure = serve_https(app, certificate, host=host, port=port)
        servers.append(secure)
        if options.alternate and not server.faults:
            settings["plain_http_url"] = f"http://{host}:{secure.port}/stable"
        else:
            listener = PlainListener(server, secure.base_url)
            plain = RunningServer(catch_all(listener.handle), host=host, port=0)
            servers.append(plain)
            settings["plain_http_url"] = plain.base_url + "/stable"
    except BaseException:
        for running in servers:
            running.stop()
        certificate.cleanup()
        raise
    return Deployment(
        secure.base_url + "/stable",
        servers,
        verify=certificate.ca_path,
        settings=settings,
        cleanups=[certificate.cleanup],
    )
