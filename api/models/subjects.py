"""Request and response models of the owner's own requests (PD-24)."""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import Field, model_validator

from api.models.fields import PemOrBase64, Text
from api.models.limits import MAX_DOCUMENT_CHARS
from api.models.unis import AccountDetails, LoginRecord, exactly_one_signature
from api.operations import RequestModel, ResponseModel


class SignedChallenge(RequestModel):
    """A challenge (``POST /api/v1/unis/challenges``) signed by the owner: one of ``cms`` or ``xml``."""

    challenge_id: Annotated[str, Text(200)]
    cms: Annotated[bytes, PemOrBase64(MAX_DOCUMENT_CHARS)] | None = Field(
        default=None, description="CMS SignedData over the nonce, attached or detached: base64 DER or PEM."
    )
    xml: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)] | None = Field(
        default=None, description="Enveloped XMLDSig of xml_to_sign."
    )

    @model_validator(mode="after")
    def _one_signature(self) -> Self:
        exactly_one_signature(self.cms, self.xml)
        return self


class StatusPeriod(ResponseModel):
    ground: str
    reason: str
    revocation_time: str | None
    effective_until: str | None
    end_action: str | None
    archived: bool


class OwnCertificate(ResponseModel):
    ca: str
    serial: str
    kind: str
    not_before: str
    not_after: str
    status: str
    on_hold: bool
    history: list[StatusPeriod] = Field(description="Every revocation and hold, with how it ended.")


class AccessEntry(ResponseModel):
    seq: int
    at: str
    actor: str = Field(description="The operator (or `subject`, `system`) who acted.")
    action: str
    target: str
    outcome: str
    details: dict[str, Any]


class SubjectReport(ResponseModel):
    iin_masked: str
    as_of: str
    purpose: str
    certificates: list[OwnCertificate]
    unis_account: AccountDetails | None
    login_records: list[LoginRecord]
    access_log: list[AccessEntry] = Field(description="Who read or changed this person's data, and when.")
