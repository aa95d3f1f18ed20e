"""A bare clone of the repository runs its own tests: nothing is read from outside it.

Three checks, cheap enough for every run: no test, benchmark or CI file names a folder beside the repository;
every data folder the tests name exists inside it with a README of its origin; and test modules reading that
data pass from a copy of the repository's files in a temporary folder with nothing beside it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import data_paths

ROOT = Path(__file__).resolve().parents[1]
# A path leaving the repository for the sibling reference folder, as "../<it>" or as a quoted path part
# (Path(...) / "<it>"); spelt without the name itself so this file does not match.
OUTSIDE = re.compile(r"\.\./(?:s)hared\b|[\"'](?:s)hared[\"']")
CHECKED = ("tests", "bench", ".ci")
# Modules that read both interop folders and run in a few seconds: the proof that the copy's data is used.
COPY_RUN = ("tests/pki/test_gost_pkcs12.py",)


def _repository_files() -> list[Path]:
    """The files a clone holds: git's tracked and not-ignored ones, or every file when not in a checkout."""
    git = shutil.which("git")
    if git and (ROOT / ".git").exists():
        listed = subprocess.run(
            [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout.decode()
        return [ROOT / name for name in listed.split("\0") if name and (ROOT / name).is_file()]
    skip = {".venv", ".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".kzpki", ".hypothesis"}
    return [p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


def test_no_test_bench_or_ci_file_reads_outside_the_repository() -> None:
    offenders = []
    for path in _repository_files():
        if path.relative_to(ROOT).parts[0] not in CHECKED:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary test data
        offenders += [
            f"{path.relative_to(ROOT)}:{n}"
            for n, line in enumerate(text.splitlines(), 1)
            if OUTSIDE.search(line)
        ]
    assert offenders == []


def test_every_named_data_folder_is_in_the_repository_with_its_origin() -> None:
    folders = [value for value in vars(data_paths).values() if isinstance(value, Path)]
    assert data_paths.DATA in folders and data_paths.INTEROP_RSA in folders
    for folder in folders:
        assert folder.is_relative_to(ROOT / "tests" / "data") and folder.is_dir(), folder
    holding = {p.parent for p in data_paths.DATA.rglob("*") if p.is_file() and p.name != "README.md"}
    assert holding, "no test data at all"
    for folder in holding:
        assert (folder / "README.md").is_file(), f"{folder} has no README saying where its files come from"


def test_data_reading_tests_pass_from_a_bare_copy(tmp_path: Path) -> None:
    clone = tmp_path / "kzpki"
    for path in _repository_files():
        target = clone / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    assert list(tmp_path.iterdir()) == [clone]  # nothing beside the copy
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    where = subprocess.run(
        [sys.executable, "-c", "import tests.data_paths as d; print(d.DATA)"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()) == clone / "tests" / "data"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", *COPY_RUN],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        pytest.fail(f"the copy's tests failed:\n{run.stdout[-3000:]}\n{run.stderr[-2000:]}")
    assert re.search(r"\b\d+ passed\b", run.stdout) and "skipped" not in run.stdout, run.stdout[-500:]
