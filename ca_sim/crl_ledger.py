"""The ledger of published CRLs: numbers given out, what each CRL was built from, the latest DER of each kind.

One CRL number sequence per CA for full and delta CRLs (RFC 5280 5.2.3/5.2.4), taken under the CA's locked
state row (``ca_sim.revocation_state``), so numbers are never reused across processes.

Numbers in time order (RFC 5280 5.2.3: a CRL with a higher number supersedes a lower one). A number is
taken together with the CRL's thisUpdate and, in the same transaction, still holding the CA's row lock,
the read of what the CRL lists (:meth:`CrlLedger.numbered`). The state row keeps the thisUpdate of the
last number given out, and a CRL asked for as of an earlier instant is built as of that thisUpdate
instead (two publications a few milliseconds apart in two processes, the later-stamped one numbered
first). Status changes take the same row lock, so the CRLs' contents are read in number order too: a CRL
never lists less than an earlier-numbered one of its kind reflecting the same or an earlier instant, save
for what changed between them (a release, an EDS-16 archival). Each published CRL
is recorded with its times, its base (for a delta) and the status version its content reflects; only the
latest of each (CA, kind) keeps its DER, which is what every server process serves. The CRLs themselves are
built by ``ca_sim.crl`` from the register's entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Index,
    Integer,
    LargeBinary,
    String,
    Subquery,
    UniqueConstraint,
    bindparam,
    func,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.db import Base, UtcDateTime
from ca_sim.revocation_state import RevocationState, lock_state
from pki.calendar import ensure_utc
from storage import Prepared, engine_of, reading

__all__ = ["CrlIssue", "CrlKind", "CrlLedger", "CrlNumber", "CrlPublication", "CrlRecord"]


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


@dataclass(frozen=True)
class CrlNumber:
    """A CRL number given out, the thisUpdate of its CRL, and the transaction (holding the CA's state row
    lock) in which to read what the CRL lists."""

    number: int
    this_update: dt.datetime
    session: Session


_RECORD_COLUMNS = (
    CrlIssue.ca_id,
    CrlIssue.crl_number,
    CrlIssue.kind,
    CrlIssue.this_update,
    CrlIssue.next_update,
    CrlIssue.base_crl_number,
    CrlIssue.status_version,
    CrlIssue.entries,
)


def _last_of_kind(kind: CrlKind) -> Subquery:
    """The record columns of the last CRL of ``kind`` of the CA bound as ``ca_id`` (no row before one)."""
    return (
        select(*_RECORD_COLUMNS)
        .where(CrlIssue.ca_id == bindparam("ca_id"), CrlIssue.kind == kind.value)
        .order_by(CrlIssue.crl_number.desc())
        .limit(1)
        .subquery(f"last_{kind.value}")
    )


_LAST_FULL, _LAST_DELTA = _last_of_kind(CrlKind.FULL), _last_of_kind(CrlKind.DELTA)
_ONE_ROW = select(literal(1).label("one")).subquery("one_row")

# What a CA has published, in ONE statement on the driver (storage.prepared): the status version, then the
# last full and the last delta CRL's record columns (prefixed ``full_`` and ``delta_``, NULL before the
# first), one row seen in one snapshot. Every CRL download and every due check ask it.
_PUBLICATION_QUERY = Prepared(
    select(
        select(RevocationState.status_version)
        .where(RevocationState.ca_id == bindparam("ca_id"))
        .scalar_subquery()
        .label("status_version"),
        *(column.label(f"full_{column.key}") for column in _LAST_FULL.c),
        *(column.label(f"delta_{column.key}") for column in _LAST_DELTA.c),
    )
    .select_from(_ONE_ROW)
    .outerjoin(_LAST_FULL, true())
    .outerjoin(_LAST_DELTA, true())
)


def _crl_record(row: Any, prefix: str = "") -> CrlRecord | None:
    """The record in ``row``'s record columns, each named with ``prefix`` (a :class:`CrlIssue`, or a row of
    :data:`_PUBLICATION_QUERY`), None for None or for NULL columns (no CRL published)."""
    if row is None or getattr(row, f"{prefix}crl_number") is None:
        return None
    values = {column.key: getattr(row, f"{prefix}{column.key}") for column in _RECORD_COLUMNS}
    return CrlRecord(**{**values, "kind": CrlKind(values["kind"])})


class CrlLedger:
    """The CRLs published over ``sm``."""

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm
        self._engine = engine_of(sm)

    @contextmanager
    def numbered(self, ca_id: str, at: dt.datetime) -> Iterator[CrlNumber]:
        """The next CRL number of ``ca_id`` (1, 2, ...; shared by full and delta CRLs, never reused) and
        the thisUpdate of its CRL: ``at`` (UTC), or the thisUpdate of the last number given out if that
        is later, so numbers never go back in time.

        Yields them with the transaction that took them, which holds the CA's state row lock (status
        changes of the CA wait) until the block ends: read the CRL's entries in it (``session``), sign
        after. Commits when the block ends normally; whatever the block raises rolls the number back and
        propagates. Raises ValueError for a naive ``at``.
        """
        at = ensure_utc(at)
        with self._sm.begin() as session:
            state = lock_state(session, ca_id)
            last = state.crl_this_update
            this_update = at if last is None or last <= at else last
            state.crl_number += 1
            state.crl_this_update = this_update
            yield CrlNumber(state.crl_number, this_update, session)

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

    def latest_crl(
        self, ca_id: str, kind: CrlKind, at: dt.datetime, session: Session | None = None
    ) -> CrlRecord | None:
        """The most recent recorded CRL of ``kind`` built at or before ``at`` (a delta's base), or None;
        read in ``session`` when given (e.g. :meth:`numbered`'s), else in a session of its own."""
        statement = (
            select(CrlIssue)
            .where(
                CrlIssue.ca_id == ca_id, CrlIssue.kind == kind.value, CrlIssue.this_update <= ensure_utc(at)
            )
            .order_by(CrlIssue.this_update.desc(), CrlIssue.crl_number.desc())
            .limit(1)
        )
        if session is not None:
            return _crl_record(session.scalars(statement).first())
        with self._sm() as own:
            return _crl_record(own.scalars(statement).first())

    def publication(self, ca_id: str) -> CrlPublication:
        """The last published full and delta CRLs of ``ca_id`` and its status version, read by ONE
        statement (three indexed lookups in one snapshot, which sees every transaction committed before
        it) on the driver, on the connection a caller lends (:func:`storage.reading`) or one of its own."""
        with reading(self._engine) as connection:
            (row,) = _PUBLICATION_QUERY.rows(connection, {"ca_id": ca_id})  # always one row
        return CrlPublication(_crl_record(row, "full_"), _crl_record(row, "delta_"), row.status_version or 0)
