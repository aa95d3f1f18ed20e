"""The revocation registry: the law's grounds, hold and release, status at any time, retention (EDS-16..18).

Model. Each (CA, serial) has a history of *periods*: one :class:`Revocation` row per state the
certificate was in while not good, valid over ``[effective_from, effective_until)`` (``effective_until``
None = still so). A revocation opens a period; a release ends a hold's period; raising a revocation's
reason to keyCompromise, or revoking a held certificate, ends the period and opens the next one. So the
status at any time T is "the period covering T, if any" (:meth:`RevocationRegistry.status`), and the
periods are the history: who asked, on which ground, with which supporting document, when.

Each period stores its CRL entry (``revokedCertificates`` element) pre-encoded as DER, so a CRL with a
million entries is a concatenation (``ca_sim.crl``), never a re-encoding.

Change tracking. Every change bumps the CA's ``status_version`` in the same transaction; a period records
the version that opened and the one that closed it. A cache (the OCSP responder's, in this process or
another) asks :meth:`RevocationRegistry.changed_serials` what changed since the version it has seen and
drops exactly those serials; listeners registered in this process are called after each commit.

Concurrency. A change first locks the CA's state row (``ca_sim.revocation_state``), so
changes to one CA are serialised across processes on SQLite and PostgreSQL; refused changes write
nothing but their audit record.

Grounds (EDS-18): the law's grounds and the RFC 5280 reason each means are data in ``ca_sim.grounds``; the
DER of an entry is ``ca_sim.crl_entry``'s; the CRLs published from the register are ``ca_sim.crl_ledger``'s
(:attr:`RevocationRegistry.crls`).

Retention (EDS-16): :meth:`RevocationRegistry.archive` refuses a cut-off less than five years before
``at``, so no revoked entry younger than five years leaves the register; archived periods move to
``revocations_archive``, still answer :meth:`status` (OCSP says revoked), and leave the CRLs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
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
    delete,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, sessionmaker
from sqlalchemy.sql.elements import BindParameter

from ca_sim.audit import AuditLog, Outcome
from ca_sim.certstore import CertificateRecord, serial_to_hex
from ca_sim.crl_entry import encode_crl_entry
from ca_sim.crl_ledger import CrlLedger
from ca_sim.db import Base, UtcDateTime
from ca_sim.grounds import AGREEMENT_STATED_REASONS, GROUND_REASONS, Ground
from ca_sim.revocation_state import RevocationState, current_version, lock_state
from pki.calendar import add_years, ensure_utc, iso_time, kz_date, kz_day_start
from pki.errors import Conflict, ErrorCode, InvalidInput, KzPkiError, NotFound, Refused

RETENTION_YEARS = 5  # EDS-16: revoked certificates are kept at least five years


def archive_cutoff(at: dt.datetime) -> dt.datetime:
    """The latest archive cut-off allowed at ``at`` (EDS-16 on Kazakh dates, KZ-TIME).

    A revocation made on Kazakh date D is kept through D's fifth anniversary, so at ``at`` only
    revocations made before the start of the Kazakh date five years before ``at``'s may be archived.
    """
    return kz_day_start(add_years(kz_date(at), -RETENTION_YEARS))


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

    @property
    def on_hold(self) -> bool:
        return self.reason is ReasonFlags.certificate_hold


GOOD = CertStatus(CertState.GOOD)
UNKNOWN = CertStatus(CertState.UNKNOWN)


@dataclass(frozen=True)
class RevokedEntry:
    """One certificate listed as revoked (or on hold) at some time."""

    serial: int
    reason: ReasonFlags
    revocation_time: dt.datetime
    invalidity_date: dt.datetime | None


@dataclass(frozen=True)
class RegisterEntry:
    """The public register's answer (EDS-23): status, reason and revocation time; no personal data."""

    ca_id: str
    serial: str  # lowercase hex
    status: str  # "good", "revoked" or "on_hold"
    reason: str | None  # RFC 5280 reason name, e.g. "keyCompromise"
    revocation_time: dt.datetime | None


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
    """One revocation or hold of a certificate, as its owner is shown it (PD-24): when it began, on which
    ground and reason, and when and how it ended (``released``/``superseded``; None while in force)."""

    ground: str
    reason: str
    revocation_time: dt.datetime
    effective_until: dt.datetime | None
    end_action: str | None
    archived: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "ground": self.ground,
            "reason": self.reason,
            "revocation_time": iso_time(self.revocation_time),
            "effective_until": iso_time(self.effective_until),
            "end_action": self.end_action,
            "archived": self.archived,
        }


