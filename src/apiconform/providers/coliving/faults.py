"""The Coliving reference server's faults: each switches on one deviation from the contract."""

from __future__ import annotations

from apiconform.reference.faults import Fault, FaultCatalogue

FAULTS = FaultCatalogue(
    [
        # --- authentication ---
        Fault(
            "x-api-key-ignored",
            "Only Bearer authenticates; an X-API-Key header is treated as missing.",
            ("coliving.auth.x-api-key-accepted",),
        ),
        Fault(
            "bearer-ignored",
            "An Authorization: Bearer header is treated as missing.",
            ("coliving.auth.bearer-accepted",),
        ),
        Fault(
            "missing-key-served",
            "A request without any key is served as if it carried the `api_key` key.",
            ("coliving.auth.missing-key-401", "coliving.auth.checked-before-validation"),
        ),
        Fault(
            "missing-key-403",
            "A request without any key gets 403 instead of 401.",
            ("coliving.auth.missing-key-401",),
        ),
        Fault(
            "invalid-key-served",
            "An unknown key is served as if it were the `api_key` key.",
            ("coliving.auth.invalid-key-401",),
        ),
        Fault(
            "inactive-key-served",
            "An inactive key is served normally.",
            ("coliving.auth.inactive-key-401",),
        ),
        Fault(
            "auth-error-type",
            "401 bodies carry error.type unauthorized instead of auth_error.",
            ("coliving.auth.error-type-auth-error",),
        ),
        Fault(
            "permissions-ignored",
            "No permission is ever checked.",
            ("coliving.auth.missing-permission-403", "coliving.auth.forbidden-names-permission"),
        ),
        Fault(
            "forbidden-as-401",
            "A missing permission gets 401 auth_error instead of 403 forbidden.",
            ("coliving.auth.missing-permission-403",),
        ),
        Fault(
            "forbidden-unnamed",
            "A 403 does not name the missing permission (errors is empty).",
            ("coliving.auth.forbidden-names-permission",),
        ),
        Fault(
            "read-needs-write",
            "GET /v1/listings requires listings.write instead of listings.read.",
            ("coliving.auth.read-only-key-reads",),
        ),
        Fault(
            "validation-before-auth",
            "Request bodies are validated (422) before the API key is checked.",
            ("coliving.auth.checked-before-validation",),
        ),
        Fault(
            "write-missing-key-served",
            "A POST or PATCH without any key is served as the `api_key` key (reads still get 401).",
            ("coliving.auth.write-missing-key-401",),
        ),
        Fault(
            "write-invalid-key-served",
            "A POST or PATCH with an unknown key is served as if it carried the `api_key` key.",
            ("coliving.auth.write-invalid-key-401",),
        ),
        Fault(
            "write-inactive-key-served",
            "An inactive key is served on POST and PATCH (refused on reads).",
            ("coliving.auth.write-inactive-key-401",),
        ),
        Fault(
            "bearer-ignored-on-writes",
            "An Authorization: Bearer header is treated as missing on POST and PATCH.",
            ("coliving.auth.write-bearer-accepted",),
        ),
        Fault(
            "expired-key-served",
            "An expired key is served normally.",
            ("coliving.auth.expired-key-refused",),
        ),
        Fault(
            "legacy-aliases-ignored",
            "Legacy *.create permissions are not normalized to *.write: such a key gets 403 on writes.",
            ("coliving.auth.legacy-create-alias",),
        ),
        Fault(
            "read-permission-unchecked",
            "GET /v1/listings serves any valid key, without listings.read too.",
            ("coliving.auth.no-listings-read-403",),
        ),
        Fault(
            "write-permissions-ignored",
            "POST /v1/users and /v1/bookings check no permission (a read-only key creates both).",
            ("coliving.auth.write-permissions",),
        ),
        Fault(
            "query-key-accepted",
            "A key in the query parameter api_key authenticates a request without key headers.",
            ("coliving.auth.query-key-refused",),
        ),
        Fault(
            "auth-errors-listed",
            "401 bodies list an errors[] item (path X-API-Key) instead of an empty errors[].",
            (
                "coliving.auth.missing-key-401",
                "coliving.auth.write-missing-key-401",
            ),
        ),
        # --- host scoping ---
        Fault(
            "list-all-hosts",
            "GET /v1/listings returns the listings of every host.",
            ("coliving.scoping.list-own-host-only", "coliving.scoping.search-own-host-only"),
        ),
        Fault(
            "search-all-hosts",
            "GET /v1/listings with q searches the listings of every host.",
            ("coliving.scoping.search-own-host-only",),
        ),
        Fault(
            "patch-any-host",
            "PATCH /v1/listings/{id} finds and updates listings of any host.",
            ("coliving.scoping.patch-other-host-404",),
        ),
        Fault(
            "patch-other-host-403",
            "PATCH of another host's listing gets 403 forbidden instead of 404.",
            ("coliving.scoping.patch-other-host-404",),
        ),
        Fault(
            "upsert-match-any-host",
            "POST /v1/listings matches original_id across all hosts and updates another host's listing.",
            ("coliving.scoping.upsert-other-host-separate",),
        ),
        Fault(
            "patch-other-host-applied-404",
            "PATCH of another host's listing answers 404 but applies the change.",
            ("coliving.scoping.patch-other-host-404",),
        ),
        # --- envelopes ---
        Fault(
            "success-without-meta",
            "2xx bodies have no meta.",
            ("coliving.envelope.success-shape",),
        ),
        Fault(
            "error-flat",
            "Error bodies are flat {type, message, request_id, errors} without the error wrapper.",
            ("coliving.envelope.error-shape",),
        ),
        Fault(
            "error-items-unpathed",
            "Error items name their field in `field` instead of `path`.",
            ("coliving.envelope.error-items-shape",),
        ),
        Fault(
            "error-html-content-type",
            "Error responses declare Content-Type text/html; charset=utf-8 (the body is unchanged).",
            ("coliving.envelope.json-media-type",),
        ),
        Fault(
            "no-request-id",
            "No request id is generated: without a sent X-Request-Id, none in the body or the headers.",
            ("coliving.envelope.request-id-present",),
        ),
        Fault(
            "request-id-not-echoed",
            "A sent X-Request-Id is ignored; a generated id is used in the header and the body.",
            ("coliving.envelope.request-id-echo", "coliving.envelope.request-id-echo-all"),
        ),
        Fault(
            "request-id-header-mismatch",
            "The X-Request-Id header echoes the sent id but the body carries a different generated id.",
            ("coliving.envelope.request-id-consistent",),
        ),
        Fault(
            "request-id-constant",
            "Every generated request id is req_000001.",
            ("coliving.envelope.request-id-unique",),
        ),
        Fault(
            "timestamps-not-rfc3339",
            "Timestamps are written '2026-04-06 10:15:05' (ISO 8601 local time, not RFC 3339).",
            ("coliving.envelope.timestamps-rfc3339",),
        ),
        Fault(
            "request-id-missing-on-writes",
            "POST and PATCH without X-Request-Id get no request id, in the header or the body.",
            ("coliving.envelope.request-id-generated",),
        ),
        Fault(
            "request-id-not-echoed-on-post",
            "POST ignores a sent X-Request-Id (a generated id is answered); PATCH echoes it.",
            ("coliving.envelope.request-id-echo",),
        ),
        # --- error statuses ---
        Fault(
            "unknown-listing-500",
            "PATCH of a listing id that does not exist answers 500 internal_error.",
            ("coliving.errors.unknown-listing-404", "coliving.errors.no-server-error"),
        ),
        Fault(
            "unknown-listing-type",
            "The 404 for a listing id that does not exist has error.type listing_not_found.",
            ("coliving.errors.unknown-listing-404",),
        ),
        Fault(
            "not-found-errors-listed",
            "404 bodies list an errors[] item (path id) instead of an empty errors[].",
            ("coliving.errors.unknown-listing-404",),
        ),
        Fault(
            "unsupported-provider-400",
            "An unknown integration provider gets 400 bad_request instead of 404 unsupported_provider.",
            ("coliving.errors.unsupported-provider-404",),
        ),
        Fault(
            "validation-type",
            "Every 422 carries error.type invalid_request instead of validation_error.",
            ("coliving.errors.validation-error-type",),
        ),
        Fault(
            "validation-type-listings",
            "The 422s of POST and PATCH /v1/listings carry error.type invalid_request (others: right).",
            ("coliving.errors.validation-error-type",),
        ),
        Fault(
            "messages-reworded",
            "Error messages are worded otherwise than the samples ('The given data was invalid.', ...).",
            ("coliving.errors.example-messages",),
        ),
        # --- users ---
        Fault("users-200", "User creation answers 200 instead of 201.", ("coliving.users.create-201",)),
        Fault(
            "users-names-swapped",
            "The created user's first_name and last_name are swapped in the response.",
            ("coliving.users.create-echoes-input",),
        ),
        Fault(
            "users-inactive",
            "Created users have status 0.",
            ("coliving.users.created-active",),
        ),
        Fault(
            "users-email-optional",
            "A missing email is accepted; the user is created with email null.",
            ("coliving.users.missing-email-422",),
        ),
        Fault(
            "users-password-echoed",
            "The created user includes the password.",
            ("coliving.users.password-not-returned",),
        ),
        Fault(
            "users-login-amount-zero",
            "A created user has login_amount 0 (the example's 1: the registration's login).",
            ("coliving.users.example-contract",),
        ),
        Fault(
            "users-id-string",
            "user_id is returned as a string.",
            ("coliving.users.create-201", "coliving.schema.write-response-conformance"),
        ),
        # --- bookings ---
        Fault(
            "bookings-200", "Booking creation answers 200 instead of 201.", ("coliving.bookings.create-201",)
        ),
        Fault(
            "bookings-example-dates",
            "The booking carries checkin_at 2026-05-01 / checkout_at 2026-05-15 whatever was sent.",
            ("coliving.bookings.create-echoes-input",),
        ),
        Fault(
            "bookings-nights-off-by-one",
            "nights is one more than the days between checkin_at and checkout_at.",
            ("coliving.bookings.example-contract",),
        ),
        Fault(
            "bookings-missing-user-500",
            "A booking without user_id answers 500.",
            ("coliving.bookings.missing-user-422", "coliving.errors.no-server-error"),
        ),
        Fault(
            "bookings-unknown-user-accepted",
            "A booking for a user_id that does not exist is created (201).",
            ("coliving.bookings.unknown-user-refused",),
        ),
        Fault(
            "bookings-date-order-accepted",
            "A booking whose checkout_at is not after checkin_at is created.",
            ("coliving.bookings.date-order-rejected",),
        ),
        Fault(
            "bookings-type-manual",
            "A booking created through the API has type manual_booking.",
            ("coliving.bookings.example-contract",),
        ),
        Fault(
            "bookings-number-unprefixed",
            "booking_no is the bare booking id, without BKG-.",
            ("coliving.bookings.example-values",),
        ),
        Fault(
            "bookings-invalid-date-accepted",
            "A checkin_at or checkout_at that is no date is stored as sent (201).",
            ("coliving.bookings.invalid-date-422",),
        ),
        # --- listings ---
        Fault(
            "list-items-without-room-types",
            "GET /v1/listings items lack room_types.",
            ("coliving.listings.list-shape", "coliving.schema.list-response-conformance"),
        ),
        Fault(
            "upsert-create-200",
            "A listing upsert that creates answers 200 instead of 201.",
            ("coliving.listings.upsert-create-201",),
        ),
        Fault(
            "sample-field-refused",
            "POST /v1/listings refuses the sample's instructions times (422: HH:MM:SS wanted).",
            ("coliving.listings.sample-accepted",),
        ),
        Fault(
            "shared-room-type-refused",
            "room_types[].room_type shared is refused (422); only private is taken.",
            ("coliving.listings.valid-values-accepted",),
        ),
        Fault(
            "upsert-match-on-create",
            "A created listing's result says matched true by original_id.",
            ("coliving.listings.upsert-result-values",),
        ),
        Fault(
            "preview-link-by-id",
            "links.preview names the listing's internal id instead of its unique_id.",
            ("coliving.listings.preview-link",),
        ),
        Fault(
            "upsert-never-matches",
            "original_id never matches an active listing; such upserts create a new listing (201).",
            ("coliving.listings.upsert-update-200",),
        ),
        Fault(
            "upsert-update-not-stored",
            "A matched upsert answers 200 updated but stores nothing.",
            ("coliving.listings.upsert-update-200",),
        ),
        Fault(
            "upsert-inactive-updated",
            "An upsert matching an inactive listing updates it (200) instead of 409.",
            ("coliving.listings.upsert-inactive-409", "coliving.listings.upsert-inactive-409-body"),
        ),
        Fault(
            "upsert-inactive-422",
            "An upsert matching an inactive listing answers 422 validation_error instead of 409.",
            ("coliving.listings.upsert-inactive-409", "coliving.listings.upsert-inactive-409-body"),
        ),
        Fault(
            "conflict-type",
            "The 409 for an inactive match has error.type conflict and errors [].",
            ("coliving.listings.upsert-inactive-409-body",),
        ),
        Fault(
            "conflict-entries-missing",
            "The 409 for an inactive match names only listing_id in errors[] (no action, match entries).",
            ("coliving.listings.upsert-inactive-409-body",),
        ),
        Fault(
            "upsert-result-without-match",
            "Upsert and PATCH results lack `match`.",
            ("coliving.listings.upsert-result-shape", "coliving.schema.write-response-conformance"),
        ),
        Fault(
            "listing-name-optional",
            'A listing without name is accepted (stored with name "").',
            ("coliving.listings.missing-name-422",),
        ),
        Fault(
            "room-types-empty-accepted",
            "A listing with missing or empty room_types is accepted.",
            ("coliving.listings.room-types-required-422",),
        ),
        Fault(
            "room-type-unchecked",
            "Any room_types[].room_type value is accepted.",
            ("coliving.listings.room-type-enum-422",),
        ),
        Fault(
            "base-price-zero-accepted",
            "room_types[].prices.base_price 0 (and negatives) are accepted.",
            ("coliving.listings.base-price-min-422",),
        ),
        Fault(
            "room-type-fields-unchecked",
            "A room type without name, room_type or prices.base_price is accepted.",
            ("coliving.listings.room-type-fields-422",),
        ),
        Fault(
            "base-price-fraction-accepted",
            "A fractional base_price (900.5) is accepted.",
            ("coliving.listings.base-price-integer-422",),
        ),
        Fault(
            "recommended-fields-required",
            "POST /v1/listings requires the strongly recommended fields (422 without original_url, ...).",
            ("coliving.listings.starred-fields-suffice",),
        ),
        Fault(
            "base-price-max-100000",
            "A base_price above 100000 is refused (422), a bound the document does not state.",
            ("coliving.schema.listing-bodies-accepted",),
        ),
        Fault(
            "patch-replaces",
            "PATCH resets every field not sent (room_types emptied, status draft, optional fields dropped).",
            ("coliving.listings.patch-partial",),
        ),
        Fault(
            "patch-not-stored",
            "PATCH answers 200 updated but stores nothing.",
            ("coliving.listings.patch-partial",),
        ),
        Fault(
            "patch-drops-unsent-sections",
            "PATCH drops every stored section it was not sent, but name and room_types (nothing GET shows).",
            ("coliving.listings.patch-partial",),
        ),
        Fault(
            "patch-full-refused",
            "PATCH refuses top-level fields outside the documented rows (property_size, ...).",
            ("coliving.listings.patch-full-payload",),
        ),
        Fault(
            "patch-always-updated",
            "PATCH answers action updated even when it changed nothing.",
            ("coliving.listings.patch-action",),
        ),
        Fault(
            "patch-action-created",
            "PATCH answers action created.",
            ("coliving.listings.patch-action",),
        ),
        Fault(
            "patch-null-accepted",
            "PATCH with name null is accepted and stores a null name.",
            ("coliving.listings.patch-null-422",),
        ),
        # --- generated requests ---
        Fault(
            "list-per-page-unbounded",
            "per_page above 100 is served as asked (per_page 101 in meta), 0 as 1; page below 1 as 1.",
            ("coliving.schema.list-bounds-kept", "coliving.pagination.per-page-range"),
        ),
        Fault(
            "list-sort-unchecked",
            "Unknown sort and order values are ignored (200) instead of refused.",
            ("coliving.schema.list-bounds-refused",),
        ),
        Fault(
            "list-long-q-500",
            "q longer than 255 characters answers 500.",
            ("coliving.schema.list-bounds-kept", "coliving.errors.no-server-error"),
        ),
        Fault(
            "list-invalid-400",
            "Invalid list query values answer 400 (type validation_error) instead of 422.",
            ("coliving.schema.status-code-documented", "coliving.pagination.invalid-422"),
        ),
        # --- pagination, sorting and filtering (GET /v1/listings) ---
        Fault(
            "page-off-by-one",
            "Page N serves the items of page N+1 (meta.pagination unchanged).",
            ("coliving.pagination.walk-exactly-once", "coliving.pagination.meta-consistent"),
        ),
        Fault(
            "pages-overlap",
            "Every page after the first starts with the last item of the previous page.",
            ("coliving.pagination.walk-exactly-once",),
        ),
        Fault(
            "last-page-floor",
            "last_page is max(1, floor(total / per_page)): a partial last page is never reached.",
            ("coliving.pagination.meta-consistent", "coliving.pagination.walk-exactly-once"),
        ),
        Fault(
            "from-zero-based",
            "meta.pagination from/to are 0-based indices.",
            ("coliving.pagination.meta-consistent",),
        ),
        Fault(
            "default-per-page-20",
            "The default per_page is 20 instead of 50.",
            ("coliving.pagination.defaults",),
        ),
        Fault(
            "past-end-404",
            "A page past last_page answers 404 not_found instead of an empty page.",
            ("coliving.pagination.past-last-page-empty",),
        ),
        Fault(
            "default-order-ignores-status",
            "Without sort, listings come by name, then updated_at desc, then id (no status rank).",
            ("coliving.sorting.default-order",),
        ),
        Fault(
            "default-order-updated-asc",
            "Without sort, the third key is updated_at ascending instead of descending.",
            ("coliving.sorting.default-order",),
        ),
        Fault(
            "sort-updated-default-asc",
            "sort=updated_at without order sorts ascending instead of descending.",
            ("coliving.sorting.by-field",),
        ),
        Fault(
            "sort-order-ignored",
            "The order parameter is ignored: every sort field always takes its default direction.",
            ("coliving.sorting.by-field",),
        ),
        Fault(
            "status-rank-alphabetical",
            "listing_status ranks alphabetically (draft, inactive, pending, published), also by default.",
            ("coliving.sorting.by-field", "coliving.sorting.default-status-rank"),
        ),
        Fault(
            "tie-breaker-always-desc",
            "Equal sort keys are ordered by id descending whatever the direction (default order too).",
            ("coliving.sorting.id-tie-breaker",),
        ),
        Fault(
            "order-without-sort-applied",
            "order=desc without sort reverses the default order.",
            ("coliving.sorting.order-needs-sort",),
        ),
        Fault(
            "status-filter-first-only",
            "Only the first listing_status value is applied.",
            ("coliving.filtering.listing-status",),
        ),
        Fault(
            "status-filter-array-ignored",
            "The array syntax listing_status[]=... is ignored (no filter).",
            ("coliving.filtering.listing-status",),
        ),
        Fault(
            "status-filter-repeat-last",
            "A plain repeated listing_status (without []) is read as its last value, as PHP reads it.",
            ("coliving.filtering.listing-status-repeated",),
        ),
        Fault(
            "q-wildcards",
            "% and _ in q act as SQL LIKE wildcards (any run of characters, one character).",
            ("coliving.filtering.q-literal-wildcards",),
        ),
        Fault(
            "q-prefix-only",
            "q matches only names that start with it.",
            ("coliving.filtering.q-substring",),
        ),
        Fault(
            "q-max-254",
            "A q of 255 characters is rejected with 422 (the limit is 254).",
            ("coliving.filtering.q-max-length",),
        ),
        # --- idempotency ---
        Fault(
            "idempotency-no-replay",
            "A retry with the same Idempotency-Key and body runs again (a new object).",
            ("coliving.idempotency.replay-identical", "coliving.idempotency.concurrent-single-effect"),
        ),
        Fault(
            "idempotency-replay-across-keys",
            "Idempotency entries ignore the API key: another key replays the first key's answer (or 409).",
            ("coliving.idempotency.scoped-per-key",),
        ),
        Fault(
            "idempotency-scope-key-only",
            "Idempotency entries ignore the endpoint: a key of POST /v1/users is matched on /v1/bookings.",
            ("coliving.idempotency.scoped-per-endpoint",),
        ),
        Fault(
            "idempotency-listings-only",
            "Idempotency-Key is honoured on POST /v1/listings only: users and bookings run again on a retry.",
            (
                "coliving.idempotency.replay-identical",
                "coliving.idempotency.mismatch-409",
            ),
        ),
        Fault(
            "idempotency-errors-cached",
            "Error answers are cached too: the corrected retry gets the first 422 replayed.",
            ("coliving.idempotency.errors-not-cached",),
        ),
        Fault(
            "idempotency-mismatch-replays",
            "A used Idempotency-Key with a different body replays the first answer instead of 409.",
            ("coliving.idempotency.mismatch-409",),
        ),
        Fault(
            "idempotency-mismatch-type",
            "The 409 for a used Idempotency-Key with a different body has error.type conflict_error.",
            ("coliving.idempotency.mismatch-409",),
        ),
        Fault(
            "idempotency-long-key-accepted",
            "Idempotency-Keys longer than 255 characters are accepted.",
            ("coliving.idempotency.key-length",),
        ),
        Fault(
            "idempotency-key-max-254",
            "An Idempotency-Key of 255 characters is rejected with 422 (the limit is 254).",
            ("coliving.idempotency.key-length",),
        ),
        Fault(
            "idempotency-race",
            "The answer is cached only after a 50 ms yield: concurrent requests with one key all run.",
            ("coliving.idempotency.concurrent-single-effect",),
        ),
        Fault(
            "messages-honour-idempotency-key",
            "POST /v1/bookings/{id}/messages applies Idempotency-Key (another text with a used key is 409).",
            ("coliving.idempotency.messages-ignore-header",),
        ),
        # --- booking messages ---
        Fault(
            "messages-no-dedup",
            "The same message text within the de-duplication window creates a second message.",
            ("coliving.messages.duplicate-deduplicated",),
        ),
        Fault(
            "messages-dedup-any-text",
            "Any message within the window is answered as the booking's first message (nothing created).",
            ("coliving.messages.distinct-text-creates",),
        ),
        # --- rate limiting ---
        Fault(
            "ratelimit-not-enforced",
            "No rate limit is enforced.",
            ("coliving.ratelimit.enforced", "coliving.ratelimit.status-429"),
        ),
        Fault(
            "ratelimit-limit-doubled",
            "The limit enforced is twice the configured one.",
            ("coliving.ratelimit.enforced",),
        ),
        Fault(
            "ratelimit-limit-halved",
            "The limit enforced is half the configured one.",
            ("coliving.ratelimit.not-premature",),
        ),
        Fault(
            "ratelimit-global",
            "One rate-limit window is shared by all API keys.",
            ("coliving.ratelimit.per-key",),
        ),
        Fault(
            "ratelimit-503",
            "Throttled requests get 503 (same error envelope) instead of 429.",
            ("coliving.ratelimit.status-429", "coliving.errors.no-server-error"),
        ),
        Fault(
            "ratelimit-no-retry-after",
            "429 answers carry no Retry-After.",
            ("coliving.ratelimit.retry-after",),
        ),
        Fault(
            "ratelimit-stuck",
            "Once throttled, a key stays throttled for 20 windows.",
            ("coliving.ratelimit.recovers",),
        ),
        Fault(
            "ratelimit-headers-inconsistent",
            "X-RateLimit-Remaining counts the requests used, so it grows within a window.",
            ("coliving.ratelimit.headers-consistent",),
        ),
    ]
)
