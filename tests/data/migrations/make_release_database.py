"""Re-create ``release-44a99e4.sqlite.sql`` and ``release-44a99e4.postgresql.sql``: a registry written by the
last release before migrations (commit 44a99e4, whose schema came from ``create_all``), with data in it.

Not part of the test run (it needs that release's code). Run by hand, from the repository root:

    git archive 44a99e4 | tar -x -C /tmp/release
    .venv/bin/python tests/data/migrations/make_release_database.py /tmp/release [postgresql://...]

It drives the release's own CLI (so every row is one that release wrote): an ECDSA hierarchy, the fixture
scenarios (issued, revoked, on-hold certificates), a CRL publication, an operator, the UNIS accounts, one
issued challenge; then dumps the database as SQL (SQLite's ``iterdump``; ``pg_dump --inserts`` when a
PostgreSQL server URL is given).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSPHRASE = "release passphrase"  # the tests open the upgraded CA keys with it
AT = "2026-11-30T09:00:00+00:00"


def _kzpki(release: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "api", *args],
        cwd=release,
        env={**os.environ, "PYTHONPATH": str(release), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _populate(release: Path, home: Path, url: str) -> None:
    env = {
        "KZPKI_HOME": str(home),
        "KZPKI_DATABASE_URL": url,
        "KZPKI_CA_PASSPHRASE": PASSPHRASE,
        "KZPKI_KEY_ALGORITHM": "ecdsa",
    }
    _kzpki(release, env, "fixtures", "--out", str(home / "fixtures"), "--at", AT)
    _kzpki(release, env, "unis", "import-accounts", str(home / "fixtures" / "manifest.json"))
    _kzpki(release, env, "operators", "add", "--name", "alice", "--role", "operator", "--ca", "nca")
    _kzpki(release, env, "crl", "publish")
    issue = (
        "import datetime as dt; from api.database import open_database;"
        "from unis.challenges import create_challenge;"
        f"create_challenge(open_database({url!r}), at=dt.datetime.fromisoformat({AT!r}),"
        " ttl=dt.timedelta(minutes=5))"
    )
    subprocess.run(
        [sys.executable, "-c", issue], cwd=release, env={**os.environ, "PYTHONPATH": str(release)}, check=True
    )


def main(release: Path, postgres: str | None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        db = home / "kzpki.db"
        _populate(release, home, f"sqlite:///{db}")
        with sqlite3.connect(db) as connection:
            dump = "\n".join(connection.iterdump()) + "\n"
        (HERE / "release-44a99e4.sqlite.sql").write_text(dump, encoding="utf-8")
        if postgres:
            (home / "pg").mkdir()
            _populate(release, home / "pg", postgres.replace("postgresql://", "postgresql+psycopg://"))
            dump = subprocess.run(
                ["pg_dump", "--inserts", "--no-owner", "--no-privileges", "--dbname", postgres],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            # psql meta-commands (\\restrict) are not SQL: the tests run the dump through the driver.
            dump = "".join(line for line in dump.splitlines(keepends=True) if not line.startswith("\\"))
            (HERE / "release-44a99e4.postgresql.sql").write_text(dump, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), sys.argv[2] if len(sys.argv) > 2 else None)
