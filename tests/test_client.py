"""The client: pacing below the rate limit, origin pinning, timeouts, size cap, masking, counting."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from apiconform.client import RECORDED_BODY, ApiClient
from apiconform.config import ProviderConfig
from apiconform.errors import TargetError
from apiconform.masking import Masker
from apiconform.pacing import Pacer
from apiconform.profile import RateLimit
from apiconform.reference.serving import RunningServer
from tests.conformance import run_embedded

SECRET = "SECRET-client-key-abcdef"


async def echo(request):
    return JSONResponse({"key": request.headers.get("x-api-key"), "path": request.url.path})


async def redirect_away(request):
    return RedirectResponse("http://127.0.0.2:9/steal", status_code=302)


async def redirect_home(request):
    return RedirectResponse("/echo", status_code=302)


async def huge(request):
    return Response(b"x" * 2_000_000, media_type="application/octet-stream")


async def drip(request):
    async def body():
        import asyncio

        for _ in range(20):
            yield b"."
            await asyncio.sleep(0.2)

    return StreamingResponse(body(), media_type="text/plain")


async def straddle(request):
    """A body whose secret starts just before the recorded cut (RECORDED_BODY characters)."""
    return Response("x" * (RECORDED_BODY - 5) + SECRET + "y" * 10, media_type="text/plain")


async def long_json(request):
    """A JSON list of `n` short objects (30 KiB for n=1000: longer than what an exchange records)."""
    count = int(request.query_params["n"])
    return JSONResponse([{"index": index, "name": f"object-{index:05d}"} for index in range(count)])


@pytest.fixture(scope="module")
def server():
    app = Starlette(
        routes=[
            Route("/echo", echo),
            Route("/away", redirect_away),
            Route("/home", redirect_home),
            Route("/huge", huge),
            Route("/drip", drip),
            Route("/straddle", straddle, methods=["POST"]),
            Route("/long", long_json),
        ]
    )
    with RunningServer(app) as running:
        yield running


FAST = RateLimit(1000, 1.0)


def make_client(base_url, *, timeout=5.0, rate=FAST, max_body=1_000_000):
    masker = Masker([SECRET])
    deadline = time.monotonic() + 60
    return ApiClient(
        base_url,
        masker=masker,
        pacer=Pacer(rate, deadline),
        pace_key=lambda request: request.headers.get("x-api-key", "anonymous"),
        timeout=timeout,
        deadline_at=deadline,
        max_body=max_body,
    )


def test_pacer_keeps_each_key_within_the_window():
    pacer = Pacer(RateLimit(5, 0.5), time.monotonic() + 30)
    stamps = []
    for _ in range(11):
        with pacer.slot("key"):
            stamps.append(time.monotonic())
    for first, sixth in zip(stamps, stamps[5:], strict=False):
        assert sixth - first >= 0.5
    started = time.monotonic()
    with pacer.slot("another key"):
        assert time.monotonic() - started < 0.1


def test_pacer_counts_a_slow_request_from_its_completion():
    """A request whose response comes late holds its slot until one window after the response:
    the target may have counted it as late as that, so the next one must wait for it."""
    pacer = Pacer(RateLimit(1, 0.3), time.monotonic() + 30)
    with pacer.slot("key"):
        time.sleep(0.4)  # the target may count this request at any moment up to now
        done = time.monotonic()
    with pacer.slot("key"):
        assert time.monotonic() - done >= 0.3


def test_pacer_holds_in_flight_requests():
    """With the window full of requests still in flight, another request waits for one to end."""
    pacer = Pacer(RateLimit(2, 0.2), time.monotonic() + 30)
    pacer.acquire("key")
    pacer.acquire("key")
    threading.Timer(0.3, pacer.release, args=("key",)).start()
    started = time.monotonic()
    pacer.acquire("key")
    assert time.monotonic() - started >= 0.3 + 0.2


def test_pacer_refuses_to_wait_past_the_deadline():
    pacer = Pacer(RateLimit(1, 60), time.monotonic() + 0.3)
    with pacer.slot("key"):
        pass
    with pytest.raises(TargetError, match="deadline"):
        pacer.acquire("key")


def test_exchanges_are_masked_and_counted(server):
    client = make_client(server.base_url)
    response = client.request("GET", "/echo", headers={"X-API-Key": SECRET}, params={"token": SECRET})
    assert response.json()["key"] == SECRET  # the real value is sent...
    exchange = client.exchanges[-1]
    recorded = exchange.as_text() + exchange.curl() + exchange.summary()
    assert SECRET not in recorded  # ...and never recorded
    assert "***" in recorded
    assert client.usage.requests == 1


def test_a_secret_across_the_recorded_cut_leaves_no_part_behind(server):
    client = make_client(server.base_url)
    client.request("POST", "/straddle", content="z" * (RECORDED_BODY - 3) + SECRET)
    exchange = client.exchanges[-1]
    assert SECRET[:5] not in exchange.response_body and SECRET[:3] not in exchange.request_body
    assert exchange.response_body.endswith("x***yy") and len(exchange.response_body) == RECORDED_BODY


def test_redirect_to_another_origin_is_not_followed(server):
    client = make_client(server.base_url)
    response = client.request("GET", "/away", headers={"X-API-Key": SECRET})
    assert response.status_code == 302
    assert client.usage.requests == 1


def test_redirect_within_the_origin_is_followed(server):
    client = make_client(server.base_url)
    response = client.request("GET", "/home", headers={"X-API-Key": SECRET})
    assert response.status_code == 200 and response.json()["path"] == "/echo"


def test_absolute_url_of_another_origin_is_refused(server):
    client = make_client(server.base_url)
    with pytest.raises(TargetError, match="outside the configured origin"):
        client.request("GET", "http://127.0.0.2:9/echo", headers={"X-API-Key": SECRET})


def test_a_bare_origin_takes_only_requests_without_credentials(server):
    """`allow_bare_origin`: another origin (here the same server under another host name) takes
    requests that carry no secret, in a header, the query or the body."""
    client = make_client(server.base_url.replace("127.0.0.1", "localhost"))
    client.allow_bare_origin(server.base_url)
    assert client.request("GET", server.base_url + "/echo").status_code == 200
    for kwargs in (
        {"headers": {"X-API-Key": "anything"}},
        {"headers": {"Authorization": "Basic Zm9vOg=="}},
        {"params": {"token": SECRET}},
        {"headers": {"X-Custom": SECRET}},
    ):
        with pytest.raises(TargetError, match="refused to send credentials"):
            client.request("GET", server.base_url + "/echo", **kwargs)


def test_a_bare_origin_takes_the_one_credential_it_was_allowed(server):
    """`allow_bare_origin(url, carrying=...)`: requests there may carry those values (with a
    scheme name), and nothing else secret; the values stay masked in the record."""
    throwaway = "SECRET-throwaway-token-1234"
    client = make_client(server.base_url.replace("127.0.0.1", "localhost"))
    client.masker.add(throwaway)
    client.allow_bare_origin(server.base_url, carrying=[throwaway])
    response = client.request("GET", server.base_url + "/echo", headers={"X-API-Key": throwaway})
    assert response.json()["key"] == throwaway
    client.request("GET", server.base_url + "/echo", headers={"Authorization": f"Bearer {throwaway}"})
    assert throwaway not in "".join(e.as_text() + e.curl() for e in client.exchanges)
    for kwargs in (
        {"headers": {"X-API-Key": SECRET}},
        {"headers": {"Authorization": f"Bearer {throwaway} {SECRET}"}},
        {"headers": {"X-API-Key": throwaway}, "params": {"token": SECRET}},
        {"headers": {"Cookie": "session=abc"}},
    ):
        with pytest.raises(TargetError, match="refused to send credentials"):
            client.request("GET", server.base_url + "/echo", **kwargs)


def test_oversized_body_is_an_error(server):
    with pytest.raises(TargetError, match="exceeds"):
        make_client(server.base_url).request("GET", "/huge")


def test_dripping_body_ends_at_the_timeout(server):
    started = time.monotonic()
    with pytest.raises(TargetError, match="not complete within"):
        make_client(server.base_url, timeout=1.0).request("GET", "/drip")
    assert time.monotonic() - started < 2.5


def test_connection_refused_is_a_target_error():
    with pytest.raises(TargetError, match="cannot connect"):
        make_client("http://127.0.0.1:9").request("GET", "/")


def test_transport_errors_never_escape_as_httpx_errors(server):
    client = make_client(server.base_url, timeout=0.001)
    try:
        client.request("GET", "/drip")
    except TargetError:
        pass
    except httpx.HTTPError as exc:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"httpx error escaped: {exc!r}")


def test_run_at_the_configured_rate_limit_gets_no_429(tmp_path):
    """The embedded server enforces the configured window per key; the paced run never trips it."""
    config = ProviderConfig(name="coliving", rate_limit=RateLimit(20, 1.0))
    result = run_embedded("coliving", tmp_path, config=config)
    assert result.requests > 40
    assert result.unintended_throttled == 0
    assert all(r.throttled == 0 for r in result.rules if r.rule.area != "ratelimit")


def test_a_recorded_exchange_parses_its_whole_body(server):
    """Observer checks read the whole body of an exchange, not the recorded (cut) text: a JSON
    body longer than RECORDED_BODY parses; one too large to keep says so instead of failing."""
    from apiconform.recording import BodyNotKept

    client = make_client(server.base_url)
    response = client.request("GET", "/long", params={"n": 1000})
    exchange = response.exchange
    assert len(response.content) > RECORDED_BODY and len(exchange.response_body) == RECORDED_BODY
    assert exchange.body_json is True and len(exchange.json()) == 1000
    large = client.request("GET", "/long", params={"n": 4000}).exchange
    assert large.body_json is True
    with pytest.raises(BodyNotKept):
        large.json()
    not_json = client.request("GET", "/drip").exchange
    with pytest.raises(ValueError):
        not_json.json()
