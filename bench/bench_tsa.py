"""RFC 3161 time stamps issued per second by the National CA's TSA: `python -m bench.bench_tsa [--count N]`.

One core, in process, RSA-2048: a hierarchy is created in a temporary SQLite database (``kzpki serve``'s
default) and its TSA answers DER TimeStampReqs (SHA-256 imprint, nonce, certReq) with
:meth:`ca_sim.timestamping.TimeStampAuthority.respond`: the request parsed and checked, a TSTInfo built,
signed as CMS with the ESS signingCertificateV2 attribute, recorded in the TSA's ledger (one SQLite
transaction) and the TimeStampResp encoded. Beside it, from the same run:

- raw: one RSA-2048 PKCS#1 v1.5 signature (SHA-256), the one private-key operation a token needs;
- the peer a Python user would pick: pyHanko's ``DummyTimeStamper`` (its in-process TSA for tests), given
  the same key and certificate, answering the same requests (``request_tsa_response``).

Every figure is the median of 3 runs (``--runs N`` or ``KZPKI_BENCH_RUNS``), each run printed with its
wall-clock and CPU seconds and the median line with the load average. Figures are printed, never asserted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from api.database import dispose, open_database
from bench.timing import count_and_runs, median_of, per_second
from ca_sim.hierarchy import load_or_create_hierarchy
from ca_sim.time_stamp_ledger import TimeStampLedger
from ca_sim.timestamping import TimeStampAuthority
from pki.keys import certificate_der

AT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
REQUESTS = 64  # distinct requests, cycled


def requests() -> list[bytes]:
    """REQUESTS DER TimeStampReqs: SHA-256 imprints of distinct documents, a nonce each, certReq."""
    return [
        tsp.TimeStampReq(
            {
                "version": "v1",
                "message_imprint": {
                    "hash_algorithm": {"algorithm": "sha256"},
                    "hashed_message": hashlib.sha256(f"document {n}".encode()).digest(),
                },
                "nonce": 1_000_003 * (n + 1),
                "cert_req": True,
            }
        ).dump()
        for n in range(REQUESTS)
    ]


def main() -> None:
    count, runs = count_and_runs(__doc__, "count", 1000, "time stamps")

    print("creating an RSA-2048 hierarchy and its TSA in a temporary SQLite database ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="kzpki-bench-") as folder:
        sm = open_database(f"sqlite:///{Path(folder) / 'kzpki.db'}")
        hierarchy = load_or_create_hierarchy(sm, b"bench passphrase", "http://127.0.0.1:8080", AT)
        tsa = TimeStampAuthority(hierarchy, TimeStampLedger(sm))
        signer = hierarchy.time_stamp_authority(AT)
        key = signer.private_key
        assert isinstance(key, rsa.RSAPrivateKey)
        ders = requests()
        parsed = [tsp.TimeStampReq.load(der) for der in ders]

        def ours(n: int) -> None:
            assert tsa.respond(ders[n % REQUESTS], AT).granted

        peer = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(certificate_der(signer.certificate)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
            ),
            fixed_dt=AT,
        )

        def pyhanko(n: int) -> None:
            assert peer.request_tsa_response(parsed[n % REQUESTS])["status"]["status"].native == "granted"

        def raw(n: int) -> None:
            key.sign(ders[n % REQUESTS], padding.PKCS1v15(), hashes.SHA256())

        labels = {
            "ours": "ours: TimeStampAuthority.respond (DER in, DER out)",
            "pyhanko": "pyHanko DummyTimeStamper.request_tsa_response",
            "raw": "raw: 1 RSA-2048 signature",
        }
        measurements: dict[str, tuple[Callable[[int], None], int]] = {
            "ours": (ours, count),
            "pyhanko": (pyhanko, max(20, count // 10)),
            "raw": (raw, count),
        }
        rates = {
            name: median_of(labels[name], "/s", partial(per_second, op, n), runs).median
            for name, (op, n) in measurements.items()
        }
        dispose(sm)
    print("\ntime stamps per second, one core (medians, wall clock; each run's CPU time above):")
    for name, rate in rates.items():
        line = f"  {labels[name]:52} {rate:8.1f} /s {1e6 / rate:8.0f} us   [{measurements[name][1]} each]"
        if name == "ours":
            line += f"   raw-crypto share {rate / rates['raw']:5.1%}"
        print(line)
    print(f"  ours: {rates['ours'] / rates['pyhanko']:.2f}x pyHanko's DummyTimeStamper")


if __name__ == "__main__":
    main()
