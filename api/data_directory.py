"""File permissions of the data directory at rest (EDS-21, PD-22: no one but the service account reads it).

``KZPKI_HOME`` holds the SQLite database (every holder's IIN, the sealed CA keys, operator token hashes) and,
in development, the generated CA passphrase file. They are created private: the directory 0700
(:func:`api.config.load_settings`), the database 0600 (:func:`api.database.open_database`; SQLite gives its
``-wal`` and ``-shm`` files the database file's mode) and the passphrase file 0600.

:func:`loose_permissions` lists what is looser than that: the directory, the passphrase file, and a SQLite
database with its ``-wal``/``-shm``/``-journal`` files (wherever ``KZPKI_DATABASE_URL`` puts it). ``kzpki
serve`` refuses to start while the list is not empty (a service that exposes its keys and register to every
local account should not run), naming each path, its mode and the ``chmod`` that fixes it. Only the
permission bits for group and others are judged; ownership is the host administrator's concern.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from api.config import PASSPHRASE_FILE, Settings
from api.database import sqlite_path
from storage.private_files import PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE

_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class LoosePath:
    """A path of the data directory that group or others may access: its mode and the one it should have."""

    path: Path
    mode: int
    wanted: int

    def describe(self) -> str:
        """``<path> is 0755, should be 0700 (chmod 700 <path>)``."""
        return (
            f"{self.path} is {self.mode:04o}, should be {self.wanted:04o} (chmod {self.wanted:o} {self.path})"
        )


def loose_permissions(settings: Settings) -> list[LoosePath]:
    """The data directory's private paths that group or others can access (empty when all are private).

    Paths that do not exist are skipped. Raises nothing for a missing file; OSError only when a path exists
    but cannot be inspected.
    """
    candidates: list[tuple[Path, int]] = [
        (settings.home, PRIVATE_DIRECTORY_MODE),
        (settings.home / PASSPHRASE_FILE, PRIVATE_FILE_MODE),
    ]
    database = sqlite_path(settings.database_url)
    if database is not None:
        candidates.append((database, PRIVATE_FILE_MODE))
        candidates.extend(
            (database.with_name(database.name + s), PRIVATE_FILE_MODE) for s in _SQLITE_COMPANIONS
        )
    loose = []
    for path, wanted in candidates:
        if not path.exists():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            loose.append(LoosePath(path, mode, wanted))
    return loose
