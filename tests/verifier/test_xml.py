"""Enveloped XMLDSig verification: wrapping defence, XXE / billion laughs, allow-lists, alterations,
several signers (RSA, ECDSA and GOST) in one document."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time
from collections.abc import Callable

import pytest
from cryptography import x509
from lxml import etree

from ca_sim import profiles
from ca_sim.hierarchy import Hierarchy
from pki import gost, keys, oids, xmldsig
from pki.iin import Sex, make_iin
from pki.names import Person, build_subject
from pki.reasons import Reason
from tests.conftest import SESSION_AT
from tests.verifier.conftest import T0, MiniPki
from verifier import (
    Indication,
    Purpose,
    RevocationRequirement,
    StaticRevocationSource,
    SubIndication,
    VerificationPolicy,
    Verifier,
)
from verifier.verdict import CheckStatus
from verifier.xml import MAX_SIGNATURES

DOCUMENT = b'<login xmlns="urn:unis"><nonce>9KpJreFMA6K98mcu</nonce><user id="u1">AIDAR</user></login>'
DS = "{" + xmldsig.DS_NS + "}"


def _signed(pki: MiniPki) -> bytes:
    leaf = pki.leaf()
    return xmldsig.sign_enveloped(DOCUMENT, leaf.key, leaf.cert)


def _verifier(pki: MiniPki) -> Verifier:
    return pki.verifier(crls=[pki.crl()])


def _edit(signed: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    root = etree.fromstring(signed)
    change(root)
    return etree.tostring(root)


def test_valid_enveloped_signature_passes_and_exposes_the_signed_document(pki: MiniPki) -> None:
    verdict = _verifier(pki).verify_xml(_signed(pki), at=T0)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert verdict.signed_content == etree.tostring(etree.fromstring(DOCUMENT), method="c14n")


def test_altered_document_fails_with_hash_failure(pki: MiniPki) -> None:
    altered = _signed(pki).replace(b"AIDAR", b"MALLORY")
    verdict = _verifier(pki).verify_xml(altered, at=T0)
    assert verdict.sub_indication is SubIndication.HASH_FAILURE
    assert verdict.reasons == (Reason.CONTENT_MISMATCH,)


def test_altered_signed_info_fails_with_sig_crypto_failure(pki: MiniPki) -> None:
    def change_digest_and_document(root: etree._Element) -> None:
        root.find("{urn:unis}user").text = "MALLORY"
        signature = root.find(DS + "Signature")
        reference = signature.find(f"{DS}SignedInfo/{DS}Reference")
        document = xmldsig.enveloped_document_bytes([signature], xmldsig.C14N)
        reference.find(DS + "DigestValue").text = base64.b64encode(hashlib.sha256(document).digest()).decode()

    verdict = _verifier(pki).verify_xml(_edit(_signed(pki), change_digest_and_document), at=T0)
    assert verdict.sub_indication is SubIndication.SIG_CRYPTO_FAILURE
    assert verdict.reasons == (Reason.SIGNATURE_INVALID,)


def test_eds_10_a_copied_signature_appended_again_fails_its_digest(pki: MiniPki) -> None:
    """A second signature covers the document with the first one in it: a copy of the first, appended,
    does not (its digest was computed without any signature)."""
    signed = _signed(pki)

    def duplicate(root: etree._Element) -> None:
        root.append(etree.fromstring(etree.tostring(root.find(DS + "Signature"))))

    verdict = _verifier(pki).verify_xml(_edit(signed, duplicate), at=T0)
    assert [c.status.value for c in verdict.checks if c.id == "reference_digest"] == ["passed", "failed"]
    assert verdict.indication is Indication.TOTAL_FAILED and verdict.reasons == (Reason.CONTENT_MISMATCH,)


def test_eds_10_every_signer_of_a_document_signed_twice_is_verified(pki: MiniPki) -> None:
    first, second = pki.leaf(), pki.leaf()
    twice = xmldsig.sign_enveloped(_signed_by(first), second.key, second.cert)
    verdict = _verifier(pki).verify_xml(twice, at=T0)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert [s.index for s in verdict.signers] == [0, 1]
    assert {c.signer for c in verdict.checks if c.id == "signature"} == {0, 1}
    assert verdict.signed_content == etree.tostring(etree.fromstring(DOCUMENT), method="c14n")
    altered = twice.replace(b"AIDAR", b"MALLORY")
    verdict = _verifier(pki).verify_xml(altered, at=T0)
    assert [c.status.value for c in verdict.checks if c.id == "reference_digest"] == ["failed", "failed"]


def test_eds_10_a_signature_nested_in_another_is_wrapping(pki: MiniPki) -> None:
    def nest(root: etree._Element) -> None:
        signature = root.find(DS + "Signature")
        holder = etree.SubElement(signature, DS + "Object")
        holder.append(etree.fromstring(etree.tostring(signature)))

    verdict = _verifier(pki).verify_xml(_edit(_signed(pki), nest), at=T0)
    assert verdict.reasons == (Reason.XML_WRAPPING,)


def _signed_by(issued) -> bytes:  # type: ignore[no-untyped-def]
    return xmldsig.sign_enveloped(DOCUMENT, issued.key, issued.cert)


def test_reference_to_an_id_instead_of_the_whole_document_is_wrapping(pki: MiniPki) -> None:
    def point_to_id(root: etree._Element) -> None:
        root.find(f"{DS}Signature/{DS}SignedInfo/{DS}Reference").set("URI", "#u1")

    verdict = _verifier(pki).verify_xml(_edit(_signed(pki), point_to_id), at=T0)
    assert verdict.reasons == (Reason.XML_WRAPPING,)


def test_signed_document_moved_under_an_attacker_wrapper_is_wrapping(pki: MiniPki) -> None:
    """The classic wrapping: the original signed element is buried, new content takes its place."""
    original = etree.fromstring(_signed(pki))
    wrapper = etree.Element("{urn:unis}login")
    etree.SubElement(wrapper, "{urn:unis}nonce").text = "attacker-nonce"
    hidden = etree.SubElement(wrapper, "{urn:unis}ignored")
    hidden.append(original)
    verdict = _verifier(pki).verify_xml(etree.tostring(wrapper), at=T0)
    assert verdict.reasons == (Reason.XML_WRAPPING,)


def test_extra_xpath_transform_is_refused_as_wrapping(pki: MiniPki) -> None:
    def add_xpath(root: etree._Element) -> None:
        transforms = root.find(f"{DS}Signature/{DS}SignedInfo/{DS}Reference/{DS}Transforms")
        etree.SubElement(
            transforms, DS + "Transform", Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"
        )

    verdict = _verifier(pki).verify_xml(_edit(_signed(pki), add_xpath), at=T0)
    assert verdict.reasons == (Reason.XML_WRAPPING,)


def test_two_references_are_refused_as_wrapping(pki: MiniPki) -> None:
    def add_reference(root: etree._Element) -> None:
        signed_info = root.find(f"{DS}Signature/{DS}SignedInfo")
        signed_info.append(etree.fromstring(etree.tostring(signed_info.find(DS + "Reference"))))

    verdict = _verifier(pki).verify_xml(_edit(_signed(pki), add_reference), at=T0)
    assert verdict.reasons == (Reason.XML_WRAPPING,)


def test_xxe_external_entity_is_refused_without_reading_the_file(pki: MiniPki, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE login [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<login><nonce>&x;</nonce></login>"
    ).encode()
    verdict = _verifier(pki).verify_xml(xxe, at=T0)
    assert verdict.indication is Indication.TOTAL_FAILED
    assert verdict.reasons == (Reason.XML_FORBIDDEN,)
    assert b"TOP SECRET" not in verdict.to_json().encode()


def test_billion_laughs_is_refused_quickly(pki: MiniPki) -> None:
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz>&l9;</lolz>'.encode()
    started = time.process_time()
    verdict = _verifier(pki).verify_xml(bomb, at=T0)
    assert verdict.reasons == (Reason.XML_FORBIDDEN,)
    assert time.process_time() - started < 5  # a generous bound: expansion would take forever


def test_doctype_hidden_in_utf16_is_still_refused(pki: MiniPki) -> None:
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'.encode("utf-16")
    verdict = _verifier(pki).verify_xml(xml, at=T0)
    assert verdict.reasons == (Reason.XML_FORBIDDEN,)


def test_oversize_document_is_refused(pki: MiniPki) -> None:
    verifier = pki.verifier(crls=[pki.crl()], max_signature_bytes=1000)
    verdict = verifier.verify_xml(b"<a>" + b"x" * 2000 + b"</a>", at=T0)
    assert verdict.reasons == (Reason.XML_FORBIDDEN,)


def test_document_without_signature_has_no_signers(pki: MiniPki) -> None:
    verdict = _verifier(pki).verify_xml(DOCUMENT, at=T0)
    assert verdict.reasons == (Reason.NO_SIGNERS,)


def test_signature_method_outside_the_allow_list_is_unsupported(pki: MiniPki) -> None:
    def use_unknown(root: etree._Element) -> None:
        method = root.find(f"{DS}Signature/{DS}SignedInfo/{DS}SignatureMethod")
        method.set("Algorithm", "http://www.w3.org/2000/09/xmldsig#rsa-sha1")

    verdict = _verifier(pki).verify_xml(_edit(_signed(pki), use_unknown), at=T0)
    assert verdict.indication is Indication.INDETERMINATE
    assert verdict.sub_indication is SubIndication.CRYPTO_CONSTRAINTS_FAILURE
    assert verdict.reasons == (Reason.UNSUPPORTED_ALGORITHM,)


def test_eds_10_gost_method_named_for_an_ecdsa_signature_is_sig_crypto_failure(pki: MiniPki) -> None:
    """The pkigovkz URI is supported now: claiming it for an ECDSA signature fails the signature check."""

    def use_gost(root: etree._Element) -> None:
        method = root.find(f"{DS}Signature/{DS}SignedInfo/{DS}SignatureMethod")
        method.set("Algorithm", oids.XMLDSIG_GOST2015_512_SIGNATURE)

    verdict = _verifier(pki).verify_xml(_edit(_signed(pki), use_gost), at=T0)
    assert verdict.sub_indication is SubIndication.SIG_CRYPTO_FAILURE
    assert verdict.reasons == (Reason.SIGNATURE_INVALID,)


def test_comments_added_to_a_signed_document_are_not_signed_content(pki: MiniPki) -> None:
    signed = _signed(pki).replace(b"9KpJreFMA6K98mcu</nonce>", b"9KpJre<!--x-->FMA6K98mcu</nonce>")
    verdict = _verifier(pki).verify_xml(signed, at=T0)
    assert verdict.passed  # XMLDSig 4.3.3.3: URI="" has no comments
    assert b"<!--" not in (verdict.signed_content or b"")


def test_missing_key_info_certificate_is_reported(pki: MiniPki) -> None:
    def drop_key_info(root: etree._Element) -> None:
        signature = root.find(DS + "Signature")
        signature.remove(signature.find(DS + "KeyInfo"))

    verdict = _verifier(pki).verify_xml(_edit(_signed(pki), drop_key_info), at=T0)
    assert verdict.reasons == (Reason.SIGNER_CERTIFICATE_MISSING,)


def test_more_signatures_than_the_limit_are_refused_before_any_is_verified(pki: MiniPki) -> None:
    signed = _signed(pki)

    def add_copies(count: int) -> Callable[[etree._Element], None]:
        def change(root: etree._Element) -> None:
            for _ in range(count):
                root.append(etree.fromstring(etree.tostring(root.find(DS + "Signature"))))

        return change

    at_limit = _verifier(pki).verify_xml(_edit(signed, add_copies(MAX_SIGNATURES - 1)), at=T0)
    assert len(at_limit.signers) == MAX_SIGNATURES  # verified (the copies fail their digests)
    over = _verifier(pki).verify_xml(_edit(signed, add_copies(MAX_SIGNATURES)), at=T0)
    assert over.reasons == (Reason.XML_FORBIDDEN,) and not over.signers


# --- RSA and GOST signers in one document (the simulated RSA hierarchy certifies both keys) ------------

AT = SESSION_AT + dt.timedelta(minutes=1)


def _minted(
    hierarchy: Hierarchy, public_key: keys.PublicKey | gost.GostPublicKey, number: int
) -> x509.Certificate:
    person = Person("ТЕСТОВ", "АЙДАР", "СЕРІКҰЛЫ", make_iin(dt.date(1985, 4, 12), Sex.MALE, number))
    profile = profiles.INDIVIDUAL_SINGLE_KEY
    return hierarchy.minter("nca").mint(
        profile,
        build_subject(person),
        public_key,
        SESSION_AT,
        profile.validity(profiles.KeyStorage.FILE).not_after(SESSION_AT),
        storage=profiles.KeyStorage.FILE,
    )


def _hierarchy_verifier(hierarchy: Hierarchy) -> Verifier:
    policy = VerificationPolicy(
        trust_anchors=(keys.certificate_der(hierarchy.root.certificate),),
        intermediates=tuple(keys.certificate_der(hierarchy.get(ca).certificate) for ca in ("gov", "nca")),
        purpose=Purpose.DOCUMENT,
        document_revocation=RevocationRequirement.IF_AVAILABLE,
        check_ca_revocation=False,
    )
    return Verifier(policy, StaticRevocationSource())


@pytest.fixture(scope="module")
def rsa_and_gost_document(ca_hierarchy: Hierarchy) -> bytes:
    """An RSA signature, then a GOST-2015-512 one added to the signed document (NCALayer style)."""
    rsa_key = keys.generate_private_key(keys.KeyType.RSA2048)
    gost_key = gost.GostPrivateKey.generate()
    once = xmldsig.sign_enveloped(DOCUMENT, rsa_key, _minted(ca_hierarchy, rsa_key.public_key(), 81))
    return xmldsig.sign_enveloped(once, gost_key, _minted(ca_hierarchy, gost_key.public_key(), 82))


def test_eds_10_rsa_and_gost_signers_of_one_document_are_both_verified(
    ca_hierarchy: Hierarchy, rsa_and_gost_document: bytes
) -> None:
    verdict = _hierarchy_verifier(ca_hierarchy).verify_xml(rsa_and_gost_document, at=AT)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert [s.signature_algorithm for s in verdict.signers] == [
        oids.SHA256_WITH_RSA,
        oids.KZ_GOST2015_512_SIGNATURE,
    ]
    assert [c.signer for c in verdict.checks if c.id == "signature"] == [0, 1]
    assert verdict.signed_content == etree.tostring(etree.fromstring(DOCUMENT), method="c14n")


def test_eds_10_one_flipped_byte_in_the_gost_signature_value_fails_that_signer_only(
    ca_hierarchy: Hierarchy, rsa_and_gost_document: bytes
) -> None:
    def flip(root: etree._Element) -> None:
        value = root.findall(DS + "Signature")[1].find(DS + "SignatureValue")
        raw = bytearray(xmldsig.decode_base64_text(value, "SignatureValue"))
        raw[70] ^= 0x01  # inside s
        value.text = base64.b64encode(bytes(raw)).decode()

    verdict = _hierarchy_verifier(ca_hierarchy).verify_xml(_edit(rsa_and_gost_document, flip), at=AT)
    assert verdict.sub_indication is SubIndication.SIG_CRYPTO_FAILURE
    assert verdict.reasons == (Reason.SIGNATURE_INVALID,)
    statuses = {c.signer: c.status for c in verdict.checks if c.id == "signature"}
    assert statuses == {0: CheckStatus.PASSED, 1: CheckStatus.FAILED}


@pytest.mark.parametrize("key_oid", [oids.KZ_GOST2015_256_KEY, oids.KZ_GOST2004_KEY])
def test_eds_10_gost_256_and_2004_xml_signatures_round_trip(ca_hierarchy: Hierarchy, key_oid: str) -> None:
    """Kalkan's URIs for these key types (no genuine XML sample exists); a 256-bit key is flagged."""
    key = gost.GostPrivateKey.generate(key_oid)
    signed = xmldsig.sign_enveloped(DOCUMENT, key, _minted(ca_hierarchy, key.public_key(), 83))
    verdict = _hierarchy_verifier(ca_hierarchy).verify_xml(signed, at=AT)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert verdict.signers[0].signature_algorithm == key.signature_oid
    assert ("gost_256_unconfirmed" in {n.code for n in verdict.warnings}) is (
        key_oid == oids.KZ_GOST2015_256_KEY
    )
