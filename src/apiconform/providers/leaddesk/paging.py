"""Collections of the LeadDesk reference server: GET /users (and /agents), /products and /campaigns.

A page is `{collection, _links: {self, next?, prev?}, _meta: {total}}`, ids ascending. `page` >= 1
(default 1) and `per_page` 1..500 (default 25) are decimal integers (a sign is allowed, so -1 is
"at least 1"; anything else "must be an integer"); both are checked and named in one 422 with
error_validation, as the document's validation example (per_page=0). Links
are absolute, built from the request's base URL, with only page and per_page in the query; next
is on every page before the last, prev on every page after the first (a page past the end is
empty, has prev and no next, and keeps the total). The quirky and alternate variants' pages are
described in `server.py`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from apiconform.providers.leaddesk.objects import Family
from apiconform.providers.leaddesk.wire import JSON, PREFIX, Answer, ApiError, Ctx, Handler, Problems
from apiconform.reference.kit import InjectedFault, parse_integer

DEFAULT_PER_PAGE, MAX_PER_PAGE = 25, 500
FAULTY_DEFAULT_PER_PAGE = 20  # default-per-page-20
FAULTY_MAX_PER_PAGE = 100  # per-page-max-100
CRASH_ABOVE_PER_PAGE = 200  # large-per-page-500
MAX_PARAMETER_DIGITS = 12  # a page or per_page with more significant digits saturates at 10**12


class Paging(Family):
    """The collection handlers of one server, paging through its objects."""

    def page_parameters(self, ctx: Ctx) -> tuple[int, int]:
        """(page, per_page) of a collection request, or a 422 naming each bad one in
        error_validation (the document's validation example; the quirky variant names its error
        validation_error)."""
        query = ctx.request.query_params
        clamped = "validation-clamped" in self.faults
        problems = Problems("validation_error") if self.quirky else self.wire.problems()
        default_per_page = (
            FAULTY_DEFAULT_PER_PAGE if "default-per-page-20" in self.faults else DEFAULT_PER_PAGE
        )
        values: dict[str, int] = {}
        for name, label, default in (("page", "page", 1), ("per_page", "per page", default_per_page)):
            raw = query.get(name)
            value = default if raw is None else parse_integer(raw, MAX_PARAMETER_DIGITS)
            if value is None:
                if not clamped:
                    problems.add(name, f"The {label} must be an integer.")
                value = default
            elif value < 1:
                if not clamped:
                    problems.add(name, f"The {label} must be at least 1.")
                value = 1
            elif name == "per_page" and value > MAX_PER_PAGE:
                if not (clamped or self.quirky):
                    problems.add(name, f"The {label} may not be greater than {MAX_PER_PAGE}.")
                value = MAX_PER_PAGE
            values[name] = value
        if problems.items and "validation-400" in self.faults:  # a bare 400 for the 422 example
            raise ApiError(400, "bad_request", "bad-parameter", " and ".join(problems.items))
        problems.raise_if_any()
        page, per_page = values["page"], values["per_page"]
        if per_page > CRASH_ABOVE_PER_PAGE and "large-per-page-500" in self.faults:
            raise InjectedFault(f"per_page {per_page}")
        if "per-page-max-100" in self.faults:
            per_page = min(per_page, FAULTY_MAX_PER_PAGE)
        return page, per_page

    def lister(self, kind: str, path: str | None = None) -> Handler:
        """GET of a collection of `kind`, served at `path` (default: the kind's own path)."""
        path = path or kind

        def list_page(ctx: Ctx) -> Answer:
            page, per_page = self.page_parameters(ctx)
            items = [item for _, item in sorted(self.objects.table(kind).items())]
            total = len(items)
            start = (page - 1) * per_page
            if page > 1 and "page-offset-off-by-one" in self.faults:
                start += 1
            if self.alternate and page > 1 and start >= total:  # no such page: not found
                raise ApiError(404, "page_not_found", "page-not-found", page)
            if "page-past-end-416" in self.faults and page > 1 and start >= total:
                raise ApiError(416, "page_not_found", "page-not-found", page)
            relative = self.alternate or "relative-links" in self.faults
            base = f"{PREFIX if relative else ctx.root}/{path}?"
            links: dict[str, JSON] = {}
            if not (self.alternate or "collection-no-self" in self.faults):
                links["self"] = base + urlencode({"page": page, "per_page": per_page})
            has_next = page * per_page < total
            if "next-on-last-page" in self.faults:
                has_next = start < total
            links["next"] = base + urlencode({"page": page + 1, "per_page": per_page}) if has_next else None
            prev = None
            if page > 1 or "prev-on-first-page" in self.faults:
                query = {"page": page - 1, "per_page": per_page}
                if self.alternate and page == 2:
                    del query["page"]  # the first page's link names no page
                prev = base + urlencode(query)
            prose_names = self.wire.prose_names
            links["previous" if prose_names else "prev"] = prev
            if not self.alternate:  # the alternate writes null for a page that is not available
                links = {name: value for name, value in links.items() if value is not None}
            reported: JSON = total + 1 if "total-off-by-one" in self.faults else total
            if "meta-total-string" in self.faults:
                reported = str(reported)
            meta: dict[str, JSON] = {"total": reported}
            if self.alternate or "meta-no-total" in self.faults:  # total is "like" what meta holds
                meta = {"page": page, "per_page": per_page}
            key = "items" if "collection-items-key" in self.faults else "collection"
            page_items = [self.wire.data(ctx, kind, item) for item in items[start : start + per_page]]
            if path == "agents" and "agents-bare-array" in self.faults:
                return Answer(200, page_items)
            return Answer(
                200,
                {
                    key: page_items,
                    "links" if prose_names else "_links": links,
                    "meta" if prose_names else "_meta": meta,
                },
            )

        return list_page
