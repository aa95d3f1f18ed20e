"""PDF signatures (EDS-10, PAdES): what we sign judged by pyHanko's validator and ``openssl cms``, several
signers, alterations, changes after signing, GOST, files that are no PDF, and the revocation data pyHanko
writes into a Document Security Store (PAdES-LT) or, as Adobe Acrobat does, into the signature's signed
adbe-revocationInfoArchival attribute."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from asn1crypto import cms as asn1_cms
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps import TimeStamper as PyHankoTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from bench.bench_documents import one_page_pdf as blank_pdf
from ca_sim.hierarchy import Hierarchy
from pki import gost, keys, oids, pdf
from pki.errors import ErrorCode, InvalidInput
from pki.reasons import Reason
from tests.verifier.conftest import T0, Issued, MiniPki
from tests.verifier.mutations import flipped_or_truncated
from tests.verifier.test_xml import AT, _hierarchy_verifier, _minted
from tests.verifier.time_stamps import stamper, tsa_token, tst_info
from verifier import Indication, Purpose, SubIndication, Verifier
from verifier.pdf import PdfSignatureVerdict, verify_pdf_signature
from verifier.verdict import Verdict


def _verifier(pki: MiniPki) -> Verifier:
    return pki.verifier(crls=[pki.crl()], purpose=Purpose.DOCUMENT)


def _signed(leaf: Issued, document: bytes | None = None, **details: str) -> bytes:
    return pdf.sign_pdf(blank_pdf() if document is None else document, leaf.key, leaf.cert, at=T0, **details)


def test_eds_10_a_signed_pdf_passes_with_its_details(pki: MiniPki) -> None:
    signed = _signed(pki.leaf("sign"), reason="Келісемін", location="Астана", contact_info="+7 700 000 0000")
    (result,) = _verifier(pki).verify_pdf(signed, at=T0)
    assert result.verdict.indication is Indication.TOTAL_PASSED, result.verdict.to_json()
    assert result.verdict.kind == "pdf" and result.verdict.checks[0].id == "coverage"
    signature = result.signature
    assert (signature.reason, signature.location, signature.contact_info) == (
        "Келісемін",
        "Астана",
        "+7 700 000 0000",
    )
    assert signature.sub_filter == "ETSI.CAdES.detached" and signature.signed_at == T0
    assert signature.coverage is pdf.Coverage.WHOLE_FILE and signature.field_name == "Signature1"


def test_pyhanko_validates_what_we_sign(pki: MiniPki) -> None:
    leaf = pki.leaf("sign")
    signed = _signed(leaf)
    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(keys.certificate_der(pki.root.cert))],
        other_certs=[asn1_x509.Certificate.load(keys.certificate_der(pki.nca.cert))],
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=T0,
    )
    status = validate_pdf_signature(embedded, signer_validation_context=context)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage is SignatureCoverageLevel.ENTIRE_FILE


def test_the_cms_is_pades_and_openssl_verifies_it_over_the_byte_range(pki: MiniPki, tmp_path: Path) -> None:
    """A detached CMS with signingCertificateV2 and no signing-time attribute (PAdES B-B), whose signature
    and content digest ``openssl cms -verify`` checks over the bytes the byte range names."""
    (signature,) = pdf.read_signatures(_signed(pki.leaf("sign")))
    signer_info = asn1_cms.ContentInfo.load(signature.cms)["content"]["signer_infos"][0]
    attributes = {a["type"].native for a in signer_info["signed_attrs"]}
    assert "signing_certificate_v2" in attributes and "signing_time" not in attributes
    (tmp_path / "sig.der").write_bytes(signature.cms)
    (tmp_path / "content").write_bytes(signature.signed_bytes)
    signed, content = str(tmp_path / "sig.der"), str(tmp_path / "content")
    command = ["openssl", "cms", "-verify", "-noverify", "-binary", "-inform", "DER", "-in", signed,
               "-content", content, "-out", "/dev/null"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()


def test_eds_10_two_signers_both_pass_and_the_first_covers_its_revision(pki: MiniPki) -> None:
    first, second = pki.leaf("sign"), pki.leaf("sign")
    signed = _signed(second, _signed(first))
    results = _verifier(pki).verify_pdf(signed, at=T0)
    assert [r.verdict.passed for r in results] == [True, True]
    assert [r.signature.field_name for r in results] == ["Signature1", "Signature2"]
    assert [(r.signature.coverage, r.signature.later_changes) for r in results] == [
        (pdf.Coverage.WHOLE_REVISION, pdf.LaterChanges.SIGNATURES_AND_FORMS),
        (pdf.Coverage.WHOLE_FILE, pdf.LaterChanges.NONE),
    ]


def test_eds_10_a_changed_byte_of_the_signed_revision_is_content_mismatch(pki: MiniPki) -> None:
    signed = _signed(pki.leaf("sign"))
    altered = signed.replace(b"/MediaBox [ 0 0 595 842 ]", b"/MediaBox [ 0 0 595 843 ]", 1)
    assert altered != signed
    (result,) = _verifier(pki).verify_pdf(altered, at=T0)
    assert result.verdict.sub_indication is SubIndication.HASH_FAILURE
    assert result.verdict.reasons == (Reason.CONTENT_MISMATCH,)


def test_eds_10_a_page_changed_in_a_later_revision_is_pdf_modified(pki: MiniPki) -> None:
    """The signature still verifies over its own revision, but what is shown is no longer what was signed."""
    signed = _signed(pki.leaf("sign"))
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    page[generic.NameObject("/MediaBox")] = generic.ArrayObject(
        [generic.NumberObject(n) for n in (0, 0, 100, 100)]
    )
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    (result,) = _verifier(pki).verify_pdf(output.getvalue(), at=T0)
    assert result.signature.later_changes is pdf.LaterChanges.OTHER
    assert result.verdict.reasons == (Reason.PDF_MODIFIED,)
    assert [c.status.value for c in result.verdict.checks if c.id == "signature"] == ["passed"]


def test_eds_10_a_gost_2015_signed_pdf_verifies(ca_hierarchy: Hierarchy) -> None:
    key = gost.GostPrivateKey.generate()
    signed = pdf.sign_pdf(blank_pdf(), key, _minted(ca_hierarchy, key.public_key(), 84), at=AT)
    (result,) = _hierarchy_verifier(ca_hierarchy).verify_pdf(signed, at=AT)
    assert result.verdict.passed, result.verdict.to_json()
    assert [s.signature_algorithm for s in result.verdict.signers] == [oids.KZ_GOST2015_512_SIGNATURE]


def test_an_unsigned_pdf_has_no_signatures_and_garbage_is_malformed_pdf(pki: MiniPki) -> None:
    verifier = _verifier(pki)
    assert verifier.verify_pdf(blank_pdf(), at=T0) == ()
    for garbage in (b"", b"%PDF-1.7\n%garbage", blank_pdf()[:-40], b"<a/>"):
        with pytest.raises(InvalidInput) as refused:
            verifier.verify_pdf(garbage, at=T0)
        assert refused.value.code == ErrorCode.MALFORMED_PDF
    with pytest.raises(InvalidInput) as unsignable:
        _signed(pki.leaf("sign"), b"%PDF-1.7\n%garbage")
    assert unsignable.value.code == ErrorCode.MALFORMED_PDF


def _judged(signature: pdf.PdfSignature, verify: Callable[[bytes, bytes], Verdict]) -> Verdict:
    """``signature``'s verdict in document mode at T0, its CMS judged by ``verify``."""

    def no_timestamp(token: bytes, content: bytes) -> Verdict:
        raise AssertionError("a signature, not a document time stamp, is verified here")

    return verify_pdf_signature(signature, verify, no_timestamp, purpose=Purpose.DOCUMENT, at=T0).verdict


