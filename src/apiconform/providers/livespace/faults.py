"""The Livespace reference server's faults: each switches on one deviation from the contract."""

from __future__ import annotations

from apiconform.providers.livespace.codes import REFUSAL_RULES
from apiconform.reference.faults import Fault, FaultCatalogue

FAULTS = FaultCatalogue(
    [
        # --- envelope ---
        Fault(
            "http-status-mirrors-result",
            "Failed calls answer HTTP 400 (result below 500) or HTTP 500 (result 500 and above).",
            ("livespace.envelope.http-200",),
        ),
        Fault(
            "html-on-error",
            "Failed calls answer an HTML page (HTTP 200) instead of the JSON envelope.",
            ("livespace.envelope.json",),
        ),
        Fault(
            "envelope-extra-key",
            'Every response also has a "message" member next to data, error, result and status.',
            ("livespace.envelope.only-members",),
        ),
        Fault(
            "envelope-missing-error",
            'Successful responses omit the "error" member.',
            ("livespace.envelope.members",),
        ),
        Fault(
            "status-true-on-error",
            "status is true on failures too.",
            ("livespace.envelope.status-false-on-failure",),
        ),
        Fault(
            "status-as-string",
            'status is the string "true" or "false" instead of a boolean.',
            ("livespace.envelope.status-false-on-failure", "livespace.envelope.status-true-on-success"),
        ),
        Fault(
            "undocumented-result",
            "An unknown module answers result 404 instead of 514.",
            ("livespace.envelope.documented-result", "livespace.routing.unknown-module-514"),
        ),
        # --- authorization ---
        Fault(
            "token-without-session",
            "getToken answers an empty session_id (calls without a session are matched by their signature).",
            ("livespace.auth.token",),
        ),
        Fault(
            "sha-secret-first",
            "The server expects _api_sha = SHA1(secret + token + key) instead of SHA1(key + token + secret).",
            ("livespace.auth.signed-call-accepted",),
        ),
        Fault(
            "missing-sha-served",
            "A call without _api_sha is served (no signature is checked).",
            ("livespace.auth.missing-parameters",),
        ),
        Fault(
            "unknown-key-served",
            "An unknown _api_key on a call is not refused: the session's user is served.",
            ("livespace.auth.unknown-key",),
        ),
        Fault(
            "bad-signature-served",
            "_api_sha is never compared with the expected signature.",
            ("livespace.auth.bad-signature",),
        ),
        Fault(
            "unknown-session-served",
            "A session id the server never issued is accepted (with any _api_sha).",
            ("livespace.auth.unknown-session",),
        ),
        Fault(
            "unknown-auth-method-served",
            "_api_auth is not checked (getToken and calls).",
            ("livespace.auth.unknown-auth-method",),
        ),
        Fault(
            "session-reissued",
            "getToken answers a key the session it issued last once a call has used it (sessions stay "
            "single use): the call after it is refused (563).",
            ("livespace.auth.token-each-time",),
        ),
        Fault(
            "session-reusable",
            "A token and session can be used for any number of calls.",
            ("livespace.auth.session-single-use",),
        ),
        Fault(
            "imprecise-auth-codes",
            "Every authorization failure answers result 564 (General error) instead of the code of its "
            "case (560-563, 530).",
            REFUSAL_RULES,
        ),
        Fault(
            "auth-codes-swapped",
            "An unknown key answers 563 (No authorization) and a wrong signature 562 (Incorrect key): "
            "each the code of the other case.",
            ("livespace.auth.unknown-key", "livespace.auth.bad-signature", "livespace.auth.precise-codes"),
        ),
        Fault(
            "read-only-can-write",
            "The read-only user may call write methods (no 540).",
            ("livespace.auth.no-permission-540",),
        ),
        Fault(
            "read-only-reads-refused",
            "The read-only user's calls of reading methods are refused as unauthorized (563); its writes "
            "get 540.",
            ("livespace.auth.no-permission-540",),
        ),
        Fault(
            "forbidden-write-applied",
            "A write by the read-only user answers 540, but is carried out all the same.",
            ("livespace.auth.no-permission-540",),
        ),
        # --- routing ---
        Fault(
            "unknown-method-400",
            "An unknown method of a known module answers result 400 instead of 515.",
            ("livespace.routing.unknown-method",),
        ),
        Fault(
            "unknown-format-served",
            "Any output format in the path is served as json instead of result 516.",
            ("livespace.routing.unknown-format-516",),
        ),
        # --- methods ---
        Fault(
            "contact-missing-created",
            'Contacts lack "created" in the data of Contact/getAll and Contact/get.',
            ("livespace.methods.client-shapes",),
        ),
        Fault(
            "get-another-contact",
            "Contact/get answers the contact after the one asked for.",
            ("livespace.methods.read-by-id",),
        ),
        Fault(
            "validation-ignored",
            "Invalid parameters are ignored: limit/offset take their defaults, Contact/add without "
            "firstname succeeds, Contact/get without a valid id answers 200 with data null.",
            ("livespace.methods.invalid-parameters-refused", "livespace.methods.validation-420"),
        ),
        Fault(
            "validation-550",
            "Validation failures answer result 550 instead of 420.",
            ("livespace.methods.validation-420",),
        ),
        Fault(
            "delete-not-applied",
            "Contact/delete answers 200 but the contact stays.",
            ("livespace.methods.write-persists",),
        ),
        Fault(
            "large-limit-crash",
            "A limit above 50 (getAll, or any Contact method) answers HTTP 500 with a plain-text body.",
            ("livespace.methods.generated-envelope",),
        ),
    ]
)
