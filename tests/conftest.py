"""Session-wide test PKI, shared by every test package.

- ``ca_settings``: :class:`api.config.Settings` of a temporary data directory (SQLite, fixed passphrase).
- ``ca_sessionmaker``: its database, tables created.
- ``ca_hierarchy``: the RSA-2048 root/gov/nca hierarchy of that database, valid from 3 years before
  :data:`SESSION_AT`.
- ``fixture_dir``: ``kzpki fixtures --at SESSION_AT`` run once into a temporary directory with the same
  data directory (so its registry holds the revoked / on-hold scenarios); ``(path, manifest)``.

:data:`SESSION_AT` is the wall-clock time the session started (to the second), so the fixtures are valid
for a server running on the real clock; tests that evaluate fixtures should use ``manifest["generated_at"]``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner
from hypothesis import settings
from sqlalchemy.orm import Session, sessionmaker

import ca_sim.fixtures  # noqa: F401  (registers every ca_sim table before open_database creates them)
from api.config import Settings
from api.database import dispose, open_database
from ca_sim.hierarchy import Hierarchy, load_or_create_hierarchy
from pki.calendar import add_years, kz_date, kz_day_start
from tests import databases
from tests.databases import database_url


def _session_at(now: dt.datetime) -> dt.datetime:
    """The suite's "now": at least 12 hours before the next Kazakh midnight (KZ-TIME), at most 12 hours
    before the real now and on the same Kazakh date. Tests move the shared session clock forward (never
    back), and the age and calendar-year scenarios (``turns_16_tomorrow``, UNIS-12) are decided by the
    Kazakh date: started at 23:00 in Almaty, a suite would cross midnight and see them flip. Never after
    ``now``: the certificates issued at it are judged by openssl and signxml on the real clock (started in
    the first minute after midnight, "midnight + 1 minute" made them not yet valid there)."""
    after_midnight = kz_day_start(kz_date(now)) + dt.timedelta(minutes=1)
    return min(now, max(now - dt.timedelta(hours=12), after_midnight))


SESSION_AT = _session_at(dt.datetime.now(dt.UTC).replace(microsecond=0))
CA_PASSPHRASE = b"test-session passphrase"
PUBLIC_BASE_URL = "http://127.0.0.1:8080"

# Every Hypothesis test (a test's own @settings inherits what it does not set): the same examples on every
# run, since CI runs the suite once (derandomize; no example database carried between runs), no deadline
# (a wall-clock limit fails under load, not on an input), and a failing example printed with its blob.
settings.register_profile("kzpki", derandomize=True, database=None, deadline=None, print_blob=True)
settings.load_profile("kzpki")


def pytest_report_header() -> str:
    return databases.describe()


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases() -> Iterator[None]:
    """On PostgreSQL, the databases this worker made are dropped when it finishes."""
    yield
    databases.drop_created_databases()


class FixtureSet(NamedTuple):
    path: Path
    manifest: dict[str, Any]


def new_ca_settings(home: Path) -> Settings:
    """Settings of a CA database of its own under ``home`` (SQLite there, or a new PostgreSQL database)."""
    return Settings(
        home=home,
        database_url=database_url(home / "kzpki.db"),
        ca_passphrase=CA_PASSPHRASE,
        public_base_url=PUBLIC_BASE_URL,
    )


def new_ca_hierarchy(settings: Settings, sm: sessionmaker[Session]) -> Hierarchy:
    """The simulated CAs in ``settings``' database, created valid from three years before SESSION_AT."""
    return load_or_create_hierarchy(
        sm, settings.ca_passphrase, settings.public_base_url, add_years(SESSION_AT, -3)
    )


def write_fixture_set(settings: Settings, hierarchy: Hierarchy, out: Path) -> FixtureSet:
    """``kzpki fixtures --at SESSION_AT`` into ``out`` against ``settings``' CA database."""
    from api.cli import cli

    env = {
        "KZPKI_HOME": str(settings.home),
        "KZPKI_DATABASE_URL": settings.database_url,
        "KZPKI_CA_PASSPHRASE": settings.ca_passphrase.decode(),
        "KZPKI_PUBLIC_URL": settings.public_base_url,
        "KZPKI_KEY_ALGORITHM": hierarchy.key_algorithm,
    }
    result = CliRunner(env=env).invoke(cli, ["fixtures", "--out", str(out), "--at", SESSION_AT.isoformat()])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return FixtureSet(out, json.loads((out / "manifest.json").read_text()))


@pytest.fixture(scope="session")
def ca_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return new_ca_settings(tmp_path_factory.mktemp("kzpki-home"))


@pytest.fixture(scope="session")
def ca_sessionmaker(ca_settings: Settings) -> Iterator[sessionmaker[Session]]:
    sm: sessionmaker[Session] = open_database(ca_settings.database_url)
    yield sm
    dispose(sm)


@pytest.fixture(scope="session")
def ca_hierarchy(ca_settings: Settings, ca_sessionmaker: sessionmaker[Session]) -> Hierarchy:
    return new_ca_hierarchy(ca_settings, ca_sessionmaker)


@pytest.fixture(scope="session")
def fixture_dir(
    ca_settings: Settings, ca_hierarchy: Hierarchy, tmp_path_factory: pytest.TempPathFactory
) -> FixtureSet:
    return write_fixture_set(ca_settings, ca_hierarchy, tmp_path_factory.mktemp("fixtures"))
