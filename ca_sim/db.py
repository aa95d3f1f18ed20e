"""The CA side's SQLAlchemy 2.0 declarative base. Every ca_sim table derives from :class:`Base`.

The engine and sessions are created by the caller (``api/``); ca_sim code takes a
``sqlalchemy.orm.sessionmaker`` and opens short transactions with ``session.begin()``,
so a refused or failed operation writes nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session

from storage import UtcDateTime

__all__ = ["Base", "UtcDateTime", "lock_row"]


class Base(DeclarativeBase):
    """Declarative base for the CA hierarchy, issued certificates, revocations, operators and audit."""


_Row = TypeVar("_Row", bound=Base)


def lock_row(session: Session, model: type[_Row], defaults: dict[str, Any], **key: Any) -> _Row:
    """Lock the row of ``model`` whose columns equal ``key`` until ``session``'s transaction ends.

    The row is created from ``key`` and ``defaults`` when missing. Locking is a no-op UPDATE, which takes
    SQLite's write lock and PostgreSQL's row lock, so read-modify-write sequences on the row (counters,
    chain heads) are serialised across threads and processes on both backends. Call it FIRST in the
    transaction: on SQLite a read before the first write would pin an older snapshot.
    """
    conditions = [getattr(model, name) == value for name, value in key.items()]
    first = next(iter(key))
    noop = update(model).where(*conditions).values({first: key[first]})
    locked = cast(CursorResult[Any], session.execute(noop.execution_options(synchronize_session=False)))
    if locked.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(model(**key, **defaults))
        except IntegrityError:  # created concurrently: lock theirs
            session.execute(noop.execution_options(synchronize_session=False))
    statement = select(model).where(*conditions).execution_options(populate_existing=True)
    return session.execute(statement).scalar_one()
