"""Calendar arithmetic shared by issuance (validity terms) and login rules (UNIS-12)."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

_D = TypeVar("_D", dt.date, dt.datetime)


def add_years(value: _D, years: int) -> _D:
    """``value`` moved by whole calendar years, keeping time of day and tzinfo.

    29 February becomes 1 March in a non-leap target year, the same convention as
    :func:`pki.iin.age_on` (rules.md EDS-14).
    """
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, month=3, day=1)


def ensure_utc(value: dt.datetime) -> dt.datetime:
    """Return ``value`` as tz-aware UTC. Raises ValueError for a naive datetime (ambiguous)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass a tz-aware UTC time")
    return value.astimezone(dt.UTC)
