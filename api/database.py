"""Engine and session factory for the configured database (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from api import schema
from api.json_codec import dumps_text
from storage.private_files import PRIVATE_FILE_MODE


def open_database(url: str) -> sessionmaker:
    """Create the engine for ``url``, upgrade its schema to the newest migration, return a session factory.

    SQLite gets WAL journaling, foreign keys and a busy timeout so that several
    server workers can share the file; ``synchronous=NORMAL`` (safe with WAL: a power cut can
    lose the last commits but never corrupts the file) avoids one fsync per login. A new SQLite file is
    created 0600 first (its ``-wal``/``-shm`` files take the same mode): it holds IINs, the sealed CA keys
    and token hashes.
    """
    database = sqlite_path(url)
    if database is not None:
        _create_private_file(database)
    engine = create_engine(url, future=True, json_serializer=dumps_text)  # JSON columns by orjson
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    schema.upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite ``database_url``; None for another database or an in-memory one."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _create_private_file(path: Path) -> None:
    """Create ``path`` empty, mode 0600, unless it exists (SQLite takes an empty file as a new database)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass


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
