"""NCANode v3's JSON API beside ours (``/cms/*``, ``/xml/*``, ``/wsse/*``, ``/pdf/*``, ``/x509/*``,
``/pkcs12/*``, ``/jwt/*``), for integrators switching from NCANode unchanged.

Requests and responses are NCANode's (``api.models.ncanode``); the answers are the kzpki verifier's,
translated in :mod:`api.ncanode_shape`. Errors are NCANode's ``ErrorResponse`` ``{status, message,
details}`` with HTTP 400 for anything about the input, where ``details`` carries our stable error code;
nothing here answers 500 for an input (NCANode does, e.g. for a wrong key password).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from flask import Blueprint, Response, current_app
from lxml import etree
from werkzeug.exceptions import HTTPException

from api.auth import services
from api.models import ncanode as n
from api.ncanode_shape import (
    certificates_response,
    cms_response,
    key_usage_name,
    pdf_response,
    why_invalid,
    xml_response,
)
from api.observability.metrics import timed_verification
from api.operations import operation, reply
from api.problems import status_for
from ca_sim.timestamping import POLICIES
from pki import cms as pki_cms
from pki import cms_signing, json_web_tokens, wsse, xmldsig
from pki import pdf as pki_pdf
from pki.errors import ErrorCode, InvalidInput, KzPkiError, NotFound
from pki.keys import load_certificate
from pki.pkcs12 import KeyEntry, open_pkcs12
from pki.signatures import load_any_public_key, verify_signature
from verifier import Purpose, Verifier
from verifier.policy import RevocationMethods
from verifier.verdict import Verdict
from verifier.wsse import signer_certificate

blueprint = Blueprint("ncanode", __name__)
_V = TypeVar("_V", bound=Callable[..., Any])
TAG = "NCANode"
_METHODS = {
    frozenset({"OCSP"}): RevocationMethods.OCSP,
    frozenset({"CRL"}): RevocationMethods.CRL,
    frozenset({"OCSP", "CRL"}): RevocationMethods.OCSP_OR_CRL,
}


def _declare(
    summary: str, body: type[n.NcaRequest], ok: type[n.StatusResponse], problems: tuple[int, ...] = (400,)
) -> Callable[[_V], _V]:
    """``@operation`` for an NCANode endpoint: its request, its 200 answer, and ErrorResponse errors."""
    return operation(
        tag=TAG,
        summary=summary,
        body=body,
        responses={200: ok},
        error_model=n.ErrorResponse,
        problems=problems,
    )


@blueprint.errorhandler(KzPkiError)
def _domain_error(error: KzPkiError) -> Response:
    """NCANode's statuses: 404 where it answers 404 (a PDF without signatures), else 400 (its
    ClientException), an unsupported algorithm included; never 500 for an input."""
    return nca_error(404 if status_for(error) == 404 else 400, error.message, error.code)


@blueprint.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    status = error.code or 400
    return nca_error(status, error.description or "request refused", f"http_{status}")


def nca_error(status: int, message: str, code: str) -> Response:
    """NCANode's ErrorResponse; ``details`` holds the stable kzpki code."""
    return reply(n.ErrorResponse(status=status, message=message, details=str(code)), status)


@blueprint.post("/cms/verify")
@_declare("NCANode: verify a CMS", n.CmsVerifyRequest, n.CmsVerificationResponse)
def nca_cms_verify(body: n.CmsVerifyRequest) -> Response:
    """Every SignerInfo of an attached or detached (``data``) CMS, judged by the kzpki verifier in
    document mode (EDS-10) as of now: signature, content digest, full chain to a trusted root, validity,
    key usage and revocation. A CMS without signers is invalid (NCANode says valid)."""
    signed_data = pki_cms.load_signed_data(body.cms)
    verifier, at = _verifier(body.revocation_check), services().clock()
    with timed_verification("cms"):
        verdict = verifier.verify_cms(body.cms, at=at, detached_content=body.data)
    return _ok(cms_response(verdict, signed_data, body.revocation_check))


@blueprint.post("/cms/extract")
@_declare("NCANode: the signed data of a CMS", n.CmsExtractRequest, n.CmsDataResponse)
def nca_cms_extract(body: n.CmsExtractRequest) -> Response:
    """The encapsulated content, base64; a detached CMS is a 400 as in NCANode. Nothing is verified."""
    content = pki_cms.encapsulated_content(pki_cms.load_signed_data(body.cms))
    if content is None:
        raise InvalidInput(ErrorCode.NO_SIGNED_CONTENT, "CMS doesn't have signed content")
    return _ok(n.CmsDataResponse(data=base64.b64encode(content).decode("ascii")))


