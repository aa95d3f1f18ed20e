"""Revocation periods: the tables the register stores and the status at a time they give (EDS-16..18).

Model. Each (CA, serial) has a history of *periods*: one :class:`Revocation` row per state the
certificate was in while not good, valid over ``[effective_from, effective_until)`` (``effective_until``
None = still so). A revocation opens a period; a release ends a hold's period; raising a revocation's
reason to keyCompromise, or revoking a held certificate, ends the period and opens the next one. A hold
given an end date (``scheduled_until``) is written with ``effective_until`` = that end and no
``end_action``: it ends by itself, as of that time, with no write (a *scheduled end*), unless a release or
revocation before it ends it earlier. So the status at any time T is "the period covering T, if any"
(:func:`read_status`), and the periods are the history: who asked, on which ground, with which
supporting document, when.

Each period stores its CRL entry (``revokedCertificates`` element) pre-encoded as DER, so a CRL with a
million entries is a concatenation (``ca_sim.crl``), never a re-encoding. A period records the CA's status
version that opened it and the one that closed it (change tracking, ``ca_sim.registry``). Periods moved out
after the EDS-16 retention time (``ca_sim.retention``) keep the same columns in :class:`ArchivedRevocation`
and still count for the status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cryptography.x509 import ReasonFlags
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Index,
    Integer,
    LargeBinary,
    Row,
    Select,
    String,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column
from sqlalchemy.sql.elements import BindParameter

from ca_sim.certstore import CertificateRecord, serial_to_hex
from ca_sim.db import Base, UtcDateTime
from pki.calendar import ensure_utc
from pki.errors import ErrorCode, InvalidInput
from storage import Prepared, core

__all__ = [
    "GOOD",
    "STATUS_QUERY",
    "UNKNOWN",
    "ArchivedRevocation",
    "CertState",
    "CertStatus",
    "PeriodColumns",
    "Revocation",
    "change_times",
    "checked_serial_hex",
    "covers",
    "effective_at",
    "read_status",
    "register_query",
    "status_of_row",
    "status_parameters",
]


class CertState(StrEnum):
    GOOD = "good"
    REVOKED = "revoked"  # includes on hold (reason certificateHold)
    UNKNOWN = "unknown"  # the CA never issued this serial


@dataclass(frozen=True)
class CertStatus:
    """A certificate's status at one time. ``reason``/``revocation_time`` are set when revoked or on hold."""

    state: CertState
    reason: ReasonFlags | None = None
    revocation_time: dt.datetime | None = None
    invalidity_date: dt.datetime | None = None
    until: dt.datetime | None = None  # when the period giving this status ends, if known (a hold's end date)

    @property
    def on_hold(self) -> bool:
        return self.reason is ReasonFlags.certificate_hold


GOOD = CertStatus(CertState.GOOD)
UNKNOWN = CertStatus(CertState.UNKNOWN)


class PeriodColumns:
    """The columns of a revocation period, shared by the live table and the archive."""

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ca_id: Mapped[str] = mapped_column(String(16))
    serial: Mapped[str] = mapped_column(String(42))  # lowercase hex, as in ca_sim.certstore
    ground: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))  # ReasonFlags value
    revocation_time: Mapped[dt.datetime] = mapped_column(UtcDateTime)  # whole seconds, as published
    invalidity_date: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    requested_by: Mapped[str] = mapped_column(String(200))
    document_ref: Mapped[str] = mapped_column(String(300))
    effective_from: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    effective_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # "released" or "superseded"; None while in force or, with effective_until set, for a scheduled end
    end_action: Mapped[str | None] = mapped_column(String(16))
    scheduled_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # a hold's end date as given
    ended_by: Mapped[str | None] = mapped_column(String(200))
    end_document_ref: Mapped[str | None] = mapped_column(String(300))
    started_version: Mapped[int] = mapped_column(BigInteger)
    ended_version: Mapped[int | None] = mapped_column(BigInteger)
    entry_der: Mapped[bytes] = mapped_column(LargeBinary)  # the CRL entry, pre-encoded

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            Index(f"ix_{name}_serial", "ca_id", "serial", "effective_from"),
            Index(f"ix_{name}_until", "ca_id", "effective_until"),
            Index(f"ix_{name}_from", "ca_id", "effective_from"),
            Index(f"ix_{name}_started", "ca_id", "started_version"),
            Index(f"ix_{name}_ended", "ca_id", "ended_version"),
            Index(f"ix_{name}_reason", "reason", "effective_until"),  # the console's search for holds
        )


class Revocation(PeriodColumns, Base):
    """A revocation period in the live register."""

    __tablename__ = "revocations"


