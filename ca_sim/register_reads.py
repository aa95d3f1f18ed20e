"""Reading the revocation register: the status at a time, the CRL entries, and change tracking (EDS-16..18).

What relying parties, the OCSP responder and the CRL publisher read from the register that
``ca_sim.registry`` changes (:class:`RegisterReads`, the base of its ``RevocationRegistry``). Every status
read is one indexed statement; the per-login and per-OCSP-answer ones run on the driver
(``storage.prepared``), on the connection a login lends (``storage.reading``) or one of their own.

Change tracking. Every change bumps the CA's ``status_version`` in the same transaction; a period records
the version that opened and the one that closed it. A cache (the OCSP responder's, in this process or
another) asks :meth:`RegisterReads.changed_serials` what changed since the version it has seen and drops
exactly those serials.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cryptography.x509 import ReasonFlags
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from ca_sim.certstore import CertificateRecord
from ca_sim.crl_entry import encode_crl_entry
from ca_sim.revocation_periods import (
    STATUS_QUERY,
    UNKNOWN,
    CertStatus,
    Revocation,
    effective_at,
    read_status,
    status_of_row,
    status_parameters,
)
from ca_sim.revocation_state import RevocationState, current_version
from pki.calendar import ensure_utc
from storage import Prepared, engine_of, reading

__all__ = ["RegisterReads", "RevokedEntry"]


@dataclass(frozen=True)
class RevokedEntry:
    """One certificate listed as revoked (or on hold) at some time."""

    serial: int
    reason: ReasonFlags
    revocation_time: dt.datetime
    invalidity_date: dt.datetime | None


_STATUS_WITH_VERSION = STATUS_QUERY.add_columns(
    select(RevocationState.status_version)
    .where(RevocationState.ca_id == bindparam("ca_id"))
    .scalar_subquery()
    .label("status_version")
)

# Run on the driver (storage.prepared): the OCSP responder's cache misses read the status with the version;
# the relying-party read (:meth:`RegisterReads.certificate_status`, once per login) also reads the
# certificate as issued; each by one statement.
_STATUS_AND_VERSION_QUERY = Prepared(_STATUS_WITH_VERSION)
_CERTIFICATE_STATUS_QUERY = Prepared(
    _STATUS_WITH_VERSION.add_columns(CertificateRecord.der.label("issued_der"))
)

_NEXT_SCHEDULED_END_QUERY = Prepared(
    select(func.min(Revocation.effective_until).label("scheduled_end")).where(
        Revocation.ca_id == bindparam("ca_id"),
        Revocation.effective_until > bindparam("after"),
        Revocation.end_action.is_(None),
    )
)


def _version_as_of(session: Session, ca_id: str, at: dt.datetime) -> int:
    """The status version that ``ca_id``'s entries as of ``at`` reflect: the current one, unless a change
    is dated after ``at`` (one that committed while a CRL as of ``at`` was being built, in this or another
    process); then the version before the first such change, so that CRL does not count as reflecting it
    and the next delta (built at or after its time) lists it. Two indexed lookups.
    """
    current = current_version(session, ca_id)
    started = select(func.min(Revocation.started_version)).where(
        Revocation.ca_id == ca_id, Revocation.effective_from > at
    )
    ended = select(func.min(Revocation.ended_version)).where(
        Revocation.ca_id == ca_id, Revocation.effective_until > at
    )
    later = [v for v in (session.scalar(started), session.scalar(ended)) if v is not None]
    return min([current, *(v - 1 for v in later)])


class RegisterReads:
    """The reads of the register over ``sm``: statuses, CRL entries, change tracking."""

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm
        self._engine = engine_of(sm)

    def status(self, ca_id: str, serial: int, at: dt.datetime) -> CertStatus:
        """The status of ``serial`` at ``at``: good, revoked (incl. on hold, with reason and time), or unknown
        when ``ca_id`` never issued it. Archived periods still count (EDS-16: OCSP keeps saying revoked).
        One indexed query (Core: every live OCSP answer reads it). Raises InvalidInput (``malformed_serial``)
        for a serial that is not positive, and SQLAlchemy errors when the database cannot be read.
        """
        with reading(self._engine) as connection:
            return read_status(connection, ca_id, serial, at)

    def status_and_version(self, ca_id: str, serial: int, at: dt.datetime) -> tuple[CertStatus, int]:
        """:meth:`status` and the CA's status version, read by ONE statement (so from one snapshot).

        The status reflects every change up to that version and none after it: what a cache needs to
        stamp an answer with the version it was built from (``ca_sim.ocsp``). Raises as :meth:`status`.
        """
        parameters = status_parameters(ca_id, serial, at)
        with reading(self._engine) as connection:
            row = _STATUS_AND_VERSION_QUERY.first(connection, parameters)
            if row is None:  # never issued: the version alone
                return UNKNOWN, current_version(connection, ca_id)
        return status_of_row(row), row.status_version or 0

    def certificate_status(
        self, ca_id: str, certificate_der: bytes, serial: int, at: dt.datetime
    ) -> tuple[CertStatus, int]:
        """The status at ``at`` of the certificate ``certificate_der`` (serial ``serial``) of ``ca_id`` and
        the CA's status version, read by ONE statement (one snapshot), for a relying party on this database.

        UNKNOWN when ``ca_id`` holds no certificate with that serial, or holds another one under it (the
        register is compared byte for byte: a certificate it did not issue is never "good"). Each call reads
        the database afresh; a change committed before the call began is in the answer (SQLite's reads and
        PostgreSQL's READ COMMITTED see every transaction committed before the statement). It runs on the
        connection a login lends (:func:`storage.reading`), else on one of its own. Raises InvalidInput
        (``malformed_serial``) for a serial that is not positive, and whatever the database driver raises
        (SQLAlchemy errors) when the database cannot be read.
        """
        parameters = status_parameters(ca_id, serial, at)
        with reading(self._engine) as connection:  # Core, no Session: this runs once per login
            row = _CERTIFICATE_STATUS_QUERY.first(connection, parameters)
            if row is None or bytes(row.issued_der) != certificate_der:
                return UNKNOWN, current_version(connection, ca_id)
        return status_of_row(row), row.status_version or 0

    def revoked_entries(self, ca_id: str, at: dt.datetime) -> list[RevokedEntry]:
        """Every certificate of ``ca_id`` revoked or on hold at ``at`` (live register; not the archive)."""
        statement = (
            select(Revocation)
            .where(Revocation.ca_id == ca_id, effective_at(Revocation, ensure_utc(at)))
            .order_by(Revocation.id)
        )
        with self._sm() as session:
            return [
                RevokedEntry(int(p.serial, 16), ReasonFlags(p.reason), p.revocation_time, p.invalidity_date)
                for p in session.scalars(statement)
            ]

    def crl_entries(
        self, ca_id: str, at: dt.datetime, session: Session | None = None
    ) -> tuple[list[bytes], int]:
        """The pre-encoded CRL entries of :meth:`revoked_entries` and the status version they reflect.

        One indexed query in the order revocations took effect, read through SQLAlchemy Core (no ORM
        objects: a million rows cost well under a second); the version (:func:`_version_as_of`) is read
        first, so it is never newer than the entries. Read in ``session`` when given (the transaction that
        took the CRL's number, ``CrlLedger.numbered``), else in a transaction of its own.
        """
        at = ensure_utc(at)
        statement = (
            select(Revocation.entry_der)
            .where(Revocation.ca_id == ca_id, effective_at(Revocation, at))
            .order_by(Revocation.effective_from, Revocation.id)
        )
        with self._reading(session) as reading:
            version = _version_as_of(reading, ca_id, at)
            return list(reading.connection().execute(statement).scalars()), version

    def delta_crl_entries(
        self, ca_id: str, since: dt.datetime, at: dt.datetime, session: Session | None = None
    ) -> tuple[list[bytes], int]:
        """The CRL entries a delta CRL on a base built at ``since`` lists at ``at`` (RFC 5280 5.2.4), and the
        status version they reflect (read in ``session`` when given, as :meth:`crl_entries`).

        For each certificate whose status changed in ``(since, at]``: its entry if revoked or on hold at
        ``at``; a removeFromCRL entry (dated at the release) if it was on hold at ``since`` and is good at
        ``at``. Cost is proportional to the number of changes, not to the size of the CRL.
        """
        since, at = ensure_utc(since), ensure_utc(at)
        changed = or_(
            and_(Revocation.effective_from > since, Revocation.effective_from <= at),
            and_(Revocation.effective_until > since, Revocation.effective_until <= at),
        )
        statement = select(Revocation).where(Revocation.ca_id == ca_id, changed).order_by(Revocation.id)
        with self._reading(session) as reading:
            version = _version_as_of(reading, ca_id, at)
            periods = reading.scalars(statement).all()
        now: dict[str, Revocation] = {}
        before: dict[str, Revocation] = {}
        for period in periods:
            if period.effective_from <= at and (
                period.effective_until is None or period.effective_until > at
            ):
                now[period.serial] = period
            if period.effective_from <= since:  # it ended inside the window, so it covered ``since``
                before[period.serial] = period
        entries = [p.entry_der for p in now.values()]
        for serial_hex, period in before.items():
            if serial_hex not in now and ReasonFlags(period.reason) is ReasonFlags.certificate_hold:
                released = period.effective_until or at
                entries.append(
                    encode_crl_entry(int(serial_hex, 16), released, ReasonFlags.remove_from_crl, None)
                )
        return entries, version

    @contextmanager
    def _reading(self, session: Session | None) -> Iterator[Session]:
        """``session`` if given (left open), else a transaction of this registry's own."""
        if session is not None:
            yield session
            return
        with self._sm.begin() as own:
            yield own

    # --- change tracking -----------------------------------------------------------------------------

    def status_versions(self) -> dict[str, int]:
        """Every CA's current status version (0 for a CA that never changed)."""
        with self._sm() as session:
            rows = session.execute(select(RevocationState.ca_id, RevocationState.status_version)).all()
        return {ca_id: version for ca_id, version in rows}

    def changed_serials(self, ca_id: str, since_version: int) -> set[int]:
        """The serials of ``ca_id`` whose status changed after ``since_version`` (exact invalidation)."""
        statement = select(Revocation.serial).where(
            Revocation.ca_id == ca_id,
            or_(Revocation.started_version > since_version, Revocation.ended_version > since_version),
        )
        with self._sm() as session:
            return {int(s, 16) for s in session.scalars(statement)}

    def next_scheduled_end(self, ca_id: str, after: dt.datetime) -> dt.datetime | None:
        """The first scheduled end of a hold of ``ca_id`` after ``after`` (a status change that happens by
        itself: the CRL publisher publishes a delta for it and announces it as nextUpdate), or None. One
        indexed query (``ca_id``, ``effective_until``) on the driver: every CRL download asks it."""
        with reading(self._engine) as connection:
            row = _NEXT_SCHEDULED_END_QUERY.first(connection, {"ca_id": ca_id, "after": ensure_utc(after)})
        return None if row is None else row.scheduled_end

    def status_version(self, ca_id: str) -> int:
        """The current status version of ``ca_id`` (0 before its first change). Core, no Session: every
        OCSP answer from the cache reads it (``ca_sim.ocsp``)."""
        with reading(self._engine) as connection:
            return current_version(connection, ca_id)
