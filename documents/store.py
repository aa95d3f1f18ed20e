"""The documents' tables: documents with their signing-time verdict, access grants (token hashes only) and
the views of each grant (DD-8, DD-9, DD-14). Rows are written by :mod:`documents.service`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base, UtcDateTime
from documents.signer import StateBodySigner
from pki.calendar import iso_time
from pki.iin import mask


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signature_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # one document per signature
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    signature_format: Mapped[str] = mapped_column(String(8))
    signature: Mapped[bytes] = mapped_column(LargeBinary)  # as submitted: re-verified at every view
    title: Mapped[str] = mapped_column(String(500))
    document_type: Mapped[str | None] = mapped_column(String(100))
    owner_iin: Mapped[str] = mapped_column(String(12), index=True)  # DD-9: who may grant access
    signers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    verdict: Mapped[dict[str, Any]] = mapped_column(JSON)  # the verdict at submission (signing time)
    indication: Mapped[str] = mapped_column(String(32))


class GrantRow(Base):
    __tablename__ = "document_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # the token itself is never stored
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # None: continuous (DD-14)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # DD-9: withdrawn


class ViewRow(Base):
    __tablename__ = "document_views"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("document_grants.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(16))  # ViewOutcome
    current_indication: Mapped[str | None] = mapped_column(String(32))


class GrantState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"  # at or after its expires_at (DD-14)
    REVOKED = "revoked"  # withdrawn by the owner (DD-9)


@dataclass(frozen=True)
class StoredDocument:
    """A document accepted into the service (DD-8), with its verdict at submission."""

    document_id: int
    submitted_at: dt.datetime
    signature_format: str
    title: str
    document_type: str | None
    owner_iin: str
    signers: tuple[StateBodySigner, ...]
    verdict: dict[str, Any]

    @staticmethod
    def of(row: DocumentRow) -> StoredDocument:
        return StoredDocument(
            document_id=row.id,
            submitted_at=row.submitted_at,
            signature_format=row.signature_format,
            title=row.title,
            document_type=row.document_type,
            owner_iin=row.owner_iin,
            signers=tuple(StateBodySigner.from_json(s) for s in row.signers),
            verdict=dict(row.verdict),
        )

    def to_json(self) -> dict[str, Any]:
        """Without the owner's full IIN."""
        return {
            "document_id": self.document_id,
            "submitted_at": iso_time(self.submitted_at),
            "signature_format": self.signature_format,
            "title": self.title,
            "document_type": self.document_type,
            "owner_iin_masked": mask(self.owner_iin),
            "signers": [s.to_json() for s in self.signers],
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Grant:
    """One Open Access grant (DD-14): temporary when ``expires_at`` is set, continuous otherwise."""

    grant_id: int
    document_id: int
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @staticmethod
    def of(row: GrantRow) -> Grant:
        return Grant(row.id, row.document_id, row.created_at, row.expires_at, row.revoked_at)

    def state_at(self, at: dt.datetime) -> GrantState:
        """Revoked, expired (at or after ``expires_at``) or active at ``at``."""
        if self.revoked_at is not None and self.revoked_at <= at:
            return GrantState.REVOKED
        if self.expires_at is not None and at >= self.expires_at:
            return GrantState.EXPIRED
        return GrantState.ACTIVE

    def to_json(self, at: dt.datetime) -> dict[str, Any]:
        return {
            "grant_id": self.grant_id,
            "document_id": self.document_id,
            "created_at": iso_time(self.created_at),
            "access": "continuous" if self.expires_at is None else "temporary",
            "expires_at": iso_time(self.expires_at),
            "revoked_at": iso_time(self.revoked_at),
            "state": self.state_at(at).value,
        }


@dataclass(frozen=True)
class View:
    """One opening of a grant's URL, shown or refused (DD-14: every view is recorded)."""

    grant_id: int
    at: dt.datetime
    outcome: str
    current_indication: str | None

    @staticmethod
    def of(row: ViewRow) -> View:
        return View(row.grant_id, row.at, row.outcome, row.current_indication)

    def to_json(self) -> dict[str, Any]:
        return {
            "grant_id": self.grant_id,
            "at": iso_time(self.at),
            "outcome": self.outcome,
            "current_indication": self.current_indication,
        }
