"""The three Kazakh GOST key types and their hashes (gost.md "Algorithms and parameters").

Digest byte order: every hash here returns its digest in the order the NCA writes it into a CMS
``messageDigest`` attribute (checked against the genuine NCA CMS and time-stamp objects): the
RFC 6986 / RFC 5831 printed value byte-reversed for Streebog, as printed for GOST R 34.11-94.
A signature's ``e`` is that digest read as a little-endian integer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pki import oids
from pki.errors import ErrorCode, GostError
from pki.gost.gost94 import gost34311_94
from pki.gost.streebog import streebog256, streebog512

__all__ = [
    "KEY_ALGORITHMS",
    "KeyAlgorithm",
    "algorithm_for_key",
    "algorithm_for_signature",
    "digest",
    "hash_oid_for_signature",
]


@dataclass(frozen=True)
class KeyAlgorithm:
    """One GOST key type: the OIDs that go with it and the hash its signatures use."""

    key_oid: str
    signature_oid: str
    paramset_oid: str  # the one parameter set accepted with this key OID
    digest_param_oid: str  # the digest-parameter OID written into keys we encode
    hash_oid: str
    digest_size: int


KEY_ALGORITHMS: dict[str, KeyAlgorithm] = {
    a.key_oid: a
    for a in (
        KeyAlgorithm(
            oids.KZ_GOST2015_512_KEY,
            oids.KZ_GOST2015_512_SIGNATURE,
            oids.KZ_GOST2015_512_PARAMSET,
            oids.KZ_STREEBOG_512,
            oids.KZ_STREEBOG_512,
            64,
        ),
        KeyAlgorithm(
            oids.KZ_GOST2015_256_KEY,
            oids.KZ_GOST2015_256_SIGNATURE,
            oids.KZ_GOST2015_256_PARAMSET,
            oids.KZ_STREEBOG_256,
            oids.KZ_STREEBOG_256,
            32,
        ),
        KeyAlgorithm(
            oids.KZ_GOST2004_KEY,
            oids.KZ_GOST2004_SIGNATURE,
            oids.KZ_GOST2004_PARAMSET,
            oids.KZ_GOST2004_DIGEST_PARAMS,
            oids.KZ_GOST3411_94,
            32,
        ),
    )
}

_BY_SIGNATURE = {a.signature_oid: a for a in KEY_ALGORITHMS.values()}

_HASHES: dict[str, Callable[[bytes], bytes]] = {
    oids.KZ_STREEBOG_512: streebog512,
    oids.KZ_STREEBOG_256: streebog256,
    oids.KZ_GOST3411_94: gost34311_94,
}


def algorithm_for_key(key_oid: str) -> KeyAlgorithm:
    """The key type of a public-key OID; GostError("unsupported_algorithm") for any other OID."""
    try:
        return KEY_ALGORITHMS[key_oid]
    except KeyError:
        raise GostError(
            ErrorCode.UNSUPPORTED_ALGORITHM, f"not a Kazakh GOST key algorithm: {key_oid}"
        ) from None


def algorithm_for_signature(signature_oid: str) -> KeyAlgorithm:
    """The key type of a signature OID; GostError("unsupported_algorithm") for any other OID."""
    try:
        return _BY_SIGNATURE[signature_oid]
    except KeyError:
        raise GostError(
            ErrorCode.UNSUPPORTED_ALGORITHM, f"not a Kazakh GOST signature algorithm: {signature_oid}"
        ) from None


def hash_oid_for_signature(signature_oid: str) -> str:
    """The hash OID of a Kazakh GOST signature OID (raises GostError("unsupported_algorithm"))."""
    return algorithm_for_signature(signature_oid).hash_oid


def digest(hash_oid: str, data: bytes) -> bytes:
    """Hash ``data`` with KZ_STREEBOG_512 (64 bytes), KZ_STREEBOG_256 or KZ_GOST3411_94 (32 bytes).

    Raises GostError("unsupported_algorithm") for any other OID.
    """
    try:
        fn = _HASHES[hash_oid]
    except KeyError:
        raise GostError(ErrorCode.UNSUPPORTED_ALGORITHM, f"not a Kazakh GOST hash: {hash_oid}") from None
    return fn(data)
