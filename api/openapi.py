"""The OpenAPI 3.1 document, generated from the app's routes and their :func:`api.operations.operation`
declarations (served at ``/openapi.json``; ``/docs`` renders it with Swagger UI).

Paths come from the Flask URL map (so nothing routed is undocumented, and nothing documented is unrouted);
request and response schemas from the pydantic models (JSON Schema 2020-12, as OpenAPI 3.1 uses); path
parameters from the route converters; security from :func:`api.auth.requires`. Every error status an
operation can answer is listed with the problem schema (or the operation's own error model).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from api.operations import JSON_MEDIA, Media, Operation, operation_of
from pki.reasons import RULE_IDS, Reason
from storage import MAX_ROW_ID

PROBLEM = "application/problem+json"
COMPONENTS = "#/components/schemas/{model}"

TAGS = {
    "UNIS": "The UNIS login flow (challenges, decisions) and UNIS accounts (operators).",
    "Verification": "Certificates, signed documents and time-stamp tokens, judged by the kzpki verifier.",
    "Subjects": "The owner's own requests, authenticated by a signed challenge (PD-24).",
    "Documents": "State-body documents (DD-8), shared by the owner's grants: URL and QR code (DD-9, DD-14).",
    "CA": "Issuance from applications, revocation on the law's grounds, hold/release, CRL publication.",
    "Public": "What certificates point to (CA certificates, CRLs, OCSP), the public register.",
    "NCANode": "NCANode v3 compatible: its request and response JSON, answered by the kzpki verifier.",
    "Operations": "For the monitoring system: Prometheus metrics, liveness and readiness.",
    "Docs": "This reference.",
}
_PROBLEM_TEXT = {
    400: "Malformed request (stable code)",
    401: "Missing or invalid bearer token",
    403: "Role or CA scope does not allow it",
    404: "Not found",
    409: "Conflicts with the current state",
    410: "No longer available",
    413: "Body over the size limit",
    415: "Wrong Content-Type",
    422: "Refused by a rule of the law",
    503: "Not ready: the failing components are named",
}
_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


HTML_BLUEPRINTS = frozenset({"console"})  # server-rendered pages: not part of the JSON API's document


def is_api_endpoint(endpoint: str) -> bool:
    """Whether ``endpoint`` is a JSON API operation (documented), not a static file or a console page."""
    return endpoint != "static" and endpoint.split(".", 1)[0] not in HTML_BLUEPRINTS


def build_document(app: Flask, *, public_url: str | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``app`` (servers: this origin, then ``public_url``).

    Raises LookupError naming a route without an :func:`api.operations.operation` declaration."""
    from api.models.common import Problem

    operations: list[tuple[str, str, Operation, list[dict[str, Any]], bool]] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not is_api_endpoint(rule.endpoint):
            continue
        view = app.view_functions[rule.endpoint]
        spec = operation_of(view)
        if spec is None:
            raise LookupError(f"route {rule.rule} ({rule.endpoint}) has no @operation declaration")
        path, parameters = _path(rule.rule)
        operator = getattr(view, "required_action", None) is not None
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operations.append((path, method.lower(), spec, parameters, operator))

    models: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {(Problem, "serialization"): None}
    for _, _, spec, _, _ in operations:
        for model, mode in _models_of(spec):
            models[(model, mode)] = None
    keys, defs = models_json_schema(list(models), ref_template=COMPONENTS)
    schemas = defs.get("$defs", {})

    def ref(model: type[BaseModel], mode: str) -> dict[str, Any]:
        return keys[(model, mode)]  # type: ignore[index]

    paths: dict[str, dict[str, Any]] = {}
    for path, method, spec, parameters, operator in operations:
        paths.setdefault(path, {})[method] = _operation(spec, parameters, operator, ref)
    _disambiguate(paths)
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "kzpki: a simulated Kazakh PKI and EDS verification service",
            "version": "1",
            "description": _description(),
        },
        "servers": [
            {"url": "/", "description": "this service"},
            *([{"url": public_url, "description": "its public URL"}] if public_url else []),
        ],
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    return document


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for converter, name in _PARAM.findall(rule):
        schema: dict[str, Any] = (
            {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}
            if converter == "int"
            else {"type": "string"}
        )
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _PARAM.sub(lambda m: "{" + m.group(2) + "}", rule), parameters


