"""The UNIS side's SQLAlchemy 2.0 declarative base.

Every unis table derives from :class:`Base`; times use :class:`storage.UtcDateTime`. The engine and
sessions are created by the caller (``api/``); unis code takes a ``sessionmaker`` and opens short
``with sm.begin()`` transactions, so a refused or failed operation writes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from storage import UtcDateTime

__all__ = ["Base", "UtcDateTime"]


class Base(DeclarativeBase):
    """Declarative base for UNIS accounts, login challenges and login records."""
