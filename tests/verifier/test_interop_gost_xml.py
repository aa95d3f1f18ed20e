"""The genuine NCA XMLDSig document with two enveloped signatures (interop/ncanode-gost-test,
``signed_enveloped_rsa_and_gost2015.xml``): ``<a><b>test</b></a>`` signed rsa-sha256 (the RSA test key of
ncanode-rsa-test), then GOST-2015-512 (IIN123456789012 from the 2022 GOST test CA).

What the file proves (pki.xmldsig docstring): the GOST SignatureValue is r||s with little-endian halves and
its DigestValue Streebog-512 in the NCA's byte order, both as in CMS; the GOST signature, added second,
covers the document with the RSA signature in it. The two signers' certificates never overlap in time
(RSA 2021-01-18 to 2022-01-18, GOST 2022-07-28 to 2023-07-28): at :data:`IN_2022` the GOST signer passes
in full and the RSA one only cryptographically (its certificate has expired); at :data:`IN_2021` the RSA
signer's chain and validity pass. Trust: both test roots, test-PKI mode, each CA's CRL; the GOST root's own
CRL is not part of the material, so CA revocation is not checked.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from pki import gost, oids, xmldsig
from pki.cms import digest
from pki.keys import certificate_der, load_certificate
from pki.reasons import Reason
from tests.data_paths import INTEROP_GOST, INTEROP_RSA
from verifier import (
    Indication,
    Purpose,
    StaticRevocationSource,
    SubIndication,
    VerificationPolicy,
    Verifier,
)
from verifier.certificate import Cert
from verifier.verdict import CheckStatus, Verdict, conclude

XML_FILE = INTEROP_GOST / "signed_enveloped_rsa_and_gost2015.xml"
IN_2022 = dt.datetime(2022, 9, 1, tzinfo=dt.UTC)  # the GOST signer's life, both CRLs' windows
IN_2021 = dt.datetime(2021, 6, 1, tzinfo=dt.UTC)  # the RSA signer's life
DS = "{" + xmldsig.DS_NS + "}"
RSA, GOST = 0, 1  # signer indexes, in document order


def _der(path: Path) -> bytes:
    return certificate_der(load_certificate(path.read_bytes()))


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    policy = VerificationPolicy(
        trust_anchors=(
            _der(INTEROP_GOST / "root_test_gost_2022.cer"),
            _der(INTEROP_RSA / "nca_rsa_test.crt"),
        ),
        intermediates=(_der(INTEROP_GOST / "nca_gost2022_test.cer"),),
        purpose=Purpose.DOCUMENT,
        test_pki=True,
        check_ca_revocation=False,
    )
    crls = [
        (INTEROP_GOST / "nca_gost2022_test_small.crl").read_bytes(),
        (INTEROP_RSA / "nca_rsa_test.crl").read_bytes(),
    ]
    return Verifier(policy, StaticRevocationSource(crls=crls))


def _status(verdict: Verdict, check_id: str, signer: int) -> CheckStatus:
    return next(c.status for c in verdict.checks if c.id == check_id and c.signer == signer)


def _edited(change: Callable[[etree._Element], None]) -> bytes:
    root = xmldsig.parse_xml(XML_FILE.read_bytes()).getroot()
    change(root)
    return etree.tostring(root)


def _signatures(root: etree._Element) -> list[etree._Element]:
    return root.findall(DS + "Signature")


def _decoded(signature: etree._Element, name: str) -> bytes:
    return xmldsig.decode_base64_text(signature.find(f".//{DS}{name}"), name)


# --- what the file proves about the layouts ---------------------------------------------------------------


def test_genuine_gost_signature_value_is_r_s_little_endian_over_the_canonical_signed_info() -> None:
    gost_signature = _signatures(xmldsig.parse_xml(XML_FILE.read_bytes()).getroot())[GOST]
    key = gost.GostPublicKey.from_spki_der(Cert.load(_decoded(gost_signature, "X509Certificate")).spki_der)
    signed_info = xmldsig.canonicalize(gost_signature.find(DS + "SignedInfo"), xmldsig.C14N)
    value = _decoded(gost_signature, "SignatureValue")
    assert gost.verify(key, oids.KZ_GOST2015_512_SIGNATURE, signed_info, value)
    r, s = value[:64], value[64:]
    for other in (value[::-1], s + r, r[::-1] + s[::-1]):  # RFC 4491 s||r big-endian, halves swapped, r||s BE
        assert not gost.verify(key, oids.KZ_GOST2015_512_SIGNATURE, signed_info, other)


def test_genuine_gost_digest_value_covers_the_document_with_the_rsa_signature_in_nca_byte_order() -> None:
    rsa_signature, gost_signature = _signatures(xmldsig.parse_xml(XML_FILE.read_bytes()).getroot())
    expected = _decoded(gost_signature, "DigestValue")
    with_rsa = xmldsig.enveloped_document_bytes([gost_signature], xmldsig.C14N)
    assert digest(oids.KZ_STREEBOG_512, with_rsa) == expected
    assert digest(oids.KZ_STREEBOG_512, with_rsa)[::-1] != expected
    bare = xmldsig.enveloped_document_bytes([rsa_signature, gost_signature], xmldsig.C14N)
    assert bare == b"<a><b>test</b></a>"
    assert digest(oids.KZ_STREEBOG_512, bare) != expected  # "remove every signature" is not the rule
    assert digest(oids.SHA256, bare) == _decoded(rsa_signature, "DigestValue")


# --- the verifier ------------------------------------------------------------------------------------------


def test_eds_10_both_signatures_of_the_genuine_rsa_and_gost_document_verify(verifier: Verifier) -> None:
    verdict = verifier.verify_xml(XML_FILE.read_bytes(), at=IN_2022)
    assert [s.signature_algorithm for s in verdict.signers] == [
        oids.SHA256_WITH_RSA,
        oids.KZ_GOST2015_512_SIGNATURE,
    ]
    for signer in (RSA, GOST):
        for check_id in ("reference_digest", "signature"):
            assert _status(verdict, check_id, signer) is CheckStatus.PASSED, (signer, check_id)
    gost_checks = tuple(c for c in verdict.checks if c.signer == GOST)
    assert conclude(gost_checks) == (Indication.TOTAL_PASSED, None), verdict.to_json()
    assert _status(verdict, "revocation", GOST) is CheckStatus.PASSED  # the 2022-07-27 CRL
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,)  # the RSA certificate, since 2022-01-18
    assert verdict.signed_content == b"<a><b>test</b></a>"


def test_eds_10_the_genuine_rsa_signer_is_valid_within_its_own_certificate_life(verifier: Verifier) -> None:
    verdict = verifier.verify_xml(XML_FILE.read_bytes(), at=IN_2021)
    for check_id in ("reference_digest", "signature", "chain", "validity"):
        assert _status(verdict, check_id, RSA) is CheckStatus.PASSED, check_id
    validity = next(c for c in verdict.checks if c.id == "validity" and c.signer == GOST)
    assert validity.reason is Reason.CERTIFICATE_NOT_YET_VALID


def test_eds_10_one_flipped_byte_in_the_genuine_gost_signature_value_is_sig_crypto_failure(
    verifier: Verifier,
) -> None:
    def flip(root: etree._Element) -> None:
        value = _signatures(root)[GOST].find(DS + "SignatureValue")
        raw = bytearray(xmldsig.decode_base64_text(value, "SignatureValue"))
        raw[100] ^= 0x01  # inside s
        value.text = base64.b64encode(bytes(raw)).decode()

    verdict = verifier.verify_xml(_edited(flip), at=IN_2022)
    failed = next(c for c in verdict.checks if c.id == "signature" and c.signer == GOST)
    assert failed.status is CheckStatus.FAILED and failed.reason is Reason.SIGNATURE_INVALID
    gost_checks = tuple(c for c in verdict.checks if c.signer == GOST)
    assert conclude(gost_checks) == (Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE)
    assert _status(verdict, "reference_digest", GOST) is CheckStatus.PASSED
    assert _status(verdict, "signature", RSA) is CheckStatus.PASSED


def test_eds_10_a_flipped_text_byte_fails_the_digest_of_both_genuine_signers(verifier: Verifier) -> None:
    data = XML_FILE.read_bytes()
    assert data.count(b"<b>test</b>") == 1
    verdict = verifier.verify_xml(data.replace(b"<b>test</b>", b"<b>tesu</b>"), at=IN_2022)
    for signer in (RSA, GOST):
        assert _status(verdict, "reference_digest", signer) is CheckStatus.FAILED, signer
        assert _status(verdict, "signature", signer) is CheckStatus.PASSED, signer  # SignedInfo untouched
    assert verdict.sub_indication is SubIndication.HASH_FAILURE
    assert Reason.CONTENT_MISMATCH in verdict.reasons


def test_eds_10_the_genuine_signatures_swapped_fail_both_digests(verifier: Verifier) -> None:
    def swap(root: etree._Element) -> None:
        root.append(_signatures(root)[RSA])  # now GOST first, RSA last

    verdict = verifier.verify_xml(_edited(swap), at=IN_2022)
    assert [s.signature_algorithm for s in verdict.signers] == [
        oids.KZ_GOST2015_512_SIGNATURE,
        oids.SHA256_WITH_RSA,
    ]
    assert [c.status for c in verdict.checks if c.id == "reference_digest"] == [CheckStatus.FAILED] * 2


def test_eds_10_stripping_the_first_genuine_signer_breaks_the_second(verifier: Verifier) -> None:
    """The GOST signer signed the RSA signature too: a co-signature cannot be removed unnoticed."""

    def strip(root: etree._Element) -> None:
        root.remove(_signatures(root)[RSA])

    verdict = verifier.verify_xml(_edited(strip), at=IN_2022)
    assert [s.signature_algorithm for s in verdict.signers] == [oids.KZ_GOST2015_512_SIGNATURE]
    assert _status(verdict, "reference_digest", 0) is CheckStatus.FAILED
    assert verdict.sub_indication is SubIndication.HASH_FAILURE


def _inject_inside_b(root: etree._Element) -> None:
    root.find("b").append(etree.fromstring(etree.tostring(_signatures(root)[GOST])))


def _nest_in_the_gost_signature(root: etree._Element) -> None:
    holder = etree.SubElement(_signatures(root)[GOST], DS + "Object")
    holder.append(etree.fromstring(etree.tostring(_signatures(root)[RSA])))


@pytest.mark.parametrize("inject", [_inject_inside_b, _nest_in_the_gost_signature])
def test_eds_10_a_third_signature_anywhere_but_under_the_document_element_is_wrapping(
    verifier: Verifier, inject: Callable[[etree._Element], None]
) -> None:
    verdict = verifier.verify_xml(_edited(inject), at=IN_2022)
    assert verdict.reasons == (Reason.XML_WRAPPING,)
    assert not verdict.signers


def test_eds_10_the_genuine_document_wrapped_under_an_attacker_root_is_wrapping(verifier: Verifier) -> None:
    wrapper = etree.Element("a")
    etree.SubElement(wrapper, "b").text = "attacker"
    etree.SubElement(wrapper, "hidden").append(xmldsig.parse_xml(XML_FILE.read_bytes()).getroot())
    verdict = verifier.verify_xml(etree.tostring(wrapper), at=IN_2022)
    assert verdict.reasons == (Reason.XML_WRAPPING,)
    assert not verdict.signers
