"""The LeadDesk reference server's faults: each switches on one deviation from the contract."""

from __future__ import annotations

from apiconform.reference.faults import Fault, FaultCatalogue

FAULTS = FaultCatalogue(
    [
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
            ("leaddesk.auth.read-only-write-403",),
        ),
        # --- errors ---
        Fault(
            "errors-without-description",
            "Error bodies carry error but no error_description.",
            ("leaddesk.errors.shape",),
        ),
        Fault(
            "validation-no-details",
            "A 422 validation_failed carries no error_validation.",
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
            ("leaddesk.errors.non-json-415",),
        ),
        Fault(
            "non-json-400",
            "A body that is not application/json answers 400 instead of 415.",
            ("leaddesk.errors.non-json-415",),
        ),
        # --- media ---
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
        # --- writes ---
        Fault(
            "create-no-id",
            "A create answers 204 with no body.",
            ("leaddesk.writes.create-returns-id",),
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
    ]
)
