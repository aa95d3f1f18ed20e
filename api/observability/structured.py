"""Structured logs: one JSON object per line (a readable line in a terminal), from the app and from gunicorn.

:func:`logging_config` is the one ``logging.config.dictConfig`` document: :func:`configure_logging` applies
it in every kzpki process and ``kzpki serve`` hands the same to gunicorn (``logconfig_dict``), so
gunicorn's error log, its access log and the app's loggers share one handler on stderr. Every record passes
:class:`api.logs.ScrubbingFilter` (IINs masked to their last four digits, bearer tokens removed) and, when it
is logged while a request is served, carries that request's id.

The access log is gunicorn's, one line per request, turned into fields by :class:`AccessFields`: ``method``,
``path`` (the path only: a query string is never logged, nor are bodies), ``status``, ``duration_ms``
(milliseconds from the request's first byte read to the response's last byte written, gunicorn's clock),
``bytes`` and ``request_id``. The request id is the client's ``X-Request-ID`` when it is a plain token (1-128
of ``A-Z a-z 0-9 . _ : -``, nothing the scrubber would mask), otherwise a fresh random one; the response
echoes it in ``X-Request-ID`` (:func:`install_request_ids`).

A JSON line: ``{"time": "2026-12-02T02:50:01.123456Z", "level": "info", "logger": "gunicorn.access",
"message": "GET /healthz 200", "request_id": "...", "method": "GET", "path": "/healthz", "status": 200,
"duration_ms": 1.234, "bytes": 15}`` (``exception``: the scrubbed traceback, when there is one).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.config
import re
import secrets
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from flask import Flask, Response, g, has_request_context, request
from gunicorn.glogging import Logger as GunicornLogger

from api.clock import iso_time
from api.config import log_format as configured_log_format
from api.logs import ScrubbingFilter, scrub

LOG_FORMATS = ("auto", "json", "text")
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "bytes")


def configure_logging(log_format: str | None = None, *, access_log: bool = True) -> str:
    """Apply :func:`logging_config` to this process (``log_format`` default: ``KZPKI_LOG_FORMAT``, else
    ``auto``) and route Python warnings into the log; the format chosen (``json`` or ``text``). Raises
    ValueError for an unknown format name."""
    chosen = resolve_format(log_format or configured_log_format(), sys.stderr)
    logging.config.dictConfig(logging_config(chosen, access_log=access_log))
    logging.captureWarnings(True)
    return chosen


def resolve_format(log_format: str, stream: TextIO) -> str:
    """``json`` or ``text``: ``auto`` is text on a terminal, JSON otherwise. Raises ValueError for another
    name."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    if log_format == "auto":
        return "text" if stream.isatty() else "json"
    return log_format


def logging_config(log_format: str, *, access_log: bool = True, level: str = "INFO") -> dict[str, Any]:
    """The ``dictConfig`` document for ``log_format`` (``json`` or ``text``): one stderr handler for the root
    logger, gunicorn's error log and (when ``access_log``) its access log."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    handler = ["stderr"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"kzpki": {"()": formatter}},
        "filters": {
            "request": {"()": RequestIdFilter},
            "scrub": {"()": ScrubbingFilter},
            "access": {"()": AccessFields},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "kzpki",
                "filters": ["request", "scrub"],
            }
        },
        "root": {"level": level, "handlers": handler},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": handler, "propagate": False},
            "gunicorn.access": {
                "level": "INFO" if access_log else "WARNING",  # gunicorn logs each request at INFO
                "handlers": handler,
                "filters": ["access"],
                "propagate": False,
            },
        },
    }


class JsonFormatter(logging.Formatter):
    """A record as one JSON object (UTF-8 text, no newline inside)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time level logger message key=value ...`` for people at a terminal (traceback on the next lines)."""

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(
            f"{name}={getattr(record, name)}" for name in _FIELDS if getattr(record, name, None) is not None
        )
        line = f"{_utc(record.created)} {record.levelname} {record.name} {record.getMessage()}"
        if fields:
            line += " " + fields
        if record.exc_text:
            line += "\n" + record.exc_text
        return line


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to a record logged while a request is served (the app's own log lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None and has_request_context():
            record.request_id = g.get("request_id")
        return True


class AccessFields(logging.Filter):
    """Turns gunicorn's access record (its ``atoms`` mapping as the argument) into the request fields and the
    message ``METHOD PATH STATUS``. The query string, headers other than the request id and the client's
    address are not kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if not isinstance(atoms, Mapping):
            return True
        method, path, status = _atom(atoms, "m"), scrub(_atom(atoms, "U") or ""), _number(_atom(atoms, "s"))
        microseconds = _number(_atom(atoms, "D"))
        record.__dict__.update(
            method=method,
            path=path,
            status=status,
            duration_ms=None if microseconds is None else round(microseconds / 1000, 3),
            bytes=_number(_atom(atoms, "B")),
            request_id=_atom(atoms, "{x-request-id}o"),
        )
        record.msg = f"{method} {path} {status}"
        record.args = None
        return True


class AccessLogger(GunicornLogger):  # type: ignore[misc]
    """gunicorn's logger, with an access line built from the five atoms :class:`AccessFields` reads.

    gunicorn's own ``access`` builds every atom of its log format for every request (all request and
    response headers and the whole WSGI environ, lower-cased, wrapped in a case-insensitive mapping), then
    formats a line we replace anyway: a third of a small request's cost in the server. This one gives the
    same record (``METHOD PATH STATUS`` with the method, path, status, microseconds, bytes and the response's
    request id as its argument mapping), and nothing when the access log is off (``--no-access-log``).
    """

    def access(self, resp: Any, req: Any, environ: Mapping[str, Any], request_time: dt.timedelta) -> None:
        if not self.access_log.isEnabledFor(logging.INFO):
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        request_id = next((value for name, value in resp.headers if name.lower() == "x-request-id"), None)
        atoms = {
            "m": environ.get("REQUEST_METHOD"),
            "U": environ.get("PATH_INFO"),
            "s": status,
            "D": request_time // dt.timedelta(microseconds=1),
            "B": getattr(resp, "sent", None),
            "{x-request-id}o": request_id,
        }
        try:
            self.access_log.info("%(m)s %(U)s %(s)s", atoms)
        except Exception:  # as gunicorn's: a broken log line must not break the response
            self.exception("access log line failed")


def install_request_ids(app: Flask) -> None:
    """Give every request of ``app`` an id (``g.request_id``) and echo it in the ``X-Request-ID`` response
    header, error answers included."""
    app.before_request(_take_request_id)
    app.after_request(_echo_request_id)


def request_id_from(given: str | None) -> str:
    """``given`` when it is a plain token the logs may carry unchanged, else a fresh random id (128 bits)."""
    if given is not None and _REQUEST_ID.fullmatch(given) and scrub(given) == given:
        return given
    return secrets.token_hex(16)


def _take_request_id() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))


def _echo_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.request_id
    return response


def _atom(atoms: Mapping[str, Any], key: str) -> Any:
    value = atoms.get(key)
    return None if value in (None, "-") else value


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _utc(created: float) -> str:
    """A record's time (seconds since the epoch) in the one ISO 8601 UTC form (``pki.calendar.iso_time``)."""
    return iso_time(dt.datetime.fromtimestamp(created, dt.UTC))
