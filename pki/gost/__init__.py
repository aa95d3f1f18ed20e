"""Pure-Python GOST for the Kazakh NCA: Streebog, GOST R 34.11-94, GOST R 34.10-2012 signatures, keys,
and the legacy PKCS#12 files NCALayer uses. Inputs are DER bytes and ints; no I/O, no clock.

Byte orders (gost.md "Byte layouts"): public points x||y and private scalars little-endian; signatures
r||s with little-endian halves; ``e`` is the digest read little-endian. Every error is a
:class:`GostError` with a stable ``code``.
"""

from __future__ import annotations

from pki.errors import GostError
from pki.gost.algorithms import digest, hash_oid_for_signature
from pki.gost.keys import GostPrivateKey, GostPublicKey
from pki.gost.pkcs12 import dump_pkcs12, load_pkcs12
from pki.gost.signature import sign, verify, verify_digest

__all__ = [
    "GostError",
    "GostPrivateKey",
    "GostPublicKey",
    "digest",
    "dump_pkcs12",
    "hash_oid_for_signature",
    "load_pkcs12",
    "sign",
    "verify",
    "verify_digest",
]
