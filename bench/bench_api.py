"""UNIS logins over HTTP against the real server, beside the framework's own ceiling, in one run:
`python -m bench.bench_api [--seconds 10] [--runs 3] [--connections 8]`. Needs ``wrk`` (Debian: wrk).

1. Prepares a data directory (``kzpki fixtures``, ``kzpki unis import-accounts``) and starts
   ``kzpki serve`` (gunicorn, 2 workers x 1 thread, its SQLite default) and, on exactly the same gunicorn
   settings (:func:`api.commands.serve.gunicorn_options`, the JSON access line included), the trivial echo
   app :mod:`bench.echo_app`, each on a free loopback port.
2. Client side, before any clock starts: challenges from ``POST /api/v1/unis/challenges``, each nonce
   signed with the fixture RSA-2048 AUTH key as a detached CMS with signed attributes (as NCALayer does).
   One CMS is built by :func:`pki.cms_signing.sign_cms`; the others change only its messageDigest and
   signature (the same bytes ``sign_cms`` would give for that nonce at that signing time), so that signing
   costs the client one RSA signature, not the ~1 ms of encoding a whole CMS.
3. Per run, the phases below, driven by ``wrk`` (one thread, C keep-alive connections,
   :file:`bench/wrk_logins.lua`, through :mod:`bench.wrk`); the first two alternate in :data:`SLICES`
   slices of ``--seconds`` / SLICES each (echo, pairs, echo, pairs, ...), so that the ceiling and the
   pairs are measured under the same moments' load (run one after the other, the shared machine's swings
   made the ratio anything from 31 to 54% within one median), and their slices are summed (counts, timed
   seconds, CPU seconds, and the latency distributions, so p50/p99 are exact):
   - echo: ``POST /echo`` on the echo app: requests/s is the ceiling; a pair (challenge + login) is two
     requests, so the pair ceiling is half of it;
   - pairs: alternately a new challenge and a pre-signed login: pairs/s, p50/p99 of both kinds; each
     slice's ratio is printed too;
   - logins (``--seconds``): pre-signed logins only: logins/s, p50/p99;
   - challenges (half of ``--seconds``): challenges only (no database, no signature): what our app costs
     per request beyond the echo;
   - revocation over HTTP (half of ``--seconds`` each): the login certificate's full and delta CRL from
     their distribution points, and ``POST /ocsp`` for it without a nonce (the responder's cache) and with
     one (a live answer, signed for the request); each answer is checked once beforehand (the CRL's
     signature; the OCSP answer successful, good, the nonce echoed), and then every answer must be a 200.
     Their rates are shown as shares of the echo rate (one request each, not pairs).
   Every login must be accepted (refusals and errors are printed). A phase or slice ends early when its
   pre-signed logins are used up (no login is replayed); rates use the timed windows.
4. The in-process figure on one core for the same kind of login (``LoginService.log_in``), the verifier
   alone, and the raw cost of the RSA-2048 verification a login needs, measured in the same run.

Prints each run and the median of the runs, with the load average (the machine is shared; wrk and the
servers share its cores), and the servers' CPU time per request read from /proc (Linux): on a busy
machine the wall-clock rates swing with the load, the CPU cost per request much less. Loopback only.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import ocsp

from bench.logins import signer_signature
from bench.wrk import Phase, percentile, run_wrk
from pki.cms_signing import sign_cms
from pki.keys import load_certificate, load_private_key

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "individual_auth_rsa"
WORKERS = 2
SLICES = 5  # per run, echo and pairs alternate in this many slices of --seconds / SLICES each
# What kzpki does per request that the echo app does not (both log the same JSON access line).
APP_EXTRAS = (
    "kzpki adds per request: request id, security headers, no-store, pydantic models; per login: the "
    "Prometheus counter and histogram (multi-process files); both log the same JSON access line"
)


def _kzpki(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "api", *args], env=env, cwd=ROOT, check=True, capture_output=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server on port {port} did not start")


def _start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    _wait_for(port, process)
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def kzpki_server(env: dict[str, str], port: int, threads: int) -> subprocess.Popen[bytes]:
    """``kzpki serve`` on ``port`` with 2 workers x ``threads``."""
    command = [sys.executable, "-m", "api", "serve", "--port", str(port), "--workers", str(WORKERS),
               "--threads", str(threads)]  # fmt: skip
    return _start(command, env, port)


def echo_server(env: dict[str, str], port: int, threads: int) -> subprocess.Popen[bytes]:
    """The echo app on gunicorn with ``kzpki serve``'s settings, the same workers and threads."""
    command = [sys.executable, "-m", "bench.echo_app", "--port", str(port), "--workers", str(WORKERS),
               "--threads", str(threads)]  # fmt: skip
    return _start(command, env, port)


