"""UNIS: login challenges and decisions, accounts (UNIS-4 .. UNIS-12) and login records."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from api.models.fields import Base64, EndDateTime, PemOrBase64, Text
from api.models.limits import MAX_BIOMETRIC_CHARS, MAX_DOCUMENT_CHARS
from api.models.verdict import Verdict
from api.operations import RequestModel, ResponseModel
from pki.errors import ErrorCode
from pki.reasons import Reason
from storage import MAX_ROW_ID
from unis.accounts import AccountStatus, BlockReason, Role, SuspensionReason, TerminationReason

Iin = Annotated[str, Text(12, pattern="^[0-9]{12}$")]


def exactly_one_signature(cms: object, xml: object) -> None:
    """Raise ``invalid_value`` unless exactly one of ``cms`` and ``xml`` is given."""
    if (cms is None) == (xml is None):
        raise PydanticCustomError(
            ErrorCode.INVALID_VALUE, "send exactly one of cms (base64 CMS) or xml (signed XML text)"
        )


class Challenge(ResponseModel):
    challenge_id: str
    nonce: str = Field(description="32 random bytes, base64: sign exactly these bytes (CMS).")
    expires_at: str = Field(json_schema_extra={"format": "date-time"})
    xml_to_sign: str = Field(description="The document to sign for an XMLDSig login (enveloped).")


class LoginRequest(RequestModel):
    """Exactly one of ``cms`` or ``xml``."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"challenge_id": "3q2-7w", "cms": "MIAGCSqGSIb3DQEHAqCAMIACAQEx..."}]}
    )

    challenge_id: Annotated[str, Text(200)]
    cms: Annotated[bytes, PemOrBase64(MAX_DOCUMENT_CHARS)] | None = Field(
        default=None, description="CMS SignedData over the nonce, attached or detached: base64 DER or PEM."
    )
    xml: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)] | None = Field(
        default=None, description="Enveloped XMLDSig of xml_to_sign."
    )
    biometric: Annotated[bytes, Base64(MAX_BIOMETRIC_CHARS)] | None = Field(
        default=None, description="UNIS-2025-bio attestation (CMS, base64), required for notaries."
    )

    @model_validator(mode="after")
    def _one_signature(self) -> Self:
        exactly_one_signature(self.cms, self.xml)
        return self


class Account(ResponseModel):
    account_id: int
    iin_masked: str = Field(examples=["********1234"])
    role: Role
    chamber: str
    status: AccountStatus
    status_reason: str | None
    suspended_until: str | None
    temporary: bool = Field(description="UNIS-5-1: a suspension, which ends by itself.")
    status_changed_at: str
    created_at: str


class AccountEvent(ResponseModel):
    at: str
    action: str
    reason: str | None
    until: str | None
    actor: str


class AccountDetails(Account):
    history: list[AccountEvent] = Field(description="Every change with who, when and why.")


class AccountList(ResponseModel):
    accounts: list[Account]
    next_after: int | None = Field(description="Pass as ?after= for the next page; null on the last.")


class BiometricOut(ResponseModel):
    status: Literal["passed", "failed"]
    reason: Reason | None
    message: str
    checked_at: str | None
    service_certificate_sha256: str | None


class LoginDecision(ResponseModel):
    decision: Literal["accepted", "refused"]
    reasons: list[Reason] = Field(description="Empty when accepted; the first is the main reason.")
    challenge_id: str
    decided_at: str
    account: Account | None
    account_blocked: bool = Field(description="UNIS-12: this attempt blocked the account.")
    biometric: BiometricOut | None
    verdict: Verdict | None


class NewAccount(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"iin": "900101300123", "role": "notary", "chamber": "Almaty"}]}
    )

    iin: Iin
    role: Role
    chamber: Annotated[str, Text(200)]


class IinLookup(RequestModel):
    iin: Iin


class Suspension(RequestModel):
    reason: SuspensionReason
    until: EndDateTime | None = Field(
        default=None,
        description="Optional end (exclusive); the account is active from then. A bare date is the start "
        "of that day in Kazakhstan (UNIS-5-1, KZ-TIME).",
    )


class Block(RequestModel):
    reason: BlockReason


class Termination(RequestModel):
    reason: TerminationReason


class QueryModel(RequestModel):
    """Query strings carry text: numbers are converted (lax), bounded by the fields."""

    model_config = ConfigDict(strict=False, frozen=True, extra="ignore")


Count = Annotated[int, Field(ge=1, le=1000)]
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


class AccountQuery(QueryModel):
    status: AccountStatus | None = None
    after: Annotated[int, Field(ge=0, le=MAX_ROW_ID)] = 0
    limit: Count = 100


class LoginRecordQuery(QueryModel):
    challenge_id: Annotated[str, Text(200)] | None = None
    account_id: RowId | None = None
    serial: Annotated[str, Text(64)] | None = None
    before: RowId | None = None
    limit: Count = 100


class LoginRecordCertificate(ResponseModel):
    issuer: str | None
    serial: str | None
    sha256: str | None


class LoginRecord(ResponseModel):
    record_id: int | None
    at: str
    challenge_id: str | None
    iin_masked: str | None
    account_id: int | None
    decision: str
    reasons: list[str]
    signature_format: str
    certificate: LoginRecordCertificate
    indication: str | None
    details: dict[str, Any] = Field(description="Verdict checks, revocation evidence, biometric outcome.")


class LoginRecords(ResponseModel):
    records: list[LoginRecord]
