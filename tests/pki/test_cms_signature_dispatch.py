"""pki.signatures: one dispatch table for all signature checks; unknown and GOST algorithms unsupported."""

from __future__ import annotations

import pytest
from asn1crypto import algos
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from pki import oids, signatures
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


@pytest.mark.parametrize("oid", [*sorted(oids.GOST_SIGNATURE_ALGORITHMS), "1.2.840.113549.1.1.5", "1.2.3.4"])
def test_gost_sha1_and_unknown_algorithms_raise_unsupported_never_pass(rsa_key, oid: str) -> None:  # type: ignore[no-untyped-def]
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
    """How GOST plugs in: an entry keyed by the signature OID receives the parsed inputs."""
    seen: list[SignatureInput] = []

    def fake_gost(inputs: SignatureInput) -> bool:
        seen.append(inputs)
        return inputs.signature == b"ok"

    monkeypatch.setitem(SIGNATURE_VERIFIERS, oids.KZ_GOST2015_512_SIGNATURE, fake_gost)
    assert verify_signature(_spki(ec_key), oids.KZ_GOST2015_512_SIGNATURE, DATA, b"ok")
    assert not verify_signature(_spki(ec_key), oids.KZ_GOST2015_512_SIGNATURE, DATA, b"no")
    assert (
        seen[0].algorithm["algorithm"].dotted == oids.KZ_GOST2015_512_SIGNATURE
        and seen[0].signed_data == DATA
    )
