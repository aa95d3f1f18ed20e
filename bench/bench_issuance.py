"""Issuance end to end, in certificates per second on one core: `python -m bench.bench_issuance [-n N]`.

Each issuance is :meth:`ca_sim.issuance.Issuer.issue` exactly as the API calls it: the application
checks (EDS-14-1 completeness, IIN checksum and birth date/sex, CSR decoding and proof of possession, the
court-order list query, EDS-14 age), signing with the CA key, and one SQLite transaction writing the
register entry and the hash-chained audit record (file database, WAL, the pragmas of api.database).

Two variants: P-256 subject keys under a P-256 CA hierarchy, and RSA-2048 subject keys under an RSA-2048 CA
hierarchy, subject keys supplied by CSR (made beforehand: the applicant's cost, not the CA's). Beside each,
the raw cost of the CA's signature over a TBS of the same size and, as the peer, cryptography's
CertificateBuilder signing the same content (no checks, no register), measured in the same run, and the
ratios. Each figure is the median of 3 runs (``bench.timing``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa

import ca_sim.fixtures  # noqa: F401  (all ca_sim tables registered before create_all)
from api.database import dispose, open_database
from bench.timing import default_runs, median_of
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


def run(
    short: str, label: str, key_algorithm: str, key_type: keys.KeyType, count: int, directory: Path
) -> None:
    """Median of 3 runs of ``count`` issuances each (new applications every run), then of the raw CA
    signature over the same TBS ``count`` times; prints both and their ratio."""
    sm = open_database(f"sqlite:///{directory / f'{key_algorithm}.db'}")
    hierarchy = load_or_create_hierarchy(
        sm, PASSPHRASE, "http://127.0.0.1:8080", AT - dt.timedelta(days=1), key_algorithm
    )
    audit = AuditLog(sm, derive_head_key(PASSPHRASE))
    issuer = Issuer(hierarchy, sm, audit)
    runs = default_runs()
    applications = _applications(key_type, count * runs + 1)
    issued = [issuer.issue(applications.pop(), AT).certificate]  # warm-up: caches, prepared statements

    def issuance() -> float:
        batch = [applications.pop() for _ in range(count)]
        start = time.perf_counter()
        for application in batch:
            issued.append(issuer.issue(application, AT).certificate)
        return count / (time.perf_counter() - start)

    print(f"{label} ({count:,} certificates a run):")
    end_to_end = median_of(f"issuance {short} end to end", "certificates/s", issuance, runs)
    ca_key = hierarchy.get("nca").private_key
    assert isinstance(ca_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    tbs = issued[-1].tbs_certificate_bytes

    def signing() -> float:
        start = time.perf_counter()
        for _ in range(count):
            keys.sign_bytes(ca_key, tbs)
        return count / (time.perf_counter() - start)

    raw = median_of(f"issuance {short} raw CA signature ({len(tbs)}-byte TBS)", "signatures/s", signing, runs)
    template = issued[-1]

    def builder() -> float:
        start = time.perf_counter()
        for n in range(count):
            _rebuilt(template, ca_key, n + 1)
        return count / (time.perf_counter() - start)

    peer = median_of(f"issuance {short} cryptography CertificateBuilder", "certificates/s", builder, runs)
    dispose(sm)
    print(
        f"  end to end / raw signature (medians): {raw.median / end_to_end.median:.1f}x; "
        f"end to end / CertificateBuilder: {peer.median / end_to_end.median:.1f}x"
    )


def _rebuilt(
    template: x509.Certificate, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, serial: int
) -> x509.Certificate:
    """``template``'s content (names, key, validity, extensions) signed again through cryptography's
    CertificateBuilder with serial ``serial``: what a CA built on that library pays per certificate,
    without the application checks, the register or the audit."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(template.subject)
        .issuer_name(template.issuer)
        .public_key(template.public_key())
        .serial_number(serial)
        .not_valid_before(template.not_valid_before_utc)
        .not_valid_after(template.not_valid_after_utc)
    )
    for extension in template.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    return builder.sign(key, hashes.SHA256())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="certificates per run (default 2000)")
    args = parser.parse_args(argv)
    # The simulated CA names exceed X.520's upper bounds: cryptography warns once per name, harmlessly.
    warnings.filterwarnings("ignore", "Attribute's length must be", UserWarning)
    with tempfile.TemporaryDirectory() as tmp:
        for short, label, key_algorithm, key_type in (
            ("P-256", "P-256 subject keys, P-256 CA key", "ecdsa", keys.KeyType.P256),
            ("RSA-2048", "RSA-2048 subject keys, RSA-2048 CA key", "rsa", keys.KeyType.RSA2048),
        ):
            run(short, label, key_algorithm, key_type, args.n, Path(tmp))


if __name__ == "__main__":
    main()
