"""Operations endpoints for the monitoring system and the orchestrator: ``/healthz`` (alive), ``/readyz``
(ready for traffic: :mod:`api.observability.readiness`) and ``/metrics`` (Prometheus).

``/readyz`` answers 503 with a problem document (``not_ready``, the failing components in ``failing``) when
a component is not usable: a readiness answer for the load balancer, not an error of the request.

``/metrics`` needs the bearer token ``KZPKI_METRICS_TOKEN`` (README, threat model: login refusal rates by
reason and revocations by ground are operational intelligence about the CA, though they hold nothing
personal); unset, the endpoint is off (404 ``metrics_disabled``).
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from api.auth import bearer_token, services
from api.models.common import Health
from api.models.operations import Readiness
from api.observability import metrics
from api.observability.readiness import readiness
from api.operations import Media, operation
from api.problems import problem
from api.responses import no_store
from pki.errors import ErrorCode, NotFound, Unauthenticated

blueprint = Blueprint("observability", __name__)
TAG = "Operations"


@blueprint.get("/healthz")
@operation(tag=TAG, summary="Alive", responses={200: Health})
def health() -> Response:
    """Liveness: the process answers and its database does."""
    with services().sessionmaker() as session:
        session.execute(text("SELECT 1"))
    return no_store(jsonify({"status": "ok"}))


@blueprint.get("/readyz")
@operation(tag=TAG, summary="Ready", responses={200: Readiness}, problems=(503,))
def ready() -> Response:
    """Ready for traffic: the database answers, the CA keys are loaded (each the pair of its certificate)
    and no CRL is past its nextUpdate. 503 ``not_ready`` names the failing components otherwise."""
    ctx = services()
    components = readiness(ctx.sessionmaker, ctx.hierarchy, ctx.registry, ctx.clock())
    failing = [c for c in components if not c.ok]
    if failing:
        detail = "; ".join(f"{c.name}: {c.detail}" for c in failing)
        return no_store(problem(503, ErrorCode.NOT_READY, detail, failing=[c.name for c in failing]))
    states = {c.name: {"status": "ok", "detail": c.detail} for c in components}
    return no_store(jsonify({"status": "ready", "components": states}))


@blueprint.get("/metrics")
@operation(
    tag=TAG,
    summary="Prometheus metrics",
    responses={200: Media(metrics.CONTENT_TYPE.split(";")[0], "Prometheus text exposition format 0.0.4")},
    problems=(401, 404),
    bearer=True,
)
def prometheus_metrics() -> Response:
    """Counters of logins, OCSP answers and revocations, the verification latency histogram and the CRL
    gauges (see the README's operations section). ``Authorization: Bearer <KZPKI_METRICS_TOKEN>``."""
    ctx = services()
    expected = ctx.settings.metrics_token
    if expected is None:
        raise NotFound(ErrorCode.METRICS_DISABLED, "metrics are off; set KZPKI_METRICS_TOKEN to serve them")
    given = bearer_token()
    if given is None:
        raise Unauthenticated(ErrorCode.MISSING_TOKEN, "send Authorization: Bearer <the metrics token>")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthenticated(ErrorCode.INVALID_TOKEN, "the metrics token is not valid")
    body = metrics.exposition(ctx.crl_metrics, ctx.clock(), multiprocess=ctx.settings.metrics_multiprocess)
    response = Response(body, mimetype="text/plain")
    response.headers["Content-Type"] = metrics.CONTENT_TYPE
    return no_store(response)
