"""Dates and times as documents print them: ISO 8601 (which many documents name, or show by
example) is wider than RFC 3339 (what JSON Schema's `date-time` format checks). A MUST that rests
on an example or on the words "ISO 8601" accepts every ISO 8601 date-time; RFC 3339 is at most a
SHOULD.

Accepted date-times: a calendar date and a time of day, in the extended form (`2026-04-06T10:15`,
`2026-04-06T10:15:05.123456Z`, `2026-04-06 10:15:05+02:00`: `T` or a space between them, as
RFC 3339 section 5.6 and Laravel's `toDateTimeString` allow) or the basic form
(`20260406T101505Z`), seconds and fractions (with `.` or `,`) optional, and a UTC offset `Z`,
`+hh:mm`, `+hhmm` or `+hh`, or none (local time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from apiconform.checks.expect import check
from apiconform.client import ApiResponse

_EXTENDED = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)
_BASIC = re.compile(r"\d{8}[Tt]\d{4}(?:\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}(?:\d{2})?)?")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")
_FRACTION = re.compile(r"[.,](\d+)")


def parse_date_time(value: object) -> datetime | None:
    """`value` as a datetime (aware when it carries an offset), or None when it is not an
    ISO 8601 date-time with a valid date and time."""
    if not isinstance(value, str) or not (_EXTENDED.fullmatch(value) or _BASIC.fullmatch(value)):
        return None
    text = value.upper().replace("Z", "+00:00")
    # fromisoformat takes at most 6 fraction digits and only "." before them
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def is_date_time(value: object) -> bool:
    """Whether `value` is an ISO 8601 date-time (see the module docstring)."""
    return parse_date_time(value) is not None


def is_rfc3339(value: object) -> bool:
    """Whether `value` is an RFC 3339 date-time (`full-date "T" full-time` with seconds and an
    offset), as JSON Schema's `date-time` format has it."""
    return isinstance(value, str) and bool(_RFC3339.fullmatch(value)) and is_date_time(value)


def same_date(answered: object, sent: str) -> bool:
    """Whether `answered` is the date `sent` (YYYY-MM-DD): the same text, or a date-time at
    midnight of that date (how Laravel's `date` cast serialises a date)."""
    if answered == sent:
        return True
    moment = parse_date_time(answered)
    return (
        moment is not None
        and moment.date().isoformat() == sent
        and (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)
    )


def check_rfc3339(stamps: Mapping[str, object], what: str, response: ApiResponse) -> None:
    """Every non-null value of `stamps` (field name -> value) is an RFC 3339 date-time."""
    bad = [
        f"{name} {value!r}" for name, value in stamps.items() if value is not None and not is_rfc3339(value)
    ]
    check(not bad, f"{what}: not RFC 3339 date-times: {', '.join(bad[:4])}", response)