def test_eds_10_a_signature_pyhanko_does_not_read_is_listed_and_does_not_pass(pki: MiniPki) -> None:
    """A PDF whose second signature has the legacy /SubFilter adbe.x509.rsa_sha1 (pyHanko's reader skips
    it): it is listed, after the one read, as unsupported; the file is not judged on the first alone."""
    first = _signed(pki.leaf("sign"))
    both = _signed(pki.leaf("sign"), first)
    at = both.rindex(b"/ETSI.CAdES.detached")  # the second signature's dictionary (same length written)
    legacy = both[:at] + b"/adbe.x509.rsa_sha1 " + both[at + len(b"/ETSI.CAdES.detached") :]
    read, unread = _verifier(pki).verify_pdf(legacy, at=T0)
    assert read.verdict.indication is Indication.TOTAL_PASSED
    assert unread.signature.sub_filter == "adbe.x509.rsa_sha1" and unread.signature.field_name == "Signature2"
    assert unread.signature.coverage is pdf.Coverage.UNREAD and unread.signature.cms
    assert unread.verdict.reasons == (Reason.UNSUPPORTED_ALGORITHM,) and not unread.verdict.passed


def test_eds_10_other_sub_filters_and_contents_that_are_no_cms_fail_that_signature_only(pki: MiniPki) -> None:
    (signature,) = pdf.read_signatures(_signed(pki.leaf("sign")))
    verifier = _verifier(pki)

    def verify(cms: bytes, content: bytes):  # type: ignore[no-untyped-def]
        return verifier.verify_cms(cms, at=T0, detached_content=content)

    raw_rsa = dataclasses.replace(signature, sub_filter="adbe.x509.rsa_sha1")
    verdict = _judged(raw_rsa, verify)
    assert verdict.reasons == (Reason.UNSUPPORTED_ALGORITHM,)
    not_cms = dataclasses.replace(signature, cms=b"\x30\x03\x02\x01\x00")
    verdict = _judged(not_cms, verify)
    assert verdict.reasons == (Reason.MALFORMED_SIGNATURE,) and not verdict.passed


