"""Genuine NCA GOST objects (tests/data/interop/ncanode-gost-test) verified with pki.gost.

Each object is parsed with plain asn1crypto (no project verifier is involved): the signed bytes are taken
as received (TBS DER; for CMS the signed attributes with the [0] tag replaced by SET), the signature
bytes straight from the BIT STRING / OCTET STRING, the key from the issuer's SubjectPublicKeyInfo.
A copy with one flipped byte (in the signed bytes, or in the signature) must fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from asn1crypto import cms, crl, ocsp, pem, x509

from pki import oids
from pki.gost import GostError, GostPublicKey, digest, load_pkcs12, sign, verify
from tests.data_paths import INTEROP_GOST

PASSWORD = "Qwerty12"


def _read(name: str) -> bytes:
    data = (INTEROP_GOST / name).read_bytes()
    return pem.unarmor(data)[2] if pem.detect(data) else data


def _cert(name: str) -> x509.Certificate:
    return x509.Certificate.load(_read(name))


def _key(cert: x509.Certificate) -> GostPublicKey:
    return GostPublicKey.from_spki_der(cert["tbs_certificate"]["subject_public_key_info"].dump())


@dataclass(frozen=True)
class Signed:
    key: GostPublicKey
    signature_oid: str
    data: bytes
    signature: bytes


def _certificate(child: str, issuer: str) -> Signed:
    c = _cert(child)
    return Signed(
        _key(_cert(issuer)),
        c["signature_algorithm"]["algorithm"].dotted,
        c["tbs_certificate"].dump(),
        c["signature_value"].native,
    )


def _crl(name: str, issuer: str) -> Signed:
    c = crl.CertificateList.load(_read(name))
    return Signed(
        _key(_cert(issuer)),
        c["signature_algorithm"]["algorithm"].dotted,
        c["tbs_cert_list"].dump(),
        c["signature"].native,
    )


def _ocsp(name: str) -> Signed:
    basic = ocsp.OCSPResponse.load(_read(name))["response_bytes"]["response"].parsed
    return Signed(
        _key(basic["certs"][0]),
        basic["signature_algorithm"]["algorithm"].dotted,
        basic["tbs_response_data"].dump(),
        basic["signature"].native,
    )


def _signer_info(name: str) -> tuple[Signed, bytes, cms.SignedData]:
    """The GOST SignerInfo of a CMS SignedData: what it signs, and its messageDigest attribute."""
    signed_data = cms.ContentInfo.load(_read(name))["content"]
    for si in signed_data["signer_infos"]:
        sig_oid = si["signature_algorithm"]["algorithm"].dotted
        if sig_oid in oids.GOST_SIGNATURE_ALGORITHMS:
            break
    else:
        raise AssertionError("no GOST SignerInfo")
    sid = si["sid"].chosen
    (cert,) = (
        c.chosen
        for c in signed_data["certificates"]
        if c.chosen.serial_number == sid["serial_number"].native and c.chosen.issuer == sid["issuer"]
    )
    attrs = si["signed_attrs"].dump()
    assert attrs[0] == 0xA0  # [0] IMPLICIT
    (message_digest,) = (
        a["values"][0].native for a in si["signed_attrs"] if a["type"].dotted == oids.ATTR_MESSAGE_DIGEST
    )
    signed = Signed(_key(cert), sig_oid, b"\x31" + attrs[1:], si["signature"].native)
    return signed, message_digest, signed_data


OBJECTS: dict[str, Callable[[], Signed]] = {
    "root_test_gost_2022.cer self-signed": lambda: _certificate(
        "root_test_gost_2022.cer", "root_test_gost_2022.cer"
    ),
    "nca_gost2022_test.cer by the root": lambda: _certificate(
        "nca_gost2022_test.cer", "root_test_gost_2022.cer"
    ),
    "individual_valid.cer by the 2022 CA": lambda: _certificate(
        "individual_valid.cer", "nca_gost2022_test.cer"
    ),
    "legal_valid_head.cer by the 2022 CA": lambda: _certificate(
        "legal_valid_head.cer", "nca_gost2022_test.cer"
    ),
    "nca_gost2022_test.crl": lambda: _crl("nca_gost2022_test.crl", "nca_gost2022_test.cer"),
    "nca_gost2022_test_small.crl": lambda: _crl("nca_gost2022_test_small.crl", "nca_gost2022_test.cer"),
    "ceo_valid_sign_2004_gost.cer by the 2004 CA": lambda: _certificate(
        "ceo_valid_sign_2004_gost.cer", "nca_gost2004_test.crt"
    ),
    "nca_gost2004_test.crl": lambda: _crl("nca_gost2004_test.crl", "nca_gost2004_test.crt"),
    "ocsp_response_individual_2015.bin": lambda: _ocsp("ocsp_response_individual_2015.bin"),
    "ocsp_response_ceo_2015_revoked.bin": lambda: _ocsp("ocsp_response_ceo_2015_revoked.bin"),
    "ocsp_response_ceo_sign_2004_revoked.bin": lambda: _ocsp("ocsp_response_ceo_sign_2004_revoked.bin"),
    "cms_gost2015_and_rsa_attached_test123.cms": lambda: _signer_info(
        "cms_gost2015_and_rsa_attached_test123.cms"
    )[0],
    "cms_gost2015_and_rsa_detached_test123.cms": lambda: _signer_info(
        "cms_gost2015_and_rsa_detached_test123.cms"
    )[0],
    "tsp_token_2004.bin": lambda: _signer_info("tsp_token_2004.bin")[0],
}


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


@pytest.mark.parametrize("name", OBJECTS)
def test_real_nca_signature_verifies_and_a_flipped_byte_fails(name: str) -> None:
    s = OBJECTS[name]()
    assert verify(s.key, s.signature_oid, s.data, s.signature)
    assert not verify(s.key, s.signature_oid, _flip(s.data, len(s.data) // 2), s.signature)
    assert not verify(s.key, s.signature_oid, s.data, _flip(s.signature, 0))
    assert not verify(s.key, s.signature_oid, s.data, _flip(s.signature, len(s.signature) - 1))


def test_gost2015_512_verifies_real_nca_certificate() -> None:
    s = _certificate("individual_valid.cer", "nca_gost2022_test.cer")
    assert s.signature_oid == oids.KZ_GOST2015_512_SIGNATURE
    assert s.key.bits == 512 and len(s.signature) == 128
    assert verify(s.key, s.signature_oid, s.data, s.signature)


def test_gost2004_verifies_real_nca_certificate() -> None:
    s = _certificate("ceo_valid_sign_2004_gost.cer", "nca_gost2004_test.crt")
    assert s.signature_oid == oids.KZ_GOST2004_SIGNATURE
    assert s.key.key_oid == oids.KZ_GOST2004_KEY and s.key.bits == 256 and len(s.signature) == 64
    assert verify(s.key, s.signature_oid, s.data, s.signature)


def test_real_signatures_reject_the_russian_byte_order() -> None:
    # The RFC 4491 layout is the byte reversal of the Kazakh one: it must not verify.
    for name in ("individual_valid.cer by the 2022 CA", "ceo_valid_sign_2004_gost.cer by the 2004 CA"):
        s = OBJECTS[name]()
        assert not verify(s.key, s.signature_oid, s.data, s.signature[::-1])


def test_real_spki_round_trips_byte_for_byte() -> None:
    for name in (
        "individual_valid.cer",
        "nca_gost2022_test.cer",
        "nca_gost2004_test.crt",
        "ceo_valid_sign_2004_gost.cer",
    ):
        spki = _cert(name)["tbs_certificate"]["subject_public_key_info"].dump()
        assert GostPublicKey.from_spki_der(spki).to_spki_der() == spki


def test_cms_message_digest_is_streebog512_in_our_byte_order() -> None:
    _, message_digest, signed_data = _signer_info("cms_gost2015_and_rsa_attached_test123.cms")
    assert signed_data["encap_content_info"]["content"].native == b"test123"
    assert message_digest == digest(oids.KZ_STREEBOG_512, b"test123")


def test_tsp_message_digest_is_gost3411_94_test_paramset() -> None:
    _, message_digest, signed_data = _signer_info("tsp_token_2004.bin")
    tst_info = signed_data["encap_content_info"]["content"].contents
    assert message_digest == digest(oids.KZ_GOST3411_94, tst_info)


@pytest.mark.parametrize(
    "name",
    [
        "individual_valid",
        "individual_revoked",
        "legal_valid_head",
        "legal_revoked_head",
        "legal_valid_employee",
        "legal_valid_infosystem",
    ],
)
def test_nca_p12_gives_the_key_of_its_certificate(name: str) -> None:
    key, cert = load_pkcs12(_read(f"{name}.p12"), PASSWORD)
    assert cert == _read(f"{name}.cer")
    cert_key = _key(_cert(f"{name}.cer"))
    assert key.public_key() == cert_key
    assert (key.key_oid, key.paramset_oid) == (oids.KZ_GOST2015_512_KEY, oids.KZ_GOST2015_512_PARAMSET)
    assert verify(cert_key, oids.KZ_GOST2015_512_SIGNATURE, b"login challenge", sign(key, b"login challenge"))


def test_nca_p12_wrong_password_is_bad_password() -> None:
    for password in ("qwerty12", "", "Qwerty12 "):
        with pytest.raises(GostError) as info:
            load_pkcs12(_read("individual_valid.p12"), password)
        assert info.value.code == "bad_password"
