"""Booking messages: de-duplication of the same text within a window (coliving-api.txt,
Idempotency-Key paragraph; the messages section it points to does not exist). The body field
(`message_field`, default "message") and the window (`message_dedup_seconds`, default 60) are
settings; only "a duplicate inside the window creates no second message" is checked. The
response shape is undocumented too: a message's id is read from data.message_id or data.id, and
a rule that needs it is skipped when neither is there.

The body field being undocumented, a first message refused with 400 or 422 says nothing about the
target's conformance: the rules are skipped, naming the field the target named and the setting
(silence point coliving.message-body)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from apiconform.providers.coliving import payloads
from apiconform.providers.coliving.profile import Headers
from apiconform.suite import ApiClient, ApiResponse, Profile, Target, Verdicts, check

ID_FIELDS = ("message_id", "id")


@pytest.fixture(scope="module")
def field(target: Target) -> str:
    return str(target.options.get("message_field", "message"))


@pytest.fixture(scope="module")
def send(client: ApiClient, headers: Headers, field: str, booking_id: Any) -> Callable[..., ApiResponse]:

    def post(text: str, extra_headers: dict[str, str] | None = None, bearer: bool = False) -> ApiResponse:
        """POST `text` as the booking's message (with Authorization: Bearer alone when `bearer`)."""
        sent = {} if bearer else headers()
        return client.request(
            "POST",
            f"/v1/bookings/{booking_id}/messages",
            headers={**sent, **(extra_headers or {})},
            json={field: text},
        )

    return post


def message_id(response: ApiResponse) -> Any:
    data = (response.json_or_none() or {}).get("data")
    if isinstance(data, dict):
        for name in ID_FIELDS:
            if data.get(name) is not None:
                return data[name]
    return None


def created(response: ApiResponse, what: str) -> Any:
    check(200 <= response.status_code < 300, f"{what}: HTTP {response.status_code}, not a 2xx", response)
    return message_id(response)


def first_message(profile: Profile, response: ApiResponse, field: str) -> Any:
    """The id of the first message of a test (None when the response carries none). A 400 or
    422 skips the test: the body field is undocumented, so the target may want another one."""
    if response.status_code in (400, 422):
        named = [str(i.get("path")) for i in profile.error_items(response.json_or_none())]
        pytest.skip(
            f"the target refused a booking message sent as {{{field!r}: <text>}} with HTTP "
            f"{response.status_code} (naming {', '.join(named) or 'no field'}); the document does not "
            "name the message body field: set message_field to the one the target takes"
        )
    return created(response, "POST /v1/bookings/{id}/messages")


@pytest.mark.rule("coliving.messages.duplicate-deduplicated", "coliving.auth.write-bearer-accepted")
def test_same_text_twice(send, profile, field, headers, verdicts: Verdicts):
    """The duplicate goes with Authorization: Bearer (the same API key: "Authentication: API Key"
    and either header form): a duplicate may be refused, but not as unauthenticated."""
    text = f"{payloads.PREFIX}message {payloads.token()}"
    first = send(text)
    first_id = first_message(profile, first, field)
    second = send(text, headers(style="bearer"), bearer=True)
    with verdicts.check("coliving.auth.write-bearer-accepted"):
        check(
            second.status_code not in (401, 403),
            f"POST /v1/bookings/{{id}}/messages with Authorization: Bearer got HTTP {second.status_code}",
            second,
        )
    with verdicts.check("coliving.messages.duplicate-deduplicated"):
        check(second.status_code < 500, f"the duplicate got HTTP {second.status_code}", second)
        if 200 <= second.status_code < 300:
            second_id = message_id(second)
            if first_id is None or second_id is None:
                pytest.skip("the message responses carry no id, so a second message cannot be told apart")
            check(
                second_id == first_id,
                f"the duplicate created message {second_id} beside {first_id}",
                first,
                second,
            )


@pytest.mark.rule("coliving.messages.distinct-text-creates", "coliving.idempotency.messages-ignore-header")
def test_other_text_is_another_message(send, profile, field, verdicts: Verdicts):
    """Two texts within the window, sent with one Idempotency-Key (which the endpoint ignores)."""
    key = f"{payloads.PREFIX}idem-{payloads.token()}"
    first = send(f"{payloads.PREFIX}first {payloads.token()}", {"Idempotency-Key": key})
    first_id = first_message(profile, first, field)
    second = send(f"{payloads.PREFIX}second {payloads.token()}", {"Idempotency-Key": key})
    with verdicts.check("coliving.idempotency.messages-ignore-header"):
        check(
            200 <= second.status_code < 300,
            f"a second text with the same Idempotency-Key got HTTP {second.status_code}: "
            "the header was applied",
            second,
        )
    with verdicts.check("coliving.messages.distinct-text-creates"):
        second_id = created(second, "a different text")
        if first_id is not None and second_id is not None:
            check(
                second_id != first_id,
                f"the different text was taken as a duplicate of {first_id}",
                first,
                second,
            )
