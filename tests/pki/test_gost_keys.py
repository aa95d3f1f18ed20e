"""GOST key encodings (Kazakh SubjectPublicKeyInfo and PKCS#8) and key validation."""

from __future__ import annotations

import dataclasses

import pytest
from asn1crypto import core
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from gmpy2 import mpz

from pki import oids
from pki.gost import GostError, GostPrivateKey, GostPublicKey
from pki.gost.curves import CRYPTOPRO_A, TC26_256_A, TC26_512_A, Curve
from pki.gost.ec import arith_for

KEY_TYPES = [
    (oids.KZ_GOST2015_512_KEY, oids.KZ_GOST2015_512_PARAMSET, oids.KZ_STREEBOG_512, TC26_512_A, 512),
    (oids.KZ_GOST2015_256_KEY, oids.KZ_GOST2015_256_PARAMSET, oids.KZ_STREEBOG_256, TC26_256_A, 256),
    (oids.KZ_GOST2004_KEY, oids.KZ_GOST2004_PARAMSET, oids.KZ_GOST2004_DIGEST_PARAMS, CRYPTOPRO_A, 256),
]
IDS = ["2015-512", "2015-256", "2004"]


def _tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    length = (
        bytes([n])
        if n < 128
        else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    )
    return bytes([tag]) + length + content


def _oid(dotted: str) -> bytes:
    return core.ObjectIdentifier(dotted).dump()


def _spki(key_oid: str, paramset: str, digest: str, point: bytes) -> bytes:
    """A SubjectPublicKeyInfo built byte by byte, independently of the code under test."""
    alg = _tlv(0x30, _oid(key_oid) + _tlv(0x30, _oid(paramset) + _oid(digest)))
    return _tlv(0x30, alg + _tlv(0x03, b"\x00" + _tlv(0x04, point)))


@pytest.mark.parametrize(("key_oid", "paramset", "digest", "curve", "bits"), KEY_TYPES, ids=IDS)
def test_generate_matches_the_kazakh_oids(
    key_oid: str, paramset: str, digest: str, curve: Curve, bits: int
) -> None:
    key = GostPrivateKey.generate(key_oid)
    assert (key.key_oid, key.paramset_oid, key.digest_oid) == (key_oid, paramset, digest)
    pub = key.public_key()
    assert pub.bits == bits
    assert curve.contains(pub.x, pub.y)


@pytest.mark.parametrize(("key_oid", "paramset", "digest", "curve", "bits"), KEY_TYPES, ids=IDS)
def test_spki_layout_is_little_endian_x_then_y(
    key_oid: str, paramset: str, digest: str, curve: Curve, bits: int
) -> None:
    pub = GostPrivateKey.generate(key_oid).public_key()
    n = curve.size
    expected = _spki(key_oid, paramset, digest, pub.x.to_bytes(n, "little") + pub.y.to_bytes(n, "little"))
    assert pub.to_spki_der() == expected
    assert GostPublicKey.from_spki_der(expected) == pub


@pytest.mark.parametrize(("key_oid", "paramset", "digest", "curve", "bits"), KEY_TYPES, ids=IDS)
def test_pkcs8_round_trip_and_layout(
    key_oid: str, paramset: str, digest: str, curve: Curve, bits: int
) -> None:
    key = GostPrivateKey.generate(key_oid)
    der = key.to_pkcs8_der()
    assert GostPrivateKey.from_pkcs8_der(der) == key
    info = core.Sequence.load(der)
    assert info[0].native == 0
    inner = core.OctetString.load(core.OctetString.load(info[2].dump()).native).native
    assert inner == key.d.to_bytes(curve.size, "little")


def test_private_key_repr_hides_d() -> None:
    key = GostPrivateKey.generate()
    assert str(key.d) not in repr(key)
    assert hex(key.d)[2:] not in repr(key)


def test_off_curve_point_is_malformed_key() -> None:
    pub = GostPrivateKey.generate().public_key()
    with pytest.raises(GostError) as info:
        dataclasses.replace(pub, y=pub.y ^ 1)
    assert info.value.code == "malformed_key"
    bad = _spki(
        pub.key_oid,
        pub.paramset_oid,
        pub.digest_oid,
        pub.x.to_bytes(64, "little") + (pub.y ^ 1).to_bytes(64, "little"),
    )
    with pytest.raises(GostError) as info:
        GostPublicKey.from_spki_der(bad)
    assert info.value.code == "malformed_key"


def test_coordinate_out_of_range_is_malformed_key() -> None:
    pub = GostPrivateKey.generate().public_key()
    with pytest.raises(GostError) as info:
        dataclasses.replace(pub, x=pub.x + TC26_512_A.p)
    assert info.value.code == "malformed_key"


