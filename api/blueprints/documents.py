"""State-body documents (DD-8) and the owner's Open Access grants (DD-9, DD-14).

A state body's system submits signed documents (no account: the signature is the authority, verified in
document mode). The owner's requests are authenticated by a signed challenge, exactly as a login
(:meth:`unis.login.LoginService.prove_possession`); the third party's page is :mod:`api.blueprints.shared`.
"""

from __future__ import annotations

import base64
from typing import Any

from flask import Blueprint, Response, jsonify

from api.auth import services
from api.blueprints.shared import SHARE_PATH
from api.blueprints.subjects import signed_attempt
from api.models import documents as m
from api.models.owner import SignedChallenge
from api.operations import operation
from api.responses import no_store
from api.subject_access import SUBJECT_ACTOR
from ca_sim.audit import Outcome
from documents.qr import qr_png, qr_svg
from documents.service import DocumentFormat
from pki.calendar import iso_time
from pki.iin import mask

blueprint = Blueprint("documents", __name__, url_prefix="/api/v1/documents")
TAG = "Documents"
SUBMITTER = "state-body-system"  # who a submission is recorded as (the signer is in the details)


@blueprint.post("")
@operation(
    tag=TAG,
    summary="Submit a state body's signed document",
    body=m.DocumentSubmission,
    responses={201: m.Document},
    problems=(409, 422),
)
def submit_document(body: m.DocumentSubmission) -> tuple[Response, int]:
    """DD-8: accepted only with a signature that verifies in document mode (signature, chain, revocation at
    the time of submission, a signing key) by a state body's certificate: a civil servant's from the
    state-bodies CA, or an authorised state organisation's; an individual's is refused `not_state_body`."""
    ctx = services()
    at = ctx.clock()
    if body.cms is not None:
        document_format, signature = DocumentFormat.CMS, body.cms
    else:
        assert body.xml is not None
        document_format, signature = DocumentFormat.XML, body.xml.encode("utf-8")
    document = ctx.documents.submit(document_format, signature, at)
    signers = [f"{s.organisation} ({s.bin}), {s.iin_masked}" for s in document.signers]
    # PD-24: the owner sees the document arrive
    _record(SUBMITTER, "document_submit", document.document_id, {"signers": signers}, document.owner_iin)
    return no_store(jsonify(document.to_json())), 201


@blueprint.post("/mine")
@operation(
    tag=TAG, summary="My documents, grants and views", body=SignedChallenge, responses={200: m.OwnDocuments},
    problems=(401,),
)  # fmt: skip
def my_documents(body: SignedChallenge) -> Response:
    """DD-9, DD-14: the owner (a signed challenge, as a login) sees their documents, every grant on them
    and every view of each grant."""
    ctx = services()
    at = ctx.clock()
    proof = ctx.logins.prove_possession(signed_attempt(body), at)
    documents = [o.to_json(at) for o in ctx.documents.documents_of(proof.iin)]
    return no_store(jsonify({"iin_masked": mask(proof.iin), "as_of": iso_time(at), "documents": documents}))


@blueprint.post("/<int:document_id>/grants")
@operation(
    tag=TAG,
    summary="Grant access to my document (URL and QR code)",
    body=m.GrantRequest,
    responses={201: m.NewGrant},
    problems=(401, 404),
)
def grant_access(document_id: int, body: m.GrantRequest) -> tuple[Response, int]:
    """DD-9 consent and DD-14 Open Access: the owner grants temporary (`expires_at`) or continuous access;
    the answer carries the only copy of the URL, with its QR code as PNG and SVG."""
    ctx = services()
    at = ctx.clock()
    proof = ctx.logins.prove_possession(signed_attempt(body), at)
    issued = ctx.documents.grant(document_id, proof.iin, at, body.expires_at)
    grant = issued.grant
    terms = {"grant_id": grant.grant_id, "expires_at": iso_time(grant.expires_at)}
    _record(SUBJECT_ACTOR, "document_grant", document_id, terms, proof.iin)
    url = f"{ctx.settings.public_base_url}{SHARE_PATH}{issued.token}"
    answer: dict[str, Any] = {
        **grant.to_json(at),
        "url": url,
        "qr_png": base64.b64encode(qr_png(url)).decode("ascii"),
        "qr_svg": qr_svg(url),
    }
    return no_store(jsonify(answer)), 201


@blueprint.post("/grants/<int:grant_id>/revocation")
@operation(
    tag=TAG,
    summary="Revoke a grant",
    body=SignedChallenge,
    responses={200: m.Grant},
    problems=(401, 404, 409),
)
def revoke_grant(grant_id: int, body: SignedChallenge) -> Response:
    """DD-9: the owner withdraws consent at any time; the URL shows the document no more."""
    ctx = services()
    at = ctx.clock()
    proof = ctx.logins.prove_possession(signed_attempt(body), at)
    grant = ctx.documents.revoke_grant(grant_id, proof.iin, at)
    _record(
        SUBJECT_ACTOR, "document_grant_revoke", grant.document_id, {"grant_id": grant.grant_id}, proof.iin
    )
    return no_store(jsonify(grant.to_json(at)))


def _record(actor: str, action: str, document_id: int, details: dict[str, Any], owner_iin: str) -> None:
    """Audit ``action`` on a document, about its owner (PD-22; shown to them by ``subjects/me``, PD-24)."""
    ctx = services()
    ctx.audit.record(
        actor, action, f"document:{document_id}", Outcome.SUCCESS, details, ctx.clock(), subject=owner_iin
    )
