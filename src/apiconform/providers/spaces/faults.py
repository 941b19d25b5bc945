"""The Spaces reference server's faults: each switches on one deviation from the contract."""

from __future__ import annotations

from apiconform.reference.faults import Fault, FaultCatalogue

FAULTS = FaultCatalogue(
    [
        # --- authentication ---
        Fault(
            "basic-empty-password-rejected",
            "An empty Basic password is refused (401): only token:<a non-empty password> authenticates.",
            ("spaces.auth.basic-accepted",),
        ),
        Fault(
            "bearer-only",
            "Basic is refused (401 challenging Bearer); the token is accepted only as Bearer <token>.",
            ("spaces.auth.basic-accepted",),
        ),
        Fault(
            "missing-auth-served",
            "A request without credentials is served as if it were authenticated.",
            ("spaces.auth.missing-401",),
        ),
        Fault(
            "missing-auth-403",
            "A request without credentials gets 403 instead of 401.",
            ("spaces.auth.missing-401",),
        ),
        Fault(
            "invalid-token-served",
            "An unknown access token is served as if it were the configured one.",
            ("spaces.auth.invalid-token-401",),
        ),
        Fault(
            "no-www-authenticate",
            "401 answers carry no WWW-Authenticate challenge.",
            ("spaces.auth.www-authenticate",),
        ),
        # --- transport ---
        Fault(
            "plain-http-served",
            "The plain-HTTP listener serves the API, without authentication (a proxy port that skips it).",
            ("spaces.transport.https-only",),
        ),
        Fault(
            "plain-http-redirect-with-data",
            "The plain-HTTP listener answers 301 to HTTPS with the list (served unauthenticated) as body.",
            ("spaces.transport.https-only",),
        ),
        Fault(
            "plain-http-authenticated-served",
            "The plain-HTTP listener serves the API to authenticated requests (401 to the others, as the "
            "API itself answers them): only a probe carrying plain_http_probe_token can show it.",
            ("spaces.transport.https-only",),
        ),
        Fault(
            "no-hsts",
            "Responses carry no Strict-Transport-Security header.",
            ("spaces.transport.hsts",),
        ),
        # --- lists ---
        Fault(
            "list-bare-array",
            "Lists are a bare JSON array of the objects instead of {object, data, has_more}.",
            ("spaces.lists.shape",),
        ),
        Fault(
            "list-object-missing",
            'Lists omit the "object" member.',
            ("spaces.lists.shape",),
        ),
        Fault(
            "has-more-string",
            'has_more is the string "true" or "false" instead of a boolean.',
            ("spaces.lists.shape", "spaces.schema.list-response-conformance"),
        ),
        Fault(
            "limit-required",
            "A list request without limit is refused with 400 (limit treated as a required parameter).",
            (
                "spaces.lists.shape",
                "spaces.pagination.default-limit",
                "spaces.schema.list-response-conformance",
            ),
        ),
        Fault(
            "cursor-required",
            "A list request with neither starting_after nor starting_before is refused with 400 (a cursor "
            "treated as a required parameter): the first page cannot be fetched.",
            ("spaces.schema.list-response-conformance",),
        ),
        Fault(
            "objects-without-id",
            "Every fifth object of a list page but its last is served without its id (the others carry it).",
            ("spaces.lists.objects-have-id",),
        ),
        # --- pagination ---
        Fault(
            "default-limit-10",
            "The default limit is 10 instead of 20 (limit=20 still serves 20).",
            ("spaces.pagination.default-limit",),
        ),
        Fault(
            "limit-exceeded",
            "limit N serves N+1 objects.",
            ("spaces.pagination.limit-honoured",),
        ),
        Fault(
            "limit-off-by-one",
            "limit N serves N-1 objects (at least 1) while has_more stays as if N were served.",
            ("spaces.pagination.full-pages", "spaces.pagination.forward-walk"),
        ),
        Fault(
            "limit-unbounded",
            "A limit above 100 is served as asked (up to every object); 0 or below serves an empty page.",
            ("spaces.pagination.limit-out-of-range", "spaces.pagination.limit-rejected-400"),
        ),
        Fault(
            "limit-above-max-served",
            "A limit above 100 is served as asked (up to every object); 0 and below are refused (400).",
            ("spaces.pagination.limit-out-of-range", "spaces.pagination.limit-rejected-400"),
        ),
        Fault(
            "limit-clamped",
            "A limit outside 1-100 is clamped into 1-100 silently (200) instead of rejected.",
            ("spaces.pagination.limit-rejected-400",),
        ),
        Fault(
            "starting-after-inclusive",
            "The page after cursor X starts with X itself.",
            ("spaces.pagination.forward-walk",),
        ),
        Fault(
            "starting-after-skips-one",
            "The page after cursor X skips the object right after X.",
            ("spaces.pagination.forward-walk",),
        ),
        Fault(
            "starting-before-ignored",
            "starting_before is ignored: the first page is served.",
            ("spaces.pagination.backward-walk",),
        ),
        Fault(
            "starting-before-as-after",
            "starting_before behaves like starting_after (the document's copy slip taken literally).",
            ("spaces.pagination.backward-walk",),
        ),
        Fault(
            "has-more-always-true",
            "has_more is always true.",
            ("spaces.pagination.has-more-exact",),
        ),
        Fault(
            "has-more-when-full",
            "has_more is true whenever the page is full (even when nothing follows), false otherwise.",
            ("spaces.pagination.has-more-exact",),
        ),
        Fault(
            "has-more-backward-list-order",
            "starting_before pages say has_more true whenever objects follow the page in list order: always.",
            ("spaces.pagination.has-more-backward",),
        ),
        Fault(
            "order-depends-on-limit",
            "With a limit below 50 the list is ordered by id instead of by created.",
            ("spaces.pagination.order-independent-of-limit",),
        ),
        Fault(
            "both-cursors-500",
            "starting_after and starting_before together answer 500.",
            ("spaces.pagination.both-cursors", "spaces.errors.no-server-error"),
        ),
        Fault(
            "unknown-cursor-first-page",
            "A cursor naming no object is ignored: the first page is served.",
            ("spaces.pagination.unknown-cursor-400-404",),
        ),
        Fault(
            "unknown-cursor-500",
            "A cursor naming no object answers 500.",
            ("spaces.pagination.unknown-cursor-400-404", "spaces.errors.no-server-error"),
        ),
        Fault(
            "garbage-cursor-500",
            "A cursor with a character no id has (a space, punctuation) answers 500; an unknown id of "
            "the ids' own form still gets 400.",
            ("spaces.pagination.unknown-cursor-400-404", "spaces.errors.no-server-error"),
        ),
        Fault(
            "unknown-cursor-422",
            "A cursor naming no object answers 422, a code the document does not give for it (400 invalid "
            "parameter, 404 not found).",
            ("spaces.pagination.unknown-cursor-400-404",),
        ),
        # --- errors ---
        Fault(
            "unknown-customer-400",
            "GET /customers/{id} of an unknown id answers 400 instead of 404.",
            ("spaces.errors.unknown-resource-404",),
        ),
        Fault(
            "unknown-path-200",
            "An unknown path under /api/v1 answers 200 with {}.",
            ("spaces.errors.unknown-resource-404",),
        ),
        Fault(
            "invalid-limit-ignored",
            "A limit that is not an integer is ignored (the default page, 200).",
            ("spaces.errors.invalid-parameter-400",),
        ),
        Fault(
            "invalid-limit-422",
            "A limit that is not an integer answers 422 instead of 400.",
            ("spaces.errors.invalid-parameter-400", "spaces.schema.status-code-documented"),
        ),
        Fault(
            "errors-html",
            "Error responses are text/html pages instead of JSON.",
            ("spaces.errors.json-body", "spaces.errors.json-media-type"),
        ),
        Fault(
            "errors-text-plain",
            "Error bodies are JSON but declared text/plain.",
            ("spaces.errors.json-media-type",),
        ),
        Fault(
            "errors-no-message",
            "Error bodies are {} (no message).",
            ("spaces.errors.message",),
        ),
        Fault(
            "error-message-codes",
            'Error messages are machine codes ("auth_missing", "limit_invalid", "not_found"), not text.',
            ("spaces.errors.message-readable",),
        ),
        Fault(
            "error-message-constant",
            'Every error carries the same message, "Error", whatever went wrong.',
            ("spaces.errors.message-readable",),
        ),
        # --- generated requests ---
        Fault(
            "list-large-limit-500",
            "A limit above 50 answers 500.",
            ("spaces.schema.list-response-conformance", "spaces.errors.no-server-error"),
        ),
    ]
)
