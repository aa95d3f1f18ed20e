"""CRLs and OCSP at scale, on one core: `python -m bench.bench_revocation [--entries N] [--delta M]`.

1. A full CRL of N (default 1,000,000) entries built and signed by an RSA-2048 CA, through the real path
   (``ca_sim.crl.issue_crl``: the registry's SQLite query for the pre-encoded entries, the DER assembly,
   the signature, the record of the CRL), then checked with ``cryptography`` and ``openssl crl``. The
   entries are bulk-loaded into the registry's table beforehand (a real registry got them one revocation
   at a time). Beside it: ``cryptography``'s CertificateRevocationListBuilder on a sample, extrapolated,
   to show why the CRL is assembled by hand.
2. A delta CRL after M (default 1,000) new revocations made through ``RevocationRegistry.revoke``.
3. OCSP responses per second: from the pre-signed cache (no nonce), and signed live (with a nonce).

Each figure comes with the raw cost of the signature it contains (same key, same size of signed data),
measured in the same run, and the ratio. Never asserts on time: it prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ReasonFlags
from cryptography.x509 import ocsp as x509_ocsp
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

import ca_sim.fixtures  # noqa: F401  (all ca_sim tables registered before create_all)
from api.database import dispose, open_database
from ca_sim import crl as crl_module
from ca_sim import profiles
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.certificates import new_serial
from ca_sim.certstore import CertificateRecord, record_certificate, serial_to_hex
from ca_sim.crl_entry import encode_crl_entry
from ca_sim.crl_ledger import CrlKind
from ca_sim.grounds import Ground
from ca_sim.hierarchy import Authority, Hierarchy, load_or_create_hierarchy
from ca_sim.ocsp import OcspResponder
from ca_sim.registry import RevocationRegistry
from ca_sim.revocation_periods import Revocation
from ca_sim.signing import signer_for
from pki import keys

AT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
PASSPHRASE = b"bench passphrase"
_REASONS = [
    ReasonFlags.superseded,
    ReasonFlags.affiliation_changed,
    ReasonFlags.key_compromise,
    ReasonFlags.cessation_of_operation,
    ReasonFlags.certificate_hold,
]


def _best_of(runs: int, operation: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``operation``, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        operation()
        best = min(best, time.perf_counter() - start)
    return best


def _load_entries(sm: sessionmaker[Session], count: int) -> None:
    """Bulk-insert ``count`` revocations of random 20-byte serials into the live register (setup)."""
    rng = random.Random(1)
    batch = []
    # over the last three years, in the order they happened (a registry appends revocations as they come)
    times = sorted(AT - dt.timedelta(seconds=rng.randrange(3 * 365 * 86400)) for _ in range(count))
    with sm.begin() as session:
        for n, revoked in enumerate(times):
            serial = new_serial()
            reason = _REASONS[n % len(_REASONS)]
            batch.append(
                {
                    "ca_id": "nca",
                    "serial": serial_to_hex(serial),
                    "ground": Ground.NAME_CHANGE.value,
                    "reason": reason.value,
                    "revocation_time": revoked,
                    "invalidity_date": None,
                    "requested_by": "bench",
                    "document_ref": "bench",
                    "effective_from": revoked,
                    "started_version": 1,
                    "entry_der": encode_crl_entry(serial, revoked, reason, None),
                }
            )
            if len(batch) == 50_000:
                session.execute(insert(Revocation), batch)
                batch = []
        if batch:
            session.execute(insert(Revocation), batch)


def _raw_sign_seconds(authority: Authority, size: int) -> float:
    signer = signer_for(authority.private_key)
    data = os.urandom(size)
    return _best_of(3, lambda: signer.sign(data))


def bench_full(authority: Authority, registry: RevocationRegistry, entries: int, directory: Path) -> bytes:
    issued: list[crl_module.IssuedCrl] = []

    def build() -> None:
        issued.append(crl_module.issue_crl(authority, registry, CrlKind.FULL, AT))

    seconds = _best_of(2, build)
    der = issued[-1].der
    registry.crls.record_crl(issued[-1].record, der)
    raw = _raw_sign_seconds(authority, len(der))
    crl = x509.load_der_x509_crl(der)
    public_key = authority.certificate.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
    ok = crl.is_signature_valid(public_key) and len(crl) == entries
    path = directory / "full.crl"
    path.write_bytes(der)
    issuer = directory / "nca.pem"
    issuer.write_bytes(authority.certificate.public_bytes(Encoding.PEM))
    openssl = subprocess.run(
        ["openssl", "crl", "-inform", "DER", "-in", path, "-CAfile", issuer, "-noout"],
        capture_output=True,
        text=True,
    )
    size = len(der) / 1e6
    print(
        f"full CRL: {entries:,} entries, {size:.1f} MB, built and signed in {seconds:.2f} s (target <= 5 s)"
    )
    print(f"  raw signature over the same {size:.1f} MB: {raw * 1000:.1f} ms; ratio {seconds / raw:.1f}x")
    print(
        f"  cryptography: signature valid, {entries:,} entries: {ok}; openssl crl: {openssl.stderr.strip()}"
    )
    return der


def bench_builder_sample(authority: Authority, sample: int, entries: int) -> None:
    """cryptography's CRL builder on ``sample`` entries, extrapolated linearly to ``entries``."""
    revoked = [
        x509.RevokedCertificateBuilder()
        .serial_number(new_serial())
        .revocation_date(AT)
        .add_extension(x509.CRLReason(ReasonFlags.superseded), critical=False)
        .build()
        for _ in range(sample)
    ]

    def build() -> None:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(authority.certificate.subject)
            .last_update(AT)
            .next_update(AT + dt.timedelta(hours=27))
        )
        for entry in revoked:
            builder = builder.add_revoked_certificate(entry)
        assert isinstance(authority.private_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
        builder.sign(authority.private_key, hashes.SHA256())

    seconds = _best_of(2, build)
    print(
        f"  for comparison, cryptography's CertificateRevocationListBuilder: {sample:,} entries in "
        f"{seconds:.2f} s (entries prebuilt), at least {seconds * entries / sample:.1f} s for {entries:,}"
    )


def bench_delta(
    authority: Authority, registry: RevocationRegistry, sm: sessionmaker[Session], count: int
) -> None:
    serials = [new_serial() for _ in range(count)]
    with sm.begin() as session:
        session.execute(
            insert(CertificateRecord),
            [
                {
                    "ca_id": "nca",
                    "serial": serial_to_hex(s),
                    "iin": None,
                    "kind": "individual_auth",
                    "subject_cn": "bench",
                    "not_before": AT,
                    "not_after": AT + dt.timedelta(days=365),
                    "issued_at": AT,
                    "der": b"",
                }
                for s in serials
            ],
        )
    start = time.perf_counter()
    for n, serial in enumerate(serials):
        at = AT + dt.timedelta(seconds=n + 1)
        registry.revoke("nca", serial, Ground.KEY_COMPROMISE, at, "bench", "doc")
    revoke_seconds = time.perf_counter() - start
    at = AT + dt.timedelta(hours=1)
    issued: list[crl_module.IssuedCrl] = []
    seconds = _best_of(5, lambda: issued.append(crl_module.issue_crl(authority, registry, CrlKind.DELTA, at)))
    delta = x509.load_der_x509_crl(issued[-1].der)
    raw = _raw_sign_seconds(authority, len(issued[-1].der))
    print(f"revocations through the registry (audited, a transaction each): {count / revoke_seconds:,.0f}/s")
    print(
        f"delta CRL after {count:,} new revocations: {len(delta):,} entries, "
        f"{len(issued[-1].der) / 1e3:.0f} kB, {seconds * 1000:.1f} ms (target <= 50 ms)"
    )
    print(f"  raw signature: {raw * 1000:.2f} ms; ratio {seconds / raw:.1f}x")


def bench_ocsp(
    hierarchy: Hierarchy, registry: RevocationRegistry, sm: sessionmaker[Session], seconds: float
) -> None:
    nca = hierarchy.get("nca")
    minter = hierarchy.minter("nca")
    key = keys.generate_private_key(keys.KeyType.P256)
    leaves = []
    with sm.begin() as session:
        for _ in range(200):
            leaf = minter.mint(
                profiles.INDIVIDUAL_AUTH,
                x509.Name.from_rfc4514_string("CN=bench"),
                key.public_key(),
                AT,
                AT + dt.timedelta(days=365),
            )
            record_certificate(session, "nca", leaf, "individual_auth", AT)
            leaves.append(leaf)
    responder = OcspResponder(hierarchy, registry)
    plain = [
        x509_ocsp.OCSPRequestBuilder()
        .add_certificate(leaf, nca.certificate, hashes.SHA1())
        .build()
        .public_bytes(Encoding.DER)
        for leaf in leaves
    ]
    at = AT + dt.timedelta(hours=2)
    for request in plain:  # fill the cache
        responder.respond(request, at)

    def rate(requests: list[bytes]) -> float:
        done = 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            for request in requests:
                responder.respond(request, at)
            done += len(requests)
        return done / (time.perf_counter() - start)

    cached = rate(plain)
    with_nonce = [
        x509_ocsp.OCSPRequestBuilder()
        .add_certificate(leaf, nca.certificate, hashes.SHA1())
        .add_extension(x509.OCSPNonce(os.urandom(16)), critical=False)
        .build()
        .public_bytes(Encoding.DER)
        for leaf in leaves
    ]
    live = rate(with_nonce)
    responder_key = hierarchy.ocsp_responder("nca").private_key
    signer = signer_for(responder_key)
    raw = 1 / _best_of(3, lambda: [signer.sign(os.urandom(300)) for _ in range(200)]) * 200
    print(f"OCSP from the pre-signed cache: {cached:,.0f} responses/s per core (target >= 3,000)")
    print(f"OCSP signed live (nonce): {live:,.0f} responses/s per core")
    print(
        f"  raw responder signatures (RSA-2048): {raw:,.0f}/s; "
        f"live/raw {live / raw:.2f}, cache/raw {cached / raw:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="entries in the full CRL")
    parser.add_argument("--delta", type=int, default=1_000, help="new revocations before the delta CRL")
    parser.add_argument("--ocsp-seconds", type=float, default=2.0, help="duration of each OCSP run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kzpki-bench-") as name:
        directory = Path(name)
        sm = open_database(f"sqlite:///{directory / 'bench.db'}")
        created = AT - dt.timedelta(days=1)
        hierarchy = load_or_create_hierarchy(sm, PASSPHRASE, "http://127.0.0.1:8080", created)
        registry = RevocationRegistry(sm, AuditLog(sm, derive_head_key(PASSPHRASE)))
        nca = hierarchy.get("nca")
        start = time.perf_counter()
        _load_entries(sm, args.entries)
        print(f"(setup: {args.entries:,} revocations bulk-loaded in {time.perf_counter() - start:.1f} s)")
        bench_full(nca, registry, args.entries, directory)
        bench_builder_sample(nca, min(args.entries, 50_000), args.entries)
        bench_delta(nca, registry, sm, args.delta)
        bench_ocsp(hierarchy, registry, sm, args.ocsp_seconds)
        dispose(sm)


if __name__ == "__main__":
    main()
