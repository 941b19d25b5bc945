"""The date helpers Coliving's echo and order checks use, over every ISO 8601 form they meet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from apiconform.checks.iso8601 import parse_date_time, same_date


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-04-06T10:15:05Z", datetime(2026, 4, 6, 10, 15, 5, tzinfo=UTC)),
        ("2026-04-19T02:18:50.000000Z", datetime(2026, 4, 19, 2, 18, 50, tzinfo=UTC)),
        ("2026-04-06 10:15:05", datetime(2026, 4, 6, 10, 15, 5)),
        ("20260406T101505+0200", datetime(2026, 4, 6, 10, 15, 5, tzinfo=timezone(timedelta(hours=2)))),
        ("2026-04-06T10:15:05,5z", datetime(2026, 4, 6, 10, 15, 5, 500000, tzinfo=UTC)),
        ("2026-04-06T10:15:05.1234567Z", datetime(2026, 4, 6, 10, 15, 5, 123456, tzinfo=UTC)),
        ("2026-04-06", datetime(2026, 4, 6)),
    ],
)
def test_iso8601_forms_parse_to_their_moment(text, moment):
    assert parse_date_time(text) == moment


@pytest.mark.parametrize("text", ["2026-13-01T00:00:00Z", "06/04/2026", "", "2026-04-06T25:00", 20260406])
def test_what_is_not_iso8601_does_not_parse(text):
    assert parse_date_time(text) is None


def test_a_date_echoed_as_midnight_is_the_same_date():
    assert same_date("2026-05-01", "2026-05-01")
    assert same_date("2026-05-01T00:00:00.000000Z", "2026-05-01")
    assert not same_date("2026-05-01T12:00:00Z", "2026-05-01")
    assert not same_date("2026-05-02", "2026-05-01")