def test_point_outside_the_prime_subgroup_is_rejected_on_the_cofactor_4_curve() -> None:
    # Q + T, with T = q * R a point of order 2 or 4, is on TC26-256-A but not in the order-q subgroup.
    c = TC26_256_A
    ar = arith_for(c)
    assert c.p % 4 == 3  # so square roots are a single exponentiation
    x, t = 5, None
    while t is None:
        x += 1
        rhs = (x**3 + c.a * x + c.b) % c.p
        y = pow(rhs, (c.p + 1) // 4, c.p)
        if y * y % c.p == rhs:
            t = ar.to_affine(ar.mul_wnaf(x, y, c.q))
    pub = GostPrivateKey.generate(oids.KZ_GOST2015_256_KEY).public_key()
    mixed = ar.to_affine(ar.add_affine((mpz(pub.x), mpz(pub.y), mpz(1)), *t))
    assert mixed is not None and c.contains(int(mixed[0]), int(mixed[1]))
    with pytest.raises(GostError) as info:
        dataclasses.replace(pub, x=int(mixed[0]), y=int(mixed[1]))
    assert info.value.code == "malformed_key"


def test_wrong_point_length_is_malformed_key() -> None:
    pub = GostPrivateKey.generate().public_key()
    point = pub.x.to_bytes(64, "little") + pub.y.to_bytes(64, "little")
    for bad in (point[:-1], point + b"\x00", b""):
        with pytest.raises(GostError) as info:
            GostPublicKey.from_spki_der(_spki(pub.key_oid, pub.paramset_oid, pub.digest_oid, bad))
        assert info.value.code == "malformed_key"


def test_undecodable_der_is_malformed_key() -> None:
    der = GostPrivateKey.generate().public_key().to_spki_der()
    for bad in (b"", b"\x30\x00", der[:-1], der + b"\x00", b"garbage"):
        with pytest.raises(GostError) as info:
            GostPublicKey.from_spki_der(bad)
        assert info.value.code == "malformed_key"
    with pytest.raises(GostError) as info:
        GostPrivateKey.from_pkcs8_der(der)
    assert info.value.code == "malformed_key"


def test_unknown_or_mismatched_paramset_is_unsupported_parameters() -> None:
    pub = GostPrivateKey.generate().public_key()
    point = pub.x.to_bytes(64, "little") + pub.y.to_bytes(64, "little")
    for paramset in ("1.2.643.7.1.2.1.2.1", oids.KZ_GOST2004_PARAMSET, oids.KZ_GOST2015_256_PARAMSET):
        with pytest.raises(GostError) as info:
            GostPublicKey.from_spki_der(_spki(pub.key_oid, paramset, pub.digest_oid, point))
        assert info.value.code == "unsupported_parameters"
    with pytest.raises(GostError) as info:
        GostPrivateKey(oids.KZ_GOST2004_KEY, oids.KZ_GOST2015_512_PARAMSET, oids.KZ_GOST2004_DIGEST_PARAMS, 5)
    assert info.value.code == "unsupported_parameters"


def test_unknown_key_oid_is_unsupported_algorithm() -> None:
    pub = GostPrivateKey.generate().public_key()
    point = pub.x.to_bytes(64, "little") + pub.y.to_bytes(64, "little")
    with pytest.raises(GostError) as info:
        GostPublicKey.from_spki_der(_spki(oids.EC_PUBLIC_KEY, pub.paramset_oid, pub.digest_oid, point))
    assert info.value.code == "unsupported_algorithm"
    with pytest.raises(GostError) as info:
        GostPrivateKey.generate(oids.RSA_ENCRYPTION)
    assert info.value.code == "unsupported_algorithm"


@pytest.mark.parametrize("d", [0, -1, TC26_512_A.q, TC26_512_A.q + 5])
def test_private_scalar_out_of_range_is_malformed_key(d: int) -> None:
    with pytest.raises(GostError) as info:
        GostPrivateKey(oids.KZ_GOST2015_512_KEY, oids.KZ_GOST2015_512_PARAMSET, oids.KZ_STREEBOG_512, d)
    assert info.value.code == "malformed_key"


def test_pkcs8_with_wrong_scalar_length_is_malformed_key() -> None:
    der = GostPrivateKey.generate().to_pkcs8_der()
    info = core.Sequence.load(der)
    short = _tlv(0x30, info[0].dump() + info[1].dump() + _tlv(0x04, _tlv(0x04, b"\x01" * 63)))
    assert GostPrivateKey.from_pkcs8_der(
        _tlv(0x30, info[0].dump() + info[1].dump() + _tlv(0x04, _tlv(0x04, b"\x01" * 64)))
    )
    with pytest.raises(GostError) as err:
        GostPrivateKey.from_pkcs8_der(short)
    assert err.value.code == "malformed_key"


def test_keys_of_other_algorithms_are_unsupported_algorithm() -> None:
    for other in (rsa.generate_private_key(65537, 1024), ec.generate_private_key(ec.SECP256R1())):
        pkcs8 = other.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        spki = other.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        for decode, der in ((GostPrivateKey.from_pkcs8_der, pkcs8), (GostPublicKey.from_spki_der, spki)):
            with pytest.raises(GostError) as info:
                decode(der)
            assert info.value.code == "unsupported_algorithm"


def test_gost_oid_with_undecodable_parameters_is_malformed_key() -> None:
    null_params = _tlv(
        0x30, _tlv(0x30, _oid(oids.KZ_GOST2015_512_KEY) + b"\x05\x00") + _tlv(0x03, b"\x00\x04\x00")
    )
    with pytest.raises(GostError) as info:
        GostPublicKey.from_spki_der(null_params)
    assert info.value.code == "malformed_key"
