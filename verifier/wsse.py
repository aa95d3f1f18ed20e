"""WS-Security signatures on SOAP envelopes (:mod:`pki.wsse`), with the signature-wrapping defence.

What is verified is the one ``ds:Signature`` of the envelope's ``wsse:Security`` header; signatures
elsewhere (a signed document carried in the Body, say) are payload and not judged here. Its references
must each point by a same-document id (``URI="#..."``) at exactly one element of the whole document,
under any id attribute a library might resolve (:data:`pki.wsse.ID_ATTRIBUTES`), and that element must
be the envelope's own ``Body``, or the ``wsu:Timestamp`` or a ``wsse:BinarySecurityToken`` of the same
Security header; the Body must be among them, each part signed once, with no transform but one C14N.
Anything else is ``xml_wrapping``: a moved, duplicated or unsigned Body never passes as signed. A
document that is no SOAP envelope is ``not_soap_envelope``; DTDs, entities and oversize documents are
``xml_forbidden``.

The signer's certificate comes from ``ds:KeyInfo`` (:mod:`pki.wsse`: a KeyIdentifier of value type
X509v3, a Reference to a BinarySecurityToken of the header, or ds:X509Data); other certificates in it
help build the chain. The Timestamp's Created and Expires are not judged: message freshness is the
receiving service's policy, not the signature's.

Checks, in order: ``xml``, ``structure`` (the envelope), ``signers``, ``algorithm``, ``structure``
(the references), ``signer_certificate``, ``reference_digest``, ``signature``, then the certificate
checks. The verdict's ``signed_content`` is the Body in exclusive C14N.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from lxml import etree

from pki import wsse, xmldsig
from pki.cms import digest
from pki.errors import InvalidInput
from pki.reasons import Reason
from verifier.certificate import Cert
from verifier.evaluation import CertificateEvaluator
from verifier.verdict import Check, CheckId, CheckStatus, Notice, SignerReport, Verdict
from verifier.xml import (
    algorithm_of,
    inclusive_prefixes,
    parsed_document,
    signature_value_check,
    unsupported_algorithms,
)

_DS = "{" + xmldsig.DS_NS + "}"
_WSSE = "{" + wsse.WSSE_NS + "}"
_WSU = "{" + wsse.WSU_NS + "}"
MAX_REFERENCES = 8  # the Body, the Timestamp, the token: a handful bounds the canonicalisation work
_SIGNABLE_IN_HEADER = frozenset({_WSU + "Timestamp", _WSSE + "BinarySecurityToken"})


@dataclasses.dataclass(frozen=True)
class _Reference:
    """A checked reference: the element it covers and how its digest is made."""

    element: etree._Element
    c14n: str
    prefixes: list[str] | None
    digest_oid: str
    digest_value: bytes


def verify_wsse(
    verifier: CertificateEvaluator, data: bytes, *, at: dt.datetime, extra: Sequence[Cert]
) -> Verdict:
    """Verify the WS-Security signature of the SOAP envelope ``data`` at ``at``.

    Raises InvalidInput(``malformed_signature``) for XML that is not well formed; everything else,
    including a DTD, an entity, an oversize document or a document that is no SOAP envelope, is a verdict.
    """
    policy = verifier.policy

    def verdict(
        checks: list[Check],
        reports: Sequence[SignerReport] = (),
        notices: Sequence[Notice] = (),
        content: bytes | None = None,
    ) -> Verdict:
        return Verdict("wsse", policy.purpose, at, tuple(checks), tuple(reports), tuple(notices), content)

    tree, xml_check = parsed_document(data, policy.max_signature_bytes)
    checks = [xml_check]
    if tree is None:
        return verdict(checks)
    try:
        parts = wsse.soap_envelope(tree)
    except InvalidInput as exc:
        checks.append(Check(CheckId.STRUCTURE, CheckStatus.FAILED, exc.message, Reason.NOT_SOAP_ENVELOPE))
        return verdict(checks)
    checks.append(Check(CheckId.STRUCTURE, CheckStatus.PASSED, "a SOAP envelope with one Body"))
    signatures = [] if parts.security is None else parts.security.findall(_DS + "Signature")
    if len(signatures) != 1:
        message = (
            "the envelope has no wsse:Security header"
            if parts.security is None
            else f"the wsse:Security header holds {len(signatures)} signatures, not one"
        )
        checks.append(Check(CheckId.SIGNERS, CheckStatus.FAILED, message, Reason.NO_SIGNERS))
        return verdict(checks)
    signature = signatures[0]
    checks.append(Check(CheckId.SIGNERS, CheckStatus.PASSED, "one signature in the wsse:Security header"))
    unsupported = unsupported_algorithms(signature)
    if unsupported:
        checks.append(
            Check(CheckId.ALGORITHM, CheckStatus.UNKNOWN, unsupported, Reason.UNSUPPORTED_ALGORITHM)
        )
        return verdict(checks)
    checks.append(Check(CheckId.ALGORITHM, CheckStatus.PASSED, "algorithms in the allow-list"))
    signed_info = signature.find(_DS + "SignedInfo")
    references, problem = _references(tree, parts, signature)
    if problem is not None or signed_info is None:
        checks.append(Check(CheckId.STRUCTURE, CheckStatus.FAILED, problem or "", Reason.XML_WRAPPING))
        return verdict(checks)
    covered = ", ".join(etree.QName(r.element).localname for r in references)
    checks.append(
        Check(CheckId.STRUCTURE, CheckStatus.PASSED, f"the references cover the envelope's {covered}")
    )

    certificates, missing = _certificates(tree, parts, signature)
    if not certificates:
        checks.append(
            Check(
                CheckId.SIGNER_CERTIFICATE, CheckStatus.FAILED, missing, Reason.SIGNER_CERTIFICATE_MISSING, 0
            )
        )
        return verdict(checks)
    signer = certificates[0]
    checks.append(
        Check(
            CheckId.SIGNER_CERTIFICATE, CheckStatus.PASSED, "the signer's certificate is in KeyInfo", None, 0
        )
    )
    altered = [
        etree.QName(r.element).localname
        for r in references
        if digest(r.digest_oid, xmldsig.canonicalize(r.element, r.c14n, r.prefixes)) != r.digest_value
    ]
    what = altered[0] if altered else covered
    checks.append(Check.of_digest(CheckId.REFERENCE_DIGEST, not altered, what, "DigestValue", 0))
    checks.append(signature_value_check(signature, signed_info, signer, 0))
    evaluation = verifier.evaluate_certificate(signer, [*certificates[1:], *extra], at, 0)
    checks.extend(evaluation.checks)
    method = algorithm_of(signed_info, "SignatureMethod")
    report = dataclasses.replace(
        evaluation.report, signature_algorithm=xmldsig.SIGNATURE_METHODS[method].signature_oid
    )
    content = xmldsig.canonicalize(parts.body, xmldsig.EXC_C14N)
    return verdict(checks, [report], evaluation.notices, content)


def _references(
    tree: etree._ElementTree, parts: wsse.SoapEnvelope, signature: etree._Element
) -> tuple[list[_Reference], str | None]:
    """The signature's references resolved, or why its shape is refused (the wrapping defence)."""
    signed_infos = signature.findall(_DS + "SignedInfo")
    if len(signed_infos) != 1:
        return [], "the signature must have exactly one SignedInfo"
    signed_info = signed_infos[0]
    for name in ("CanonicalizationMethod", "SignatureMethod"):
        if len(signed_info.findall(_DS + name)) != 1:
            return [], f"SignedInfo must have exactly one {name}"
    if len(signature.findall(_DS + "SignatureValue")) != 1:
        return [], "the signature must have exactly one SignatureValue"
    elements = signed_info.findall(_DS + "Reference")
    if not 1 <= len(elements) <= MAX_REFERENCES:
        return [], f"SignedInfo has {len(elements)} references; 1 to {MAX_REFERENCES} are accepted"
    references: list[_Reference] = []
    for element in elements:
        reference, problem = _reference(tree, parts, element)
        if reference is None:
            return [], problem
        if any(r.element is reference.element for r in references):
            return [], f"the {etree.QName(reference.element).localname} is referenced twice"
        references.append(reference)
    if not any(r.element is parts.body for r in references):
        return [], "no reference covers the envelope's Body"
    return references, None