def test_eds_10_partial_coverage_fails_the_coverage_check(pki: MiniPki) -> None:
    (signature,) = pdf.read_signatures(_signed(pki.leaf("sign")))
    verifier = _verifier(pki)
    partial = dataclasses.replace(signature, coverage=pdf.Coverage.PARTIAL)

    def verify(cms: bytes, content: bytes):  # type: ignore[no-untyped-def]
        return verifier.verify_cms(cms, at=T0, detached_content=content)

    verdict = _judged(partial, verify)
    assert verdict.reasons == (Reason.PDF_PARTIAL_COVERAGE,) and verdict.indication is Indication.TOTAL_FAILED


@pytest.fixture(scope="module")
def signed_pdf(pki: MiniPki) -> bytes:
    return _signed(pki.leaf("sign"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_pdfs_give_verdicts_or_malformed_pdf(
    pki: MiniPki, signed_pdf: bytes, data: st.DataObject
) -> None:
    """Flipped bytes or a truncation anywhere: InvalidInput ``malformed_pdf``, or verdicts that pass only if
    what their signature covers is still the signed bytes."""
    mutated = flipped_or_truncated(data, signed_pdf)
    verifier = _verifier(pki)
    try:
        results = verifier.verify_pdf(mutated, at=T0)
    except InvalidInput as exc:
        assert exc.code == ErrorCode.MALFORMED_PDF
        return
    (original,) = pdf.read_signatures(signed_pdf)
    for result in results:
        assert result.verdict.kind == "pdf"
        if result.verdict.passed:
            assert result.signature.signed_bytes == original.signed_bytes


def _with_dss_crls(signed: bytes, crls: list[bytes], ocsp_responses: tuple[bytes, ...] = ()) -> bytes:
    """``signed`` with a Document Security Store holding ``crls`` and ``ocsp_responses`` (PAdES-LT),
    written by pyHanko."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    DocumentSecurityStore.supply_dss_in_writer(
        writer,
        None,
        crls=[asn1_crl.CertificateList.load(der) for der in crls],
        ocsps=[asn1_ocsp.OCSPResponse.load(der) for der in ocsp_responses],
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pades_lt_the_crl_in_the_dss_vouches_for_the_signer(pki: MiniPki) -> None:
    """A source without the signer's CA's CRL cannot establish revocation; the CRL pyHanko stored in the
    document's DSS can (checked as any CRL: the nca's signature over it)."""
    signed = _signed(pki.leaf("sign"))
    verifier = pki.verifier(crls=[pki.crl(issuer=pki.root)], purpose=Purpose.DOCUMENT)
    (without,) = verifier.verify_pdf(signed, at=T0)
    assert Reason.REVOCATION_UNKNOWN in without.verdict.reasons
    (result,) = verifier.verify_pdf(_with_dss_crls(signed, [pki.crl()]), at=T0)
    assert result.verdict.indication is Indication.TOTAL_PASSED, result.verdict.to_json()
    evidence = result.verdict.signers[0].revocation
    assert evidence is not None and evidence.location == "carried with the signature"
    forger = keys.generate_private_key(keys.KeyType.RSA2048)
    (forged,) = verifier.verify_pdf(_with_dss_crls(signed, [pki.crl(signer=forger)]), at=T0)
    assert forged.verdict.reasons == (Reason.REVOCATION_INVALID,)  # in the nca's name, not by its key


def test_pades_lt_the_ocsp_response_in_the_dss_vouches_for_the_signer(pki: MiniPki) -> None:
    leaf = pki.leaf("sign")
    verifier = pki.verifier(crls=[pki.crl(issuer=pki.root)], purpose=Purpose.DOCUMENT)
    document = _with_dss_crls(_signed(leaf), [], (pki.ocsp(leaf.cert),))
    (result,) = verifier.verify_pdf(document, at=T0)
    assert result.verdict.indication is Indication.TOTAL_PASSED, result.verdict.to_json()
    evidence = result.verdict.signers[0].revocation
    assert evidence is not None and (evidence.source, evidence.location) == (
        "ocsp",
        "carried with the signature",
    )


def test_pades_lt_a_login_never_reads_the_dss(pki: MiniPki) -> None:
    signed = _with_dss_crls(_signed(pki.leaf("auth")), [pki.crl()])
    verifier = pki.verifier(crls=[pki.crl(issuer=pki.root)], purpose=Purpose.LOGIN)
    (result,) = verifier.verify_pdf(signed, at=T0)
    assert Reason.REVOCATION_UNKNOWN in result.verdict.reasons


def test_read_pdf_gives_the_dss_crls_once_each(pki: MiniPki) -> None:
    signed = _signed(pki.leaf("sign"))
    assert not pdf.read_pdf(signed).revocation
    crl = pki.crl()
    document = pdf.read_pdf(_with_dss_crls(signed, [crl, crl]))
    assert document.revocation.crls == (crl,) and document.revocation.ocsp_responses == ()
    assert len(document.signatures) == 1


def _adobe_signed(
    pki: MiniPki, leaf: Issued, *, crls: Sequence[bytes] = (), ocsp_responses: Sequence[bytes] = ()
) -> bytes:
    """A PDF signed by pyHanko in Adobe's way (``adbe.pkcs7.detached``) with the revocation data its
    validation context holds embedded in the signed adbe-revocationInfoArchival attribute (ISO 32000-1
    12.8.3.3.2), no DSS."""

    def asn1(issued: Issued) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(issued.der)

    key = leaf.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    signer = signers.SimpleSigner(
        signing_cert=asn1(leaf),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs([asn1(pki.nca), asn1(pki.root)]),
    )
    context = ValidationContext(
        trust_roots=[asn1(pki.root)],
        crls=[asn1_crl.CertificateList.load(der) for der in crls],
        ocsps=[asn1_ocsp.OCSPResponse.load(der) for der in ocsp_responses],
        allow_fetching=False,
        moment=T0,
    )
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature1",
        subfilter=fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
        embed_validation_info=True,
        validation_context=context,
        signer_key_usage={"digital_signature"},  # AUTH too (pyHanko's default: non-repudiation)
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(blank_pdf()))
    return bytes(signers.PdfSigner(metadata, signer=signer).sign_pdf(writer).getvalue())


def _adobe_revocation_info(signed: bytes) -> asn1_cms.CMSAttribute:
    (signature,) = pdf.read_pdf(signed).signatures
    (signer_info,) = asn1_cms.ContentInfo.load(signature.cms)["content"]["signer_infos"]
    (attribute,) = [a for a in signer_info["signed_attrs"] if a["type"].dotted == "1.2.840.113583.1.1.8"]
    return attribute


def test_adobe_the_crls_in_the_signed_revocation_info_archival_vouch_for_the_signer(pki: MiniPki) -> None:
    """No DSS, and a source without the nca's CRL: the CRL pyHanko signed into the attribute counts, once
    the nca's signature over it verifies; an attribute without it leaves the signer unknown."""
    leaf = pki.leaf("sign")
    verifier = pki.verifier(crls=[pki.crl(issuer=pki.root)], purpose=Purpose.DOCUMENT)
    signed = _adobe_signed(pki, leaf, crls=[pki.crl(), pki.crl(issuer=pki.root)])
    assert not pdf.read_pdf(signed).revocation  # the data is in the CMS, not in a DSS
    assert len(_adobe_revocation_info(signed)["values"][0]["crl"]) == 2
    (result,) = verifier.verify_pdf(signed, at=T0)
    assert result.verdict.passed, result.verdict.to_json()
    assert result.signature.sub_filter == "adbe.pkcs7.detached"
    evidence = result.verdict.signers[0].revocation
    assert evidence is not None and (evidence.source, evidence.location) == (
        "crl",
        "carried with the signature",
    )
    (without,) = verifier.verify_pdf(_adobe_signed(pki, leaf, crls=[pki.crl(issuer=pki.root)]), at=T0)
    assert Reason.REVOCATION_UNKNOWN in without.verdict.reasons


def test_adobe_the_ocsp_response_in_the_signed_revocation_info_archival_vouches_for_the_signer(
    pki: MiniPki,
) -> None:
    leaf = pki.leaf("sign")
    signed = _adobe_signed(pki, leaf, crls=[pki.crl(issuer=pki.root)], ocsp_responses=[pki.ocsp(leaf.cert)])
    assert len(_adobe_revocation_info(signed)["values"][0]["ocsp"]) == 1
    verifier = pki.verifier(crls=[pki.crl(issuer=pki.root)], purpose=Purpose.DOCUMENT)
    (result,) = verifier.verify_pdf(signed, at=T0)
    assert result.verdict.passed, result.verdict.to_json()
    evidence = result.verdict.signers[0].revocation
    assert evidence is not None and (evidence.source, evidence.location) == (
        "ocsp",
        "carried with the signature",
    )


def test_unis_11_a_login_never_reads_the_signed_revocation_info_archival(pki: MiniPki) -> None:
    signed = _adobe_signed(pki, pki.leaf("auth"), crls=[pki.crl(), pki.crl(issuer=pki.root)])
    verifier = pki.verifier(crls=[pki.crl(issuer=pki.root)], purpose=Purpose.LOGIN)
    (result,) = verifier.verify_pdf(signed, at=T0)
    assert Reason.REVOCATION_UNKNOWN in result.verdict.reasons


# --- archive time stamps (PAdES-LTA, ETSI EN 319 102-1 5.6.3) --------------------------------------------

TODAY = T0 + dt.timedelta(days=10)  # when the archived PDF is verified
ARCHIVED = T0 + dt.timedelta(days=3)  # the document time stamp's genTime


class _MiniTsa(PyHankoTimeStamper):
    """pyHanko's time-stamp client answered by ``tsa`` of ``pki`` at ``gen_time`` (over ``other`` bytes'
    hash when given, as a TSA stamping the wrong hash would)."""

    def __init__(self, pki: MiniPki, tsa: Issued, gen_time: dt.datetime, other: bytes | None = None) -> None:
        super().__init__(include_nonce=False)
        self._pki, self._tsa, self._gen_time, self._other = pki, tsa, gen_time, other

    async def async_request_tsa_response(self, req: asn1_tsp.TimeStampReq) -> asn1_tsp.TimeStampResp:
        imprint = req["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].dotted
        hashed = (
            imprint["hashed_message"].native if self._other is None else hashlib.sha256(self._other).digest()
        )
        info = tst_info(b"", algorithm, gen_time=self._gen_time, imprint=hashed)
        token = tsa_token(self._tsa, self._pki, info=info)
        return asn1_tsp.TimeStampResp(
            {"status": {"status": "granted"}, "time_stamp_token": asn1_cms.ContentInfo.load(token)}
        )


def _crls_of(pki: MiniPki, when: dt.datetime, number: int) -> list[bytes]:
    """The nca's and the root's CRLs valid at ``when``."""
    validity = {"this_update": when - dt.timedelta(hours=1), "next_update": when + dt.timedelta(hours=26)}
    return [pki.crl(number=number, **validity), pki.crl(issuer=pki.root, number=number, **validity)]


@dataclasses.dataclass(frozen=True)
class _Archive:
    """A PDF signed at T0 by a signer expired a day later, with a signature time stamp of T0 by a TSA whose
    certificate expired at T0 + 5 days; ``archived`` adds a document time stamp of ARCHIVED by a TSA valid
    at TODAY. The source holds the nca's and the root's CRLs of T0, ARCHIVED and TODAY."""

    pki: MiniPki
    signed: bytes
    archived: bytes

    def verify(self, document: bytes, **policy: object) -> tuple[PdfSignatureVerdict, ...]:
        crls = [self.pki.crl(), *_crls_of(self.pki, ARCHIVED, 2), *_crls_of(self.pki, TODAY, 3)]
        options = {"purpose": Purpose.DOCUMENT, **policy}
        return self.pki.verifier(crls=crls, **options).verify_pdf(document, at=TODAY)


def _archive(pki: MiniPki, other: bytes | None = None) -> _Archive:
    signer = pki.leaf("sign", not_after=T0 + dt.timedelta(days=1))
    first_tsa = pki.leaf("tsa", not_after=T0 + dt.timedelta(days=5))
    signed = pdf.sign_pdf(blank_pdf(), signer.key, signer.cert, at=T0, stamp=stamper(pki, tsa=first_tsa))
    archiver = PdfTimeStamper(_MiniTsa(pki, pki.leaf("tsa"), ARCHIVED, other))
    archived = archiver.timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(signed)), "sha256").getvalue()
    return _Archive(pki, signed, bytes(archived))


