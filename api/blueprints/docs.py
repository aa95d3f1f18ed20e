"""The OpenAPI document and the readable reference page."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from api.openapi import document, reference_page

blueprint = Blueprint("docs", __name__)


@blueprint.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(document())


@blueprint.get("/docs")
def docs_page() -> Response:
    return Response(reference_page(), mimetype="text/html")
