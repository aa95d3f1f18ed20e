"""The one clock. Domain code never reads time itself; ``api/`` passes ``at`` from here.

A :data:`Clock` is a callable returning the current time as a tz-aware UTC datetime. The app
factory takes one (default :func:`system_clock`); tests inject :func:`fixed_clock` or their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pki.calendar import iso_time  # the one ISO 8601 "Z" form, under the name the blueprints use

__all__ = ["Clock", "fixed_clock", "iso_time", "system_clock"]

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The wall-clock time, tz-aware UTC."""
    return dt.datetime.now(dt.UTC)


def fixed_clock(at: dt.datetime) -> Clock:
    """A clock that always answers ``at`` (converted to UTC). Raises ValueError for a naive ``at``."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: pass a tz-aware UTC time")
    frozen = at.astimezone(dt.UTC)
    return lambda: frozen
