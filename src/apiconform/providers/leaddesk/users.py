"""Users of the LeadDesk reference server (also listed as agents): `POST /users` creates one.

A user is `{id, username, email, created_at}` with `_links: {self, custom_fields}`. POST /users
`{username}` (the document's example): a non-empty string of at most 255 characters no other user
has; the email is `<username>@example.com`. GET /users, /agents and /users/{id}, DELETE
/users/{id} are the shared collection, read and delete handlers (`paging`, `objects`).
"""

from __future__ import annotations

from apiconform.providers.leaddesk.objects import MAX_NAME, Family
from apiconform.providers.leaddesk.store import now
from apiconform.providers.leaddesk.wire import Answer, Ctx, is_utf8
from apiconform.reference.kit import InjectedFault


class Users(Family):
    """The user handlers of one server."""

    def create(self, ctx: Ctx) -> Answer:
        """POST /users `{username}` (the document's example): username a non-empty string of at
        most 255 characters that no other user has."""
        body = self.wire.json_object(ctx)
        problems = self.wire.problems()
        username = body.get("username")
        if username is None and "missing-field-500" in self.faults:
            raise InjectedFault("POST /users without a username")
        if "create-ignores-body" in self.faults:  # a name of the server's own instead
            username = f"user-{self.store.next_user_id:02d}"
        if username is None or username == "":
            problems.add("username", "The username field is required.")
        elif not isinstance(username, str):
            problems.add("username", "The username must be a string.")
        elif len(username) > MAX_NAME or not is_utf8(username):
            problems.add("username", f"The username must be UTF-8 text of at most {MAX_NAME} characters.")
        elif any(user.username == username for user in self.store.users.values()):
            problems.add("username", self.wire.message("username-taken"))
        problems.raise_if_any()
        user = self.store.add_user(str(username), f"{username}@example.com", now())
        return self.objects.created(ctx, "users", user)
