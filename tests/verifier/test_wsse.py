"""WS-Security signatures on SOAP envelopes (EDS-10): our signer judged by xmlsec (through zeep), zeep's
signatures judged by our verifier, and the wrapping defence, alterations and hostile input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import xmlsec
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from zeep.exceptions import SignatureVerificationFailed
from zeep.wsse import signature as zeep_signature

from ca_sim.hierarchy import Hierarchy
from pki import gost, keys, oids, wsse, xmldsig
from pki.errors import ErrorCode, InvalidInput
from pki.reasons import Reason
from tests.verifier.conftest import T0, Issued, MiniPki
from tests.verifier.mutations import flipped_or_truncated
from tests.verifier.test_xml import AT, _hierarchy_verifier, _minted
from verifier import Indication, SubIndication, Verifier

X = "urn:example:payments"
ENVELOPE = (
    f'<soapenv:Envelope xmlns:soapenv="{wsse.SOAP11_NS}" xmlns:p="{X}">'
    "<soapenv:Header><p:route>bank</p:route></soapenv:Header>"
    '<soapenv:Body><p:transfer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="p:Urgent">'
    "<p:amount>1000</p:amount><p:to>KZ86125KZT5004100100</p:to></p:transfer></soapenv:Body>"
    "</soapenv:Envelope>"
).encode()
SOAP12_ENVELOPE = (
    f'<env:Envelope xmlns:env="{wsse.SOAP12_NS}"><env:Body><p:ping xmlns:p="{X}">1</p:ping></env:Body>'
    "</env:Envelope>"
).encode()
NS = {"ds": xmldsig.DS_NS, "wsse": wsse.WSSE_NS, "wsu": wsse.WSU_NS, "s": wsse.SOAP11_NS, "p": X}


def _verifier(pki: MiniPki) -> Verifier:
    return pki.verifier(crls=[pki.crl()])


def _signed(leaf: Issued, document: bytes = ENVELOPE) -> bytes:
    return wsse.sign_envelope(document, leaf.key, leaf.cert)


def _edit(signed: bytes, change: Callable[[etree._Element], None]) -> bytes:
    root = etree.fromstring(signed)
    change(root)
    return etree.tostring(root)


def _one(root: etree._Element, path: str) -> etree._Element:
    (found,) = root.xpath(path, namespaces=NS)
    return found


def _pem_files(leaf: Issued, folder: Path) -> tuple[str, str]:
    key = folder / "key.pem"
    cert = folder / "cert.pem"
    key.write_bytes(
        leaf.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert.write_bytes(leaf.cert.public_bytes(serialization.Encoding.PEM))
    return str(key), str(cert)


# --- what we sign, judged by xmlsec ------------------------------------------------------------------


def test_eds_10_a_signed_envelope_passes_and_its_signed_content_is_the_body(pki: MiniPki) -> None:
    signed = _signed(pki.leaf())
    verdict = _verifier(pki).verify_wsse(signed, at=T0)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert verdict.kind == "wsse"
    body = _one(etree.fromstring(signed), "/s:Envelope/s:Body")
    assert verdict.signed_content == xmldsig.canonicalize(body, xmldsig.EXC_C14N)
    assert b"<p:amount>1000</p:amount>" in verdict.signed_content


def test_xmlsec_verifies_what_we_sign_and_refuses_it_altered(pki: MiniPki, tmp_path: Path) -> None:
    leaf = pki.leaf()
    _, cert = _pem_files(leaf, tmp_path)
    signed = etree.fromstring(_signed(leaf))
    zeep_signature.verify_envelope(signed, cert)  # raises SignatureVerificationFailed when it does not verify
    _one(signed, "//p:amount").text = "9000"
    with pytest.raises(SignatureVerificationFailed):
        zeep_signature.verify_envelope(signed, cert)


def test_the_signed_envelope_has_ncanodes_shape(pki: MiniPki) -> None:
    """wsse:Security with mustUnderstand in the Header, exclusive C14N, the Body's wsu:Id referenced, the
    certificate as an X509v3 KeyIdentifier; the Body's content and namespaces unchanged."""
    leaf = pki.leaf()
    root = etree.fromstring(_signed(leaf))
    security = _one(root, "/s:Envelope/s:Header/wsse:Security")
    assert security.get(f"{{{wsse.SOAP11_NS}}}mustUnderstand") == "1"
    body = _one(root, "/s:Envelope/s:Body")
    assert _one(security, "ds:Signature/ds:SignedInfo/ds:Reference").get("URI") == "#" + body.get(wsse.WSU_ID)
    assert {e.get("Algorithm") for e in security.iter(f"{{{xmldsig.DS_NS}}}Transform")} == {xmldsig.EXC_C14N}
    identifier = _one(security, "ds:Signature/ds:KeyInfo/wsse:SecurityTokenReference/wsse:KeyIdentifier")
    assert identifier.get("ValueType") == wsse.X509V3
    assert xmldsig.decode_base64_text(identifier, "KeyIdentifier") == keys.certificate_der(leaf.cert)
    assert body.prefix == "soapenv" and "wsu" in body.nsmap
    assert _one(root, "//p:transfer").get("{http://www.w3.org/2001/XMLSchema-instance}type") == "p:Urgent"
    assert _one(root, "/s:Envelope/s:Header/p:route").text == "bank"


