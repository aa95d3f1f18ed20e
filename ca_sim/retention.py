"""Retention of the register (EDS-16): revoked certificates are kept five years or more, then archived.

:meth:`RegisterArchive.archive` refuses a cut-off less than five years (on Kazakh dates, KZ-TIME) before
``at``, so no revoked entry younger than five years leaves the register; archived periods move to
``revocations_archive`` (``ca_sim.revocation_periods``), still answer the status (OCSP says revoked), and
leave the CRLs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, literal, or_, select
from sqlalchemy.orm import Session, sessionmaker

from ca_sim.audit import AuditLog, Outcome
from ca_sim.db import UtcDateTime
from ca_sim.revocation_periods import ArchivedRevocation, Revocation
from pki.calendar import add_years, ensure_utc, kz_date, kz_day_start
from pki.errors import ErrorCode, Refused

__all__ = ["RETENTION_YEARS", "ArchiveReport", "ArchivedItem", "RegisterArchive", "archive_cutoff"]

RETENTION_YEARS = 5  # EDS-16: revoked certificates are kept at least five years


def archive_cutoff(at: dt.datetime) -> dt.datetime:
    """The latest archive cut-off allowed at ``at`` (EDS-16 on Kazakh dates, KZ-TIME).

    A revocation made on Kazakh date D is kept through D's fifth anniversary, so at ``at`` only
    revocations made before the start of the Kazakh date five years before ``at``'s may be archived.
    """
    return kz_day_start(add_years(kz_date(at), -RETENTION_YEARS))


@dataclass(frozen=True)
class ArchivedItem:
    ca_id: str
    serial: str
    reason: str
    revocation_time: dt.datetime


@dataclass(frozen=True)
class ArchiveReport:
    """What :meth:`RegisterArchive.archive` moved (or, in a dry run, would move)."""

    before: dt.datetime
    dry_run: bool
    items: tuple[ArchivedItem, ...]


class RegisterArchive:
    """Moves old periods of the register over ``sm`` to the archive; with ``audit``, each move is recorded."""

    def __init__(self, sm: sessionmaker[Session], audit: AuditLog | None = None) -> None:
        self._sm = sm
        self._audit = audit

    def archive(
        self, before: dt.datetime, at: dt.datetime, requested_by: str, dry_run: bool = True
    ) -> ArchiveReport:
        """Move revocation periods that began (and, if ended, ended) before ``before`` to the archive.

        With ``dry_run`` (the default) nothing moves; the report lists what would. Raises Refused
        (``retention_period``) when ``before`` is later than :func:`archive_cutoff` of ``at`` (EDS-16).
        """
        before, at = ensure_utc(before), ensure_utc(at)
        latest = archive_cutoff(at)
        if before > latest:
            raise Refused(
                ErrorCode.RETENTION_PERIOD,
                f"revoked certificates are kept {RETENTION_YEARS} years (EDS-16): the cut-off must be on or "
                f"before {latest.isoformat()}",
            )
        old = and_(
            Revocation.revocation_time < before,
            or_(Revocation.effective_until.is_(None), Revocation.effective_until < before),
        )
        with self._sm.begin() as session:
            rows = session.execute(
                select(Revocation.ca_id, Revocation.serial, Revocation.reason, Revocation.revocation_time)
                .where(old)
                .order_by(Revocation.id)
            ).all()
            items = tuple(ArchivedItem(*row) for row in rows)
            if not dry_run and items:
                columns = [c.name for c in Revocation.__table__.columns]
                source = select(*[Revocation.__table__.c[name] for name in columns], literal(at, UtcDateTime))
                session.execute(
                    insert(ArchivedRevocation).from_select([*columns, "archived_at"], source.where(old))
                )
                session.execute(delete(Revocation).where(old))
            if self._audit is not None and not dry_run:
                details = {"before": before, "moved": len(items)}
                self._audit.record_in(
                    session, requested_by, "archive", "registry", Outcome.SUCCESS, details, at
                )
        return ArchiveReport(before, dry_run, items)
