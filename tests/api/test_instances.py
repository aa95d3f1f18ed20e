"""Two real ``kzpki serve`` instances on one database behave as one service (EDS-18, EDS-18.3, UNIS-9/10,
UNIS-11): on a shared SQLite file, and on a PostgreSQL database in the PostgreSQL half of the run.

Each instance has its own data directory and port, both the same database, passphrase and public URL (as
behind one load balancer), and a CRL publication interval of one second. In each of :data:`ROUNDS` rounds a
certificate is issued through one instance; a challenge issued by one is consumed by a login at the other and
refused when replayed at the first; OCSP says good on both; the certificate is revoked through one and, on
the very next request, the other refuses its login and its OCSP says revoked; the delta CRL fetched from the
other lists it with a CRL number above every one seen before. Meanwhile the periodic publishers contend for
the ``crl-publisher`` lease: exactly one instance passes, once per interval, while the other stands by;
when the holder stops, the other takes over and publishes.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from sqlalchemy import create_engine, select

from ca_sim.crl_ledger import CrlIssue
from pki.iin import Sex, make_iin
from tests.api.support import cms_login, issue_with_account
from tests.databases import database_url
from tests.servers import RunningServer, free_port, kzpki, running_server, server_env

ROUNDS = 4
INTERVAL_SECONDS = 1
WINDOW_PASSES = 3  # publisher passes watched while both instances run
WAIT_SECONDS = 20  # for a publisher's next pass (due within a second); slack for a loaded machine
PASS = re.compile(r"CRL publisher pass as (\S+): (\d+) CRLs published")


def _issue(
    server: RunningServer, token: str, index: int
) -> tuple[str, object, x509.Certificate, x509.Certificate]:
    iin = make_iin(dt.date(1971, 2, 3) + dt.timedelta(days=101 * index), Sex.MALE, 100 + index)
    return issue_with_account(server, token, iin, "ЕКІ", f"ИНСТАНС{index}")


def _login_across(issuer_side: RunningServer, login_side: RunningServer, key, certificate) -> dict:
    """A challenge from ``issuer_side`` signed and presented to ``login_side``; the replay at
    ``issuer_side`` must be refused ``challenge_used`` (consumed once, across instances)."""
    status, challenge = issuer_side.call("POST", "/api/v1/unis/challenges")
    assert status == 201
    body = cms_login(challenge, key, certificate)
    status, decision = login_side.call("POST", "/api/v1/unis/logins", body)
    assert status == 200, decision
    status, replay = issuer_side.call("POST", "/api/v1/unis/logins", body)
    assert status == 200 and replay["decision"] == "refused", replay
    assert replay["reasons"][0] == "challenge_used", replay
    return decision


def _ocsp(
    server: RunningServer, certificate: x509.Certificate, issuer: x509.Certificate
) -> ocsp.OCSPCertStatus:
    request = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA256()).build()
    status, body = server.post_bytes(
        "/ocsp/", request.public_bytes(serialization.Encoding.DER), "application/ocsp-request"
    )
    assert status == 200
    return ocsp.load_der_ocsp_response(body).certificate_status


def _delta_crl(server: RunningServer, certificate: x509.Certificate) -> x509.CertificateRevocationList:
    """The delta CRL of ``certificate``'s CA from ``server`` (its path from the full CRL's Freshest CRL)."""
    points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    full = _get_crl(server, points[0].full_name[0].value)
    freshest = full.extensions.get_extension_for_class(x509.FreshestCRL).value
    return _get_crl(server, freshest[0].full_name[0].value)


def _get_crl(server: RunningServer, url: str) -> x509.CertificateRevocationList:
    status, der = server.get_bytes("/" + url.split("/", 3)[3])
    assert status == 200
    return x509.load_der_x509_crl(der)


def _crl_number(crl: x509.CertificateRevocationList) -> int:
    return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number


def _passes(server: RunningServer) -> list[tuple[str, int]]:
    """The publisher passes in ``server``'s log so far: (lease holder, CRLs published)."""
    return [(m.group(1), int(m.group(2))) for m in PASS.finditer(server.read_log())]