def _models_of(spec: Operation) -> Iterable[tuple[type[BaseModel], JsonSchemaMode]]:
    if isinstance(spec.body, type):
        yield spec.body, "validation"
    if spec.query is not None:
        yield spec.query, "validation"
    for reply in spec.responses.values():
        if isinstance(reply, type):
            yield reply, "serialization"
    if spec.error_model is not None:
        yield spec.error_model, "serialization"


def _operation(spec: Operation, parameters: list[dict[str, Any]], operator: bool, ref: Any) -> dict[str, Any]:
    from api.models.common import Problem

    operation: dict[str, Any] = {
        "tags": [spec.tag],
        "summary": spec.summary,
        "description": spec.description,
        "operationId": spec.operation_id,
        "responses": {},
    }
    parameters = list(parameters)
    if spec.query is not None:
        query_schema = spec.query.model_json_schema(ref_template=COMPONENTS)
        required = set(query_schema.get("required", ()))
        for name, schema in query_schema.get("properties", {}).items():
            parameters.append({"name": name, "in": "query", "required": name in required, "schema": schema})
    if parameters:
        operation["parameters"] = parameters
    problems = set(spec.problems)
    if isinstance(spec.body, type):
        operation["requestBody"] = {
            "required": True,
            "content": {JSON_MEDIA: {"schema": ref(spec.body, "validation")}},
        }
        problems |= {400, 413, 415}
    elif isinstance(spec.body, Media):
        operation["requestBody"] = {"required": True, "content": _media_content(spec.body)}
    if spec.query is not None or any(p["schema"].get("type") == "integer" for p in parameters):
        problems.add(400)
    if operator or spec.bearer:
        operation["security"] = [{"bearer": []}]
    if operator:
        problems |= {401, 403}
    for status, reply in sorted(spec.responses.items()):
        operation["responses"][str(status)] = _reply(reply, ref, spec.model_media)
    error_model = spec.error_model or Problem
    error_media = JSON_MEDIA if spec.error_model is not None else PROBLEM
    for status in sorted(problems):
        answer = operation["responses"].setdefault(
            str(status), {"description": _PROBLEM_TEXT.get(status, "Error"), "content": {}}
        )  # a status may also have a declared body (OCSP's malformedRequest answer is a 400)
        answer.setdefault("content", {})[error_media] = {"schema": ref(error_model, "serialization")}
    return operation


def _media_content(media: Media) -> dict[str, Any]:
    return {
        kind: {} if media.schema is None else {"schema": dict(media.schema)} for kind in media.media_types
    }


def _reply(reply: Any, ref: Any, model_media: tuple[str, ...]) -> dict[str, Any]:
    if reply is None:
        return {"description": "No body"}
    if isinstance(reply, Media):
        return {"description": reply.description or reply.media_type, "content": _media_content(reply)}
    schema = ref(reply, "serialization")
    return {
        "description": (reply.__doc__ or reply.__name__).strip().split("\n")[0],
        "content": {media: {"schema": schema} for media in model_media},
    }


def _disambiguate(paths: dict[str, dict[str, Any]]) -> None:
    """operationIds must be unique: a view routed twice (``/ocsp`` and ``/ocsp/``) gets a suffix."""
    seen: dict[str, int] = {}
    for operations in paths.values():
        for operation in operations.values():
            name = operation["operationId"]
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                operation["operationId"] = f"{name}{seen[name]}"


def _description() -> str:
    rows = "\n".join(f"| `{r.value}` | {', '.join(RULE_IDS.get(r, ())) or '-'} |" for r in Reason)
    return (
        "Errors are `application/problem+json` (RFC 9457) with a stable `code`; the NCANode-compatible "
        "endpoints answer errors as NCANode does (`{status, message}`). Operator endpoints take "
        "`Authorization: Bearer <token>` (`kzpki operators add`).\n\n"
        "### Reason codes\n\nVerdicts (`reasons[]`, `checks[].reason`) and login decisions use these codes; "
        "each names the rule (rules.md) it enforces.\n\n| code | rule ids |\n|---|---|\n" + rows
    )
