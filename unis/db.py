"""The UNIS side's SQLAlchemy 2.0 declarative base and column types.

Every unis table derives from :class:`Base`. The engine and sessions are created by the
caller (``api/``); unis code takes a ``sessionmaker`` and opens short ``with sm.begin()``
transactions, so a refused or failed operation writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    """Declarative base for UNIS accounts, login challenges and login records."""


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and read back tz-aware UTC, identically on SQLite and PostgreSQL.

    Writing a naive datetime raises ValueError: every time in this package is tz-aware UTC.
    Comparisons in SQL (``expires_at > :at``) work because every stored value has the same form.
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
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)
