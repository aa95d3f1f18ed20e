"""storage.private_files: what write_private leaves on disk."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from storage.private_files import write_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_new_file_is_created_0600_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        write_private(tmp_path / "key.pem", b"secret")
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "key.pem") == 0o600
    assert (tmp_path / "key.pem").read_bytes() == b"secret"


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_an_existing_wider_file_is_narrowed_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "cert.p12"
    path.write_bytes(b"an older and longer content")
    path.chmod(0o644)
    write_private(path, b"new")
    assert _mode(path) == 0o600
    assert path.read_bytes() == b"new"