@pytest.fixture(scope="module")
def archive(pki: MiniPki) -> _Archive:
    return _archive(pki)


def test_pades_lta_a_document_time_stamp_keeps_a_signature_valid_after_its_tsa_expired(
    archive: _Archive,
) -> None:
    """At TODAY the signer and the signature time stamp's TSA have expired: the signature alone fails; the
    document time stamp (valid at TODAY) proves it existed at ARCHIVED, when its TSA was valid, whose token
    in turn proves it existed at T0, when its signer was."""
    (alone,) = archive.verify(archive.signed)
    assert Reason.CERTIFICATE_EXPIRED in alone.verdict.reasons
    assert "signature_timestamp_not_verified" in [w.code for w in alone.verdict.warnings]
    signature, stamp = archive.verify(archive.archived)
    assert stamp.signature.sub_filter == "ETSI.RFC3161" and stamp.verdict.passed, stamp.verdict.to_json()
    assert stamp.verdict.validation_time == TODAY
    verdict = signature.verdict
    assert verdict.passed and verdict.validation_time == ARCHIVED, verdict.to_json()
    assert verdict.signers[0].validated_at == T0
    assert [w.code for w in verdict.warnings] == [
        "validated_as_of_time_stamp",
        "validated_as_of_archive_time_stamp",
    ]


