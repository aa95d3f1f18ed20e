"""The ledger of published CRLs: numbers given out, what each CRL was built from, the latest DER of each kind.

One CRL number sequence per CA for full and delta CRLs (RFC 5280 5.2.3/5.2.4), taken under the CA's locked
state row (``ca_sim.revocation_state``), so numbers are never reused across processes. Each published CRL
is recorded with its times, its base (for a delta) and the status version its content reflects; only the
latest of each (CA, kind) keeps its DER, which is what every server process serves. The CRLs themselves are
built by ``ca_sim.crl`` from the register's entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Index,
    Integer,
    LargeBinary,
    Select,
    String,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.db import Base, UtcDateTime
from ca_sim.revocation_state import current_version, lock_state
from pki.calendar import ensure_utc

__all__ = ["CrlIssue", "CrlKind", "CrlLedger", "CrlPublication", "CrlRecord"]


class CrlKind(StrEnum):
    FULL = "full"
    DELTA = "delta"


class CrlIssue(Base):
    """A CRL that was built and published: number, kind, times (``this_update`` exact, not rounded), the
    base of a delta, the status version its content reflects, and (for the latest) its DER.
    """

    __tablename__ = "crl_issues"
    __table_args__ = (
        UniqueConstraint("ca_id", "crl_number", name="uq_crl_issues_number"),
        Index("ix_crl_issues_latest", "ca_id", "kind", "this_update"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ca_id: Mapped[str] = mapped_column(String(16))
    crl_number: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(8))
    this_update: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    next_update: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    base_crl_number: Mapped[int | None] = mapped_column(BigInteger)
    status_version: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(BigInteger)
    # The DER of the latest CRL of each (CA, kind), so every server process serves exactly what was
    # published; older ones are cleared (deferred: never loaded with the row).
    der: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


@dataclass(frozen=True)
class CrlRecord:
    """A row of :class:`CrlIssue`, detached."""

    ca_id: str
    crl_number: int
    kind: CrlKind
    this_update: dt.datetime
    next_update: dt.datetime
    base_crl_number: int | None
    status_version: int
    entries: int


@dataclass(frozen=True)
class CrlPublication:
    """What has been published for one CA: last full and delta CRL (None before the first), status version."""

    full: CrlRecord | None
    delta: CrlRecord | None
    status_version: int


def _crl_record(row: CrlIssue | None) -> CrlRecord | None:
    if row is None:
        return None
    return CrlRecord(
        row.ca_id,
        row.crl_number,
        CrlKind(row.kind),
        row.this_update,
        row.next_update,
        row.base_crl_number,
        row.status_version,
        row.entries,
    )


class CrlLedger:
    """The CRLs published over ``sm``."""

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm

    def allocate_crl_number(self, ca_id: str) -> int:
        """The next CRL number of ``ca_id`` (1, 2, ...; shared by full and delta CRLs, never reused).

        Race-safe: the CA's state row is locked while the number is taken.
        """
        with self._sm.begin() as session:
            state = lock_state(session, ca_id)
            state.crl_number += 1
            return state.crl_number

    def record_crl(self, record: CrlRecord, der: bytes) -> None:
        """Remember a published CRL with its DER (the base a later delta refers to, what HTTP serves).

        The DER of earlier CRLs of the same CA and kind is cleared: only the latest is kept in full.
        """
        with self._sm.begin() as session:
            session.add(
                CrlIssue(
                    ca_id=record.ca_id,
                    crl_number=record.crl_number,
                    kind=record.kind.value,
                    this_update=record.this_update,
                    next_update=record.next_update,
                    base_crl_number=record.base_crl_number,
                    status_version=record.status_version,
                    entries=record.entries,
                    der=der,
                )
            )
            session.execute(
                update(CrlIssue)
                .where(
                    CrlIssue.ca_id == record.ca_id,
                    CrlIssue.kind == record.kind.value,
                    CrlIssue.crl_number < record.crl_number,
                    CrlIssue.der.is_not(None),
                )
                .values(der=None)
            )

    def crl_der(self, ca_id: str, crl_number: int) -> bytes | None:
        """The DER of CRL ``crl_number`` of ``ca_id`` while kept (the latest of its kind), else None."""
        statement = select(CrlIssue.der).where(CrlIssue.ca_id == ca_id, CrlIssue.crl_number == crl_number)
        with self._sm() as session:
            return session.scalar(statement)

    def kept_sizes(self, ca_id: str) -> dict[int, int]:
        """The DER size in octets of each CRL of ``ca_id`` whose DER is kept (the latest of each kind), by CRL
        number; computed by the database (no DER is loaded)."""
        statement = select(CrlIssue.crl_number, func.length(CrlIssue.der)).where(
            CrlIssue.ca_id == ca_id, CrlIssue.der.is_not(None)
        )
        with self._sm() as session:
            return {number: int(size) for number, size in session.execute(statement).all()}

    def latest_crl(self, ca_id: str, kind: CrlKind, at: dt.datetime) -> CrlRecord | None:
        """The most recent recorded CRL of ``kind`` built at or before ``at`` (a delta's base), or None."""
        statement = (
            select(CrlIssue)
            .where(
                CrlIssue.ca_id == ca_id, CrlIssue.kind == kind.value, CrlIssue.this_update <= ensure_utc(at)
            )
            .order_by(CrlIssue.this_update.desc(), CrlIssue.crl_number.desc())
            .limit(1)
        )
        with self._sm() as session:
            return _crl_record(session.scalars(statement).first())

    def publication(self, ca_id: str) -> CrlPublication:
        """The last published full and delta CRLs of ``ca_id`` and its status version, in one round trip."""

        def last(kind: CrlKind) -> Select:
            return (
                select(CrlIssue)
                .where(CrlIssue.ca_id == ca_id, CrlIssue.kind == kind.value)
                .order_by(CrlIssue.crl_number.desc())
                .limit(1)
            )

        with self._sm() as session:
            version = current_version(session, ca_id)
            full = _crl_record(session.scalars(last(CrlKind.FULL)).first())
            delta = _crl_record(session.scalars(last(CrlKind.DELTA)).first())
        return CrlPublication(full, delta, version)