@blueprint.post("/xml/verify")
@_declare("NCANode: verify XMLDSig signatures", n.XmlVerifyRequest, n.VerificationResponse)
def nca_xml_verify(body: n.XmlVerifyRequest) -> Response:
    """Every enveloped signature of the document (kzpki's XMLDSig rules: whole-document references, no
    wrapping, at most 32 signatures), one CertificateInfo per signature, last signature first as
    NCANode lists them."""
    document = body.xml.encode("utf-8")
    tree = xmldsig.parse_xml(document, max_bytes=services().settings.max_body_bytes)
    verifier, at = _verifier(body.revocation_check), services().clock()
    with timed_verification("xml"):
        verdict = verifier.verify_xml(document, at=at)
    certificates = [_xml_certificate(s) for s in tree.getroot().iter(f"{{{xmldsig.DS_NS}}}Signature")]
    response = xml_response(verdict, certificates, body.revocation_check)
    return _ok(response.model_copy(update={"signers": list(reversed(response.signers))}))


@blueprint.post("/x509/info")
@_declare("NCANode: certificate information", n.X509InfoRequest, n.VerificationResponse)
def nca_x509_info(body: n.X509InfoRequest) -> Response:
    """Each certificate (base64 DER or PEM) with kzpki's verdict as of now (chain to a trusted root,
    validity, revocation); ``null`` and a message for an entry that is no certificate, as NCANode."""
    entries = [_inspect(_verifier(body.revocation_check), der, by_key_usage=True) for der in body.certs]
    return _ok(certificates_response(entries, body.revocation_check))


@blueprint.post("/x509/verify")
@_declare("NCANode: verify a raw signature", n.X509VerifyRequest, n.VerificationResponse)
def nca_x509_verify(body: n.X509VerifyRequest) -> Response:
    """A raw signature over ``data`` (its UTF-8 bytes) with the certificate's key and the certificate's
    own signature algorithm (as NCANode does), plus the certificate's verdict."""
    entry = _inspect(_verifier(body.revocation_check), body.certificate)
    if entry is None:
        return _ok(certificates_response([None], body.revocation_check))
    _, certificate = entry
    spki = certificate["tbs_certificate"]["subject_public_key_info"]
    algorithm = certificate["signature_algorithm"]
    try:
        verified = verify_signature(spki, algorithm, body.data.encode("utf-8"), body.signature)
    except InvalidInput:
        verified = False
    failure = (
        None
        if verified
        else "kzpki: signature: the signature does not verify with the key (signature_invalid)"
    )
    return _ok(
        certificates_response([entry], body.revocation_check, signature_valid=verified, failure=failure)
    )


@blueprint.post("/pkcs12/info")
@_declare("NCANode: the certificates of PKCS#12 keys", n.Pkcs12InfoRequest, n.VerificationResponse)
def nca_pkcs12_info(body: n.Pkcs12InfoRequest) -> Response:
    """Opens each key (RSA or GOST PKCS#12) and answers for its certificate as ``/x509/info`` does."""
    verifier = _verifier(body.revocation_check)
    entries = []
    for index, key in enumerate(body.keys):
        entry, _ = _open(index, key)
        entries.append(_inspect(verifier, _der(entry.certificate), by_key_usage=True))
    return _ok(certificates_response(entries, body.revocation_check))


@blueprint.post("/pkcs12/aliases")
@_declare("NCANode: the aliases of PKCS#12 keys", n.Pkcs12InfoRequest, n.Pkcs12AliasesResponse)
def nca_pkcs12_aliases(body: n.Pkcs12InfoRequest) -> Response:
    """The key aliases of each container (the password must open it, as in NCANode)."""
    return _ok(n.Pkcs12AliasesResponse(aliases=[_open(i, key)[1] for i, key in enumerate(body.keys)]))


def _open(index: int | None, key: n.KeyRequest) -> tuple[KeyEntry, list[str]]:
    """Open signer ``index``'s container (None: the request's one key); errors say
    ``signers[i]: Key reading error: ...`` (or just ``Key reading error: ...``) as NCANode."""
    try:
        return open_pkcs12(key.key, key.password, key.key_alias)
    except InvalidInput as exc:
        texts = {
            ErrorCode.BAD_PASSWORD: "Key reading error: Password incorrect.",
            ErrorCode.MALFORMED_PKCS12: "Key reading error: Invalid format.",
            ErrorCode.KEY_ALIAS_NOT_FOUND: f"Key reading error: Key does not have '{key.key_alias}' alias",
        }
        message = texts.get(ErrorCode(exc.code), f"Key reading error: {exc.message}")
        raise InvalidInput(exc.code, message if index is None else f"signers[{index}]: {message}") from None


