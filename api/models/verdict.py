"""The verifier's verdict as the API shows it (``verifier.verdict.Verdict.to_dict``), documented member by
member. Response models only: the verifier builds the JSON, the contract test holds it to these."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.operations import ResponseModel
from pki.reasons import Reason
from verifier import Purpose
from verifier.verdict import CheckStatus, Indication, SubIndication


class CheckOut(ResponseModel):
    id: str = Field(
        description="Check name: format, signature, content, chain, validity, key_usage, revocation, ..."
    )
    status: CheckStatus
    reason: Reason | None = Field(description="Set exactly when the check failed or is unknown.")
    message: str
    signer: int | None = Field(
        description="Index of the signer the check is about; null for the whole object."
    )


class NoticeOut(ResponseModel):
    code: str
    message: str
    signer: int | None


class IdentityOut(ResponseModel):
    """Who the certificate names (nca-profile.md). The IIN/BIN are the certificate's own."""

    kind: Literal["individual", "legal_entity"]
    iin: str | None
    bin: str | None
    common_name: str | None
    surname: str | None
    name: str | None
    patronymic: str | None
    organization: str | None
    email: str | None
    country: str | None
    roles: list[str]
    birth_date: str | None = Field(description="YYYY-MM-DD, from the IIN.")
    age: int | None = Field(description="Full years on the validation date.")
    test_certificate: bool = Field(
        description="Issued for a tester (test-certificate policy): refused in production."
    )


class CertificateOut(ResponseModel):
    subject: str
    issuer: str
    serial: str = Field(description="Upper-case hex.")
    not_before: str = Field(json_schema_extra={"format": "date-time"})
    not_after: str = Field(json_schema_extra={"format": "date-time"})
    sha256: str = Field(description="Hex fingerprint of the DER.")
    key_usage: list[str]
    extended_key_usage: list[str]
    policies: list[str]
    signature_algorithm: str


class RevocationOut(ResponseModel):
    """The revocation answer a decision used (RFC 5280 / RFC 6960 names)."""

    source: Literal["ocsp", "crl", "registry"] = Field(
        description="'registry': the status read from the issuing CA's own register (a local CA)."
    )
    location: str = Field(description="URL, 'static', 'in-process' or 'registry:<CA id>'.")
    status: Literal["good", "revoked", "on_hold", "unknown"]
    this_update: str | None
    next_update: str | None
    produced_at: str | None
    crl_number: int | None
    delta_crl_number: int | None
    revocation_time: str | None
    reason: str | None = Field(description="RFC 5280 CRLReason name.")
    nonce_verified: bool
    from_cache: bool
    status_version: int | None = Field(
        description="Source 'registry': the CA's status version the read reflects (every change up to it)."
    )


class SignerOut(ResponseModel):
    index: int
    certificate: CertificateOut | None
    identity: IdentityOut | None
    chain: list[CertificateOut] = Field(description="From the certificate's issuer up to the trust anchor.")
    revocation: RevocationOut | None
    signing_time: str | None
    signature_algorithm: str | None
    signature_timestamp: TimestampOut | None = Field(
        default=None,
        description="The CMS signer's signature time stamp (RFC 3161), only when it verified over the "
        "signature value; a signature_timestamp_not_verified warning otherwise.",
    )
    validated_at: str | None = Field(
        default=None,
        json_schema_extra={"format": "date-time"},
        description="Documents: the instant the certificate checks ran at when it is not the validation "
        "time, i.e. the genTime of the verified signature time stamp, because the certificate did not pass "
        "at the validation time but passed then (past signature validation; a validated_as_of_time_stamp "
        "warning says why). Null: the checks ran at the validation time.",
    )


class TimestampOut(ResponseModel):
    gen_time: str
    policy: str = Field(description="TSA policy OID (dotted).")
    serial: str = Field(description="TSTInfo serialNumber, hex.")
    imprint_algorithm: str = Field(description="Hash algorithm OID (dotted).")
    imprint: str = Field(description="The message imprint, hex.")
    nonce: int | None


class Verdict(ResponseModel):
    """The verifier's ETSI EN 319 102-1 style verdict: TOTAL_PASSED only if every check passed or was
    skipped; the reasons are those of the failed and unknown checks, in check order."""

    indication: Indication
    sub_indication: SubIndication | None
    kind: Literal["cms", "xml", "wsse", "pdf", "certificate", "timestamp"]
    purpose: Purpose
    validation_time: str
    reasons: list[Reason]
    checks: list[CheckOut]
    signers: list[SignerOut]
    warnings: list[NoticeOut]
    timestamp: TimestampOut | None = Field(
        description="What an RFC 3161 token states (kind timestamp), else null."
    )


class PdfSignatureOut(ResponseModel):
    """One signature of a PDF: its dictionary's entries, what its byte range covers, and its verdict."""

    field_name: str
    sub_filter: str | None
    reason: str | None
    location: str | None
    contact_info: str | None
    signed_at: str | None = Field(description="The dictionary's /M (UTC): the signer's claim, not evidence.")
    coverage: Literal["whole_file", "whole_revision", "partial"]
    later_changes: Literal["none", "archival", "signatures_and_forms", "other"] = Field(
        description="What the revisions after this signature's own changed."
    )
    verdict: Verdict


class PdfVerification(ResponseModel):
    """Every signature of the PDF, the first signer first; empty for a PDF without signatures."""

    signatures: list[PdfSignatureOut]
