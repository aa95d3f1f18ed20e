"""The database schema and its versions: Alembic migrations in ``api/migrations/versions/`` own it.

:func:`upgrade` brings a database to the newest revision (the head): an empty one gets every table, an older
one the revisions it lacks, one at a time, its data kept. It runs inside one transaction holding a lock
(PostgreSQL: an advisory lock; SQLite: ``BEGIN IMMEDIATE``), so processes starting together on one database
upgrade it once. A database made before migrations existed (tables but no ``alembic_version``) is the
schema of revision :data:`BASELINE` and is stamped with it first.

Adding a table or column: change the models, then ``kzpki db revision -m "what changed"`` writes the next
revision by comparing the head schema with the models (check and edit it), and the test that the head
equals the models passes again.
"""

from __future__ import annotations

import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, create_engine, inspect, text

from api.console import sessions as console_sessions  # noqa: F401

# Imported for their tables: the models' metadata holds only the tables of imported modules.
from ca_sim import (  # noqa: F401
    audit,
    certstore,
    court_orders,
    crl_ledger,
    keystore,
    leases,
    operator_tokens,
    operators,
    revocation_periods,
    revocation_state,
    time_stamp_ledger,
)
from ca_sim.db import Base as CaBase
from documents import store  # noqa: F401
from documents.db import Base as DocumentsBase
from unis import accounts, challenges, records  # noqa: F401
from unis.db import Base as UnisBase

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
METADATA: tuple[MetaData, ...] = (CaBase.metadata, UnisBase.metadata, DocumentsBase.metadata)
BASELINE = "0001"  # the schema create_all made before migrations (release 44a99e4)
_BASELINE_TABLE = "ca_keys"  # present in every database that release made
_LOCK_KEY = 0x6B7A706B69  # "kzpki": the advisory lock id migrations hold on PostgreSQL
# Alembic's command context is process-global: threads of one process run it one at a time (processes
# are kept apart by the database lock of run_migrations).
_ALEMBIC = threading.Lock()


def head() -> str:
    """The newest revision id."""
    revision = _scripts().get_current_head()
    assert revision is not None  # the versions directory ships with the package
    return revision


def current(connection: Connection) -> str | None:
    """The revision the database behind ``connection`` is at (None: no ``alembic_version``)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring ``engine``'s database to the head; ``(revision found, revision after)``.

    The revision found is None for an empty database and :data:`BASELINE` for one made before migrations.

    Cheap when already there (one read of ``alembic_version``). Raises what the database raises if a
    migration fails; that migration's transaction is rolled back, so nothing is half-applied.
    """
    with engine.connect() as connection:
        before = current(connection)
    target = head()
    if before == target:
        return before, target
    config = _config()
    with _ALEMBIC, engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        after = current(connection)
        connection.commit()
    assert after == target, (after, target)
    return config.attributes["found"], after  # as read under the lock: another process may have upgraded


def new_revision(message: str, directory: Path | None = None) -> Path:
    """Write the next revision: what the models hold that the head schema lacks (Alembic's autogenerate).

    Compares on a scratch SQLite database upgraded to the head; the file still needs a read (renames show
    as drop + add, SQLite-specific types may need widening). Returns its path.
    """
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'head.db'}")
        try:
            upgrade(engine)
            config = _config(directory)
            with _ALEMBIC, engine.connect() as connection:
                config.attributes["connection"] = connection
                number = f"{sum(1 for _ in _scripts(directory).walk_revisions()) + 1:04d}"
                script = command.revision(config, message=message, autogenerate=True, rev_id=number)
        finally:
            engine.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


def run_migrations(context: Any) -> None:
    """The body of ``env.py``: run Alembic's migrations on the connection :func:`upgrade` passed in.

    One transaction: the lock, the baseline stamp of a pre-migration database, then the revisions.
    """
    connection: Connection = context.config.attributes["connection"]
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=list(METADATA),
        render_as_batch=sqlite,  # SQLite alters tables by copying them: batch operations do that
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        if sqlite:
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock before anything is read
        elif connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        migration = context.get_context()
        names = set(inspect(connection).get_table_names())
        if "alembic_version" not in names and _BASELINE_TABLE in names:
            migration.stamp(_scripts(), BASELINE)
        context.config.attributes["found"] = migration.get_current_revision()
        context.run_migrations()


def _config(directory: Path | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(directory or MIGRATIONS / "versions"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.set_main_option("truncate_slug_length", "40")
    config.set_main_option("revision_environment", "false")
    return config


@cache
def _scripts(directory: Path | None = None) -> ScriptDirectory:
    return ScriptDirectory.from_config(_config(directory))
