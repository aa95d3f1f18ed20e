"""Public verification: a certificate on its own, document signatures (document mode, EDS-10) and
RFC 3161 time-stamp tokens.

Answers are the verifier's verdict (ETSI indication, ordered checks, identity, chain, revocation
evidence). Undecodable or hostile input (garbage base64, truncated DER, XML with a DTD or entities)
is a 400 problem document, never a verdict and never a 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify

from api import payloads
from api.auth import services
from pki import xmldsig
from pki.errors import ErrorCode, InvalidInput
from verifier import Purpose, Verifier

blueprint = Blueprint("verification", __name__, url_prefix="/api/v1")

MAX_CERTIFICATE_BYTES = 64 * 1024


@blueprint.post("/certificates/inspect")
def inspect_certificate() -> Response:
    """Identity, roles, key usage, validity, chain and revocation status of one certificate."""
    body = payloads.json_object()
    text = payloads.required_string(body, "certificate", max_length=2 * MAX_CERTIFICATE_BYTES)
    certificate = text.encode("ascii", "replace") if text.lstrip().startswith("-----BEGIN") else None
    if certificate is None:
        certificate = payloads.decode_base64(text, "certificate")
    purpose = payloads.enum_value(body, "purpose", Purpose, required=False) or Purpose.DOCUMENT
    verdict = _verifier(purpose).inspect_certificate(certificate, at=_validation_time(body))
    return jsonify(verdict.to_dict())


@blueprint.post("/signatures/verify")
def verify_signature() -> Response:
    """A signed document: ``{cms, data?}`` (base64; ``data`` for a detached CMS) or ``{xml}`` (text)."""
    body = payloads.json_object()
    limit = services().settings.max_body_bytes
    at = _validation_time(body)
    verifier = services().document_verifier
    if ("cms" in body) == ("xml" in body):
        raise InvalidInput(
            ErrorCode.INVALID_VALUE, "send exactly one of cms (base64 CMS) or xml (signed XML text)"
        )
    if "xml" in body:
        document = payloads.required_string(body, "xml", max_length=limit).encode("utf-8")
        xmldsig.parse_xml(document, max_bytes=limit)  # hostile XML is a 400, not a verdict
        verdict = verifier.verify_xml(document, at=at)
    else:
        cms = payloads.base64_bytes(body, "cms", max_bytes=limit)
        data = payloads.base64_bytes(body, "data", max_bytes=limit, required=False)
        assert cms is not None
        verdict = verifier.verify_cms(cms, at=at, detached_content=data)
    return jsonify(verdict.to_dict())


@blueprint.post("/timestamps/verify")
def verify_timestamp() -> Response:
    """An RFC 3161 time-stamp token ``{token, data?}`` (base64), checked as of ``at``."""
    body = payloads.json_object()
    limit = services().settings.max_body_bytes
    token = payloads.base64_bytes(body, "token", max_bytes=limit)
    data = payloads.base64_bytes(body, "data", max_bytes=limit, required=False)
    assert token is not None
    verdict = services().document_verifier.verify_timestamp(token, at=_validation_time(body), data=data)
    return jsonify(verdict.to_dict())


def _verifier(purpose: Purpose) -> Verifier:
    ctx = services()
    if purpose is Purpose.LOGIN:
        return ctx.login_verifier
    if purpose is Purpose.DOCUMENT:
        return ctx.document_verifier
    return ctx.document_verifier.for_purpose(purpose)


def _validation_time(body: dict[str, Any]) -> dt.datetime:
    """``at`` from the body ("as of" verification, e.g. for expired real-world material), else now."""
    return payloads.optional_timestamp(body, "at") or services().clock()
