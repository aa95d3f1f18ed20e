"""THE one place that turns errors into HTTP: RFC 9457 ``application/problem+json`` documents.

Domain code raises :mod:`pki.errors` classes; this module maps each class to a status
(InvalidInput 400, Unauthenticated 401, Forbidden 403, NotFound 404, Conflict 409, Gone 410, Refused and
UnsupportedAlgorithm 422, Unavailable 503), routing errors to theirs (404 unknown path, 405 method, 413
body too large, 415 media type), and anything else to a 500 whose body says nothing about the cause (the
traceback goes to the scrubbed server log only). Every body carries a stable snake_case ``code``
(an :class:`pki.errors.ErrorCode`; clients branch on it) and a ``detail`` a person can act on.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, json, request
from werkzeug.exceptions import HTTPException

from api.logs import scrub
from pki.errors import (
    Conflict,
    ErrorCode,
    Forbidden,
    Gone,
    InvalidInput,
    KzPkiError,
    NotFound,
    Refused,
    Unauthenticated,
    Unavailable,
    UnsupportedAlgorithm,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
_LOG = logging.getLogger(__name__)

STATUS_FOR: dict[type[KzPkiError], int] = {
    InvalidInput: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    Refused: 422,
    UnsupportedAlgorithm: 422,
    Unavailable: 503,
}

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Refused",
    500: "Internal error",
    503: "Not ready",
}

# Werkzeug routing / protocol errors -> stable codes and actionable details.
_HTTP_CODES: dict[int, tuple[ErrorCode, str]] = {
    400: (
        ErrorCode.MALFORMED_REQUEST,
        "the request could not be read; send a well-formed body of the documented type",
    ),
    404: (ErrorCode.NO_SUCH_ENDPOINT, "no endpoint at this path; see /openapi.json"),
    405: (ErrorCode.METHOD_NOT_ALLOWED, "this endpoint does not accept this HTTP method; see /openapi.json"),
    413: (ErrorCode.REQUEST_TOO_LARGE, "the request body exceeds the size limit"),
    415: (
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "send the documented Content-Type (application/json unless stated)",
    ),
}

_SCALARS = (str, int, float, bool, type(None))


def problem(status: int, code: ErrorCode | str, detail: str, **extra: Any) -> Response:
    """A problem+json response. ``code`` is an :class:`ErrorCode` (a plain string only for the
    ``http_<status>`` fallback of a routing error without one). ``extra`` members must be JSON
    scalars or lists of them."""
    body: dict[str, Any] = {
        "type": f"urn:kzpki:problem:{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": detail,
        "instance": request.path,
    }
    for key, value in extra.items():
        if key not in body and _is_plain(value):
            body[key] = scrub(value) if isinstance(value, str) else value
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kzpki"'
    if status == 405 and "allowed" in extra:
        response.headers["Allow"] = ", ".join(extra["allowed"])
    return response


def status_for(error: KzPkiError) -> int:
    """The HTTP status of ``error``'s class (nearest mapped base class; 500 if none)."""
    for cls in type(error).__mro__:
        if cls in STATUS_FOR:
            return STATUS_FOR[cls]  # type: ignore[index]
    return 500


def register_error_handlers(app: Flask) -> None:
    """Install the handlers: domain errors, HTTP errors, and the catch-all 500."""

    @app.errorhandler(KzPkiError)
    def _domain(error: KzPkiError) -> Response:
        status = status_for(error)
        if status == 500:
            return _internal(error)
        return problem(status, error.code, error.message, **error.data)

    app.register_error_handler(HTTPException, http_problem)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        return _internal(error)


def http_problem(error: HTTPException) -> Response:
    """The problem+json response to a routing or HTTP error (``error.code``; a 5xx is logged as internal).

    Its detail is the error's own description when our code raised it with a specific instruction."""
    status = error.code or 500
    if status >= 500:
        return _internal(error)
    code: ErrorCode | str
    code, detail = _HTTP_CODES.get(status, (f"http_{status}", error.description or "request refused"))
    if error.description and error.description != type(error).description:
        detail = error.description  # raised by our code with a specific instruction
    extra: dict[str, Any] = {}
    if status == 405 and getattr(error, "valid_methods", None):
        extra["allowed"] = sorted(error.valid_methods or ())  # type: ignore[attr-defined]
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        detail = f"the request body exceeds the limit of {limit} bytes"
        extra["max_bytes"] = limit
    return problem(status, code, detail, **extra)


def _internal(error: BaseException) -> Response:
    _LOG.error("unhandled error on %s %s", request.method, request.path, exc_info=error)
    return problem(
        500, ErrorCode.INTERNAL_ERROR, "the service failed to handle this request; it has been logged"
    )


def _is_plain(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return all(isinstance(v, _SCALARS) for v in value)
    return isinstance(value, _SCALARS)
