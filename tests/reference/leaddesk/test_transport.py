"""How the LeadDesk reference server is deployed (apiconform.providers.leaddesk.transport): the API
over HTTPS, a plain-HTTP listener that refuses service in each variant's way, and the token
lifetime an embedded run asks for."""

from __future__ import annotations

import ssl

import httpx
import pytest

from apiconform.providers.leaddesk.profile import LeadDeskProfile
from apiconform.providers.leaddesk.transport import start_deployment
from apiconform.reference.serving import ServerOptions, Variant
from tests.reference.leaddesk.helpers import CREDS, grant


def deployed(variant: Variant = "clean", faults: tuple[str, ...] = ()) -> tuple[str, httpx.Response | str]:
    """The deployment's base URL, and what a plain GET /stable/users got (an exception's name when
    no HTTP answer came)."""
    deployment = start_deployment(ServerOptions(credentials=CREDS, variant=variant, faults=frozenset(faults)))
    try:
        try:
            answer: httpx.Response | str = httpx.get(
                deployment.settings["plain_http_url"] + "/users?per_page=1", timeout=5
            )
        except httpx.HTTPError as exc:
            answer = type(exc).__name__
        trust = (
            ssl.create_default_context(cafile=str(deployment.verify))
            if deployment.verify is not True
            else True
        )
        with httpx.Client(verify=trust) as client:  # the API answers over its scheme, the test CA trusted
            token = client.post(deployment.base_url + "/oauth/access-token", json=grant())
            assert token.status_code in (200, 201)
        return deployment.base_url, answer
    finally:
        deployment.stop()


def test_the_api_is_served_over_https_and_plain_http_is_redirected_without_data() -> None:
    base, answer = deployed()
    assert base.startswith("https://") and base.endswith("/stable")
    assert isinstance(answer, httpx.Response) and answer.status_code == 301 and answer.content == b""
    assert answer.headers["location"] == base + "/users?per_page=1"


def test_the_quirky_listener_answers_https_required() -> None:
    _, answer = deployed("quirky")
    assert isinstance(answer, httpx.Response) and answer.status_code == 403
    assert answer.json()["error"] == "https_required"


def test_the_alternate_plain_http_url_gets_no_http_answer() -> None:
    _, answer = deployed("alternate")
    assert isinstance(answer, str)


@pytest.mark.parametrize(
    ("fault", "scheme", "status"),
    [("plain-http-only", "http", 401), ("plain-http-serves-data", "https", 200)],
)
def test_the_transport_faults(fault: str, scheme: str, status: int) -> None:
    base, answer = deployed(faults=(fault,))
    assert base.startswith(f"{scheme}://")
    assert isinstance(answer, httpx.Response) and answer.status_code == status


def test_an_embedded_run_asks_for_tokens_a_second_shorter_than_its_wait() -> None:
    profile = LeadDeskProfile()
    assert profile.embedded_server_settings({}) == {}
    assert profile.embedded_server_settings({"token_expiry_wait": 3}) == {"token_lifetime": 2.0}
    assert profile.embedded_server_settings({"token_expiry_wait": "1.5"}) == {"token_lifetime": 1.0}
