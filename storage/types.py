"""The UTC timestamp column type of every table (a type adaptor: no I/O), and the bound of row ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# The largest row id of a table: an Integer primary key is PostgreSQL's 32-bit ``integer``, so a larger
# id (in a path or a query) is refused as input before it reaches a statement the database would reject.
MAX_ROW_ID = 2**31 - 1


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and read back tz-aware UTC, identically on SQLite and PostgreSQL.

    Binding a naive datetime raises ValueError (ambiguous); aware values are converted to UTC first,
    so comparisons in SQL are comparisons of UTC instants on every backend.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a tz-aware UTC time")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)
