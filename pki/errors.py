"""The project's one error hierarchy and its one catalogue of error codes.

Domain code raises these; only ``api/`` turns them into HTTP problem documents
(RFC 9457). Each class fixes the HTTP-ish category; each instance carries a stable
machine ``code`` from :class:`ErrorCode`, a message a person can act on, and optional
structured ``data``.

Raise for misuse, undecodable input, not-found, refusals and conflicts. Anything
the verifier managed to evaluate is a *verdict* (with a :class:`pki.reasons.Reason`),
not an exception.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Every code an error (or a problem document) can carry. The value is the wire code.

    Codes are part of the public API: clients branch on them, so never rename one; add new
    ones here instead (one member per code, in the section of the layer that raises it).
    """

    # --- undecodable input: certificates, keys, signatures, revocation data ---
    MALFORMED_CERTIFICATE = "malformed_certificate"
    MALFORMED_CRL = "malformed_crl"
    CRL_ENTRY = "crl_entry"  # a CRL entry that cannot be read
    MALFORMED_OCSP = "malformed_ocsp"
    MALFORMED_CSR = "malformed_csr"
    MALFORMED_KEY = "malformed_key"  # undecodable key, off-curve point, out-of-range scalar
    MALFORMED_DIGEST = "malformed_digest"  # a digest of the wrong length
    MALFORMED_PKCS12 = "malformed_pkcs12"
    MALFORMED_SIGNATURE = "malformed_signature"  # undecodable CMS / XMLDSig / AlgorithmIdentifier
    MALFORMED_SERIAL = "malformed_serial"
    SIGNATURE_TOO_LARGE = "signature_too_large"
    XML_FORBIDDEN = "xml_forbidden"  # EDS-10: DTD, entities, oversize
    BAD_PASSWORD = "bad_password"  # a PKCS#12 MAC or decryption check failed
    KEY_ALIAS_NOT_FOUND = "key_alias_not_found"  # a PKCS#12 without the key alias asked for
    TIME_STAMP_REFUSED = "time_stamp_refused"  # RFC 3161: the TSA does not stamp this request
    TIME_STAMP_NOT_FOUND = "time_stamp_not_found"  # no token of our TSA has that serial
    TIME_STAMP_UNAVAILABLE = "time_stamp_unavailable"  # the TSA cannot record tokens now (its database)
    NO_SIGNED_CONTENT = "no_signed_content"  # extracting from a detached CMS
    MALFORMED_PDF = "malformed_pdf"  # a PDF pyHanko cannot read or update (broken, encrypted)
    MALFORMED_JWT = "malformed_jwt"  # not a compact JWS with JSON object header and payload
    NO_PDF_SIGNATURES = "no_pdf_signatures"  # NCANode's /pdf/verify of a PDF without signatures (404)
    NOT_SOAP_ENVELOPE = "not_soap_envelope"  # WS-Security: the document is no SOAP envelope (one Body)
    ALREADY_SIGNED = "already_signed"  # WS-Security: the Security header already holds a signature
    SIGNED_DATA_MISSING = "signed_data_missing"  # co-signing a detached CMS without its data
    BAD_PASSPHRASE = "bad_passphrase"  # EDS-21: the CA key passphrase does not open the key
    EMPTY_PASSPHRASE = "empty_passphrase"  # EDS-21: CA keys are never stored in clear

    # --- algorithms ---
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    UNSUPPORTED_PARAMETERS = "unsupported_parameters"  # GOST: unknown or mismatched parameter set
    ALGORITHM_MISMATCH = "algorithm_mismatch"  # GOST: a signature OID of another key type
    KEY_ALGORITHM_MISMATCH = "key_algorithm_mismatch"  # a JWT algorithm the signing key cannot make
    UNSUPPORTED_CA_KEY = "unsupported_ca_key"
    UNSUPPORTED_KEY_ALGORITHM = "unsupported_key_algorithm"  # a CSR's key or signature algorithm
    UNKNOWN_KEY_ALGORITHM = "unknown_key_algorithm"  # EDS-21: the CA key algorithm named

    # --- request documents (JSON bodies, query parameters, CLI options) ---
    MALFORMED_REQUEST = "malformed_request"
    MALFORMED_JSON = "malformed_json"
    EXPECTED_JSON_OBJECT = "expected_json_object"
    MISSING_FIELD = "missing_field"
    UNEXPECTED_FIELD = "unexpected_field"
    WRONG_TYPE = "wrong_type"
    INVALID_VALUE = "invalid_value"
    INVALID_BASE64 = "invalid_base64"
    INVALID_DATETIME = "invalid_datetime"
    DATETIME_OUT_OF_RANGE = "datetime_out_of_range"  # outside 1950..9000 UTC (api/models/fields.py)
    INVALID_CHARACTERS = "invalid_characters"  # NUL / control characters / lone surrogates in a string
    NAME_TOO_LONG = "name_too_long"

    # --- identity numbers (EDS-14, UNIS-3) ---
    INVALID_IIN = "invalid_iin"
    INVALID_BIN = "invalid_bin"

    # --- operators: authentication and roles ---
    MISSING_TOKEN = "missing_token"
    INVALID_TOKEN = "invalid_token"
    TOKEN_EXPIRED = "token_expired"  # an operator token at or past its expires_at
    TOKEN_REVOKED = "token_revoked"  # an operator token revoked (kzpki operators revoke)
    UNKNOWN_TOKEN = "unknown_token"  # no operator token with that id
    ROLE_FORBIDDEN = "role_forbidden"
    CA_OUT_OF_SCOPE = "ca_out_of_scope"
    INVALID_OPERATOR = "invalid_operator"
    OPERATOR_EXISTS = "operator_exists"
    UNKNOWN_OPERATOR = "unknown_operator"
    # console sign-in by name, password and TOTP code: one code for every cause (no oracle); the audit
    # entry names the cause
    INVALID_CREDENTIALS = "invalid_credentials"
    CSRF_TOKEN_INVALID = "csrf_token_invalid"  # console form posted without its session's CSRF token
    SIGN_IN_RATE_LIMITED = "sign_in_rate_limited"  # console: too many failed sign-ins from one client
    # an operator's own new console password (ca_sim.operator_credentials.check_new_password)
    PASSWORD_TOO_SHORT = "password_too_short"
    PASSWORD_TOO_LONG = "password_too_long"
    PASSWORD_CONTAINS_NAME = "password_contains_name"
    PASSWORD_UNCHANGED = "password_unchanged"
    PASSWORDS_DIFFER = "passwords_differ"  # the console form's new password and its repetition
    TEST_MODE_ONLY = "test_mode_only"  # the tester role on a production deployment

    # --- the CA hierarchy ---
    UNKNOWN_CA = "unknown_ca"
    UNKNOWN_CA_CERTIFICATE = "unknown_ca_certificate"
    HIERARCHY_INCOMPLETE = "hierarchy_incomplete"
    HIERARCHY_ALGORITHM_MISMATCH = "hierarchy_algorithm_mismatch"
    HIERARCHY_NOT_VALID_AT = "hierarchy_not_valid_at"
    ISSUER_NOT_VALID = "issuer_not_valid"

    # --- issuance refusals (EDS-14-1) ---
    INCOMPLETE_APPLICATION = "incomplete_application"  # EDS-14-1 (1)
    FALSE_INFORMATION = "false_information"  # EDS-14-1 (2)
    COURT_DECISION = "court_decision"  # EDS-14-1 (3)
    UNDER_AGE = "under_age"  # EDS-14-1 (4), EDS-14
    PROOF_OF_POSSESSION_FAILED = "proof_of_possession_failed"
    WEAK_PASSWORD = "weak_password"  # EDS-21: a PKCS#12 password below ca_sim.pkcs12_password's policy

    # --- court orders (EDS-14-1 (3)) ---
    INCOMPLETE = "incomplete"
    UNKNOWN_COURT_ORDER = "unknown_court_order"
    ALREADY_LIFTED = "already_lifted"

    # --- the register: revocation, suspension, retention (EDS-16, EDS-17, EDS-18) ---
    UNKNOWN_CERTIFICATE = "unknown_certificate"
    UNKNOWN_GROUND = "unknown_ground"  # EDS-18
    REASON_NOT_ALLOWED = "reason_not_allowed"  # EDS-18
    DOCUMENT_REQUIRED = "document_required"  # EDS-18
    REQUESTER_REQUIRED = "requester_required"  # EDS-18
    INVALIDITY_DATE_IN_FUTURE = "invalidity_date_in_future"
    ALREADY_REVOKED = "already_revoked"
    ALREADY_ON_HOLD = "already_on_hold"
    NOT_ON_HOLD = "not_on_hold"
    HOLD_END_NOT_AFTER_START = "hold_end_not_after_start"  # a hold's end date at or before the hold
    OUT_OF_ORDER = "out_of_order"  # the certificate changed after the given time
    RETENTION_PERIOD = "retention_period"  # EDS-16: kept five years

    # --- published revocation data ---
    NO_CRL = "no_crl"
    NO_BASE_CRL = "no_base_crl"
    UNKNOWN_CRL = "unknown_crl"
    REVOCATION_UNAVAILABLE = "revocation_unavailable"

    # --- UNIS accounts (UNIS-4, UNIS-5) ---
    ACCOUNT_EXISTS = "account_exists"
    ACCOUNT_NOT_FOUND = "account_not_found"  # UNIS-4
    ACCOUNT_STATUS_CONFLICT = "account_status_conflict"  # UNIS-5
    INVALID_ACCOUNT_REASON = "invalid_account_reason"  # UNIS-5
    INVALID_CHAMBER = "invalid_chamber"
    INVALID_SUSPENSION_END = "invalid_suspension_end"  # UNIS-5-1

    # --- the owner's own requests (PD-24, DD-9) ---
    POSSESSION_NOT_PROVEN = "possession_not_proven"  # the signed challenge did not authenticate

    # --- operations endpoints (api/blueprints/observability.py) ---
    METRICS_DISABLED = "metrics_disabled"  # GET /metrics without KZPKI_METRICS_TOKEN configured
    NOT_READY = "not_ready"  # GET /readyz: a component the service needs is not usable (503)
    ACTUATOR_GROUP_NOT_FOUND = "actuator_group_not_found"  # NCANode's /actuator/health/<group>

    # --- state-body documents and Open Access (DD-8, DD-9, DD-14) ---
    NOT_STATE_BODY = "not_state_body"  # DD-8: signed by an individual's (or an unauthorised) certificate
    DOCUMENT_NOT_VERIFIED = "document_not_verified"  # DD-8: the verdict in document mode did not pass
    MALFORMED_DOCUMENT = "malformed_document"  # the signed content is not a digital document
    DOCUMENT_EXISTS = "document_exists"
    DOCUMENT_NOT_FOUND = "document_not_found"  # DD-9: also for another person's document
    GRANT_NOT_FOUND = "grant_not_found"
    GRANT_EXPIRED = "grant_expired"  # DD-14: a temporary grant has ended
    GRANT_REVOKED = "grant_revoked"  # DD-9: the owner withdrew consent
    GRANT_ALREADY_REVOKED = "grant_already_revoked"
    INVALID_GRANT_EXPIRY = "invalid_grant_expiry"  # DD-14: not after now, or too far ahead

    # --- HTTP routing and the last resort (api/problems.py) ---
    NO_SUCH_ENDPOINT = "no_such_endpoint"
    NO_SUCH_ASSET = "no_such_asset"  # /docs/assets/<name>
    METHOD_NOT_ALLOWED = "method_not_allowed"
    REQUEST_TOO_LARGE = "request_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    INTERNAL_ERROR = "internal_error"


