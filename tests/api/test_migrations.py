"""Alembic owns the schema: the head equals the models, and a registry made by the release before
migrations upgrades with its data intact (EDS-16: the register outlives every upgrade). On SQLite and,
in the PostgreSQL half of the run, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from api import schema
from api.cli import cli
from api.database import dispose, open_database
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.certstore import CertificateRecord
from ca_sim.grounds import Ground
from ca_sim.hierarchy import load_or_create_hierarchy
from ca_sim.keystore import StoredKey
from ca_sim.keywrap import is_current
from ca_sim.registry import RevocationRegistry
from tests.data_paths import MIGRATIONS
from tests.databases import BACKEND, database_url

RELEASE_PASSPHRASE = b"release passphrase"
RELEASE_AT = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
KEPT_TABLES = (  # every table of the release but unis_challenges, which revision 0002 replaces
    "audit_entries", "audit_head", "ca_keys", "court_orders", "crl_issues", "issued_certificates",
    "operators", "revocation_state", "revocations", "revocations_archive", "unis_account_events",
    "unis_accounts", "unis_login_records",
)  # fmt: skip


def _release_database(path: Path) -> str:
    """A database holding the release's dump, for this run's backend; its URL."""
    url = database_url(path)
    dump = (MIGRATIONS / f"release-44a99e4.{BACKEND}.sql").read_text(encoding="utf-8")
    if BACKEND == "sqlite":
        with sqlite3.connect(path) as connection:
            connection.executescript(dump)
        return url
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(dump.encode())  # no parameters: the simple protocol runs the whole script
    return url


def _columns(url: str) -> dict[str, list[str]]:
    """The columns of every kept table present in the database at ``url``."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            tables = set(inspector.get_table_names())
            return {t: [c["name"] for c in inspector.get_columns(t)] for t in KEPT_TABLES if t in tables}
    finally:
        engine.dispose()


def _rows(url: str, columns: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables in ``columns``, those columns only (a later migration may add others)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                t: sorted(
                    map(tuple, connection.execute(text(f"SELECT {', '.join(names)} FROM {t}"))), key=repr
                )
                for t, names in columns.items()
            }
    finally:
        engine.dispose()


def test_head_schema_equals_the_models(tmp_path: Path) -> None:
    """A model change without a migration fails here: `kzpki db revision -m ...` writes the missing one."""
    sm = open_database(database_url(tmp_path / "head.db"))
    try:
        with sm.kw["bind"].connect() as connection:
            assert schema.current(connection) == schema.head()
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), list(schema.METADATA)
            )
    finally:
        dispose(sm)
    assert differences == []


# Columns a revision moved elsewhere, with the table they moved to.
MOVED = {("operators", "token_hash"): "operator_tokens"}  # 0007: tokens with an expiry, revocable