def test_a_soap_1_2_envelope_without_header_gets_one_and_verifies(pki: MiniPki) -> None:
    signed = _signed(pki.leaf(), SOAP12_ENVELOPE)
    root = etree.fromstring(signed)
    security = root.find(f"{{{wsse.SOAP12_NS}}}Header/{{{wsse.WSSE_NS}}}Security")
    assert security is not None and security.get(f"{{{wsse.SOAP12_NS}}}mustUnderstand") == "true"
    assert _verifier(pki).verify_wsse(signed, at=T0).passed


def test_signing_keeps_a_body_id_already_given(pki: MiniPki) -> None:
    document = ENVELOPE.replace(
        b"<soapenv:Body>", f'<soapenv:Body xmlns:wsu="{wsse.WSU_NS}" wsu:Id="body-1">'.encode()
    )
    signed = _signed(pki.leaf(), document)
    assert b'URI="#body-1"' in signed
    assert _verifier(pki).verify_wsse(signed, at=T0).passed


def test_signing_refuses_what_is_no_envelope_or_already_signed(pki: MiniPki) -> None:
    leaf = pki.leaf()
    with pytest.raises(InvalidInput) as no_envelope:
        _signed(leaf, b"<a><b>test</b></a>")
    assert no_envelope.value.code == ErrorCode.NOT_SOAP_ENVELOPE
    with pytest.raises(InvalidInput) as twice:
        _signed(leaf, _signed(leaf))
    assert twice.value.code == ErrorCode.ALREADY_SIGNED


def test_eds_10_a_gost_2015_signed_envelope_verifies(ca_hierarchy: Hierarchy) -> None:
    key = gost.GostPrivateKey.generate()
    signed = wsse.sign_envelope(ENVELOPE, key, _minted(ca_hierarchy, key.public_key(), 83))
    verdict = _hierarchy_verifier(ca_hierarchy).verify_wsse(signed, at=AT)
    assert verdict.passed, verdict.to_json()
    assert [s.signature_algorithm for s in verdict.signers] == [oids.KZ_GOST2015_512_SIGNATURE]


# --- what zeep (xmlsec) signs, judged by us ----------------------------------------------------------


def _zeep_signed(leaf: Issued, folder: Path, signer: type[zeep_signature.Signature]) -> bytes:
    """ENVELOPE signed by zeep over its Body and a wsu:Timestamp of the Security header (two references)."""
    root = etree.fromstring(ENVELOPE)
    header = root.find(f"{{{wsse.SOAP11_NS}}}Header")
    security = etree.SubElement(header, f"{{{wsse.WSSE_NS}}}Security")
    timestamp = etree.SubElement(security, f"{{{wsse.WSU_NS}}}Timestamp")
    etree.SubElement(timestamp, f"{{{wsse.WSU_NS}}}Created").text = "2026-03-02T08:00:00Z"
    key, cert = _pem_files(leaf, folder)
    signer(
        key, cert, signature_method=xmlsec.Transform.ECDSA_SHA256, digest_method=xmlsec.Transform.SHA256
    ).apply(root, {})
    return etree.tostring(root)


@pytest.mark.parametrize("signer", [zeep_signature.BinarySignature, zeep_signature.Signature])
def test_eds_10_an_envelope_zeep_signs_passes(
    pki: MiniPki, tmp_path: Path, signer: type[zeep_signature.Signature]
) -> None:
    """BinarySignature: the certificate in a BinarySecurityToken, referenced; Signature: ds:X509Data."""
    signed = _zeep_signed(pki.leaf(), tmp_path, signer)
    verdict = _verifier(pki).verify_wsse(signed, at=T0)
    assert verdict.passed, verdict.to_json()
    structure = [c.message for c in verdict.checks if c.id == "structure"]
    assert structure[-1] == "the references cover the envelope's Body, Timestamp"


