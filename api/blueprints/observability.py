"""Operations endpoints for the monitoring system and the orchestrator: ``/healthz`` (alive), ``/readyz``
(ready for traffic: :mod:`api.observability.readiness`), ``/metrics`` (Prometheus), and NCANode's Spring
Boot actuator health (``/actuator``, ``/actuator/health``, its ``liveness`` and ``readiness`` groups), so
probes written against NCANode keep working.

``/readyz`` answers 503 with a problem document (``not_ready``, the failing components in ``failing``) when
a component is not usable: a readiness answer for the load balancer, not an error of the request.

``/metrics`` needs the bearer token ``KZPKI_METRICS_TOKEN`` (README, threat model: login refusal rates by
reason and revocations by ground are operational intelligence about the CA, though they hold nothing
personal); unset, the endpoint is off (404 ``metrics_disabled``).
"""

from __future__ import annotations

import hmac
from typing import Literal

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.auth import bearer_token, services
from api.models.common import Health
from api.models.operations import ActuatorHealth, ActuatorLinks, Readiness
from api.observability import metrics
from api.observability.readiness import readiness
from api.operations import Media, operation, reply
from api.problems import problem
from api.responses import no_store
from pki.errors import ErrorCode, NotFound, Unauthenticated

blueprint = Blueprint("observability", __name__)
TAG = "Operations"
ACTUATOR_V3 = "application/vnd.spring-boot.actuator.v3+json"  # Spring Boot's default actuator media type
_ACTUATOR_TYPES = (ACTUATOR_V3, "application/vnd.spring-boot.actuator.v2+json", "application/json")


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


def _database_answers() -> bool:
    try:
        with services().sessionmaker() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def _actuator(model: ActuatorHealth | ActuatorLinks, status: int = 200) -> Response:
    """``model`` in the actuator media type the request accepts (Spring's v3 unless it asks otherwise)."""
    response = no_store(reply(model, status))
    response.mimetype = (
        request.accept_mimetypes.best_match(_ACTUATOR_TYPES, default=ACTUATOR_V3) or ACTUATOR_V3
    )
    return response


def _health(up: bool, down: Literal["DOWN", "OUT_OF_SERVICE"] = "DOWN") -> Response:
    """Spring's health answer: UP with 200, else ``down`` with 503."""
    return _actuator(ActuatorHealth(status="UP" if up else down), 200 if up else 503)


@blueprint.get("/actuator")
@operation(
    tag=TAG, summary="NCANode: actuator links", responses={200: ActuatorLinks}, model_media=_ACTUATOR_TYPES
)
def actuator_links() -> Response:
    """Spring Boot's actuator root as NCANode serves it: links to ``health`` and ``health-path``."""
    base = request.host_url.rstrip("/") + "/actuator"
    links = {
        "self": {"href": base, "templated": False},
        "health": {"href": f"{base}/health", "templated": False},
        "health-path": {"href": f"{base}/health/{{*path}}", "templated": True},
    }
    return _actuator(ActuatorLinks.model_validate({"_links": links}))


@blueprint.get("/actuator/health")
@operation(
    tag=TAG,
    summary="NCANode: actuator health",
    responses={200: ActuatorHealth, 503: ActuatorHealth},
    model_media=_ACTUATOR_TYPES,
)
def actuator_health() -> Response:
    """``{"status": "UP"}`` while the process and its database answer (as ``/healthz``), ``DOWN`` with 503
    otherwise: what a probe written for NCANode's Spring Boot health expects. Not readiness: a stale CRL
    must not make an orchestrator restart the instance (that is ``/actuator/health/readiness``)."""
    return _health(_database_answers())


@blueprint.get("/actuator/health/<group>")
@operation(
    tag=TAG,
    summary="NCANode: actuator health group",
    responses={200: ActuatorHealth, 503: ActuatorHealth},
    problems=(404,),
    model_media=_ACTUATOR_TYPES,
)
def actuator_health_group(group: str) -> Response:
    """Spring Boot's Kubernetes probe groups: ``liveness`` as ``/actuator/health``, ``readiness`` as
    ``/readyz`` (``OUT_OF_SERVICE`` with 503 when not ready); 404 ``actuator_group_not_found`` for any other
    group."""
    if group == "liveness":
        return _health(_database_answers())
    if group == "readiness":
        ctx = services()
        components = readiness(ctx.sessionmaker, ctx.hierarchy, ctx.registry, ctx.clock())
        return _health(all(c.ok for c in components), "OUT_OF_SERVICE")
    raise NotFound(ErrorCode.ACTUATOR_GROUP_NOT_FOUND, f"no health group {group!r}: liveness or readiness")


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
