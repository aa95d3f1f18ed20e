"""The hash-chained audit log: personal-data law Art. 22 (record actions, no full IIN), tamper evidence."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from api.database import dispose, open_database
from ca_sim.audit import AuditEntry, AuditHead, AuditLog, Outcome, derive_head_key, scrub
from tests.databases import database_url

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
KEY = derive_head_key(b"test passphrase")


@pytest.fixture
def sm(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A fresh database made by the migrations, as every command opens it."""
    factory = open_database(database_url(tmp_path / "audit.db"))
    yield factory
    dispose(factory)


@pytest.fixture
def log(sm: sessionmaker[Session]) -> AuditLog:
    audit = AuditLog(sm, KEY)
    for i in range(6):
        at = T0 + dt.timedelta(minutes=i)
        audit.record("op-nca", "revoke", f"nca:{i:040x}", Outcome.SUCCESS, {"n": i}, at)
    return audit


def _edit(sm: sessionmaker[Session], seq: int, **values: object) -> None:
    with sm.begin() as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == seq).values(**values))


def test_intact_chain_verifies(log: AuditLog) -> None:
    report = log.verify_chain()
    assert report.ok and report.entries == 6 and report.broken_seq is None


def test_empty_log_verifies(sm: sessionmaker[Session]) -> None:
    assert AuditLog(sm, KEY).verify_chain().ok


def test_audit_edited_entry_is_named(log: AuditLog, sm: sessionmaker[Session]) -> None:
    _edit(sm, 3, outcome="refused")
    report = log.verify_chain()
    assert not report.ok and report.broken_seq == 3 and "edited" in (report.problem or "")


def test_audit_edited_details_is_named(log: AuditLog, sm: sessionmaker[Session]) -> None:
    _edit(sm, 2, details='{"n":99}')
    assert log.verify_chain().broken_seq == 2


def test_audit_deleted_middle_entry_is_named(log: AuditLog, sm: sessionmaker[Session]) -> None:
    with sm.begin() as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq == 4))
    report = log.verify_chain()
    assert not report.ok and report.broken_seq == 4 and "deleted" in (report.problem or "")


def test_audit_deleted_last_entries_are_named(log: AuditLog, sm: sessionmaker[Session]) -> None:
    with sm.begin() as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq >= 5))
    report = log.verify_chain()
    assert not report.ok and report.broken_seq == 5 and "deleted" in (report.problem or "")


def test_audit_truncation_with_rewritten_head_is_detected(log: AuditLog, sm: sessionmaker[Session]) -> None:
    """Deleting the last entry AND moving the head back still fails: the head's HMAC needs the key."""
    with sm.begin() as s:
        last_kept = s.scalars(select(AuditEntry).where(AuditEntry.seq == 5)).one()
        s.execute(delete(AuditEntry).where(AuditEntry.seq == 6))
        s.execute(update(AuditHead).values(seq=5, hash=last_kept.hash))
    report = log.verify_chain()
    assert not report.ok and "head" in (report.problem or "")


def test_audit_inserted_entry_is_named(log: AuditLog, sm: sessionmaker[Session]) -> None:
    """An entry slipped in at 3 (later ones renumbered) breaks the link there."""
    with sm.begin() as s:
        for seq in range(6, 2, -1):
            s.execute(update(AuditEntry).where(AuditEntry.seq == seq).values(seq=seq + 1))
        forged = s.scalars(select(AuditEntry).where(AuditEntry.seq == 2)).one()
        s.add(
            AuditEntry(
                seq=3,
                at=T0,
                actor="intruder",
                action="revoke",
                target="nca:00",
                outcome="success",
                details="{}",
                prev_hash=forged.hash,
                hash="0" * 64,
            )
        )
        s.execute(update(AuditHead).values(seq=7))
    report = log.verify_chain()
    assert not report.ok and report.broken_seq == 3


def test_audit_replaced_last_entry_is_named(log: AuditLog, sm: sessionmaker[Session]) -> None:
    _edit(sm, 6, actor="someone else")
    assert log.verify_chain().broken_seq == 6


def test_audit_wrong_key_fails(log: AuditLog, sm: sessionmaker[Session]) -> None:
    assert not AuditLog(sm, derive_head_key(b"another secret")).verify_chain().ok


def test_audit_never_holds_full_iin(log: AuditLog, sm: sessionmaker[Session]) -> None:
    iin = "900101300123"
    details = {"iin": iin, "list": [iin]}
    log.record(f"owner IIN{iin}", "lookup_owner", f"iin:{iin}", Outcome.SUCCESS, details, T0)
    with sm() as s:
        raw = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        text = raw.actor + raw.target + raw.details
    assert iin not in text and "********0123" in text
    assert log.verify_chain().ok


def test_scrub_leaves_serials_and_hashes_alone() -> None:
    serial = "4279390a141f5353a62947b61ed65e81741467d1"
    assert scrub(f"nca:{serial}") == f"nca:{serial}"
    assert scrub("a123456789012b") == "a123456789012b"
    assert scrub("IIN123456789012") == "IIN********9012"


def test_audit_concurrent_appends_keep_one_chain(sm: sessionmaker[Session]) -> None:
    audit = AuditLog(sm, KEY)

    def worker(n: int) -> None:
        for i in range(10):
            audit.record(f"w{n}", "login", "-", "refused", {"i": i}, T0)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = audit.verify_chain()
    assert report.ok and report.entries == 40


def test_audit_rejects_naive_time(sm: sessionmaker[Session]) -> None:
    with pytest.raises(ValueError):
        AuditLog(sm, KEY).record("a", "b", "c", "success", None, dt.datetime(2026, 1, 1))