def test_eds_10_an_altered_timestamp_of_a_zeep_envelope_is_content_mismatch(
    pki: MiniPki, tmp_path: Path
) -> None:
    signed = _zeep_signed(pki.leaf(), tmp_path, zeep_signature.BinarySignature)
    altered = signed.replace(b"2026-03-02T08:00:00Z", b"2026-03-09T08:00:00Z")
    verdict = _verifier(pki).verify_wsse(altered, at=T0)
    assert verdict.sub_indication is SubIndication.HASH_FAILURE
    assert verdict.reasons == (Reason.CONTENT_MISMATCH,)
    assert "Timestamp" in next(c.message for c in verdict.checks if c.id == "reference_digest")


# --- alterations and the wrapping defence ------------------------------------------------------------


def test_eds_10_an_altered_body_is_content_mismatch(pki: MiniPki) -> None:
    verdict = _verifier(pki).verify_wsse(_signed(pki.leaf()).replace(b">1000<", b">9000<"), at=T0)
    assert verdict.sub_indication is SubIndication.HASH_FAILURE
    assert verdict.reasons == (Reason.CONTENT_MISMATCH,)


def test_eds_10_a_signature_by_another_key_is_signature_invalid(pki: MiniPki) -> None:
    signed, other = _signed(pki.leaf()), pki.leaf()

    def other_certificate(root: etree._Element) -> None:
        identifier = _one(root, "//wsse:KeyIdentifier")
        identifier.text = _one(etree.fromstring(_signed(other)), "//wsse:KeyIdentifier").text

    verdict = _verifier(pki).verify_wsse(_edit(signed, other_certificate), at=T0)
    assert verdict.reasons == (Reason.SIGNATURE_INVALID,)


def _moved_body(root: etree._Element) -> None:
    """The signed Body kept, wrapped, in the Header; a new Body, without an id, in its place."""
    body = _one(root, "/s:Envelope/s:Body")
    wrapper = etree.SubElement(_one(root, "/s:Envelope/s:Header"), f"{{{X}}}wrapper")
    wrapper.append(body)
    forged = etree.SubElement(root, f"{{{wsse.SOAP11_NS}}}Body")
    etree.SubElement(forged, f"{{{X}}}transfer").text = "to Mallory"


def _duplicated_id(root: etree._Element) -> None:
    """A forged Body carrying the signed Body's id, the signed one moved into the Header."""
    body = _one(root, "/s:Envelope/s:Body")
    forged = etree.SubElement(root, f"{{{wsse.SOAP11_NS}}}Body", {wsse.WSU_ID: body.get(wsse.WSU_ID)})
    etree.SubElement(forged, f"{{{X}}}transfer").text = "to Mallory"
    _one(root, "/s:Envelope/s:Header").append(body)


def _reference_the_payload(root: etree._Element) -> None:
    """The reference re-pointed at an element inside the Body (its digest recomputed)."""
    transfer = _one(root, "//p:transfer")
    transfer.set(wsse.WSU_ID, "payload")
    _one(root, "//ds:Reference").set("URI", "#payload")


def _only_a_timestamp(root: etree._Element) -> None:
    security = _one(root, "//wsse:Security")
    etree.SubElement(security, f"{{{wsse.WSU_NS}}}Timestamp", {wsse.WSU_ID: "ts"})
    _one(root, "//ds:Reference").set("URI", "#ts")


def _xpath_transform(root: etree._Element) -> None:
    transform = _one(root, "//ds:Transform")
    transform.set("Algorithm", "http://www.w3.org/TR/1999/REC-xpath-19991116")


def _reference_by_uri(root: etree._Element) -> None:
    _one(root, "//ds:Reference").set("URI", "")


@pytest.mark.parametrize(
    "attack",
    [
        _moved_body,
        _duplicated_id,
        _reference_the_payload,
        _only_a_timestamp,
        _xpath_transform,
        _reference_by_uri,
    ],
)
def test_eds_10_wrapping_attacks_are_xml_wrapping(
    pki: MiniPki, attack: Callable[[etree._Element], None]
) -> None:
    verdict = _verifier(pki).verify_wsse(_edit(_signed(pki.leaf()), attack), at=T0)
    assert verdict.reasons == (Reason.XML_WRAPPING,), verdict.to_json()
    assert not verdict.signers