def _verifier(requested: Sequence[str]) -> Verifier:
    """The document verifier, with the revocation methods the request names (ours when none)."""
    base = services().document_verifier
    method = _METHODS.get(frozenset(requested))
    if method is None:
        return base
    cache: dict[RevocationMethods, Verifier] = current_app.extensions.setdefault("kzpki_ncanode", {})
    if method not in cache:
        cache[method] = base.with_policy(dataclasses.replace(base.policy, revocation_methods=method))
    return cache[method]


def _inspect(
    verifier: Verifier, certificate: bytes, *, by_key_usage: bool = False
) -> tuple[Verdict, asn1_x509.Certificate] | None:
    """(verdict, certificate) for a certificate, or None when the bytes are no certificate. With
    ``by_key_usage`` an authentication key (NCANode's keyUsage AUTH) is judged for authentication
    (purpose login), any other for signing documents."""
    try:
        der = _der(load_certificate(certificate))
    except InvalidInput:
        return None
    parsed = asn1_x509.Certificate.load(der)
    if by_key_usage and key_usage_name(parsed) == "AUTH":
        verifier = verifier.for_purpose(Purpose.LOGIN)
    at = services().clock()
    with timed_verification("certificate"):
        return verifier.inspect_certificate(der, at=at), parsed


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(Encoding.DER)


def _xml_certificate(signature: etree._Element) -> asn1_x509.Certificate | None:
    node = signature.find(f".//{{{xmldsig.DS_NS}}}X509Certificate")
    if node is None or not (node.text or "").strip():
        return None
    try:
        return _parsed_certificate(base64.b64decode("".join(node.text.split())))
    except ValueError:
        return None


def _parsed_certificate(der: bytes) -> asn1_x509.Certificate | None:
    """``der`` parsed in full, or None when it is no certificate."""
    try:
        certificate = asn1_x509.Certificate.load(der)
        certificate.native  # noqa: B018  - parse it all now
        return certificate
    except (ValueError, TypeError):
        return None


def _ok(model: n.StatusResponse) -> Response:
    return reply(model)


@blueprint.post("/cms/sign")
@_declare("NCANode: sign data as CMS", n.CmsCreateRequest, n.CmsResponse)
def nca_cms_sign(body: n.CmsCreateRequest) -> Response:
    """CMS SignedData over ``data`` by every signer in turn (PKCS#12 keys, RSA or GOST; signing time,
    signingCertificateV2), attached unless ``detached``; with ``withTsp`` each signer gets a signature time
    stamp from the National CA's TSA under ``tsaPolicy`` (``TSA_GOST2015_POLICY`` when none)."""
    if body.data is None:
        raise InvalidInput(ErrorCode.MISSING_FIELD, "data is required", field="data")
    return _ok(n.CmsResponse(cms=_co_sign(None, body)))


@blueprint.post("/cms/sign/add")
@_declare("NCANode: add signers to a CMS", n.CmsCreateRequest, n.CmsResponse)
def nca_cms_sign_add(body: n.CmsCreateRequest) -> Response:
    """The CMS in ``cms`` with one more SignerInfo per signer over its content (``data`` for a detached
    CMS); the earlier signatures are kept as they are (``withTsp`` time-stamps the new signers only)."""
    if body.cms is None:
        raise InvalidInput(ErrorCode.MISSING_FIELD, "CMS argument not specified", field="cms")
    return _ok(n.CmsResponse(cms=_co_sign(body.cms, body)))


@blueprint.post("/xml/sign")
@_declare("NCANode: sign XML (enveloped XMLDSig)", n.XmlSignRequest, n.XmlSignResponse)
def nca_xml_sign(body: n.XmlSignRequest) -> Response:
    """An enveloped signature per signer (rsa-sha256 or the Kazakh GOST method of the key), after
    removing existing signatures when ``clearSignatures`` and whitespace-only text when ``trimXml``."""
    limit = services().settings.max_body_bytes
    tree = xmldsig.parse_xml(body.xml.encode("utf-8"), max_bytes=limit)
    root = tree.getroot()
    if body.clear_signatures:
        for signature in list(root.iter(f"{{{xmldsig.DS_NS}}}Signature")):
            signature.getparent().remove(signature)  # type: ignore[union-attr]
    if body.trim_xml:
        _trim(root)
    document = etree.tostring(tree, encoding="utf-8")
    for index, signer in enumerate(body.signers):
        entry, _ = _open(index, signer)
        document = xmldsig.sign_enveloped(document, entry.private_key, entry.certificate, max_bytes=2 * limit)
    return _ok(n.XmlSignResponse(xml=document.decode("utf-8")))


