"""CRLs and OCSP at scale on one core, as curves over the registry's size: `python -m bench.bench_revocation
[--sizes 10000,100000,1000000] [--delta M] [--ocsp-seconds S] [--lookups L]`.

For each size N (ascending: the registry grows from one to the next), the registry of an RSA-2048 CA holds
N revoked certificates and N good ones (2N registered; bulk-loaded by ``bench.registry_data``, a real
registry got them one at a time), and at that size:

1. A full CRL of N entries built and signed through the real path (``ca_sim.crl.issue_crl``: the CRL
   number and the registry's query for the pre-encoded entries in one transaction, the DER assembly, the
   signature), checked with ``cryptography`` and ``openssl crl``. Beside it, measured in the same run: the
   raw signature over the same size of data, and the peer: ``cryptography``'s
   CertificateRevocationListBuilder on min(N, 20,000) prebuilt entries, extrapolated linearly to N.
2. A delta CRL after M (default 1,000) new revocations made through ``RevocationRegistry.revoke`` (each
   audited, a transaction each), on the full CRL of step 1; beside it the raw signature.
3. OCSP (``ca_sim.ocsp.OcspResponder``), one request for one certificate at a time: status lookups alone
   (``RevocationRegistry.status_and_version``, L distinct serials a run), answers from the pre-signed cache
   (no nonce), answers signed live (nonce, distinct serials, half of them revoked); beside them the raw
   responder signature over a tbsResponseData of the same size and the peer: ``cryptography``'s
   OCSPResponseBuilder building and signing one response.
4. CRL downloads: the full and the delta CRL served by ``ca_sim.crl.CrlPublisher.current`` (what a
   ``GET /crl/...`` does beyond Flask: the ledger's record of what was published, the due check, the DER
   from memory), beside reading the same published file from disk, the least a static file server does.

Every figure is the median of 3 runs (``bench.timing.median_of``: each run and the load average printed);
the ratios are of medians. Wall-clock figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import ocsp as asn1_ocsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ReasonFlags
from cryptography.x509 import ocsp as x509_ocsp

import ca_sim.fixtures  # noqa: F401  (all ca_sim tables registered before create_all)
from api.database import dispose, open_database
from bench.registry_data import fill
from bench.timing import figure, median_of
from ca_sim import crl as crl_module
from ca_sim import profiles
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.certificates import new_serial
from ca_sim.crl_ledger import CrlKind
from ca_sim.grounds import Ground
from ca_sim.hierarchy import Authority, Hierarchy, load_or_create_hierarchy
from ca_sim.ocsp import OcspResponder
from ca_sim.registry import RevocationRegistry
from ca_sim.signing import signer_for
from pki import keys

AT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
PASSPHRASE = b"bench passphrase"
PEER_SAMPLE = 20_000


@dataclass
class Row:
    """The medians of one size, for the closing table."""

    size: int
    full_seconds: float = 0.0
    full_raw: float = 0.0
    full_peer: float = 0.0
    delta_ms: float = 0.0
    delta_raw_ms: float = 0.0
    lookups: float = 0.0
    cached: float = 0.0
    live: float = 0.0
    raw_signatures: float = 0.0
    peer_responses: float = 0.0
    served_full: float = 0.0
    served_delta: float = 0.0
    file_full: float = 0.0
    file_delta: float = 0.0


def _seconds(operation: object) -> float:
    """Wall-clock seconds of one call of ``operation`` (a zero-argument callable)."""
    assert callable(operation)
    start = time.perf_counter()
    operation()
    return time.perf_counter() - start


def _raw_sign_seconds(authority: Authority, size: int) -> float:
    """Seconds of one signature by the CA key over ``size`` random bytes (hashing included)."""
    signer = signer_for(authority.private_key)
    data = os.urandom(size)
    return _seconds(lambda: signer.sign(data))


def bench_full(
    authority: Authority, registry: RevocationRegistry, row: Row, at: dt.datetime, directory: Path
) -> None:
    """Step 1 at ``row.size`` entries; records the last CRL built (the delta's base)."""
    n = row.size
    built: list[crl_module.IssuedCrl] = []

    def build() -> float:
        return _seconds(lambda: built.append(crl_module.issue_crl(authority, registry, CrlKind.FULL, at)))

    full = median_of(f"revocation {n:,}: full CRL built and signed", "s", build)
    der = built[-1].der
    registry.crls.record_crl(built[-1].record, der)
    raw = median_of(
        f"revocation {n:,}: raw signature over {len(der) / 1e6:.1f} MB",
        "s",
        lambda: _raw_sign_seconds(authority, len(der)),
    )
    peer = median_of(
        f"revocation {n:,}: cryptography CRL builder, {min(n, PEER_SAMPLE):,} entries extrapolated to {n:,}",
        "s",
        lambda: _builder_seconds(authority, min(n, PEER_SAMPLE), at) * n / min(n, PEER_SAMPLE),
    )
    row.full_seconds, row.full_raw, row.full_peer = full.median, raw.median, peer.median
    crl = x509.load_der_x509_crl(der)
    public_key = authority.certificate.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
    ok = crl.is_signature_valid(public_key) and len(crl) == n
    path, issuer = directory / "full.crl", directory / "nca.pem"
    path.write_bytes(der)
    issuer.write_bytes(authority.certificate.public_bytes(Encoding.PEM))
    openssl = subprocess.run(
        ["openssl", "crl", "-inform", "DER", "-in", path, "-CAfile", issuer, "-noout"],
        capture_output=True,
        text=True,
    )
    print(
        f"  full CRL of {n:,} entries, {len(der) / 1e6:.1f} MB: {full.median:.2f} s (target <= 5 s at "
        f"1,000,000); {full.median / raw.median:.1f}x the raw signature; the peer "
        f"{peer.median / full.median:.1f}x slower\n"
        f"  cryptography: signature valid, {n:,} entries: {ok}; openssl crl: {openssl.stderr.strip()}"
    )


def _builder_seconds(authority: Authority, sample: int, at: dt.datetime) -> float:
    """Seconds cryptography's CertificateRevocationListBuilder takes for ``sample`` prebuilt entries."""
    revoked = [
        x509.RevokedCertificateBuilder()
        .serial_number(new_serial())
        .revocation_date(at - dt.timedelta(days=1))
        .add_extension(x509.CRLReason(ReasonFlags.superseded), critical=False)
        .build()
        for _ in range(sample)
    ]
    key = authority.private_key
    assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)

    def build() -> None:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(authority.certificate.subject)
            .last_update(at)
            .next_update(at + dt.timedelta(hours=27))
        )
        for entry in revoked:
            builder = builder.add_revoked_certificate(entry)
        builder.sign(key, hashes.SHA256())

    return _seconds(build)


