"""The API under test: one app per session over the shared test PKI (``tests/conftest.py``), a settable
clock, the fixture scenarios' UNIS accounts, and one operator token per role."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from api.app import create_app
from api.cli import cli
from api.config import Settings
from api.database import dispose
from api.services import Services, build_services
from ca_sim.operator_credentials import IssuedCredential
from ca_sim.operators import OperatorDirectory, Role
from tests.api import contract
from tests.conftest import SESSION_AT, FixtureSet
from tests.databases import database_url


class SettableClock:
    """The app's clock: tests move it forward, never back (see the ``clock`` fixture)."""

    def __init__(self, at: dt.datetime) -> None:
        self.start = self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture(scope="session")
def api_settings(ca_settings: Settings, fixture_dir: FixtureSet) -> Settings:
    return dataclasses.replace(
        ca_settings, biometric_certificate_paths=(fixture_dir.path / "biometric" / "cert.pem",)
    )


@pytest.fixture(scope="session")
def session_clock() -> SettableClock:
    return SettableClock(SESSION_AT + dt.timedelta(seconds=30))


@pytest.fixture(scope="session")
def app(api_settings: Settings, session_clock: SettableClock, fixture_dir: FixtureSet) -> Flask:
    env = {
        "KZPKI_HOME": str(api_settings.home),
        "KZPKI_DATABASE_URL": api_settings.database_url,
        "KZPKI_CA_PASSPHRASE": api_settings.ca_passphrase.decode(),
    }
    manifest = str(fixture_dir.path / "manifest.json")
    result = CliRunner(env=env).invoke(cli, ["unis", "import-accounts", manifest])
    assert result.exit_code == 0, result.output
    app = create_app(api_settings, clock=session_clock)
    contract.install(app)
    return app


@pytest.fixture(autouse=True)
def _response_contract(app: Flask) -> Iterator[None]:
    """Every response a test provokes keeps the documented contract (``tests/api/contract.py``)."""
    contract.take_violations(app)
    yield
    violations = contract.take_violations(app)
    assert not violations, "responses off the OpenAPI contract:\n" + "\n".join(violations)


@pytest.fixture
def clock(session_clock: SettableClock) -> Iterator[SettableClock]:
    """The session clock; the next test starts where this one left it. Time never runs backwards for the
    CAs: a CRL published at a later time would be "too recent" for a test that went back to the start."""
    yield session_clock
    session_clock.start = session_clock.at = max(session_clock.at, session_clock.start)


@pytest.fixture
def client(app: Flask, clock: SettableClock) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def isolated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, SettableClock]]:
    """Services over a database of their own (a fresh ECDSA hierarchy) and their clock, for tests that publish
    CRLs at times of their choosing: the session's register is shared, and a CRL published there at a later
    time is what every other test would be served."""
    home = tmp_path_factory.mktemp("isolated-home")
    settings = Settings(
        home=home,
        database_url=database_url(home / "kzpki.db"),
        ca_passphrase=b"isolated",
        key_algorithm="ecdsa",
    )
    clock = SettableClock(SESSION_AT)
    built = build_services(settings, clock)
    yield built, clock
    dispose(built.sessionmaker)


@pytest.fixture(scope="session")
def services(app: Flask) -> Services:
    return app.extensions["kzpki"]


@pytest.fixture
def operator_with_credential(services: Services, clock: SettableClock) -> IssuedCredential:
    """A fresh nca operator (its own name per test) and its console credential."""
    name = f"totp-{secrets.token_hex(4)}"
    services.operators.add(name, Role.OPERATOR, ["nca"], clock(), "tests")
    return services.credentials.issue(name, clock(), "tests")


@pytest.fixture(scope="session")
def tokens(services: Services) -> dict[str, str]:
    """Bearer tokens: ``nca_operator``, ``gov_operator``, ``tester``, ``auditor``, ``security_officer``."""
    made = {}
    # The tester account is made as a test deployment sharing this database would (the role exists only
    # in test mode); this production app must refuse it.
    test_deployment = OperatorDirectory(services.sessionmaker, services.audit, test_mode=True)
    for name, role, scope in (  # named "api-..." in the session database shared with other packages
        ("nca_operator", Role.OPERATOR, ["nca"]),
        ("gov_operator", Role.OPERATOR, ["gov"]),
        ("tester", Role.TESTER, []),
        ("auditor", Role.AUDITOR, []),
        ("security_officer", Role.SECURITY_OFFICER, []),
    ):
        directory = test_deployment if role is Role.TESTER else services.operators
        _, made[name] = directory.add(f"api-{name}", role, scope, SESSION_AT, "tests")
    return made


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def scenarios(fixture_dir: FixtureSet) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in fixture_dir.manifest["scenarios"]}
