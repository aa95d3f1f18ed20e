"""The verdict: an ETSI EN 319 102-1 indication derived from the ordered checks, plus the facts.

The indication is never stored: :func:`conclude` derives it from the checks, in this one place,
so a verdict cannot say TOTAL_PASSED while any check failed or stayed unknown. ``to_json()`` is
the stable wire format (keys never renamed; new keys may be added).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from pki.calendar import iso_time
from pki.errors import InvalidInput, UnsupportedAlgorithm
from pki.reasons import Reason
from verifier.policy import Purpose


class Indication(StrEnum):
    """ETSI EN 319 102-1 main indication."""

    TOTAL_PASSED = "TOTAL_PASSED"
    TOTAL_FAILED = "TOTAL_FAILED"
    INDETERMINATE = "INDETERMINATE"


class SubIndication(StrEnum):
    """ETSI EN 319 102-1 sub-indications used here."""

    FORMAT_FAILURE = "FORMAT_FAILURE"
    HASH_FAILURE = "HASH_FAILURE"
    SIG_CRYPTO_FAILURE = "SIG_CRYPTO_FAILURE"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    SIG_CONSTRAINTS_FAILURE = "SIG_CONSTRAINTS_FAILURE"
    CHAIN_CONSTRAINTS_FAILURE = "CHAIN_CONSTRAINTS_FAILURE"
    CRYPTO_CONSTRAINTS_FAILURE = "CRYPTO_CONSTRAINTS_FAILURE"
    SIGNED_DATA_NOT_FOUND = "SIGNED_DATA_NOT_FOUND"
    NO_SIGNING_CERTIFICATE_FOUND = "NO_SIGNING_CERTIFICATE_FOUND"
    NO_CERTIFICATE_CHAIN_FOUND = "NO_CERTIFICATE_CHAIN_FOUND"
    TRY_LATER = "TRY_LATER"


class CheckId(StrEnum):
    """Every check a verdict can hold. The value is the wire id (``checks[].id``); never rename one."""

    # --- the signature object (EDS-10) ---
    XML = "xml"  # well-formed XML without DTD or entities
    STRUCTURE = "structure"
    SIGNERS = "signers"
    ALGORITHM = "algorithm"
    SIGNER_CERTIFICATE = "signer_certificate"
    SIGNING_CERTIFICATE = "signing_certificate"  # signingCertificateV2 names the signer's certificate
    CONTENT = "content"
    CONTENT_TYPE = "content_type"
    MESSAGE_DIGEST = "message_digest"
    REFERENCE_DIGEST = "reference_digest"
    COVERAGE = "coverage"  # PDF: the byte range covers the revision; later revisions leave it alone
    SIGNATURE = "signature"
    PROCESSING = "processing"  # failed only: a defect met on this input (verifier.guard), nothing verified

    # --- time-stamp tokens (RFC 3161) ---
    SIGNED_ATTRIBUTES = "signed_attributes"
    TSA_NAME = "tsa_name"
    GEN_TIME = "gen_time"
    MESSAGE_IMPRINT = "message_imprint"

    # --- the certificate, its chain and revocation (EDS-10, EDS-18, UNIS-11) ---
    VALIDITY = "validity"
    KEY_USAGE = "key_usage"
    CHAIN = "chain"
    REVOCATION = "revocation"

    # --- identity (EDS-14, UNIS-3) ---
    IIN = "iin"
    BIN = "bin"
    AGE = "age"
    INDIVIDUAL = "individual"
    TEST_CERTIFICATE = "test_certificate"  # a tester's certificate outside test-PKI mode


class CheckStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"  # could not be decided (no revocation answer, unsupported algorithm)
    SKIPPED = "skipped"  # not applicable, or not run because an earlier check it needs failed


_F, _I = Indication.TOTAL_FAILED, Indication.INDETERMINATE
_S = SubIndication

# Reason -> what it means for the whole signature (EN 319 102-1 clause 5.1.3 tables).
REASON_OUTCOMES: dict[Reason, tuple[Indication, SubIndication]] = {
    Reason.MALFORMED_SIGNATURE: (_F, _S.FORMAT_FAILURE),
    Reason.NO_SIGNERS: (_F, _S.FORMAT_FAILURE),
    Reason.SIGNED_DATA_MISSING: (_I, _S.SIGNED_DATA_NOT_FOUND),
    Reason.SIGNER_CERTIFICATE_MISSING: (_I, _S.NO_SIGNING_CERTIFICATE_FOUND),
    Reason.CONTENT_MISMATCH: (_F, _S.HASH_FAILURE),
    Reason.SIGNATURE_INVALID: (_F, _S.SIG_CRYPTO_FAILURE),
    Reason.UNSUPPORTED_ALGORITHM: (_I, _S.CRYPTO_CONSTRAINTS_FAILURE),
    Reason.SIGNING_CERTIFICATE_MISMATCH: (_I, _S.NO_SIGNING_CERTIFICATE_FOUND),
    Reason.XML_WRAPPING: (_F, _S.FORMAT_FAILURE),
    Reason.XML_FORBIDDEN: (_F, _S.FORMAT_FAILURE),
    Reason.NOT_SOAP_ENVELOPE: (_F, _S.FORMAT_FAILURE),
    Reason.PDF_PARTIAL_COVERAGE: (_F, _S.FORMAT_FAILURE),
    Reason.PDF_MODIFIED: (_I, _S.SIG_CONSTRAINTS_FAILURE),  # our policy: nothing but signing after signing
    Reason.PROCESSING_ERROR: (_I, _S.FORMAT_FAILURE),
    Reason.UNTRUSTED_ROOT: (_I, _S.NO_CERTIFICATE_CHAIN_FOUND),
    Reason.CHAIN_INVALID: (_I, _S.CHAIN_CONSTRAINTS_FAILURE),
    Reason.CERTIFICATE_EXPIRED: (_F, _S.EXPIRED),
    Reason.CERTIFICATE_NOT_YET_VALID: (_F, _S.NOT_YET_VALID),
    Reason.WRONG_KEY_USAGE: (_I, _S.CHAIN_CONSTRAINTS_FAILURE),
    Reason.REVOKED: (_F, _S.REVOKED),
    Reason.ON_HOLD: (_I, _S.TRY_LATER),
    Reason.REVOCATION_UNKNOWN: (_I, _S.TRY_LATER),
    Reason.REVOCATION_STALE: (_I, _S.TRY_LATER),
    Reason.REVOCATION_INVALID: (_I, _S.TRY_LATER),
    Reason.INVALID_IIN: (_I, _S.SIG_CONSTRAINTS_FAILURE),
    Reason.INVALID_BIN: (_I, _S.SIG_CONSTRAINTS_FAILURE),
    Reason.UNDER_AGE: (_I, _S.SIG_CONSTRAINTS_FAILURE),
    Reason.NOT_INDIVIDUAL: (_I, _S.SIG_CONSTRAINTS_FAILURE),
    Reason.TEST_CERTIFICATE: (_I, _S.CHAIN_CONSTRAINTS_FAILURE),  # a policy production does not accept
}
_DEFAULT_OUTCOME = (_I, _S.SIG_CONSTRAINTS_FAILURE)  # reasons of later layers (UNIS decisions)


def outcome_of(reason: Reason) -> tuple[Indication, SubIndication]:
    """The (indication, sub-indication) a failed check with ``reason`` implies."""
    return REASON_OUTCOMES.get(reason, _DEFAULT_OUTCOME)


@dataclass(frozen=True)
class Check:
    """One check, in the order run. ``reason`` is required exactly when the check failed or is unknown."""

    id: CheckId
    status: CheckStatus
    message: str
    reason: Reason | None = None
    signer: int | None = None  # index of the signer the check is about; None for the whole object

    def __post_init__(self) -> None:
        needs_reason = self.status in (CheckStatus.FAILED, CheckStatus.UNKNOWN)
        if needs_reason != (self.reason is not None):
            raise ValueError(f"check {self.id}: a reason is required exactly for failed/unknown checks")

    @classmethod
    def of_digest(
        cls, check_id: CheckId, matches: bool, what: str, signed_as: str, signer: int | None
    ) -> Check:
        """The check that the digest of the signed ``what`` ("content", "document") ``matches`` the one
        signed as ``signed_as``: failed with CONTENT_MISMATCH (``what`` altered) when it does not."""
        if not matches:
            message = f"the {what}'s digest differs from the signed {signed_as} ({what} altered)"
            return cls(check_id, CheckStatus.FAILED, message, Reason.CONTENT_MISMATCH, signer)
        return cls(check_id, CheckStatus.PASSED, f"the {what}'s digest matches", None, signer)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status.value,
            "reason": None if self.reason is None else self.reason.value,
            "message": self.message,
            "signer": self.signer,
        }


@dataclass(frozen=True)
class Notice:
    """A warning that does not change the indication (e.g. ``test_identity``)."""

    code: str
    message: str
    signer: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "signer": self.signer}


@dataclass(frozen=True)
class Identity:
    """Who the certificate names, read by OID (nca-profile.md). IIN/BIN are full: mask before logging."""

    kind: str  # "individual" | "legal_entity"
    iin: str | None
    bin: str | None
    common_name: str | None
    surname: str | None
    name: str | None
    patronymic: str | None
    organization: str | None
    email: str | None
    country: str | None
    roles: tuple[str, ...]
    birth_date: dt.date | None
    age: int | None  # full years on the validation date
    test_certificate: bool = False  # carries the simulated test-certificate policy (issued for a tester)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "iin": self.iin,
            "bin": self.bin,
            "common_name": self.common_name,
            "surname": self.surname,
            "name": self.name,
            "patronymic": self.patronymic,
            "organization": self.organization,
            "email": self.email,
            "country": self.country,
            "roles": list(self.roles),
            "birth_date": None if self.birth_date is None else self.birth_date.isoformat(),
            "age": self.age,
            "test_certificate": self.test_certificate,
        }


@dataclass(frozen=True)
class CertificateSummary:
    """The facts of one certificate shown in a verdict."""

    subject: str
    issuer: str
    serial: str  # upper-case hex
    not_before: dt.datetime
    not_after: dt.datetime
    sha256: str  # hex fingerprint of the DER
    key_usage: tuple[str, ...]
    extended_key_usage: tuple[str, ...]
    policies: tuple[str, ...]
    signature_algorithm: str

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": iso_time(self.not_before),
            "not_after": iso_time(self.not_after),
            "sha256": self.sha256,
            "key_usage": list(self.key_usage),
            "extended_key_usage": list(self.extended_key_usage),
            "policies": list(self.policies),
            "signature_algorithm": self.signature_algorithm,
        }


@dataclass(frozen=True)
class RevocationEvidence:
    """The revocation answer a decision used (RFC 5280 / RFC 6960 field names)."""

    source: str  # "ocsp" | "crl" | "registry" (the issuing CA's register, read directly)
    location: str  # URL, "static", "in-process" or the register ("registry:<CA id>")
    status: str  # "good" | "revoked" | "on_hold" | "unknown"
    this_update: dt.datetime | None = None
    next_update: dt.datetime | None = None
    produced_at: dt.datetime | None = None
    crl_number: int | None = None
    delta_crl_number: int | None = None
    revocation_time: dt.datetime | None = None
    reason: str | None = None  # RFC 5280 CRLReason name
    nonce_verified: bool = False
    from_cache: bool = False
    status_version: int | None = None  # source "registry": the CA's status version the read reflects

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "location": self.location,
            "status": self.status,
            "this_update": iso_time(self.this_update),
            "next_update": iso_time(self.next_update),
            "produced_at": iso_time(self.produced_at),
            "crl_number": self.crl_number,
            "delta_crl_number": self.delta_crl_number,
            "revocation_time": iso_time(self.revocation_time),
            "reason": self.reason,
            "nonce_verified": self.nonce_verified,
            "from_cache": self.from_cache,
            "status_version": self.status_version,
        }


@dataclass(frozen=True)
class SignerReport:
    """What is known about one signer (or the inspected certificate)."""

    index: int
    certificate: CertificateSummary | None
    identity: Identity | None
    chain: tuple[CertificateSummary, ...]  # from the certificate's issuer up to the trust anchor
    revocation: RevocationEvidence | None
    signing_time: dt.datetime | None
    signature_algorithm: str | None
    # A CMS signer's signature time stamp (RFC 3161 Appendix A), only when the token verified over the
    # signature value (else a ``signature_timestamp_not_verified`` notice says why).
    signature_timestamp: TimestampInfo | None = None
    # When the certificate checks ran as of another instant than the verdict's validation time: the
    # genTime of that signature time stamp (past signature validation, VerificationPolicy); else None.
    validated_at: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        stamp = self.signature_timestamp
        return {
            "index": self.index,
            "certificate": None if self.certificate is None else self.certificate.to_json(),
            "identity": None if self.identity is None else self.identity.to_json(),
            "chain": [c.to_json() for c in self.chain],
            "revocation": None if self.revocation is None else self.revocation.to_json(),
            "signing_time": iso_time(self.signing_time),
            "signature_algorithm": self.signature_algorithm,
            "signature_timestamp": None if stamp is None else stamp.to_json(),
            "validated_at": iso_time(self.validated_at),
        }


def signature_check(verify: Callable[[], bool], signer: int | None) -> Check:
    """The ``signature`` check from ``verify()``: passed, failed (SIG_CRYPTO_FAILURE, also for an undecodable
    key or value: InvalidInput), or unknown for an algorithm we do not know (UnsupportedAlgorithm)."""
    try:
        valid = verify()
    except UnsupportedAlgorithm as exc:
        return Check(
            CheckId.SIGNATURE, CheckStatus.UNKNOWN, exc.message, Reason.UNSUPPORTED_ALGORITHM, signer
        )
    except InvalidInput as exc:
        return Check(CheckId.SIGNATURE, CheckStatus.FAILED, exc.message, Reason.SIGNATURE_INVALID, signer)
    if not valid:
        message = "the signature does not verify with the signer's key"
        return Check(CheckId.SIGNATURE, CheckStatus.FAILED, message, Reason.SIGNATURE_INVALID, signer)
    return Check(CheckId.SIGNATURE, CheckStatus.PASSED, "the signature verifies", None, signer)


def conclude(checks: tuple[Check, ...]) -> tuple[Indication, SubIndication | None]:
    """THE rule: TOTAL_PASSED only if every check passed or was skipped and at least one passed.

    A failed check whose reason means TOTAL_FAILED wins (the first one gives the sub-indication);
    otherwise the first failed or unknown check makes the verdict INDETERMINATE.
    """
    for check in checks:
        if check.status is CheckStatus.FAILED and check.reason is not None:
            indication, sub = outcome_of(check.reason)
            if indication is Indication.TOTAL_FAILED:
                return indication, sub
    for check in checks:
        if check.status in (CheckStatus.FAILED, CheckStatus.UNKNOWN) and check.reason is not None:
            return Indication.INDETERMINATE, outcome_of(check.reason)[1]
    if not any(check.status is CheckStatus.PASSED for check in checks):
        return Indication.INDETERMINATE, SubIndication.FORMAT_FAILURE
    return Indication.TOTAL_PASSED, None


@dataclass(frozen=True)
class TimestampInfo:
    """What an RFC 3161 time-stamp token states (TSTInfo, RFC 3161 2.4.2)."""

    gen_time: dt.datetime
    policy: str
    serial: int
    imprint_algorithm: str  # dotted OID
    imprint: bytes
    nonce: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "gen_time": iso_time(self.gen_time),
            "policy": self.policy,
            "serial": format(self.serial, "x"),
            "imprint_algorithm": self.imprint_algorithm,
            "imprint": self.imprint.hex(),
            "nonce": self.nonce,
        }


@dataclass(frozen=True)
class Verdict:
    """The result of one verification. ``signed_content`` (what was signed) is kept out of JSON."""

    kind: str  # "cms" | "xml" | "wsse" | "pdf" | "certificate" | "timestamp"
    purpose: Purpose
    validation_time: dt.datetime
    checks: tuple[Check, ...]
    signers: tuple[SignerReport, ...] = ()
    warnings: tuple[Notice, ...] = ()
    signed_content: bytes | None = field(default=None, repr=False, compare=False)
    timestamp: TimestampInfo | None = None  # kind "timestamp", or "pdf" for a document time stamp

    @cached_property
    def conclusion(self) -> tuple[Indication, SubIndication | None]:
        """:func:`conclude` of the checks, derived once (a verdict never changes)."""
        return conclude(self.checks)

    @property
    def indication(self) -> Indication:
        return self.conclusion[0]

    @property
    def sub_indication(self) -> SubIndication | None:
        return self.conclusion[1]

    @property
    def passed(self) -> bool:
        return self.indication is Indication.TOTAL_PASSED

    @cached_property
    def reasons(self) -> tuple[Reason, ...]:
        """Reasons of the failed and unknown checks, in check order, without repeats."""
        seen: dict[Reason, None] = {}
        for check in self.checks:
            if check.reason is not None and check.status in (CheckStatus.FAILED, CheckStatus.UNKNOWN):
                seen.setdefault(check.reason, None)
        return tuple(seen)

    @property
    def signer(self) -> SignerReport | None:
        """The first signer (the only one in a UNIS login)."""
        return self.signers[0] if self.signers else None

    def to_dict(self) -> dict[str, Any]:
        indication, sub = self.conclusion
        return {
            "indication": indication.value,
            "sub_indication": None if sub is None else sub.value,
            "kind": self.kind,
            "purpose": self.purpose.value,
            "validation_time": iso_time(self.validation_time),
            "reasons": [r.value for r in self.reasons],
            "checks": [c.to_json() for c in self.checks],
            "signers": [s.to_json() for s in self.signers],
            "warnings": [w.to_json() for w in self.warnings],
            "timestamp": None if self.timestamp is None else self.timestamp.to_json(),
        }

    def to_json(self) -> str:
        """The stable JSON text (UTF-8 friendly, keys in a fixed order)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
