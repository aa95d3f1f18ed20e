"""An operator's own console password: the form and the change (``OperatorCredentials.change_password``).

The change is proven as a sign-in is, by the current password and a fresh TOTP code; a wrong proof counts
with the client address's failed sign-ins, so a session left open is no way round their limit
(``sessions.MAX_FAILURES`` per ``sessions.FAILURE_WINDOW``). After the change every password session of
the operator ends (the credential is new), this one too: the browser goes to sign-in with a notice.
"""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from api.auth import services
from api.console import guard
from api.console.sessions import MAX_FAILURES
from api.console.sign_in_views import MAX_CODE_CHARS
from api.console.web import blueprint
from ca_sim.audit import Outcome
from ca_sim.operator_credentials import CHANGE_PASSWORD_ACTION, MAX_PASSWORD_CHARS, MIN_NEW_PASSWORD_CHARS
from pki.errors import ErrorCode, InvalidInput, Unauthenticated


@blueprint.route("/password", methods=["GET", "POST"])
def change_password() -> Response | tuple[Response, int]:
    """GET: the form. POST (CSRF checked by the gate): change the signed-in operator's password, then end
    the session and go to sign-in (303). A refused change shows the form again with its code: 400 for a
    new password the rules refuse or a repetition that differs, 401 ``invalid_credentials`` for a wrong
    current password or code; the session stays. Too many failures from the address: 429
    ``sign_in_rate_limited``, audited."""
    if request.method == "GET":
        return _form(None, 200)
    ctx = services()
    at = ctx.clock()
    client = request.remote_addr or "-"
    sessions = guard.store()
    operator = guard.current_operator()
    if sessions.failures(client, at) >= MAX_FAILURES:
        details = {"code": ErrorCode.SIGN_IN_RATE_LIMITED, "client": client}
        ctx.audit.record(operator.name, CHANGE_PASSWORD_ACTION, operator.name, Outcome.REFUSED, details, at)
        raise Unauthenticated(ErrorCode.SIGN_IN_RATE_LIMITED, "too many failed attempts; wait and retry")
    new = request.form.get("new", "")
    if new != request.form.get("repeat", ""):
        return _form(ErrorCode.PASSWORDS_DIFFER, 400)
    current = request.form.get("current", "")[:MAX_PASSWORD_CHARS]
    code = request.form.get("code", "")[:MAX_CODE_CHARS]
    try:
        ctx.credentials.change_password(operator.name, current, code, new, at)
    except Unauthenticated as exc:
        sessions.record_failure(client, at)
        return _form(exc.code, 401)
    except InvalidInput as exc:
        return _form(exc.code, 400)
    sessions.end(guard.current_session().session_id)
    response = redirect(url_for("console.sign_in", changed=1), 303)
    guard.clear_cookie(response, guard.SESSION_COOKIE)
    return response


def _form(code: ErrorCode | None, status: int) -> tuple[Response, int]:
    page = render_template(
        "console/password.html", code=code, min_chars=MIN_NEW_PASSWORD_CHARS, max_chars=MAX_PASSWORD_CHARS
    )
    return make_response(page, status), status