class _Client:
    """One keep-alive connection (preparation only; the measured phases use wrk)."""

    def __init__(self, port: int) -> None:
        self._connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, path: str, body: dict[str, Any] | None) -> tuple[int, dict[str, Any]]:
        data = b"" if body is None else json.dumps(body).encode()
        status, answer = self.fetch("POST", path, data, "application/json")
        return status, json.loads(answer)

    def fetch(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> tuple[int, bytes]:
        """The status and body of one request (``content_type`` sent when given)."""
        headers = {"Content-Type": content_type} if content_type else {}
        self._connection.request(method, path, body=body or None, headers=headers)
        response = self._connection.getresponse()
        return response.status, response.read()


def cms_signer(key_pem: bytes, certificate_pem: bytes) -> Callable[[bytes], bytes]:
    """A function signing a 32-byte nonce as a detached CMS (signed attributes, RSA PKCS#1 v1.5).

    The template comes from :func:`pki.cms_signing.sign_cms`; per nonce only the messageDigest attribute and
    the signature over the signed attributes change (both checked to occur exactly once).
    """
    key = load_private_key(key_pem)
    certificate = load_certificate(certificate_pem)
    assert isinstance(key, rsa.RSAPrivateKey)
    placeholder = bytes(32)
    template = sign_cms(placeholder, key, certificate, signing_time=dt.datetime.now(dt.UTC), detached=True)
    attributes, signature = signer_signature(template)
    digest = hashlib.sha256(placeholder).digest()
    assert template.count(digest) == 1 and attributes.count(digest) == 1 and template.count(signature) == 1

    def sign(nonce: bytes) -> bytes:
        new_digest = hashlib.sha256(nonce).digest()
        signed = attributes.replace(digest, new_digest)
        new_signature = key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
        return template.replace(digest, new_digest).replace(signature, new_signature)

    return sign


def prepare_bodies(port: int, fixtures: Path, count: int, path: Path) -> None:
    """``count`` signed login bodies for fresh challenges of the server on ``port``, one JSON per line."""
    directory = fixtures / "scenarios" / SCENARIO
    sign = cms_signer((directory / "key.pem").read_bytes(), (directory / "cert.pem").read_bytes())
    client = _Client(port)
    with path.open("w") as out:
        for _ in range(count):
            status, challenge = client.post("/api/v1/unis/challenges", None)
            assert status == 201, challenge
            cms = sign(base64.b64decode(challenge["nonce"]))
            body = {"challenge_id": challenge["challenge_id"], "cms": base64.b64encode(cms).decode()}
            out.write(json.dumps(body, separators=(",", ":")) + "\n")


@dataclass(frozen=True)
class Download:
    """The one request a revocation phase repeats: its figures' ``key``, a ``label``, the Lua script's
    ``mode`` (get, ocsp) and ``argument`` (the URL path, or the file of the DER OCSPRequest), and the size
    of its answer in bytes."""

    key: str
    label: str
    mode: str
    argument: str
    size: int


def revocation_downloads(port: int, fixtures: Path, home: Path) -> tuple[Download, ...]:
    """The scenario certificate's full and delta CRL at its distribution points, and OCSP requests for it
    without a nonce (answered from the responder's cache) and with one (answered live, signed for the
    request), each asked once of the server on ``port`` and checked before any clock starts.

    Raises AssertionError unless each CRL verifies with the issuer's key and each OCSP answer is successful,
    says good, and echoes the nonce it was asked with.
    """
    directory = fixtures / "scenarios" / SCENARIO
    certificate = x509.load_pem_x509_certificate((directory / "cert.pem").read_bytes())
    chain = x509.load_pem_x509_certificates((directory / "chain.pem").read_bytes())
    issuer = next(c for c in chain if c.subject == certificate.issuer)
    issuer_key = issuer.public_key()
    assert isinstance(issuer_key, rsa.RSAPublicKey)  # the scenario's NCA is the RSA one
    extensions = certificate.extensions
    client, downloads = _Client(port), []
    for key, label, points in (
        ("crl", "full CRL", extensions.get_extension_for_class(x509.CRLDistributionPoints).value),
        ("delta", "delta CRL", extensions.get_extension_for_class(x509.FreshestCRL).value),
    ):
        names = next(iter(points)).full_name or []
        path = urllib.parse.urlsplit(str(names[0].value)).path
        status, body = client.fetch("GET", path)
        assert status == 200 and x509.load_der_x509_crl(body).is_signature_valid(issuer_key), path
        downloads.append(Download(key, label, "get", path, len(body)))
    for key, label, nonce in (
        ("ocsp_cache", "OCSP from the cache", b""),
        ("ocsp_live", "OCSP live", os.urandom(16)),
    ):
        builder = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA1())
        if nonce:
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        request = builder.build().public_bytes(serialization.Encoding.DER)
        (home / f"{key}.der").write_bytes(request)
        status, body = client.fetch("POST", "/ocsp", request, "application/ocsp-request")
        answer = ocsp.load_der_ocsp_response(body)
        assert status == 200 and answer.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL, key
        assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD, key
        echoed = [e.value.nonce for e in answer.extensions if isinstance(e.value, x509.OCSPNonce)]
        assert echoed == ([nonce] if nonce else []), key
        downloads.append(Download(key, label, "ocsp", str(home / f"{key}.der"), len(body)))
    return tuple(downloads)


