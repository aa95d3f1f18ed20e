"""pki.xmldsig: enveloped signatures NCALayer-style, cross-checked by signxml; the hardened parser."""

from __future__ import annotations

import datetime as dt

import pytest
import signxml
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from lxml import etree

from pki import keys, xmldsig
from pki.errors import InvalidInput, UnsupportedAlgorithm

DOCUMENT = '<login xmlns="urn:unis"><nonce>abc</nonce>\n  <note>Қазақ тілі</note>\n</login>'.encode()
AT = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


@pytest.fixture(scope="module", params=[keys.KeyType.RSA2048, keys.KeyType.P256])
def signer(request) -> tuple[keys.PrivateKey, x509.Certificate]:  # type: ignore[no-untyped-def]
    key = keys.generate_private_key(request.param)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "XML SIGNER")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(AT - dt.timedelta(days=1))
        .not_valid_after(AT + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def test_signxml_independently_verifies_what_we_sign(signer) -> None:  # type: ignore[no-untyped-def]
    key, certificate = signer
    signed = xmldsig.sign_enveloped(DOCUMENT, key, certificate)
    result = signxml.XMLVerifier().verify(
        signed,
        x509_cert=keys.certificate_pem(certificate).decode(),
        expect_config=signxml.verifier.SignatureConfiguration(expect_references=1, verification_time=AT),
    )
    assert etree.tostring(result.signed_xml, method="c14n") == etree.tostring(
        etree.fromstring(DOCUMENT), method="c14n"
    )


def test_enveloped_document_bytes_are_the_document_without_the_signature_and_leave_the_tree_intact(
    signer,
) -> None:  # type: ignore[no-untyped-def]
    key, certificate = signer
    tree = xmldsig.parse_xml(xmldsig.sign_enveloped(DOCUMENT, key, certificate))
    before = etree.tostring(tree)
    signature = tree.getroot().find("ds:Signature", xmldsig.NSMAP)
    assert xmldsig.enveloped_document_bytes([signature], xmldsig.C14N) == etree.tostring(
        etree.fromstring(DOCUMENT), method="c14n"
    )
    assert etree.tostring(tree) == before


@pytest.mark.parametrize(
    "hostile",
    [
        b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        b'<!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>',
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a/>',
    ],
)
def test_parser_refuses_dtds_and_entities(hostile: bytes) -> None:
    with pytest.raises(InvalidInput) as error:
        xmldsig.parse_xml(hostile)
    assert error.value.code == "xml_forbidden"


def test_parser_refuses_oversize_documents_and_reports_malformed_xml() -> None:
    with pytest.raises(InvalidInput) as error:
        xmldsig.parse_xml(b"<a>" + b"x" * 100 + b"</a>", max_bytes=50)
    assert error.value.code == "xml_forbidden"
    with pytest.raises(InvalidInput) as error:
        xmldsig.parse_xml(b"<a><b></a>")
    assert error.value.code == "malformed_signature"


def test_canonicalization_outside_the_allow_list_is_unsupported() -> None:
    with pytest.raises(UnsupportedAlgorithm):
        xmldsig.canonicalize(etree.fromstring(b"<a/>"), "http://www.w3.org/2006/12/xml-c14n11")
