#!/usr/bin/env python3
"""Set everything up and run the service or the test suite, on a machine with nothing but Python.

    python3 dev.py run    # create .venv, install, start the API with its CAs on SQLite
    python3 dev.py test   # create .venv, install with test extras, lint, type-check, run every test

Re-installs only when pyproject.toml changes. Extra arguments after the command are passed on
(to `kzpki serve` for run, to pytest for test).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def _ensure_env(extras: str) -> None:
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{extras}]" if extras else "."
    print(f"installing {target} into .venv ...", flush=True)
    _run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    _run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", target])
    stamp.write_text(digest)


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, cwd=ROOT, check=False)  # noqa: S603 - our own fixed commands
    if result.returncode != 0:
        sys.exit(result.returncode)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"run", "test"}:
        sys.exit(__doc__)
    command, rest = argv[0], argv[1:]
    if command == "run":
        _ensure_env("")
        os.execv(BIN / "kzpki", [str(BIN / "kzpki"), "serve", *rest])  # noqa: S606
    _ensure_env("test")
    _run([str(BIN / "ruff"), "check", "."])
    _run([str(BIN / "ruff"), "format", "--check", "."])
    _run([str(BIN / "lint-imports")])
    _run([str(BIN / "mypy")])
    _run([str(BIN / "python"), "-m", "pytest", "-n", "2", *rest])


if __name__ == "__main__":
    main(sys.argv[1:])
