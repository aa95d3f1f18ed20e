"""The documents side's SQLAlchemy 2.0 declarative base (times in :class:`storage.UtcDateTime`).

The engine and sessions are the caller's (``api/``); this package takes a ``sessionmaker`` and opens short
``with sm.begin()`` transactions.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from storage import UtcDateTime

__all__ = ["Base", "UtcDateTime"]


class Base(DeclarativeBase):
    """Declarative base for documents, their access grants and the views of them."""
