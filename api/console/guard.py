"""The console's gate: the signed session cookie, the operator it stands for, CSRF checks, role checks.

Every console request but the sign-in page and the static files needs a live session
(``api.console.sessions``); its operator token is authenticated again through the operator directory on
each request, so a token disabled, revoked or expired since sign-in ends the session. Every POST must
carry the session's CSRF token (``csrf_token`` form field); the sign-in form, posted before a session
exists, carries a signed double-submit token matching its cookie. Roles are decided by the same
``OperatorDirectory.authorize`` the API calls, with the same audit of refusals.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import cast

from flask import current_app, g, request
from itsdangerous import BadSignature, Signer
from werkzeug.wrappers import Response

from api.auth import services
from api.console.sessions import OpenSession, SessionStore
from ca_sim.operators import Action, Operator
from pki.errors import ErrorCode, Forbidden, KzPkiError

SESSION_COOKIE = "kzpki_console"
PRE_SESSION_COOKIE = "kzpki_console_sign_in"
COOKIE_PATH = "/console/"
CSRF_FIELD = "csrf_token"
STORE_EXTENSION = "kzpki_console_sessions"


def store() -> SessionStore:
    """The app's console session store (made by ``api.console.install``)."""
    return cast(SessionStore, current_app.extensions[STORE_EXTENSION])


def _signer(purpose: str) -> Signer:
    secret = hmac.new(services().settings.ca_passphrase, b"kzpki console cookies", hashlib.sha256).digest()
    return Signer(secret, salt=purpose)


def set_cookie(response: Response, name: str, value: str) -> None:
    """Set ``name`` to ``value`` signed: HttpOnly, SameSite=Strict, Secure over TLS, path /console/."""
    signed = _signer(name).sign(value).decode("ascii")
    response.set_cookie(
        name, signed, path=COOKIE_PATH, httponly=True, samesite="Strict", secure=request.is_secure
    )


def clear_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="Strict", secure=request.is_secure)


def cookie(name: str) -> str | None:
    """The value of the signed cookie ``name``; None when absent or its signature is wrong."""
    raw = request.cookies.get(name)
    if not raw:
        return None
    try:
        return _signer(name).unsign(raw).decode("ascii")
    except (BadSignature, UnicodeDecodeError):
        return None


def open_session() -> OpenSession | None:
    """The request's live session and its re-authenticated operator (kept in ``g``), or None.

    A session whose token no longer authenticates, or whose operator was disabled, is ended (the refusal is
    audited) and the refusal raised."""
    session_id = cookie(SESSION_COOKIE)
    if session_id is None:
        return None
    ctx = services()
    at = ctx.clock()
    session = store().resume(session_id, at)
    if session is None:
        return None
    try:
        if session.token is None:  # signed in with name, password and TOTP code
            g.operator = ctx.credentials.active(session.operator, at, signed_in_at=session.created_at)
        else:
            g.operator = ctx.operators.authenticate(session.token, at)
    except KzPkiError:
        store().end(session_id)
        raise
    g.console_session = session
    return session


def current_session() -> OpenSession:
    return cast(OpenSession, g.console_session)


def current_operator() -> Operator:
    return cast(Operator, g.operator)


def new_pre_session_token() -> str:
    """A fresh random value for the sign-in form and its cookie (double submit)."""
    return secrets.token_urlsafe(32)


def check_csrf(expected: str | None) -> None:
    """Refuse a POST whose ``csrf_token`` field is not ``expected``: Forbidden ``csrf_token_invalid``."""
    given = request.form.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise Forbidden(ErrorCode.CSRF_TOKEN_INVALID, "the form is stale or was not sent from this console")


def authorize(action: Action, ca_id: str | None = None) -> Operator:
    """The signed-in operator, allowed ``action`` (on ``ca_id``) by the directory the API asks too.

    Raises Forbidden ``role_forbidden`` / ``ca_out_of_scope`` (audited by the directory)."""
    operator = current_operator()
    ctx = services()
    ctx.operators.authorize(operator, action, ctx.clock(), ca_id=ca_id)
    return operator
