"""The LeadDesk reference server's faults: each switches on one deviation from the contract."""

from __future__ import annotations

from apiconform.reference.faults import Fault, FaultCatalogue

FAULTS = FaultCatalogue(
    [
        # --- transport ---
        Fault(
            "plain-http-only",
            "The API is served over plain HTTP only (no TLS): the base URL is http://.",
            ("leaddesk.transport.https",),
        ),
        Fault(
            "plain-http-serves-data",
            "The plain-HTTP listener serves the API, and without authentication.",
            ("leaddesk.transport.https",),
        ),
        # --- OAuth 2 token endpoint ---
        Fault(
            "password-grant-no-refresh-token",
            "The password grant's token response has no refresh_token.",
            ("leaddesk.oauth.password-grant",),
        ),
        Fault(
            "leaddesk-client-id-grant-unsupported",
            "The leaddesk_client_id grant is refused as an unsupported grant type.",
            ("leaddesk.oauth.leaddesk-client-id-grant",),
        ),
        Fault(
            "client-user-grant-unsupported",
            "The client_user grant is refused as an unsupported grant type.",
            ("leaddesk.oauth.client-user-grant",),
        ),
        Fault(
            "refresh-token-unusable",
            "The refresh grant answers new tokens, but the refreshed access token gets 401.",
            ("leaddesk.oauth.refresh-grant",),
        ),
        Fault(
            "refresh-keeps-access",
            "A refresh leaves the previous access token valid.",
            ("leaddesk.oauth.refresh-invalidates-access",),
        ),
        Fault(
            "refresh-keeps-refresh",
            "A refresh leaves the previous refresh token usable.",
            ("leaddesk.oauth.refresh-invalidates-refresh",),
        ),
        Fault(
            "unknown-grant-as-password",
            "An unknown (or missing) grant_type is handled as the password grant.",
            ("leaddesk.oauth.bad-grant-type",),
        ),
        Fault(
            "bad-client-accepted",
            "The client_id and client_secret are not checked.",
            ("leaddesk.oauth.bad-client",),
        ),
        Fault(
            "bad-password-accepted",
            "A known username is accepted with any password.",
            ("leaddesk.oauth.bad-credentials",),
        ),
        Fault(
            "token-errors-nonstandard",
            "Token endpoint errors are 403 with error bad_request instead of the RFC 6749 codes.",
            ("leaddesk.oauth.rfc6749-errors",),
        ),
        Fault(
            "token-cacheable",
            "Token responses carry no Cache-Control: no-store and no Pragma: no-cache.",
            ("leaddesk.oauth.no-store",),
        ),
        Fault(
            "token-201",
            "Token responses are 201 Created instead of 200 OK.",
            ("leaddesk.oauth.token-status-200",),
        ),
        Fault(
            "token-type-lowercase",
            'Token responses say token_type "bearer", not the examples\' "Bearer".',
            ("leaddesk.oauth.token-type-bearer",),
        ),
        Fault(
            "token-never-expires",
            "Access tokens are served after their expires_in has passed.",
            ("leaddesk.auth.expired-token-401",),
        ),
        Fault(
            "refresh-expires-with-access",
            "A refresh token is refused once its access token has expired.",
            ("leaddesk.oauth.refresh-after-expiry",),
        ),
        Fault(
            "refresh-drops-read-only",
            "A refreshed read-only token may write (the refresh loses the read-only limit).",
            ("leaddesk.oauth.refresh-keeps-limits",),
        ),
        Fault(
            "special-grant-unchecked",
            "An API client without the special grants may use the leaddesk_client_id and client_user grants.",
            ("leaddesk.oauth.special-grant-required",),
        ),
        Fault(
            "client-number-unchecked",
            "The leaddesk_client_id and client_user grants take any leaddesk_client_id.",
            ("leaddesk.oauth.client-access-limited",),
        ),
        Fault(
            "client-user-full-scopes",
            "A client_user token may write even for a read-only user (not the user's own scopes).",
            ("leaddesk.oauth.client-user-scopes",),
        ),
        Fault(
            "token-errors-plain-text",
            "Token endpoint errors are text/plain bodies, not JSON.",
            ("leaddesk.oauth.bad-grant-type", "leaddesk.oauth.bad-client", "leaddesk.oauth.bad-credentials"),
        ),
        # --- access tokens ---
        Fault(
            "missing-token-served",
            "A request without an access token is served as the password user.",
            ("leaddesk.auth.missing-token-refused",),
        ),
        Fault(
            "missing-token-403",
            "A request without an access token gets 403 instead of 401.",
            ("leaddesk.auth.missing-token-status-401",),
        ),
        Fault(
            "invalid-token-served",
            "An unknown access token is served as the password user.",
            ("leaddesk.auth.invalid-token-401",),
        ),
        Fault(
            "read-only-can-write",
            "A read-only user's token may create, change and delete.",
            ("leaddesk.auth.read-only-write-403", "leaddesk.auth.read-only-change-403"),
        ),
        # --- errors ---
        Fault(
            "errors-without-description",
            "Error bodies carry error but no error_description.",
            ("leaddesk.errors.shape",),
        ),
        Fault(
            "error-description-empty",
            "Error bodies carry an empty error_description.",
            ("leaddesk.errors.shape",),
        ),
        Fault(
            "error-id-varies",
            "The same error gets another error id each time (the code carries a running number).",
            ("leaddesk.errors.error-ids",),
        ),
        Fault(
            "one-error-id",
            'Every error but the token endpoint\'s has the same error id, "error".',
            ("leaddesk.errors.error-ids",),
        ),
        Fault(
            "validation-no-details",
            "A 422 validation_failed carries no error_validation.",
            (
                "leaddesk.errors.validation-422",
                "leaddesk.writes.missing-field-refused",
                "leaddesk.writes.invalid-value-refused",
            ),
        ),
        Fault(
            "validation-400",
            "An invalid page or per_page gets a bare 400, not the example's 422 with error_validation.",
            ("leaddesk.errors.validation-422",),
        ),
        Fault(
            "validation-clamped",
            "An invalid page or per_page is clamped into range (or defaulted) and served 200.",
            ("leaddesk.errors.validation-422",),
        ),
        Fault(
            "not-found-200",
            "GET of an unknown object id answers 200 with {}.",
            ("leaddesk.errors.not-found-refused",),
        ),
        Fault(
            "not-found-500",
            "An unknown object id answers 500 internal_error.",
            ("leaddesk.errors.not-found-refused", "leaddesk.errors.no-server-error"),
        ),
        Fault(
            "not-found-400",
            "GET of an unknown object id answers 400 (with the not-found error code) instead of 404.",
            ("leaddesk.errors.not-found-status-404",),
        ),
        Fault(
            "delete-collection-404",
            "DELETE where a path does not take it (a collection, the token endpoint) answers 404, not 405.",
            ("leaddesk.errors.method-not-allowed-405",),
        ),
        Fault(
            "malformed-json-400",
            "A malformed JSON body answers 400 bad_request instead of 415.",
            ("leaddesk.errors.unsupported-media-415",),
        ),
        Fault(
            "non-json-accepted",
            "A body that is not application/json is read as JSON or as form fields, so a create succeeds.",
            ("leaddesk.errors.non-json-415", "leaddesk.writes.patch-json-only"),
        ),
        Fault(
            "non-json-400",
            "A body that is not application/json answers 400 instead of 415.",
            ("leaddesk.errors.non-json-415",),
        ),
        # --- media ---
        Fault(
            "accept-ignored",
            "A request whose Accept admits no JSON is served JSON as usual.",
            ("leaddesk.media.other-accept-refused",),
        ),
        Fault(
            "content-type-no-charset",
            "JSON responses say Content-Type: application/json without the example's charset=utf-8.",
            ("leaddesk.media.charset-utf8",),
        ),
        Fault(
            "charset-latin1",
            "JSON responses say Content-Type: application/json; charset=iso-8859-1.",
            ("leaddesk.media.json-utf8",),
        ),
        Fault(
            "html-content-type",
            "JSON responses say Content-Type: text/html.",
            ("leaddesk.media.json-utf8",),
        ),
        Fault(
            "dates-not-iso",
            'Dates are answered like "30.12.2018 16:18", not ISO 8601.',
            ("leaddesk.media.iso8601",),
        ),
        Fault(
            "dates-basic-format",
            'Dates are ISO 8601 in its basic format ("20181230T161840+0200"), not the example\'s.',
            ("leaddesk.media.iso8601-extended",),
        ),
        Fault(
            "underscore-property",
            "Objects carry an _internal_id property.",
            ("leaddesk.media.underscore-reserved",),
        ),
        Fault(
            "object-no-links",
            "Single objects are answered without _links.",
            ("leaddesk.media.object-links",),
        ),
        Fault(
            "object-wrapped",
            "A single object is answered inside {data: ...}, not at the root.",
            ("leaddesk.media.object-root", "leaddesk.media.object-links"),
        ),
        Fault(
            "object-links-elsewhere",
            "A user's custom_fields link points outside the user (/custom-fields?user=N).",
            ("leaddesk.media.object-links",),
        ),
        Fault(
            "object-no-self",
            "Objects' links carry no self.",
            ("leaddesk.media.object-links-example",),
        ),
        Fault(
            "user-no-custom-fields-link",
            "Users' links carry no custom_fields.",
            ("leaddesk.media.object-links-example",),
        ),
        Fault(
            "camel-case-property",
            "Objects carry createdAt instead of created_at.",
            ("leaddesk.media.lowercase-names",),
        ),
        Fault(
            "ids-as-strings",
            'Ids are answered as strings ("121"), not numbers as in the examples.',
            ("leaddesk.media.example-types", "leaddesk.writes.integer-id"),
        ),
        Fault(
            "get-counts-reads",
            "Every GET of a user changes it: its read_count goes up.",
            ("leaddesk.methods.get-read-only",),
        ),
        Fault(
            "prose-member-names",
            "Members are named as in the prose: _link on objects; links, meta, previous on collections.",
            ("leaddesk.media.example-member-names",),
        ),
        # --- collections ---
        Fault(
            "collection-items-key",
            "Collections hold their objects under items instead of collection.",
            ("leaddesk.collections.shape",),
        ),
        Fault(
            "meta-total-string",
            "_meta.total is a string.",
            ("leaddesk.collections.shape", "leaddesk.schema.list-response-conformance"),
        ),
        Fault(
            "collection-no-self",
            "Collection pages carry no _links.self.",
            ("leaddesk.collections.self-link",),
        ),
        Fault(
            "meta-no-total",
            "_meta carries no total.",
            ("leaddesk.collections.meta-total",),
        ),
        Fault(
            "default-per-page-20",
            "Without per_page a page holds 20 objects, not 25.",
            ("leaddesk.collections.default-per-page",),
        ),
        Fault(
            "per-page-max-100",
            "per_page above 100 silently serves 100 objects.",
            ("leaddesk.collections.per-page-max",),
        ),
        Fault(
            "page-offset-off-by-one",
            "Pages after the first start one object late: page p starts at object (p-1)*n+2.",
            ("leaddesk.collections.page-offsets", "leaddesk.collections.walk-exactly-once"),
        ),
        Fault(
            "next-on-last-page",
            "The last page also has a next link (to the empty page after it).",
            ("leaddesk.collections.links-consistent",),
        ),
        Fault(
            "prev-on-first-page",
            "The first page also has a prev link (to page 0).",
            ("leaddesk.collections.links-consistent",),
        ),
        Fault(
            "total-off-by-one",
            "_meta.total is one more than the objects the collection holds.",
            ("leaddesk.collections.walk-exactly-once",),
        ),
        Fault(
            "relative-links",
            "Collection links are relative references (/stable/users?page=2), not absolute URLs.",
            ("leaddesk.collections.absolute-links",),
        ),
        Fault(
            "agents-bare-array",
            "GET /agents answers a bare JSON array of users, not a collection.",
            ("leaddesk.collections.agents",),
        ),
        # --- writes ---
        Fault(
            "create-no-id",
            "A create answers 204 with no body.",
            ("leaddesk.writes.create-returns-id",),
        ),
        Fault(
            "create-ignores-body",
            "A create ignores the username sent and names the user itself (user-NN).",
            ("leaddesk.writes.create-returns-id",),
        ),
        Fault(
            "create-201-id-only",
            "A create answers 201 Created with only {id}, not the created object's content.",
            ("leaddesk.writes.created-content",),
        ),
        Fault(
            "missing-field-500",
            "A create without its mandatory username answers 500 internal_error.",
            ("leaddesk.writes.missing-field-refused",),
        ),
        Fault(
            "modify-200-body",
            "PATCH answers 200 with the changed object instead of 204.",
            ("leaddesk.writes.modify-no-content",),
        ),
        Fault(
            "patch-ignored",
            "PATCH answers 204 without applying the change.",
            ("leaddesk.writes.modify-applied",),
        ),
        Fault(
            "delete-soft",
            "DELETE answers 204 but the user or product stays readable (and deletable).",
            ("leaddesk.writes.delete-204-then-404",),
        ),
        Fault(
            "second-delete-204",
            "A second DELETE of a deleted user or product answers 204 again.",
            ("leaddesk.writes.delete-204-then-404",),
        ),
        Fault(
            "patch-clears-unsent",
            "PATCH /campaigns/{id} empties the relations the body does not name.",
            ("leaddesk.writes.patch-partial",),
        ),
        Fault(
            "keys-case-insensitive",
            "Campaign attribute keys are read case-insensitively (Products works as products).",
            ("leaddesk.writes.keys-case-sensitive",),
        ),
        Fault(
            "unknown-relation-dropped",
            "A relation to an object that does not exist is dropped silently and the rest applied (204).",
            ("leaddesk.writes.invalid-value-refused",),
        ),
        Fault(
            "relation-post-201",
            "POST /campaigns/{id} that only adds relations answers 201 Created {id}.",
            ("leaddesk.writes.post-adds",),
        ),
        Fault(
            "post-relation-200",
            "POST /campaigns/{id} that only adds relations answers 200 with the campaign, not 204.",
            ("leaddesk.writes.relation-no-content",),
        ),
        Fault(
            "relation-delete-deletes-object",
            "DELETE /campaigns/{id}/users/{user id} deletes the user itself, not only the relation.",
            ("leaddesk.writes.delete-relation",),
        ),
        Fault(
            "patch-array-merges",
            "PATCH /campaigns/{id} with products or users adds them instead of replacing the relation.",
            ("leaddesk.writes.patch-array-replaces",),
        ),
        Fault(
            "post-replaces",
            "POST /campaigns/{id} with products or users replaces the relation instead of adding.",
            ("leaddesk.writes.post-adds",),
        ),
        Fault(
            "post-duplicates",
            "Adding an already attached product or user attaches it a second time.",
            ("leaddesk.writes.post-adds",),
        ),
        Fault(
            "subresource-patch-adds",
            "PATCH /campaigns/{id}/users (or /products) adds instead of replacing.",
            ("leaddesk.writes.subresource-patch",),
        ),
        # --- generated requests ---
        Fault(
            "large-per-page-500",
            "per_page above 200 answers 500 internal_error.",
            ("leaddesk.schema.list-response-conformance", "leaddesk.errors.no-server-error"),
        ),
        Fault(
            "page-past-end-416",
            "A page past the last answers 416, a status the document does not list.",
            ("leaddesk.schema.list-response-conformance", "leaddesk.schema.status-code-documented"),
        ),
    ]
)
