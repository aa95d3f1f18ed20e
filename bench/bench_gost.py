"""GOST speed on one core: `python -m bench.bench_gost [--seconds S]`.

Prints, in one process:

1. GOST R 34.10-2015 (512-bit) verifications per second of a genuine NCA certificate
   (``individual_valid.cer`` under ``nca_gost2022_test.cer``), for the CA key verified over and over
   (it gets a cached fixed-base table after a few uses) and for a fresh key every time (no table: the
   first-sight cost of a leaf key); each with the TBS hashed and with the digest given (curve only).
2. The same for GOST 34.310-2004 (``ceo_valid_sign_2004_gost.cer`` under ``nca_gost2004_test.crt``).
3. Streebog-512 and GOST R 34.11-94 throughput.
4. gostcrypto's time for the same 512-bit verification (a few iterations only), and the ratio.

Wall-clock figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from asn1crypto import pem, x509
from gostcrypto import gostsignature

from pki import oids
from pki.gost import GostPrivateKey, GostPublicKey, digest, sign, verify, verify_digest

INTEROP = Path(__file__).resolve().parents[2] / "shared" / "interop" / "ncanode-gost-test"


def _cert(name: str) -> x509.Certificate:
    data = (INTEROP / name).read_bytes()
    return x509.Certificate.load(pem.unarmor(data)[2] if pem.detect(data) else data)


def _real(child: str, issuer: str) -> tuple[GostPublicKey, str, bytes, bytes]:
    c = _cert(child)
    key = GostPublicKey.from_spki_der(_cert(issuer)["tbs_certificate"]["subject_public_key_info"].dump())
    return (
        key,
        c["signature_algorithm"]["algorithm"].dotted,
        c["tbs_certificate"].dump(),
        c["signature_value"].native,
    )


def _rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``fn`` over about ``seconds`` (after one warm-up call)."""
    fn()
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        n += 1
    return n / elapsed


def _fresh_key_rate(key_oid: str, sig_oid: str, message: bytes, count: int) -> float:
    """Verifications per second of ``message`` when every key is new (so no key table helps)."""
    cases = []
    for _ in range(count):
        key = GostPrivateKey.generate(key_oid)
        cases.append((key.public_key(), sign(key, message)))
    start = time.perf_counter()
    for pub, sig in cases:
        verify(pub, sig_oid, message, sig)
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description="GOST speed on one core")
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement (default 2)")
    s = parser.parse_args().seconds

    print("GOST on one core (single process); wall-clock, not asserted\n")
    k512, a512, tbs512, sig512 = _real("individual_valid.cer", "nca_gost2022_test.cer")
    k04, a04, tbs04, sig04 = _real("ceo_valid_sign_2004_gost.cer", "nca_gost2004_test.crt")
    assert verify(k512, a512, tbs512, sig512) and verify(k04, a04, tbs04, sig04)
    h512 = digest(oids.KZ_STREEBOG_512, tbs512)
    h04 = digest(oids.KZ_GOST3411_94, tbs04)

    key512, key04 = oids.KZ_GOST2015_512_KEY, oids.KZ_GOST2004_KEY
    rows = [
        ("512: real cert, TBS hashed, CA key (cached)", _rate(lambda: verify(k512, a512, tbs512, sig512), s)),
        ("512: same size TBS hashed, fresh key each time", _fresh_key_rate(key512, a512, tbs512, 500)),
        ("512: digest given, CA key (cached)", _rate(lambda: verify_digest(k512, h512, sig512), s)),
        ("512: digest given, fresh key each time", _fresh_key_rate(key512, a512, b"", 500)),
        ("2004: real cert, TBS hashed, CA key (cached)", _rate(lambda: verify(k04, a04, tbs04, sig04), s)),
        ("2004: same size TBS hashed, fresh key each time", _fresh_key_rate(key04, a04, tbs04, 1000)),
        ("2004: digest given, CA key (cached)", _rate(lambda: verify_digest(k04, h04, sig04), s)),
        ("2004: digest given, fresh key each time", _fresh_key_rate(key04, a04, b"", 1000)),
    ]
    print(f"TBS sizes: {len(tbs512)} B (512), {len(tbs04)} B (2004)")
    for label, rate in rows:
        print(f"{label:<52} {rate:8.0f} verifications/s ({1000 / rate:5.2f} ms)")

    signer = GostPrivateKey.generate()
    rate = _rate(lambda: sign(signer, tbs512), s)
    print(f"{'512: sign, TBS hashed':<52} {rate:8.0f} signatures/s    ({1000 / rate:5.2f} ms)")

    block = bytes(range(256)) * 256  # 64 KiB
    for name, oid in (("Streebog-512", oids.KZ_STREEBOG_512), ("GOST R 34.11-94", oids.KZ_GOST3411_94)):
        rate = _rate(partial(digest, oid, block), s) * len(block) / 1024
        print(f"{name + ' throughput':<52} {rate:8.0f} KB/s")

    # gostcrypto (big-endian everywhere), the same 512-bit verification: a few iterations only.
    n, iterations = 64, 3
    params = gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"]
    other = gostsignature.new(gostsignature.MODE_512, params)
    pub_be = bytearray(k512.x.to_bytes(n, "big") + k512.y.to_bytes(n, "big"))
    sig_be = bytearray(sig512[:n][::-1] + sig512[n:][::-1])
    start = time.perf_counter()
    for _ in range(iterations):
        assert other.verify(pub_be, bytearray(h512[::-1]), sig_be)
    theirs = (time.perf_counter() - start) / iterations
    label = f"gostcrypto: 512, digest given ({iterations} iterations)"
    print(f"\n{label:<52} {1 / theirs:8.2f} verifications/s ({1000 * theirs:5.0f} ms)")
    cached, fresh = rows[2][1], rows[3][1]
    print(
        f"ratio pki.gost / gostcrypto: {theirs * fresh:.0f}x (fresh key), {theirs * cached:.0f}x (cached key)"
    )


if __name__ == "__main__":
    main()
