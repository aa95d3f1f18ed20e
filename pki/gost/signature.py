"""GOST R 34.10-2012 signatures (the same scheme as 34.10-2001 and Kazakh 34.310-2004), Kazakh layout.

Layout (gost.md): the signature is ``r || s``, each half little-endian and exactly one coordinate size
long (64 bytes for 512-bit keys, 32 otherwise); ``e`` is the digest bytes (as :func:`digest` returns
them) read as a little-endian integer, reduced mod q, 1 if that is 0.

Verification: with v = e^-1, z1 = s*v, z2 = -r*v (mod q), valid iff (z1*G + z2*Q).x mod q == r.
z1*G uses the per-curve fixed-base table of G; z2*Q uses a width-5 wNAF, and once a public key has
been verified ``_PROMOTE_AFTER`` times (CA and OCSP-responder keys are verified over and over) a
fixed-base table is built for it and kept in a small LRU cache keyed by (parameter set, x, y).

Signing: k is deterministic, derived as in RFC 6979 section 3.2 (HMAC_DRBG with HMAC-SHA-512, seeded
with the private key and the message digest; one more DRBG output whenever r or s comes out 0). The
result is an ordinary GOST signature: a verifier cannot tell how k was chosen. Signing is not
constant-time (the fixed-base walk branches on the digits of k): it serves the simulated CAs.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Iterator

import gmpy2

from pki.errors import ErrorCode, GostError
from pki.gost.algorithms import algorithm_for_key, algorithm_for_signature, digest
from pki.gost.curves import curve_for_paramset
from pki.gost.ec import INFINITY, FixedBaseTable, arith_for
from pki.gost.keys import GostPrivateKey, GostPublicKey

__all__ = ["sign", "verify", "verify_digest"]

_PROMOTE_AFTER = 4  # a 512-bit key table (width 6) costs ~11 ms, ~10 cold verifications; it saves ~1 ms each
_KEY_TABLE_WIDTH = 6
_TABLES_KEPT = 32  # ~0.5 MB each for 512-bit keys
_COUNTS_KEPT = 4096

_CacheKey = tuple[str, int, int]


class _KeyTables:
    """Fixed-base tables for frequently verified public keys (an LRU), and use counts for the others."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tables: OrderedDict[_CacheKey, FixedBaseTable] = OrderedDict()
        self._counts: OrderedDict[_CacheKey, int] = OrderedDict()

    def table_for(self, key: GostPublicKey) -> FixedBaseTable | None:
        """The key's table if it has one or has now been used often enough to get one; else None."""
        ck = (key.paramset_oid, key.x, key.y)
        with self._lock:
            table = self._tables.get(ck)
            if table is not None:
                self._tables.move_to_end(ck)
                return table
            uses = self._counts.pop(ck, 0) + 1
            if uses < _PROMOTE_AFTER:
                self._counts[ck] = uses
                if len(self._counts) > _COUNTS_KEPT:
                    self._counts.popitem(last=False)
                return None
        # Built outside the lock: two threads may build the same table once; both results are correct.
        table = arith_for(curve_for_paramset(key.paramset_oid)).build_table(key.x, key.y, _KEY_TABLE_WIDTH)
        with self._lock:
            self._tables[ck] = table
            if len(self._tables) > _TABLES_KEPT:
                self._tables.popitem(last=False)
        return table


_KEY_TABLES = _KeyTables()


