"""The public PKI endpoints: CA certificates, CRLs and OCSP at the URLs the certificates name, and the
National CA's time-stamping authority (RFC 3161) at ``/tsp``.

Standard media types (``application/pkix-cert``, ``application/pkix-crl``, ``application/ocsp-request`` /
``application/ocsp-response``, ``application/timestamp-query`` / ``application/timestamp-reply``) and
nothing personal (EDS-23). CRLs carry caching headers matching their
nextUpdate and answer conditional requests by CRL number.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import UnsupportedMediaType

from api.auth import services
from api.observability.metrics import count_ocsp, count_time_stamp
from api.operations import BINARY, Media, operation
from ca_sim.crl_ledger import CrlKind
from ca_sim.ocsp import decode_get_request
from ca_sim.timestamping import Outcome
from pki.errors import ErrorCode, InvalidInput, NotFound
from pki.keys import certificate_der

blueprint = Blueprint("public", __name__)
TAG = "Public"

OCSP_REQUEST_TYPE = "application/ocsp-request"
OCSP_RESPONSE_TYPE = "application/ocsp-response"
MAX_OCSP_GET_CHARS = 4096
# RFC 6960 4.2.1: OCSPResponse { responseStatus malformedRequest (1) }, no responseBytes.
_MALFORMED_OCSP_RESPONSE = bytes.fromhex("3003 0a01 01")
MALFORMED = Media(OCSP_RESPONSE_TYPE, "malformedRequest OCSPResponse (or a problem document)")
TSP_QUERY_TYPE = "application/timestamp-query"
TSP_REPLY_TYPE = "application/timestamp-reply"


@blueprint.get("/cert/<name>")
@operation(
    tag=TAG, summary="CA certificate", responses={200: Media("application/pkix-cert", "DER")}, problems=(404,)
)
def ca_certificate(name: str) -> Response:
    """A CA certificate (DER) at its AIA caIssuers URL, e.g. ``/cert/nca_rsa.cer``."""
    entry = services().public_files.get(name)
    if entry is None or entry.kind != "cert":
        raise NotFound(
            ErrorCode.UNKNOWN_CA_CERTIFICATE, f"no CA certificate {name!r}; see the certificates' AIA URLs"
        )
    der = certificate_der(services().hierarchy.get(entry.ca_id).certificate)
    response = Response(der, mimetype="application/pkix-cert")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@blueprint.get("/crl/<name>")
@operation(
    tag=TAG,
    summary="CRL",
    responses={200: Media("application/pkix-crl", "DER"), 304: None},
    problems=(404,),
)
def crl(name: str) -> Response:
    """A full or delta CRL at its distribution point, e.g. ``/crl/nca_rsa.crl``, ``/crl/nca_d_rsa.crl``."""
    ctx = services()
    entry = ctx.public_files.get(name)
    if entry is None or entry.kind == "cert":
        raise NotFound(
            ErrorCode.UNKNOWN_CRL, f"no CRL {name!r}; see the certificates' CRL distribution points"
        )
    now = ctx.clock()
    issued = ctx.crls.current(entry.ca_id, CrlKind.FULL if entry.kind == "crl" else CrlKind.DELTA, now)
    record = issued.record
    response = Response(issued.der, mimetype="application/pkix-crl")
    response.last_modified = record.this_update
    response.expires = record.next_update
    remaining = max(int((record.next_update - now).total_seconds()), 0)
    response.headers["Cache-Control"] = f"public, max-age={remaining}, no-transform"
    response.set_etag(f"{entry.ca_id}-{record.kind.value}-{record.crl_number}")
    response.make_conditional(request)
    return response


@blueprint.post("/ocsp")
@blueprint.post("/ocsp/")
@operation(
    tag=TAG,
    summary="OCSP (POST)",
    body=Media(OCSP_REQUEST_TYPE, "DER OCSPRequest", BINARY),
    responses={200: Media(OCSP_RESPONSE_TYPE, "OCSPResponse"), 400: MALFORMED},
    problems=(400, 413, 415),
)
def ocsp_post() -> Response:
    """RFC 6960 A.1 POST, for every CA: SHA-1/SHA-256 CertIDs, nonce echoed. A malformed request gets the
    malformedRequest OCSPResponse with HTTP 400."""
    if request.mimetype != OCSP_REQUEST_TYPE:
        raise UnsupportedMediaType(f"send Content-Type: {OCSP_REQUEST_TYPE}")
    return _ocsp_answer(request.get_data())


@blueprint.get("/ocsp/<path:encoded>")
@operation(
    tag=TAG,
    summary="OCSP (GET)",
    responses={200: Media(OCSP_RESPONSE_TYPE, "OCSPResponse"), 400: MALFORMED},
    problems=(400,),
)
def ocsp_get(encoded: str) -> Response:
    """RFC 6960 A.1 GET: the base64 DER request in the path (``%2F``, ``+``, missing padding tolerated)."""
    if len(encoded) > MAX_OCSP_GET_CHARS:
        raise InvalidInput(ErrorCode.MALFORMED_REQUEST, "the OCSP GET request is too long")
    try:
        request_der = decode_get_request(encoded)
    except InvalidInput:
        request_der = b""
    response = _ocsp_answer(request_der)
    if response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=60, no-transform"
    return response


def _ocsp_answer(request_der: bytes) -> Response:
    """The responder's DER answer; a malformedRequest answer goes out with HTTP 400 (still an OCSP body)."""
    ctx = services()
    answer, use = ctx.ocsp.answer(request_der, ctx.clock())
    count_ocsp(use, "http")
    status = 400 if answer == _MALFORMED_OCSP_RESPONSE else 200
    return Response(answer, status=status, mimetype=OCSP_RESPONSE_TYPE)


@blueprint.post("/tsp")
@blueprint.post("/tsp/")
@operation(
    tag=TAG,
    summary="Time-stamp (RFC 3161)",
    body=Media(TSP_QUERY_TYPE, "DER TimeStampReq", BINARY),
    responses={
        200: Media(TSP_REPLY_TYPE, "TimeStampResp, granted"),
        400: Media(TSP_REPLY_TYPE, "TimeStampResp, rejection with its failInfo (or a problem document)"),
        503: Media(TSP_REPLY_TYPE, "TimeStampResp, rejection systemFailure: the TSA cannot record tokens"),
    },
    problems=(400, 413, 415),
)
def time_stamp() -> Response:
    """RFC 3161 3.4 over HTTP: a time-stamp token from the National CA's TSA (SHA-2, GOST R 34.11-94 or
    Streebog imprints; the NCA's TSA policies). A request the TSA refuses gets the rejection
    TimeStampResp (its status string says why) with HTTP 400; systemFailure (its ledger cannot record the
    token, so none is given out) with HTTP 503."""
    if request.mimetype != TSP_QUERY_TYPE:
        raise UnsupportedMediaType(f"send Content-Type: {TSP_QUERY_TYPE}")
    ctx = services()
    answer = ctx.tsa.respond(request.get_data(), ctx.clock())
    count_time_stamp(answer.outcome)
    status = 200 if answer.granted else 503 if answer.outcome is Outcome.SYSTEM_FAILURE else 400
    return Response(answer.der, status=status, mimetype=TSP_REPLY_TYPE)
