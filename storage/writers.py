"""One writer at a time on a SQLite file, queued in the kernel instead of SQLite's sleeping busy handler.

SQLite lets one transaction write at a time; a second writer's statement gets SQLITE_BUSY and SQLite's busy
handler retries it after sleeping 1, 2, 5, 10, 15, 20, 25 ... 100 ms, however soon the first commits. Two
gunicorn workers logging users in collide on every few logins, and a collision then costs the waiting
login a sleep of milliseconds while its core idles: the tail of the login latency.

:class:`serialised_writes` makes the writers of one database that use it take turns on an exclusive
``flock`` of a lock file beside the database (``<file>.writers``) for the duration of their write
transaction, so a waiting writer wakes the moment the lock is released. It only orders writers that ask;
SQLite's own locking still guards the file against every other writer (an operator's revocation, the CRL
publisher), which keeps using the busy handler. The lock belongs to the open file, so it is opened anew in
each process (a forked worker never shares its parent's) and is dropped by the kernel if the process dies;
threads of one process take turns on a thread lock first. Other databases (PostgreSQL) queue writers in
the server: the helper does nothing for them.

Waiting. A turn has no timeout of its own: the holder's statements keep SQLite's busy timeout (5 s), so a
turn ends at the latest when its transaction gives up, and a login waits at most for the logins in flight
before it (one per gunicorn worker thread on SQLite).
"""

from __future__ import annotations

import fcntl
import os
import threading
from types import TracebackType

from sqlalchemy.engine import Engine

from storage.private_files import PRIVATE_FILE_MODE

_FILES: dict[str, tuple[int, int, threading.Lock]] = {}  # the engine's database path -> (pid, fd, lock)
_FILES_LOCK = threading.Lock()


def _lock_of(database: str) -> tuple[int, threading.Lock]:
    with _FILES_LOCK:
        found = _FILES.get(database)
        if found is None or found[0] != os.getpid():  # a forked child opens its own
            fd = os.open(f"{database}.writers", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE_MODE)
            found = (os.getpid(), fd, threading.Lock())
            _FILES[database] = found
        return found[1], found[2]


class serialised_writes:  # lower case, as contextlib.closing: used as ``with serialised_writes(engine):``
    """Hold this database's writer turn from enter to exit (see the module docstring); a no-op unless
    ``engine`` is a SQLite file database. Raises OSError when the lock file cannot be opened or locked."""

    __slots__ = ("_fd", "_thread_lock")

    def __init__(self, engine: Engine) -> None:
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        self._fd: int | None = None
        self._thread_lock: threading.Lock | None = None
        if database and database != ":memory:":
            self._fd, self._thread_lock = _lock_of(database)

    def __enter__(self) -> None:
        if self._fd is None or self._thread_lock is None:
            return
        self._thread_lock.acquire()
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise

    def __exit__(
        self, _kind: type[BaseException] | None, _error: BaseException | None, _trace: TracebackType | None
    ) -> None:
        if self._fd is None or self._thread_lock is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()
