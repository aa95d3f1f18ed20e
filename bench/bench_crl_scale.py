"""CRLs at national scale (issue 16): `python -m bench.bench_crl_scale [--sizes 10000,...] [--runs 3]`.

For each size, full CRLs of that many entries (random 20-octet serials, as the NCA's) are signed by an
RSA-2048 CA (``bench.bench_verify.Pki``) with the CA simulator's CRL assembly (``ca_sim.crl``), then each
run measures in a FRESH subprocess, so that sizes do not pollute each other's memory:

- indexing: CPU seconds (``time.process_time``) of what the verifier does once per new CRL (header, DER
  layout, signature over the TBSCertList, the serial index), beside the raw ``cryptography`` RSA
  verification of the same CRL signature; the peak RSS above the baseline while it runs (VmHWM, reset
  through /proc/self/clear_refs) and the steady RSS it leaves, beside the index's own size. The baseline is
  taken with the CRL's DER already in memory (the source holds it either way);
- logins with that CRL in process (``Verifier.verify_cms``, CMS over a 32-byte nonce, purpose login):
  CPU per login, beside the raw cost of its two RSA-2048 verifications (CMS signer and certificate);
- the first login after a new CRL: wall-clock milliseconds of that login (a) with no earlier CRL (it waits
  at most 50 ms, then is refused "being prepared"), (b) while the previous CRL is still within its
  nextUpdate (it is answered by the previous index at once), and the wall seconds until the new index
  answers.

Medians of ``--runs`` are printed with the load average before and after. Wall-clock figures on a shared
machine are noisy; the CPU and RSS figures much less so. Never asserts on time: it prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ReasonFlags

from bench.bench_verify import AT, Pki
from bench.logins import signer_signature
from ca_sim import der
from ca_sim.crl import _sign_crl  # the simulator's linear-time CRL assembly, reused as is
from ca_sim.crl_entry import encode_crl_entry
from ca_sim.hierarchy import Authority
from ca_sim.profiles import CaUrls
from pki import oids
from pki.cms_signing import sign_cms
from pki.signatures import verify_signature
from verifier import InProcessRevocationSource, RevocationMethods, VerificationPolicy, Verifier
from verifier.revocation.crl_der import read_layout
from verifier.revocation.crl_header import read_crl_header
from verifier.revocation.crl_index import CrlIndex

LOGINS = 12
_URLS = CaUrls("http://bench/ca.cer", "http://bench/nca.crl", "http://bench/nca_d.crl", "http://bench/ocsp/")
_REASONS = [
    ReasonFlags.superseded,
    ReasonFlags.key_compromise,
    ReasonFlags.unspecified,
    ReasonFlags.affiliation_changed,
]


# --- the parent: material ---------------------------------------------------------------------------


def _entries(count: int, seed: int) -> list[bytes]:
    """``count`` entries with random positive 20-octet serials: a few entries encoded by ca_sim's
    ``encode_crl_entry`` as templates, each copy with its own serial octets (same length, same DER)."""
    templates = [
        encode_crl_entry(1 << 152, AT - dt.timedelta(days=3 + n, seconds=n), reason, None)
        for n, reason in enumerate(_REASONS * 4)
    ]
    assert all(t[2:4] == b"\x02\x14" for t in templates)  # 30 LL 02 14 <20 serial octets> ...
    pool = random.Random(seed).randbytes(20 * count)
    out = []
    for n in range(count):
        template = templates[n % len(templates)]
        serial = bytes((0x01 + pool[20 * n] % 0x7F,)) + pool[20 * n + 1 : 20 * n + 20]
        out.append(template[:4] + serial + template[24:])
    return out


def _crl(authority: Authority, entries: list[bytes], number: int, this_update: dt.datetime) -> bytes:
    key = authority.private_key
    assert isinstance(key, rsa.RSAPrivateKey)
    key_id = der.sequence(der.tlv(0x80, authority.key_identifier))
    extensions = [
        der.extension(der.object_identifier(oids.EXT_CRL_NUMBER), False, der.integer(number)),
        der.extension(der.object_identifier(oids.EXT_AUTHORITY_KEY_IDENTIFIER), False, key_id),
    ]
    return _sign_crl(authority, this_update, this_update + dt.timedelta(hours=27), entries, extensions)


def _write_material(pki: Pki, directory: Path, sizes: list[int]) -> dict[int, float]:
    """Keys, certificates, login CMS objects and per size two CRLs (numbers 1 and 2) under ``directory``.
    Returns the seconds taken to generate and sign each size's two CRLs."""
    pem = serialization.PrivateFormat.PKCS8
    none = serialization.NoEncryption()
    (directory / "nca.key").write_bytes(pki.nca_key.private_bytes(Encoding.PEM, pem, none))
    (directory / "root.der").write_bytes(pki.root.public_bytes(Encoding.DER))
    (directory / "nca.der").write_bytes(pki.nca.public_bytes(Encoding.DER))
    nonce = bytes(range(32))
    for n, (key, certificate) in enumerate(pki.leaves[:LOGINS]):
        (directory / f"login{n}.cms").write_bytes(sign_cms(nonce, key, certificate, signing_time=AT))
        (directory / f"leaf{n}.der").write_bytes(certificate.public_bytes(Encoding.DER))
    authority = Authority("nca", pki.nca, pki.nca_key, _URLS)
    root = Authority("root", pki.root, pki.root_key, _URLS)
    (directory / "root.crl").write_bytes(_crl(root, [], 1, AT - dt.timedelta(hours=1)))
    generation = {}
    for size in sizes:
        started = time.perf_counter()
        entries = _entries(size, size)
        for number, this_update in ((1, AT - dt.timedelta(hours=2)), (2, AT - dt.timedelta(hours=1))):
            (directory / f"crl{size}_{number}.der").write_bytes(_crl(authority, entries, number, this_update))
        generation[size] = time.perf_counter() - started
    return generation