@blueprint.post("/wsse/sign")
@_declare("NCANode: sign a SOAP envelope (WS-Security)", n.WsseSignRequest, n.XmlSignResponse)
def nca_wsse_sign(body: n.WsseSignRequest) -> Response:
    """The envelope with a WS-Security signature over its Body in a ``wsse:Security`` header (exclusive
    C14N, the certificate as an X509v3 KeyIdentifier; :mod:`pki.wsse`), after removing whitespace-only
    text when ``trimXml``. 400 ``not_soap_envelope`` for another document, ``already_signed`` when the
    header already holds a signature."""
    limit = services().settings.max_body_bytes
    tree = xmldsig.parse_xml(body.xml.encode("utf-8"), max_bytes=limit)
    if body.trim_xml:
        _trim(tree.getroot())
    entry, _ = _open(None, body)
    signed = wsse.sign_envelope(
        etree.tostring(tree, encoding="utf-8"), entry.private_key, entry.certificate, max_bytes=2 * limit
    )
    return _ok(n.XmlSignResponse(xml=signed.decode("utf-8")))


@blueprint.post("/wsse/verify")
@_declare(
    "NCANode: verify a SOAP envelope's WS-Security signature", n.XmlVerifyRequest, n.VerificationResponse
)
def nca_wsse_verify(body: n.XmlVerifyRequest) -> Response:
    """The signature of the envelope's ``wsse:Security`` header, judged by the kzpki verifier
    (:mod:`verifier.wsse`: the Body must be what is signed, no wrapping) as of now; one CertificateInfo
    for its signer, none when there is no signature (invalid, as in NCANode)."""
    document = body.xml.encode("utf-8")
    tree = xmldsig.parse_xml(document, max_bytes=services().settings.max_body_bytes)
    verifier, at = _verifier(body.revocation_check), services().clock()
    with timed_verification("wsse"):
        verdict = verifier.verify_wsse(document, at=at)
    der = signer_certificate(tree)
    certificates = [] if der is None else [_parsed_certificate(der)]
    return _ok(xml_response(verdict, certificates, body.revocation_check))


@blueprint.post("/pdf/sign")
@_declare("NCANode: sign a PDF (PAdES)", n.PdfSignRequest, n.PdfSignResponse)
def nca_pdf_sign(body: n.PdfSignRequest) -> Response:
    """One more signature per signer, in turn, each an incremental update (:mod:`pki.pdf`: an invisible
    field, ``ETSI.CAdES.detached``, the reason, location and contact info given), RSA or GOST keys;
    ``withTsp`` adds a signature time stamp to each CMS (PAdES B-T), as ``/cms/sign`` does."""
    document, at = body.pdf, services().clock()
    stamp = _stamper(body, at)
    for index, signer in enumerate(body.signers):
        entry, _ = _open(index, signer.signer)
        document = pki_pdf.sign_pdf(
            document, entry.private_key, entry.certificate, at=at, stamp=stamp,
            reason=signer.reason, location=signer.location, contact_info=signer.contact_info,
        )  # fmt: skip
    return _ok(n.PdfSignResponse(pdf=base64.b64encode(document).decode("ascii")))


@blueprint.post("/pdf/verify")
@_declare(
    "NCANode: verify the signatures of a PDF", n.PdfVerifyRequest, n.PdfVerificationResponse, (400, 404)
)
def nca_pdf_verify(body: n.PdfVerifyRequest) -> Response:
    """Every signature of the PDF judged by the kzpki verifier as of now (:mod:`verifier.pdf`: what it
    covers and what changed after it, then its CMS in document mode); a PDF without signatures is 404
    ``no_pdf_signatures``, as in NCANode, and an unreadable one 400 ``malformed_pdf``."""
    verifier, at = _verifier(body.revocation_check), services().clock()
    with timed_verification("pdf"):
        results = verifier.verify_pdf(body.pdf, at=at)
    if not results:
        raise NotFound(ErrorCode.NO_PDF_SIGNATURES, "PDF document contains no digital signatures")
    return _ok(pdf_response(results, body.revocation_check))


