"""Stable reason codes: one vocabulary for verdict checks, login decisions and fixture manifests.

Each code names the rule id (rules.md) it enforces. Codes are part of the public
API: clients branch on them, so never rename one; add new ones instead.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a check failed or could not be decided. The value is the wire code."""

    # --- the signature object (EDS-10) ---
    MALFORMED_SIGNATURE = "malformed_signature"  # undecodable CMS / XML
    NO_SIGNERS = "no_signers"  # zero SignerInfos is a failure, never a pass
    SIGNED_DATA_MISSING = "signed_data_missing"  # detached signature and no data supplied
    SIGNER_CERTIFICATE_MISSING = "signer_certificate_missing"
    CONTENT_MISMATCH = "content_mismatch"  # message digest / reference digest wrong
    SIGNATURE_INVALID = "signature_invalid"  # the cryptographic check failed
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    SIGNING_CERTIFICATE_MISMATCH = "signing_certificate_mismatch"  # signingCertificateV2 names another cert
    XML_WRAPPING = "xml_wrapping"  # references do not cover the whole document (WS-Security: the Body)
    XML_FORBIDDEN = "xml_forbidden"  # DTD / entities / oversize
    NOT_SOAP_ENVELOPE = "not_soap_envelope"  # WS-Security: no SOAP envelope with one Body
    PDF_PARTIAL_COVERAGE = "pdf_partial_coverage"  # PDF: bytes of the signed revision left unsigned
    PDF_MODIFIED = "pdf_modified"  # PDF: a later revision changed more than signatures and form fields
    PROCESSING_ERROR = "processing_error"  # a defect met on this input: nothing verified (verifier.guard)

    # --- the chain to the Kazakh root (EDS-10) ---
    UNTRUSTED_ROOT = "untrusted_root"
    CHAIN_INVALID = "chain_invalid"
    CERTIFICATE_EXPIRED = "certificate_expired"
    CERTIFICATE_NOT_YET_VALID = "certificate_not_yet_valid"
    WRONG_KEY_USAGE = "wrong_key_usage"  # EDS-10 scope: KU / EKU / policy not for this use

    # --- revocation (EDS-18, UNIS-11) ---
    REVOKED = "revoked"
    ON_HOLD = "on_hold"  # certificateHold: temporary
    REVOCATION_UNKNOWN = "revocation_unknown"  # no usable answer: fail closed for logins
    REVOCATION_STALE = "revocation_stale"  # CRL past nextUpdate / OCSP too old
    REVOCATION_INVALID = "revocation_invalid"  # bad signature, unauthorised responder, CertID/nonce mismatch

    # --- identity (EDS-14, UNIS-3) ---
    INVALID_IIN = "invalid_iin"
    INVALID_BIN = "invalid_bin"  # BIN checksum / month wrong (production mode)
    TEST_IDENTITY = "test_identity"  # NCA test IIN accepted in test-PKI mode (a warning)
    TEST_CERTIFICATE = "test_certificate"  # a tester's certificate: refused in production, warned in test
    UNDER_AGE = "under_age"  # EDS-14
    NOT_INDIVIDUAL = "not_individual"  # UNIS-3

    # --- UNIS login (UNIS-4 .. UNIS-12, UNIS-2025-bio) ---
    CHALLENGE_UNKNOWN = "challenge_unknown"
    CHALLENGE_EXPIRED = "challenge_expired"
    CHALLENGE_USED = "challenge_used"  # UNIS-9/10: single use, no replay
    CHALLENGE_MISMATCH = "challenge_mismatch"  # signed content is not this challenge's nonce
    ACCOUNT_NOT_FOUND = "account_not_found"  # UNIS-4
    ACCOUNT_SUSPENDED = "account_suspended"  # UNIS-5-1, temporary
    ACCOUNT_BLOCKED = "account_blocked"  # UNIS-5/6
    ACCOUNT_TERMINATED = "account_terminated"  # UNIS-5/6
    EDS_NOT_REISSUED = "eds_not_reissued"  # UNIS-12: certificate issued over a year ago
    BIOMETRIC_MISSING = "biometric_missing"  # UNIS-2025-bio
    BIOMETRIC_INVALID = "biometric_invalid"
    BIOMETRIC_STALE = "biometric_stale"


# The rule ids (rules.md) each reason enforces: what /docs shows beside the code.
RULE_IDS: dict[Reason, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            Reason.MALFORMED_SIGNATURE,
            Reason.NO_SIGNERS,
            Reason.SIGNED_DATA_MISSING,
            Reason.SIGNER_CERTIFICATE_MISSING,
            Reason.CONTENT_MISMATCH,
            Reason.SIGNATURE_INVALID,
            Reason.UNSUPPORTED_ALGORITHM,
            Reason.SIGNING_CERTIFICATE_MISMATCH,
            Reason.XML_WRAPPING,
            Reason.XML_FORBIDDEN,
            Reason.NOT_SOAP_ENVELOPE,
            Reason.PDF_PARTIAL_COVERAGE,
            Reason.PDF_MODIFIED,
            Reason.PROCESSING_ERROR,
            Reason.UNTRUSTED_ROOT,
            Reason.CHAIN_INVALID,
            Reason.CERTIFICATE_EXPIRED,
            Reason.CERTIFICATE_NOT_YET_VALID,
            Reason.WRONG_KEY_USAGE,
        ),
        ("EDS-10",),
    ),
    Reason.REVOKED: ("EDS-18", "UNIS-11"),
    Reason.ON_HOLD: ("EDS-18", "UNIS-11"),
    Reason.REVOCATION_UNKNOWN: ("UNIS-11",),
    Reason.REVOCATION_STALE: ("UNIS-11",),
    Reason.REVOCATION_INVALID: ("UNIS-11",),
    Reason.INVALID_IIN: ("EDS-15", "UNIS-3"),
    Reason.INVALID_BIN: ("EDS-15",),
    Reason.TEST_IDENTITY: ("UNIS-3",),
    Reason.TEST_CERTIFICATE: ("UNIS-3",),
    Reason.UNDER_AGE: ("EDS-14",),
    Reason.NOT_INDIVIDUAL: ("UNIS-3",),
    Reason.CHALLENGE_UNKNOWN: ("UNIS-8",),
    Reason.CHALLENGE_EXPIRED: ("UNIS-9/10",),
    Reason.CHALLENGE_USED: ("UNIS-9/10",),
    Reason.CHALLENGE_MISMATCH: ("UNIS-8",),
    Reason.ACCOUNT_NOT_FOUND: ("UNIS-4",),
    Reason.ACCOUNT_SUSPENDED: ("UNIS-5-1",),
    Reason.ACCOUNT_BLOCKED: ("UNIS-5/6",),
    Reason.ACCOUNT_TERMINATED: ("UNIS-5/6",),
    Reason.EDS_NOT_REISSUED: ("UNIS-12",),
    Reason.BIOMETRIC_MISSING: ("UNIS-2025-bio",),
    Reason.BIOMETRIC_INVALID: ("UNIS-2025-bio",),
    Reason.BIOMETRIC_STALE: ("UNIS-2025-bio",),
}
