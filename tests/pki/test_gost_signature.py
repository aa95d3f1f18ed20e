"""GOST R 34.10-2012 sign/verify in the Kazakh layout: round trips, rejection of invalid signatures, and
cross-checks against gostcrypto (an independent MIT implementation with big-endian conventions)."""

from __future__ import annotations

import pytest
from gostcrypto import gostsignature
from hypothesis import given, settings
from hypothesis import strategies as st

from pki import oids
from pki.gost import (
    GostError,
    GostPrivateKey,
    GostPublicKey,
    digest,
    hash_oid_for_signature,
    sign,
    verify,
    verify_digest,
)
from pki.gost.curves import CRYPTOPRO_A, TC26_256_A, TC26_512_A, Curve
from pki.gost.signature import _PROMOTE_AFTER

KEY_TYPES = [
    (oids.KZ_GOST2015_512_KEY, oids.KZ_GOST2015_512_SIGNATURE, TC26_512_A),
    (oids.KZ_GOST2015_256_KEY, oids.KZ_GOST2015_256_SIGNATURE, TC26_256_A),
    (oids.KZ_GOST2004_KEY, oids.KZ_GOST2004_SIGNATURE, CRYPTOPRO_A),
]
IDS = ["2015-512", "2015-256", "2004"]
PARAMS = {
    oids.KZ_GOST2015_512_KEY: (oids.KZ_GOST2015_512_PARAMSET, oids.KZ_STREEBOG_512),
    oids.KZ_GOST2015_256_KEY: (oids.KZ_GOST2015_256_PARAMSET, oids.KZ_STREEBOG_256),
    oids.KZ_GOST2004_KEY: (oids.KZ_GOST2004_PARAMSET, oids.KZ_GOST2004_DIGEST_PARAMS),
}


def _key(key_oid: str, d: int) -> GostPrivateKey:
    return GostPrivateKey(key_oid, *PARAMS[key_oid], d)


# Fixed keys (d chosen, not random) so that failures are reproducible.
KEYS = {key_oid: _key(key_oid, pow(0x1234567890ABCDEF, 9, curve.q)) for key_oid, _, curve in KEY_TYPES}


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


@pytest.mark.parametrize(("key_oid", "sig_oid", "curve"), KEY_TYPES, ids=IDS)
def test_sign_verify_round_trip(key_oid: str, sig_oid: str, curve: Curve) -> None:
    key = KEYS[key_oid]
    pub = key.public_key()
    sig = sign(key, b"hello")
    assert len(sig) == 2 * curve.size
    assert verify(pub, sig_oid, b"hello", sig)
    assert not verify(pub, sig_oid, b"hellp", sig)
    for index in (0, curve.size - 1, curve.size, 2 * curve.size - 1):
        assert not verify(pub, sig_oid, b"hello", _flip(sig, index))


@pytest.mark.parametrize(("key_oid", "sig_oid", "curve"), KEY_TYPES, ids=IDS)
def test_signing_is_deterministic_and_key_dependent(key_oid: str, sig_oid: str, curve: Curve) -> None:
    key = KEYS[key_oid]
    assert sign(key, b"x") == sign(key, b"x")
    assert sign(key, b"x") != sign(key, b"y")
    other = _key(key_oid, key.d + 1)
    assert not verify(key.public_key(), sig_oid, b"x", sign(other, b"x"))


@pytest.mark.parametrize(("key_oid", "sig_oid", "curve"), KEY_TYPES, ids=IDS)
def test_generated_keys_round_trip(key_oid: str, sig_oid: str, curve: Curve) -> None:
    key = GostPrivateKey.generate(key_oid)
    assert 0 < key.d < curve.q
    assert verify(key.public_key(), sig_oid, b"", sign(key, b""))


@pytest.mark.parametrize(("key_oid", "sig_oid", "curve"), KEY_TYPES, ids=IDS)
def test_wrong_lengths_and_out_of_range_r_s_are_false(key_oid: str, sig_oid: str, curve: Curve) -> None:
    key = KEYS[key_oid]
    pub = key.public_key()
    sig = sign(key, b"m")
    n, q = curve.size, curve.q
    r, s = sig[:n], sig[n:]

    def le(v: int) -> bytes:
        return v.to_bytes(n, "little")

    assert not verify(pub, sig_oid, b"m", sig[:-1])
    assert not verify(pub, sig_oid, b"m", sig + b"\x00")
    assert not verify(pub, sig_oid, b"m", b"")
    assert not verify(pub, sig_oid, b"m", sig[::-1])  # the Russian s||r big-endian order
    assert not verify(pub, sig_oid, b"m", s + r)
    for bad in (0, q, q + 1, 2 ** (8 * n) - 1):
        assert not verify(pub, sig_oid, b"m", le(bad) + s)
        assert not verify(pub, sig_oid, b"m", r + le(bad))
    # r + q (< 2^(8n) on these curves) is congruent to r but out of range: must be rejected, not reduced.
    r_int = int.from_bytes(r, "little")
    if r_int + q < 2 ** (8 * n):
        assert not verify(pub, sig_oid, b"m", le(r_int + q) + s)