def _downloads_line(downloads: tuple[Download, ...], figures: Mapping[str, float]) -> str:
    """The revocation phases' rates, each as a share of the echo rate, and server CPU per request."""
    return "; ".join(
        f"{d.label} ({d.size:,} B) {figures[d.key]:,.0f}/s = {figures[d.key] / figures['echo_rps']:.0%} of "
        f"echo, CPU {figures[d.key + '_cpu']:.2f} ms"
        for d in downloads
    )


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def one_run(
    servers: tuple[tuple[int, int], tuple[int, int]],
    bodies: tuple[list[Path], Path],
    downloads: tuple[Download, ...],
    seconds: float,
    connections: int,
) -> dict[str, float]:
    """The echo and pairs phases in alternating slices (one per file of ``bodies[0]``), then the logins
    and challenges phases, then one phase per revocation download; the figures of this run.
    ``servers``: (port, pid) of kzpki and echo."""
    (kzpki_port, kzpki_pid), (echo_port, echo_pid) = servers
    load = os.getloadavg()[0]
    echo, pairs, slice_ratios = Phase(), Phase(), []
    for pair_bodies in bodies[0]:  # the ceiling and the pairs under the same moment's conditions
        echo_slice = run_wrk(echo_port, "echo", pair_bodies, seconds / SLICES, connections, echo_pid)
        pairs_slice = run_wrk(kzpki_port, "pairs", pair_bodies, seconds / SLICES, connections, kzpki_pid)
        slice_ratios.append(_pair_rate(pairs_slice) / (echo_slice.rate("accepted") / 2))
        echo, pairs = echo + echo_slice, pairs + pairs_slice
    logins = run_wrk(kzpki_port, "logins", bodies[1], seconds, connections, kzpki_pid)
    challenges = run_wrk(kzpki_port, "challenges", bodies[1], seconds / 2, connections, kzpki_pid)
    echo_rate, pair_rate = echo.rate("accepted"), _pair_rate(pairs)
    figures = {
        "load": load,
        "echo_rps": echo_rate,
        "echo_p99": echo.percentile_ms(0.99),
        "pairs": pair_rate,
        "pair_ratio": pair_rate / (echo_rate / 2),
        "pairs_p50": pairs.percentile_ms(0.5),
        "pairs_p99": pairs.percentile_ms(0.99),
        "logins": logins.rate("accepted"),
        "login_ratio": logins.rate("accepted") / echo_rate,
        "logins_p50": logins.percentile_ms(0.5),
        "logins_p99": logins.percentile_ms(0.99),
        # server CPU per request / pair / login, ms: independent of what else the machine runs
        "echo_cpu": 1000 * echo.cpu / max(echo.accepted, 1),
        "pair_cpu": 1000 * pairs.cpu / max(min(pairs.accepted, pairs.challenges), 1),
        "login_cpu": 1000 * logins.cpu / max(logins.accepted, 1),
        "challenge_cpu": 1000 * challenges.cpu / max(challenges.challenges, 1),
    }
    figures["cpu_ratio"] = 2 * figures["echo_cpu"] / figures["pair_cpu"] if figures["pair_cpu"] else 0.0
    download_problems = ""
    for download in downloads:
        phase = run_wrk(kzpki_port, download.mode, download.argument, seconds / 2, connections, kzpki_pid)
        figures[download.key] = phase.rate("accepted")
        figures[download.key + "_cpu"] = 1000 * phase.cpu / max(phase.accepted, 1)
        download_problems += phase.problems()
    slices = " / ".join(f"{r:.0%}" for r in slice_ratios)
    print(
        f"  load {load:.1f} | echo {echo_rate:,.0f} req/s (p99 {figures['echo_p99']:.1f} ms) | "
        f"pairs {pair_rate:,.0f}/s = {figures['pair_ratio']:.0%} of the pair ceiling (slices {slices}; "
        f"p50 {figures['pairs_p50']:.1f}, p99 {figures['pairs_p99']:.1f} ms; {pairs.seconds:.1f} s)"
        f"{pairs.problems()} | logins {figures['logins']:,.0f}/s = {figures['login_ratio']:.0%} of echo "
        f"(p50 {figures['logins_p50']:.1f}, p99 {figures['logins_p99']:.1f} ms; {logins.seconds:.1f} s)"
        f"{logins.problems()} | server CPU: echo {figures['echo_cpu']:.2f} ms, challenge "
        f"{figures['challenge_cpu']:.2f} ms, pair {figures['pair_cpu']:.2f} ms, "
        f"login {figures['login_cpu']:.2f} ms "
        f"(pairs at {figures['cpu_ratio']:.0%} of the ceiling by CPU)\n"
        f"  revocation over HTTP: {_downloads_line(downloads, figures)}{download_problems}",
        flush=True,
    )
    return figures