def verify_digest(public_key: GostPublicKey, digest_bytes: bytes, signature: bytes) -> bool:
    """True iff ``signature`` (r||s, little-endian halves) is valid for ``digest_bytes`` under the key.

    ``digest_bytes`` is the hash of the key type (Streebog-512 for 2015-512, Streebog-256 for 2015-256,
    GOST R 34.11-94 for 2004) in the byte order :func:`pki.gost.digest` returns. Any invalid signature,
    including one of the wrong length or with r or s outside 1..q-1, gives False. Raises
    GostError("malformed_digest") if ``digest_bytes`` does not have the length of that hash.
    """
    expected = algorithm_for_key(public_key.key_oid).digest_size
    if len(digest_bytes) != expected:
        raise GostError(
            ErrorCode.MALFORMED_DIGEST, f"digest is {len(digest_bytes)} bytes, expected {expected}"
        )
    curve = curve_for_paramset(public_key.paramset_oid)
    size, q = curve.size, curve.q
    if len(signature) != 2 * size:
        return False
    r = int.from_bytes(signature[:size], "little")
    s = int.from_bytes(signature[size:], "little")
    if not (0 < r < q and 0 < s < q):
        return False
    e = int.from_bytes(digest_bytes, "little") % q or 1
    v = gmpy2.invert(e, q)
    z1 = int(s * v % q)
    z2 = int((q - r) * v % q)
    arith = arith_for(curve)
    table = _KEY_TABLES.table_for(public_key)
    if table is None:
        acc = arith.mul_wnaf(public_key.x, public_key.y, z2)
    else:
        acc = arith.add_fixed(INFINITY, table, z2)
    point = arith.to_affine(arith.add_fixed(acc, arith.g_table, z1))
    return point is not None and point[0] % q == r


def verify(public_key: GostPublicKey, signature_oid: str, data: bytes, signature: bytes) -> bool:
    """True iff ``signature`` over ``data`` is valid under ``public_key`` (see :func:`verify_digest`).

    ``data`` is hashed with the hash of ``signature_oid``. Raises GostError("unsupported_algorithm") if
    ``signature_oid`` is not a Kazakh GOST signature OID and GostError("algorithm_mismatch") if it is
    the OID of another key type; every other failure is a False.
    """
    algorithm = algorithm_for_signature(signature_oid)
    if algorithm.key_oid != public_key.key_oid:
        raise GostError(
            ErrorCode.ALGORITHM_MISMATCH,
            f"signature algorithm {signature_oid} does not fit key {public_key.key_oid}",
        )
    return verify_digest(public_key, digest(algorithm.hash_oid, data), signature)


def _nonces(d: int, h: bytes, q: int) -> Iterator[int]:
    """Candidate k in 1..q-1: the HMAC_DRBG of RFC 6979 section 3.2, with HMAC-SHA-512."""
    qlen = q.bit_length()
    rlen = (qlen + 7) // 8

    def bits2int(b: bytes) -> int:
        x = int.from_bytes(b, "big")
        return x >> (8 * len(b) - qlen) if 8 * len(b) > qlen else x

    seed = d.to_bytes(rlen, "big") + (bits2int(h) % q).to_bytes(rlen, "big")
    v = b"\x01" * 64
    k = b"\x00" * 64
    k = hmac.digest(k, v + b"\x00" + seed, hashlib.sha512)
    v = hmac.digest(k, v, hashlib.sha512)
    k = hmac.digest(k, v + b"\x01" + seed, hashlib.sha512)
    v = hmac.digest(k, v, hashlib.sha512)
    while True:
        t = b""
        while len(t) < rlen:
            v = hmac.digest(k, v, hashlib.sha512)
            t += v
        candidate = bits2int(t[:rlen])
        if 0 < candidate < q:
            yield candidate
        k = hmac.digest(k, v + b"\x00", hashlib.sha512)
        v = hmac.digest(k, v, hashlib.sha512)


def sign(private_key: GostPrivateKey, data: bytes) -> bytes:
    """Sign ``data`` with the hash of the key type; returns r||s, each half little-endian.

    Deterministic (RFC 6979-style k, see the module docstring): the same key and data give the same bytes.
    """
    algorithm = algorithm_for_key(private_key.key_oid)
    curve = curve_for_paramset(private_key.paramset_oid)
    size, q, d = curve.size, curve.q, private_key.d
    h = digest(algorithm.hash_oid, data)
    e = int.from_bytes(h, "little") % q or 1
    arith = arith_for(curve)
    nonces = _nonces(d, h, q)
    while True:
        k = next(nonces)
        point = arith.mul_g(k)
        assert point is not None  # 0 < k < q
        r = int(point[0]) % q
        s = (r * d + k * e) % q
        if r and s:
            return r.to_bytes(size, "little") + s.to_bytes(size, "little")
