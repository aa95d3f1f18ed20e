"""What the register shows: the public entry (EDS-23), an owner's own certificates, one certificate's history.

The public entry carries status, reason and revocation time and nothing about the owner (EDS-23). An owner's
entries and history are for authenticated use only (personal-data law Art. 24: the owner sees their own
entries, PD-24); reading an owner's entries is audited with the IIN masked (Art. 22). All read the periods of
``ca_sim.revocation_periods``, live and archived, so an archived revocation is still shown (EDS-16).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from ca_sim.audit import AuditLog, Outcome
from ca_sim.certstore import CertificateRecord, serial_to_hex
from ca_sim.revocation_periods import (
    ArchivedRevocation,
    CertState,
    CertStatus,
    PeriodColumns,
    Revocation,
    read_status,
    register_query,
    status_of_row,
)
from pki.calendar import ensure_utc, iso_time
from pki.errors import ErrorCode, NotFound

__all__ = ["OwnerEntry", "RegisterEntry", "RegisterViews", "StatusPeriod"]


@dataclass(frozen=True)
class RegisterEntry:
    """The public register's answer (EDS-23): status, reason and revocation time; no personal data."""

    ca_id: str
    serial: str  # lowercase hex
    status: str  # "good", "revoked" or "on_hold"
    reason: str | None  # RFC 5280 reason name, e.g. "keyCompromise"
    revocation_time: dt.datetime | None
    hold_until: dt.datetime | None = None  # the end of a hold with an end date (good again from then)


@dataclass(frozen=True)
class OwnerEntry:
    """An owner's own certificate and its status (personal-data law Art. 24), for authenticated use."""

    ca_id: str
    serial: str
    kind: str
    not_before: dt.datetime
    not_after: dt.datetime
    status: CertStatus


@dataclass(frozen=True)
class StatusPeriod:
    """One revocation or hold of a certificate: when it began, on which ground and reason, and when and how
    it ended (``released``/``superseded``; None while in force, and for a hold with an end date, whose
    ``effective_until`` is that end: it ends by itself then). :meth:`to_json` is what its owner is shown
    (PD-24); operators also see who acted and on which documents, and a hold's end date as given
    (``scheduled_until``)."""

    ground: str
    reason: str
    revocation_time: dt.datetime
    effective_until: dt.datetime | None
    end_action: str | None
    archived: bool
    requested_by: str = ""  # who asked for it (operator name, or the owner for EDS-17)
    document_ref: str = ""  # the supporting document (EDS-18)
    ended_by: str | None = None  # who released it (None while in force or when superseded)
    end_document_ref: str | None = None
    scheduled_until: dt.datetime | None = None  # a hold's end date as given (kept if released earlier)

    def ended_by_itself(self, at: dt.datetime) -> bool:
        """Whether this is a hold with an end date that had passed by ``at`` (released with no call)."""
        return self.end_action is None and self.effective_until is not None and self.effective_until <= at

    def to_json(self) -> dict[str, Any]:
        return {
            "ground": self.ground,
            "reason": self.reason,
            "revocation_time": iso_time(self.revocation_time),
            "effective_until": iso_time(self.effective_until),
            "end_action": self.end_action,
            "archived": self.archived,
        }


_OWNER_QUERY = register_query().where(CertificateRecord.iin == bindparam("iin"))


class RegisterViews:
    """The register's views over ``sm``. With ``audit``, reading an owner's entries is recorded."""

    def __init__(self, sm: sessionmaker[Session], audit: AuditLog | None = None) -> None:
        self._sm = sm
        self._audit = audit

    def lookup(self, ca_id: str, serial: int, at: dt.datetime) -> RegisterEntry:
        """The public register entry (EDS-23: status, reason, revocation time; nothing about the owner).

        Raises NotFound (``unknown_certificate``) when ``ca_id`` never issued ``serial``.
        """
        with self._sm() as session:
            status = read_status(session, ca_id, serial, at)
        if status.state is CertState.UNKNOWN:
            raise NotFound(
                ErrorCode.UNKNOWN_CERTIFICATE, f"{ca_id} issued no certificate with serial {serial:x}"
            )
        label = "on_hold" if status.on_hold else status.state.value
        reason = status.reason.value if status.reason else None
        until = status.until if status.on_hold else None
        return RegisterEntry(ca_id, serial_to_hex(serial), label, reason, status.revocation_time, until)

    def owner_entries(
        self, iin: str, at: dt.datetime, requested_by: str, ca_ids: Iterable[str] | None = None
    ) -> list[OwnerEntry]:
        """The certificates issued to ``iin`` (within ``ca_ids`` if given) with their status at ``at``.

        For authenticated use only (personal-data law Art. 24: the owner sees their own entries); the read
        is audited with the IIN masked (Art. 22).
        """
        at = ensure_utc(at)
        statement = _OWNER_QUERY
        scope = None if ca_ids is None else sorted(set(ca_ids))
        if scope is not None:
            statement = statement.where(CertificateRecord.ca_id.in_(scope))
        with self._sm() as session:
            ordered = statement.order_by(CertificateRecord.issued_at, CertificateRecord.id)
            rows = session.execute(ordered, {"at": at, "iin": iin}).all()
        found = [
            OwnerEntry(r.ca_id, r.serial, r.kind, r.not_before, r.not_after, status_of_row(r)) for r in rows
        ]
        if self._audit is not None:
            details = {"iin": iin, "entries": len(found), "ca_ids": scope}
            self._audit.record(
                requested_by, "lookup_owner", f"iin:{iin}", Outcome.SUCCESS, details, at, subject=iin
            )
        return found

    def certificate_history(self, ca_id: str, serial_hex: str) -> list[StatusPeriod]:
        """Every revocation and hold period of one certificate, live and archived (EDS-16), oldest first."""
        found: list[StatusPeriod] = []
        with self._sm() as session:
            live = session.scalars(
                select(Revocation).where(Revocation.ca_id == ca_id, Revocation.serial == serial_hex.lower())
            ).all()
            old = session.scalars(
                select(ArchivedRevocation).where(
                    ArchivedRevocation.ca_id == ca_id, ArchivedRevocation.serial == serial_hex.lower()
                )
            ).all()
            for rows, archived in ((list[PeriodColumns](live), False), (list[PeriodColumns](old), True)):
                found.extend(
                    StatusPeriod(
                        r.ground,
                        r.reason,
                        r.revocation_time,
                        r.effective_until,
                        r.end_action,
                        archived,
                        r.requested_by,
                        r.document_ref,
                        r.ended_by,
                        r.end_document_ref,
                        r.scheduled_until,
                    )
                    for r in rows
                )
        return sorted(found, key=lambda period: period.revocation_time)