@blueprint.post("/jwt/encode")
@_declare("NCANode: make and sign a JWT", n.JwtEncodeRequest, n.JwtEncodeResponse)
def nca_jwt_encode(body: n.JwtEncodeRequest) -> Response:
    """A compact JWS of ``jwt.payload`` (null claims left out) with header ``{alg, typ}``, signed with the
    PKCS#12 key (:mod:`pki.json_web_tokens`). 400 ``unsupported_algorithm`` for another ``alg``,
    ``key_algorithm_mismatch`` when the key cannot make it (e.g. RS256 with a GOST key)."""
    entry, _ = _open(None, body)
    claims = {name: value for name, value in body.jwt.payload.items() if value is not None}
    token = json_web_tokens.encode(claims, entry.private_key, body.jwt.header.alg, typ=body.jwt.header.typ)
    return _ok(n.JwtEncodeResponse(jwt=token))


@blueprint.post("/jwt/decode")
@_declare("NCANode: decode and check a JWT", n.JwtDecodeRequest, n.JwtDecodeResponse)
def nca_jwt_decode(body: n.JwtDecodeRequest) -> Response:
    """The token's header and claims, and ``valid``: its signature verifies with the key of the certificate
    in ``key`` (by the algorithm its header names), ``exp``/``nbf``/``iat`` hold now, and the certificate
    passes kzpki's verifier now (chain, validity, revocation; an authentication key judged for
    authentication). 400 ``malformed_jwt`` for a token that does not decode, ``malformed_certificate`` for
    a ``key`` that is no certificate, ``unsupported_algorithm`` for another ``alg``."""
    inspected = _inspect(_verifier([]), body.key, by_key_usage=True)
    if inspected is None:
        raise InvalidInput(ErrorCode.MALFORMED_CERTIFICATE, "[0]: Invalid certificate given.")
    verdict, certificate = inspected
    key = load_any_public_key(certificate["tbs_certificate"]["subject_public_key_info"].dump())
    decoded = json_web_tokens.decode(body.jwt, key)
    problems = [decoded.problem, json_web_tokens.time_claims_problem(decoded.claims, services().clock())]
    if not verdict.passed:
        problems.append(why_invalid(verdict))
    found = [p for p in problems if p is not None]
    header = {name: _text(decoded.header.get(name)) for name in ("alg", "typ")}
    return _ok(
        n.JwtDecodeResponse(
            valid=not found,
            message="; ".join(found) or "OK",
            jwt=n.DecodedJwt(header=header, payload=decoded.claims),
        )
    )


def _text(value: object) -> str | None:
    """A header member as NCANode's ``Map<String, String>`` shows it."""
    return None if value is None else value if isinstance(value, str) else json.dumps(value)


def _trim(root: etree._Element) -> None:
    """NCANode's ``trimXml``: whitespace-only text and tails removed throughout."""
    for element in root.iter():
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None


def _stamper(body: n.CmsCreateRequest | n.PdfSignRequest, at: dt.datetime) -> cms_signing.TimeStamper | None:
    """NCANode's ``withTsp``: signature time stamps from the National CA's TSA (in process, as NCANode's
    from tsp.pki.gov.kz) under ``tsaPolicy``, NCANode's default ``TSA_GOST2015_POLICY`` when none; None
    without ``withTsp``."""
    if not body.with_tsp:
        return None
    return services().tsa.stamper(POLICIES[body.tsa_policy or "TSA_GOST2015_POLICY"], at)


def _co_sign(cms: bytes | None, body: n.CmsCreateRequest) -> str:
    """Sign ``body.data`` (or co-sign ``cms``) with every signer, in order, then time-stamp the new
    signers for ``withTsp``; base64 DER."""
    at = services().clock()
    stamp = _stamper(body, at)
    earlier = set()  # the SignerInfos withTsp leaves alone
    if stamp is not None and cms is not None:
        earlier = {s.dump() for s in pki_cms.load_signed_data(cms)["signer_infos"]}
    for index, signer in enumerate(body.signers):
        entry, _ = _open(index, signer)
        if cms is None:
            assert body.data is not None
            cms = cms_signing.sign_cms(
                body.data, entry.private_key, entry.certificate, signing_time=at, detached=body.detached
            )
        else:
            cms = cms_signing.add_signer(
                cms, entry.private_key, entry.certificate, signing_time=at,
                detached_content=body.data, detached=body.detached,
            )  # fmt: skip
    assert cms is not None
    if stamp is not None:
        cms = cms_signing.with_signature_time_stamps(cms, stamp, keep=earlier)
    return base64.b64encode(cms).decode("ascii")
