"""Streebog (RFC 6986) and GOST R 34.11-94 with the Test parameter set (RFC 5831), via pki.gost.digest."""

from __future__ import annotations

import pytest
from gostcrypto import gosthash
from hypothesis import given, settings
from hypothesis import strategies as st

from pki import oids
from pki.gost import GostError, digest, hash_oid_for_signature
from pki.gost.gost94 import gost34311_94
from pki.gost.streebog import streebog256, streebog512

# RFC 6986 section 10: the messages and digests as the RFC prints them (most significant byte first);
# as a byte string the message is the print reversed, and so is the digest we return.
M1 = bytes.fromhex(
    "323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635"
    "343332313039383736353433323130"
)[::-1]
M2 = bytes.fromhex(
    "fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202c"
    "e8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1"
)[::-1]


def test_streebog_rfc6986_messages_are_what_the_rfc_says() -> None:
    assert M1 == b"012345678901234567890123456789012345678901234567890123456789012"
    assert len(M2) == 72


def test_streebog512_rfc6986_m1() -> None:
    assert streebog512(M1)[::-1].hex() == (
        "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00"
        "fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b"
    )


def test_streebog512_rfc6986_m2() -> None:
    assert streebog512(M2)[::-1].hex() == (
        "28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f03"
        "7613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e"
    )


def test_streebog256_rfc6986_m1() -> None:
    assert streebog256(M1)[::-1].hex() == "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d"


def test_streebog256_rfc6986_m2() -> None:
    assert streebog256(M2)[::-1].hex() == "508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d"


@pytest.mark.parametrize("length", [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 1000])
def test_streebog_matches_gostcrypto_at_block_boundaries(length: int) -> None:
    data = bytes((7 * i + 3) & 0xFF for i in range(length))
    assert streebog512(data) == bytes(gosthash.new("streebog512", data=data).digest())
    assert streebog256(data) == bytes(gosthash.new("streebog256", data=data).digest())


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=300))
def test_streebog_matches_gostcrypto_on_random_data(data: bytes) -> None:
    assert streebog512(data) == bytes(gosthash.new("streebog512", data=data).digest())


def test_streebog_carry_in_sigma_with_ff_blocks() -> None:
    # All-0xFF blocks make the mod-2^512 additions in N and Sigma carry through every byte.
    data = b"\xff" * 192
    assert streebog512(data) == bytes(gosthash.new("streebog512", data=data).digest())


# GOST R 34.11-94 with the test parameter set: RFC 5831 section 7.3.1 (the 32- and 50-byte messages)
# and the examples published with the standard (the short strings), printed as digest bytes in order.
GOST94_VECTORS = [
    (b"", "ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d"),
    (b"a", "d42c539e367c66e9c88a801f6649349c21871b4344c6a573f849fdce62f314dd"),
    (b"abc", "f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d"),
    (b"message digest", "ad4434ecb18f2c99b60cbe59ec3d2469582b65273f48de72db2fde16a4889a4d"),
    (b"U" * 128, "53a3a3ed25180cef0c1d85a074273e551c25660a87062a52d926a9e8fe5733a4"),
    (b"This is message, length=32 bytes", "b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa"),
    (
        b"Suppose the original message has length = 50 bytes",
        "471aba57a60a770d3a76130635c1fbea4ef14de51f78b4ae57dd893b62f55208",
    ),
    (
        b"The quick brown fox jumps over the lazy dog",
        "77b7fa410c9ac58a25f49bca7d0468c9296529315eaca76bd1a10f376d1f4294",
    ),
]


@pytest.mark.parametrize(("message", "expected"), GOST94_VECTORS)
def test_gost3411_94_test_paramset_published_vectors(message: bytes, expected: str) -> None:
    assert gost34311_94(message).hex() == expected


def test_digest_dispatches_by_kazakh_hash_oid() -> None:
    assert digest(oids.KZ_STREEBOG_512, M1) == streebog512(M1)
    assert digest(oids.KZ_STREEBOG_256, M1) == streebog256(M1)
    assert digest(oids.KZ_GOST3411_94, b"abc") == gost34311_94(b"abc")


def test_digest_rejects_other_hash_oids() -> None:
    with pytest.raises(GostError) as info:
        digest(oids.SHA256, b"abc")
    assert info.value.code == "unsupported_algorithm"


def test_hash_oid_for_signature() -> None:
    assert hash_oid_for_signature(oids.KZ_GOST2015_512_SIGNATURE) == oids.KZ_STREEBOG_512
    assert hash_oid_for_signature(oids.KZ_GOST2015_256_SIGNATURE) == oids.KZ_STREEBOG_256
    assert hash_oid_for_signature(oids.KZ_GOST2004_SIGNATURE) == oids.KZ_GOST3411_94
    with pytest.raises(GostError) as info:
        hash_oid_for_signature(oids.SHA256_WITH_RSA)
    assert info.value.code == "unsupported_algorithm"
