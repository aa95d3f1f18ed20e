"""Statements run on the driver (storage.Prepared), on the database of the run (SQLite, and PostgreSQL in
its half): what goes in and comes out is what a Core execution of the same statement binds and returns, in
the caller's transaction, with the driver's errors raised as SQLAlchemy raises them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage import Prepared, UtcDateTime
from tests.databases import database_url

METADATA = MetaData()
ITEMS = Table(
    "prepared_items",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String(40), nullable=False, unique=True),
    Column("at", UtcDateTime, nullable=False),
    Column("blob", LargeBinary),
    Column("details", JSON),
    Column("kind", String(10), nullable=False, server_default="plain"),
)
AT = dt.datetime(2026, 12, 3, 6, 30, 15, 123456, tzinfo=dt.UTC)
ROW = {"name": "first", "at": AT, "blob": b"\x00\xff", "details": {"checks": [1, "two"], "ok": True}}

INSERT = Prepared(insert(ITEMS))
BY_NAME = Prepared(select(ITEMS).where(ITEMS.c.name == bindparam("name")))


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    engine = create_engine(database_url(tmp_path / "prepared.db"))
    METADATA.drop_all(engine)
    METADATA.create_all(engine)
    yield engine
    METADATA.drop_all(engine)
    engine.dispose()


def test_a_row_inserted_and_read_on_the_driver_is_the_row_core_writes_and_reads(engine: Engine) -> None:
    with engine.connect() as connection:
        INSERT.execute(connection, ROW)
        connection.execute(insert(ITEMS), {**ROW, "name": "by core"})
        connection.commit()
    with engine.connect() as connection:
        core = [tuple(r) for r in connection.execute(select(ITEMS).order_by(ITEMS.c.id))]
        driver = [BY_NAME.first(connection, {"name": n}) for n in ("first", "by core")]
    assert [tuple(r) for r in driver] == core
    first = driver[0]
    assert first.at == AT and first.at.tzinfo is dt.UTC  # UtcDateTime's processors ran both ways
    assert first.blob == b"\x00\xff" and isinstance(first.blob, bytes)
    assert first.details == ROW["details"] and first.kind == "plain"


def test_a_select_with_literal_values_and_labels_gives_named_fields(engine: Engine) -> None:
    statement = select(ITEMS.c.name.label("label"), ITEMS.c.at).where(
        ITEMS.c.kind == "plain", ITEMS.c.name == bindparam("name")
    )
    with engine.connect() as connection:
        INSERT.execute(connection, ROW)
        row = Prepared(statement).first(connection, {"name": "first"})
        assert row is not None and row.label == "first" and row.at == AT
        assert Prepared(statement).first(connection, {"name": "none such"}) is None


def test_the_statements_run_in_the_callers_transaction(engine: Engine) -> None:
    with engine.connect() as connection:
        INSERT.execute(connection, ROW)
        assert connection.in_transaction()
        connection.rollback()
    with engine.connect() as connection:
        assert BY_NAME.first(connection, {"name": "first"}) is None
        INSERT.execute(connection, ROW)
        connection.commit()
    with engine.connect() as connection:
        assert BY_NAME.first(connection, {"name": "first"}) is not None


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it_and_the_connection_recovers(engine: Engine) -> None:
    with engine.connect() as connection:
        INSERT.execute(connection, ROW)
        with pytest.raises(IntegrityError) as raised:  # the unique name
            INSERT.execute(connection, ROW)
        assert isinstance(raised.value.orig, engine.dialect.loaded_dbapi.Error)
        connection.rollback()
        with pytest.raises(
            DBAPIError
        ) as missing:  # OperationalError on SQLite, ProgrammingError on PostgreSQL
            Prepared(text("SELECT missing FROM nowhere")).rows(connection, {})
        assert isinstance(missing.value.orig, engine.dialect.loaded_dbapi.Error)
        connection.rollback()
        assert BY_NAME.first(connection, {"name": "first"}) is None


def test_the_engines_cursor_events_see_each_statement(engine: Engine) -> None:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2].split()[0].upper()))
    with engine.connect() as connection:
        INSERT.execute(connection, ROW)
        BY_NAME.first(connection, {"name": "first"})
    assert seen == ["INSERT", "SELECT"]


def test_what_a_core_execution_would_compute_is_refused_when_compiled(engine: Engine) -> None:
    with_default = Table("prepared_defaults", MetaData(), Column("id", Integer, primary_key=True),
                         Column("made", Integer, default=lambda: 7))  # fmt: skip
    expanding = select(ITEMS).where(ITEMS.c.name.in_(bindparam("names", expanding=True)))
    with engine.connect() as connection:
        with pytest.raises(TypeError, match="Python-side defaults"):
            Prepared(insert(with_default)).execute(connection, {"id": 1})
        with pytest.raises(TypeError, match="expanding"):
            Prepared(expanding).rows(connection, {"names": ["first"]})
        with pytest.raises(TypeError, match="callable"):
            Prepared(select(ITEMS).where(ITEMS.c.name == bindparam("n", callable_=lambda: "first"))).rows(
                connection, {}
            )
        with pytest.raises(TypeError, match="no value"):
            BY_NAME.rows(connection, {"other": 1})
