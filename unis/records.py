"""Login records: every login attempt, so that a disputed login can be reconstructed (UNIS-8 .. UNIS-12).

A record holds the time, the masked IIN (never the full one), the decision and its reason codes, the
challenge id, the signer certificate's issuer, serial and SHA-256 fingerprint, the verdict's indication
and check list, and the revocation evidence the decision relied on (source, thisUpdate / producedAt,
CRL number). Records are append-only: this module has no update or delete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import JSON, Integer, String, Table, delete, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from pki.calendar import iso_time
from storage import Prepared, core
from unis.db import Base, UtcDateTime


class LoginRecordRow(Base):
    __tablename__ = "unis_login_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    challenge_id: Mapped[str | None] = mapped_column(String(43), index=True)
    iin_masked: Mapped[str | None] = mapped_column(String(12))
    account_id: Mapped[int | None] = mapped_column(Integer, index=True)
    decision: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    signature_format: Mapped[str] = mapped_column(String(8))
    certificate_issuer: Mapped[str | None] = mapped_column(String(500))
    certificate_serial: Mapped[str | None] = mapped_column(String(64))
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))
    indication: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


# One statement per login, no ORM unit of work, run on the driver (storage.prepared).
_INSERT = Prepared(insert(cast(Table, LoginRecordRow.__table__)))


@dataclass(frozen=True)
class LoginRecord:
    """One login attempt. ``details`` holds the verdict checks, revocation evidence and biometric outcome."""

    at: dt.datetime
    challenge_id: str | None
    iin_masked: str | None
    account_id: int | None
    decision: str
    reasons: list[str]
    signature_format: str
    certificate_issuer: str | None
    certificate_serial: str | None
    certificate_sha256: str | None
    indication: str | None
    details: dict[str, Any] = field(default_factory=dict)
    record_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "at": iso_time(self.at),
            "challenge_id": self.challenge_id,
            "iin_masked": self.iin_masked,
            "account_id": self.account_id,
            "decision": self.decision,
            "reasons": list(self.reasons),
            "signature_format": self.signature_format,
            "certificate": {
                "issuer": self.certificate_issuer,
                "serial": self.certificate_serial,
                "sha256": self.certificate_sha256,
            },
            "indication": self.indication,
            "details": self.details,
        }


class LoginRecords:
    """The login records over ``sm`` (PD-22: masked IINs only): appended inside a login's transaction,
    read back newest first."""

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm

    @staticmethod
    def add_in(db: Session | Connection, record: LoginRecord) -> None:
        """Append ``record`` inside the caller's transaction (``db``: its Session or Connection), so it
        commits with any automatic block."""
        if record.iin_masked is not None and any(c.isdigit() for c in record.iin_masked[:-4]):
            raise ValueError("login records hold masked IINs only")
        _INSERT.execute(
            core(db),
            {
                "at": record.at,
                "challenge_id": record.challenge_id,
                "iin_masked": record.iin_masked,
                "account_id": record.account_id,
                "decision": record.decision,
                "reasons": list(record.reasons),
                "signature_format": record.signature_format,
                "certificate_issuer": record.certificate_issuer,
                "certificate_serial": record.certificate_serial,
                "certificate_sha256": record.certificate_sha256,
                "indication": record.indication,
                "details": record.details,
            },
        )

    def find(
        self,
        *,
        challenge_id: str | None = None,
        account_id: int | None = None,
        certificate_serial: str | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[LoginRecord]:
        """Records matching every given filter, newest first (keyset pagination with ``before_id``)."""
        query = select(LoginRecordRow).order_by(LoginRecordRow.id.desc()).limit(limit)
        if challenge_id is not None:
            query = query.where(LoginRecordRow.challenge_id == challenge_id)
        if account_id is not None:
            query = query.where(LoginRecordRow.account_id == account_id)
        if certificate_serial is not None:
            query = query.where(LoginRecordRow.certificate_serial == certificate_serial.lower())
        if before_id is not None:
            query = query.where(LoginRecordRow.id < before_id)
        return self._read(query)

    def find_owner(
        self, *, account_id: int | None, certificate_serials: list[str], limit: int = 1000
    ) -> list[LoginRecord]:
        """The records of one person (PD-24): those of their account or signed with one of their
        certificates (hex serials), newest first. A masked IIN is never used to search."""
        conditions = []
        if account_id is not None:
            conditions.append(LoginRecordRow.account_id == account_id)
        if certificate_serials:
            conditions.append(LoginRecordRow.certificate_serial.in_([c.lower() for c in certificate_serials]))
        if not conditions:
            return []
        return self._read(
            select(LoginRecordRow).where(or_(*conditions)).order_by(LoginRecordRow.id.desc()).limit(limit)
        )

    def destroy_before(self, before: dt.datetime, *, dry_run: bool = True) -> int:
        """PD-18: delete the records made before ``before`` (their storage term is over). Returns how
        many are (with ``dry_run``: would be) destroyed."""
        old = LoginRecordRow.at < before
        with self._sm.begin() as session:
            count = session.scalar(select(func.count()).select_from(LoginRecordRow).where(old)) or 0
            if not dry_run and count:
                session.execute(delete(LoginRecordRow).where(old))
        return count

    def _read(self, query: Any) -> list[LoginRecord]:
        with self._sm() as session:
            return [
                LoginRecord(
                    at=r.at,
                    challenge_id=r.challenge_id,
                    iin_masked=r.iin_masked,
                    account_id=r.account_id,
                    decision=r.decision,
                    reasons=list(r.reasons),
                    signature_format=r.signature_format,
                    certificate_issuer=r.certificate_issuer,
                    certificate_serial=r.certificate_serial,
                    certificate_sha256=r.certificate_sha256,
                    indication=r.indication,
                    details=dict(r.details),
                    record_id=r.id,
                )
                for r in session.scalars(query)
            ]
