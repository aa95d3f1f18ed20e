"""The database each test uses: a SQLite file, or a PostgreSQL database when the run is on PostgreSQL.

``python3 dev.py test`` runs the suite on SQLite, then the storage, registry, OCSP, UNIS and API packages
again with ``KZPKI_TEST_POSTGRES_URL`` set to a PostgreSQL server (a SQLAlchemy URL of its maintenance
database, e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``). Tests name a database by the file
path it would have on SQLite; on PostgreSQL the same path always names the same database (created on first
use), so a test can reopen "the file" as it would on SQLite.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_SERVER = os.environ.get("KZPKI_TEST_POSTGRES_URL") or None
BACKEND = "postgresql" if POSTGRES_SERVER else "sqlite"


def database_url(path: Path) -> str:
    """The SQLAlchemy URL of the database named by ``path`` (a SQLite file, or its PostgreSQL twin)."""
    if POSTGRES_SERVER is None:
        return f"sqlite:///{path}"
    name = _postgres_name(path)
    with _server().connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if exists is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    return _url_of(name)


def copy_database(source: Path, target: Path) -> str:
    """Copy the database named by ``source`` (closed: no open connections) to ``target``; its URL.

    SQLite copies the file; PostgreSQL creates ``target`` with ``source`` as its template.
    """
    if POSTGRES_SERVER is None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    name = _postgres_name(target)
    with _server().connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_postgres_name(source)}"'))
    return _url_of(name)


def drop_created_databases() -> int:
    """Drop every PostgreSQL database this process made (forcing out stray connections); how many."""
    if POSTGRES_SERVER is None:
        return 0
    prefix = f"kzpki_t{os.getpid()}_"
    with _server().connect() as connection:
        names = connection.execute(
            text("SELECT datname FROM pg_database WHERE starts_with(datname, :p)"), {"p": prefix}
        ).scalars()
        dropped = 0
        for name in list(names):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            dropped += 1
    return dropped


def describe() -> str:
    """One line for the test report header: which database this run uses."""
    if POSTGRES_SERVER is None:
        return "database: SQLite files"
    url = make_url(POSTGRES_SERVER)
    with _server().connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar_one()
    return f"database: PostgreSQL {version} at {url.host}:{url.port}"


def _postgres_name(path: Path) -> str:
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    return f"kzpki_t{os.getpid()}_{digest}"


def _url_of(name: str) -> str:
    assert POSTGRES_SERVER is not None
    return make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)


@cache
def _server() -> Engine:
    assert POSTGRES_SERVER is not None
    return create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT", pool_size=1)
