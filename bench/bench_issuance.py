"""Issuance end to end, in certificates per second on one core: `python -m bench.bench_issuance [-n N]`.

Each issuance is :meth:`ca_sim.issuance.Issuer.issue` exactly as the API calls it: the application
checks (EDS-14-1 completeness, IIN checksum and birth date/sex, CSR decoding and proof of possession, the
court-order list query, EDS-14 age), signing with the CA key, and one SQLite transaction writing the
register entry and the hash-chained audit record (file database, WAL, the pragmas of api.database).

Two runs: P-256 subject keys under a P-256 CA hierarchy, and RSA-2048 subject keys under an RSA-2048 CA
hierarchy, subject keys supplied by CSR (made beforehand: the applicant's cost, not the CA's). Beside each,
the raw cost of the CA's signature over a TBS of the same size, measured in the same run, and the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec, rsa

import ca_sim.fixtures  # noqa: F401  (all ca_sim tables registered before create_all)
from api.database import dispose, open_database
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.fixtures import make_csr
from ca_sim.hierarchy import load_or_create_hierarchy
from ca_sim.issuance import Application, Issuer
from ca_sim.profiles import CertificateKind
from pki import keys
from pki.iin import Sex, make_iin

AT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
PASSPHRASE = b"bench passphrase"
BIRTH = dt.date(1985, 4, 12)


def _applications(key_type: keys.KeyType, count: int) -> list[Application]:
    """``count`` applications with distinct CSRs (RSA keys are reused across CSRs: generating is slow)."""
    pool = [keys.generate_private_key(key_type) for _ in range(min(count, 64))]
    base = Application(
        kind=CertificateKind.INDIVIDUAL_AUTH,
        iin="",
        surname="ТЕСТОВ",
        name="ТЕСТ",
        patronymic="ТЕСТОВИЧ",
        birth_date=BIRTH,
        sex=Sex.MALE,
    )
    return [
        replace(base, iin=make_iin(BIRTH, Sex.MALE, i % 9000), csr=make_csr(pool[i % len(pool)]))
        for i in range(count)
    ]


def run(key_algorithm: str, key_type: keys.KeyType, count: int, directory: Path) -> dict[str, float]:
    """Issue ``count`` certificates; return certificates/s, raw signatures/s and their ratio."""
    sm = open_database(f"sqlite:///{directory / f'{key_algorithm}.db'}")
    hierarchy = load_or_create_hierarchy(
        sm, PASSPHRASE, "http://127.0.0.1:8080", AT - dt.timedelta(days=1), key_algorithm
    )
    audit = AuditLog(sm, derive_head_key(PASSPHRASE))
    issuer = Issuer(hierarchy, sm, audit)
    applications = _applications(key_type, count)
    issuer.issue(applications[0], AT)  # warm-up: caches, prepared statements, first transaction

    start = time.perf_counter()
    for application in applications:
        certificate = issuer.issue(application, AT).certificate
    issuance = time.perf_counter() - start

    ca_key = hierarchy.get("nca").private_key
    assert isinstance(ca_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    tbs = certificate.tbs_certificate_bytes
    start = time.perf_counter()
    for _ in range(count):
        keys.sign_bytes(ca_key, tbs)
    signing = time.perf_counter() - start
    dispose(sm)
    return {
        "certificates_per_second": count / issuance,
        "signatures_per_second": count / signing,
        "ratio": issuance / signing,
        "tbs_bytes": len(tbs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="certificates per run (default 2000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for label, key_algorithm, key_type in (
            ("P-256 subject keys, P-256 CA key", "ecdsa", keys.KeyType.P256),
            ("RSA-2048 subject keys, RSA-2048 CA key", "rsa", keys.KeyType.RSA2048),
        ):
            figures = run(key_algorithm, key_type, args.n, Path(tmp))
            print(
                f"{label}: {figures['certificates_per_second']:6.0f} certificates/s end to end | "
                f"raw CA signature over the {figures['tbs_bytes']:.0f}-byte TBS: "
                f"{figures['signatures_per_second']:6.0f}/s | end to end / raw: {figures['ratio']:.0f}x"
            )


if __name__ == "__main__":
    main()
