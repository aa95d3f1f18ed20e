"""The revocation registry: the law's grounds applied, hold and release (EDS-16..18).

The register is the history of revocation *periods* of each certificate (``ca_sim.revocation_periods``: the
model, the tables, the status at a time); this module changes it, and its reads (statuses, CRL entries,
change tracking) are ``ca_sim.register_reads``', the base of :class:`RevocationRegistry`. A revocation
opens a period; a release ends a hold's period; raising a revocation's reason to keyCompromise, or revoking
a held certificate, ends the period and opens the next one. Every change bumps the CA's status version in
the same transaction (what caches track); listeners registered in this process are called after each
commit.

Concurrency. A change first locks the CA's state row (``ca_sim.revocation_state``), so
changes to one CA are serialised across processes on SQLite and PostgreSQL; refused changes write
nothing but their audit record.

Grounds (EDS-18): the law's grounds and the RFC 5280 reason each means are data in ``ca_sim.grounds``; the
DER of an entry is ``ca_sim.crl_entry``'s; the CRLs published from the register are ``ca_sim.crl_ledger``'s
(:attr:`RevocationRegistry.crls`), what it shows (EDS-23 public entry, an owner's entries and history)
``ca_sim.register_views``' (:attr:`RevocationRegistry.views`) and its EDS-16 archive ``ca_sim.retention``'s
(:attr:`RevocationRegistry.retention`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from cryptography.x509 import ReasonFlags
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ca_sim.audit import AuditLog, Outcome
from ca_sim.certstore import CertificateRecord, serial_to_hex
from ca_sim.crl_entry import encode_crl_entry
from ca_sim.crl_ledger import CrlLedger
from ca_sim.grounds import AGREEMENT_STATED_REASONS, GROUND_REASONS, Ground
from ca_sim.register_reads import RegisterReads
from ca_sim.register_views import RegisterViews
from ca_sim.retention import RegisterArchive
from ca_sim.revocation_periods import (
    GOOD,
    CertState,
    CertStatus,
    Revocation,
    change_times,
    checked_serial_hex,
    covers,
)
from ca_sim.revocation_state import lock_state
from pki.calendar import ensure_utc
from pki.errors import Conflict, ErrorCode, InvalidInput, KzPkiError, NotFound

__all__ = ["Listener", "RevocationRegistry"]


# (ca_id, serial, ground) of a committed change: the ground of a revocation, Ground.HOLD for a hold, None
# for a release.
Listener = Callable[[str, int, Ground | None], None]


def _status_of(period: Revocation | None) -> CertStatus:
    if period is None:
        return GOOD
    return CertStatus(
        CertState.REVOKED,
        ReasonFlags(period.reason),
        period.revocation_time,
        period.invalidity_date,
        period.effective_until,
    )


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
    hold_until: dt.datetime | None = None  # a hold's end date (exclusive), None: until released

    @property
    def target(self) -> str:
        return f"{self.ca_id}:{serial_to_hex(self.serial)}"


class RevocationRegistry(RegisterReads):
    """The register of revocations over ``sm``, changed and read. With ``audit``, every change and refusal
    is recorded."""

    def __init__(self, sm: sessionmaker[Session], audit: AuditLog | None = None) -> None:
        super().__init__(sm)
        self._audit = audit
        self._listeners: list[Listener] = []
        self.crls = CrlLedger(sm)  # the CRLs published from this register
        self.views = RegisterViews(sm, audit)  # what it shows: EDS-23 entries, an owner's, a history
        self.retention = RegisterArchive(sm, audit)  # the EDS-16 archive

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(ca_id, serial, ground)`` after every committed status change made through this
        object (``ground`` None for a release)."""
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
        hold_until: dt.datetime | None = None,
    ) -> CertStatus:
        """Revoke (for :attr:`Ground.HOLD`: suspend) ``serial`` of ``ca_id`` at ``at``; return the new status.

        ``requested_by`` is who asked (operator name, or the owner for EDS-17), ``document_ref`` the
        supporting document (EDS-18: the information the CA received), ``invalidity_date`` when the key is
        known or suspected to have become invalid (not after ``at``), ``stated_reason`` the owner's reason on
        :attr:`Ground.AGREEMENT` (one of :data:`AGREEMENT_STATED_REASONS`), ``hold_until`` the end of a
        hold (exclusive; the certificate is good again from then, as of that time, with no further call;
        a release or revocation before it ends the hold earlier).

        A held certificate may be revoked (the hold ends). A revoked one raises Conflict
        (``already_revoked``), except raising its reason to keyCompromise, which opens a new period with
        the original revocation time. Raises NotFound (``unknown_certificate``) for a serial the CA never
        issued, Conflict (``out_of_order``) for an ``at`` before the certificate's last change, and
        InvalidInput for bad arguments (``hold_end_not_after_start`` for a ``hold_until`` not after ``at``,
        ``invalid_value`` for a ``hold_until`` on a revocation).
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
            if hold_until is not None:
                request = replace(request, hold_until=_checked_hold_end(ground, hold_until, request.at))
            return self._change(request)

    def hold(
        self,
        ca_id: str,
        serial: int,
        at: dt.datetime,
        requested_by: str,
        document_ref: str,
        until: dt.datetime | None = None,
    ) -> CertStatus:
        """Suspend ``serial`` (certificateHold) until released or, with ``until``, until then (exclusive:
        good again from ``until`` on, with no further call). Conflict ``already_on_hold`` /
        ``already_revoked``; InvalidInput ``hold_end_not_after_start`` for an ``until`` not after ``at``."""
        return self.revoke(ca_id, serial, Ground.HOLD, at, requested_by, document_ref, hold_until=until)

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
        checked_serial_hex(serial)
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
            listener(request.ca_id, request.serial, request.ground)
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
            (t for p in periods for t in change_times(p, request.at)),
            default=None,
        )
        if last_change is not None and request.at < last_change:
            raise Conflict(
                ErrorCode.OUT_OF_ORDER,
                "the certificate changed after the given time",
                last_change=last_change.isoformat(),
            )
        current = next((p for p in periods if covers(p, request.at)), None)
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
                "hold_until": request.hold_until,
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


def _checked_hold_end(ground: Ground, until: dt.datetime, at: dt.datetime) -> dt.datetime:
    if ground is not Ground.HOLD:
        raise InvalidInput(ErrorCode.INVALID_VALUE, "only a hold has an end date", field="hold_until")
    until = ensure_utc(until)
    if until <= at:
        raise InvalidInput(
            ErrorCode.HOLD_END_NOT_AFTER_START, "the hold's end date is not after the hold", field="until"
        )
    return until


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
        effective_until=request.hold_until,  # a scheduled end (end_action stays None), or None
        scheduled_until=request.hold_until,
        entry_der=encode_crl_entry(request.serial, revocation_time, request.reason, invalidity_date),
    )
