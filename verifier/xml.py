"""Enveloped XMLDSig verification with the signature-wrapping defence.

Only the shape NCALayer produces is accepted: one or more ``ds:Signature`` elements, each a child of the
document element, each with a single ``ds:Reference URI=""`` covering the whole document through the
enveloped-signature transform (optionally followed by one C14N transform). Anything else (a reference to
an Id, XPath/XSLT transforms, a signature elsewhere, e.g. nested in another) is ``xml_wrapping``: what is
verified is then always the whole document, so no unsigned content can hide next to signed content.
Signature *i* (document order) covers the document without signatures *i*, *i+1*, ... (it was made before
they were appended: :mod:`pki.xmldsig`). DTDs, entities and oversize documents are ``xml_forbidden``
(:func:`pki.xmldsig.parse_xml`), and so is a document with more than :data:`MAX_SIGNATURES` signatures
(each one canonicalises the whole document again). Algorithms come from the allow-lists of
:mod:`pki.xmldsig`, GOST's ``pkigovkz`` URIs included.

Checks, in order: ``xml``, ``algorithm``, ``signers``, ``structure``, then for each signature
``signer_certificate``, ``reference_digest``, ``signature`` and the certificate checks, tagged with the
signature's index. The verdict's ``signed_content`` is the canonical document without any signature.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from lxml import etree

from pki import xmldsig
from pki.cms import digest
from pki.errors import ErrorCode, InvalidInput
from pki.reasons import Reason
from pki.signatures import verify_signature
from verifier.certificate import Cert
from verifier.evaluation import CertificateEvaluator
from verifier.verdict import Check, CheckId, CheckStatus, Notice, SignerReport, Verdict, signature_check

_DS = "{" + xmldsig.DS_NS + "}"
_EXC_NS = "{" + xmldsig.EXC_C14N + "}"
MAX_SIGNATURES = 32  # a notarial deed has a handful of signers; this bounds the work per document


def verify_xml(
    verifier: CertificateEvaluator, data: bytes, *, at: dt.datetime, extra: Sequence[Cert]
) -> Verdict:
    """Verify an enveloped XMLDSig document at ``at``.

    Raises InvalidInput(``malformed_signature``) for XML that is not well formed; a DTD, an
    entity or an oversize document is a verdict (``xml_forbidden``), like everything else.
    """
    policy = verifier.policy

    def verdict(
        checks: list[Check], reports: Sequence[SignerReport] = (), notices=(), content=None
    ) -> Verdict:  # type: ignore[no-untyped-def]
        return Verdict("xml", policy.purpose, at, tuple(checks), tuple(reports), tuple(notices), content)

    tree, xml_check = parsed_document(data, policy.max_signature_bytes)
    checks = [xml_check]
    if tree is None:
        return verdict(checks)
    signatures = list(tree.getroot().iter(_DS + "Signature"))
    if len(signatures) > MAX_SIGNATURES:
        message = f"{len(signatures)} signatures: more than {MAX_SIGNATURES} are not accepted"
        checks.append(Check(CheckId.SIGNERS, CheckStatus.FAILED, message, Reason.XML_FORBIDDEN))
        return verdict(checks)
    for signature in signatures:
        unsupported = unsupported_algorithms(signature)
        if unsupported:
            checks.append(
                Check(CheckId.ALGORITHM, CheckStatus.UNKNOWN, unsupported, Reason.UNSUPPORTED_ALGORITHM)
            )
            return verdict(checks)
    if not signatures:
        checks.append(
            Check(CheckId.SIGNERS, CheckStatus.FAILED, "the document has no ds:Signature", Reason.NO_SIGNERS)
        )
        return verdict(checks)
    checks.append(Check(CheckId.ALGORITHM, CheckStatus.PASSED, "algorithms in the allow-list"))
    checks.append(Check(CheckId.SIGNERS, CheckStatus.PASSED, f"{len(signatures)} signature(s)"))
    problems = [p for p in map(_structure_problem, signatures) if p is not None]
    if problems:
        checks.append(Check(CheckId.STRUCTURE, CheckStatus.FAILED, problems[0], Reason.XML_WRAPPING))
        return verdict(checks)
    checks.append(
        Check(
            CheckId.STRUCTURE,
            CheckStatus.PASSED,
            "enveloped signatures whose references cover the whole document",
        )
    )
    reports: list[SignerReport] = []
    notices: list[Notice] = []
    for index in range(len(signatures)):
        signer_checks, signer_notices, report = _verify_signature(
            verifier, signatures[index:], index, at, extra
        )
        checks.extend(signer_checks)
        notices.extend(signer_notices)
        if report is not None:
            reports.append(report)
    content = xmldsig.enveloped_document_bytes(signatures, xmldsig.C14N)  # what every signature covers
    return verdict(checks, reports, notices, content)


def parsed_document(data: bytes, max_bytes: int) -> tuple[etree._ElementTree | None, Check]:
    """``data`` parsed (:func:`pki.xmldsig.parse_xml`) and the passed ``xml`` check; or None and the
    failed one (``xml_forbidden``) for a DTD, an entity or more than ``max_bytes`` bytes. Raises
    InvalidInput(``malformed_signature``) for XML that is not well formed."""
    try:
        tree = xmldsig.parse_xml(data, max_bytes=max_bytes)
    except InvalidInput as exc:
        if exc.code != ErrorCode.XML_FORBIDDEN:
            raise
        return None, Check(CheckId.XML, CheckStatus.FAILED, exc.message, Reason.XML_FORBIDDEN)
    return tree, Check(CheckId.XML, CheckStatus.PASSED, "well-formed XML without DTD or entities")


def _verify_signature(
    verifier: CertificateEvaluator,
    signatures: Sequence[etree._Element],
    index: int,
    at: dt.datetime,
    extra: Sequence[Cert],
) -> tuple[list[Check], tuple[Notice, ...], SignerReport | None]:
    """The checks of ``signatures[0]``, the ``index``-th signature, which covers the document without
    ``signatures`` (itself and the later ones); its warnings and report."""
    signature = signatures[0]
    certificates = [
        Cert.load(xmldsig.decode_base64_text(element, "X509Certificate"))
        for element in signature.iter(_DS + "X509Certificate")
    ]
    if not certificates:
        missing = Check(
            CheckId.SIGNER_CERTIFICATE,
            CheckStatus.FAILED,
            "KeyInfo holds no X509Certificate",
            Reason.SIGNER_CERTIFICATE_MISSING,
            index,
        )
        return [missing], (), None
    signer = certificates[0]
    checks = [
        Check(
            CheckId.SIGNER_CERTIFICATE,
            CheckStatus.PASSED,
            "the signer's certificate is in KeyInfo",
            None,
            index,
        )
    ]
    signed_info = signature.find(_DS + "SignedInfo")
    assert signed_info is not None  # _structure_problem guarantees it
    reference = signed_info.find(_DS + "Reference")
    assert reference is not None
    transforms = [t.get("Algorithm", "") for t in reference.iter(_DS + "Transform")]
    reference_c14n = transforms[1] if len(transforms) > 1 else xmldsig.C14N
    document = xmldsig.enveloped_document_bytes(signatures, reference_c14n, inclusive_prefixes(reference))
    digest_method = xmldsig.DIGEST_METHODS[algorithm_of(reference, "DigestMethod")]
    expected = xmldsig.decode_base64_text(reference.find(_DS + "DigestValue"), "DigestValue")
    matches = digest(digest_method, document) == expected
    checks.append(Check.of_digest(CheckId.REFERENCE_DIGEST, matches, "document", "DigestValue", index))
    checks.append(signature_value_check(signature, signed_info, signer, index))
    evaluation = verifier.evaluate_certificate(signer, [*certificates[1:], *extra], at, index)
    checks.extend(evaluation.checks)
    method = algorithm_of(signed_info, "SignatureMethod")
    report = dataclasses.replace(
        evaluation.report, signature_algorithm=xmldsig.SIGNATURE_METHODS[method].signature_oid
    )
    return checks, evaluation.notices, report


def signature_value_check(
    signature: etree._Element, signed_info: etree._Element, signer: Cert, index: int
) -> Check:
    """The ``signature`` check of ``signature``: its SignatureValue over the canonical ``signed_info`` with
    ``signer``'s key (SignedInfo's SignatureMethod and CanonicalizationMethod, both in the allow-lists)."""
    method = xmldsig.SIGNATURE_METHODS[algorithm_of(signed_info, "SignatureMethod")]
    c14n = algorithm_of(signed_info, "CanonicalizationMethod")
    signed = xmldsig.canonicalize(
        signed_info, c14n, inclusive_prefixes(signed_info.find(_DS + "CanonicalizationMethod"))
    )

    def verify() -> bool:
        encoded = xmldsig.decode_base64_text(signature.find(_DS + "SignatureValue"), "SignatureValue")
        value = xmldsig.signature_value_for(method, encoded)
        return verify_signature(signer.spki_der, xmldsig.algorithm_identifier(method), signed, value)

    return signature_check(verify, index)


def unsupported_algorithms(signature: etree._Element) -> str | None:
    """A message naming the first algorithm outside the allow-lists, or None."""
    for element in signature.iter(_DS + "SignatureMethod"):
        if element.get("Algorithm") not in xmldsig.SIGNATURE_METHODS:
            return f"signature method {element.get('Algorithm')} is not supported"
    for element in signature.iter(_DS + "DigestMethod"):
        if element.get("Algorithm") not in xmldsig.DIGEST_METHODS:
            return f"digest method {element.get('Algorithm')} is not supported"
    for element in signature.iter(_DS + "CanonicalizationMethod"):
        if element.get("Algorithm") not in xmldsig.C14N_METHODS:
            return f"canonicalization {element.get('Algorithm')} is not supported"
    return None


def _structure_problem(signature: etree._Element) -> str | None:
    """Why ``signature`` is not the one accepted enveloped shape (the wrapping defence), or None."""
    parent = signature.getparent()
    if parent is None or parent.getparent() is not None:
        return "the signature must be a child of the document element (enveloped)"
    signed_infos = signature.findall(_DS + "SignedInfo")
    if len(signed_infos) != 1:
        return "the signature must have exactly one SignedInfo"
    signed_info = signed_infos[0]
    for name in ("CanonicalizationMethod", "SignatureMethod"):
        if len(signed_info.findall(_DS + name)) != 1:
            return f"SignedInfo must have exactly one {name}"
    references = signed_info.findall(_DS + "Reference")
    if len(references) != 1:
        return f"exactly one Reference is accepted, SignedInfo has {len(references)}"
    reference = references[0]
    if reference.get("URI") != "":
        return f'the Reference must have URI="" (whole document), not {reference.get("URI")!r}'
    if len(reference.findall(_DS + "DigestMethod")) != 1 or len(reference.findall(_DS + "DigestValue")) != 1:
        return "the Reference must have one DigestMethod and one DigestValue"
    transforms = [t.get("Algorithm") for t in reference.iter(_DS + "Transform")]
    if not transforms or transforms[0] != xmldsig.ENVELOPED_SIGNATURE:
        return "the first transform must be the enveloped-signature transform"
    if len(transforms) > 2 or (len(transforms) == 2 and transforms[1] not in xmldsig.C14N_METHODS):
        return "only the enveloped-signature transform and one C14N transform are accepted"
    if len(signature.findall(_DS + "SignatureValue")) != 1:
        return "the signature must have exactly one SignatureValue"
    return None


def algorithm_of(parent: etree._Element, name: str) -> str:
    """The Algorithm of ``parent``'s child ``name`` (``ds:`` namespace); "" when absent."""
    element = parent.find(_DS + name)
    return "" if element is None else element.get("Algorithm", "")


def inclusive_prefixes(parent: etree._Element | None) -> list[str] | None:
    """The exclusive C14N InclusiveNamespaces PrefixList under ``parent``, if any."""
    if parent is None:
        return None
    element = next(parent.iter(_EXC_NS + "InclusiveNamespaces"), None)
    return None if element is None else element.get("PrefixList", "").split()
