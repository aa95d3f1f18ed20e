"""pki.cms_signing and pki.cms: SignedData as NCALayer makes it, accepted by ``openssl cms -verify``, and
parsed safely."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms, core, tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pki import keys, oids
from pki.cms import (
    _certificate_ders,
    _memoised_certificate_ders,
    attribute_values,
    embedded_certificate_ders,
    embedded_certificates,
    encapsulated_content,
    find_signer_certificate,
    first_cert_id,
    load_signed_data,
    signed_attributes_der,
    signer_identifier,
)
from pki.cms_signing import sign_cms
from pki.errors import InvalidInput, UnsupportedAlgorithm

AT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
CONTENT = b"challenge nonce \x00\x01\x02 32 bytes long........"


def _certificate(key: keys.PrivateKey, name: str = "ТЕСТОВ АЙДАР") -> x509.Certificate:
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, name), x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(AT - dt.timedelta(days=1))
        .not_valid_after(AT + dt.timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def signers() -> dict[str, tuple[keys.PrivateKey, x509.Certificate]]:
    out = {}
    for name, key_type in (("rsa", keys.KeyType.RSA2048), ("p256", keys.KeyType.P256)):
        key = keys.generate_private_key(key_type)
        out[name] = (key, _certificate(key))
    return out


@pytest.mark.parametrize(
    ("signer", "pss", "detached"),
    [("rsa", False, False), ("rsa", True, True), ("p256", False, True), ("p256", False, False)],
)
def test_openssl_cms_verify_accepts_the_cms_we_build(
    signers, tmp_path: Path, signer: str, pss: bool, detached: bool
) -> None:  # type: ignore[no-untyped-def]
    key, certificate = signers[signer]
    der = sign_cms(CONTENT, key, certificate, signing_time=AT, detached=detached, rsa_pss=pss)
    (tmp_path / "s.der").write_bytes(der)
    (tmp_path / "ca.pem").write_bytes(keys.certificate_pem(certificate))
    (tmp_path / "data").write_bytes(CONTENT)
    command = [
        "openssl",
        "cms",
        "-verify",
        "-inform",
        "DER",
        "-in",
        str(tmp_path / "s.der"),
        "-CAfile",
        str(tmp_path / "ca.pem"),
        "-purpose",
        "any",
        "-attime",
        str(int(AT.timestamp())),
        "-out",
        str(tmp_path / "out"),
    ]
    if detached:
        command += ["-content", str(tmp_path / "data"), "-binary"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out").read_bytes() == CONTENT


def test_signed_attributes_are_der_sorted_and_complete(signers) -> None:  # type: ignore[no-untyped-def]
    key, certificate = signers["p256"]
    signer_info = load_signed_data(sign_cms(CONTENT, key, certificate, signing_time=AT))["signer_infos"][0]
    encoded = [a.dump() for a in signer_info["signed_attrs"]]
    assert encoded == sorted(encoded)
    assert signed_attributes_der(signer_info)[:1] == b"\x31"
    assert (
        attribute_values(signer_info, oids.ATTR_MESSAGE_DIGEST)[0].native == hashlib.sha256(CONTENT).digest()
    )
    assert attribute_values(signer_info, oids.ATTR_CONTENT_TYPE)[0].dotted == oids.CMS_DATA
    assert attribute_values(signer_info, oids.ATTR_SIGNING_TIME)[0].native == AT
    ess = attribute_values(signer_info, oids.ATTR_SIGNING_CERTIFICATE_V2)[0]
    assert isinstance(ess, tsp.SigningCertificateV2)
    assert ess["certs"][0]["cert_hash"].native == hashlib.sha256(keys.certificate_der(certificate)).digest()


def test_attached_and_detached_content_and_the_signer_lookup(signers) -> None:  # type: ignore[no-untyped-def]
    key, certificate = signers["rsa"]
    attached = load_signed_data(sign_cms(CONTENT, key, certificate, signing_time=None))
    detached = load_signed_data(sign_cms(CONTENT, key, certificate, signing_time=None, detached=True))
    assert encapsulated_content(attached) == CONTENT
    assert encapsulated_content(detached) is None
    assert attribute_values(attached["signer_infos"][0], oids.ATTR_SIGNING_TIME) is None
    found = find_signer_certificate(attached["signer_infos"][0], embedded_certificates(attached))
    assert found is not None and found.serial_number == certificate.serial_number
    assert find_signer_certificate(attached["signer_infos"][0], []) is None


def test_load_signed_data_takes_der_pem_and_base64_and_refuses_anything_else(signers) -> None:  # type: ignore[no-untyped-def]
    key, certificate = signers["p256"]
    der = sign_cms(CONTENT, key, certificate, signing_time=AT)
    pem = b"-----BEGIN PKCS7-----\n" + base64.encodebytes(der) + b"-----END PKCS7-----\n"
    for form in (der, pem, base64.b64encode(der), b"  \n" + base64.encodebytes(der)):
        assert encapsulated_content(load_signed_data(form)) == CONTENT
    data_only = cms.ContentInfo({"content_type": "data", "content": b"x"}).dump()
    for garbage in (b"", b"hello", b"\x30\x03\x02\x01", data_only, der[:100]):
        with pytest.raises(InvalidInput) as error:
            load_signed_data(garbage)
        assert error.value.code == "malformed_signature"


def test_sign_cms_refuses_a_weak_digest(signers) -> None:  # type: ignore[no-untyped-def]
    key, certificate = signers["p256"]
    with pytest.raises(UnsupportedAlgorithm):
        sign_cms(CONTENT, key, certificate, signing_time=AT, digest_algorithm=oids.SHA1)


def _signing_certificate_value(der: bytes, oid: str) -> object:
    """The parsed signingCertificate(V2) value of a CMS, as the verifier reads it."""
    values = attribute_values(load_signed_data(der)["signer_infos"][0], oid)
    assert values is not None
    return values[0]


def test_first_cert_id_reads_the_sha256_default_of_a_der_essCertIDv2() -> None:
    key = keys.generate_private_key(keys.KeyType.RSA2048)
    certificate = _certificate(key)
    der = sign_cms(CONTENT, key, certificate, signing_time=AT)
    value = _signing_certificate_value(der, oids.ATTR_SIGNING_CERTIFICATE_V2)
    assert isinstance(value, tsp.SigningCertificateV2)
    assert value["certs"][0].contents[:1] == b"\x04"  # DER leaves the default hashAlgorithm out
    expected = hashlib.sha256(keys.certificate_der(certificate)).digest()
    assert first_cert_id(value) == (oids.SHA256, expected)


def test_first_cert_id_reads_an_explicit_hash_algorithm_and_a_v1_sha1_hash() -> None:
    explicit = tsp.SigningCertificateV2(
        {"certs": [{"hash_algorithm": {"algorithm": "sha512"}, "cert_hash": b"\x05" * 64}]}
    )
    loaded = tsp.SigningCertificateV2.load(explicit.dump())
    assert first_cert_id(loaded) == (oids.SHA512, b"\x05" * 64)
    v1 = tsp.SigningCertificate.load(tsp.SigningCertificate({"certs": [{"cert_hash": b"\x01" * 20}]}).dump())
    assert first_cert_id(v1) == (oids.SHA1, b"\x01" * 20)


def test_first_cert_id_raises_value_error_for_an_undecodable_essCertIDv2() -> None:
    # certs holds an INTEGER where an ESSCertIDv2 SEQUENCE belongs
    broken = tsp.SigningCertificateV2.load(b"\x30\x05\x30\x03\x02\x01\x01")
    with pytest.raises(ValueError):
        first_cert_id(broken)


def test_embedded_certificate_ders_are_the_received_bytes_memoised_by_the_set() -> None:
    key = keys.generate_private_key(keys.KeyType.RSA2048)
    certificate, other = _certificate(key), _certificate(key, "ЕКІНШІ СЕРТИФИКАТ")
    der = sign_cms(CONTENT, key, certificate, signing_time=AT, extra_certificates=[other])
    _memoised_certificate_ders.cache_clear()
    ders = embedded_certificate_ders(load_signed_data(der))
    assert ders == (keys.certificate_der(certificate), keys.certificate_der(other))
    assert embedded_certificate_ders(load_signed_data(der)) == ders
    assert _memoised_certificate_ders.cache_info().hits >= 1
    assert [c.dump() for c in embedded_certificates(load_signed_data(der))] == list(ders)


def test_embedded_certificate_ders_leave_other_choices_out_and_refuse_a_broken_set() -> None:
    key = keys.generate_private_key(keys.KeyType.RSA2048)
    der = sign_cms(CONTENT, key, _certificate(key), signing_time=AT)
    content_info = cms.ContentInfo.load(der)
    signed = content_info["content"]
    certificate = signed["certificates"][0]
    other = cms.CertificateChoices({"other": {"other_cert_format": "1.2.3.4", "other_cert": core.Null()}})
    signed["certificates"] = [certificate, other]
    with_other = load_signed_data(content_info.dump(force=True))
    assert embedded_certificate_ders(with_other) == (certificate.chosen.dump(),)
    with pytest.raises(ValueError):
        _certificate_ders(b"\x02\x01\x01")  # an INTEGER is no CertificateChoices


def test_signer_identifier_reads_issuer_and_serial_or_key_identifier() -> None:
    key = keys.generate_private_key(keys.KeyType.RSA2048)
    certificate = _certificate(key)
    signer_info = load_signed_data(sign_cms(CONTENT, key, certificate, signing_time=AT))["signer_infos"][0]
    assert signer_identifier(signer_info) == (certificate.serial_number, certificate.issuer.public_bytes())
    by_key = cms.SignerInfo.load(signer_info.dump())
    by_key["sid"] = cms.SignerIdentifier({"subject_key_identifier": b"\x01" * 20})
    assert signer_identifier(cms.SignerInfo.load(by_key.dump())) == (None, b"\x01" * 20)
