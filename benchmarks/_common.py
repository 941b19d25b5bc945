"""Helpers shared by the benchmark scripts (not a benchmark itself): the machine description,
medians, Markdown tables, credentials for embedded servers, and an ASGI request counter."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `tests.conformance` (the fault runs' opt-in settings) from a script
    sys.path.append(str(ROOT))


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def machine() -> str:
    """One line: cores, memory, Python version, OS (what the README's tables were measured on)."""
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB"
                    break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}){memory}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def table(header: Sequence[str], rows: Iterable[Sequence[object]], align: str | None = None) -> str:
    """A Markdown table; `align` has one letter per column, `l` or `r` (default: all `l`)."""
    align = align or "l" * len(header)
    marks = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def credentials_for(names: Iterable[str]) -> dict[str, str]:
    """Fresh values for every credential a provider's embedded server accepts (what
    `apiconform run` generates for the embedded server)."""
    from apiconform.target import generated_credential

    return {name: generated_credential(name) for name in names}


def executable(name: str) -> str:
    """The console script `name` of this interpreter's environment (e.g. the venv's
    `schemathesis`), else `name` for a PATH lookup."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


class CountingApp:
    """An ASGI wrapper counting the HTTP requests an app receives and the 429s it answers."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests = 0
        self.throttled = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.requests += 1

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 429:
                self.throttled += 1
            await send(message)

        await self.app(scope, receive, counting_send)

    def __getattr__(self, name: str) -> Any:
        """The wrapped app's attributes (`state`: a deployment reads its server from there)."""
        return getattr(self.app, name)


def counting_profile(name: str) -> tuple[Any, list[CountingApp]]:
    """A fresh instance of provider `name`'s profile whose reference servers count their
    requests: every app `create_app` builds is wrapped and appended to the returned list (so
    `start_reference` and `run_provider(profile, ...)` serve through the counter)."""
    from apiconform.registry import get_profile

    profile = type(get_profile(name))()
    apps: list[CountingApp] = []
    build = profile.create_app

    def create_app(options: Any) -> CountingApp:
        app = CountingApp(build(options))
        apps.append(app)
        return app

    profile.create_app = create_app  # an instance attribute shadows the method
    return profile, apps


def rate_text(requests: int, per_seconds: float) -> str:
    """A rate limit in schemathesis' `<limit>/<s|m|h|d>` syntax, never faster than the given one."""
    for unit, seconds in (("s", 1.0), ("m", 60.0), ("h", 3600.0), ("d", 86400.0)):
        if per_seconds == seconds:
            return f"{requests}/{unit}"
    return f"{max(1, int(requests / per_seconds))}/s"


def options_of(mapping: Mapping[str, object]) -> str:
    return ", ".join(f"{key} {value}" for key, value in mapping.items())
