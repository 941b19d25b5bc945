"""POST /v1/listings (the upsert) and PATCH /v1/listings/{id} on the Coliving reference server.

A POST `status` field is ignored (new listings start pending, draft in the quirky variant; an
upsert update keeps the status); a POST with the original_id of an inactive listing of the host
is 409 conflict_error; room types and rooms keep their int ids across updates when their sent
`id` (or, without one, their name) is unchanged; rooms need no name. A PATCH changes only the
fields sent (null removes a nullable one); an original_id already used by another listing of the
host is 422 path original_id code taken. A change that changes nothing answers `unchanged`.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from apiconform.providers.coliving.store import LISTING_STATUSES, Listing
from apiconform.providers.coliving.wire import JSON, ApiError, Ctx, Errors, Resource, Result, validation_error
from apiconform.reference.kit import InjectedFault, is_int

#: fields the alternate variant requires on POST /v1/listings: the starred ones and the
#: "strongly recommended" ones (dotted paths)
ALTERNATE_LISTING_FIELDS = (
    "original_id",
    "original_url",
    "location.country",
    "descriptions.property",
    "media.photos",
)
MATCH_NONE = {"matched": False, "method": None, "confidence": {"level": None, "score": None}}
MATCH_ORIGINAL = {"matched": True, "method": "original_id", "confidence": {"level": "high", "score": 0.92}}
MATCH_ID = {"matched": True, "method": "id", "confidence": {"level": "high", "score": 0.99}}
#: the top-level fields of the Update Listing rows (listing core, prices, room_types, bookings,
#: community / instructions / media / faq / rating) and the identity fields
PATCH_ROW_FIELDS = frozenset(
    {
        "name",
        "status",
        "descriptions",
        "location",
        "prices",
        "room_types",
        "bookings",
        "community",
        "instructions",
        "media",
        "faq",
        "rating",
        "original_id",
        "original_url",
    }
)
#: what patch-drops-unsent-sections keeps of a listing's fields when a PATCH does not send them
KEPT_WHEN_DROPPING = ("name", "room_types", "original_id", "original_url")
#: the largest base_price the base-price-max-100000 fault takes
FAULT_MAX_BASE_PRICE = 100_000


def is_number(value: JSON) -> bool:
    """A JSON number (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def merged(stored: JSON, sent: JSON) -> JSON:
    """`sent` merged into `stored` key by key where both are objects (null removes a key); any
    other value replaces the stored one (the alternate variant's PATCH of nested objects)."""
    if not isinstance(stored, dict) or not isinstance(sent, dict):
        return sent
    result = dict(stored)
    for key, value in sent.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merged(result.get(key), value)
    return result


def dotted(body: dict[str, JSON], path: str) -> JSON:
    """The value at a dotted path of `body`, or None."""
    value: JSON = body
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


class ListingWrites(Resource):
    """Listing upserts and patches: their validation, matching and results."""

    def upsert_result(self, row: Listing, action: str, match: dict[str, JSON]) -> dict[str, JSON]:
        data: dict[str, JSON] = {
            "id": row.id,
            "unique_id": row.unique_id,
            "original_id": row.original_id,
            "name": row.fields.get("name"),
            "listing_status": row.status,
            "action": action,
            "room_types_count": len(row.room_types),
            "match": copy.deepcopy(match),
            "links": {"preview": f"https://coliving.com/spaces/{self.preview_slug(row)}?preview=true"},
            "updated_at": self.wire.stamp(row.updated_at, micro=False),
        }
        if self.alternate and row.original_id is None:
            del data["original_id"]
        if "upsert-result-without-match" in self.faults:
            del data["match"]
        return data

    def preview_slug(self, row: Listing) -> str:
        return str(row.id) if "preview-link-by-id" in self.faults else row.unique_id

    def validate_listing(self, body: dict[str, JSON], *, partial: bool) -> Errors:
        """POST (every required field) or PATCH (`partial`: only the sent fields, null rejected) errors."""
        errors = Errors()
        if "name" in body or not partial:
            name = body.get("name")
            if name is None:
                if partial and "patch-null-accepted" not in self.faults:
                    errors.add("name", "invalid", "The name field cannot be null.")
                elif not partial and "listing-name-optional" not in self.faults:
                    errors.add("name", "required", "The name field is required.")
            elif not isinstance(name, str):
                errors.add("name", "invalid", "The name field must be a string.")
            elif not name.strip():
                errors.add("name", "required", "The name field is required.")
        original_id = body.get("original_id")
        if original_id is not None and (not isinstance(original_id, str) or not 1 <= len(original_id) <= 255):
            errors.add(
                "original_id", "invalid", "The original_id field must be a string of 1-255 characters."
            )
        if partial and "status" in body and body["status"] not in LISTING_STATUSES:
            errors.add(
                "status", "invalid", f"The status field must be one of: {', '.join(LISTING_STATUSES)}."
            )
        elif partial and self.alternate and body.get("status") == "published":
            errors.add("status", "forbidden", "Listings are published by the platform after review.")
        recommended_required = self.alternate or "recommended-fields-required" in self.faults
        if recommended_required and not partial:  # the "strongly recommended" fields are required
            for path in ALTERNATE_LISTING_FIELDS:
                if dotted(body, path) in (None, "", [], {}):
                    errors.add(path, "required", f"The {path} field is required.")
        if (
            not partial
            and isinstance(body.get("instructions"), dict)
            and "sample-field-refused" in self.faults
        ):
            errors.add("instructions.check_in_earliest", "date_format", "Times must be given as HH:MM:SS.")
        if partial and "patch-full-refused" in self.faults:
            for name in sorted(set(body) - PATCH_ROW_FIELDS):
                errors.add(name, "prohibited", f"The {name} field cannot be changed with PATCH.")
        if "room_types" in body or not partial:
            room_types = body.get("room_types")
            empty_ok = "room-types-empty-accepted" in self.faults
            if room_types is None:
                if partial:
                    errors.add("room_types", "invalid", "The room types field cannot be null.")
                elif not empty_ok:
                    errors.add("room_types", "required", "The room types field is required.")
            elif not isinstance(room_types, list):
                errors.add("room_types", "invalid", "The room types field must be an array.")
            elif not room_types and not empty_ok:
                errors.add("room_types", "min", "At least one room type entry is required.")
            else:
                for n, room_type in enumerate(room_types):
                    self.validate_room_type(errors, f"room_types.{n}", room_type, partial)
        return errors

    def validate_room_type(self, errors: Errors, path: str, room_type: JSON, partial: bool) -> None:
        if not isinstance(room_type, dict):
            errors.add(path, "invalid", "Each room type must be an object.")
            return

        def absent(container: dict[str, JSON], name: str, where: str, label: str) -> None:
            if partial and name in container:
                errors.add(where, "invalid", f"The {label} field cannot be null.")
            else:
                errors.add(where, "required", f"The {label} field is required.")

        unchecked = "room-type-fields-unchecked" in self.faults
        name = room_type.get("name")
        if name is None:
            if not unchecked:
                absent(room_type, "name", f"{path}.name", "room type name")
        elif not isinstance(name, str) or not name.strip():
            errors.add(f"{path}.name", "invalid", "The room type name must be a non-empty string.")
        kind = room_type.get("room_type")
        allowed = ("private",) if "shared-room-type-refused" in self.faults else ("private", "shared")
        if kind is None:
            if not unchecked:
                absent(room_type, "room_type", f"{path}.room_type", "room_type")
        elif kind not in allowed and "room-type-unchecked" not in self.faults:
            errors.add(f"{path}.room_type", "invalid", f"The room_type must be one of: {', '.join(allowed)}.")
        prices = room_type.get("prices")
        fractions = "base-price-fraction-accepted" in self.faults
        if prices is None:
            if not unchecked:
                absent(room_type, "prices", f"{path}.prices.base_price", "base price")
        elif not isinstance(prices, dict):
            errors.add(f"{path}.prices", "invalid", "The prices field must be an object.")
        elif prices.get("base_price") is None:
            if not unchecked:
                absent(prices, "base_price", f"{path}.prices.base_price", "base price")
        elif not is_int(prices["base_price"]) and not (fractions and is_number(prices["base_price"])):
            errors.add(f"{path}.prices.base_price", "invalid", "The base price must be an integer.")
        elif prices["base_price"] < 1 and "base-price-zero-accepted" not in self.faults:
            errors.add(f"{path}.prices.base_price", "min", "The base price must be at least 1.")
        elif prices["base_price"] > FAULT_MAX_BASE_PRICE and "base-price-max-100000" in self.faults:
            errors.add(f"{path}.prices.base_price", "max", "The base price may not be greater than 100000.")
        rooms = room_type.get("rooms")
        if rooms is not None and not isinstance(rooms, list):
            errors.add(f"{path}.rooms", "invalid", "The rooms field must be an array.")
        for m, room in enumerate(rooms if isinstance(rooms, list) else []):
            if not isinstance(room, dict):
                errors.add(f"{path}.rooms.{m}", "invalid", "Each room must be an object.")
            elif room.get("name") is not None and not isinstance(room["name"], str):
                errors.add(f"{path}.rooms.{m}.name", "invalid", "The room name must be a string.")

    def upsert_listing(self, ctx: Ctx, params: dict[str, str]) -> Result:
        body = ctx.json()
        self.validate_listing(body, partial=False).raise_if_any()
        fields = {name: value for name, value in body.items() if name != "status"}
        if fields.get("name") is None:  # only with listing-name-optional
            fields["name"] = ""
        if fields.get("room_types") is None:  # only with room-types-empty-accepted
            fields["room_types"] = []
        if fields.get("original_id") is None:
            fields.pop("original_id", None)
        now = datetime.now(UTC)
        original_id = fields.get("original_id")
        match = None
        if isinstance(original_id, str):
            every_host = "upsert-match-any-host" in self.faults
            match = self.store.find_by_original(original_id, None if every_host else ctx.host_id)
        if match is not None and match.status != "inactive" and "upsert-never-matches" in self.faults:
            match = None
        if match is None and self.alternate and isinstance(original_id, str):
            held = self.store.find_by_original(original_id, None)  # original_ids unique across hosts
            if held is not None and held.host_id != ctx.host_id:
                raise validation_error("original_id", "taken", "This original_id is used by another host.")
        if match is None:
            row = self.store.add_listing(ctx.host_id, fields, "draft" if self.quirky else "pending", now)
            status = 200 if "upsert-create-200" in self.faults else 201
            match_answered = MATCH_ORIGINAL if "upsert-match-on-create" in self.faults else MATCH_NONE
            return Result(status, self.upsert_result(row, "created", match_answered), kind="listing_upsert")
        if match.status == "inactive" and "upsert-inactive-updated" not in self.faults:
            raise self.inactive_conflict(match)
        if "upsert-update-not-stored" in self.faults:
            action = "updated"
        else:
            changed = self.store.update_listing(match, {**match.fields, **fields}, match.status, now)
            action = "updated" if changed else "unchanged"
        return Result(200, self.upsert_result(match, action, MATCH_ORIGINAL), kind="listing_upsert")

    def inactive_conflict(self, match: Listing) -> ApiError:
        if "upsert-inactive-422" in self.faults:
            return validation_error("original_id", "invalid", "The matched listing is inactive.")
        message = "A listing with this external identity already exists for this host but is inactive."
        if "conflict-type" in self.faults:
            return ApiError(409, "conflict", message)
        if "conflict-entries-missing" in self.faults:
            return ApiError(409, "conflict_error", message, [("listing_id", "conflict", str(match.id))])
        return ApiError(
            409,
            "conflict_error",
            message,
            [
                ("action", "conflict", "skipped"),
                ("listing_id", "conflict", str(match.id)),
                ("match.matched", "conflict", "true"),
                ("match.method", "conflict", "original_id"),
                ("match.confidence.level", "conflict", "high"),
                ("match.confidence.score", "conflict", "0.92"),
            ],
        )

    def patch_listing(self, ctx: Ctx, params: dict[str, str]) -> Result:
        raw = params["id"]
        row = self.store.listings.get(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        if row is None:
            if "unknown-listing-500" in self.faults:
                raise InjectedFault(f"listing {raw} does not exist")
            type_ = "listing_not_found" if "unknown-listing-type" in self.faults else "not_found"
            raise ApiError(404, type_, "Listing not found or unauthorized")
        foreign = row.host_id != ctx.host_id
        if (
            foreign
            and "patch-any-host" not in self.faults
            and "patch-other-host-applied-404" not in self.faults
        ):
            if "patch-other-host-403" in self.faults:
                raise ApiError(403, "forbidden", "This listing belongs to another host.")
            raise ApiError(404, "not_found", "Listing not found or unauthorized")
        body = ctx.json()
        if self.alternate and not body:
            raise validation_error("body", "required", "At least one field must be sent.")
        errors = self.validate_listing(body, partial=True)
        original_id = body.get("original_id")
        if isinstance(original_id, str) and not errors.has("original_id"):
            other = self.store.find_by_original(original_id, row.host_id)
            if other is not None and other.id != row.id:
                errors.add(
                    "original_id", "taken", "Another listing of this host already has this original_id."
                )
        errors.raise_if_any()
        sent = {name: value for name, value in body.items() if name != "status"}
        status = body.get("status", row.status)
        if "patch-replaces" in self.faults:
            fields: dict[str, JSON] = {"name": row.fields.get("name"), "room_types": []}
            status = body.get("status", "draft")
        elif "patch-drops-unsent-sections" in self.faults:
            fields = {name: row.fields[name] for name in KEPT_WHEN_DROPPING if name in row.fields}
        else:
            fields = dict(row.fields)
        for name, value in sent.items():
            if value is None and name != "name":  # name null only gets here with patch-null-accepted
                fields.pop(name, None)
            elif self.alternate:  # nested objects merged key by key [patch-nesting]
                fields[name] = merged(fields.get(name), value)
            else:
                fields[name] = value
        if "patch-not-stored" in self.faults:
            action = "updated"
        else:
            changed = self.store.update_listing(row, fields, status, datetime.now(UTC))
            action = "updated" if changed or "patch-always-updated" in self.faults else "unchanged"
        if "patch-action-created" in self.faults:
            action = "created"
        if foreign and "patch-other-host-applied-404" in self.faults:
            raise ApiError(404, "not_found", "Listing not found or unauthorized")
        return Result(200, self.upsert_result(row, action, MATCH_ID), kind="listing_upsert")