def _wait_for(condition: Callable[[], bool]) -> None:
    """Poll ``condition`` until it holds (at most :data:`WAIT_SECONDS`; the assertions after it judge)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)


def test_two_instances_on_one_database_behave_as_one_service(tmp_path: Path) -> None:
    url = database_url(tmp_path / "shared.db")
    ports = free_port(), free_port()
    shared = {  # ECDSA CA keys: a hierarchy made in a moment (RSA key generation would dominate the test)
        "KZPKI_PUBLIC_URL": f"http://127.0.0.1:{ports[0]}",
        "KZPKI_CRL_PUBLISH_INTERVAL": str(INTERVAL_SECONDS),
        "KZPKI_KEY_ALGORITHM": "ecdsa",
    }
    envs = [server_env(tmp_path / name, port, database=url, **shared) for name, port in zip("ab", ports)]
    token = kzpki(envs[0], "operators", "add", "--name", "two-instances", "--role", "operator", "--ca", "nca")
    token = token.strip().splitlines()[-1]
    stacks = [ExitStack(), ExitStack()]
    with stacks[0], stacks[1]:
        servers = [stack.enter_context(running_server(env, port, workers=1)) for stack, env, port in
                   zip(stacks, envs, ports)]  # fmt: skip
        started, passes_before = time.monotonic(), sum(len(_passes(server)) for server in servers)
        numbers: list[int] = []
        for index in range(ROUNDS):
            one, other = servers[index % 2], servers[(index + 1) % 2]
            serial, key, certificate, issuer = _issue(one, token, index)
            assert _login_across(one, other, key, certificate)["decision"] == "accepted"
            assert _ocsp(one, certificate, issuer) is ocsp.OCSPCertStatus.GOOD
            assert _ocsp(other, certificate, issuer) is ocsp.OCSPCertStatus.GOOD
            numbers.append(_crl_number(_delta_crl(other, certificate)))
            body = {"ground": "key_compromise", "document_ref": f"two instances {index}"}
            status, entry = one.call("POST", f"/api/v1/ca/nca/certificates/{serial}/revocation", body, token)
            assert status == 200 and entry["status"] == "revoked", entry
            # The next request at the other instance sees the revocation.
            refused = _login_across(one, other, key, certificate)
            assert refused["decision"] == "refused" and "revoked" in refused["reasons"], refused
            assert _ocsp(other, certificate, issuer) is ocsp.OCSPCertStatus.REVOKED
            delta = _delta_crl(other, certificate)
            assert delta.get_revoked_certificate_by_serial_number(certificate.serial_number) is not None
            numbers.append(_crl_number(delta))
        # A window of a few intervals with both publishers running (one of them standing by).
        _wait_for(
            lambda: (
                sum(len(_passes(s)) for s in servers) - passes_before >= WINDOW_PASSES
                and any("is standby" in s.read_log() for s in servers)
            )
        )
        both_seconds = time.monotonic() - started
        passes = [_passes(server) for server in servers]
        window_passes = sum(map(len, passes)) - passes_before
        holders = {holder for found in passes for holder, _ in found}
        assert len(holders) == 1, holders  # one publisher across the two instances
        active = 0 if passes[0] else 1
        standby = 1 - active
        assert passes[active] and not passes[standby]
        (holder,) = holders
        standing_by = rf"CRL publisher is standby as \S+: {re.escape(holder)} holds the lease"
        assert re.search(standing_by, servers[standby].read_log())  # it tried, and was refused
        stacks[active].close()  # the holder stops and releases the lease
        _wait_for(lambda: bool(_passes(servers[standby])))
        taken_over = _passes(servers[standby])
        assert taken_over and taken_over[0][0] not in holders
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            recorded = connection.execute(
                select(CrlIssue.crl_number).where(CrlIssue.ca_id == "nca").order_by(CrlIssue.id)
            ).scalars()
            recorded_numbers = list(recorded)
    finally:
        engine.dispose()
    # Delta CRL numbers seen through alternating instances: never going back, and each revocation's delta
    # numbered above the one before it (strictly increasing across both instances).
    assert numbers == sorted(numbers), numbers
    assert all(after > before for before, after in zip(numbers[::2], numbers[1::2])), numbers
    assert sorted(recorded_numbers) == list(range(1, len(recorded_numbers) + 1))  # one sequence, no reuse
    for server in servers:
        assert "Traceback" not in server.output, server.output
    print(
        f"\ntwo instances: {ROUNDS} rounds (issue, cross-instance login and replay, OCSP, revoke, "
        f"next-request login/OCSP/delta at the other); delta CRL numbers seen {numbers}; nca CRLs recorded "
        f"{len(recorded_numbers)}; publisher passes while both ran: {window_passes} in {both_seconds:.1f} s "
        f"at a {INTERVAL_SECONDS} s interval, all by instance {'ab'[active]} (the other: 0), "
        f"standby took over with {len(taken_over)} passes"
    )
