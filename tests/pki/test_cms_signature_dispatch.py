"""pki.signatures: one dispatch table for all signature checks (RSA, ECDSA and the Kazakh GOST algorithms);
unknown algorithms unsupported (rules.md EDS-10: a signature is valid only when it verifies)."""

from __future__ import annotations

import pytest
from asn1crypto import algos, core
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from pki import gost, oids, signatures
from pki.errors import InvalidInput, UnsupportedAlgorithm
from pki.signatures import SIGNATURE_VERIFIERS, SignatureInput, load_public_key, verify_signature

DATA = b"to be signed"


def _spki(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.mark.parametrize(
    ("oid", "hash_algorithm"),
    [
        (oids.SHA256_WITH_RSA, hashes.SHA256()),
        (oids.SHA384_WITH_RSA, hashes.SHA384()),
        (oids.SHA512_WITH_RSA, hashes.SHA512()),
    ],
)
def test_rsa_pkcs1_v15_with_sha2_verifies_and_rejects_a_changed_byte(rsa_key, oid, hash_algorithm) -> None:  # type: ignore[no-untyped-def]
    signature = rsa_key.sign(DATA, padding.PKCS1v15(), hash_algorithm)
    assert verify_signature(_spki(rsa_key), oid, DATA, signature)
    assert not verify_signature(_spki(rsa_key), oid, DATA + b"!", signature)


def test_cms_style_rsa_encryption_takes_the_digest_from_the_caller(rsa_key) -> None:  # type: ignore[no-untyped-def]
    signature = rsa_key.sign(DATA, padding.PKCS1v15(), hashes.SHA256())
    assert verify_signature(
        _spki(rsa_key), oids.RSA_ENCRYPTION, DATA, signature, digest_algorithm=oids.SHA256
    )
    with pytest.raises(UnsupportedAlgorithm):
        verify_signature(_spki(rsa_key), oids.RSA_ENCRYPTION, DATA, signature)


def test_rsa_pss_parameters_are_honoured(rsa_key) -> None:  # type: ignore[no-untyped-def]
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    signature = rsa_key.sign(DATA, pss, hashes.SHA256())
    params = {
        "hash_algorithm": {"algorithm": "sha256"},
        "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}},
        "salt_length": 32,
    }
    algorithm = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": params})
    assert verify_signature(_spki(rsa_key), algorithm, DATA, signature)
    assert verify_signature(_spki(rsa_key), algorithm.dump(), DATA, signature)
    wrong_salt = algos.SignedDigestAlgorithm(
        {"algorithm": "rsassa_pss", "parameters": {**params, "salt_length": 20}}
    )
    assert not verify_signature(_spki(rsa_key), wrong_salt, DATA, signature)


def test_ecdsa_with_sha2_verifies_and_a_key_of_another_type_does_not(ec_key, rsa_key) -> None:  # type: ignore[no-untyped-def]
    signature = ec_key.sign(DATA, ec.ECDSA(hashes.SHA256()))
    assert verify_signature(_spki(ec_key), oids.ECDSA_WITH_SHA256, DATA, signature)
    assert not verify_signature(_spki(rsa_key), oids.ECDSA_WITH_SHA256, DATA, signature)
    assert not verify_signature(_spki(ec_key), oids.SHA256_WITH_RSA, DATA, signature)


@pytest.mark.parametrize("oid", ["1.2.840.113549.1.1.5", "1.2.840.10045.4.1", "1.2.3.4"])
def test_sha1_and_unknown_algorithms_raise_unsupported_never_pass(rsa_key, oid: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnsupportedAlgorithm) as error:
        verify_signature(_spki(rsa_key), oid, DATA, b"\x00" * 64)
    assert error.value.code == "unsupported_algorithm"
    assert not signatures.is_supported(oid)


def test_rsa_keys_under_2048_bits_are_refused() -> None:
    small = rsa.generate_private_key(65537, 1024)
    signature = small.sign(DATA, padding.PKCS1v15(), hashes.SHA256())
    with pytest.raises(UnsupportedAlgorithm):
        verify_signature(_spki(small), oids.SHA256_WITH_RSA, DATA, signature)


def test_malformed_key_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as error:
        verify_signature(b"\x30\x03\x02\x01\x00", oids.SHA256_WITH_RSA, DATA, b"")
    assert error.value.code == "malformed_key"


def test_loaded_public_keys_are_cached(ec_key) -> None:  # type: ignore[no-untyped-def]
    assert load_public_key(_spki(ec_key)) is load_public_key(_spki(ec_key))


def test_a_new_algorithm_is_one_entry_in_the_dispatch_table(ec_key, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """An entry keyed by the signature OID receives the parsed inputs (as the GOST entries do)."""
    seen: list[SignatureInput] = []

    def new_algorithm(inputs: SignatureInput) -> bool:
        seen.append(inputs)
        return inputs.signature == b"ok"

    monkeypatch.setitem(SIGNATURE_VERIFIERS, "1.2.3.4", new_algorithm)
    assert verify_signature(_spki(ec_key), "1.2.3.4", DATA, b"ok")
    assert not verify_signature(_spki(ec_key), "1.2.3.4", DATA, b"no")
    assert seen[0].algorithm["algorithm"].dotted == "1.2.3.4" and seen[0].signed_data == DATA


# --- GOST through the same table (gost.md) -------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(oids.GOST_KEY_ALGORITHMS))
def gost_key(request: pytest.FixtureRequest) -> gost.GostPrivateKey:
    return gost.GostPrivateKey.generate(request.param)


def _gost_spki(key_oid: str, paramset_oid: str, digest_oid: str, point: bytes) -> bytes:
    """A GOST SubjectPublicKeyInfo written by hand, so that its OIDs and point can be anything."""
    params = core.Sequence(
        contents=core.ObjectIdentifier(paramset_oid).dump() + core.ObjectIdentifier(digest_oid).dump()
    )
    algorithm = core.Sequence(contents=core.ObjectIdentifier(key_oid).dump() + params.dump())
    key = core.OctetBitString(core.OctetString(point).dump())
    return core.Sequence(contents=algorithm.dump() + key.dump()).dump()


def _point(public: gost.GostPublicKey) -> bytes:
    size = public.bits // 8
    return public.x.to_bytes(size, "little") + public.y.to_bytes(size, "little")


def test_eds_10_gost_signatures_verify_and_a_flipped_byte_does_not(gost_key: gost.GostPrivateKey) -> None:
    spki = gost_key.public_key().to_spki_der()
    signature = gost.sign(gost_key, DATA)
    assert signatures.is_supported(gost_key.signature_oid)
    assert verify_signature(spki, gost_key.signature_oid, DATA, signature)
    tampered = bytes([signature[0] ^ 1]) + signature[1:]
    assert not verify_signature(spki, gost_key.signature_oid, DATA, tampered)
    assert not verify_signature(spki, gost_key.signature_oid, DATA + b"!", signature)


def test_eds_10_gost_signature_of_wrong_length_or_out_of_range_r_s_is_invalid(
    gost_key: gost.GostPrivateKey,
) -> None:
    spki = gost_key.public_key().to_spki_der()
    signature = gost.sign(gost_key, DATA)
    half = len(signature) // 2
    for wrong in (signature[:-1], signature + b"\x00", b"", signature * 2):
        assert not verify_signature(spki, gost_key.signature_oid, DATA, wrong)
    zero_r = b"\x00" * half + signature[half:]
    zero_s = signature[:half] + b"\x00" * half
    all_ones = b"\xff" * half  # 2^(8*half) - 1 >= q: out of range
    for wrong in (zero_r, zero_s, all_ones + signature[half:], signature[:half] + all_ones):
        assert not verify_signature(spki, gost_key.signature_oid, DATA, wrong)


def test_eds_10_gost_oid_with_a_key_of_another_type_is_false_never_an_error(
    gost_key: gost.GostPrivateKey, rsa_key: rsa.RSAPrivateKey
) -> None:
    signature = gost.sign(gost_key, DATA)
    spki = gost_key.public_key().to_spki_der()
    assert not verify_signature(_spki(rsa_key), gost_key.signature_oid, DATA, signature)
    assert not verify_signature(spki, oids.ECDSA_WITH_SHA256, DATA, signature)
    other = next(o for o in sorted(oids.GOST_SIGNATURE_ALGORITHMS) if o != gost_key.signature_oid)
    assert not verify_signature(spki, other, DATA, signature)


def test_eds_10_gost_key_on_unknown_or_foreign_parameter_set_is_unsupported() -> None:
    key = gost.GostPrivateKey.generate(oids.KZ_GOST2015_512_KEY)
    signature = gost.sign(key, DATA)
    point = _point(key.public_key())
    for paramset in ("1.2.643.7.1.2.1.2.1", oids.KZ_GOST2004_PARAMSET):  # Russian TC26-512-A OID; a 2004 set
        spki = _gost_spki(oids.KZ_GOST2015_512_KEY, paramset, oids.KZ_STREEBOG_512, point)
        with pytest.raises(UnsupportedAlgorithm) as error:
            verify_signature(spki, oids.KZ_GOST2015_512_SIGNATURE, DATA, signature)
        assert error.value.code == "unsupported_algorithm"


def test_eds_10_gost_key_off_its_curve_or_of_wrong_length_is_malformed() -> None:
    key = gost.GostPrivateKey.generate(oids.KZ_GOST2015_512_KEY)
    signature = gost.sign(key, DATA)
    point = _point(key.public_key())
    off_curve = point[:-1] + bytes([point[-1] ^ 1])
    for bad in (off_curve, point[:-1]):
        spki = _gost_spki(oids.KZ_GOST2015_512_KEY, oids.KZ_GOST2015_512_PARAMSET, oids.KZ_STREEBOG_512, bad)
        with pytest.raises(InvalidInput) as error:
            verify_signature(spki, oids.KZ_GOST2015_512_SIGNATURE, DATA, signature)
        assert error.value.code == "malformed_key"
