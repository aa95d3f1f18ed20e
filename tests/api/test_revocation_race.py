"""UNIS-11 / EDS-18 across processes: a revocation, hold or release is in force for every worker the moment
its call returns (``ca_sim.ocsp``'s guarantee), proven against real ``kzpki serve`` processes.

One server (2 workers x 4 threads; on SQLite the configuration the race was first seen in, on PostgreSQL in
that half of the run) and a second, separate instance on the same database; every request goes to whichever
instance and worker accepts it. For each of :data:`ROUNDS` certificates, in :data:`CLIENTS` parallel rounds:
issue through the API, log in and ask OCSP until both workers' caches hold a "good" answer, revoke (even
rounds) or hold (odd rounds), then at once log in and ask OCSP again (SHA-1 and SHA-256 CertIDs: two cache
entries), on both instances; a held certificate is then released and must log in again on the very next
request. Every answer after a call returned that contradicts it is a violation; the test asserts there are
none and prints its figures.
"""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from pki.iin import Sex, make_iin
from tests.api.support import cms_login, issue_with_account
from tests.databases import BACKEND
from tests.servers import RunningServer, free_port, kzpki, running_server, server_env

# 300 rounds on SQLite; 100 on PostgreSQL, where the same 8 clients race at READ COMMITTED but each round
# costs more round trips (the PostgreSQL half runs on the same 2 cores as the rest of the suite).
ROUNDS = 300 if BACKEND == "sqlite" else 100
CLIENTS = 8
WORKERS = 2
THREADS = 4
WARM_UP_REQUESTS = 2  # logins and OCSP queries before the change (caches hold "good")


@dataclass
class Tally:
    logins_checked: int = 0
    ocsp_checked: int = 0
    violations: list[str] = field(default_factory=list)


def _ocsp_status(server: RunningServer, certificate: x509.Certificate, issuer: x509.Certificate, algorithm):
    request = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, algorithm).build()
    status, body = server.post_bytes(
        "/ocsp/", request.public_bytes(serialization.Encoding.DER), "application/ocsp-request"
    )
    assert status == 200
    return ocsp.load_der_ocsp_response(body).certificate_status


def _login(server: RunningServer, key, certificate) -> dict:
    status, challenge = server.call("POST", "/api/v1/unis/challenges")
    assert status == 201
    status, decision = server.call("POST", "/api/v1/unis/logins", cms_login(challenge, key, certificate))
    assert status == 200, decision
    return decision


def _issue(server: RunningServer, token: str, index: int):
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=37 * index)
    iin = make_iin(birth, Sex.FEMALE if index % 3 else Sex.MALE, index % 9000)
    return issue_with_account(server, token, iin, "СЫНАҚ", f"РАУНД{index}")


def _round(servers: list[RunningServer], token: str, index: int, tally: Tally) -> None:
    """One certificate's life; appends each contradiction of a returned call to ``tally.violations``."""
    first = servers[index % len(servers)]
    serial, key, certificate, issuer = _issue(first, token, index)
    for n in range(WARM_UP_REQUESTS):
        server = servers[n % len(servers)]
        assert _login(server, key, certificate)["decision"] == "accepted"
        assert _ocsp_status(server, certificate, issuer, hashes.SHA1()) is ocsp.OCSPCertStatus.GOOD
    action = "revocation" if index % 2 == 0 else "hold"
    body = (
        {"ground": "key_compromise", "document_ref": f"race {index}"}
        if action == "revocation"
        else {"document_ref": f"race {index}"}
    )
    status, entry = first.call("POST", f"/api/v1/ca/nca/certificates/{serial}/{action}", body, token)
    assert status == 200 and entry["status"] in ("revoked", "on_hold"), entry
    # The call has returned: from now on nothing may say "good" or accept a login.
    for server in servers:
        decision = _login(server, key, certificate)
        tally.logins_checked += 1
        if decision["decision"] == "accepted":
            tally.violations.append(f"round {index}: login accepted after {action} returned")
        for algorithm in (hashes.SHA1(), hashes.SHA256()):
            tally.ocsp_checked += 1
            if _ocsp_status(server, certificate, issuer, algorithm) is not ocsp.OCSPCertStatus.REVOKED:
                tally.violations.append(f"round {index}: OCSP not revoked after {action} returned")
    if action == "hold":
        status, entry = first.call(
            "POST", f"/api/v1/ca/nca/certificates/{serial}/release", {"document_ref": f"race {index}"}, token
        )
        assert status == 200 and entry["status"] == "good", entry
        for server in servers:
            tally.logins_checked += 1
            if _login(server, key, certificate)["decision"] != "accepted":
                tally.violations.append(f"round {index}: login refused after release returned")
            tally.ocsp_checked += 1
            if _ocsp_status(server, certificate, issuer, hashes.SHA256()) is not ocsp.OCSPCertStatus.GOOD:
                tally.violations.append(f"round {index}: OCSP not good after release returned")


def test_unis11_no_login_or_ocsp_answer_contradicts_a_returned_revocation_hold_or_release(
    tmp_path: Path,
) -> None:
    port, second_port = free_port(), free_port()
    env = server_env(tmp_path, port)
    token = kzpki(env, "operators", "add", "--name", "race-operator", "--role", "operator", "--ca", "nca")
    token = token.strip().splitlines()[-1]
    threads = ("--threads", str(THREADS))
    tally = Tally()
    with (
        running_server(env, port, workers=WORKERS, extra_args=threads) as server,
        running_server(
            server_env(tmp_path, second_port), second_port, workers=WORKERS, extra_args=threads
        ) as second,
    ):
        started = time.monotonic()
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(lambda i: _round([server, second], token, i, tally), range(ROUNDS)))
        elapsed = time.monotonic() - started
    print(
        f"\nrace: {ROUNDS} rounds ({ROUNDS // 2} revocations, {ROUNDS // 2} holds+releases), "
        f"2 instances x {WORKERS} workers x {THREADS} threads, {CLIENTS} clients; "
        f"{tally.logins_checked} logins and {tally.ocsp_checked} OCSP answers checked after a change; "
        f"{len(tally.violations)} violations; {elapsed:.1f} s"
    )
    assert tally.violations == []
    for running in (server, second):
        assert f"({WORKERS} workers x {THREADS} threads)" in running.output
        assert "Traceback" not in running.output, running.output  # a clean stop (no join of a stray child)
        assert "Shutting down: Master" in running.output


@pytest.mark.parametrize("database", ["sqlite:///x.db", "postgresql+psycopg://db/kzpki"])
def test_serve_threads_default_by_database(database: str) -> None:
    from api.commands.serve import DEFAULT_THREADS, SQLITE_THREADS, default_threads

    assert default_threads(database) == (SQLITE_THREADS if database.startswith("sqlite") else DEFAULT_THREADS)
    assert SQLITE_THREADS == 1 and DEFAULT_THREADS == 4
