"""Database leases (ca_sim.leases): one holder at a time across instances sharing a database, expiry
takeover, renewal and release; on SQLite and, in the PostgreSQL half of the run, on PostgreSQL. Each
"instance" here is its own engine on the same database, as two ``kzpki serve`` processes would have."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from api.database import dispose, open_database
from ca_sim.leases import Leases
from tests.databases import database_url

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(seconds=30)
S = dt.timedelta(seconds=1)
NAME = "crl-publisher"


@pytest.fixture
def instances(tmp_path: Path) -> Iterator[tuple[sessionmaker[Session], sessionmaker[Session]]]:
    """Two engines (two instances) on one database, made by the migrations."""
    url = database_url(tmp_path / "leases.db")
    first, second = open_database(url), open_database(url)
    yield first, second
    dispose(first)
    dispose(second)


def test_two_contenders_one_holds(instances) -> None:
    a, b = Leases(instances[0]), Leases(instances[1])
    granted = a.acquire(NAME, "a", T0, TTL)
    assert granted is not None and granted.expires_at == T0 + TTL and granted.acquired_at == T0
    assert b.acquire(NAME, "b", T0 + S, TTL) is None
    assert b.acquire(NAME, "b", T0 + TTL - S, TTL) is None  # still held until its expiry
    assert a.holder(NAME, T0 + S) == "a" and b.holder(NAME, T0 + S) == "a"


def test_renewal_extends_the_lease_and_keeps_its_start(instances) -> None:
    a, b = Leases(instances[0]), Leases(instances[1])
    a.acquire(NAME, "a", T0, TTL)
    renewed = a.acquire(NAME, "a", T0 + 20 * S, TTL)
    assert renewed is not None and renewed.acquired_at == T0 and renewed.expires_at == T0 + 20 * S + TTL
    assert b.acquire(NAME, "b", T0 + TTL + S, TTL) is None  # past the first expiry, not the renewed one
    assert b.holder(NAME, T0 + TTL + S) == "a"


def test_expired_lease_is_taken_over_and_the_old_holder_refused(instances) -> None:
    a, b = Leases(instances[0]), Leases(instances[1])
    a.acquire(NAME, "a", T0, TTL)
    assert a.holder(NAME, T0 + TTL) is None  # expired at T0 + TTL exactly
    taken = b.acquire(NAME, "b", T0 + TTL, TTL)
    assert taken is not None and taken.acquired_at == T0 + TTL
    assert a.acquire(NAME, "a", T0 + TTL + S, TTL) is None  # a dead holder that wakes up does not get it back
    assert a.release(NAME, "a", T0 + TTL + S) is False  # nor can it end b's lease
    assert a.holder(NAME, T0 + TTL + S) == "b"


def test_release_lets_the_next_contender_take_it_at_once(instances) -> None:
    a, b = Leases(instances[0]), Leases(instances[1])
    a.acquire(NAME, "a", T0, TTL)
    assert a.release(NAME, "a", T0 + S) is True
    assert a.holder(NAME, T0 + S) is None
    taken = b.acquire(NAME, "b", T0 + S, TTL)
    assert taken is not None and taken.holder == "b"


def test_leases_are_independent_by_name(instances) -> None:
    a, b = Leases(instances[0]), Leases(instances[1])
    assert a.acquire(NAME, "a", T0, TTL) is not None
    assert b.acquire("other", "b", T0, TTL) is not None


@pytest.mark.parametrize("expired_before", [False, True], ids=["new", "expired"])
def test_concurrent_contenders_exactly_one_wins(instances, expired_before: bool) -> None:
    """Eight threads over two engines contend at the same instant, for a lease that does not exist yet
    (the insert race) or one whose holder lapsed (the conditional-update race): one grant."""
    if expired_before:
        Leases(instances[0]).acquire(NAME, "gone", T0 - TTL, TTL)
    winners: list[str] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(8)

    def contend(holder: str, leases: Leases) -> None:
        try:
            barrier.wait()
            if leases.acquire(NAME, holder, T0, TTL) is not None:
                winners.append(holder)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=contend, args=(f"c{i}", Leases(instances[i % 2]))) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(winners) == 1
    assert Leases(instances[1]).holder(NAME, T0) == winners[0]


def test_naive_time_and_non_positive_ttl_are_refused(instances) -> None:
    leases = Leases(instances[0])
    with pytest.raises(ValueError, match="naive"):
        leases.acquire(NAME, "a", T0.replace(tzinfo=None), TTL)
    with pytest.raises(ValueError, match="positive"):
        leases.acquire(NAME, "a", T0, dt.timedelta(0))