@dataclass(frozen=True)
class ArchivedItem:
    ca_id: str
    serial: str
    reason: str
    revocation_time: dt.datetime


@dataclass(frozen=True)
class ArchiveReport:
    """What :meth:`RevocationRegistry.archive` moved (or, in a dry run, would move)."""

    before: dt.datetime
    dry_run: bool
    items: tuple[ArchivedItem, ...]


class _PeriodColumns:
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
    end_action: Mapped[str | None] = mapped_column(String(16))  # "released" or "superseded"
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
        )


class Revocation(_PeriodColumns, Base):
    """A revocation period in the live register."""

    __tablename__ = "revocations"


class ArchivedRevocation(_PeriodColumns, Base):
    """A period moved out of the live register after the EDS-16 retention time."""

    __tablename__ = "revocations_archive"

    archived_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


Listener = Callable[[str, int], None]


def _effective_at(
    model: type[Revocation] | type[ArchivedRevocation], at: dt.datetime | BindParameter[dt.datetime]
) -> ColumnElement[bool]:
    return and_(model.effective_from <= at, or_(model.effective_until.is_(None), model.effective_until > at))


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


def _status_of(period: Revocation | None) -> CertStatus:
    if period is None:
        return GOOD
    return CertStatus(
        CertState.REVOKED, ReasonFlags(period.reason), period.revocation_time, period.invalidity_date
    )


def _register_query() -> Select:
    """Issued certificates with the live or archived revocation period covering the bound ``at``."""
    at = bindparam("at", type_=UtcDateTime)

    def covering(model: type[Revocation] | type[ArchivedRevocation]) -> ColumnElement[bool]:
        return and_(
            model.ca_id == CertificateRecord.ca_id,
            model.serial == CertificateRecord.serial,
            _effective_at(model, at),
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
        )
        .select_from(CertificateRecord)
        .outerjoin(Revocation, covering(Revocation))
        .outerjoin(ArchivedRevocation, covering(ArchivedRevocation))
    )


_STATUS_QUERY = _register_query().where(
    CertificateRecord.ca_id == bindparam("ca_id"), CertificateRecord.serial == bindparam("serial")
)
_STATUS_WITH_VERSION_QUERY = _STATUS_QUERY.add_columns(
    select(RevocationState.status_version)
    .where(RevocationState.ca_id == bindparam("ca_id"))
    .scalar_subquery()
    .label("status_version")
)
_OWNER_QUERY = _register_query().where(CertificateRecord.iin == bindparam("iin"))


def _status_of_row(row: Row[Any]) -> CertStatus:
    if row.reason is None:
        return GOOD
    return CertStatus(CertState.REVOKED, ReasonFlags(row.reason), row.revocation_time, row.invalidity_date)


def _serial_hex(serial: int) -> str:
    try:
        return serial_to_hex(serial)
    except ValueError:
        raise InvalidInput(
            ErrorCode.MALFORMED_SERIAL, "certificate serials are positive", field="serial"
        ) from None


@dataclass(frozen=True)
class _Request:
    """One requested change, as given by the caller (validated)."""

    action: str  # "revoke", "hold" or "release"
    ca_id: str
    serial: int
    at: dt.datetime
    requested_by: str
    document_ref: str
    ground: Ground | None = None
    reason: ReasonFlags | None = None
    invalidity_date: dt.datetime | None = None

    @property
    def target(self) -> str:
        return f"{self.ca_id}:{serial_to_hex(self.serial)}"


