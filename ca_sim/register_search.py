"""Search the register of issued certificates (EDS-21) with each one's status: by serial, owner IIN/BIN,
name, CA and status, newest first, one page at a time.

For authenticated operators only: the rows carry the owner's IIN and name (personal data); the caller
audits the read (PD-22). Each filter is an indexed column (``ca_id``+``serial``, ``iin``, ``subject_cn``
prefix); the status is the live or archived period covering ``at``
(``ca_sim.revocation_periods.register_query``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from cryptography.x509 import ReasonFlags
from sqlalchemy import func
from sqlalchemy.orm import Session, sessionmaker

from ca_sim.certstore import CertificateRecord, serial_to_hex
from ca_sim.revocation_periods import (
    ArchivedRevocation,
    CertStatus,
    Revocation,
    register_query,
    status_of_row,
)
from pki.calendar import ensure_utc

MAX_PAGE = 100


class StatusFilter(StrEnum):
    GOOD = "good"
    REVOKED = "revoked"  # revoked for good (not on hold)
    ON_HOLD = "on_hold"


@dataclass(frozen=True)
class Query:
    """What to look for; None means any. ``name`` matches the start of the subject's common name."""

    serial: int | None = None
    iin: str | None = None
    name: str | None = None
    ca_id: str | None = None
    status: StatusFilter | None = None


@dataclass(frozen=True)
class Found:
    """One certificate of a search, with its status at the search's time."""

    ca_id: str
    serial: str  # lowercase hex
    kind: str
    subject_cn: str
    iin: str | None
    not_before: dt.datetime
    not_after: dt.datetime
    issued_at: dt.datetime
    status: CertStatus

    @property
    def status_label(self) -> str:
        """``good``, ``revoked`` or ``on_hold``."""
        return "on_hold" if self.status.on_hold else self.status.state.value


def search(
    sm: sessionmaker[Session], query: Query, at: dt.datetime, *, limit: int = 25, offset: int = 0
) -> list[Found]:
    """Certificates matching every filter of ``query``, status as of ``at``, newest issue first.

    ``limit`` is capped at :data:`MAX_PAGE`; ask for one more than a page to know whether another follows.
    """
    reason = func.coalesce(Revocation.reason, ArchivedRevocation.reason)
    statement = register_query().add_columns(
        CertificateRecord.subject_cn, CertificateRecord.iin, CertificateRecord.issued_at
    )
    if query.serial is not None:
        statement = statement.where(CertificateRecord.serial == serial_to_hex(query.serial))
    if query.iin is not None:
        statement = statement.where(CertificateRecord.iin == query.iin)
    if query.name:
        statement = statement.where(CertificateRecord.subject_cn.startswith(query.name, autoescape=True))
    if query.ca_id is not None:
        statement = statement.where(CertificateRecord.ca_id == query.ca_id)
    hold = ReasonFlags.certificate_hold.value
    if query.status is StatusFilter.GOOD:
        statement = statement.where(reason.is_(None))
    elif query.status is StatusFilter.REVOKED:
        statement = statement.where(reason.is_not(None), reason != hold)
    elif query.status is StatusFilter.ON_HOLD:
        statement = statement.where(reason == hold)
    statement = (
        statement.order_by(CertificateRecord.issued_at.desc(), CertificateRecord.id.desc())
        .limit(min(limit, MAX_PAGE))
        .offset(offset)
    )
    with sm() as session:
        rows = session.execute(statement, {"at": ensure_utc(at)}).all()
    return [
        Found(
            r.ca_id,
            r.serial,
            r.kind,
            r.subject_cn,
            r.iin,
            r.not_before,
            r.not_after,
            r.issued_at,
            status_of_row(r),
        )
        for r in rows
    ]
