"""The operators' web console under ``/console/``: server-rendered pages (Jinja2), plain HTML forms, local
static files, English, Russian and Kazakh text from one catalogue (``api.console.messages``).

The console is a second edge over the same domain services as the JSON API: sign-in takes an operator token
and the directory authenticates it; role and CA-scope decisions are the directory's; revocations go through
the same registry calls. Refusals are HTML pages with the stable ``code`` and the status the API would give.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Flask, Response, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from api.console import guard
from api.console.messages import LANG_COOKIE, LANGUAGE_NAMES, LANGUAGES, language, text
from api.console.sessions import SessionStore
from api.problems import STATUS_FOR
from ca_sim.operators import Action, refusal_code
from pki.calendar import KZ_TIME
from pki.errors import ErrorCode, KzPkiError, Unauthenticated
from pki.iin import mask

blueprint = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
OPEN_ENDPOINTS = frozenset({"console.sign_in", "console.static"})
RATE_LIMITED_STATUS = 429
_CSP = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"


def install(app: Flask) -> None:
    """Register the console on ``app`` (after its services are in ``app.extensions``)."""
    from api.console import (  # noqa: F401  (they add their routes)
        account_views,
        audit_views,
        certificate_views,
        crl_views,
        issuance_views,
        operator_views,
        password_views,
        sign_in_views,
    )

    app.extensions[guard.STORE_EXTENSION] = SessionStore(app.extensions["kzpki"].sessionmaker)
    app.register_blueprint(blueprint)


@blueprint.app_template_filter("kz_time")
def _kz_time(value: dt.datetime | None) -> str:
    """An instant as Kazakhstan's local time, to the minute (``2026-12-02 09:30``)."""
    return "" if value is None else value.astimezone(KZ_TIME).strftime("%Y-%m-%d %H:%M")


@blueprint.app_template_filter("mask_iin")
def _mask_iin(value: str | None) -> str:
    return "" if value is None else mask(value)


@blueprint.before_request
def _gate() -> BaseResponse | None:
    """Every page but sign-in needs a live session; every POST its CSRF token."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    session = guard.open_session()
    if session is None:
        return redirect(url_for("console.sign_in", ended=1), 303)
    if request.method == "POST":
        guard.check_csrf(session.csrf_token)
    return None


@blueprint.context_processor
def _template_globals() -> dict[str, Any]:
    lang = language()
    return {
        "lang": lang,
        "other_langs": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES if code != lang],
        "t": lambda key: text(key, lang),
        "csrf_field": guard.CSRF_FIELD,
        "may": _may,
    }


def _may(action: str) -> bool:
    """Whether the signed-in operator's role may do ``action`` (not CA-scoped), for the navigation; the
    pages themselves ask the directory."""
    operator = g.get("operator")
    return operator is not None and refusal_code(operator, Action(action), None) is None


@blueprint.after_request
def _headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Frame-Options"] = "DENY"
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            path=guard.COOKIE_PATH,
            samesite="Strict",
            secure=request.is_secure,
            httponly=True,
        )
    return response


@blueprint.errorhandler(KzPkiError)
def _refused(error: KzPkiError) -> BaseResponse | tuple[str, int]:
    """A refusal as a page with its code; a session whose token stopped working goes back to sign-in."""
    if isinstance(error, Unauthenticated) and error.code is not ErrorCode.SIGN_IN_RATE_LIMITED:
        response = redirect(url_for("console.sign_in", ended=1), 303)
        guard.clear_cookie(response, guard.SESSION_COOKIE)
        return response
    status = (
        RATE_LIMITED_STATUS
        if error.code is ErrorCode.SIGN_IN_RATE_LIMITED
        else STATUS_FOR.get(type(error), 400)
    )
    return render_template("console/error.html", error=error), status
