"""Field types of the request models: each turns one kind of hostile input into a stable problem code.

Use them inside ``Annotated``: ``challenge_id: Annotated[str, Text(200)]``,
``cms: Annotated[bytes, Base64(MAX)]``, ``at: UtcDateTime | None = None``. Every validator raises
:class:`pydantic_core.PydanticCustomError` whose ``type`` is the public code (:mod:`api.operations` turns
the first error into a 400 problem document naming the field):

- ``wrong_type``: not a JSON string where one is needed;
- ``invalid_value``: empty or too long;
- ``invalid_characters``: a NUL or other C0 control character, or a lone UTF-16 surrogate (no database and
  no UTF-8 encoder takes those);
- ``invalid_base64``: not standard base64 (or base64url), whitespace ignored;
- ``invalid_datetime``: not ISO 8601 with a UTC offset;
- ``datetime_out_of_range``: outside [1950-01-01, 9000-01-01) UTC (``pki.calendar.bounded_instant``, the
  range the verifier itself enforces). The verifier adds validity periods and CRL intervals to these
  instants, and years near 1 or 9999 overflow ``datetime``; 1950 is where X.509's UTCTime starts.

The JSON Schema each type publishes is what the OpenAPI document shows and what the Hypothesis test
generates bodies from.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from pki.calendar import bounded_instant, kz_day_start
from pki.errors import ErrorCode, InvalidInput
from pki.keys import is_pem

_URLSAFE = str.maketrans("-_", "+/")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\ud800-\udfff]")


class _Field:
    """A validator plus the JSON Schema it publishes, usable as ``Annotated`` metadata."""

    def validate(self, value: Any) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        return self.json_schema()


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """Whether ``value`` holds NUL, another C0 control character (TAB, LF and CR allowed when
    ``multiline``) or a lone surrogate: what no text field of the API or the console accepts."""
    return (_CONTROL if multiline else _CONTROL_OR_NEWLINE).search(value) is not None


def checked_string(value: Any, max_length: int, *, multiline: bool = False) -> str:
    """``value`` if it is a string of 1..``max_length`` characters without control characters (TAB, LF and
    CR allowed when ``multiline``) or lone surrogates; else a PydanticCustomError with the code."""
    if not isinstance(value, str):
        raise PydanticCustomError(ErrorCode.WRONG_TYPE, "must be a string")
    if not value or len(value) > max_length:
        raise PydanticCustomError(ErrorCode.INVALID_VALUE, "must be 1-{max} characters", {"max": max_length})
    if has_control_characters(value, multiline=multiline):
        raise PydanticCustomError(
            ErrorCode.INVALID_CHARACTERS, "must not contain NUL, control characters or lone surrogates"
        )
    return value


@dataclass(frozen=True)
class Text(_Field):
    """A non-empty string of at most ``max_length`` characters (see :func:`checked_string`)."""

    max_length: int = 256
    multiline: bool = False
    pattern: str | None = None  # published in the schema only; the domain checks the meaning

    def validate(self, value: Any) -> str:
        return checked_string(value, self.max_length, multiline=self.multiline)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.pattern is not None:
            schema["pattern"] = self.pattern
        return schema


def decode_base64(value: str) -> bytes:
    """Standard base64 or base64url, whitespace ignored. Raises PydanticCustomError(``invalid_base64``)."""
    compact = "".join(value.split())
    if "-" in compact or "_" in compact:
        compact = compact.translate(_URLSAFE) + "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise PydanticCustomError(ErrorCode.INVALID_BASE64, "is not valid base64") from None


@dataclass(frozen=True)
class Base64(_Field):
    """Bytes sent as base64 text of at most ``max_length`` characters (whitespace ignored)."""

    max_length: int

    def validate(self, value: Any) -> bytes:
        if not isinstance(value, str):
            raise PydanticCustomError(ErrorCode.WRONG_TYPE, "must be a base64 string")
        if not value or len(value) > self.max_length:
            raise PydanticCustomError(
                ErrorCode.INVALID_VALUE, "must be 1-{max} characters", {"max": self.max_length}
            )
        return decode_base64(value)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "contentEncoding": "base64", "minLength": 1, "maxLength": self.max_length}


@dataclass(frozen=True)
class PemOrBase64(Base64):
    """DER as base64, or PEM text (passed on as the PEM bytes; the domain decodes both)."""

    def validate(self, value: Any) -> bytes:
        if isinstance(value, str) and is_pem(value):
            return checked_string(value, self.max_length, multiline=True).encode("ascii", "replace")
        return super().validate(value)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "minLength": 1,
            "maxLength": self.max_length,
            "description": "PEM, or base64 DER",
        }


class _Instant(_Field):
    def validate(self, value: Any) -> dt.datetime:
        if not isinstance(value, str) or len(value) > 40:
            raise PydanticCustomError(ErrorCode.WRONG_TYPE, "must be an ISO 8601 date-time string")
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(ErrorCode.INVALID_DATETIME, "is not an ISO 8601 date-time") from None
        if parsed.tzinfo is None:
            raise PydanticCustomError(
                ErrorCode.INVALID_DATETIME, "needs a UTC offset, e.g. 2026-01-31T12:00:00Z"
            )
        try:
            return bounded_instant(parsed)  # also 0001-01-01T00:00:00+14:00, before year 1 in UTC
        except InvalidInput:
            raise PydanticCustomError(
                ErrorCode.DATETIME_OUT_OF_RANGE, "must lie between 1950-01-01 and 9000-01-01 UTC"
            ) from None

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date-time", "examples": ["2026-01-31T12:00:00Z"]}


UtcDateTime = Annotated[dt.datetime, _Instant()]
"""An ISO 8601 instant with a UTC offset (``Z`` allowed), as tz-aware UTC in [1950, 9000)."""


class _End(_Instant):
    """An instant, or a bare ISO date meaning the start of that day in Kazakhstan (KZ-TIME)."""

    def validate(self, value: Any) -> dt.datetime:
        if isinstance(value, str) and len(value) == 10:
            try:
                start = kz_day_start(dt.date.fromisoformat(value))
            except ValueError:
                raise PydanticCustomError(ErrorCode.INVALID_DATETIME, "is not an ISO 8601 date") from None
            except OverflowError:  # 0001-01-01 begins in Almaty before year 1 in UTC
                start = dt.datetime.min.replace(tzinfo=dt.UTC)
            return super().validate(start.isoformat())
        return super().validate(value)

    def json_schema(self) -> dict[str, Any]:
        return {
            "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}],
            "examples": ["2026-12-15", "2026-12-15T04:00:00Z"],
        }


EndDateTime = Annotated[dt.datetime, _End()]
"""The end of a term: an instant as :data:`UtcDateTime`, or a bare date ``2026-12-15`` for the start of
that Kazakh day (2026-12-14T19:00:00Z, KZ-TIME)."""
