"""pki.xmldsig: enveloped signatures NCALayer-style (RSA, ECDSA, the Kazakh GOST methods, several signers
in one document), cross-checked by signxml where it can; the hardened parser.

The genuine NCA file that fixed the GOST layouts and the several-signers rule is in
tests/verifier/test_interop_gost_xml.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
import signxml
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from lxml import etree

from ca_sim.signing import sign_certificate
from pki import gost, keys, oids, xmldsig
from pki.cms import digest
from pki.errors import InvalidInput, UnsupportedAlgorithm

DOCUMENT = '<login xmlns="urn:unis"><nonce>abc</nonce>\n  <note>Қазақ тілі</note>\n</login>'.encode()
AT = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
DS = "{" + xmldsig.DS_NS + "}"
# GOST key type -> (SignatureMethod URI, DigestMethod URI, hash OID): Kalkan's names (pki.xmldsig docstring)
GOST_METHODS = {
    oids.KZ_GOST2015_512_KEY: (
        oids.XMLDSIG_GOST2015_512_SIGNATURE,
        oids.XMLDSIG_GOST2015_512_DIGEST,
        oids.KZ_STREEBOG_512,
    ),
    oids.KZ_GOST2015_256_KEY: (
        oids.XMLDSIG_GOST2015_256_SIGNATURE,
        oids.XMLDSIG_GOST2015_256_DIGEST,
        oids.KZ_STREEBOG_256,
    ),
    oids.KZ_GOST2004_KEY: (
        oids.XMLDSIG_GOST2004_SIGNATURE,
        oids.XMLDSIG_GOST2004_DIGEST,
        oids.KZ_GOST3411_94,
    ),
}


def _builder(public_key: keys.PublicKey) -> x509.CertificateBuilder:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "XML SIGNER")])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(7)
        .not_valid_before(AT - dt.timedelta(days=1))
        .not_valid_after(AT + dt.timedelta(days=1))
    )


@pytest.fixture(scope="module", params=[keys.KeyType.RSA2048, keys.KeyType.P256])
def signer(request) -> tuple[keys.PrivateKey, x509.Certificate]:  # type: ignore[no-untyped-def]
    key = keys.generate_private_key(request.param)
    return key, _builder(key.public_key()).sign(key, hashes.SHA256())


@pytest.fixture(scope="module", params=list(GOST_METHODS))
def gost_signer(request) -> tuple[gost.GostPrivateKey, x509.Certificate]:  # type: ignore[no-untyped-def]
    """A GOST key of each Kazakh type with a self-signed certificate (ca_sim's GOST certificate path)."""
    key = gost.GostPrivateKey.generate(request.param)
    placeholder = keys.generate_private_key(keys.KeyType.P256).public_key()
    return key, sign_certificate(_builder(placeholder), key, key.public_key().to_spki_der())


def _signatures(signed: bytes) -> list[etree._Element]:
    return xmldsig.parse_xml(signed).getroot().findall(DS + "Signature")


def _text(signature: etree._Element, path: str) -> bytes:
    return xmldsig.decode_base64_text(signature.find(path.replace("ds:", DS)), path)


def _digest_value(signature: etree._Element) -> bytes:
    return _text(signature, "ds:SignedInfo/ds:Reference/ds:DigestValue")


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


def test_eds_10_gost_keys_sign_with_the_kazakh_uris_in_the_nca_layout(gost_signer) -> None:  # type: ignore[no-untyped-def]
    """The key type picks its URIs; the DigestValue is the GOST hash as pki.cms.digest returns it and
    the SignatureValue the raw r||s (little-endian halves) over the canonical SignedInfo, as on the
    genuine file."""
    key, certificate = gost_signer
    signature_uri, digest_uri, hash_oid = GOST_METHODS[key.key_oid]
    (signature,) = _signatures(xmldsig.sign_enveloped(DOCUMENT, key, certificate))
    signed_info = signature.find(DS + "SignedInfo")
    assert signed_info.find(DS + "SignatureMethod").get("Algorithm") == signature_uri
    assert signed_info.find(f"{DS}Reference/{DS}DigestMethod").get("Algorithm") == digest_uri
    bare = etree.tostring(etree.fromstring(DOCUMENT), method="c14n")
    assert _digest_value(signature) == digest(hash_oid, bare)
    method = xmldsig.SIGNATURE_METHODS[signature_uri]
    assert (method.signature_oid, method.digest_oid) == (key.signature_oid, hash_oid)
    value = xmldsig.signature_value_for(method, _text(signature, "ds:SignatureValue"))
    signed_bytes = xmldsig.canonicalize(signed_info, xmldsig.C14N)
    assert gost.verify(key.public_key(), key.signature_oid, signed_bytes, value)
    assert not gost.verify(key.public_key(), key.signature_oid, signed_bytes, value[::-1])  # Russian s||r
    assert _text(signature, "ds:KeyInfo/ds:X509Data/ds:X509Certificate") == keys.certificate_der(certificate)


def test_eds_10_a_signature_added_to_a_signed_document_covers_the_earlier_one(signer, gost_signer) -> None:  # type: ignore[no-untyped-def]
    """NCALayer style: the second signer signs the document as it is, the first signature included; the
    first signature is left byte for byte as it was."""
    once = xmldsig.sign_enveloped(DOCUMENT, *signer)
    twice = xmldsig.sign_enveloped(once, *gost_signer)
    (first_alone,) = _signatures(once)
    first, second = _signatures(twice)
    assert etree.tostring(first, method="c14n") == etree.tostring(first_alone, method="c14n")
    hash_oid = GOST_METHODS[gost_signer[0].key_oid][2]
    with_first = xmldsig.enveloped_document_bytes([second], xmldsig.C14N)
    assert with_first == etree.tostring(etree.fromstring(once), method="c14n")
    assert _digest_value(second) == digest(hash_oid, with_first)
    bare = xmldsig.enveloped_document_bytes([first, second], xmldsig.C14N)
    assert bare == etree.tostring(etree.fromstring(DOCUMENT), method="c14n")
    assert _digest_value(second) != digest(hash_oid, bare)
    assert _digest_value(first) == digest(oids.SHA256, bare)


def test_signxml_independently_verifies_each_of_two_signatures(signer) -> None:  # type: ignore[no-untyped-def]
    """signxml knows one signature per document and takes the first one. The first signature verifies on the
    document without the later one; for the last one, signxml's enveloped-signature transform removes that
    signature alone, which is exactly our rule for it (moved to the front: removing it undoes the move)."""
    key, certificate = signer
    other_key = keys.generate_private_key(keys.KeyType.P256)
    other = _builder(other_key.public_key()).sign(other_key, hashes.SHA256())
    once = xmldsig.sign_enveloped(DOCUMENT, key, certificate)
    twice = xmldsig.sign_enveloped(once, other_key, other)
    config = signxml.verifier.SignatureConfiguration(expect_references=1, verification_time=AT)

    def signxml_verifies(root: etree._Element, signer_certificate: x509.Certificate) -> bytes:
        result = signxml.XMLVerifier().verify(
            etree.tostring(root),
            x509_cert=keys.certificate_pem(signer_certificate).decode(),
            expect_config=config,
        )
        return etree.tostring(result.signed_xml, method="c14n")

    root = etree.fromstring(twice)
    last = root.findall(DS + "Signature")[-1]
    assert last.tail is None
    root.insert(0, last)
    assert signxml_verifies(root, other) == etree.tostring(etree.fromstring(once), method="c14n")
    root.remove(last)
    assert signxml_verifies(root, certificate) == etree.tostring(etree.fromstring(DOCUMENT), method="c14n")


def test_enveloped_document_bytes_drop_only_the_given_signatures_and_keep_the_text_around_them() -> None:
    signatures = "a<ds:Signature>one</ds:Signature>b<ds:Signature>two</ds:Signature>c"
    document = f'<r xmlns:ds="{xmldsig.DS_NS}">{signatures}</r>'.encode()
    tree = xmldsig.parse_xml(document)
    before = etree.tostring(tree)
    first, second = tree.getroot().findall(DS + "Signature")
    declaration = f'<r xmlns:ds="{xmldsig.DS_NS}">'.encode()
    assert xmldsig.enveloped_document_bytes([second], xmldsig.C14N) == (
        declaration + b"a<ds:Signature>one</ds:Signature>bc</r>"
    )
    assert xmldsig.enveloped_document_bytes([first, second], xmldsig.C14N) == declaration + b"abc</r>"
    assert etree.tostring(tree) == before
