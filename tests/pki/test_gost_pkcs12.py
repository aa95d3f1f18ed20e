"""Legacy PKCS#12 for GOST keys: RC2 (RFC 2268), our writer, and error handling of the reader."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import pem, pkcs12

from pki import oids
from pki.gost import GostError, GostPrivateKey, dump_pkcs12, load_pkcs12
from pki.gost.rc2 import rc2_cbc_decrypt
from tests.data_paths import INTEROP_GOST, INTEROP_RSA

# RFC 2268 section 5: (effective key bits, key, plaintext, ciphertext).
RC2_VECTORS = [
    (63, "0000000000000000", "0000000000000000", "ebb773f993278eff"),
    (64, "ffffffffffffffff", "ffffffffffffffff", "278b27e42e2f0d49"),
    (64, "3000000000000000", "1000000000000001", "30649edf9be7d2c2"),
    (64, "88", "0000000000000000", "61a8a244adacccf0"),
    (64, "88bca90e90875a", "0000000000000000", "6ccf4308974c267f"),
    (64, "88bca90e90875a7f0f79c384627bafb2", "0000000000000000", "1a807d272bbe5db1"),
    (128, "88bca90e90875a7f0f79c384627bafb2", "0000000000000000", "2269552ab0f85ca6"),
    (
        129,
        "88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e",
        "0000000000000000",
        "5b78d3a43dfff1f1",
    ),
]


@pytest.mark.parametrize(("bits", "key", "plain", "cipher"), RC2_VECTORS)
def test_rc2_rfc2268_vectors(bits: int, key: str, plain: str, cipher: str) -> None:
    # One block of CBC with a zero IV is ECB.
    assert rc2_cbc_decrypt(bytes.fromhex(key), bits, bytes(8), bytes.fromhex(cipher)).hex() == plain


def test_rc2_cbc_chains_blocks() -> None:
    key, c = bytes.fromhex("88"), bytes.fromhex("61a8a244adacccf0")
    iv = bytes(range(8))
    out = rc2_cbc_decrypt(key, 64, iv, c + c)
    assert out[:8] == bytes(x ^ y for x, y in zip(bytes(8), iv, strict=True))
    assert out[8:] == bytes(x ^ y for x, y in zip(bytes(8), c, strict=True))
    with pytest.raises(ValueError):
        rc2_cbc_decrypt(key, 64, iv, c[:7])


@pytest.fixture(scope="module")
def nca_key_and_cert() -> tuple[GostPrivateKey, bytes]:
    key, cert = load_pkcs12((INTEROP_GOST / "individual_valid.p12").read_bytes(), "Qwerty12")
    assert cert is not None
    return key, cert


def test_nca_p12_layout_is_3des_key_bag_and_rc2_40_certificate_bag() -> None:
    pfx = pkcs12.Pfx.load((INTEROP_GOST / "individual_valid.p12").read_bytes())
    safe = pkcs12.AuthenticatedSafe.load(pfx["auth_safe"]["content"].native)
    kinds = [info["content_type"].native for info in safe]
    assert kinds == ["data", "encrypted_data"]
    key_bag = pkcs12.SafeContents.load(safe[0]["content"].native)[0]
    assert key_bag["bag_value"]["encryption_algorithm"]["algorithm"].native == "pkcs12_sha1_tripledes_3key"
    enc = safe[1]["content"]["encrypted_content_info"]["content_encryption_algorithm"]
    assert enc["algorithm"].native == "pkcs12_sha1_rc2_40"


def test_dump_load_round_trip(nca_key_and_cert: tuple[GostPrivateKey, bytes]) -> None:
    key, cert = nca_key_and_cert
    data = dump_pkcs12(key, cert, "Пароль-1", iterations=100)
    assert load_pkcs12(data, "Пароль-1") == (key, cert)
    with pytest.raises(GostError) as info:
        load_pkcs12(data, "Пароль-2")
    assert info.value.code == "bad_password"


@pytest.mark.parametrize(
    "key_oid", [oids.KZ_GOST2015_512_KEY, oids.KZ_GOST2015_256_KEY, oids.KZ_GOST2004_KEY]
)
def test_dump_load_without_certificate(key_oid: str) -> None:
    key = GostPrivateKey.generate(key_oid)
    assert load_pkcs12(dump_pkcs12(key, None, "pw", iterations=10), "pw") == (key, None)


def test_certificate_of_another_key_is_not_returned(nca_key_and_cert: tuple[GostPrivateKey, bytes]) -> None:
    _, cert = nca_key_and_cert
    other = GostPrivateKey.generate()
    assert load_pkcs12(dump_pkcs12(other, cert, "pw", iterations=10), "pw") == (other, None)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl binary")
def test_openssl_checks_our_mac_and_decrypts_our_certificate_bag(
    nca_key_and_cert: tuple[GostPrivateKey, bytes], tmp_path: Path
) -> None:
    key, cert = nca_key_and_cert
    path = tmp_path / "ours.p12"
    path.write_bytes(dump_pkcs12(key, cert, "secret", iterations=50))
    result = subprocess.run(
        ["openssl", "pkcs12", "-in", str(path), "-passin", "pass:secret", "-nokeys"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert pem.unarmor(result.stdout[result.stdout.index(b"-----BEGIN") :])[2] == cert


def test_tampered_ciphertext_fails_the_mac(nca_key_and_cert: tuple[GostPrivateKey, bytes]) -> None:
    # A corrupted file is indistinguishable from a wrong password: both fail the MAC.
    key, cert = nca_key_and_cert
    data = dump_pkcs12(key, cert, "pw", iterations=10)
    safe = pkcs12.AuthenticatedSafe.load(pkcs12.Pfx.load(data)["auth_safe"]["content"].native)
    ciphertext = safe[1]["content"]["encrypted_content_info"]["encrypted_content"].native
    at = data.index(ciphertext) + 8
    tampered = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
    with pytest.raises(GostError) as info:
        load_pkcs12(tampered, "pw")
    assert info.value.code == "bad_password"


def test_file_without_mac_is_refused(nca_key_and_cert: tuple[GostPrivateKey, bytes]) -> None:
    key, cert = nca_key_and_cert
    pfx = pkcs12.Pfx.load(dump_pkcs12(key, cert, "pw", iterations=10))
    no_mac = pkcs12.Pfx({"version": "v3", "auth_safe": pfx["auth_safe"]}).dump()
    with pytest.raises(GostError) as info:
        load_pkcs12(no_mac, "pw")
    assert info.value.code == "malformed_pkcs12"


@pytest.mark.parametrize("data", [b"", b"\x30\x00", b"not a pkcs12 file", b"\x30\x03\x02\x01\x03"])
def test_garbage_is_malformed_pkcs12(data: bytes) -> None:
    with pytest.raises(GostError) as info:
        load_pkcs12(data, "pw")
    assert info.value.code == "malformed_pkcs12"


def test_truncated_nca_file_is_malformed_pkcs12() -> None:
    data = (INTEROP_GOST / "individual_valid.p12").read_bytes()
    with pytest.raises(GostError) as info:
        load_pkcs12(data[:-30], "Qwerty12")
    assert info.value.code == "malformed_pkcs12"


def test_nca_rsa_p12_opens_but_is_unsupported_algorithm() -> None:
    # Same legacy container (MAC, 3DES, RC2-40), an RSA key inside: not ours to load.
    with pytest.raises(GostError) as info:
        load_pkcs12((INTEROP_RSA / "individual_valid_sign_2004_rsa.p12").read_bytes(), "Qwerty12")
    assert info.value.code == "unsupported_algorithm"
