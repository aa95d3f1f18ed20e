"""Operations endpoints: ``/metrics`` (Prometheus) for the monitoring system.

``/metrics`` needs the bearer token ``KZPKI_METRICS_TOKEN`` (README, threat model: login refusal rates by
reason and revocations by ground are operational intelligence about the CA, though they hold nothing
personal); unset, the endpoint is off (404 ``metrics_disabled``).
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response

from api.auth import bearer_token, services
from api.observability import metrics
from api.operations import Media, operation
from pki.errors import ErrorCode, NotFound, Unauthenticated

blueprint = Blueprint("observability", __name__)
TAG = "Operations"


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
    response.headers["Cache-Control"] = "no-store"
    return response