def bench_delta(
    authority: Authority, registry: RevocationRegistry, row: Row, serials: list[int], at: dt.datetime
) -> None:
    """Step 2: revoke ``serials`` one by one after ``at``, then the delta CRL an hour after ``at``."""
    start = time.perf_counter()
    for n, serial in enumerate(serials):
        registry.revoke(
            "nca", serial, Ground.KEY_COMPROMISE, at + dt.timedelta(seconds=n + 1), "bench", "doc"
        )
    revoke_rate = len(serials) / (time.perf_counter() - start)
    later = at + dt.timedelta(hours=1)
    built: list[crl_module.IssuedCrl] = []

    def build() -> float:
        return 1000 * _seconds(
            lambda: built.append(crl_module.issue_crl(authority, registry, CrlKind.DELTA, later))
        )

    delta = median_of(f"revocation {row.size:,}: delta CRL after {len(serials):,} revocations", "ms", build)
    der = built[-1].der
    raw = median_of(
        f"revocation {row.size:,}: raw signature over {len(der) / 1e3:.0f} kB",
        "ms",
        lambda: 1000 * _raw_sign_seconds(authority, len(der)),
    )
    row.delta_ms, row.delta_raw_ms = delta.median, raw.median
    print(
        f"  revocations through the registry (audited, a transaction each): {revoke_rate:,.0f}/s\n"
        f"  delta CRL: {len(x509.load_der_x509_crl(der)):,} entries, {len(der) / 1e3:.0f} kB, "
        f"{delta.median:.1f} ms (target <= 50 ms); {delta.median / raw.median:.1f}x the raw signature"
    )


