"""Request and response models of the owner's own requests (PD-24)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.models.documents import OwnDocument
from api.models.unis import AccountDetails, LoginRecord
from api.operations import ResponseModel


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
    documents: list[OwnDocument] = Field(
        description="State-body documents about this person, with their grants and views (DD-9, DD-14)."
    )
