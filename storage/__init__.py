"""What ca_sim and unis share to store their records: SQLAlchemy column types, the Core connection
helpers of their hot paths (:mod:`storage.connections`, among them the connection a login lends its
register read), the per-login statements run on the driver (:mod:`storage.prepared`), and no tables.

It sits between pki (pure, no database) and the two packages that own tables: it imports only
SQLAlchemy and pki, and nothing of ours imports it but ca_sim, unis and api (import contracts in
pyproject.toml). Each of ca_sim and unis keeps its own declarative base and its own tables.
"""

from __future__ import annotations

from storage.connections import core, engine_of, lending, reading
from storage.prepared import Prepared
from storage.types import MAX_ROW_ID, UtcDateTime
from storage.writers import serialised_writes

__all__ = [
    "MAX_ROW_ID",
    "Prepared",
    "UtcDateTime",
    "core",
    "engine_of",
    "lending",
    "reading",
    "serialised_writes",
]
