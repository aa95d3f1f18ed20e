"""The CA side's SQLAlchemy 2.0 declarative base. Every ca_sim table derives from :class:`Base`.

The engine and sessions are created by the caller (``api/``); ca_sim code takes a
``sqlalchemy.orm.sessionmaker`` and opens short transactions with ``session.begin()``,
so a refused or failed operation writes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for the CA hierarchy, issued certificates, revocations, operators and audit."""