class KzPkiError(Exception):
    """Base class. ``code`` is stable and documented; ``message`` is for people."""

    category = "error"

    def __init__(self, code: ErrorCode, message: str, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={str(self.code)!r}, message={self.message!r})"


class InvalidInput(KzPkiError):
    """The input cannot be decoded or is structurally wrong (garbage base64, truncated DER, ...)."""

    category = "invalid_input"


class Unauthenticated(KzPkiError):
    """No or unknown credentials."""

    category = "unauthenticated"


class Forbidden(KzPkiError):
    """Authenticated, but the role or CA scope does not allow the action."""

    category = "forbidden"


class NotFound(KzPkiError):
    """The named object (CA, certificate, account, challenge) does not exist."""

    category = "not_found"


class Conflict(KzPkiError):
    """The action conflicts with the current state (e.g. revoking a revoked certificate)."""

    category = "conflict"


class Gone(KzPkiError):
    """The object existed but no longer gives access (an expired or withdrawn grant, DD-9/DD-14)."""

    category = "gone"


class Refused(KzPkiError):
    """A rule of the law refuses the request (e.g. EDS-14-1 refusals of issuance)."""

    category = "refused"


class Unavailable(KzPkiError):
    """Something the request needs cannot be used now (the database behind it); the same request may
    succeed later."""

    category = "unavailable"


class UnsupportedAlgorithm(KzPkiError):
    """An algorithm we do not implement. Never a pass, never a crash."""

    category = "unsupported"


class GostError(InvalidInput, ValueError):
    """A GOST input :mod:`pki.gost` cannot use (still a ``ValueError``, as decoding errors are).

    Codes: ``unsupported_algorithm`` (hash or signature OID not a Kazakh GOST one),
    ``algorithm_mismatch`` (signature OID of another key type), ``unsupported_parameters``
    (unknown key / parameter-set OID or a mismatched pair), ``malformed_key`` (undecodable key,
    off-curve point, out-of-range private scalar), ``malformed_digest`` (digest of the wrong length),
    ``bad_password`` (PKCS#12 MAC or decryption check failed), ``malformed_pkcs12`` (undecodable or
    unsupported PKCS#12 structure). Callers that know the context re-raise it as the class that
    fits (e.g. :class:`UnsupportedAlgorithm` for an unsupported parameter set of a signer's key).
    """
