"""JWT signatures checked per second (NCANode's /jwt/decode, signature part): `python -m bench.bench_jwt`.

One core, in process: :func:`pki.json_web_tokens.decode` on RS256 tokens (RSA-2048) and GG2015 tokens
(GOST R 34.10-2015, 512-bit), beside, from the same run:

- the peer a Python user would pick for RS256: PyJWT's ``jwt.decode`` with the same key (signature and its
  own claim checks);
- raw: the one public-key verification a token needs (RSA-2048 PKCS#1 v1.5 with SHA-256 by ``cryptography``;
  the GOST one by :func:`pki.gost.verify`) over the same signing input.

The endpoint adds the certificate's own validation to this (chain, revocation: see bench_verify). Every
figure is the median of 3 runs (``--runs N`` or ``KZPKI_BENCH_RUNS``), each run printed with its wall-clock
and CPU seconds and the median line with the load average. Figures are printed, never asserted.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import partial

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from bench.timing import count_and_runs, median_of, per_second
from pki import gost
from pki import json_web_tokens as tokens

TOKENS = 32  # distinct tokens per algorithm, cycled


def _signature(token: str) -> tuple[bytes, bytes]:
    """(signing input, signature) of a compact JWS."""
    signing_input, signature = token.rsplit(".", 1)
    return signing_input.encode(), base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))


def main() -> None:
    count, runs = count_and_runs(__doc__, "count", 2000, "tokens")
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    gost_key = gost.GostPrivateKey.generate()
    claims = [{"cbin": "012345678909", "mcheck": "DS", "n": n} for n in range(TOKENS)]
    rs256 = [tokens.encode(c, rsa_key, "RS256") for c in claims]
    gg2015 = [tokens.encode(c, gost_key, "GG2015") for c in claims]
    rsa_public, gost_public = rsa_key.public_key(), gost_key.public_key()
    rsa_raw, gost_raw = [_signature(t) for t in rs256], [_signature(t) for t in gg2015]

    def ours_rs256(n: int) -> None:
        assert tokens.decode(rs256[n % TOKENS], rsa_public).signature_valid

    def pyjwt_rs256(n: int) -> None:
        jwt.decode(rs256[n % TOKENS], rsa_public, algorithms=["RS256"])

    def raw_rs256(n: int) -> None:
        data, signature = rsa_raw[n % TOKENS]
        rsa_public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())

    def ours_gg2015(n: int) -> None:
        assert tokens.decode(gg2015[n % TOKENS], gost_public).signature_valid

    def raw_gg2015(n: int) -> None:
        data, signature = gost_raw[n % TOKENS]
        assert gost.verify(gost_public, gost_public.signature_oid, data, signature)

    labels = {
        "ours_rs256": "ours: json_web_tokens.decode, RS256",
        "pyjwt_rs256": "PyJWT jwt.decode, RS256",
        "raw_rs256": "raw: 1 RSA-2048 verification",
        "ours_gg2015": "ours: json_web_tokens.decode, GG2015 (512-bit)",
        "raw_gg2015": "raw: 1 GOST 2015-512 verification (pki.gost)",
    }
    gost_count = max(50, count // 10)
    measurements: dict[str, tuple[Callable[[int], None], int]] = {
        "ours_rs256": (ours_rs256, count),
        "pyjwt_rs256": (pyjwt_rs256, count),
        "raw_rs256": (raw_rs256, count),
        "ours_gg2015": (ours_gg2015, gost_count),
        "raw_gg2015": (raw_gg2015, gost_count),
    }
    rates = {
        name: median_of(labels[name], "/s", partial(per_second, op, n), runs).median
        for name, (op, n) in measurements.items()
    }
    print("\nJWT signatures checked per second, one core (medians, wall clock; each run's CPU time above):")
    for name, rate in rates.items():
        line = f"  {labels[name]:50} {rate:9.1f} /s {1e6 / rate:8.0f} us   [{measurements[name][1]} each]"
        raw = rates.get(name.replace("ours", "raw"))
        if name.startswith("ours") and raw:
            line += f"   raw-crypto share {rate / raw:5.1%}"
        print(line)
    print(f"  ours RS256: {rates['ours_rs256'] / rates['pyjwt_rs256']:.2f}x PyJWT's jwt.decode")


if __name__ == "__main__":
    main()
