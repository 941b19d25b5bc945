"""GET (and HEAD) /v1/listings on the Coliving reference server: the host's listings, filtered,
ordered and paged.

Unknown parameters are ignored; a scalar parameter given twice is 422; a bad `listing_status[]`
value is reported with path listing_status; comma lists are not split; name order and q matching
are case-insensitive (casefolded; binary in the quirky variant, accent-insensitive in the
alternate one); pages past the end are empty (200, the same total); `order` without `sort` is
ignored. The default order is status rank, name, updated_at desc, id. The sorted rows of the last
queries are kept until a listing changes, so that paging stays cheap.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from apiconform.providers.coliving.store import LISTING_STATUSES, STATUS_RANK, Listing, Store
from apiconform.providers.coliving.wire import JSON, ApiError, Ctx, Errors, Resource, Result, Wire
from apiconform.reference.kit import InjectedFault

#: the alternate variant refuses pages beyond this one (a value no real client sends)
ALTERNATE_MAX_PAGE = 10_000
#: the alternate variant's default status priority ("status priority" is not defined)
ALTERNATE_STATUS_PRIORITY = {"published": 0, "pending": 1, "draft": 2, "inactive": 3}
MAX_Q_LENGTH = 255
LIST_CACHE_SIZE = 16  # GET /v1/listings queries whose sorted rows are kept (until a listing changes)
LIST_SORTS = ("id", "name", "updated_at", "listing_status")
ALPHABETICAL_RANK = {status: n for n, status in enumerate(sorted(STATUS_RANK))}  # status-rank-alphabetical


def accent_folded(text: str) -> str:
    """`text` without accents, casefolded (an accent- and case-insensitive collation)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Listings(Resource):
    """The listing list: its query, filters, order, pages and items."""

    def __init__(self, wire: Wire, store: Store) -> None:
        super().__init__(wire, store)
        self.list_cache: dict[tuple[Any, ...], list[Listing]] = {}

    def list_listings(self, ctx: Ctx, params: dict[str, str]) -> Result:
        grouped: dict[str, list[str]] = {}
        for name, value in ctx.request.query_params.multi_items():
            if self.alternate:  # Laravel's TrimStrings and ConvertEmptyStringsToNull
                value = value.strip()
                if not value:
                    continue
            grouped.setdefault(name, []).append(value)
        errors = Errors()

        def single(name: str) -> str | None:
            values = grouped.get(name)
            if values and len(values) > 1 and not self.alternate:  # PHP keeps the last one
                errors.add(name, "invalid", f"The {name} parameter may be given only once.")
            return values[-1] if values else None

        unbounded = "list-per-page-unbounded" in self.faults
        clamps = self.quirky  # Laravel's paginator: out-of-range values clamped, unknown ones ignored
        page, per_page = 1, 20 if "default-per-page-20" in self.faults else 50
        raw_page, raw_per_page = single("page"), single("per_page")
        if raw_page is not None:
            number = int(raw_page) if re.fullmatch(r"-?\d{1,1000}", raw_page) else None
            if unbounded or clamps:
                number = max(1, number if number is not None else 1)
            if number is None or number < 1:
                errors.add("page", "invalid", "The page parameter must be an integer of at least 1.")
            elif self.alternate and number > ALTERNATE_MAX_PAGE:
                errors.add(
                    "page", "invalid", f"The page parameter may not be greater than {ALTERNATE_MAX_PAGE}."
                )
            else:
                page = number
        if raw_per_page is not None:
            number = int(raw_per_page) if re.fullmatch(r"-?\d{1,1000}", raw_per_page) else None
            if number is not None and unbounded:
                number = max(1, number)  # served as asked above 100
            elif clamps:
                number = min(100, max(1, number)) if number is not None else per_page
            if number is None or number < 1 or (number > 100 and not unbounded):
                errors.add("per_page", "invalid", "The per_page parameter must be an integer from 1 to 100.")
            else:
                per_page = number
        sort, order = single("sort"), single("order")
        if sort is not None and sort not in LIST_SORTS:
            if "list-sort-unchecked" not in self.faults and not clamps:
                errors.add("sort", "invalid", f"The sort parameter must be one of: {', '.join(LIST_SORTS)}.")
            sort = None
        if order is not None and order not in ("asc", "desc"):
            if "list-sort-unchecked" not in self.faults and not clamps:
                errors.add("order", "invalid", "The order parameter must be asc or desc.")
            order = None
        if self.alternate and order is not None and sort is None:
            errors.add("order", "invalid", "The order parameter needs a sort parameter.")
        array_ignored = "status-filter-array-ignored" in self.faults
        statuses = [
            value
            for name, value in ctx.request.query_params.multi_items()
            if name == "listing_status" or (name == "listing_status[]" and not array_ignored)
        ]
        if "status-filter-repeat-last" in self.faults:
            plain = [
                value for name, value in ctx.request.query_params.multi_items() if name == "listing_status"
            ]
            statuses = plain[-1:] + [
                v for n, v in ctx.request.query_params.multi_items() if n == "listing_status[]"
            ]
        if self.alternate:  # PHP: a plain repeated parameter is its last value; [] collects them
            statuses = grouped.get("listing_status", [])[-1:] + grouped.get("listing_status[]", [])
            if len(statuses) != len(set(statuses)):
                errors.add("listing_status", "distinct", "The listing_status values must be distinct.")
        if clamps:
            statuses = [value for value in statuses if value in LISTING_STATUSES]
        for value in statuses:
            if value not in LISTING_STATUSES:
                errors.add(
                    "listing_status",
                    "invalid",
                    f"The listing_status parameter must be one of: {', '.join(LISTING_STATUSES)}.",
                )
                break
        if "status-filter-first-only" in self.faults:
            statuses = statuses[:1]
        q = single("q")
        longest_q = MAX_Q_LENGTH - 1 if "q-max-254" in self.faults else MAX_Q_LENGTH
        if q is not None and len(q.encode() if self.alternate else q) > longest_q and not clamps:
            if "list-long-q-500" in self.faults:
                raise InjectedFault("q is too long for the search index")
            errors.add("q", "invalid", f"The q parameter may not be longer than {longest_q} characters.")
        elif self.alternate and q is not None and not q.isprintable():
            errors.add("q", "invalid", "The q parameter may only hold printable characters.")
        if errors.items:
            if self.alternate:
                raise ApiError(400, "bad_request", "Invalid query parameters.", errors.items)
            status = 400 if "list-invalid-400" in self.faults else 422
            raise ApiError(status, "validation_error", "Validation failed", errors.items)

        every_host = "list-all-hosts" in self.faults or (q is not None and "search-all-hosts" in self.faults)
        query = (
            self.store.version,
            "all" if every_host else ctx.host_id,
            frozenset(statuses),
            q,
            sort,
            order,
        )
        rows = self.list_cache.get(query)
        if rows is None:  # the last queries' rows are kept while no listing changes: paging stays cheap
            rows = [row for row in self.store.listings.values() if every_host or row.host_id == ctx.host_id]
            if statuses:
                rows = [row for row in rows if row.status in statuses]
            if q is not None:
                matches = self.name_matcher(q)
                rows = [row for row in rows if matches(row.name or "")]
            self.sort_listings(rows, sort, order)
            self.list_cache = {
                key: cached
                for key, cached in list(self.list_cache.items())[-(LIST_CACHE_SIZE - 1) :]
                if key[0] == self.store.version
            }
            self.list_cache[query] = rows

        if self.alternate and sort is None:
            rows = self.shuffle_ties(rows)
        total = len(rows)
        if "last-page-floor" in self.faults:
            last_page = max(1, total // per_page)
        else:
            last_page = max(1, math.ceil(total / per_page))
        if page > last_page and "past-end-404" in self.faults:
            raise ApiError(404, "not_found", "Not found")
        start = (page - 1) * per_page
        count = max(0, min(per_page, total - start))  # what this page holds
        served_from = start
        if "page-off-by-one" in self.faults:
            served_from = page * per_page
        elif "pages-overlap" in self.faults and page > 1:
            served_from = start - 1
        items = rows[served_from : served_from + per_page]
        first = start if "from-zero-based" in self.faults else start + 1
        empty = 0 if self.alternate else None
        pagination = {
            "current_page": page,
            "per_page": per_page,
            "total": total,
            "last_page": last_page,
            "from": first if count else empty,
            "to": first + count - 1 if count else empty,
        }
        return Result(200, [self.list_item(row) for row in items], {"pagination": pagination}, kind="listing")

    def name_matcher(self, q: str) -> Callable[[str], bool]:
        """Whether a listing name matches q: a literal substring, ignoring letter case (the quirky
        variant compares letter case too)."""
        if "q-wildcards" in self.faults:
            translated = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in q)
            pattern = re.compile(translated, re.IGNORECASE | re.DOTALL)
            return lambda name: pattern.search(name) is not None
        fold: Callable[[str], str] = (lambda text: text) if self.quirky else str.casefold
        if self.alternate:
            fold = accent_folded
        needle = fold(q)
        if "q-prefix-only" in self.faults:
            return lambda name: fold(name).startswith(needle)
        return lambda name: needle in fold(name)

    def sort_listings(self, rows: list[Listing], sort: str | None, order: str | None) -> None:
        """Default: status rank, name, updated_at desc, id; else the field, then id, in one direction.

        Names compare case-insensitively (casefolded), binary in the quirky variant.
        """
        rank = ALPHABETICAL_RANK if "status-rank-alphabetical" in self.faults else STATUS_RANK
        id_desc = "tie-breaker-always-desc" in self.faults

        def name(row: Listing) -> str:
            if self.alternate:
                return accent_folded(row.name or "")
            return (row.name or "") if self.quirky else (row.name or "").casefold()

        if sort is None:
            if self.alternate:
                rank = ALTERNATE_STATUS_PRIORITY
            with_status = "default-order-ignores-status" not in self.faults
            updated_sign = 1 if "default-order-updated-asc" in self.faults else -1
            id_sign = -1 if id_desc else 1
            rows.sort(
                key=lambda r: (
                    rank[r.status] if with_status else 0,
                    name(r),
                    updated_sign * r.updated_at.timestamp(),
                    id_sign * r.id,
                ),
                reverse=order == "desc" and "order-without-sort-applied" in self.faults,
            )
            return
        keys: dict[str, Callable[[Listing], Any]] = {
            "id": lambda r: r.id,
            "name": name,
            "updated_at": lambda r: r.updated_at,
            "listing_status": lambda r: rank[r.status],
        }
        default = "desc" if sort == "updated_at" else "asc"
        if sort == "updated_at" and "sort-updated-default-asc" in self.faults:
            default = "asc"
        direction = default if order is None or "sort-order-ignored" in self.faults else order
        field_key = keys[sort]
        if id_desc and direction == "asc":
            rows.sort(key=lambda r: r.id, reverse=True)
            rows.sort(key=field_key)  # stable: equal keys stay in id desc order
        else:
            rows.sort(key=lambda r: (field_key(r), r.id), reverse=direction == "desc")

    def shuffle_ties(self, rows: list[Listing]) -> list[Listing]:
        """`rows` (in the default order) with the listings equal in status, name (as compared) and
        updated_at in a new random order: the default order has no tie-breaker."""
        result: list[Listing] = []
        for _, group in itertools.groupby(
            rows, key=lambda r: (r.status, accent_folded(r.name or ""), r.updated_at)
        ):
            tied = list(group)
            random.shuffle(tied)
            result.extend(tied)
        return result

    def list_item(self, row: Listing) -> dict[str, JSON]:
        item: dict[str, JSON] = {
            "id": row.id,
            "unique_id": row.unique_id,
            "original_id": row.original_id,
            "name": row.fields.get("name"),
            "listing_status": row.status,
            "updated_at": self.wire.stamp(row.updated_at, micro=False),
        }
        if self.alternate and row.original_id is None:  # what a listing lacks is left out
            del item["original_id"]
        if "list-items-without-room-types" not in self.faults:
            item["room_types"] = [
                {
                    "id": rt.id,
                    "name": rt.name,
                    "rooms": [
                        {"id": room.id, "name": room.name if room.named or not self.alternate else None}
                        for room in rt.rooms
                    ],
                }
                for rt in row.room_types
            ]
        return item
