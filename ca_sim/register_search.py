"""Search the register of issued certificates (EDS-21) with each one's status: by serial, owner IIN/BIN,
name, CA, status and issue date, newest first, one page at a time.

For authenticated operators only: the rows carry the owner's IIN and name (personal data); the caller
audits the read (PD-22). Each filter is an indexed column (``ca_id``+``serial``, ``iin``, ``subject_cn``
prefix as a range, ``issued_at`` range), and the order (``issued_at``, ``id``, newest first) is the
``issued_at`` index read backwards, so a page costs its rows, not the register's size; the status is the
live or archived period covering ``at`` (``ca_sim.revocation_periods.register_query``). Issue dates are
Kazakh dates (KZ-TIME): ``issued_from``..``issued_to`` covers the instants from the start of the first day
in Kazakhstan to the start of the day after the last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cryptography.x509 import ReasonFlags
from sqlalchemy import ColumnElement, Select, Subquery, and_, bindparam, func, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler

from ca_sim.certstore import CertificateRecord, serial_to_hex
from ca_sim.db import UtcDateTime
from ca_sim.revocation_periods import (
    ArchivedRevocation,
    CertStatus,
    Revocation,
    effective_at,
    register_query,
    status_of_row,
)
from pki.calendar import ensure_utc, kz_day_start

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
    issued_from: dt.date | None = None  # Kazakh date, inclusive
    issued_to: dt.date | None = None  # Kazakh date, inclusive


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


class _SortedOnly(ColumnElement[Any]):
    """An ORDER BY column that no index may satisfy: on SQLite ``+column`` (unary plus, SQLite's documented
    way to keep the planner from an index for a term), elsewhere the column. A name search sorts its range
    of the name index (a few rows for a real name) instead of walking the whole register backwards in
    issue order, which SQLite's planner prefers without statistics."""

    inherit_cache = True

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(_SortedOnly)
def _sorted_only(element: _SortedOnly, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(_SortedOnly, "sqlite")
def _sorted_only_sqlite(element: _SortedOnly, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


def _held() -> Subquery:
    """(CA, serial) of the certificates a hold period covers at the bound ``at`` (live or archived): holds are
    few, so a search for them reads the hold periods (the ``reason`` index) and looks each certificate up,
    instead of reading the register."""
    at = bindparam("at", type_=UtcDateTime)
    hold = ReasonFlags.certificate_hold.value
    periods = [
        select(model.ca_id, model.serial).where(model.reason == hold, effective_at(model, at))
        for model in (Revocation, ArchivedRevocation)
    ]
    return union_all(*periods).subquery("held")


def _prefix(name: str) -> tuple[ColumnElement[bool], ...]:
    """``subject_cn`` starts with ``name``: a range on the index (``name`` <= cn < ``name`` with its last
    character raised by one), which SQLite and PostgreSQL both read from the index whatever the LIKE
    settings, and the LIKE that states it exactly."""
    upper = name[:-1] + chr(ord(name[-1]) + 1) if ord(name[-1]) < 0x10FFFF else None
    column = CertificateRecord.subject_cn
    exact = column.startswith(name, autoescape=True)
    return (column >= name, exact) if upper is None else (column >= name, column < upper, exact)


def search_statement(query: Query, *, limit: int = 25, offset: int = 0) -> Select:
    """The SELECT :func:`search` runs (the time ``at`` bound as a parameter), for :func:`search` and for a
    look at its query plan."""
    reason = func.coalesce(Revocation.reason, ArchivedRevocation.reason)
    statement = register_query().add_columns(
        CertificateRecord.subject_cn, CertificateRecord.iin, CertificateRecord.issued_at
    )
    if query.serial is not None:
        statement = statement.where(CertificateRecord.serial == serial_to_hex(query.serial))
    if query.iin is not None:
        statement = statement.where(CertificateRecord.iin == query.iin)
    if query.name:
        statement = statement.where(*_prefix(query.name))
    if query.issued_from is not None:
        statement = statement.where(CertificateRecord.issued_at >= kz_day_start(query.issued_from))
    if query.issued_to is not None:
        day_after = kz_day_start(query.issued_to + dt.timedelta(days=1))
        statement = statement.where(CertificateRecord.issued_at < day_after)
    if query.ca_id is not None:
        statement = statement.where(CertificateRecord.ca_id == query.ca_id)
    hold = ReasonFlags.certificate_hold.value
    if query.status is StatusFilter.GOOD:
        statement = statement.where(reason.is_(None))
    elif query.status is StatusFilter.REVOKED:
        statement = statement.where(reason.is_not(None), reason != hold)
    elif query.status is StatusFilter.ON_HOLD:
        held = _held()
        statement = statement.join(
            held, and_(held.c.ca_id == CertificateRecord.ca_id, held.c.serial == CertificateRecord.serial)
        ).where(reason == hold)
    order: tuple[Any, ...] = (CertificateRecord.issued_at, CertificateRecord.id)
    by_range = query.name or query.status is StatusFilter.ON_HOLD
    if by_range and query.serial is None and query.iin is None:
        order = tuple(_SortedOnly(column) for column in order)  # read the name's range, then sort it
    statement = (
        statement.order_by(*(column.desc() for column in order)).limit(min(limit, MAX_PAGE)).offset(offset)
    )
    return statement


def search(
    sm: sessionmaker[Session], query: Query, at: dt.datetime, *, limit: int = 25, offset: int = 0
) -> list[Found]:
    """Certificates matching every filter of ``query``, status as of ``at``, newest issue first.

    ``limit`` is capped at :data:`MAX_PAGE`; ask for one more than a page to know whether another follows.
    """
    statement = search_statement(query, limit=limit, offset=offset)
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
