"""Engine and session factory for the configured database (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from api import schema


def open_database(url: str) -> sessionmaker:
    """Create the engine for ``url``, upgrade its schema to the newest migration, return a session factory.

    SQLite gets WAL journaling, foreign keys and a busy timeout so that several
    server workers can share the file; ``synchronous=NORMAL`` (safe with WAL: a power cut can
    lose the last commits but never corrupts the file) avoids one fsync per login.
    """
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    schema.upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def dispose(sm: sessionmaker) -> None:
    """Close the pooled connections of ``sm``'s engine."""
    bind = sm.kw.get("bind")
    if isinstance(bind, Engine):
        bind.dispose()
