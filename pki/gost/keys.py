"""GOST public and private keys and their Kazakh DER encodings.

SubjectPublicKeyInfo (as in NCA certificates)::

    SEQUENCE { SEQUENCE { keyOID, SEQUENCE { paramSetOID, digestParamOID } },
               BIT STRING { OCTET STRING { x || y } } }      -- x, y each little-endian, coordinate size

PKCS#8 PrivateKeyInfo (as inside the NCA .p12 files; established by deriving the certificate's public key
from it)::

    SEQUENCE { INTEGER 0, SEQUENCE { keyOID, SEQUENCE { paramSetOID, digestParamOID } },
               OCTET STRING { OCTET STRING { d } } }          -- d little-endian, coordinate size

Coordinate size: 64 bytes for GOST 2015-512, 32 for 2015-256 and 34.310-2004.

Both key classes validate on construction: an unknown key OID raises GostError("unsupported_algorithm");
an unknown parameter set, or one that does not belong to the key OID, GostError("unsupported_parameters");
a point off the curve (or outside the order-q subgroup) or d outside 1..q-1, GostError("malformed_key").
The digest-parameter OID is kept as found and not checked: the hash is fixed by the signature OID.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, ClassVar

from asn1crypto import core

from pki import oids
from pki.errors import ErrorCode, GostError
from pki.gost.algorithms import algorithm_for_key
from pki.gost.curves import Curve, curve_for_paramset
from pki.gost.ec import arith_for

__all__ = ["GostPrivateKey", "GostPublicKey"]


class _KeyParams(core.Sequence):
    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("paramset", core.ObjectIdentifier),
        ("digest", core.ObjectIdentifier),
    ]


class _KeyAlgorithmIdentifier(core.Sequence):
    # Parameters as Any, so that a key of another algorithm is recognised by its OID before they are read.
    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


class _SubjectPublicKeyInfo(core.Sequence):
    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("algorithm", _KeyAlgorithmIdentifier),
        ("public_key", core.OctetBitString),
    ]


class _PrivateKeyInfo(core.Sequence):
    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("version", core.Integer),
        ("algorithm", _KeyAlgorithmIdentifier),
        ("private_key", core.OctetString),
        ("attributes", core.Any, {"implicit": 0, "optional": True}),
    ]


def _checked_curve(key_oid: str, paramset_oid: str) -> Curve:
    """The curve of a (key OID, parameter set) pair, raising GostError for an unsupported pair."""
    algorithm = algorithm_for_key(key_oid)
    curve = curve_for_paramset(paramset_oid)
    if paramset_oid != algorithm.paramset_oid:
        raise GostError(
            ErrorCode.UNSUPPORTED_PARAMETERS,
            f"parameter set {paramset_oid} does not belong to key type {key_oid}",
        )
    return curve


def _algorithm_identifier(key_oid: str, paramset_oid: str, digest_oid: str) -> _KeyAlgorithmIdentifier:
    params = _KeyParams({"paramset": paramset_oid, "digest": digest_oid})
    return _KeyAlgorithmIdentifier({"algorithm": key_oid, "parameters": params})


def _decode(spec: type[core.Sequence], der: bytes, what: str) -> tuple[Any, str, str, str]:
    """Parse ``der`` fully; returns the parsed value and its (key, paramset, digest) OIDs.

    A well-formed structure whose key OID is not a GOST one raises GostError("unsupported_algorithm").
    """
    try:
        value = spec.load(der, strict=True)
        _ = value.native  # a full parse, so that structural errors surface here
        key_oid = value["algorithm"]["algorithm"].dotted
    except (ValueError, TypeError, KeyError) as exc:
        raise GostError(ErrorCode.MALFORMED_KEY, f"undecodable {what}: {exc}") from None
    algorithm_for_key(key_oid)
    try:
        params = _KeyParams.load(value["algorithm"]["parameters"].dump(), strict=True)
        return value, key_oid, params["paramset"].dotted, params["digest"].dotted
    except (ValueError, TypeError, KeyError) as exc:
        raise GostError(ErrorCode.MALFORMED_KEY, f"undecodable GOST {what} parameters: {exc}") from None


def _inner_octets(outer: bytes, length: int, what: str) -> bytes:
    try:
        inner = core.OctetString.load(outer, strict=True).native
    except (ValueError, TypeError) as exc:
        raise GostError(ErrorCode.MALFORMED_KEY, f"undecodable GOST {what}: {exc}") from None
    if len(inner) != length:
        raise GostError(ErrorCode.MALFORMED_KEY, f"GOST {what} is {len(inner)} bytes, expected {length}")
    return bytes(inner)


@dataclass(frozen=True)
class GostPublicKey:
    """A GOST public key: the OIDs of its SubjectPublicKeyInfo and the affine point (x, y)."""

    key_oid: str
    paramset_oid: str
    digest_oid: str
    x: int
    y: int

    def __post_init__(self) -> None:
        curve = _checked_curve(self.key_oid, self.paramset_oid)
        if not curve.contains(self.x, self.y):
            raise GostError(ErrorCode.MALFORMED_KEY, "the GOST public key point is not on its curve")
        if curve.cofactor != 1 and arith_for(curve).mul_wnaf(self.x, self.y, curve.q)[2]:
            raise GostError(
                ErrorCode.MALFORMED_KEY, "the GOST public key point is not in the order-q subgroup"
            )

    @property
    def bits(self) -> int:
        """The coordinate size in bits: 512 for GOST 2015-512, 256 for 2015-256 and 34.310-2004."""
        return curve_for_paramset(self.paramset_oid).size * 8

    @property
    def signature_oid(self) -> str:
        """The signature algorithm OID of this key type."""
        return algorithm_for_key(self.key_oid).signature_oid

    @classmethod
    def from_spki_der(cls, der: bytes) -> GostPublicKey:
        """Decode a Kazakh GOST SubjectPublicKeyInfo (layout in the module docstring).

        Raises GostError: ``malformed_key`` (undecodable, wrong point length, off-curve),
        ``unsupported_algorithm`` / ``unsupported_parameters`` (OIDs).
        """
        spki, key_oid, paramset_oid, digest_oid = _decode(_SubjectPublicKeyInfo, der, "public key")
        size = _checked_curve(key_oid, paramset_oid).size
        point = _inner_octets(spki["public_key"].native, 2 * size, "public key")
        return cls(
            key_oid,
            paramset_oid,
            digest_oid,
            int.from_bytes(point[:size], "little"),
            int.from_bytes(point[size:], "little"),
        )

    def to_spki_der(self) -> bytes:
        """The DER SubjectPublicKeyInfo (layout in the module docstring)."""
        size = curve_for_paramset(self.paramset_oid).size
        point = self.x.to_bytes(size, "little") + self.y.to_bytes(size, "little")
        return _SubjectPublicKeyInfo(
            {
                "algorithm": _algorithm_identifier(self.key_oid, self.paramset_oid, self.digest_oid),
                "public_key": core.OctetString(point).dump(),
            }
        ).dump()


@dataclass(frozen=True)
class GostPrivateKey:
    """A GOST private key: the OIDs of its key type and the scalar d (1 <= d < q). ``d`` is not in repr."""

    key_oid: str
    paramset_oid: str
    digest_oid: str
    d: int = field(repr=False)

    def __post_init__(self) -> None:
        curve = _checked_curve(self.key_oid, self.paramset_oid)
        if not 0 < self.d < curve.q:
            raise GostError(ErrorCode.MALFORMED_KEY, "the GOST private scalar is out of range")

    @property
    def signature_oid(self) -> str:
        """The signature algorithm OID of this key type."""
        return algorithm_for_key(self.key_oid).signature_oid

    def public_key(self) -> GostPublicKey:
        """The public key d*G, with the same OIDs."""
        curve = curve_for_paramset(self.paramset_oid)
        point = arith_for(curve).mul_g(self.d)
        assert point is not None  # 0 < d < q
        return GostPublicKey(self.key_oid, self.paramset_oid, self.digest_oid, int(point[0]), int(point[1]))

    @classmethod
    def generate(cls, key_oid: str = oids.KZ_GOST2015_512_KEY) -> GostPrivateKey:
        """A fresh key of the given key type (d uniform in 1..q-1, from the ``secrets`` module).

        Raises GostError("unsupported_algorithm") for a key OID that is not a Kazakh GOST one.
        """
        algorithm = algorithm_for_key(key_oid)
        q = curve_for_paramset(algorithm.paramset_oid).q
        return cls(key_oid, algorithm.paramset_oid, algorithm.digest_param_oid, 1 + secrets.randbelow(q - 1))

    def to_pkcs8_der(self) -> bytes:
        """The unencrypted DER PKCS#8 PrivateKeyInfo (layout in the module docstring)."""
        size = curve_for_paramset(self.paramset_oid).size
        return _PrivateKeyInfo(
            {
                "version": 0,
                "algorithm": _algorithm_identifier(self.key_oid, self.paramset_oid, self.digest_oid),
                "private_key": core.OctetString(self.d.to_bytes(size, "little")).dump(),
            }
        ).dump()

    @classmethod
    def from_pkcs8_der(cls, der: bytes) -> GostPrivateKey:
        """Decode an unencrypted PKCS#8 GOST private key (layout in the module docstring).

        Raises GostError: ``malformed_key`` (undecodable, version not 0, d not an OCTET STRING of the
        coordinate size, d out of range), ``unsupported_algorithm`` / ``unsupported_parameters`` (OIDs).
        """
        info, key_oid, paramset_oid, digest_oid = _decode(_PrivateKeyInfo, der, "private key")
        if info["version"].native != 0:
            raise GostError(ErrorCode.MALFORMED_KEY, "unsupported PKCS#8 version")
        size = _checked_curve(key_oid, paramset_oid).size
        d = _inner_octets(info["private_key"].native, size, "private key")
        return cls(key_oid, paramset_oid, digest_oid, int.from_bytes(d, "little"))
