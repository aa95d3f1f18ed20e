"""storage.serialised_writes: logins on one SQLite file take turns on a kernel lock (no busy-handler
sleeps); on any other database it does nothing."""

from __future__ import annotations

import fcntl
import os

import pytest
from sqlalchemy import create_engine

from storage import serialised_writes


def _held_elsewhere(lock_file: str) -> bool:
    """Whether another open file description holds ``lock_file``'s exclusive lock (asked without waiting)."""
    fd = os.open(lock_file, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_the_writer_turn_is_an_exclusive_lock_beside_the_database_held_only_inside_the_block(
    tmp_path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'kzpki.db'}")
    lock_file = f"{tmp_path / 'kzpki.db'}.writers"
    with serialised_writes(engine):
        assert _held_elsewhere(lock_file)
        assert os.stat(lock_file).st_mode & 0o777 == 0o600
    assert not _held_elsewhere(lock_file)
    with pytest.raises(RuntimeError), serialised_writes(engine):
        raise RuntimeError("the transaction failed")
    assert not _held_elsewhere(lock_file)  # released on an error too


def test_a_forked_worker_opens_its_own_lock_so_it_waits_for_its_parent(tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'kzpki.db'}")
    with serialised_writes(engine):  # the parent opened (and holds) the lock before the fork
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through its exit status
            child = serialised_writes(engine)
            fd = child._fd
            try:
                assert fd is not None
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # an inherited description would succeed
            except BlockingIOError:
                os._exit(0)
            except BaseException:
                os._exit(2)
            os._exit(1)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_memory_database_or_another_server_takes_no_lock(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # a lock file named after a relative or empty path would appear here
    memory = create_engine("sqlite://")
    with serialised_writes(memory), serialised_writes(create_engine("sqlite:///:memory:")):
        pass
    server = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with serialised_writes(server):
        pass
    assert list(tmp_path.iterdir()) == []