@dataclass(frozen=True)
class OcspSetup:
    """What the OCSP step needs from the hierarchy, made once: CertID hashes, a real leaf, the responder."""

    name_hash: bytes
    key_hash: bytes
    leaf: x509.Certificate
    nca: x509.Certificate


def ocsp_setup(hierarchy: Hierarchy, at: dt.datetime) -> OcspSetup:
    nca = hierarchy.get("nca").certificate
    key = keys.generate_private_key(keys.KeyType.P256)
    leaf = hierarchy.minter("nca").mint(
        profiles.INDIVIDUAL_AUTH,
        x509.Name.from_rfc4514_string("CN=bench"),
        key.public_key(),
        at,
        at + dt.timedelta(days=365),
    )
    request = x509_ocsp.OCSPRequestBuilder().add_certificate(leaf, nca, hashes.SHA1()).build()
    return OcspSetup(request.issuer_name_hash, request.issuer_key_hash, leaf, nca)


def _request(setup: OcspSetup, serial: int, nonce: bool) -> bytes:
    builder = x509_ocsp.OCSPRequestBuilder().add_certificate_by_hash(
        setup.name_hash, setup.key_hash, serial, hashes.SHA1()
    )
    if nonce:
        builder = builder.add_extension(x509.OCSPNonce(os.urandom(16)), critical=False)
    return builder.build().public_bytes(Encoding.DER)


def bench_ocsp(
    hierarchy: Hierarchy,
    registry: RevocationRegistry,
    setup: OcspSetup,
    row: Row,
    serials: list[int],
    at: dt.datetime,
    seconds: float,
    lookups: int,
) -> None:
    """Step 3 over ``serials`` (registered, good and revoked interleaved), at ``at``."""
    n = row.size
    responder = OcspResponder(hierarchy, registry)
    cursor = [0]

    def take(count: int) -> list[int]:
        chosen = [serials[(cursor[0] + i) % len(serials)] for i in range(count)]
        cursor[0] += count
        return chosen

    def lookup_rate() -> float:
        chosen = take(lookups)
        start = time.perf_counter()
        for serial in chosen:
            registry.status_and_version("nca", serial, at)
        return len(chosen) / (time.perf_counter() - start)

    def rate(requests: list[bytes]) -> float:
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            for request in requests:
                responder.respond(request, at)
            done += len(requests)
        return done / (time.perf_counter() - start)

    plain = [_request(setup, serial, nonce=False) for serial in take(1000)]
    for request in plain:  # fill the cache
        responder.respond(request, at)

    def live_rate() -> float:
        requests = [_request(setup, serial, nonce=True) for serial in take(max(1000, int(3000 * seconds)))]
        done, start = 0, time.perf_counter()
        for request in requests:
            responder.respond(request, at)
            done += 1
            if time.perf_counter() - start >= seconds:
                break
        return done / (time.perf_counter() - start)

    looked = median_of(f"revocation {n:,}: OCSP status lookups alone", "lookups/s", lookup_rate)
    cached = median_of(
        f"revocation {n:,}: OCSP from the pre-signed cache", "responses/s", lambda: rate(plain)
    )
    live = median_of(f"revocation {n:,}: OCSP signed live (nonce)", "responses/s", live_rate)
    sample = responder.respond(_request(setup, serials[0], nonce=True), at)
    basic = asn1_ocsp.OCSPResponse.load(sample)["response_bytes"]["response"].parsed
    tbs_size = len(basic["tbs_response_data"].dump())
    responder_key = hierarchy.ocsp_responder("nca").private_key
    signer = signer_for(responder_key)

    def raw_rate() -> float:
        data = os.urandom(tbs_size)
        start = time.perf_counter()
        for _ in range(200):
            signer.sign(data)
        return 200 / (time.perf_counter() - start)

    raw = median_of(
        f"revocation {n:,}: raw responder signature ({tbs_size}-byte tbsResponseData)",
        "signatures/s",
        raw_rate,
    )
    peer = median_of(
        f"revocation {n:,}: cryptography OCSPResponseBuilder",
        "responses/s",
        lambda: _peer_rate(hierarchy, setup, at, 200),
    )
    row.lookups, row.cached, row.live = looked.median, cached.median, live.median
    row.raw_signatures, row.peer_responses = raw.median, peer.median
    print(
        f"  OCSP at {2 * n:,} registered certificates: cache {cached.median:,.0f}/s (target >= 3,000), live "
        f"{live.median:,.0f}/s = {live.median / raw.median:.2f} of the raw signature rate, "
        f"{live.median / peer.median:.2f} of cryptography's builder; lookups {looked.median:,.0f}/s"
    )