class ArchivedRevocation(PeriodColumns, Base):
    """A period moved out of the live register after the EDS-16 retention time."""

    __tablename__ = "revocations_archive"

    archived_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def effective_at(
    model: type[Revocation] | type[ArchivedRevocation], at: dt.datetime | BindParameter[dt.datetime]
) -> ColumnElement[bool]:
    """The periods of ``model`` in force at ``at``: ``effective_from <= at < effective_until``."""
    return and_(model.effective_from <= at, or_(model.effective_until.is_(None), model.effective_until > at))


def register_query() -> Select:
    """Issued certificates with the live or archived revocation period covering the bound ``at``."""
    at = bindparam("at", type_=UtcDateTime)

    def covering(model: type[Revocation] | type[ArchivedRevocation]) -> ColumnElement[bool]:
        return and_(
            model.ca_id == CertificateRecord.ca_id,
            model.serial == CertificateRecord.serial,
            effective_at(model, at),
        )

    return (
        select(
            CertificateRecord.ca_id,
            CertificateRecord.serial,
            CertificateRecord.kind,
            CertificateRecord.not_before,
            CertificateRecord.not_after,
            func.coalesce(Revocation.reason, ArchivedRevocation.reason).label("reason"),
            func.coalesce(Revocation.revocation_time, ArchivedRevocation.revocation_time).label(
                "revocation_time"
            ),
            func.coalesce(Revocation.invalidity_date, ArchivedRevocation.invalidity_date).label(
                "invalidity_date"
            ),
            func.coalesce(Revocation.effective_until, ArchivedRevocation.effective_until).label(
                "status_until"
            ),
        )
        .select_from(CertificateRecord)
        .outerjoin(Revocation, covering(Revocation))
        .outerjoin(ArchivedRevocation, covering(ArchivedRevocation))
    )


STATUS_QUERY = register_query().where(
    CertificateRecord.ca_id == bindparam("ca_id"), CertificateRecord.serial == bindparam("serial")
)
_STATUS = Prepared(STATUS_QUERY)  # run on the driver (storage.prepared): every live OCSP answer reads it


def status_of_row(row: Row[Any]) -> CertStatus:
    """The status a row of :func:`register_query` gives (good when no period covers its time)."""
    if row.reason is None:
        return GOOD
    return CertStatus(
        CertState.REVOKED, ReasonFlags(row.reason), row.revocation_time, row.invalidity_date, row.status_until
    )


def checked_serial_hex(serial: int) -> str:
    """``serial`` as stored (lowercase hex). Raises InvalidInput (``malformed_serial``) unless positive."""
    try:
        return serial_to_hex(serial)
    except ValueError:
        raise InvalidInput(
            ErrorCode.MALFORMED_SERIAL, "certificate serials are positive", field="serial"
        ) from None


def status_parameters(ca_id: str, serial: int, at: dt.datetime) -> dict[str, Any]:
    """The bound values of :data:`STATUS_QUERY` (and the queries built on it) for ``serial`` of ``ca_id``
    at ``at``. Raises InvalidInput (``malformed_serial``) for a serial that is not positive."""
    return {"at": ensure_utc(at), "ca_id": ca_id, "serial": checked_serial_hex(serial)}


def read_status(db: Session | Connection, ca_id: str, serial: int, at: dt.datetime) -> CertStatus:
    """The status of ``serial`` of ``ca_id`` at ``at`` as ``db`` (a Session or Connection) sees it, inside
    its transaction: good, revoked (incl. on hold), or unknown when ``ca_id`` never issued it. Archived
    periods still count (EDS-16). One indexed query on the driver.

    Raises InvalidInput (``malformed_serial``) for a serial that is not positive.
    """
    row = _STATUS.first(core(db), status_parameters(ca_id, serial, at))
    return UNKNOWN if row is None else status_of_row(row)


def covers(period: PeriodColumns, at: dt.datetime) -> bool:
    """Whether ``period`` is in force at ``at`` (Python's side of :func:`effective_at`)."""
    return period.effective_from <= at and (period.effective_until is None or period.effective_until > at)


def change_times(period: PeriodColumns, at: dt.datetime) -> tuple[dt.datetime, ...]:
    """When ``period`` changed the certificate's status, as far as a change at ``at`` must follow: its start
    and its end, but not a scheduled end still ahead of ``at`` (a change before it ends the hold early)."""
    scheduled_ahead = period.end_action is None and period.effective_until is not None
    if period.effective_until is None or (scheduled_ahead and period.effective_until > at):
        return (period.effective_from,)
    return (period.effective_from, period.effective_until)
