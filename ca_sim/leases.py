"""Named leases in the database: one holder at a time for work that several instances must not duplicate.

Several ``kzpki serve`` instances share one database; the periodic CRL publisher must run in one of them
at a time. A lease is a row (name, holder, expiry). :meth:`Leases.acquire` takes or renews it with one
conditional UPDATE (``holder = me OR expires_at <= now``) in its own transaction, inserting the row when
it does not exist yet; the database serialises contenders (PostgreSQL's row lock re-checks the condition
on the committed row; SQLite's single writer lock), so of any number of contenders for a free lease
exactly one gets it, on both backends.

Guarantee. While a lease is held (from its grant until ``expires_at``), no other holder is granted it:
at most one holder per lease at any instant. A holder that renews it before each unit of work, and
finishes that work before the expiry it was granted, is the only one doing that work. A holder that dies
without releasing keeps the lease until it expires, ``ttl`` after its last renewal; then the next
contender takes it over. :meth:`Leases.release` (a clean stop) lets the next contender take it at once.

Time semantics. Times are the callers' clocks, passed in (tz-aware, converted to UTC; stored as UTC
instants): a lease granted at ``now`` expires at ``now + ttl``, and "expired" is judged by the
contender's ``now``. Instances whose clocks differ by up to S seconds keep the guarantee as long as a
holder's work takes less than ``ttl - S``; choose ``ttl`` several times the work's duration (the
publisher uses three publication intervals). Nothing here sleeps or reads the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, case, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.db import Base, UtcDateTime
from pki.calendar import ensure_utc

__all__ = ["Lease", "LeaseGrant", "Leases"]


class Lease(Base):
    """A named lease: who holds it, since when (the current holder's first grant) and until when."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    acquired_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class LeaseGrant:
    """A lease granted to ``holder`` until ``expires_at``; ``acquired_at`` is when this holder first got it
    (earlier than the grant's time for a renewal)."""

    name: str
    holder: str
    acquired_at: dt.datetime
    expires_at: dt.datetime


class Leases:
    """The leases stored over ``sm``."""

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm

    def acquire(self, name: str, holder: str, now: dt.datetime, ttl: dt.timedelta) -> LeaseGrant | None:
        """Take or renew lease ``name`` for ``holder`` until ``now + ttl``; None when another holds it.

        Granted when the lease does not exist, is held by ``holder`` (a renewal: ``acquired_at`` kept) or
        expired at or before ``now``. One transaction; raises ValueError for a naive ``now`` or a ttl that
        is not positive.
        """
        now = ensure_utc(now)
        if ttl <= dt.timedelta(0):
            raise ValueError(f"a lease's time to live must be positive, not {ttl}")
        until = now + ttl
        with self._sm.begin() as session:
            granted = session.execute(
                update(Lease)
                .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at <= now))
                .values(
                    holder=holder,
                    acquired_at=case(
                        (Lease.holder == holder, Lease.acquired_at), else_=literal(now, UtcDateTime)
                    ),
                    expires_at=until,
                )
                .returning(Lease.acquired_at)
            ).first()
            if granted is not None:
                return LeaseGrant(name, holder, granted.acquired_at, until)
            if not _insert(session, Lease(name=name, holder=holder, acquired_at=now, expires_at=until)):
                return None
        return LeaseGrant(name, holder, now, until)

    def release(self, name: str, holder: str, now: dt.datetime) -> bool:
        """End ``holder``'s lease ``name`` at ``now`` so another contender may take it at once.

        False (and nothing changed) when ``holder`` does not hold it (it lapsed and was taken over).
        """
        now = ensure_utc(now)
        with self._sm.begin() as session:
            released = session.execute(
                update(Lease)
                .where(Lease.name == name, Lease.holder == holder, Lease.expires_at > now)
                .values(expires_at=now)
                .returning(Lease.name)
            ).first()
        return released is not None

    def holder(self, name: str, now: dt.datetime) -> str | None:
        """Who holds lease ``name`` at ``now`` (None: nobody, or it expired)."""
        statement = select(Lease.holder).where(Lease.name == name, Lease.expires_at > ensure_utc(now))
        with self._sm() as session:
            return session.scalar(statement)


def _insert(session: Session, lease: Lease) -> bool:
    """Insert a lease row that did not exist; False when a concurrent contender inserted it first."""
    exists = session.scalar(select(Lease.name).where(Lease.name == lease.name))
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            session.add(lease)
    except IntegrityError:
        return False
    return True
