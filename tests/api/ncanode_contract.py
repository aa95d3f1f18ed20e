"""NCANode's own contract, checked on every NCANode-door answer the tests provoke: a 200 body must validate
against the response schema NCANode's ``openapi.yml`` declares for that operation (types, enums such as
``keyUsage`` and ``keyUser``, ``date-time`` formats), so an integrator's client generated from NCANode's
document reads our answers. The document is NCANode's, copied unchanged (``tests/data/ncanode-api/``).

Only 200 answers are judged: NCANode's document declares no other status (its errors are Spring's), and our
refusals are 400 ``{status, message, details}`` by design (README "NCANode compatibility"). Nulls are not
judged: springdoc marks no member nullable, yet Jackson writes null for every unset member of a DTO without
``@JsonInclude(NON_NULL)`` (``tsp``, ``reason``, ``revocationTime``, an ``/x509/info`` entry that is no
certificate), so the document cannot say where NCANode itself sends them; the compatibility tests compare
those members with NCANode's answers.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry
from referencing.jsonschema import DRAFT4

from tests.data_paths import NCANODE_API

_DOCUMENT_URI = "urn:ncanode:openapi"


@cache
def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((NCANODE_API / "openapi.yml").read_text(encoding="utf-8"))
    return loaded


@cache
def _registry() -> Registry:
    return Registry().with_resource(_DOCUMENT_URI, DRAFT4.create_resource(_document()))


def _schema_pointer(method: str, path: str) -> str | None:
    """Where in NCANode's document the 200 response schema of ``method path`` is (a JSON pointer); None for
    a path it does not serve."""
    paths = _document()["paths"]
    documented = "/actuator/health/**" if path.startswith("/actuator/health/") else path
    answer = paths.get(documented, {}).get(method.lower(), {}).get("responses", {}).get("200")
    if answer is None:
        return None
    media = next(iter(answer["content"]))
    parts = ("paths", documented, method.lower(), "responses", "200", "content", media, "schema")
    return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def ncanode_problems(method: str, path: str, status: int, body: bytes) -> str | None:
    """Why a 200 answer to ``method path`` breaks NCANode's document (None when it does not, or when the
    path is not one of NCANode's)."""
    if status != 200:
        return None
    pointer = _schema_pointer(method, path)
    if pointer is None:
        return None
    validator = OAS30Validator(
        {"$ref": f"{_DOCUMENT_URI}#{pointer}"}, registry=_registry(), format_checker=oas30_format_checker
    )
    errors = sorted(
        validator.iter_errors(_without_nulls(json.loads(body))), key=lambda e: list(map(str, e.absolute_path))
    )
    if not errors:
        return None
    return "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in errors[:5])


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(member) for key, member in value.items() if member is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value if item is not None]
    return value