def _pair_rate(pairs: Phase) -> float:
    """Pairs per second: the rarer of the two halves (a phase may end between a challenge and its login)."""
    return min(pairs.rate("accepted"), pairs.rate("challenges"))


def in_process(env: dict[str, str], fixtures: Path, count: int) -> dict[str, float]:
    """Per-login cost in this process (one core): full decision, verifier alone, raw signature check."""
    from api.clock import system_clock
    from api.config import load_settings
    from api.services import build_services
    from unis.login import LoginAttempt, SignatureFormat

    settings = load_settings({k: v for k, v in env.items() if k.startswith("KZPKI_")})
    services = build_services(settings, system_clock)
    directory = fixtures / "scenarios" / SCENARIO
    sign = cms_signer((directory / "key.pem").read_bytes(), (directory / "cert.pem").read_bytes())
    attempts = []
    for _ in range(2 * count + 1):
        challenge = services.logins.create_challenge(system_clock())
        signed = sign(challenge.nonce)
        attempts.append((challenge, LoginAttempt(challenge.challenge_id, SignatureFormat.CMS, signed)))
    services.logins.log_in(attempts[0][1], system_clock())  # warm the caches (CA paths, CRLs)
    started = time.perf_counter()
    for challenge, attempt in attempts[1 : count + 1]:
        verdict = services.login_verifier.verify_cms(
            attempt.signature, at=system_clock(), detached_content=challenge.nonce
        )
        assert verdict.passed, verdict.to_json()
    verify_ms = (time.perf_counter() - started) * 1000 / count
    latencies = []
    for _, attempt in attempts[count + 1 :]:
        begun = time.perf_counter()
        decision = services.logins.log_in(attempt, system_clock())
        latencies.append((time.perf_counter() - begun) * 1000)
        assert decision.decision.value == "accepted", decision.reasons
    key = load_private_key((directory / "key.pem").read_bytes())
    public_key = load_certificate((directory / "cert.pem").read_bytes()).public_key()
    assert isinstance(key, rsa.RSAPrivateKey) and isinstance(public_key, rsa.RSAPublicKey)
    signature = key.sign(b"x" * 200, padding.PKCS1v15(), hashes.SHA256())
    started = time.perf_counter()
    for _ in range(count):
        public_key.verify(signature, b"x" * 200, padding.PKCS1v15(), hashes.SHA256())
    raw_ms = (time.perf_counter() - started) * 1000 / count
    return {
        "login_ms": statistics.mean(latencies),
        "p50": percentile(Counter(latencies), 0.5),
        "p99": percentile(Counter(latencies), 0.99),
        "verify_ms": verify_ms,
        "raw_ms": raw_ms,
    }


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="longest phase, seconds")
    parser.add_argument("--runs", type=int, default=3, help="runs of the three phases (median printed)")
    parser.add_argument("--connections", type=int, default=8, help="wrk keep-alive connections")
    parser.add_argument("--logins", type=int, default=8000, help="pre-signed logins per phase and run")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (SQLite: 1)")
    parser.add_argument("--in-process", type=int, default=300, help="logins measured in process")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("bench_api needs wrk (apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="kzpki-bench-") as temporary:
        home = Path(temporary)
        kzpki_port, echo_port = _free_port(), _free_port()
        fixtures = home / "fixtures"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "KZPKI_HOME": str(home),
            "KZPKI_CA_PASSPHRASE": "bench passphrase",
            "KZPKI_PUBLIC_URL": f"http://127.0.0.1:{kzpki_port}",
        }
        env.pop("KZPKI_DATABASE_URL", None)
        print("preparing the data directory (kzpki fixtures, import-accounts) ...", flush=True)
        _kzpki(env, "fixtures", "--out", str(fixtures))
        _kzpki(env, "unis", "import-accounts", str(fixtures / "manifest.json"))
        server = kzpki_server(env, kzpki_port, args.threads)
        echo = echo_server(env, echo_port, args.threads)
        runs = []
        try:
            warm = home / "warm.jsonl"
            prepare_bodies(kzpki_port, fixtures, 200, warm)
            run_wrk(kzpki_port, "logins", warm, args.seconds, args.connections)  # every worker's caches
            downloads = revocation_downloads(kzpki_port, fixtures, home)
            setup = f"{WORKERS} gunicorn workers x {args.threads} thread(s) for kzpki and for the echo app"
            print(f"HTTP: {setup}; wrk 1 thread, {args.connections} connections; {os.cpu_count()} cores")
            print(f"  same gunicorn settings (api.commands.serve.gunicorn_options); {APP_EXTRAS}")
            for number in range(args.runs):  # bodies signed before the run's clock starts (untimed)
                slices = [home / f"pairs-{number}-{k}.jsonl" for k in range(SLICES)]
                for path in slices:
                    prepare_bodies(kzpki_port, fixtures, args.logins // SLICES, path)
                logins = home / f"logins-{number}.jsonl"
                prepare_bodies(kzpki_port, fixtures, args.logins, logins)
                print(f"run {number + 1}:", end="", flush=True)
                servers = ((kzpki_port, server.pid), (echo_port, echo.pid))
                runs.append(one_run(servers, (slices, logins), downloads, args.seconds, args.connections))
        finally:
            _stop(server)
            _stop(echo)
        local = in_process(env, fixtures, args.in_process)
    loads = ", ".join(f"{r['load']:.1f}" for r in runs)
    m = {key: _median(runs, key) for key in runs[0]}
    print(f"\nmedian of {len(runs)} runs (load average at the start of each: {loads}; now {_load()}):")
    print(f"  echo ceiling {m['echo_rps']:,.0f} req/s -> {m['echo_rps'] / 2:,.0f} pairs/s")
    print(f"  pairs {m['pairs']:,.0f}/s, {m['pair_ratio']:.0%} of the ceiling (target >= 50%), "
          f"p50 {m['pairs_p50']:.1f} ms, p99 {m['pairs_p99']:.1f} ms (target <= 25 ms)")  # fmt: skip
    print(f"  logins only {m['logins']:,.0f}/s, {m['login_ratio']:.0%} of the echo rate, "
          f"p50 {m['logins_p50']:.1f} ms, p99 {m['logins_p99']:.1f} ms")  # fmt: skip
    print(f"  server CPU per echo request {m['echo_cpu']:.2f} ms, per challenge {m['challenge_cpu']:.2f} ms, "
          f"per pair {m['pair_cpu']:.2f} ms, per login {m['login_cpu']:.2f} ms: "
          f"pairs at {m['cpu_ratio']:.0%} of the ceiling by CPU")  # fmt: skip
    print(f"  revocation over HTTP (same server): {_downloads_line(downloads, m)}")
    login_ms = local["login_ms"]
    print(f"in process, one core: {1000 / login_ms:,.0f} logins/s "
          f"({login_ms:.2f} ms per login, p50 {local['p50']:.2f} ms, p99 {local['p99']:.2f} ms)")  # fmt: skip
    print(f"  of which the verifier (CMS, chain, revocation, identity): {local['verify_ms']:.2f} ms; raw "
          f"RSA-2048 verification of the signer: {local['raw_ms']:.3f} ms; login / raw crypto = "
          f"{login_ms / local['raw_ms']:.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
