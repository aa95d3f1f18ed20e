"""Shared fixtures for the unis tests: a fresh SQLite database per test (a file, so threads share it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from api.database import dispose, open_database
from tests.databases import database_url

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def sm(tmp_path) -> Iterator[sessionmaker[Session]]:
    factory = open_database(database_url(tmp_path / "unis.db"))
    yield factory
    dispose(factory)
