"""Public verification: a certificate on its own, document signatures (CMS, XMLDSig, WS-Security, PDF;
document mode, EDS-10) and RFC 3161 time-stamp tokens.

Answers are the verifier's verdict (ETSI indication, ordered checks, identity, chain, revocation
evidence). Undecodable or hostile input (garbage base64, truncated DER, XML with a DTD or entities)
is a 400 problem document, never a verdict and never a 500.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, jsonify

from api.auth import services
from api.models import verification as m
from api.models.verdict import PdfVerification, Verdict
from api.observability.metrics import timed_verification
from api.operations import operation
from pki import xmldsig
from verifier import Purpose, Verifier

blueprint = Blueprint("verification", __name__, url_prefix="/api/v1")
TAG = "Verification"


@blueprint.post("/certificates/inspect")
@operation(tag=TAG, summary="Inspect a certificate", body=m.InspectRequest, responses={200: Verdict})
def inspect_certificate(body: m.InspectRequest) -> Response:
    """Identity, roles, key usage, validity, chain and revocation status of one certificate, as a verdict."""
    verifier, at = _verifier(body.purpose), _validation_time(body.at)
    with timed_verification("certificate"):
        verdict = verifier.inspect_certificate(body.certificate, at=at)
    return jsonify(verdict.to_dict())


@blueprint.post("/signatures/verify")
@operation(tag=TAG, summary="Verify a signed document", body=m.VerifyRequest, responses={200: Verdict})
def verify_signature(body: m.VerifyRequest) -> Response:
    """A signed document: CMS (attached, or detached with ``data``), enveloped XMLDSig, or a SOAP envelope
    signed with WS-Security (its Body), in document mode (EDS-10)."""
    at = _validation_time(body.at)
    verifier = services().document_verifier
    if body.cms is not None:
        with timed_verification("cms"):
            verdict = verifier.verify_cms(body.cms, at=at, detached_content=body.data)
    else:
        kind, verify = (
            ("xml", verifier.verify_xml) if body.xml is not None else ("wsse", verifier.verify_wsse)
        )
        document = (body.xml if body.xml is not None else body.soap or "").encode("utf-8")
        xmldsig.parse_xml(document, max_bytes=services().settings.max_body_bytes)  # hostile XML: a 400
        with timed_verification(kind):
            verdict = verify(document, at=at)
    return jsonify(verdict.to_dict())


@blueprint.post("/pdf/verify")
@operation(
    tag=TAG,
    summary="Verify the signatures of a PDF",
    body=m.PdfVerifyRequest,
    responses={200: PdfVerification},
)
def verify_pdf(body: m.PdfVerifyRequest) -> Response:
    """Every signature of a PDF (PAdES or adbe.pkcs7.detached) in document mode (EDS-10): what its byte
    range covers and what later revisions changed, then its CMS over those bytes. An unreadable PDF is a 400
    ``malformed_pdf``; a PDF without signatures an empty list."""
    at = _validation_time(body.at)
    with timed_verification("pdf"):
        results = services().document_verifier.verify_pdf(body.pdf, at=at)
    return jsonify({"signatures": [result.to_dict() for result in results]})


@blueprint.post("/timestamps/verify")
@operation(tag=TAG, summary="Verify a time-stamp token", body=m.TimestampRequest, responses={200: Verdict})
def verify_timestamp(body: m.TimestampRequest) -> Response:
    """RFC 3161: the TSA's signature (RSA, ECDSA or GOST), certificate (critical id-kp-timeStamping), chain
    and revocation, genTime, and the message imprint when data is given. The verdict's timestamp member
    holds genTime, policy, serial, imprint and nonce."""
    at = _validation_time(body.at)
    with timed_verification("timestamp"):
        verdict = services().document_verifier.verify_timestamp(body.token, at=at, data=body.data)
    return jsonify(verdict.to_dict())


def _verifier(purpose: Purpose) -> Verifier:
    ctx = services()
    if purpose is Purpose.LOGIN:
        return ctx.login_verifier
    if purpose is Purpose.DOCUMENT:
        return ctx.document_verifier
    return ctx.document_verifier.for_purpose(purpose)


def _validation_time(at: dt.datetime | None) -> dt.datetime:
    """``at`` from the body ("as of" verification, e.g. for expired real-world material), else now."""
    return at or services().clock()
