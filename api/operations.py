"""Declaring an endpoint: its typed request and response models, in one decorator that also documents it.

The pattern (every JSON endpoint follows it; the OpenAPI document at ``/openapi.json`` is generated from
these declarations, so an undeclared route fails ``tests/api/test_openapi.py``)::

    class NewThing(RequestModel):                      # api/models/<area>.py
        name: Annotated[str, Text(200)]
        at: UtcDateTime | None = None

    class Thing(ResponseModel):
        thing_id: int
        name: str

    @blueprint.post("/things")                         # api/blueprints/<area>.py
    @requires(Action.MANAGE_THINGS)                    # optional: operator endpoints (adds bearer security)
    @operation(tag="Things", summary="Create a thing", body=NewThing, responses={201: Thing})
    def create_thing(body: NewThing) -> tuple[Response, int]:
        \"\"\"The first docstring paragraph becomes the operation's description.\"\"\"
        ...
        return jsonify(thing.to_json()), 201           # or reply(Thing(...), 201)

``body`` is parsed from the raw request bytes with ``model_validate_json`` (one parse, no intermediate
``dict``), ``query`` from the query string; the view receives them as the keyword arguments ``body`` and
``query``. Integer path arguments are row ids, bounded to 1..:data:`storage.MAX_ROW_ID`. Any validation
failure becomes :class:`pki.errors.InvalidInput` with the stable code of the first error (``malformed_json``,
``expected_json_object``, ``missing_field``, ``wrong_type``, ``invalid_value``, ``invalid_characters``,
``invalid_base64``, ``invalid_datetime``, ``datetime_out_of_range``) and the offending ``field``; a body
that is not ``application/json`` is a 415. Responses are documented, not re-validated at run time (the
test suite checks every JSON response it produces against the declared model).

Endpoints whose errors are not problem documents (the NCANode-compatible ones) declare their
``error_model`` and answer errors through their blueprint's error handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from types import MappingProxyType
from typing import Any, TypeVar, cast

from flask import Response, request
from pydantic import BaseModel, ConfigDict, ValidationError
from werkzeug.exceptions import UnsupportedMediaType

from pki.errors import ErrorCode, InvalidInput
from storage import MAX_ROW_ID

_View = TypeVar("_View", bound=Callable[..., Any])


class RequestModel(BaseModel):
    """Base of request bodies: strict JSON types (no "5" for 5), unknown members ignored (as NCANode and
    most JSON APIs do), frozen."""

    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")


class ResponseModel(BaseModel):
    """Base of response bodies. ``extra="forbid"`` makes the contract test notice any member the code
    sends and the model does not document."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Media:
    """A non-JSON body (``application/pkix-crl``, ``text/html``, ...), for documentation."""

    media_type: str
    description: str = ""
    schema: Mapping[str, Any] | None = None
    more: tuple[str, ...] = ()  # further media types the body may come as (static files)

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.more)


