"""Console sign-in with an operator token, and sign-out. Failed sign-ins are audited and, per client
address, limited to ``sessions.MAX_FAILURES`` per ``sessions.FAILURE_WINDOW``."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from api.auth import MAX_TOKEN_CHARS, services
from api.console import guard
from api.console.sessions import MAX_FAILURES
from api.console.web import blueprint
from ca_sim.audit import Outcome
from pki.errors import ErrorCode, Unauthenticated

SIGN_IN_ACTION = "console_sign_in"


@blueprint.route("/", methods=["GET"])
def home() -> Response:
    return redirect(url_for("console.certificates"), 303)


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | tuple[Response, int]:
    """GET: the form (with a fresh double-submit CSRF token). POST: check the token, open a session."""
    if request.method == "GET":
        return _form(None, 200)
    guard.check_csrf(guard.cookie(guard.PRE_SESSION_COOKIE))
    ctx = services()
    at = ctx.clock()
    client = request.remote_addr or "-"
    sessions = guard.store()
    if sessions.failures(client, at) >= MAX_FAILURES:
        details = {"code": ErrorCode.SIGN_IN_RATE_LIMITED, "client": client}
        ctx.audit.record("anonymous", SIGN_IN_ACTION, "console", Outcome.REFUSED, details, at)
        raise Unauthenticated(ErrorCode.SIGN_IN_RATE_LIMITED, "too many failed sign-ins; wait and retry")
    token = request.form.get("token", "").strip()
    try:
        operator = ctx.operators.authenticate(token if len(token) <= MAX_TOKEN_CHARS else "", at)
    except Unauthenticated as exc:
        sessions.record_failure(client, at)
        details = {"code": exc.code, "client": client}
        ctx.audit.record("anonymous", SIGN_IN_ACTION, "console", Outcome.REFUSED, details, at)
        return _form(exc.code, 401)
    session = sessions.create(operator.name, token, at)
    ctx.audit.record(operator.name, SIGN_IN_ACTION, "console", Outcome.SUCCESS, {"client": client}, at)
    response = redirect(url_for("console.certificates"), 303)
    guard.set_cookie(response, guard.SESSION_COOKIE, session.session_id)
    guard.clear_cookie(response, guard.PRE_SESSION_COOKIE)
    return response


@blueprint.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    """End the session (its CSRF token was checked by the gate)."""
    session = guard.current_session()
    guard.store().end(session.session_id)
    ctx = services()
    ctx.audit.record(session.operator, "console_sign_out", "console", Outcome.SUCCESS, None, ctx.clock())
    response = redirect(url_for("console.sign_in"), 303)
    guard.clear_cookie(response, guard.SESSION_COOKIE)
    return response


def _form(code: ErrorCode | None, status: int) -> tuple[Response, int]:
    value = guard.new_pre_session_token()
    page = render_template("console/sign_in.html", csrf=value, code=code, ended="ended" in request.args)
    response = make_response(page, status)
    guard.set_cookie(response, guard.PRE_SESSION_COOKIE, value)
    return response, status