def test_verify_digest_matches_verify_and_checks_digest_length() -> None:
    key = KEYS[oids.KZ_GOST2015_512_KEY]
    sig = sign(key, b"data")
    h = digest(oids.KZ_STREEBOG_512, b"data")
    assert verify_digest(key.public_key(), h, sig)
    assert not verify_digest(key.public_key(), _flip(h, 63), sig)
    with pytest.raises(GostError) as info:
        verify_digest(key.public_key(), h[:32], sig)
    assert info.value.code == "malformed_digest"


def test_verify_raises_for_a_signature_oid_of_another_key_type() -> None:
    key = KEYS[oids.KZ_GOST2015_512_KEY]
    sig = sign(key, b"m")
    with pytest.raises(GostError) as info:
        verify(key.public_key(), oids.KZ_GOST2004_SIGNATURE, b"m", sig)
    assert info.value.code == "algorithm_mismatch"
    with pytest.raises(GostError) as info:
        verify(key.public_key(), oids.SHA256_WITH_RSA, b"m", sig)
    assert info.value.code == "unsupported_algorithm"


def test_cached_key_table_gives_the_same_answers() -> None:
    # A key verified often enough gets a fixed-base table: results must not change when that happens.
    key = _key(oids.KZ_GOST2015_512_KEY, 987654321)
    pub = key.public_key()
    sig = sign(key, b"ca")
    alg = oids.KZ_GOST2015_512_SIGNATURE
    results = [
        (verify(pub, alg, b"ca", sig), verify(pub, alg, b"cb", sig)) for _ in range(_PROMOTE_AFTER + 2)
    ]
    assert results == [(True, False)] * (_PROMOTE_AFTER + 2)


@settings(max_examples=15, deadline=None)
@given(data=st.binary(max_size=200), d=st.integers(min_value=1, max_value=CRYPTOPRO_A.q - 1))
def test_round_trip_property_2004(data: bytes, d: int) -> None:
    key = _key(oids.KZ_GOST2004_KEY, d)
    sig = sign(key, data)
    assert verify(key.public_key(), oids.KZ_GOST2004_SIGNATURE, data, sig)
    assert not verify(key.public_key(), oids.KZ_GOST2004_SIGNATURE, data + b"!", sig)


# --- cross-checks against gostcrypto (big-endian everywhere; ~0.5 s per 512-bit operation) -----------


def _gostcrypto_curve(curve: Curve) -> dict[str, int]:
    return {
        "p": curve.p,
        "a": curve.a,
        "b": curve.b,
        "m": curve.q * curve.cofactor,
        "q": curve.q,
        "x": curve.gx,
        "y": curve.gy,
    }


GOSTCRYPTO_CURVES = {
    # Its own copies of the TC26 curves (an independent source of the constants) and ours for CryptoPro-A.
    oids.KZ_GOST2015_512_KEY: (
        gostsignature.MODE_512,
        gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"],
    ),
    oids.KZ_GOST2015_256_KEY: (
        gostsignature.MODE_256,
        gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-2012-256-paramSetA"],
    ),
    oids.KZ_GOST2004_KEY: (gostsignature.MODE_256, _gostcrypto_curve(CRYPTOPRO_A)),
}


def _be_pub(pub: GostPublicKey, n: int) -> bytearray:
    return bytearray(pub.x.to_bytes(n, "big") + pub.y.to_bytes(n, "big"))


def _to_kz(sig_be: bytes, n: int) -> bytes:
    """gostcrypto's r||s big-endian -> the Kazakh r||s with little-endian halves."""
    return sig_be[:n][::-1] + sig_be[n:][::-1]


@pytest.mark.slow
@pytest.mark.parametrize(("key_oid", "sig_oid", "curve"), KEY_TYPES, ids=IDS)
def test_verify_agrees_with_gostcrypto(key_oid: str, sig_oid: str, curve: Curve) -> None:
    mode, params = GOSTCRYPTO_CURVES[key_oid]
    other = gostsignature.new(mode, params)
    key = KEYS[key_oid]
    n = curve.size
    pub = key.public_key()
    # Same public key from the same d.
    assert bytes(other.public_key_generate(bytearray(key.d.to_bytes(n, "big")))) == bytes(_be_pub(pub, n))
    h = digest(hash_oid_for_signature(sig_oid), b"cross")
    ours = sign(key, b"cross")
    ours_be = ours[:n][::-1] + ours[n:][::-1]
    assert other.verify(_be_pub(pub, n), bytearray(h[::-1]), bytearray(ours_be))
    assert not other.verify(_be_pub(pub, n), bytearray(h[::-1]), bytearray(_flip(ours_be, 5)))
    theirs = bytes(other.sign(bytearray(key.d.to_bytes(n, "big")), bytearray(h[::-1])))
    assert verify(pub, sig_oid, b"cross", _to_kz(theirs, n))