def _reference(
    tree: etree._ElementTree, parts: wsse.SoapEnvelope, element: etree._Element
) -> tuple[_Reference | None, str]:
    """One reference resolved to the element it covers, or None and why it is refused."""
    uri = element.get("URI") or ""
    if not uri.startswith("#") or len(uri) < 2:
        return None, f'a reference must name a same-document id (URI="#..."), not {uri!r}'
    targets = wsse.elements_with_id(tree, uri[1:])
    if len(targets) != 1:
        return None, f"the id {uri[1:]!r} is carried by {len(targets)} elements, not exactly one"
    target = targets[0]
    in_header = target.getparent() is parts.security and target.tag in _SIGNABLE_IN_HEADER
    if target is not parts.body and not in_header:
        return None, (
            f"a reference covers {etree.QName(target).localname}: only the envelope's Body and the "
            "Timestamp or security token of its wsse:Security header are accepted"
        )
    transforms = [t.get("Algorithm", "") for t in element.iter(_DS + "Transform")]
    if len(transforms) > 1 or any(t not in xmldsig.C14N_METHODS for t in transforms):
        return None, "a reference may have one C14N transform and no other"
    if len(element.findall(_DS + "DigestMethod")) != 1 or len(element.findall(_DS + "DigestValue")) != 1:
        return None, "a reference must have one DigestMethod and one DigestValue"
    digest_value = xmldsig.decode_base64_text(element.find(_DS + "DigestValue"), "DigestValue")
    # XMLDSig 4.3.3.2: without a transform, a same-document reference is canonicalised inclusively.
    c14n = transforms[0] if transforms else xmldsig.C14N
    digest_oid = xmldsig.DIGEST_METHODS[algorithm_of(element, "DigestMethod")]
    return _Reference(target, c14n, inclusive_prefixes(element), digest_oid, digest_value), ""