class RevocationRegistry:
    """The register of revocations over ``sm``. With ``audit``, every change and refusal is recorded."""

    def __init__(self, sm: sessionmaker[Session], audit: AuditLog | None = None) -> None:
        self._sm = sm
        self._audit = audit
        self._listeners: list[Listener] = []
        self.crls = CrlLedger(sm)  # the CRLs published from this register

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(ca_id, serial)`` after every committed status change made through this object."""
        self._listeners.append(listener)

    # --- changes -------------------------------------------------------------------------------------

    def revoke(
        self,
        ca_id: str,
        serial: int,
        ground: Ground | str,
        at: dt.datetime,
        requested_by: str,
        document_ref: str,
        invalidity_date: dt.datetime | None = None,
        stated_reason: ReasonFlags | None = None,
    ) -> CertStatus:
        """Revoke (for :attr:`Ground.HOLD`: suspend) ``serial`` of ``ca_id`` at ``at``; return the new status.

        ``requested_by`` is who asked (operator name, or the owner for EDS-17), ``document_ref`` the
        supporting document (EDS-18: the information the CA received), ``invalidity_date`` when the key is
        known or suspected to have become invalid (not after ``at``), ``stated_reason`` the owner's reason on
        :attr:`Ground.AGREEMENT` (one of :data:`AGREEMENT_STATED_REASONS`).

        A held certificate may be revoked (the hold ends). A revoked one raises Conflict
        (``already_revoked``), except raising its reason to keyCompromise, which opens a new period with
        the original revocation time. Raises NotFound (``unknown_certificate``) for a serial the CA never
        issued, Conflict (``out_of_order``) for an ``at`` before the certificate's last change, and
        InvalidInput for bad arguments.
        """
        action = "hold" if ground == Ground.HOLD.value else "revoke"
        with self._refusals_recorded(action, ca_id, serial, at, requested_by, str(ground)):
            try:
                ground = Ground(ground)
            except ValueError:
                raise InvalidInput(
                    ErrorCode.UNKNOWN_GROUND, f"unknown revocation ground {ground!r}", field="ground"
                ) from None
            reason = GROUND_REASONS[ground]
            if stated_reason is not None:
                if ground is not Ground.AGREEMENT or stated_reason not in AGREEMENT_STATED_REASONS:
                    raise InvalidInput(
                        ErrorCode.REASON_NOT_ALLOWED,
                        "an owner's stated reason is taken on the agreement ground only (EDS-18 4)",
                        field="stated_reason",
                    )
                reason = stated_reason
            request = self._request(action, ca_id, serial, at, requested_by, document_ref, ground, reason)
            if invalidity_date is not None:
                invalidity_date = ensure_utc(invalidity_date)
                if invalidity_date > request.at:
                    raise InvalidInput(
                        ErrorCode.INVALIDITY_DATE_IN_FUTURE,
                        "the invalidity date is after the revocation",
                        field="invalidity_date",
                    )
                request = replace(request, invalidity_date=invalidity_date)
            return self._change(request)

    def hold(
        self, ca_id: str, serial: int, at: dt.datetime, requested_by: str, document_ref: str
    ) -> CertStatus:
        """Suspend ``serial`` (certificateHold). Conflict ``already_on_hold`` / ``already_revoked``."""
        return self.revoke(ca_id, serial, Ground.HOLD, at, requested_by, document_ref)

    def release(
        self, ca_id: str, serial: int, at: dt.datetime, requested_by: str, document_ref: str
    ) -> CertStatus:
        """Lift the hold on ``serial``: good again from ``at``; the next delta CRL says removeFromCRL.

        Raises Conflict (``not_on_hold``) when it is not on hold, NotFound for an unknown serial.
        """
        with self._refusals_recorded("release", ca_id, serial, at, requested_by, None):
            return self._change(self._request("release", ca_id, serial, at, requested_by, document_ref))

    @contextmanager
    def _refusals_recorded(
        self, action: str, ca_id: str, serial: int, at: dt.datetime, requested_by: str, ground: str | None
    ) -> Iterator[None]:
        """Record a refused change (any KzPkiError raised inside) in the audit log, then re-raise it."""
        try:
            yield
        except KzPkiError as exc:
            if self._audit is not None:
                target = f"{ca_id}:{serial:x}"
                details = {"code": exc.code, "ground": ground}
                actor = requested_by.strip() or "anonymous"
                self._audit.record(actor, action, target, Outcome.REFUSED, details, ensure_utc(at))
            raise

    def _request(
        self,
        action: str,
        ca_id: str,
        serial: int,
        at: dt.datetime,
        requested_by: str,
        document_ref: str,
        ground: Ground | None = None,
        reason: ReasonFlags | None = None,
    ) -> _Request:
        _serial_hex(serial)
        if not requested_by.strip():
            raise InvalidInput(
                ErrorCode.REQUESTER_REQUIRED, "say who asked for the change", field="requested_by"
            )
        if not document_ref.strip():
            raise InvalidInput(
                ErrorCode.DOCUMENT_REQUIRED, "name the supporting document (EDS-18)", field="document_ref"
            )
        return _Request(action, ca_id, serial, ensure_utc(at), requested_by, document_ref, ground, reason)

    def _change(self, request: _Request) -> CertStatus:
        with self._sm.begin() as session:
            status = self._apply(session, request)
        for listener in self._listeners:
            listener(request.ca_id, request.serial)
        return status

    def _apply(self, session: Session, request: _Request) -> CertStatus:
        state = lock_state(session, request.ca_id)
        serial_hex = serial_to_hex(request.serial)
        issued = session.execute(
            select(CertificateRecord.id, CertificateRecord.iin).where(
                CertificateRecord.ca_id == request.ca_id, CertificateRecord.serial == serial_hex
            )
        ).one_or_none()
        if issued is None:
            raise NotFound(
                ErrorCode.UNKNOWN_CERTIFICATE,
                f"{request.ca_id} issued no certificate with serial {serial_hex}",
            )
        periods = session.scalars(
            select(Revocation).where(Revocation.ca_id == request.ca_id, Revocation.serial == serial_hex)
        ).all()
        last_change = max(
            (t for p in periods for t in (p.effective_from, p.effective_until) if t), default=None
        )
        if last_change is not None and request.at < last_change:
            raise Conflict(
                ErrorCode.OUT_OF_ORDER,
                "the certificate changed after the given time",
                last_change=last_change.isoformat(),
            )
        current = next((p for p in periods if p.effective_until is None), None)
        successor = _successor(request, current)
        version = state.status_version = state.status_version + 1
        if current is not None:
            current.effective_until, current.ended_version = request.at, version
            current.ended_by, current.end_document_ref = request.requested_by, request.document_ref
            current.end_action = "released" if successor is None else "superseded"
        if successor is not None:
            successor.started_version = version
            session.add(successor)
        if self._audit is not None:
            details = {
                "ground": request.ground.value if request.ground else None,
                "reason": request.reason.value if request.reason else None,
                "document_ref": request.document_ref,
                "invalidity_date": request.invalidity_date,
                "status_version": version,
            }
            self._audit.record_in(
                session,
                request.requested_by,
                request.action,
                request.target,
                Outcome.SUCCESS,
                details,
                request.at,
                subject=issued.iin,  # PD-24: the owner sees who changed their certificate
            )
        return _status_of(successor)

    # --- reading -------------------------------------------------------------------------------------

    def status(self, ca_id: str, serial: int, at: dt.datetime) -> CertStatus:
        """The status of ``serial`` at ``at``: good, revoked (incl. on hold, with reason and time), or unknown
        when ``ca_id`` never issued it. Archived periods still count (EDS-16: OCSP keeps saying revoked).
        One indexed query.
        """
        parameters = {"at": ensure_utc(at), "ca_id": ca_id, "serial": _serial_hex(serial)}
        with self._sm() as session:
            row = session.execute(_STATUS_QUERY, parameters).first()
        return UNKNOWN if row is None else _status_of_row(row)

    def status_and_version(self, ca_id: str, serial: int, at: dt.datetime) -> tuple[CertStatus, int]:
        """:meth:`status` and the CA's status version, read by ONE statement (so from one snapshot).

        The status reflects every change up to that version and none after it: what a cache needs to
        stamp an answer with the version it was built from (``ca_sim.ocsp``).
        """
        parameters = {"at": ensure_utc(at), "ca_id": ca_id, "serial": _serial_hex(serial)}
        with self._sm() as session:
            row = session.execute(_STATUS_WITH_VERSION_QUERY, parameters).first()
            if row is None:  # never issued: the version alone
                return UNKNOWN, current_version(session, ca_id)
        return _status_of_row(row), row.status_version or 0

    def revoked_entries(self, ca_id: str, at: dt.datetime) -> list[RevokedEntry]:
        """Every certificate of ``ca_id`` revoked or on hold at ``at`` (live register; not the archive)."""
        statement = (
            select(Revocation)
            .where(Revocation.ca_id == ca_id, _effective_at(Revocation, ensure_utc(at)))
            .order_by(Revocation.id)
        )
        with self._sm() as session:
            return [
                RevokedEntry(int(p.serial, 16), ReasonFlags(p.reason), p.revocation_time, p.invalidity_date)
                for p in session.scalars(statement)
            ]

    def crl_entries(self, ca_id: str, at: dt.datetime) -> tuple[list[bytes], int]:
        """The pre-encoded CRL entries of :meth:`revoked_entries` and the status version they reflect.

        One indexed query in the order revocations took effect, read through SQLAlchemy Core (no ORM
        objects: a million rows cost well under a second); the version (:func:`_version_as_of`) is read
        first, so it is never newer than the entries.
        """
        at = ensure_utc(at)
        statement = (
            select(Revocation.entry_der)
            .where(Revocation.ca_id == ca_id, _effective_at(Revocation, at))
            .order_by(Revocation.effective_from, Revocation.id)
        )
        with self._sm.begin() as session:
            version = _version_as_of(session, ca_id, at)
            return list(session.connection().execute(statement).scalars()), version

    def delta_crl_entries(self, ca_id: str, since: dt.datetime, at: dt.datetime) -> tuple[list[bytes], int]:
        """The CRL entries a delta CRL on a base built at ``since`` lists at ``at`` (RFC 5280 5.2.4), and the
        status version they reflect.

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
        with self._sm.begin() as session:
            version = _version_as_of(session, ca_id, at)
            periods = session.scalars(statement).all()
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

    def lookup(self, ca_id: str, serial: int, at: dt.datetime) -> RegisterEntry:
        """The public register entry (EDS-23: status, reason, revocation time; nothing about the owner).

        Raises NotFound (``unknown_certificate``) when ``ca_id`` never issued ``serial``.
        """
        status = self.status(ca_id, serial, at)
        if status.state is CertState.UNKNOWN:
            raise NotFound(
                ErrorCode.UNKNOWN_CERTIFICATE, f"{ca_id} issued no certificate with serial {serial:x}"
            )
        label = "on_hold" if status.on_hold else status.state.value
        reason = status.reason.value if status.reason else None
        return RegisterEntry(ca_id, serial_to_hex(serial), label, reason, status.revocation_time)

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
            OwnerEntry(r.ca_id, r.serial, r.kind, r.not_before, r.not_after, _status_of_row(r)) for r in rows
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
            for rows, archived in ((list[_PeriodColumns](live), False), (list[_PeriodColumns](old), True)):
                found.extend(
                    StatusPeriod(
                        r.ground, r.reason, r.revocation_time, r.effective_until, r.end_action, archived
                    )
                    for r in rows
                )
        return sorted(found, key=lambda period: period.revocation_time)

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

    def status_version(self, ca_id: str) -> int:
        """The current status version of ``ca_id`` (0 before its first change)."""
        with self._sm() as session:
            return current_version(session, ca_id)

    # --- retention (EDS-16) --------------------------------------------------------------------------

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


