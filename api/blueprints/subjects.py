"""The owner's own requests, authenticated by a signed challenge: what is held about them (PD-24)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from api.auth import services
from api.models import subjects as m
from api.models.owner import SignedChallenge
from api.operations import operation
from api.responses import no_store
from api.subject_access import subject_report
from unis.login import LoginAttempt, SignatureFormat

blueprint = Blueprint("subjects", __name__, url_prefix="/api/v1/subjects")
TAG = "Subjects"


def signed_attempt(body: SignedChallenge) -> LoginAttempt:
    """The body as the login path's attempt (the same challenge and signature checks)."""
    if body.cms is not None:
        return LoginAttempt(body.challenge_id, SignatureFormat.CMS, body.cms)
    assert body.xml is not None
    return LoginAttempt(body.challenge_id, SignatureFormat.XML, body.xml.encode("utf-8"))


@blueprint.post("/me")
@operation(
    tag=TAG,
    summary="What is held about me",
    body=SignedChallenge,
    responses={200: m.SubjectReport},
    problems=(401,),
)
def about_me(body: SignedChallenge) -> Response:
    """PD-24: the owner signs a fresh challenge with their certificate and gets their certificates (status,
    history), UNIS account, login records and who accessed their data. Nothing about anyone else."""
    ctx = services()
    at = ctx.clock()
    proof = ctx.logins.prove_possession(signed_attempt(body), at)
    return no_store(jsonify(subject_report(ctx, proof.iin, at)))
