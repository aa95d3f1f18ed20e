"""Reading request bodies and parameters: every malformed input becomes :class:`InvalidInput`, never a crash.

Each helper names the field it rejects in ``data["field"]`` and uses a stable code:
``malformed_json`` (unparsable, too deeply nested),
``expected_json_object``, ``missing_field``, ``wrong_type``, ``invalid_value``, ``invalid_base64``,
``invalid_datetime``. A body that is not ``application/json`` is a 415 (``unsupported_media_type``); the
size limit is Flask's ``MAX_CONTENT_LENGTH`` (413).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from enum import Enum
from typing import Any, TypeVar

from flask import request
from werkzeug.exceptions import UnsupportedMediaType

from pki.errors import ErrorCode, InvalidInput

_E = TypeVar("_E", bound=Enum)
_URLSAFE = str.maketrans("-_", "+/")


def json_object() -> dict[str, Any]:
    """The request body as a JSON object. Raises :class:`InvalidInput` for anything else."""
    if not request.is_json:
        raise UnsupportedMediaType()  # 415 problem: send application/json
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise InvalidInput(ErrorCode.MALFORMED_JSON, "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise InvalidInput(ErrorCode.EXPECTED_JSON_OBJECT, "the body must be a JSON object")
    return body


def string(body: dict[str, Any], name: str, *, max_length: int = 256, required: bool = True) -> str | None:
    """``body[name]`` as a non-empty string of at most ``max_length`` characters (None: optional, absent)."""
    value = body.get(name)
    if value is None:
        if required:
            raise InvalidInput(ErrorCode.MISSING_FIELD, f"{name} is required", field=name)
        return None
    if not isinstance(value, str):
        raise InvalidInput(ErrorCode.WRONG_TYPE, f"{name} must be a string", field=name)
    if not value or len(value) > max_length:
        raise InvalidInput(ErrorCode.INVALID_VALUE, f"{name} must be 1-{max_length} characters", field=name)
    return value


def required_string(body: dict[str, Any], name: str, *, max_length: int = 256) -> str:
    """Like :func:`string` with ``required=True``, typed as ``str``."""
    value = string(body, name, max_length=max_length)
    assert value is not None
    return value


def base64_bytes(body: dict[str, Any], name: str, *, max_bytes: int, required: bool = True) -> bytes | None:
    """``body[name]`` decoded from standard base64 (whitespace ignored), at most ``max_bytes`` decoded."""
    text = string(body, name, max_length=(max_bytes * 4) // 3 + 4096, required=required)
    if text is None:
        return None
    return decode_base64(text, name)


def decode_base64(text: str, name: str) -> bytes:
    """Standard base64 (or base64url), whitespace ignored. Raises InvalidInput(``invalid_base64``)."""
    compact = "".join(text.split())
    if "-" in compact or "_" in compact:
        compact = compact.translate(_URLSAFE) + "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(ErrorCode.INVALID_BASE64, f"{name} is not valid base64", field=name) from None


def enum_value(body: dict[str, Any], name: str, kind: type[_E], *, required: bool = True) -> _E | None:
    """``body[name]`` as a member of ``kind`` (by value)."""
    text = string(body, name, max_length=64, required=required)
    if text is None:
        return None
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise InvalidInput(ErrorCode.INVALID_VALUE, f"{name} must be one of: {allowed}", field=name) from None


def timestamp(value: Any, name: str) -> dt.datetime:
    """An ISO 8601 date-time with a UTC offset (``Z`` allowed), as tz-aware UTC."""
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInput(ErrorCode.WRONG_TYPE, f"{name} must be an ISO 8601 date-time string", field=name)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            ErrorCode.INVALID_DATETIME, f"{name} is not an ISO 8601 date-time", field=name
        ) from None
    if parsed.tzinfo is None:
        raise InvalidInput(
            ErrorCode.INVALID_DATETIME, f"{name} needs a UTC offset, e.g. 2026-01-31T12:00:00Z", field=name
        )
    return parsed.astimezone(dt.UTC)


def optional_timestamp(body: dict[str, Any], name: str) -> dt.datetime | None:
    """``body[name]`` as :func:`timestamp`, or None when absent or null."""
    value = body.get(name)
    return None if value is None else timestamp(value, name)


def boolean(body: dict[str, Any], name: str, *, default: bool) -> bool:
    """``body[name]`` as a JSON boolean (``default`` when absent)."""
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise InvalidInput(ErrorCode.WRONG_TYPE, f"{name} must be true or false", field=name)
    return value


def query_int(name: str, *, default: int, minimum: int = 0, maximum: int = 2**53) -> int:
    """The query parameter ``name`` as an integer in [minimum, maximum] (``default`` when absent)."""
    value = optional_query_int(name, minimum=minimum, maximum=maximum)
    return default if value is None else value


def optional_query_int(name: str, *, minimum: int = 0, maximum: int = 2**53) -> int | None:
    """The query parameter ``name`` as an integer in [minimum, maximum], or None when absent."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 16 or not minimum <= int(raw) <= maximum:
        raise InvalidInput(
            ErrorCode.INVALID_VALUE, f"{name} must be an integer {minimum}-{maximum}", field=name
        )
    return int(raw)


def query_string(name: str, *, max_length: int = 200) -> str | None:
    """The query parameter ``name`` (at most ``max_length`` characters), or None when absent."""
    raw = request.args.get(name)
    if raw is not None and not 0 < len(raw) <= max_length:
        raise InvalidInput(ErrorCode.INVALID_VALUE, f"{name} must be 1-{max_length} characters", field=name)
    return raw
