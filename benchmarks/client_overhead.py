"""Client overhead: apiconform's ApiClient (pacing with a very high limit, origin check, streamed
and bounded body, recording and masking of every exchange, per-rule accounting) against a raw
`httpx.Client`, on the same sequence of GET requests to a local uvicorn server. Run from the
repository root:

    python benchmarks/client_overhead.py                     # 2,000 requests, 5 repetitions
    python benchmarks/client_overhead.py --requests 200 --repetitions 1 --servers minimal

Two servers, each on `apiconform.reference.serving.RunningServer` in a separate process, so that the
client's own cost is not mixed with the server's under one GIL (`--in-process` serves from a
thread of the measuring process instead):

- `minimal`: a Starlette app answering one constant 1 kB JSON body (the floor: the fastest local
  request there is, so the client's fixed cost weighs most);
- `coliving`: the embedded Coliving reference server (a limit that never binds), sent the
  listing pages a suite run sends (page 1-3 of 5 listings, and one of 1), in turn.

Both clients send the same X-API-Key header and read the whole body; the raw client does nothing
else. The repetitions alternate raw and ApiClient, each on a fresh client warmed up with 50
requests; the report gives the median microseconds per request of each, their ratio, and the
overhead.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import cycle
from multiprocessing.connection import Connection
from typing import Any

from _common import machine, median, table

SECRET = "apiconform-bench-secret-0123456789abcdef"
PATH = "/v1/items"
WARM_UP = 50


def _app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    items = [{"id": i, "name": f"item {i}", "status": "published", "price": 100 + i} for i in range(15)]
    import json

    body = json.dumps({"data": items, "meta": {"request_id": "req_bench"}}).encode()

    async def endpoint(request: Request) -> Response:
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route(PATH, endpoint)])


def _reference_app() -> Any:
    """The embedded Coliving reference server with SECRET as its API key and a limit that never
    binds (its own rate-limit bookkeeping still runs)."""
    from apiconform.reference.serving import ServerOptions
    from apiconform.registry import get_profile

    profile = get_profile("coliving")
    credentials = {name: f"{SECRET}-{name}" for name in profile.credentials} | {"api_key": SECRET}
    return profile.create_app(ServerOptions(credentials=credentials, rate_limit=(1_000_000, 1.0)))


#: server name -> (app factory, the request paths sent in turn)
SERVERS: dict[str, tuple[Callable[[], Any], list[str]]] = {
    "minimal": (_app, [PATH]),
    "coliving": (
        _reference_app,
        [f"/v1/listings?page={page}&per_page=5" for page in (1, 2, 3)] + ["/v1/listings?per_page=1"],
    ),
}


def _serve(pipe: Connection, server_name: str) -> None:
    """In a child process: serve the app until the pipe says stop."""
    from apiconform.reference.serving import RunningServer

    with RunningServer(SERVERS[server_name][0]()) as server:
        pipe.send(server.base_url)
        pipe.recv()


def raw_client(base_url: str, paths: list[str]) -> tuple[Callable[[], None], Callable[[], None]]:
    import httpx

    client = httpx.Client(trust_env=False, timeout=10, headers={"User-Agent": "bench"})
    urls, headers = cycle([base_url + path for path in paths]), {"X-API-Key": SECRET}

    def send() -> None:
        response = client.get(next(urls), headers=headers)
        assert response.status_code == 200 and response.content

    return send, client.close


def api_client(base_url: str, paths: list[str]) -> tuple[Callable[[], None], Callable[[], None]]:
    from apiconform.client import ApiClient
    from apiconform.masking import Masker
    from apiconform.pacing import Pacer
    from apiconform.profile import RateLimit

    deadline = time.monotonic() + 3600
    client = ApiClient(
        base_url,
        masker=Masker([SECRET]),
        pacer=Pacer(RateLimit(1_000_000, 1.0), deadline),  # pacing on, never binding
        pace_key=lambda request: request.headers.get("x-api-key", "anonymous"),
        timeout=10,
        deadline_at=deadline,
    )
    client.current_rules = ("bench.client.overhead",)
    headers, each_path = {"X-API-Key": SECRET}, cycle(paths)

    def send() -> None:
        response = client.request("GET", next(each_path), headers=headers)
        assert response.status_code == 200 and response.content

    return send, client.close


@dataclass
class Result:
    raw_us: list[float]
    api_us: list[float]

    @property
    def ratio(self) -> float:
        return median(self.api_us) / median(self.raw_us)


def measure(base_url: str, paths: list[str], requests: int, repetitions: int) -> Result:
    result = Result([], [])
    for _ in range(repetitions):
        for make, sink in ((raw_client, result.raw_us), (api_client, result.api_us)):
            send, close = make(base_url, paths)
            try:
                for _ in range(WARM_UP):
                    send()
                started = time.perf_counter()
                for _ in range(requests):
                    send()
                sink.append((time.perf_counter() - started) / requests * 1e6)
            finally:
                close()
    return result


def run(server_name: str, requests: int, repetitions: int, in_process: bool) -> Result:
    factory, paths = SERVERS[server_name]
    if in_process:
        from apiconform.reference.serving import RunningServer

        with RunningServer(factory()) as server:
            return measure(server.base_url, paths, requests, repetitions)
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_serve, args=(theirs, server_name), daemon=True)
    child.start()
    try:
        base_url = ours.recv()
        return measure(base_url, paths, requests, repetitions)
    finally:
        ours.send("stop")
        child.join(timeout=10)


def render(results: dict[str, Result], requests: int, repetitions: int, in_process: bool) -> str:
    where = "a thread of the measuring process" if in_process else "a separate process"
    rows = []
    for name, result in results.items():
        raw, api = median(result.raw_us), median(result.api_us)
        rows.append(
            [
                name,
                f"{raw:.0f}",
                f"{api:.0f}",
                f"{api - raw:.0f}",
                f"{result.ratio:.3f} ({(result.ratio - 1) * 100:+.1f}%)",
                "met" if result.ratio < 1.10 else "NOT met",
                ", ".join(f"{v:.0f}" for v in result.raw_us),
                ", ".join(f"{v:.0f}" for v in result.api_us),
            ]
        )
    lines = [
        f"Machine: {machine()}. {requests} GETs per repetition, {repetitions} repetitions, "
        f"server in {where}.",
        "",
        table(
            [
                "server",
                "raw httpx µs/request (median)",
                "ApiClient µs/request (median)",
                "overhead µs",
                "ratio",
                "under +10%",
                "raw, each repetition",
                "ApiClient, each repetition",
            ],
            rows,
            "lrrrrlll",
        ),
        "",
    ]
    for name, result in results.items():
        raw, api = median(result.raw_us), median(result.api_us)
        lines.append(f"{name}: Ratio {result.ratio:.3f}: ApiClient adds {api - raw:.0f} µs per request.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="GETs per repetition (default 2000)")
    parser.add_argument("--repetitions", type=int, default=5, help="default 5")
    parser.add_argument("--in-process", action="store_true", help="serve from a thread of this process")
    parser.add_argument(
        "--servers", nargs="+", choices=sorted(SERVERS), default=list(SERVERS), help="default: both"
    )
    args = parser.parse_args(argv)
    results = {name: run(name, args.requests, args.repetitions, args.in_process) for name in args.servers}
    print(render(results, args.requests, args.repetitions, args.in_process))
    return 0


if __name__ == "__main__":
    sys.exit(main())
