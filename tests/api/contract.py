"""The response contract, checked on every response the API tests provoke: the status is one the OpenAPI
document lists for that operation, a JSON success body validates against the declared response model
(which forbids undocumented members), and an error body is a problem document with a code (or the
operation's own error model). Violations are collected and fail the test that caused them."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, request
from pydantic import ValidationError

from api.blueprints.docs import document_of
from api.models.common import Problem
from api.openapi import is_api_endpoint
from api.operations import Media, operation_of
from tests.api.ncanode_contract import ncanode_problems

VIOLATIONS = "contract_violations"


def install(app: Flask) -> None:
    """Check every response of ``app`` (once per app)."""
    if VIOLATIONS in app.extensions:
        return
    app.extensions[VIOLATIONS] = []
    app.after_request(_check)


def take_violations(app: Flask) -> list[str]:
    found: list[str] = app.extensions.get(VIOLATIONS, [])
    taken = list(found)
    found.clear()
    return taken


def _check(response: Response) -> Response:
    from flask import current_app

    problems = _problems(current_app, response)
    if problems is None and response.is_json and not response.direct_passthrough:
        problems = ncanode_problems(request.method, request.path, response.status_code, response.get_data())
    if problems:
        current_app.extensions[VIOLATIONS].append(
            f"{request.method} {request.path} {response.status_code}: {problems}"
        )
    return response


def _problems(app: Flask, response: Response) -> str | None:
    rule = request.url_rule
    status = response.status_code
    if rule is not None and not is_api_endpoint(rule.endpoint):
        return None  # console pages (HTML) and static files are not JSON API operations
    if rule is None:  # routing errors (404 unknown path, 405): problem documents without an operation
        return None if status < 500 and response.mimetype == "application/problem+json" else "not a problem"
    spec = operation_of(app.view_functions[rule.endpoint])
    if spec is None:
        return "undeclared operation"
    path = rule.rule
    for converter in ("<int:", "<path:"):
        path = path.replace(converter, "<")
    path = path.replace("<", "{").replace(">", "}")
    documented = document_of(app)["paths"][path][request.method.lower()]["responses"]
    if str(status) not in documented:
        return f"status not documented (documented: {sorted(documented)})"
    media = documented[str(status)].get("content", {})
    if media and response.mimetype not in media and (response.direct_passthrough or response.get_data()):
        return f"media type {response.mimetype}, documented {sorted(media)}"
    reply = spec.responses.get(status)
    if response.direct_passthrough or response.is_streamed:
        return None
    if isinstance(reply, Media) and response.mimetype in reply.media_types:
        return None
    if status < 400 or isinstance(
        reply, type
    ):  # a 4xx/5xx with a model of its own is an answer (actuator DOWN)
        if isinstance(reply, type):
            return _validate(reply, response)
        return None
    model = spec.error_model or Problem
    expected = "application/json" if spec.error_model is not None else "application/problem+json"
    if response.mimetype != expected:
        return f"error media type {response.mimetype}"
    return _validate(model, response)


def _validate(model: Any, response: Response) -> str | None:
    try:
        model.model_validate(json.loads(response.get_data()))
    except (ValidationError, ValueError) as exc:
        return str(exc)[:2000]
    return None
