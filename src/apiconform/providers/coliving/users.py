"""POST /v1/users on the Coliving reference server: platform-wide users.

Email needs one `@` with text on both sides and no whitespace and is unique case-insensitively;
password >= 8 characters; optional profile fields must be strings (null means absent); name is
"first last" with the first letter of every word upper-cased; login_ip is the client address.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from apiconform.providers.coliving.wire import JSON, Ctx, Errors, Resource, Result, parse_date

USER_PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "date_of_birth",
    "gender",
    "country",
    "city",
    "timezone",
    "language",
)
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+")


def proper_name(*parts: JSON) -> str:
    """ "first last" trimmed, with the first letter of every word upper-cased."""
    words = " ".join(p for p in parts if isinstance(p, str)).split()
    return " ".join(w[:1].upper() + w[1:] for w in words)


class Users(Resource):
    """Users: their validation and creation."""

    def validate_user(self, body: dict[str, JSON], *, check_taken: bool) -> Errors:
        errors = Errors()
        if self.alternate:  # every field of the request example is required
            for name in ("password", *USER_PROFILE_FIELDS):
                if body.get(name) is None:
                    errors.add(name, "required", f"The {name} field is required.")
        email = body.get("email")
        if email is None:
            if "users-email-optional" not in self.faults:
                code = "required" if self.quirky or self.alternate else "invalid"
                errors.add("email", code, "Email address is required.")
        elif not isinstance(email, str) or not EMAIL_RE.fullmatch(email):
            errors.add("email", "invalid", "Email address is invalid.")
        elif check_taken and email.lower() in self.store.users_by_email:
            errors.add("email", "taken", "Email address has already been taken.")
        password = body.get("password")
        if password is None:
            if not self.alternate:
                errors.add("password", "invalid", "Password is required.")
        elif not isinstance(password, str) or len(password) < 8:
            errors.add("password", "invalid", "Password must be a string of at least 8 characters.")
        for name in USER_PROFILE_FIELDS:
            value = body.get(name)
            if value is not None and not isinstance(value, str):
                errors.add(name, "invalid", f"The {name} field must be a string.")
        dob = body.get("date_of_birth")
        if isinstance(dob, str) and parse_date(dob) is None:
            errors.add("date_of_birth", "invalid", "Date of birth must be a date in YYYY-MM-DD format.")
        return errors

    def create_user(self, ctx: Ctx, params: dict[str, str]) -> Result:
        body = ctx.json()
        self.validate_user(body, check_taken=True).raise_if_any()
        email = body.get("email")
        now = self.wire.stamp(datetime.now(UTC), micro=True)
        client = ctx.request.client
        user_id = self.store.next_id("user")
        record: dict[str, JSON] = {
            "user_id": user_id,
            "name": proper_name(body.get("first_name"), body.get("last_name")),
            "email": email,
            **{name: body.get(name) for name in USER_PROFILE_FIELDS},
            "status": 1,
            "role_name": "user",
            "lifecycle": "subscriber",
            "email_verified_at": None,
            "login_at": now,
            "login_amount": 1,
            "login_ip": client.host if client else "127.0.0.1",
            "source": "api",
            "api_created": True,
            "created_at": now,
            "updated_at": now,
        }
        if self.alternate:  # "proper name formatting" of the names too; the date as a date-time
            record["first_name"] = proper_name(body.get("first_name")) or None
            record["last_name"] = proper_name(body.get("last_name")) or None
            record["date_of_birth"] = self.wire.day(body.get("date_of_birth"))
        self.store.add_user(user_id, email, record)
        data = dict(record)
        if "users-names-swapped" in self.faults:
            data["first_name"], data["last_name"] = record["last_name"], record["first_name"]
        if "users-inactive" in self.faults:
            data["status"] = 0
        if "users-password-echoed" in self.faults:
            data["password"] = body.get("password")
        if "users-login-amount-zero" in self.faults:
            data["login_amount"] = 0
        if "users-id-string" in self.faults:
            data["user_id"] = str(user_id)
        return Result(200 if "users-200" in self.faults else 201, data, kind="user")