def test_pades_lta_a_document_time_stamp_that_fails_proves_nothing(pki: MiniPki) -> None:
    wrong = _archive(pki, other=b"another document")
    signature, stamp = wrong.verify(wrong.archived)
    assert stamp.verdict.reasons == (Reason.CONTENT_MISMATCH,)
    assert not signature.verdict.passed and signature.verdict.validation_time == TODAY


def test_pades_lta_archive_time_stamps_follow_the_past_validation_policy(archive: _Archive) -> None:
    signature, _ = archive.verify(archive.archived, signature_time_stamp_existence=False)
    assert not signature.verdict.passed and signature.verdict.validation_time == TODAY


def test_unis_3_a_login_is_never_judged_as_of_an_archive_time_stamp(archive: _Archive) -> None:
    signature, _ = archive.verify(archive.archived, purpose=Purpose.LOGIN)
    assert not signature.verdict.passed and signature.verdict.validation_time == TODAY


def test_pades_lta_the_dss_gives_the_document_time_stamps_tsa_its_revocation_data(archive: _Archive) -> None:
    """A source without today's nca CRL cannot establish the archive TSA's status; the nca's CRL of TODAY in
    the DSS, added after the document time stamp as PAdES-LTA does, can."""
    pki = archive.pki
    todays_nca_crl, todays_root_crl = _crls_of(pki, TODAY, 3)
    source_crls = [pki.crl(), *_crls_of(pki, ARCHIVED, 2), todays_root_crl]
    verifier = pki.verifier(crls=source_crls, purpose=Purpose.DOCUMENT)
    _, without = verifier.verify_pdf(archive.archived, at=TODAY)
    assert without.verdict.reasons == (Reason.REVOCATION_STALE,)  # the nca's newest CRL is of ARCHIVED
    signature, stamp = verifier.verify_pdf(_with_dss_crls(archive.archived, [todays_nca_crl]), at=TODAY)
    assert stamp.verdict.passed, stamp.verdict.to_json()
    assert signature.verdict.passed and signature.verdict.validation_time == ARCHIVED


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_pades_lta_mutated_archives_give_verdicts_or_malformed_pdf(
    archive: _Archive, data: st.DataObject
) -> None:
    """Flipped bytes or a truncation anywhere in the archived PDF: ``malformed_pdf``, or verdicts that pass
    (at TODAY or as of the archive time stamp) only over the bytes first signed and stamped."""
    mutated = flipped_or_truncated(data, archive.archived)
    try:
        results = archive.verify(mutated)
    except InvalidInput as exc:
        assert exc.code == ErrorCode.MALFORMED_PDF
        return
    originals = {s.field_name: s.signed_bytes for s in pdf.read_signatures(archive.archived)}
    for result in results:
        assert result.verdict.kind == "pdf"
        if result.verdict.passed:
            assert result.signature.signed_bytes == originals.get(result.signature.field_name)
            assert result.verdict.validation_time in (TODAY, ARCHIVED)
