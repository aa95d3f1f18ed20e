"""The API reference: the generated OpenAPI document and Swagger UI, served from the installed
``swagger-ui-bundle-v2`` package (no CDN: the reference works offline)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, send_from_directory
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from api.openapi import build_document
from api.operations import Media, operation
from pki.errors import ErrorCode, NotFound

blueprint = Blueprint("docs", __name__)
TAG = "Docs"
_ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kzpki API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>
"""
_INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, docExpansion: "none",
  tagsSorter: "alpha", operationsSorter: "alpha", defaultModelsExpandDepth: 0, displayOperationId: true
});
"""


def document_of(app: Flask) -> dict[str, Any]:
    """The app's OpenAPI document, built once per app."""
    cached = app.extensions.get("kzpki_openapi")
    if cached is None:
        public_url = app.extensions["kzpki"].settings.public_base_url
        cached = app.extensions["kzpki_openapi"] = build_document(app, public_url=public_url)
    return cached  # type: ignore[no-any-return]


@blueprint.get("/openapi.json")
@operation(
    tag=TAG,
    summary="This document",
    responses={200: Media("application/json", "OpenAPI 3.1", {"type": "object"})},
)
def openapi_document() -> Response:
    """OpenAPI 3.1, generated from the endpoint declarations."""
    return jsonify(document_of(current_app))


@blueprint.get("/docs")
@operation(tag=TAG, summary="API reference page", responses={200: Media("text/html", "Swagger UI")})
def docs_page() -> Response:
    """Swagger UI over /openapi.json, grouped by tag; the reason codes and their rule ids are in the
    document's description."""
    return Response(_PAGE, mimetype="text/html")


@blueprint.get("/docs/init.js")
@operation(tag=TAG, summary="Swagger UI start script", responses={200: Media("text/javascript")})
def docs_script() -> Response:
    """The page's start-up script (a file rather than inline, so a strict CSP can forbid inline scripts)."""
    response = Response(_INIT, mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@blueprint.get("/docs/assets/<name>")
@operation(
    tag=TAG,
    summary="Swagger UI assets",
    responses={200: Media("text/css", "a Swagger UI file", more=("text/javascript", "image/png"))},
    problems=(404,),
)
def docs_asset(name: str) -> Response:
    """The Swagger UI files of the installed bundle."""
    if name not in _ASSETS:
        raise NotFound(ErrorCode.NO_SUCH_ASSET, f"no documentation asset {name!r}")
    response = send_from_directory(str(swagger_ui_path), name, max_age=86400)
    return response
