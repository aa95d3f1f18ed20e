"""The elliptic curves of the Kazakh GOST key types, keyed by the parameter-set OID in the key.

Constants from gost.md (RFC 7836 for TC26-512-A and TC26-256-A, RFC 4357 for CryptoPro-A). All are
short Weierstrass curves ``y^2 = x^3 + a*x + b (mod p)`` with base point ``G`` of prime order ``q``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pki import oids
from pki.errors import ErrorCode, GostError

__all__ = ["CURVES", "Curve", "curve_for_paramset"]


@dataclass(frozen=True)
class Curve:
    """A GOST curve. ``size`` is the byte length of one coordinate (and of r, s) in the encodings."""

    name: str
    p: int
    a: int
    b: int
    q: int
    gx: int
    gy: int
    cofactor: int

    @property
    def size(self) -> int:
        return (self.p.bit_length() + 7) // 8

    def contains(self, x: int, y: int) -> bool:
        """True iff (x, y) is an affine point of the curve with both coordinates in [0, p)."""
        p = self.p
        return 0 <= x < p and 0 <= y < p and (y * y - (x * x + self.a) * x - self.b) % p == 0


_P512 = 2**512 - 569
_P256 = 2**256 - 617

TC26_512_A = Curve(
    name="id-tc26-gost-3410-12-512-paramSetA",
    p=_P512,
    a=_P512 - 3,
    b=int(
        "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265"
        "EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760",
        16,
    ),
    q=int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
        "27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275",
        16,
    ),
    gx=3,
    gy=int(
        "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921"
        "DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4",
        16,
    ),
    cofactor=1,
)

CRYPTOPRO_A = Curve(
    name="id-GostR3410-2001-CryptoPro-A-ParamSet",
    p=_P256,
    a=_P256 - 3,
    b=166,
    q=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893,
    gx=1,
    gy=0x8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14,
    cofactor=1,
)

TC26_256_A = Curve(
    name="id-tc26-gost-3410-2012-256-paramSetA",
    p=_P256,
    a=0xC2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335,
    b=0x295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513,
    q=0x400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67,
    gx=0x91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28,
    gy=0x32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C,
    cofactor=4,
)

CURVES: dict[str, Curve] = {
    oids.KZ_GOST2015_512_PARAMSET: TC26_512_A,
    oids.KZ_GOST2004_PARAMSET: CRYPTOPRO_A,
    oids.KZ_GOST2015_256_PARAMSET: TC26_256_A,
}


def curve_for_paramset(paramset_oid: str) -> Curve:
    """The curve of a parameter-set OID; raises GostError("unsupported_parameters") for any other OID."""
    try:
        return CURVES[paramset_oid]
    except KeyError:
        raise GostError(
            ErrorCode.UNSUPPORTED_PARAMETERS, f"unknown GOST parameter set {paramset_oid}"
        ) from None
