"""ISO 8601 dates and date-times, in every form the standard gives, not only RFC 3339's profile.

A document that says "ISO 8601" allows more than JSON Schema's `format: date-time` (RFC 3339):
the basic format (`20181230T161840+0200`), a local time without a zone (`2018-12-30T16:18:40`),
reduced precision (`2018-12-30T16:18`, `2018-12`), a comma as the decimal sign, ordinal
(`2018-364`) and week dates (`2018-W52-7`). `iso8601_problem` accepts all of them and refuses
anything else; `rfc3339_problem` is the narrower profile (RFC 3339 section 5.6), for SHOULD
rules that ask for the form a document's example shows.

A space between date and time is also accepted: RFC 3339 allows it "for the sake of
readability", and widespread "ISO format" writers (SQL, Python's `isoformat(" ")`) use it.
No library on the dependency list checks the whole of ISO 8601 (`datetime.fromisoformat` accepts
any separator character and a trailing decimal sign), so the grammar is spelled out here and the
calendar is left to `datetime`.

`parse_date_time`, `same_date` and `check_rfc3339` serve documents that show dates by example
(Coliving): an echoed date may come back as a date-time at midnight, and ordering compares the
moments, whatever ISO 8601 form each is written in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from rfc3339_validator import validate_rfc3339

from apiconform.checks.expect import check
from apiconform.client import ApiResponse

_DATES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "calendar"),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), "calendar"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})-(\d{3})"), "ordinal"),
    (re.compile(r"(\d{4})(\d{3})"), "ordinal"),
    (re.compile(r"(\d{4})-W(\d{2})(?:-(\d))?"), "week"),
    (re.compile(r"(\d{4})W(\d{2})(\d)?"), "week"),
    (re.compile(r"(\d{4})"), "year"),
)
_ZONE = r"(?P<zone>[Zz]|[+-](?P<zh>\d{2})(?::?(?P<zm>\d{2}))?)?"
_TIMES = (
    re.compile(r"(?P<h>\d{2})(?::(?P<m>\d{2})(?::(?P<s>\d{2}))?)?(?P<f>[.,]\d+)?" + _ZONE),  # extended
    re.compile(r"(?P<h>\d{2})(?:(?P<m>\d{2})(?P<s>\d{2})?)?(?P<f>[.,]\d+)?" + _ZONE),  # basic
)
_SEPARATOR = re.compile(r"[Tt ]")


def _date_problem(text: str) -> str | None:
    for pattern, kind in _DATES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year, *rest = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            if kind == "calendar":
                date(year, rest[0] or 0, rest[1] or 0)
            elif kind == "month" and not 1 <= (rest[0] or 0) <= 12:
                return f"month {rest[0]} does not exist"
            elif kind == "ordinal" and not 1 <= (rest[0] or 0) <= (366 if _leap(year) else 365):
                return f"day {rest[0]} of {year} does not exist"
            elif kind == "week":
                date.fromisocalendar(year, rest[0] or 0, rest[1] or 1)
        except ValueError as exc:
            return str(exc)
        return None
    return f"{text!r} is no date form of the standard"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _time_problem(text: str) -> str | None:
    match = next((m for pattern in _TIMES if (m := pattern.fullmatch(text))), None)
    if match is None:
        return f"{text!r} is no time-of-day form of the standard"
    hour, minute, second = (int(match[name] or 0) for name in ("h", "m", "s"))
    if hour == 24:
        if minute or second or (match["f"] and int(match["f"][1:])):
            return "24 is only an hour of 24:00:00 (the end of the day)"
    elif hour > 23:
        return f"hour {hour} does not exist"
    if minute > 59 or second > 60:
        return "minutes above 59 or seconds above 60"
    if match["zone"] not in (None, "Z", "z") and (int(match["zh"]) > 23 or int(match["zm"] or 0) > 59):
        return f"the offset {match['zone']} does not exist"
    return None


def iso8601_problem(text: str) -> str | None:
    """Why `text` is not an ISO 8601 date or date-time (None when it is one). Accepted: a date in
    calendar, ordinal or week form, basic or extended, full or reduced to a month or a year;
    optionally `T` (or a space) and a time of day (hh, hh:mm, hh:mm:ss or basic hhmmss, with a
    decimal fraction after the last, `.` or `,`) and a zone (`Z`, `+hh`, `+hh:mm`, `+hhmm`)."""
    parts = _SEPARATOR.split(text, maxsplit=1)
    problem = _date_problem(parts[0])
    if problem is None and len(parts) == 2:
        problem = _time_problem(parts[1])
    return None if problem is None else f"{text!r} is not ISO 8601 ({problem})"


def rfc3339_problem(text: str) -> str | None:
    """Why `text` is not an RFC 3339 date-time (extended ISO 8601 with seconds and a zone), or None."""
    return None if validate_rfc3339(text) else f"{text!r} is not an RFC 3339 date-time"


_FRACTION = re.compile(r"[.,](\d+)")


def parse_date_time(value: object) -> datetime | None:
    """`value` as a datetime (aware when it carries a zone; a date alone is its midnight), or None
    when it is not ISO 8601 or is a form `datetime` cannot place (reduced, ordinal)."""
    if not isinstance(value, str) or iso8601_problem(value) is not None:
        return None
    # fromisoformat takes at most 6 fraction digits and only "." before them
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), value, count=1)
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None


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
        f"{name} {value!r}"
        for name, value in stamps.items()
        if value is not None and (not isinstance(value, str) or rfc3339_problem(value) is not None)
    ]
    check(not bad, f"{what}: not RFC 3339 date-times: {', '.join(bad[:4])}", response)
