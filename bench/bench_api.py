"""UNIS logins over HTTP against the real server: `python -m bench.bench_api [--logins N] [--clients C]`.

1. Prepares a data directory (``kzpki fixtures``, ``kzpki unis import-accounts``) and starts
   ``kzpki serve`` (gunicorn, 2 workers x 1 thread, its SQLite default) on a free loopback port.
2. Creates N challenges through ``POST /api/v1/unis/challenges`` and signs each nonce with the fixture
   RSA-2048 AUTH key (CMS, detached, signed attributes, as NCALayer does). Signing is the client's cost and
   happens before the clock starts.
3. C client threads, each with its own keep-alive HTTP/1.1 connection, post the N logins
   (``POST /api/v1/unis/logins``) as fast as the server answers; every answer must be ``accepted``.
   Prints logins per second and the p50 / p99 latency seen by the clients.
4. The in-process figure on one core for the same kind of login (``LoginService.log_in``: challenge
   consumption, CMS verification with chain, in-process OCSP and identity rules, account, record), the
   verifier alone, and the raw cost of the two RSA-2048 signature verifications a login needs (the CMS
   signer's and the OCSP response's), measured in the same run.

Client and server share this machine's cores; bounded by N and by a 120 s cap. Loopback only.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from pki.cms import sign_cms
from pki.keys import load_certificate, load_private_key

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "individual_auth_rsa"
MAX_SECONDS = 120


def _kzpki(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "api", *args], env=env, cwd=ROOT, check=True, capture_output=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class _Client:
    """One keep-alive connection."""

    def __init__(self, port: int) -> None:
        self._connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, path: str, body: dict[str, Any] | None) -> tuple[int, dict[str, Any]]:
        data = b"" if body is None else json.dumps(body).encode()
        self._connection.request("POST", path, body=data, headers={"Content-Type": "application/json"})
        response = self._connection.getresponse()
        return response.status, json.loads(response.read())


def _start_server(env: dict[str, str], port: int, threads: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port), "--workers", "2",
         "--threads", str(threads)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def _prepare(port: int, fixtures: Path, count: int) -> list[dict[str, Any]]:
    directory = fixtures / "scenarios" / SCENARIO
    key = load_private_key((directory / "key.pem").read_bytes())
    certificate = load_certificate((directory / "cert.pem").read_bytes())
    client = _Client(port)
    bodies = []
    for _ in range(count):
        status, challenge = client.post("/api/v1/unis/challenges", None)
        assert status == 201
        nonce = base64.b64decode(challenge["nonce"])
        signed = sign_cms(nonce, key, certificate, signing_time=dt.datetime.now(dt.UTC), detached=True)
        bodies.append({"challenge_id": challenge["challenge_id"], "cms": base64.b64encode(signed).decode()})
    return bodies


def _drive(port: int, bodies: list[dict[str, Any]], clients: int) -> tuple[float, list[float], int]:
    """Post every body from ``clients`` threads; returns (seconds, latencies in ms, refused count)."""
    work: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
    for body in bodies:
        work.put(body)
    latencies: list[float] = []
    refused = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + MAX_SECONDS

    def run() -> None:
        client = _Client(port)
        mine = []
        bad = 0
        while time.monotonic() < deadline:
            try:
                body = work.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            status, decision = client.post("/api/v1/unis/logins", body)
            mine.append((time.perf_counter() - started) * 1000)
            bad += status != 200 or decision["decision"] != "accepted"
        with lock:
            latencies.extend(mine)
            refused[0] += bad

    threads = [threading.Thread(target=run) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, refused[0]


def _in_process(env: dict[str, str], fixtures: Path, count: int) -> dict[str, float]:
    """Per-login cost in this process (one core): full decision, verifier alone, raw signature checks."""
    from api.clock import system_clock
    from api.config import load_settings
    from api.services import build_services
    from unis.login import LoginAttempt, SignatureFormat

    settings = load_settings({k: v for k, v in env.items() if k.startswith("KZPKI_")})
    services = build_services(settings, system_clock)
    directory = fixtures / "scenarios" / SCENARIO
    key = load_private_key((directory / "key.pem").read_bytes())
    certificate = load_certificate((directory / "cert.pem").read_bytes())
    attempts = []
    for _ in range(2 * count):
        challenge = services.logins.create_challenge(system_clock())
        signed = sign_cms(challenge.nonce, key, certificate, signing_time=system_clock(), detached=True)
        attempts.append((challenge, LoginAttempt(challenge.challenge_id, SignatureFormat.CMS, signed)))
    services.logins.log_in(attempts[0][1], system_clock())  # warm the caches (CA paths, CRLs)
    started = time.perf_counter()
    for challenge, attempt in attempts[1 : count + 1]:
        services.login_verifier.verify_cms(
            attempt.signature, at=system_clock(), detached_content=challenge.nonce
        )
    verify_ms = (time.perf_counter() - started) * 1000 / count
    latencies = []
    for _, attempt in attempts[count + 1 :]:
        begun = time.perf_counter()
        decision = services.logins.log_in(attempt, system_clock())
        latencies.append((time.perf_counter() - begun) * 1000)
        assert decision.decision.value == "accepted", decision.reasons
    public_key = certificate.public_key()
    assert isinstance(key, rsa.RSAPrivateKey) and isinstance(public_key, rsa.RSAPublicKey)
    signature = key.sign(b"x" * 200, padding.PKCS1v15(), hashes.SHA256())
    started = time.perf_counter()
    for _ in range(count):
        public_key.verify(signature, b"x" * 200, padding.PKCS1v15(), hashes.SHA256())
    raw_ms = 2 * (time.perf_counter() - started) * 1000 / count  # two RSA-2048 verifications per login
    return {
        "login_ms": statistics.mean(latencies),
        "p50": _percentile(latencies, 0.5),
        "p99": _percentile(latencies, 0.99),
        "verify_ms": verify_ms,
        "raw_ms": raw_ms,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=2000, help="logins posted over HTTP")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client connections")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (serve's SQLite default)"
    )
    parser.add_argument("--in-process", type=int, default=300, help="logins measured in process")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kzpki-bench-") as temporary:
        home = Path(temporary)
        port = _free_port()
        fixtures = home / "fixtures"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "KZPKI_HOME": str(home),
            "KZPKI_CA_PASSPHRASE": "bench passphrase",
            "KZPKI_PUBLIC_URL": f"http://127.0.0.1:{port}",
        }
        env.pop("KZPKI_DATABASE_URL", None)
        print("preparing the data directory (kzpki fixtures, import-accounts) ...", flush=True)
        _kzpki(env, "fixtures", "--out", str(fixtures))
        _kzpki(env, "unis", "import-accounts", str(fixtures / "manifest.json"))
        server = _start_server(env, port, args.threads)
        try:
            print(f"creating and signing {args.logins} challenges (client side, untimed) ...", flush=True)
            bodies = _prepare(port, fixtures, args.logins + 50)
            _drive(port, bodies[:50], args.clients)  # warm-up: every worker's caches
            seconds, latencies, refused = _drive(port, bodies[50:], args.clients)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        local = _in_process(env, fixtures, args.in_process)
    done = len(latencies)
    rate = done / seconds
    print(f"\nHTTP, kzpki serve: 2 gunicorn workers x {args.threads} threads, {args.clients} keep-alive "
          "clients, "
          f"{os.cpu_count()} cores shared with the clients")  # fmt: skip
    p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
    print(f"  {done} logins in {seconds:.2f} s: {rate:,.0f} logins/s (target >= 1,000), "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (target <= 25 ms); not accepted: {refused}")  # fmt: skip
    login_ms = local["login_ms"]
    print(f"in process, one core: {1000 / login_ms:,.0f} logins/s "
          f"({login_ms:.2f} ms per login, p50 {local['p50']:.2f} ms, p99 {local['p99']:.2f} ms)")  # fmt: skip
    print(f"  of which the verifier (CMS, chain, OCSP, identity): {local['verify_ms']:.2f} ms; raw RSA-2048 "
          f"verifications (2 per login): {local['raw_ms']:.3f} ms; login / raw crypto = "
          f"{login_ms / local['raw_ms']:.0f}x")  # fmt: skip
    print(f"  HTTP per login on 2 cores vs in-process on one: {2 * 1000 / rate:.2f} ms vs {login_ms:.2f} ms")


if __name__ == "__main__":
    main()