# --- the child: one size, one run ---------------------------------------------------------------------


def _status(field: str) -> int:
    """A /proc/self/status figure in octets (VmRSS, VmHWM)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)


class _Feed:
    def __init__(self, crls: list[bytes]) -> None:
        self.crls = crls

    def __call__(self, certificate: object, issuer: object, at: dt.datetime) -> list[bytes]:
        return self.crls


def _measure(directory: Path, size: int) -> dict[str, float]:
    root_der, nca_der = (directory / "root.der").read_bytes(), (directory / "nca.der").read_bytes()
    root_crl = (directory / "root.crl").read_bytes()
    first, second = ((directory / f"crl{size}_{n}.der").read_bytes() for n in (1, 2))
    logins = [(directory / f"login{n}.cms").read_bytes() for n in range(LOGINS)]
    nca_key = serialization.load_pem_private_key((directory / "nca.key").read_bytes(), None)
    assert isinstance(nca_key, rsa.RSAPrivateKey)
    nca = x509.load_der_x509_certificate(nca_der)
    spki = nca.public_key().public_bytes(Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    result: dict[str, float] = {"crl_mb": len(first) / 1e6}

    # 1. indexing, as the verifier does it once per new CRL, in this thread
    gc.collect()
    baseline = _status("VmRSS")
    _reset_peak()
    started = time.process_time()
    header = read_crl_header(first)
    layout = read_layout(first)
    assert verify_signature(
        spki, layout.algorithm, first[layout.tbs_start : layout.tbs_end], layout.signature
    )
    index = CrlIndex.build(header, first, layout)
    result["index_cpu_s"] = time.process_time() - started
    result["index_peak_mb"] = (_status("VmHWM") - baseline) / 1e6
    gc.collect()
    result["index_steady_mb"] = (_status("VmRSS") - baseline) / 1e6
    result["index_array_mb"] = index.index_bytes / 1e6
    started = time.process_time()
    CrlIndex.build(header, first, layout)
    result["index_only_cpu_s"] = time.process_time() - started
    tbs = first[layout.tbs_start : layout.tbs_end]
    started = time.process_time()
    public_key = nca.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    public_key.verify(layout.signature, tbs, padding.PKCS1v15(), hashes.SHA256())
    result["raw_crl_signature_cpu_s"] = time.process_time() - started
    serials = [10**40 + n for n in range(2000)]
    started = time.process_time()
    for serial in serials:
        index.lookup(serial)
    result["lookup_miss_us"] = (time.process_time() - started) / len(serials) * 1e6
    del index, tbs
    gc.collect()

    # 2. a verifier: the first login with no earlier CRL, then logins with the CRL indexed
    feed = _Feed([root_crl])
    verifier = Verifier(_policy(root_der, nca_der), InProcessRevocationSource(crls=feed))
    verifier.verify_cms(logins[0], at=AT)  # warm-up: the CA's path validated and cached; no CA CRL yet
    feed.crls = [root_crl, first]
    started = time.perf_counter()
    verdict = verifier.verify_cms(logins[0], at=AT)
    result["first_login_no_previous_ms"] = (time.perf_counter() - started) * 1e3
    result["first_login_no_previous_refused"] = float(not verdict.passed)
    result["ready_no_previous_s"] = _until(lambda: verifier.verify_cms(logins[0], at=AT).passed, started)
    logins_cpu = _logins_cpu(verifier, logins)
    result["login_cpu_us"] = logins_cpu * 1e6
    result["raw_login_crypto_us"] = (
        _raw_login_cpu(logins, [(directory / f"leaf{n}.der").read_bytes() for n in range(LOGINS)], nca) * 1e6
    )

    # 3. a new CRL while the previous one is within its nextUpdate
    feed.crls = [root_crl, second]
    started = time.perf_counter()
    verdict = verifier.verify_cms(logins[1], at=AT)
    result["first_login_with_previous_ms"] = (time.perf_counter() - started) * 1e3
    result["first_login_with_previous_answered_by"] = float(verdict.signer.revocation.crl_number or 0)  # type: ignore[union-attr]
    during: list[float] = []

    def switched() -> bool:
        begun = time.perf_counter()
        verdict = verifier.verify_cms(logins[1], at=AT)
        during.append(time.perf_counter() - begun)
        return (
            verdict.signer is not None
            and verdict.signer.revocation is not None
            and (verdict.signer.revocation.crl_number == 2)
        )

    result["ready_with_previous_s"] = _until(switched, started)
    result["login_during_build_ms"] = statistics.median(during[:-1] or during) * 1e3
    gc.collect()
    result["verifier_steady_mb"] = (_status("VmRSS") - baseline) / 1e6
    return result


def _policy(root_der: bytes, nca_der: bytes) -> VerificationPolicy:
    return VerificationPolicy(
        trust_anchors=(root_der,),
        intermediates=(nca_der,),
        revocation_methods=RevocationMethods.CRL,
        ocsp_nonce=False,
    )


def _until(ready: Callable[[], bool], started: float) -> float:
    """Wall seconds from ``started`` until ``ready()`` holds (polled every 10 ms, at most 120 s)."""
    while not ready():
        if time.perf_counter() - started > 120:
            raise RuntimeError("the index was never ready")
        time.sleep(0.01)
    return time.perf_counter() - started


def _logins_cpu(verifier: Verifier, logins: list[bytes]) -> float:
    """CPU seconds per login, over 20 rounds of the login CMS objects (all must pass)."""
    count = 0
    started = time.process_time()
    for round_ in range(20):
        for n, cms in enumerate(logins):
            verdict = verifier.verify_cms(cms, at=AT + dt.timedelta(milliseconds=round_ * 100 + n))
            assert verdict.passed, verdict.to_json()
            count += 1
    return (time.process_time() - started) / count


def _raw_login_cpu(logins: list[bytes], leaves: list[bytes], nca: x509.Certificate) -> float:
    """CPU seconds of a login's two RSA-2048 verifications (CMS signer, leaf certificate), cryptography."""
    issuer_key = nca.public_key()
    assert isinstance(issuer_key, rsa.RSAPublicKey)
    parts = []
    for cms, leaf_der in zip(logins, leaves, strict=True):
        leaf = x509.load_der_x509_certificate(leaf_der)
        key = leaf.public_key()
        assert isinstance(key, rsa.RSAPublicKey)
        parts.append((key, *signer_signature(cms), leaf))
    started = time.process_time()
    for _ in range(50):
        for key, attributes, signature, leaf in parts:
            key.verify(signature, attributes, padding.PKCS1v15(), hashes.SHA256())
            issuer_key.verify(leaf.signature, leaf.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA256())
    return (time.process_time() - started) / (50 * len(parts))


