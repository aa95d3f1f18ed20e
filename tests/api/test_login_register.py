"""Revocation at login read from the CA's own register (UNIS-11, EDS-18): what the decision says was
consulted, and fail-closed when the register cannot be read or does not hold the certificate presented."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from api.services import Services
from ca_sim import register_reads
from ca_sim.registry import RevocationRegistry
from ca_sim.revocation_periods import CertState
from storage import Prepared
from tests.api.support import cms_login, credentials

SCENARIO = "individual_auth_rsa"


def _login(client, body):  # type: ignore[no-untyped-def]
    challenge = client.post("/api/v1/unis/challenges").get_json()
    response = client.post("/api/v1/unis/logins", json=body(challenge))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _revocation_check(decision):  # type: ignore[no-untyped-def]
    return next(c for c in decision["verdict"]["checks"] if c["id"] == "revocation")


def test_unis11_the_decision_names_the_register_and_the_status_version_read(client, fixture_dir, services):
    key, certificate = credentials(fixture_dir.path, SCENARIO)
    decision = _login(client, lambda challenge: cms_login(challenge, key, certificate))
    assert decision["decision"] == "accepted", decision["reasons"]
    evidence = decision["verdict"]["signers"][0]["revocation"]
    assert evidence["source"] == "registry" and evidence["location"] == "registry:nca"
    assert evidence["status"] == "good" and evidence["this_update"] == decision["decided_at"]
    assert evidence["status_version"] == services.registry.status_version("nca")


def test_unis11_a_database_error_reading_the_register_refuses_the_login(
    client, fixture_dir, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(*_args: object) -> None:
        raise OperationalError("SELECT ...", {}, Exception("database is locked"))

    monkeypatch.setattr(services.registry, "certificate_status", unreadable)
    key, certificate = credentials(fixture_dir.path, SCENARIO)
    decision = _login(client, lambda challenge: cms_login(challenge, key, certificate))
    assert decision["decision"] == "refused" and decision["reasons"] == ["revocation_unknown"]
    check = _revocation_check(decision)
    assert check["status"] == "unknown" and "fails closed" in check["message"]
    assert "locked" not in check["message"]  # the database's own text stays in the log
    assert decision["account"] is None


def _reissued(services: Services, certificate: x509.Certificate, serial: int) -> x509.Certificate:
    """``certificate`` signed again by its CA's key with ``serial`` and a second later start: genuine to the
    chain, but not a certificate the register holds (a CA key used outside the register)."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(certificate.subject)
        .issuer_name(certificate.issuer)
        .public_key(certificate.public_key())
        .serial_number(serial)
        .not_valid_before(certificate.not_valid_before_utc + dt.timedelta(seconds=1))  # not the issued bytes
        .not_valid_after(certificate.not_valid_after_utc)
    )
    for extension in certificate.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    ca_key = services.hierarchy.authorities["nca"].private_key
    return builder.sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]


@pytest.mark.parametrize("same_serial", [False, True], ids=["unknown_serial", "other_certificate"])
def test_unis11_a_certificate_the_register_does_not_hold_is_refused(
    client, fixture_dir, services: Services, same_serial: bool
) -> None:
    """A certificate of our CA that the register does not hold (a new serial, or another certificate under
    a registered serial: the register is compared byte for byte) never passes revocation."""
    key, certificate = credentials(fixture_dir.path, SCENARIO)
    serial = certificate.serial_number if same_serial else x509.random_serial_number()
    forged = _reissued(services, certificate, serial)
    assert forged != certificate
    decision = _login(client, lambda challenge: cms_login(challenge, key, forged))
    assert decision["decision"] == "refused" and decision["reasons"] == ["revocation_unknown"]
    assert next(c for c in decision["verdict"]["checks"] if c["id"] == "chain")["status"] == "passed"
    evidence = decision["verdict"]["signers"][0]["revocation"]
    assert evidence["source"] == "registry" and evidence["status"] == "unknown"


def test_registry_certificate_status_reads_the_status_with_its_version(
    services: Services, fixture_dir
) -> None:
    """The read returns the status with the version it reflects; a serial the CA did not issue is UNKNOWN."""
    _, certificate = credentials(fixture_dir.path, SCENARIO)
    registry: RevocationRegistry = services.registry
    der, at = certificate.public_bytes(Encoding.DER), services.clock()
    status, version = registry.certificate_status("nca", der, certificate.serial_number, at)
    assert status.state is CertState.GOOD and version == registry.status_version("nca")
    missing, _ = registry.certificate_status("nca", der, certificate.serial_number + 1, at)
    assert missing.state is CertState.UNKNOWN


def test_unis11_an_accepted_login_reads_the_register_once_and_commits_once(
    client, fixture_dir, services: Services
) -> None:
    """The whole decision's database work, on ONE pooled connection: one register read, then ONE
    transaction (consume the challenge, read the account, append the record) with one commit; no other
    read, commit or checkout. (A login first: a revocation by an earlier test of this worker makes the next
    login's CA checks publish the delta CRL then due, which is not the login's own work.)"""
    key, certificate = credentials(fixture_dir.path, SCENARIO)
    assert _login(client, lambda c: cms_login(c, key, certificate))["decision"] == "accepted"
    body = cms_login(client.post("/api/v1/unis/challenges").get_json(), key, certificate)
    engine = services.sessionmaker.kw["bind"]
    statements: list[str] = []
    commits: list[int] = []
    checkouts: list[int] = []

    def executed(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement.split(None, 1)[0].upper())

    def committed(_conn):  # type: ignore[no-untyped-def]
        commits.append(1)

    def checked_out(*_args):  # type: ignore[no-untyped-def]
        checkouts.append(1)

    event.listen(engine, "before_cursor_execute", executed)
    event.listen(engine, "commit", committed)
    event.listen(engine, "checkout", checked_out)
    try:
        response = client.post("/api/v1/unis/logins", json=body)
    finally:
        event.remove(engine, "before_cursor_execute", executed)
        event.remove(engine, "commit", committed)
        event.remove(engine, "checkout", checked_out)
    assert response.get_json()["decision"] == "accepted"
    assert statements == ["SELECT", "INSERT", "SELECT", "INSERT"], statements
    assert len(commits) == 1
    assert len(checkouts) == 1


def test_unis11_a_failed_register_statement_on_the_login_connection_refuses_and_is_recorded(
    client, fixture_dir, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The register read runs on the login's own connection: when its statement fails in the database
    (PostgreSQL then refuses the rest of that transaction), the login fails closed and its refusal is
    still written on that connection; the next login is accepted."""
    key, certificate = credentials(fixture_dir.path, SCENARIO)
    broken = Prepared(text("SELECT missing FROM nowhere"))
    monkeypatch.setattr(register_reads, "_CERTIFICATE_STATUS_QUERY", broken)
    challenge = client.post("/api/v1/unis/challenges").get_json()
    response = client.post("/api/v1/unis/logins", json=cms_login(challenge, key, certificate))
    decision = response.get_json()
    assert decision["decision"] == "refused" and decision["reasons"] == ["revocation_unknown"]
    recorded = services.login_records.find(challenge_id=challenge["challenge_id"])
    assert [r.reasons for r in recorded] == [["revocation_unknown"]]
    monkeypatch.undo()
    assert _login(client, lambda c: cms_login(c, key, certificate))["decision"] == "accepted"
