"""Running a reference server (an ASGI app) on uvicorn in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

import uvicorn

#: The conformant variants of a reference server: `clean` (the plain reading of the document),
#: `quirky` (lenient and different wherever the document leaves things free: extra fields,
#: wording, order, timing) and `alternate` (the *other* reading at every silence point: requires
#: every field the document's examples carry, refuses operations the document does not show,
#: other names and shapes where the document gives none). The suite passes all three.
Variant = Literal["clean", "quirky", "alternate"]
VARIANTS: tuple[Variant, ...] = ("clean", "quirky", "alternate")


@dataclass(frozen=True)
class ServerOptions:
    """What a reference server is started with.

    `credentials` maps the provider's config credential names (e.g. `api_key`) to the values the
    server accepts; `faults` are names from the provider's fault catalogue; `variant` is one of
    `VARIANTS` (every one conformant); `rate_limit` is (requests, per_seconds) enforced per
    credential; `settings` are provider-specific server settings (e.g. LeadDesk's
    `token_lifetime`), each defaulting to the server's own when absent.
    """

    credentials: Mapping[str, str] = field(default_factory=dict)
    faults: frozenset[str] = frozenset()
    variant: Variant = "clean"
    rate_limit: tuple[int, float] = (60, 60.0)
    settings: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown variant {self.variant!r}; known: {', '.join(VARIANTS)}")

    @property
    def quirky(self) -> bool:
        return self.variant == "quirky"

    @property
    def alternate(self) -> bool:
        return self.variant == "alternate"


class RunningServer:
    """A uvicorn server serving `app` on 127.0.0.1 in a daemon thread until `stop()`.

    Guarantees: after construction returns, the server accepts connections at `base_url`;
    `stop()` returns once the server has shut down (or after a 5 s grace period).
    """

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        scheme: str = "http",
        ssl_certfile: str | None = None,
        ssl_keyfile: str | None = None,
    ) -> None:
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose `proto`
        # says TCP; without it every small response waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        self.host, self.port = sock.getsockname()[:2]
        self.base_url = f"{scheme}://{host}:{self.port}"
        config = uvicorn.Config(
            app,
            log_level="error",
            access_log=False,
            lifespan="off",
            ssl_certfile=ssl_certfile,
            ssl_keyfile=ssl_keyfile,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True, name=f"apiconform-{self.port}"
        )
        self._sock = sock
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"reference server did not start on {self.base_url}")
            time.sleep(0.01)

    def request_stop(self) -> None:
        """Ask the server to stop and return at once (`stop()` waits for it). It does not wait
        for open connections or running requests: a reference server stops when its run ends."""
        self._server.should_exit = True
        self._server.force_exit = True

    def stop(self) -> None:
        self.request_stop()
        self._thread.join(timeout=5)
        self._sock.close()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def serve_forever(self) -> None:
        """Block until the server stops (Ctrl-C stops it)."""
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@dataclass
class Deployment:
    """A started reference server as a target sees it: where the API is, how to verify its TLS
    certificate (a CA bundle path for a test CA), and the provider settings the deployment itself
    provides (e.g. a plain-HTTP address). `stop()` stops every server and runs the clean-ups."""

    base_url: str
    servers: list[RunningServer]
    verify: bool | str = True
    settings: Mapping[str, str] = field(default_factory=dict)
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def stop(self) -> None:
        for server in self.servers:  # all at once: each takes up to a tick of uvicorn's loop
            server.request_stop()
        for server in self.servers:
            server.stop()
        for cleanup in self.cleanups:
            cleanup()

    def serve_forever(self) -> None:
        """Block until Ctrl-C, then stop."""
        try:
            while all(server.alive for server in self.servers):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