# --- the report -----------------------------------------------------------------------------------


_ROWS = [
    ("crl_mb", "CRL DER size (MB)", "{:.1f}"),
    ("index_cpu_s", "indexing CPU: header + layout + signature + index (s)", "{:.3f}"),
    ("index_only_cpu_s", "  of which the serial index alone (s)", "{:.3f}"),
    ("raw_crl_signature_cpu_s", "  raw: cryptography RSA verify of the CRL signature (s)", "{:.3f}"),
    ("index_peak_mb", "peak RSS above baseline while indexing (MB)", "{:.1f}"),
    ("index_steady_mb", "steady RSS above baseline after indexing (MB)", "{:.1f}"),
    ("index_array_mb", "  the index array itself (MB)", "{:.1f}"),
    ("lookup_miss_us", "lookup of an unlisted serial, CPU (us)", "{:.1f}"),
    ("login_cpu_us", "login with this CRL in process, CPU (us)", "{:.0f}"),
    ("raw_login_crypto_us", "  raw: a login's 2 RSA-2048 verifications (us)", "{:.0f}"),
    ("first_login_no_previous_ms", "first login, no earlier CRL: wall (ms)", "{:.1f}"),
    ("first_login_no_previous_refused", "  refused 'being prepared' (1 = yes)", "{:.0f}"),
    ("ready_no_previous_s", "  until the index answers: wall (s)", "{:.2f}"),
    ("first_login_with_previous_ms", "first login after a new CRL, previous valid: wall (ms)", "{:.1f}"),
    ("first_login_with_previous_answered_by", "  answered by CRL number", "{:.0f}"),
    ("ready_with_previous_s", "  until the new index answers: wall (s)", "{:.2f}"),
    ("login_during_build_ms", "  median login while it is built (GIL shared): wall (ms)", "{:.1f}"),
    ("verifier_steady_mb", "verifier RSS above baseline, two indexes held (MB)", "{:.1f}"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated entry counts")
    parser.add_argument("--runs", type=int, default=3, help="fresh subprocesses per size (median printed)")
    parser.add_argument("--child", nargs=2, metavar=("DIR", "SIZE"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(_measure(Path(arguments.child[0]), int(arguments.child[1]))))
        return
    sizes = [int(s) for s in arguments.sizes.split(",")]
    load_before = os.getloadavg()
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-crl-") as name:
        directory = Path(name)
        print("building the PKI (RSA-2048) and the CRLs ...", flush=True)
        generation = _write_material(Pki(), directory, sizes)
        results: dict[int, list[dict[str, float]]] = {}
        for size in sizes:
            print(
                f"  {size:>9,} entries: two CRLs generated and signed in {generation[size]:.2f} s", flush=True
            )
            for _ in range(arguments.runs):
                child = subprocess.run(
                    [sys.executable, "-m", "bench.bench_crl_scale", "--child", name, str(size)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                results.setdefault(size, []).append(json.loads(child.stdout.splitlines()[-1]))
    load_after = os.getloadavg()
    print(f"\nmedian of {arguments.runs} run(s), each in a fresh process (CPU: time.process_time):")
    print(f"  {'':58}" + "".join(f"{size:>12,}" for size in sizes))
    for field, label, form in _ROWS:
        values = [form.format(statistics.median(r[field] for r in results[size])) for size in sizes]
        print(f"  {label:58}" + "".join(f"{v:>12}" for v in values))
    print(
        f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} (2 cores, shared)"
    )
    print(
        "targets (issue 16): 1M entries indexed in <= 2 s CPU, peak <= 150 MB, steady <= 100 MB;"
        " a login waits <= 50 ms"
    )


if __name__ == "__main__":
    main()
