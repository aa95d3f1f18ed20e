"""The CA side's SQLAlchemy 2.0 declarative base. Every ca_sim table derives from :class:`Base`.

The engine and sessions are created by the caller (``api/``); ca_sim code takes a
``sqlalchemy.orm.sessionmaker`` and opens short transactions with ``session.begin()``,
so a refused or failed operation writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    """Declarative base for the CA hierarchy, issued certificates, revocations, operators and audit."""


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
