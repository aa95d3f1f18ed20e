#!/usr/bin/env python3
"""Set everything up and run the service or the test suite, on a machine with nothing but Python.

    python3 dev.py run    # create .venv, install, start the API with its CAs on SQLite
    python3 dev.py test   # create .venv, install with test extras, lint, type-check, run every test

Installs the exact versions of constraints.txt; re-installs only when pyproject.toml or constraints.txt
changes. Extra arguments after the command are passed on
(to `kzpki serve` for run, to pytest for test).

`test` runs pytest twice: the whole suite on SQLite, then the database-backed packages (DB_PACKAGES, or
the paths given) on PostgreSQL. The PostgreSQL server is KZPKI_TEST_POSTGRES_URL when set; otherwise a
throwaway cluster started here when PostgreSQL's initdb and pg_ctl are installed (as the `postgres` user
when run as root), removed afterwards. KZPKI_TEST_POSTGRES=required (CI) makes a missing PostgreSQL an
error; =off skips that half. Either way the summary says whether the PostgreSQL half ran.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import venv
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
EXTRAS = "test,postgres"
INSTALL_INPUTS = ("pyproject.toml", "constraints.txt")  # what an install depends on (its stamp)
DB_PACKAGES = ["tests/ca_sim", "tests/unis", "tests/api"]  # what runs on PostgreSQL as well as SQLite


def _ensure_env(extras: str) -> None:
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in INSTALL_INPUTS)).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{extras}]" if extras else "."
    print(f"installing {target} into .venv ...", flush=True)
    _run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    _run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "-c", "constraints.txt", "-e", target])
    stamp.write_text(digest)


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    environment = {**os.environ, **env} if env else None
    result = subprocess.run(cmd, cwd=ROOT, env=environment, check=False)  # noqa: S603 - our own fixed commands
    if result.returncode != 0:
        sys.exit(result.returncode)


def _postgres_bin() -> Path | None:
    """The directory of PostgreSQL's server programs (on PATH, or Debian's /usr/lib/postgresql/N/bin)."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return debian[-1].parent if debian else None


@contextlib.contextmanager
def _postgres_server() -> Iterator[str | None]:
    """The PostgreSQL server URL for the tests: the given one, a throwaway local cluster, or None.

    The cluster listens on 127.0.0.1 only, on a free port, trusts loopback connections (it holds test data
    only) and runs without fsync; it is stopped and deleted on exit. As root it runs as the `postgres` user
    (PostgreSQL refuses to run as root).
    """
    given = os.environ.get("KZPKI_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bindir = _postgres_bin()
    if bindir is None:
        yield None
        return
    as_user: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
    home = Path(tempfile.mkdtemp(prefix="kzpki-pg-"))
    if as_user:
        shutil.chown(home, "postgres")
    data, log = home / "data", home / "server.log"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=300"
    )

    def pg(program: str, *args: str) -> None:
        command = [*as_user, str(bindir / program), *args]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - fixed programs

    try:
        pg(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )
        pg("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"could not start PostgreSQL from {bindir}: {error}", file=sys.stderr)
        if log.exists():
            print(log.read_text()[-2000:], file=sys.stderr)
        shutil.rmtree(home, ignore_errors=True)
        yield None
        return
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"run", "test"}:
        sys.exit(__doc__)
    command, rest = argv[0], argv[1:]
    if command == "run":
        _ensure_env("")
        os.execv(BIN / "kzpki", [str(BIN / "kzpki"), "serve", *rest])  # noqa: S606
    _ensure_env(EXTRAS)
    _run([str(BIN / "ruff"), "check", "."])
    _run([str(BIN / "ruff"), "format", "--check", "."])
    _run([str(BIN / "lint-imports")])
    _run([str(BIN / "mypy")])
    pytest = [str(BIN / "python"), "-m", "pytest", "-n", "2"]
    print("== pytest on SQLite", flush=True)
    _run([*pytest, *rest], {"KZPKI_TEST_POSTGRES_URL": ""})
    mode = os.environ.get("KZPKI_TEST_POSTGRES", "auto")
    if mode == "off":
        print("== PostgreSQL half NOT RUN (KZPKI_TEST_POSTGRES=off)", flush=True)
        return
    chosen = rest if any(not a.startswith("-") and Path(a.split("::")[0]).exists() for a in rest) else None
    with _postgres_server() as url:
        if url is None:
            message = "no PostgreSQL: set KZPKI_TEST_POSTGRES_URL or install postgresql (initdb, pg_ctl)"
            if mode == "required":
                sys.exit(f"== PostgreSQL half required but {message}")
            print(f"== PostgreSQL half NOT RUN ({message}); the SQLite half passed", flush=True)
            return
        print(f"== pytest on PostgreSQL ({url})", flush=True)
        _run([*pytest, *(chosen or [*rest, *DB_PACKAGES])], {"KZPKI_TEST_POSTGRES_URL": url})


if __name__ == "__main__":
    main(sys.argv[1:])
