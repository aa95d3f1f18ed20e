"""Kazakhstan's calendar for legal dates, and calendar arithmetic (rules.md KZ-TIME).

Instants are tz-aware UTC everywhere in kzpki. A *legal date* (an age under EDS-14, UNIS-12's
calendar year, the end of a UNIS-5-1 suspension, EDS-16's five years) is the calendar date of the
instant in Kazakhstan, which keeps one time zone, UTC+5 (Asia/Almaty since 1 March 2024). The zone
is the one setting :data:`KZ_TIME`; nothing else in the code names a zone. Instants written into
documents (JSON bodies, records, statements) take the one ISO 8601 "Z" form of :func:`iso_time`.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar, overload
from zoneinfo import ZoneInfo

from pki.errors import ErrorCode, InvalidInput

_D = TypeVar("_D", dt.date, dt.datetime)

# The instants a check may run "as of": [EARLIEST_INSTANT, LATEST_INSTANT) UTC. Checks add validity
# periods, clock skew and CRL intervals to the instant they are given, and ``datetime`` overflows near
# years 1 and 9999; 1950 is where X.509's UTCTime starts (RFC 5280 4.1.2.5).
EARLIEST_INSTANT = dt.datetime(1950, 1, 1, tzinfo=dt.UTC)
LATEST_INSTANT = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)

# KZ-TIME: the zone whose calendar dates are Kazakhstan's legal dates. Loaded from the system zone
# database or, where there is none, from the `tzdata` package (a dependency for that reason).
KZ_TIME = ZoneInfo("Asia/Almaty")


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


def bounded_instant(value: dt.datetime) -> dt.datetime:
    """``value`` as tz-aware UTC, when it lies in [:data:`EARLIEST_INSTANT`, :data:`LATEST_INSTANT`).

    Raises InvalidInput(``datetime_out_of_range``) outside that range, also where the conversion to UTC
    itself overflows (``0001-01-01T00:00:00+14:00``); ValueError for a naive datetime.
    """
    try:
        utc = ensure_utc(value)
    except OverflowError:
        raise _out_of_range() from None
    if not EARLIEST_INSTANT <= utc < LATEST_INSTANT:
        raise _out_of_range()
    return utc


def _out_of_range() -> InvalidInput:
    return InvalidInput(
        ErrorCode.DATETIME_OUT_OF_RANGE,
        f"the time must lie between {EARLIEST_INSTANT:%Y-%m-%d} and {LATEST_INSTANT:%Y-%m-%d} UTC",
    )


def kz_date(at: dt.datetime) -> dt.date:
    """The legal date of the instant ``at`` in Kazakhstan (KZ-TIME).

    2026-12-01T18:59:59Z is 1 December, 2026-12-01T19:00:00Z is already 2 December.
    Raises ValueError for a naive datetime.
    """
    return ensure_utc(at).astimezone(KZ_TIME).date()


def kz_day_start(day: dt.date) -> dt.datetime:
    """The UTC instant at which the Kazakh date ``day`` begins (00:00 in Asia/Almaty)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=KZ_TIME).astimezone(dt.UTC)


def years_elapsed(since: dt.datetime, at: dt.datetime, years: int) -> bool:
    """True when ``at`` falls on a Kazakh date after the ``years``-th anniversary of ``since``'s date.

    A term of N years counted from a day ends with that day's anniversary (29 February: 1 March in a
    non-leap year): "more than a calendar year" (UNIS-12) starts on the day after the anniversary,
    and "kept at least five years" (EDS-16) ends on the anniversary. Both dates are KZ-TIME dates.
    Raises ValueError for naive datetimes.
    """
    return kz_date(at) > add_years(kz_date(since), years)


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time as a UTC instant.

    A date alone (``2026-12-15``) is a legal date and means the start of that day in Kazakhstan
    (KZ-TIME: 2026-12-14T19:00:00Z); a date-time without an offset is taken as UTC. Raises
    ValueError when ``text`` is neither, InvalidInput(``datetime_out_of_range``) when the instant lies
    outside the range of :func:`bounded_instant` (``9999-12-31T23:59:59Z``, ``0001-01-01T00:00+14:00``).
    """
    try:
        if len(text) == 10:
            return bounded_instant(kz_day_start(dt.date.fromisoformat(text)))
        value = dt.datetime.fromisoformat(text)
    except OverflowError:  # a date whose Kazakh day starts before year 1 in UTC
        raise _out_of_range() from None
    return bounded_instant(value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value)


@overload
def iso_time(value: dt.datetime) -> str: ...
@overload
def iso_time(value: None) -> None: ...
def iso_time(value: dt.datetime | None) -> str | None:
    """``value`` as ISO 8601 UTC with a ``Z`` (``2026-01-31T12:00:00.250000Z``; microseconds only when
    non-zero), the form every API response, login record and biometric statement uses; None stays None.
    An aware ``value`` is converted to UTC; a naive one is read as local time (pass aware times).
    """
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
