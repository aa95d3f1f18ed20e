"""EDS-21, PD-22: the data directory is private at rest. A fresh setup makes KZPKI_HOME 0700 and the database
(with its WAL files) and the passphrase file 0600 whatever the umask; ``kzpki serve`` refuses to start while
group or others can reach any of them, naming the path and the chmod that fixes it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import cli
from api.config import load_settings
from api.data_directory import loose_permissions


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _env(home: Path) -> dict[str, str | None]:
    return {
        "KZPKI_HOME": str(home),
        "KZPKI_DATABASE_URL": None,  # the default: SQLite in the data directory
        "KZPKI_CA_PASSPHRASE": None,  # generated into the data directory
        "KZPKI_KEY_ALGORITHM": "ecdsa",
    }


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A data directory set up by `kzpki ca init` under umask 000, so no mode comes from the umask."""
    home = tmp_path / "fresh" / "home"
    previous = os.umask(0)
    try:
        result = CliRunner(env=_env(home)).invoke(cli, ["ca", "init"])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    yield home


def test_eds21_a_fresh_data_directory_is_0700_and_its_secrets_0600(home: Path) -> None:
    assert _mode(home) == 0o700
    assert _mode(home / "ca-passphrase") == 0o600
    database = home / "kzpki.db"
    assert _mode(database) == 0o600
    for companion in ("kzpki.db-wal", "kzpki.db-shm"):
        if (home / companion).exists():
            assert _mode(home / companion) == 0o600
    assert loose_permissions(load_settings({"KZPKI_HOME": str(home)})) == []


@pytest.mark.parametrize(
    ("name", "loose", "fix"),
    [(".", 0o755, "chmod 700"), ("kzpki.db", 0o644, "chmod 600"), ("ca-passphrase", 0o640, "chmod 600")],
)
def test_eds21_serve_refuses_a_data_directory_others_can_read(
    home: Path, name: str, loose: int, fix: str
) -> None:
    path = (home / name).resolve()
    path.chmod(loose)
    try:
        result = CliRunner(env=_env(home)).invoke(cli, ["serve", "--port", "1"])
    finally:
        path.chmod(0o700 if path.is_dir() else 0o600)
    assert result.exit_code == 1
    assert "refusing to serve" in result.output
    assert f"{path} is {loose:04o}" in result.output and f"{fix} {path}" in result.output
    assert "Traceback" not in result.output
    assert loose_permissions(load_settings({"KZPKI_HOME": str(home)})) == []
