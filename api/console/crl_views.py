"""The console's CRL page: each CA's current full and delta CRL (number, thisUpdate, nextUpdate, entries,
size in octets) and "publish now" (EDS-18.3) after a confirmation step.

Reading is open to every signed-in operator (CRLs are public). Publishing is ``publish_crl`` on that CA,
decided by the operator directory exactly as for ``POST /api/v1/ca/<ca>/crls`` (an ``operator`` of that CA
or a ``security_officer``; refusals audited by the directory), and audited (``publish_crl``) by the
publisher, as the API's and the CLI's publications are.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from api.auth import services
from api.console import guard
from api.console.web import blueprint
from ca_sim.crl_ledger import CrlRecord
from ca_sim.operators import Action, refusal_code


@dataclass(frozen=True)
class CaCrls:
    """One CA's row of the page: its latest full and delta CRL (None before the first) and their sizes."""

    ca_id: str
    full: CrlRecord | None
    delta: CrlRecord | None
    sizes: dict[int, int]
    may_publish: bool


@blueprint.route("/crls", methods=["GET"])
def crls() -> str:
    """Every CA's current CRLs; a publish button where the operator may publish."""
    ctx = services()
    operator = guard.current_operator()
    rows = []
    for ca_id in sorted(ctx.hierarchy.authorities):
        publication = ctx.registry.crls.publication(ca_id)
        rows.append(
            CaCrls(
                ca_id,
                publication.full,
                publication.delta,
                ctx.registry.crls.kept_sizes(ca_id),
                refusal_code(operator, Action.PUBLISH_CRL, ca_id) is None,
            )
        )
    done = request.args.get("done")
    return render_template(
        "console/crls.html", rows=rows, done=done if done in ctx.hierarchy.authorities else None
    )


@blueprint.route("/crls/<ca_id>/publish", methods=["GET", "POST"])
def publish(ca_id: str) -> Response | str:
    """GET: what will happen (confirmation). POST: publish a full and a delta CRL of ``ca_id`` now."""
    ctx = services()
    ctx.hierarchy.get(ca_id)  # NotFound unknown_ca
    operator = guard.authorize(Action.PUBLISH_CRL, ca_id)
    if request.method == "GET":
        return render_template("console/crl_publish.html", ca_id=ca_id)
    ctx.crls.publish(ctx.clock(), [ca_id], requested_by=operator.name)
    return redirect(url_for("console.crls", done=ca_id), 303)