def _successor(request: _Request, current: Revocation | None) -> Revocation | None:
    """The period following ``current`` after ``request``, None if released; Conflict when refused."""
    if request.action == "release":
        if current is None or ReasonFlags(current.reason) is not ReasonFlags.certificate_hold:
            raise Conflict(ErrorCode.NOT_ON_HOLD, "the certificate is not on hold")
        return None
    assert request.reason is not None and request.ground is not None
    revocation_time = request.at
    invalidity_date = request.invalidity_date
    if current is not None:
        current_reason = ReasonFlags(current.reason)
        if current_reason is ReasonFlags.certificate_hold:
            if request.action == "hold":
                raise Conflict(ErrorCode.ALREADY_ON_HOLD, "the certificate is already on hold")
        elif (
            request.reason is ReasonFlags.key_compromise and current_reason is not ReasonFlags.key_compromise
        ):
            revocation_time = current.revocation_time  # raised to keyCompromise: revoked since then
            invalidity_date = invalidity_date or current.invalidity_date
        else:
            raise Conflict(
                ErrorCode.ALREADY_REVOKED, "the certificate is already revoked", reason=current_reason.value
            )
    revocation_time = revocation_time.replace(microsecond=0)
    return Revocation(
        ca_id=request.ca_id,
        serial=serial_to_hex(request.serial),
        ground=request.ground.value,
        reason=request.reason.value,
        revocation_time=revocation_time,
        invalidity_date=invalidity_date.replace(microsecond=0) if invalidity_date else None,
        requested_by=request.requested_by,
        document_ref=request.document_ref,
        effective_from=request.at,
        entry_der=encode_crl_entry(request.serial, revocation_time, request.reason, invalidity_date),
    )
