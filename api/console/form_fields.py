"""Reading the console's posted and query fields: each bad value becomes InvalidInput with a stable code
(a 400 refusal page naming the field), never an exception the page does not expect."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import TypeVar

from api.models.fields import has_control_characters
from pki.calendar import EARLIEST_INSTANT, LATEST_INSTANT, kz_day_start
from pki.errors import ErrorCode, InvalidInput
from storage import MAX_ROW_ID

_DIGITS12 = re.compile(r"^\d{12}$")
_Member = TypeVar("_Member", bound=StrEnum)


def choice(value: str, allowed: tuple[_Member, ...], field: str) -> _Member:
    """The member of ``allowed`` whose value is ``value``. Raises InvalidInput ``invalid_value``."""
    for member in allowed:
        if member.value == value:
            return member
    raise InvalidInput(ErrorCode.INVALID_VALUE, "one of: " + ", ".join(m.value for m in allowed), field=field)


def iin(value: str) -> str:
    """``value`` stripped, when it is 12 digits. Raises InvalidInput ``invalid_iin``."""
    value = value.strip()
    if not _DIGITS12.match(value):
        raise InvalidInput(ErrorCode.INVALID_IIN, "an IIN is 12 digits", field="iin")
    return value


def text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    """``value`` stripped, of 1 (0 when not ``required``) to ``max_length`` characters, without control
    characters (the API's rule, ``api.models.fields.has_control_characters``). Raises InvalidInput
    ``invalid_value`` or ``invalid_characters``."""
    value = value.strip()
    if len(value) > max_length or (required and not value):
        raise InvalidInput(ErrorCode.INVALID_VALUE, f"1 to {max_length} characters", field=field)
    if has_control_characters(value):
        raise InvalidInput(ErrorCode.INVALID_CHARACTERS, "no control characters", field=field)
    return value


def row_id(value: str, field: str, *, minimum: int = 1) -> int:
    """A row number in [``minimum``, :data:`storage.MAX_ROW_ID`]. Raises InvalidInput ``invalid_value``."""
    if not value.isdigit() or not minimum <= int(value) <= MAX_ROW_ID:
        raise InvalidInput(ErrorCode.INVALID_VALUE, f"a number from {minimum}", field=field)
    return int(value)


def kz_date(value: str, field: str, *, earliest_year: int = EARLIEST_INSTANT.year) -> dt.date:
    """The date ``YYYY-MM-DD`` (a Kazakh date, KZ-TIME). Raises InvalidInput ``invalid_datetime`` for another
    text or a date outside [``earliest_year`` (1950 unless given: a date of birth may be earlier), 8999)."""
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not earliest_year <= day.year < LATEST_INSTANT.year - 1:
        raise InvalidInput(ErrorCode.INVALID_DATETIME, "a date, e.g. 2026-12-15", field=field)
    return day


def kz_date_start(value: str, field: str) -> dt.datetime:
    """The UTC instant the Kazakh date ``value`` begins (00:00 in Kazakhstan, KZ-TIME); errors as
    :func:`kz_date`."""
    return kz_day_start(kz_date(value, field))