Reply = type[BaseModel] | Media | None  # None: no body (e.g. 304)
JSON_MEDIA = "application/json"
BINARY = MappingProxyType({"type": "string", "format": "binary"})  # a DER body's schema (raw octets)


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one view."""

    tag: str
    summary: str
    description: str
    operation_id: str
    body: type[BaseModel] | Media | None
    query: type[BaseModel] | None
    responses: Mapping[int, Reply]
    problems: tuple[int, ...]
    error_model: type[BaseModel] | None = None  # replaces Problem for endpoints with their own errors
    bearer: bool = False  # a bearer token of its own (not an operator's), e.g. /metrics
    examples: Mapping[str, Any] = field(default_factory=dict)
    model_media: tuple[str, ...] = (JSON_MEDIA,)  # what a model reply is served as (content negotiation)


def operation(
    *,
    tag: str,
    summary: str,
    responses: Mapping[int, Reply],
    body: type[BaseModel] | Media | None = None,
    query: type[BaseModel] | None = None,
    problems: tuple[int, ...] = (),
    operation_id: str | None = None,
    error_model: type[BaseModel] | None = None,
    bearer: bool = False,
    model_media: tuple[str, ...] = (JSON_MEDIA,),
) -> Callable[[_View], _View]:
    """Declare and wire a view (see the module docstring). ``problems``: the 4xx statuses it can answer
    beyond those implied (400/413/415 with a JSON body, 400 with a query model, 401/403 for operator
    views). ``error_model``: the error body of endpoints that do not answer problem documents (their
    blueprint's error handler makes it). ``bearer``: the view checks a bearer token of its own (documented
    as the bearer security scheme; operator views get it from ``requires``). ``model_media``: the media types
    a model reply may be served as, when the view negotiates one (Spring's actuator types)."""

    def decorate(view: _View) -> _View:
        spec = Operation(
            tag=tag,
            summary=summary,
            description=_first_paragraph(view.__doc__),
            operation_id=operation_id or _camel(view.__name__),
            body=body,
            query=query,
            responses=responses,
            problems=problems,
            error_model=error_model,
            bearer=bearer,
            model_media=model_media,
        )

        @wraps(view)
        def parsed(*args: Any, **kwargs: Any) -> Any:
            for name, value in kwargs.items():
                if isinstance(value, int) and not 1 <= value <= MAX_ROW_ID:
                    raise InvalidInput(ErrorCode.INVALID_VALUE, f"{name} must be 1-{MAX_ROW_ID}", field=name)
            if isinstance(body, type):
                kwargs["body"] = parse_body(body)
            if query is not None:
                kwargs["query"] = parse_query(query)
            return view(*args, **kwargs)

        parsed.operation = spec  # type: ignore[attr-defined]
        return cast(_View, parsed)

    return decorate


def operation_of(view: Callable[..., Any]) -> Operation | None:
    """The declaration of a (possibly further wrapped) view, or None."""
    return cast(Operation | None, getattr(view, "operation", None))


_M = TypeVar("_M", bound=BaseModel)


def parse_body(model: type[_M]) -> _M:
    """The JSON request body as ``model``. Raises 415 for another media type, InvalidInput otherwise."""
    if not request.is_json:
        raise UnsupportedMediaType()
    try:
        return model.model_validate_json(request.get_data(cache=True))
    except ValidationError as exc:
        raise invalid_input(exc) from None


def parse_query(model: type[_M]) -> _M:
    """The query string as ``model`` (each parameter once; values are strings, converted by the model)."""
    try:
        return model.model_validate({k: v for k, v in request.args.items()})
    except ValidationError as exc:
        raise invalid_input(exc) from None


def reply(model: BaseModel, status: int = 200, *, exclude_none: bool = False) -> Response:
    """``model`` as the JSON response (field aliases, ``null`` members dropped when ``exclude_none``)."""
    text = model.model_dump_json(by_alias=True, exclude_none=exclude_none)
    return Response(text, status=status, mimetype="application/json")


_WRONG_TYPE = {
    "string_type": "a string",
    "bool_type": "true or false",
    "int_type": "an integer",
    "list_type": "a list",
    "set_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "float_type": "a number",
    "none_required": "null",
}


def invalid_input(exc: ValidationError) -> InvalidInput:
    """The first error of ``exc`` as InvalidInput with its stable code and field (never the input)."""
    error = exc.errors(include_url=False)[0]
    kind, loc = error["type"], error["loc"]
    name = ".".join(str(part) for part in loc)
    if kind == "json_invalid":
        return InvalidInput(ErrorCode.MALFORMED_JSON, f"the body is not valid JSON: {error['ctx']['error']}")
    if not loc and kind in _WRONG_TYPE:
        return InvalidInput(ErrorCode.EXPECTED_JSON_OBJECT, "the body must be a JSON object")
    if kind == "missing" or (loc and error.get("input", ...) is None):  # null counts as absent
        return InvalidInput(ErrorCode.MISSING_FIELD, f"{name} is required", field=name)
    if kind in _WRONG_TYPE:
        return InvalidInput(ErrorCode.WRONG_TYPE, f"{name} must be {_WRONG_TYPE[kind]}", field=name)
    if kind in {"enum", "literal_error"} and not isinstance(error.get("input"), str):
        return InvalidInput(ErrorCode.WRONG_TYPE, f"{name} must be a string", field=name)
    if kind in {"enum", "literal_error"}:
        return InvalidInput(
            ErrorCode.INVALID_VALUE, f"{name} must be one of: {error['ctx']['expected']}", field=name
        )
    code = ErrorCode(kind) if kind in _CUSTOM_CODES else ErrorCode.INVALID_VALUE
    return InvalidInput(code, f"{name} {error['msg']}" if name else error["msg"], field=name)


_CUSTOM_CODES = frozenset(
    code.value
    for code in (
        ErrorCode.WRONG_TYPE,
        ErrorCode.INVALID_VALUE,
        ErrorCode.INVALID_CHARACTERS,
        ErrorCode.INVALID_BASE64,
        ErrorCode.INVALID_DATETIME,
        ErrorCode.DATETIME_OUT_OF_RANGE,
    )
)


def _first_paragraph(doc: str | None) -> str:
    return " ".join((doc or "").strip().split("\n\n")[0].split())


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