def _peer_rate(hierarchy: Hierarchy, setup: OcspSetup, at: dt.datetime, count: int) -> float:
    """Responses per second cryptography's OCSPResponseBuilder builds and signs (good, one certificate)."""
    responder = hierarchy.ocsp_responder("nca")
    key = responder.private_key
    assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    start = time.perf_counter()
    for _ in range(count):
        (
            x509_ocsp.OCSPResponseBuilder()
            .add_response(
                setup.leaf,
                setup.nca,
                hashes.SHA1(),
                x509_ocsp.OCSPCertStatus.GOOD,
                at,
                at + dt.timedelta(hours=1),
                None,
                None,
            )
            .responder_id(x509_ocsp.OCSPResponderEncoding.HASH, responder.certificate)
            .certificates([responder.certificate])
            .add_extension(x509.OCSPNonce(os.urandom(16)), critical=False)
            .sign(key, hashes.SHA256())
        )
    return count / (time.perf_counter() - start)


def _per_second(call: object, seconds: float) -> float:
    """Calls of ``call`` (a zero-argument callable) per second, repeated for ``seconds``."""
    assert callable(call)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(50):
            call()
        done += 50
    return done / (time.perf_counter() - start)


def bench_serving(
    hierarchy: Hierarchy,
    registry: RevocationRegistry,
    row: Row,
    at: dt.datetime,
    directory: Path,
    seconds: float,
) -> None:
    """Step 4: the CRLs of a publication at ``at``, served at ``at`` (nothing due meanwhile)."""
    n = row.size
    publisher = crl_module.CrlPublisher(hierarchy.authorities, registry, directory / "crl")
    publisher.publish(at, ["nca"])
    rates: dict[CrlKind, tuple[float, float]] = {}
    for kind in (CrlKind.FULL, CrlKind.DELTA):
        path = directory / "crl" / crl_module.crl_file_name(hierarchy.get("nca"), kind)

        def serve(kind: CrlKind = kind) -> float:
            return _per_second(lambda: publisher.current("nca", kind, at), seconds)

        def read(path: Path = path) -> float:
            return _per_second(path.read_bytes, seconds)

        served = median_of(
            f"revocation {n:,}: {kind.value} CRL served (CrlPublisher.current)", "downloads/s", serve
        )
        size = f"{path.stat().st_size / 1e3:,.1f} kB"
        floor = median_of(f"revocation {n:,}: the same {size} file read from disk", "reads/s", read)
        rates[kind] = (served.median, floor.median)
    row.served_full, row.file_full = rates[CrlKind.FULL]
    row.served_delta, row.file_delta = rates[CrlKind.DELTA]
    print(
        f"  CRL downloads: full {row.served_full:,.0f}/s ({row.served_full / row.file_full:.2f}x reading its "
        f"file), delta {row.served_delta:,.0f}/s ({row.served_delta / row.file_delta:.2f}x reading its file)"
    )


