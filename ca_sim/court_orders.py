"""The CA's list of court decisions that forbid issuing a certificate to a person (EDS-14-1 (3)).

A court order names an IIN, the court and the decision's reference, and is in force from a given time
until it is lifted. Issuance asks :meth:`CourtOrders.in_force` for the applicant's IIN and refuses with
``court_decision`` while an order is in force. Adding and lifting orders are operator actions and are
recorded in the audit log (with the IIN masked).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Index, String, Table, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.audit import AuditLog, Outcome
from ca_sim.db import Base, UtcDateTime
from pki.calendar import ensure_utc
from pki.errors import Conflict, ErrorCode, InvalidInput, NotFound


class CourtOrderRecord(Base):
    """One court decision against an IIN; ``lifted_at`` is None while it stands."""

    __tablename__ = "court_orders"
    __table_args__ = (Index("ix_court_orders_iin", "iin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iin: Mapped[str] = mapped_column(String(12))
    court: Mapped[str] = mapped_column(String(200))
    document_ref: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class CourtOrder:
    """A court order as read back."""

    id: int
    iin: str
    court: str
    document_ref: str
    effective_from: dt.datetime
    lifted_at: dt.datetime | None


class CourtOrders:
    """The court-order list over ``sessionmaker``; changes are audited in ``audit``."""

    def __init__(self, sessionmaker: sessionmaker[Session], audit: AuditLog) -> None:
        self._sessionmaker = sessionmaker
        self._audit = audit

    def add(
        self,
        iin: str,
        court: str,
        document_ref: str,
        effective_from: dt.datetime,
        at: dt.datetime,
        recorded_by: str,
    ) -> CourtOrder:
        """Record a court decision against ``iin`` in force from ``effective_from``; returns it.

        Raises InvalidInput(``invalid_iin``) unless ``iin`` is 12 digits, InvalidInput(``incomplete``)
        when the court or the document reference is empty.
        """
        if len(iin) != 12 or not iin.isascii() or not iin.isdigit():
            raise InvalidInput(ErrorCode.INVALID_IIN, "IIN must be exactly 12 digits", field="iin")
        for name, value in (("court", court), ("document_ref", document_ref)):
            if not value.strip():
                raise InvalidInput(ErrorCode.INCOMPLETE, f"{name} is required for a court order", field=name)
        record = CourtOrderRecord(
            iin=iin,
            court=court.strip(),
            document_ref=document_ref.strip(),
            effective_from=ensure_utc(effective_from),
            recorded_at=ensure_utc(at),
        )
        with self._sessionmaker.begin() as session:
            self._audit.record_in(
                session,
                recorded_by,
                "add_court_order",
                f"iin:{iin}",
                Outcome.SUCCESS,
                {
                    "court": record.court,
                    "document_ref": record.document_ref,
                    "effective_from": effective_from,
                },
                at,
            )
            session.add(record)
            session.flush()
            return _to_order(record)

    def lift(self, order_id: int, at: dt.datetime, lifted_by: str) -> CourtOrder:
        """Mark order ``order_id`` lifted at ``at``.

        Raises NotFound(``unknown_court_order``), Conflict(``already_lifted``).
        """
        target = f"court_order:{order_id}"
        try:
            with self._sessionmaker.begin() as session:
                self._audit.record_in(
                    session, lifted_by, "lift_court_order", target, Outcome.SUCCESS, None, at
                )
                record = session.get(CourtOrderRecord, order_id)
                if record is None:
                    raise NotFound(ErrorCode.UNKNOWN_COURT_ORDER, f"no court order {order_id}")
                if record.lifted_at is not None:
                    raise Conflict(ErrorCode.ALREADY_LIFTED, f"court order {order_id} was lifted already")
                record.lifted_at = ensure_utc(at)
                return _to_order(record)
        except (NotFound, Conflict) as exc:
            self._audit.record(lifted_by, "lift_court_order", target, Outcome.REFUSED, {"code": exc.code}, at)
            raise

    def in_force(self, iin: str, at: dt.datetime) -> CourtOrder | None:
        """The earliest order against ``iin`` in force at ``at`` (effective, not lifted by then), or None."""
        with self._sessionmaker() as session:
            return order_in_force(session, iin, at)


def order_in_force(session: Session, iin: str, at: dt.datetime) -> CourtOrder | None:
    """:meth:`CourtOrders.in_force` inside the caller's transaction (issuance checks it while it writes)."""
    row = session.connection().execute(_IN_FORCE, {"iin": iin, "at": ensure_utc(at)}).first()
    return None if row is None else CourtOrder(*row)


_TABLE = cast(Table, CourtOrderRecord.__table__)
_AT = bindparam("at", type_=UtcDateTime)
_IN_FORCE = (
    select(
        _TABLE.c.id,
        _TABLE.c.iin,
        _TABLE.c.court,
        _TABLE.c.document_ref,
        _TABLE.c.effective_from,
        _TABLE.c.lifted_at,
    )
    .where(
        _TABLE.c.iin == bindparam("iin"),
        _TABLE.c.effective_from <= _AT,
        _TABLE.c.lifted_at.is_(None) | (_TABLE.c.lifted_at > _AT),
    )
    .order_by(_TABLE.c.effective_from)
    .limit(1)
)


def _to_order(record: CourtOrderRecord) -> CourtOrder:
    return CourtOrder(
        id=record.id,
        iin=record.iin,
        court=record.court,
        document_ref=record.document_ref,
        effective_from=record.effective_from,
        lifted_at=record.lifted_at,
    )