def signer_certificate(tree: etree._ElementTree) -> bytes | None:
    """The DER of the signer's certificate as the envelope's one WS-Security signature names it (what an
    answer shows beside the verdict); None when there is no such signature or certificate."""
    try:
        parts = wsse.soap_envelope(tree)
        signatures = [] if parts.security is None else parts.security.findall(_DS + "Signature")
        encoded = _certificate_ders(tree, parts, signatures[0])[0] if len(signatures) == 1 else []
    except InvalidInput:
        return None
    return encoded[0] if encoded else None


def _certificates(
    tree: etree._ElementTree, parts: wsse.SoapEnvelope, signature: etree._Element
) -> tuple[list[Cert], str]:
    """The signer's certificate first, then any other certificate KeyInfo carries; or none and why.
    Raises InvalidInput for a certificate that is not base64 or not DER."""
    encoded, missing = _certificate_ders(tree, parts, signature)
    return [Cert.load(der) for der in encoded], missing


def _certificate_ders(
    tree: etree._ElementTree, parts: wsse.SoapEnvelope, signature: etree._Element
) -> tuple[list[bytes], str]:
    """The DER certificates KeyInfo carries, the signer's first; or none and why."""
    key_info = signature.find(_DS + "KeyInfo")
    if key_info is None:
        return [], "the signature has no KeyInfo"
    encoded: list[bytes] = []
    for identifier in key_info.iter(_WSSE + "KeyIdentifier"):
        if identifier.get("ValueType") == wsse.X509V3:
            encoded.append(xmldsig.decode_base64_text(identifier, "KeyIdentifier"))
    for reference in key_info.iter(_WSSE + "Reference"):
        token = _token(tree, parts, reference.get("URI") or "")
        if token is not None:
            encoded.append(xmldsig.decode_base64_text(token, "BinarySecurityToken"))
    encoded.extend(
        xmldsig.decode_base64_text(e, "X509Certificate") for e in key_info.iter(_DS + "X509Certificate")
    )
    if not encoded:
        return [], (
            "KeyInfo carries no certificate: a wsse:KeyIdentifier of value type X509v3, a wsse:Reference "
            "to a BinarySecurityToken of the wsse:Security header, or ds:X509Data is needed"
        )
    return encoded, ""


def _token(tree: etree._ElementTree, parts: wsse.SoapEnvelope, uri: str) -> etree._Element | None:
    """The X509v3 BinarySecurityToken of the Security header ``uri`` (``#id``) names, if it names one."""
    if not uri.startswith("#"):
        return None
    found = wsse.elements_with_id(tree, uri[1:])
    if len(found) != 1:
        return None
    token = found[0]
    if token.tag != _WSSE + "BinarySecurityToken" or token.getparent() is not parts.security:
        return None
    return token if token.get("ValueType") == wsse.X509V3 else None
