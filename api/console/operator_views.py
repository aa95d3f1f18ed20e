"""The operators and their tokens, for security officers (``manage_operators``): what ``kzpki operators list``
shows, and the two changes that take access away: revoke one token, disable an operator (every token and
console session of theirs stops at its next use). Each after the confirmation step, through the same
:class:`ca_sim.operators.OperatorDirectory` calls the CLI makes, audited with the officer's name.

Nothing here makes a token or a password: a secret made for someone else would be seen by the officer who
made it, who could then act as that operator (separation of duties); new operators and credentials stay
with the host administrator's ``kzpki operators``.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from api.auth import services
from api.console import guard
from api.console.confirmation import two_step
from api.console.web import blueprint
from ca_sim.operator_tokens import TokenStatus
from ca_sim.operators import Action
from pki.errors import ErrorCode, InvalidInput

CHANGES = ("revoke_token", "disable_operator")


@blueprint.route("/operators", methods=["GET"])
def operators() -> str:
    """Every operator token, oldest first: operator, role, scope, created, expires, status."""
    guard.authorize(Action.MANAGE_OPERATORS)
    ctx = services()
    at = ctx.clock()
    rows = [(info, info.status(at)) for info in ctx.operators.tokens()]
    done = request.args.get("done")
    return render_template(
        "console/operators.html", rows=rows, active=TokenStatus.ACTIVE, done=done if done in CHANGES else None
    )


@blueprint.route("/operators/tokens/<int:token_id>/<change>", methods=["GET", "POST"])
def operator_change(token_id: int, change: str) -> Response | str:
    """Revoke the token ``token_id`` (``revoke_token``) or disable the operator holding it
    (``disable_operator``), after the confirmation step. Raises InvalidInput for another change, and NotFound
    (``unknown_token``) and Conflict (``token_revoked``) as the directory does."""
    if change not in CHANGES:
        raise InvalidInput(ErrorCode.INVALID_VALUE, ", ".join(CHANGES), field="change")
    officer = guard.authorize(Action.MANAGE_OPERATORS)
    ctx = services()
    info = ctx.operators.token(token_id)

    def perform(_: None) -> Response:
        if change == "revoke_token":
            ctx.operators.revoke_token(token_id, ctx.clock(), officer.name)
        else:
            ctx.operators.disable(info.operator, ctx.clock(), officer.name)
        return redirect(url_for("console.operators", done=change), 303)

    return two_step("console/operator_change.html", lambda: None, perform, info=info, change=change)
