"""Console sign-in with a login name, password and TOTP code (``ca_sim.operator_credentials``) or with an
operator token, and sign-out. Failed sign-ins are audited once each (by the directory or the credential
store, as ``console_sign_in`` with the client address) and, per client address, limited to
``sessions.MAX_FAILURES`` per ``sessions.FAILURE_WINDOW``."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from api.auth import MAX_TOKEN_CHARS, services
from api.console import guard
from api.console.sessions import MAX_FAILURES, PASSWORD_METHOD, TOKEN_METHOD
from api.console.web import blueprint
from ca_sim.audit import Outcome
from ca_sim.operator_credentials import MAX_PASSWORD_CHARS
from ca_sim.operators import AuditedAs
from pki.errors import ErrorCode, Unauthenticated

SIGN_IN_ACTION = "console_sign_in"
_MAX_NAME_CHARS = 64
MAX_CODE_CHARS = 16


@blueprint.route("/", methods=["GET"])
def home() -> Response:
    return redirect(url_for("console.certificates"), 303)


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | tuple[Response, int]:
    """GET: the form (with a fresh double-submit CSRF token). POST: check the name, password and TOTP code
    (``method=password``, the default) or the operator token (``method=token``), open a session."""
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
    audited = AuditedAs(SIGN_IN_ACTION, "console", {"client": client})  # each refusal recorded once
    by_token = request.form.get("method") == TOKEN_METHOD
    token: str | None = None
    try:
        if by_token:
            token = request.form.get("token", "").strip()
            given = token if len(token) <= MAX_TOKEN_CHARS else ""
            operator = ctx.operators.authenticate(given, at, audited_as=audited)
        else:
            name = request.form.get("name", "").strip()[:_MAX_NAME_CHARS]
            password = request.form.get("password", "")[:MAX_PASSWORD_CHARS]
            code = request.form.get("code", "")[:MAX_CODE_CHARS]
            operator = ctx.credentials.authenticate(name, password, code, at, audited_as=audited)
    except Unauthenticated as exc:
        sessions.record_failure(client, at)
        return _form(exc.code, 401)
    session = sessions.create(operator.name, token, at)
    details = {"client": client, "method": TOKEN_METHOD if by_token else PASSWORD_METHOD}
    ctx.audit.record(operator.name, SIGN_IN_ACTION, "console", Outcome.SUCCESS, details, at)
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
    page = render_template(
        "console/sign_in.html",
        csrf=value,
        code=code,
        ended="ended" in request.args,
        changed="changed" in request.args,
    )
    response = make_response(page, status)
    guard.set_cookie(response, guard.PRE_SESSION_COOKIE, value)
    return response, status
