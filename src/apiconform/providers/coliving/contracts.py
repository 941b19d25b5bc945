"""What the Coliving response examples fix for an object the suite just created through the API
(coliving-api.txt: Create User and Create Booking, Success (201)), as comparisons that list where a
created object departs from them.

The decision per example value (fixed, or an illustration checked by its form only, or not at
all) is recorded in suites/coliving/statements.toml; the values a run cannot know (ids, the
client's address, the moment of creation) are held to their form.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from typing import Any

from apiconform.checks.iso8601 import parse_date_time, same_date

#: Create User: the values the response example fixes for a user just created through the API
USER_FIXED = {"role_name": "user", "lifecycle": "subscriber", "email_verified_at": None, "login_amount": 1}
#: the profile fields a created user carries as sent ("proper name formatting" may re-case names)
USER_ECHOED = ("phone", "gender", "country", "city", "timezone", "language")
USER_NAMES = ("first_name", "last_name")
USER_TIMESTAMPS = ("login_at", "created_at", "updated_at")
#: Create Booking: what a booking created through the API carries, in data and in data.meta
BOOKING_API_VALUES = {"type": "api_booking", "source": "api", "api_created": True}
#: lifecycle moments a booking just created has not reached (null in the example)
BOOKING_NOT_YET = (
    "paid_at",
    "paid_to_host_at",
    "invoiced_at",
    "canceled_at",
    "missed_at",
    "extended_at",
    "recurring_at",
)


def utc_problem(value: Any) -> str | None:
    """Why `value` is not a date-time in UTC (an offset of zero, like the examples' Z), or None."""
    moment = parse_date_time(value)
    if moment is None:
        return f"{value!r} is not a date-time"
    offset = moment.utcoffset()
    if offset is None or offset.total_seconds() != 0:
        return f"{value!r} is not in UTC"
    return None


def _fixed(data: dict[str, Any], fixed: dict[str, Any], prefix: str = "") -> list[str]:
    return [
        f"{prefix}{k} is {data[k]!r}, not {v!r}"
        if k in data
        else f"{prefix}{k} is absent (the example has {v!r})"
        for k, v in fixed.items()
        if k not in data or data[k] != v
    ]


def user_echo_differences(sent: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """The sent profile fields the created user does not carry (names compared without letter
    case, the date of birth as a date: see coliving.timestamp-format)."""
    changed = [k for k in USER_ECHOED if data.get(k) != sent[k]]
    changed += [k for k in USER_NAMES if str(data.get(k)).casefold() != sent[k].casefold()]
    changed += [] if same_date(data.get("date_of_birth"), sent["date_of_birth"]) else ["date_of_birth"]
    return [f"{k}: sent {sent[k]!r}, got {data.get(k)!r}" for k in changed]


def user_differences(data: dict[str, Any]) -> list[str]:
    """Where a created user departs from what the Create User response example fixes: role_name,
    lifecycle, email_verified_at and login_amount as the example has them, login_ip an IP address,
    name the first and last name joined (letter case aside: "proper name formatting"), login_at,
    created_at and updated_at in UTC."""
    found = _fixed(data, USER_FIXED)
    try:
        ipaddress.ip_address(str(data.get("login_ip")))
    except ValueError:
        found.append(f"login_ip {data.get('login_ip')!r} is not an IP address")
    joined = " ".join(str(data.get(k, "")) for k in USER_NAMES)
    if str(data.get("name", "")).casefold().split() != joined.casefold().split():
        found.append(f"name {data.get('name')!r} is not first_name and last_name joined ({joined!r})")
    found += [f"{k}: {problem}" for k in USER_TIMESTAMPS if (problem := utc_problem(data.get(k)))]
    return found


def booking_differences(sent: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """Where a created booking departs from what the Create Booking response example fixes: type,
    source and api_created (in data and data.meta, special_requests null there as in data), the
    nights between the dates sent, nothing paid, invoiced, canceled, missed, extended or recurring
    yet, created_at and updated_at in UTC."""
    found = _fixed(data, BOOKING_API_VALUES)
    raw = data.get("meta")
    meta: dict[str, Any] = raw if isinstance(raw, dict) else {}
    found += _fixed(
        meta,
        {**{k: BOOKING_API_VALUES[k] for k in ("source", "api_created")}, "special_requests": None},
        "meta.",
    )
    days = (date.fromisoformat(sent["checkout_at"]) - date.fromisoformat(sent["checkin_at"])).days
    if data.get("nights") != days:
        found.append(f"nights is {data.get('nights')!r} for a {days}-night stay")
    found += [f"{k} is {data[k]!r}, not null" for k in BOOKING_NOT_YET if data.get(k) is not None]
    found += [
        f"{k}: {problem}" for k in ("created_at", "updated_at") if (problem := utc_problem(data.get(k)))
    ]
    return found


def booking_value_differences(data: dict[str, Any]) -> list[str]:
    """Where a created booking departs from what the example shows without fixing it: status 1,
    booking_no BKG-<booking_id>, an upper-case currency code, price_total = price +
    service_fee_total."""
    found = []
    if data.get("status") != 1:
        found.append(f"status is {data.get('status')!r}, not 1")
    if data.get("booking_no") != f"BKG-{data.get('booking_id')}":
        found.append(f"booking_no {data.get('booking_no')!r} is not BKG-<booking_id>")
    if not re.fullmatch(r"[A-Z]{3}", str(data.get("currency"))):
        found.append(f"currency {data.get('currency')!r} is not an upper-case currency code")
    price, fee, total = data.get("price"), data.get("service_fee_total"), data.get("price_total")
    numbers = [v for v in (price, fee, total) if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != 3 or numbers[0] + numbers[1] != numbers[2]:
        found.append(f"price_total {total!r} is not price {price!r} plus service_fee_total {fee!r}")
    return found