def _table(rows: list[Row]) -> None:
    print("\nsummary (medians of 3; ratios of medians):")
    print(
        f"{'revoked':>10} {'full CRL s':>10} {'/raw':>6} {'peer/us':>8} {'delta ms':>9} {'/raw':>6} "
        f"{'lookups/s':>10} {'cache/s':>8} {'live/s':>7} {'live/raw':>8} {'live/peer':>9} "
        f"{'crl/s':>7} {'delta/s':>8}"
    )
    for r in rows:
        print(
            f"{r.size:>10,} {figure(r.full_seconds):>10} {r.full_seconds / r.full_raw:>6.1f} "
            f"{r.full_peer / r.full_seconds:>8.1f} {figure(r.delta_ms):>9} "
            f"{r.delta_ms / r.delta_raw_ms:>6.1f} "
            f"{r.lookups:>10,.0f} {r.cached:>8,.0f} {r.live:>7,.0f} {r.live / r.raw_signatures:>8.2f} "
            f"{r.live / r.peer_responses:>9.2f} {r.served_full:>7,.0f} {r.served_delta:>8,.0f}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="revoked entries per step, ascending")
    parser.add_argument("--delta", type=int, default=1_000, help="new revocations before each delta CRL")
    parser.add_argument("--ocsp-seconds", type=float, default=1.0, help="duration of each OCSP run")
    parser.add_argument("--lookups", type=int, default=20_000, help="status lookups per run")
    args = parser.parse_args(argv)
    sizes = sorted(int(size.replace("_", "")) for size in args.sizes.split(","))
    # The simulated CA names exceed X.520's upper bounds: cryptography warns once per name, harmlessly.
    warnings.filterwarnings("ignore", "Attribute's length must be", UserWarning)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kzpki-bench-") as name:
        directory = Path(name)
        sm = open_database(f"sqlite:///{directory / 'bench.db'}")
        hierarchy = load_or_create_hierarchy(
            sm, PASSPHRASE, "http://127.0.0.1:8080", AT - dt.timedelta(days=1)
        )
        registry = RevocationRegistry(sm, AuditLog(sm, derive_head_key(PASSPHRASE)))
        nca = hierarchy.get("nca")
        setup = ocsp_setup(hierarchy, AT)
        registered: list[int] = []
        loaded = 0
        for step, size in enumerate(sizes):
            at = AT + dt.timedelta(days=step)
            start = time.perf_counter()
            filled = fill(sm, "nca", size - loaded + args.delta, size - loaded, at, seed=step)
            print(
                f"\n== {size:,} revoked entries, {2 * size:,} certificates registered (setup: "
                f"{2 * (size - loaded) + args.delta:,} certificates and {size - loaded:,} revocations "
                f"bulk-inserted in {time.perf_counter() - start:.1f} s)",
                flush=True,
            )
            loaded = size
            for good, revoked in zip(filled.good, filled.revoked, strict=False):
                registered += [good, revoked]
            row = Row(size)
            bench_full(nca, registry, row, at, directory)
            bench_delta(nca, registry, row, filled.good[-args.delta :], at)
            bench_ocsp(
                hierarchy,
                registry,
                setup,
                row,
                registered,
                at + dt.timedelta(hours=2),
                args.ocsp_seconds,
                args.lookups,
            )
            bench_serving(hierarchy, registry, row, at + dt.timedelta(hours=3), directory, args.ocsp_seconds)
            rows.append(row)
        dispose(sm)
    _table(rows)


if __name__ == "__main__":
    main()
