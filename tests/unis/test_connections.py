"""The one connection a login lends to its register read (storage.lending / storage.reading), on the
database of the run (SQLite, and PostgreSQL in its half): the read takes the lent connection of its own
engine only, sees what committed before it, and a database error in it leaves the lender's connection
usable for the writes that follow."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from api.database import dispose, open_database
from storage import engine_of, lending, reading
from tests.databases import database_url
from tests.unis.conftest import T0
from unis.challenges import Challenges, ConsumedChallengeRow, derive_challenge_key

KEY = derive_challenge_key(b"test secret")
TTL = dt.timedelta(minutes=5)


def _checkouts(engine) -> list[int]:  # type: ignore[no-untyped-def]
    counted: list[int] = []
    event.listen(engine, "checkout", lambda *_args: counted.append(1))
    return counted


def _consumed(sm) -> int:  # type: ignore[no-untyped-def]
    with sm() as session:
        return session.scalar(select(func.count()).select_from(ConsumedChallengeRow))


def test_a_read_takes_the_lent_connection_and_checks_out_none(sm) -> None:
    engine = engine_of(sm)
    with engine.connect() as connection:
        checkouts = _checkouts(engine)
        with lending(connection):
            with reading(engine) as read:
                assert read is connection
                assert read.execute(text("SELECT 1")).scalar() == 1
        assert checkouts == []
        assert not connection.closed  # the lender still owns it
    with reading(engine) as own:  # nothing lent any more: a checkout of its own, closed on leaving
        assert own is not connection
    assert checkouts == [1] and own.closed


def test_a_read_of_another_engine_or_thread_does_not_take_the_lent_connection(sm, tmp_path) -> None:
    other = open_database(database_url(tmp_path / "other.db"))
    try:
        engine = engine_of(sm)
        with engine.connect() as connection, lending(connection):
            with reading(engine_of(other)) as read:
                assert read is not connection and read.engine is engine_of(other)
            seen: list[object] = []

            def read_in_a_thread() -> None:
                with reading(engine) as read:
                    seen.append(read)

            thread = threading.Thread(target=read_in_a_thread)
            thread.start()
            thread.join()
            assert seen and seen[0] is not connection
    finally:
        dispose(other)


def test_a_read_on_the_lent_connection_sees_what_committed_before_it(sm) -> None:
    """UNIS-11's premise: a change committed (by another connection) after the lender checked out and
    before the read starts is in the read."""
    engine = engine_of(sm)
    challenges = Challenges(sm, KEY)
    with engine.connect() as connection, lending(connection):
        with reading(engine) as read:
            assert read.execute(select(func.count()).select_from(ConsumedChallengeRow)).scalar() == 0
        challenge = challenges.issue(at=T0, ttl=TTL)
        with sm.begin() as session:  # another connection commits in between
            assert Challenges.consume(session, challenge.challenge_id, challenge.expires_at, at=T0)
        with reading(engine) as read:
            assert read.execute(select(func.count()).select_from(ConsumedChallengeRow)).scalar() == 1


def test_a_database_error_in_a_lent_read_propagates_and_the_lender_still_writes(sm) -> None:
    """On PostgreSQL a failed statement aborts its transaction; the read rolls it back, so the lender's
    writes (a login records a refusal after a failed register read) run and commit."""
    engine = engine_of(sm)
    challenge = Challenges(sm, KEY).issue(at=T0, ttl=TTL)
    with engine.connect() as connection:
        with lending(connection), pytest.raises(SQLAlchemyError):
            with reading(engine) as read:
                read.execute(text("SELECT missing FROM no_such_table"))
        assert Challenges.consume(connection, challenge.challenge_id, challenge.expires_at, at=T0)
        connection.commit()
    assert _consumed(sm) == 1