def test_eds16_release_registry_upgrades_with_its_data_intact(tmp_path: Path) -> None:
    url = _release_database(tmp_path / "release.db")
    released = {t: [c for c in cs if (t, c) not in MOVED] for t, cs in _columns(url).items()}
    before = _rows(url, released)
    assert len(before["issued_certificates"]) == 32 and len(before["revocations"]) == 3
    assert len(before["unis_accounts"]) == 22 and len(before["ca_keys"]) == 9
    moved_before = {key: _rows(url, {key[0]: [key[1]]})[key[0]] for key in MOVED}

    sm = open_database(url)  # what every command does first: upgrade to the head
    try:
        with sm.kw["bind"].connect() as connection:
            assert schema.current(connection) == schema.head()
            assert "unis_challenges" not in inspect(connection).get_table_names()
        assert _rows(url, released) == before  # every row and column of every kept table, unchanged
        for (table, column), target in MOVED.items():  # ... and every moved value is in its new table
            assert moved_before[(table, column)]
            assert _rows(url, {target: [column]})[target] == moved_before[(table, column)]

        # ... and the upgraded registry works: CA keys open, the audit chain holds, revocations are live
        hierarchy = load_or_create_hierarchy(
            sm, RELEASE_PASSPHRASE, "http://127.0.0.1:8080", RELEASE_AT, "ecdsa"
        )
        stored_root = next(r for r in before["ca_keys"] if r[1] == "root" and r[2] == "ca")
        assert hierarchy.root.certificate.public_bytes(Encoding.DER) == stored_root[5]
        with sm() as session:  # EDS-21: the release's PBES2 (2,048 iterations) keys were re-wrapped
            wrapped = session.scalars(select(StoredKey.encrypted_key)).all()
        assert len(wrapped) == 9 and all(is_current(blob) for blob in wrapped)
        assert not any(is_current(r[6]) for r in before["ca_keys"])
        audit = AuditLog(sm, derive_head_key(RELEASE_PASSPHRASE))
        report = audit.verify_chain()
        assert report.ok and report.entries == len(before["audit_entries"])
        registry = RevocationRegistry(sm, audit)
        revoked = {format(e.serial, "x") for e in registry.revoked_entries("nca", RELEASE_AT)}
        assert revoked == {r[2] for r in before["revocations"]}
        with sm() as session:
            leaf = session.scalars(
                select(CertificateRecord.serial).where(
                    CertificateRecord.ca_id == "nca",
                    CertificateRecord.iin.is_not(None),
                    CertificateRecord.serial.not_in(revoked),
                )
            ).first()
        assert leaf is not None
        later = RELEASE_AT + dt.timedelta(days=1)
        registry.revoke("nca", int(leaf, 16), Ground.NAME_CHANGE, later, "operator", "after the upgrade")
        assert len(registry.revoked_entries("nca", later)) == 4  # new rows get new ids: sequences carried
        assert audit.verify_chain().ok
    finally:
        dispose(sm)


def test_upgrades_started_together_upgrade_once(tmp_path: Path) -> None:
    """Four processes (as four servers starting at once) upgrade one empty database: one does it."""
    env = {
        **os.environ,
        "KZPKI_HOME": str(tmp_path),
        "KZPKI_DATABASE_URL": database_url(tmp_path / "together.db"),
    }
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "api", "db", "upgrade"], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in starts]
    assert [process.returncode for process in starts] == [0] * 4, outputs
    assert sum("upgraded an empty database" in output for output in outputs) == 1, outputs
    engine = create_engine(env["KZPKI_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
                schema.head()
            ]
    finally:
        engine.dispose()


def test_kzpki_db_upgrade_and_current(tmp_path: Path) -> None:
    env = {"KZPKI_HOME": str(tmp_path), "KZPKI_DATABASE_URL": database_url(tmp_path / "cli.db")}
    runner = CliRunner(env=env)
    behind = runner.invoke(cli, ["db", "current"])
    assert behind.exit_code == 1 and f"database at none, newest {schema.head()}" in behind.output
    first = runner.invoke(cli, ["db", "upgrade"])
    assert first.exit_code == 0 and f"upgraded an empty database -> {schema.head()}" in first.output
    again = runner.invoke(cli, ["db", "upgrade"])
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert runner.invoke(cli, ["db", "current"]).exit_code == 0


def test_kzpki_db_revision_writes_the_next_migration(tmp_path: Path) -> None:
    """With the models equal to the head, the next revision is an empty one after the head."""
    versions = tmp_path / "versions"
    versions.mkdir()
    for script in (schema.MIGRATIONS / "versions").glob("*.py"):
        (versions / script.name).write_bytes(script.read_bytes())
    result = CliRunner().invoke(cli, ["db", "revision", "-m", "nothing yet", "--directory", str(versions)])
    assert result.exit_code == 0, result.output
    written = Path(result.output.strip().splitlines()[-1])
    number = f"{int(schema.head()) + 1:04d}"
    assert written.parent == versions and written.name == f"{number}_nothing_yet.py"
    body = written.read_text()
    assert f"revision = {number!r}" in body and f"down_revision = {schema.head()!r}" in body
    assert re.search(r"def upgrade\(\) -> None:\n(?:\s+#.*\n)*\s+pass\n", body), body
