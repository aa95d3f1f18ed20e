"""The Flask application factory: ``create_app(settings)`` wires the services and the thin blueprints.

Tests build the app with a fixed clock (``create_app(settings, clock=fixed_clock(at))``) or with ready
services; ``kzpki serve`` runs it on gunicorn.
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.routing import PathConverter

from api.blueprints import (
    ca,
    docs,
    documents,
    ncanode,
    observability,
    public,
    shared,
    subjects,
    unis,
    verification,
)
from api.clock import Clock, system_clock
from api.config import Settings
from api.console.web import install as install_console
from api.json_codec import FastJSONProvider
from api.observability.structured import install_request_ids
from api.problems import register_error_handlers
from api.services import Services, build_services


def create_app(settings: Settings, *, clock: Clock = system_clock, services: Services | None = None) -> Flask:
    """A configured app. Builds :class:`Services` from ``settings`` (creating the CA hierarchy on first
    start) unless ``services`` is given."""
    app = Flask("kzpki")
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,  # larger bodies: 413 problem+json
        TRAP_HTTP_EXCEPTIONS=False,
    )
    app.json = FastJSONProvider(app)  # compact, unsorted, UTF-8 (api.json_codec)
    app.url_map.merge_slashes = False  # base64 in OCSP GET paths may contain "//"
    app.url_map.converters["path"] = _AnyPath
    app.extensions["kzpki"] = services if services is not None else build_services(settings, clock)
    blueprints = (unis, subjects, documents, shared, ca, verification, public, observability, docs, ncanode)
    for blueprint in (module.blueprint for module in blueprints):
        app.register_blueprint(blueprint)
    install_console(app)
    register_error_handlers(app)
    install_request_ids(app)
    app.after_request(_security_headers)
    return app


class _AnyPath(PathConverter):
    """Werkzeug's ``path`` converter, line breaks included: a garbled OCSP GET (RFC 6960 A.1) reaches its
    view and gets the malformedRequest answer, not a routing 404."""

    regex = "(?s:[^/].*?)"


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