def test_eds_10_a_signature_inside_the_body_is_payload_not_the_message_signature(pki: MiniPki) -> None:
    """An enveloped-signed document in the Body, and no WS-Security header: no signer of the message."""
    leaf = pki.leaf()
    payload = xmldsig.sign_enveloped(
        b"<p:deed xmlns:p='urn:example:payments'>1</p:deed>", leaf.key, leaf.cert
    )
    root = etree.fromstring(SOAP12_ENVELOPE)
    root[0].append(etree.fromstring(payload))
    verdict = _verifier(pki).verify_wsse(etree.tostring(root), at=T0)
    assert verdict.reasons == (Reason.NO_SIGNERS,)


# --- hostile and malformed input ---------------------------------------------------------------------


def test_eds_10_documents_that_are_no_envelope_are_not_soap_envelope(pki: MiniPki) -> None:
    verifier = _verifier(pki)
    two_bodies = ENVELOPE.replace(b"</soapenv:Envelope>", b"<soapenv:Body/></soapenv:Envelope>")
    for document in (
        b"<a><b>test</b></a>",
        two_bodies,
        xmldsig.sign_enveloped(b"<a/>", pki.leaf().key, pki.leaf().cert),
    ):
        assert verifier.verify_wsse(document, at=T0).reasons == (Reason.NOT_SOAP_ENVELOPE,)


def test_eds_10_an_unsigned_envelope_has_no_signers(pki: MiniPki) -> None:
    assert _verifier(pki).verify_wsse(ENVELOPE, at=T0).reasons == (Reason.NO_SIGNERS,)


def test_eds_10_a_dtd_is_xml_forbidden_and_broken_xml_is_malformed(pki: MiniPki) -> None:
    verifier = _verifier(pki)
    dtd = b'<!DOCTYPE x [<!ENTITY e "boom">]>' + ENVELOPE
    assert verifier.verify_wsse(dtd, at=T0).reasons == (Reason.XML_FORBIDDEN,)
    with pytest.raises(InvalidInput) as broken:
        verifier.verify_wsse(ENVELOPE[:-5], at=T0)
    assert broken.value.code == ErrorCode.MALFORMED_SIGNATURE


def test_eds_10_keyinfo_without_a_certificate_is_signer_certificate_missing(pki: MiniPki) -> None:
    def strip(root: etree._Element) -> None:
        reference = _one(root, "//wsse:SecurityTokenReference")
        reference.remove(reference[0])

    verdict = _verifier(pki).verify_wsse(_edit(_signed(pki.leaf()), strip), at=T0)
    assert verdict.reasons == (Reason.SIGNER_CERTIFICATE_MISSING,)


def test_an_unsupported_digest_method_is_unknown(pki: MiniPki) -> None:
    def md5(root: etree._Element) -> None:
        _one(root, "//ds:DigestMethod").set("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#md5")

    verdict = _verifier(pki).verify_wsse(_edit(_signed(pki.leaf()), md5), at=T0)
    assert verdict.indication is Indication.INDETERMINATE
    assert verdict.reasons == (Reason.UNSUPPORTED_ALGORITHM,)


@pytest.fixture(scope="module")
def signed_envelope(pki: MiniPki) -> bytes:
    return _signed(pki.leaf())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_envelopes_give_a_verdict_or_the_documented_refusal(
    pki: MiniPki, signed_envelope: bytes, data: st.DataObject
) -> None:
    """Flipped bytes or a truncation anywhere: InvalidInput with a documented code, or a verdict that
    passes only if what it says was signed is still the signed Body, byte for byte."""
    mutated = flipped_or_truncated(data, signed_envelope)
    verifier = _verifier(pki)
    try:
        verdict = verifier.verify_wsse(mutated, at=T0)
    except InvalidInput as exc:
        assert exc.code in {ErrorCode.MALFORMED_SIGNATURE, ErrorCode.MALFORMED_CERTIFICATE}
        return
    assert verdict.kind == "wsse"
    if verdict.passed:
        assert verdict.signed_content == verifier.verify_wsse(signed_envelope, at=T0).signed_content


def test_verdicts_are_as_of_the_validation_time(pki: MiniPki) -> None:
    leaf = pki.leaf(not_after=T0 + dt.timedelta(days=1))
    verifier = _verifier(pki)
    assert verifier.verify_wsse(_signed(leaf), at=T0).passed
    verdict = verifier.verify_wsse(_signed(leaf), at=T0 + dt.timedelta(days=2))
    assert Reason.CERTIFICATE_EXPIRED in verdict.reasons
