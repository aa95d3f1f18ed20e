"""Reading the audit log for auditors (PD-22, EDS-21): filtered pages, newest first, and the filtered log
streamed oldest first for export, each entry with what its hash covers, so an export can be checked
outside the service (:func:`first_unsound`).

Filters are exact matches on ``actor``, ``action`` and ``target`` and an interval of instants
``[since, until)``; each is an indexed column (``actor`` and ``target`` with ``seq``, ``action``, ``at``).
Pages are keyset pages on ``seq`` (``before_seq`` / ``after_seq``), one bounded query each: nothing reads
the whole log into memory; :func:`stream` reads it in batches of :data:`STREAM_BATCH` rows.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from ca_sim.audit import GENESIS_HASH, AuditEntry, entry_hash
from pki.calendar import ensure_utc

MAX_PAGE = 200
STREAM_BATCH = 1000
EXPORT_FIELDS = (
    "seq",
    "at",
    "actor",
    "action",
    "target",
    "outcome",
    "details",
    "subject_seal",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class AuditQuery:
    """What to show; None means any. ``since`` is inclusive and ``until`` exclusive (tz-aware instants)."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@dataclass(frozen=True)
class ChainedEntry:
    """An entry with the values its hash covers (``at`` to the microsecond, ``subject_seal``)."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    target: str
    outcome: str
    details: dict[str, Any]
    subject_seal: str | None
    prev_hash: str
    hash: str

    def to_export(self) -> dict[str, Any]:
        """The entry as one export record (:data:`EXPORT_FIELDS`; ``at`` as ISO 8601 UTC, microseconds)."""
        return {
            "seq": self.seq,
            "at": ensure_utc(self.at).isoformat(timespec="microseconds"),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "outcome": self.outcome,
            "details": self.details,
            "subject_seal": self.subject_seal,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def _filtered(query: AuditQuery) -> Select[AuditEntry]:
    statement = select(AuditEntry)
    if query.actor is not None:
        statement = statement.where(AuditEntry.actor == query.actor)
    if query.action is not None:
        statement = statement.where(AuditEntry.action == query.action)
    if query.target is not None:
        statement = statement.where(AuditEntry.target == query.target)
    if query.since is not None:
        statement = statement.where(AuditEntry.at >= ensure_utc(query.since))
    if query.until is not None:
        statement = statement.where(AuditEntry.at < ensure_utc(query.until))
    return statement


def page_statement(
    query: AuditQuery, *, before_seq: int | None = None, after_seq: int | None = None, limit: int
) -> Select[AuditEntry]:
    """The one query of :func:`page` (exposed so a test can read its plan)."""
    statement = _filtered(query)
    if after_seq is not None:
        return statement.where(AuditEntry.seq > after_seq).order_by(AuditEntry.seq).limit(limit)
    if before_seq is not None:
        statement = statement.where(AuditEntry.seq < before_seq)
    return statement.order_by(AuditEntry.seq.desc()).limit(limit)


def page(
    sm: sessionmaker[Session],
    query: AuditQuery,
    *,
    before_seq: int | None = None,
    after_seq: int | None = None,
    limit: int = 50,
) -> list[ChainedEntry]:
    """Up to ``limit`` (1..:data:`MAX_PAGE`) entries matching ``query``, newest first: the newest ones, or
    those just older than ``before_seq``, or just newer than ``after_seq``. Raises ValueError for a limit out
    of range or a naive instant."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit must be 1-{MAX_PAGE}")
    statement = page_statement(query, before_seq=before_seq, after_seq=after_seq, limit=limit)
    with sm() as session:
        found = [_chained(row) for row in session.scalars(statement)]
    return found[::-1] if after_seq is not None else found


def stream(sm: sessionmaker[Session], query: AuditQuery) -> Iterator[ChainedEntry]:
    """Every entry matching ``query``, oldest first, read :data:`STREAM_BATCH` rows at a time (the session
    stays open until the iterator is exhausted or closed)."""
    statement = _filtered(query).order_by(AuditEntry.seq).execution_options(yield_per=STREAM_BATCH)
    with sm() as session:
        for row in session.scalars(statement):
            yield _chained(row)


def first_unsound(records: Iterable[Mapping[str, Any]]) -> int | None:
    """The ``seq`` of the first exported record (:meth:`ChainedEntry.to_export`, in ``seq`` order) whose
    hash does not match its content, or that does not link to the record before it when that one is its
    predecessor (a filtered export has gaps; entry 1 must link to the genesis hash); None when all are
    sound. Raises KeyError / ValueError for a record that lacks a field or has a malformed one."""
    previous: Mapping[str, Any] | None = None
    for record in records:
        seq = int(record["seq"])
        entry = AuditEntry(
            seq=seq,
            at=dt.datetime.fromisoformat(str(record["at"])),
            actor=record["actor"],
            action=record["action"],
            target=record["target"],
            outcome=record["outcome"],
            subject_seal=record["subject_seal"] or None,
        )
        expected_prev = GENESIS_HASH if seq == 1 else None
        if previous is not None and int(previous["seq"]) == seq - 1:
            expected_prev = previous["hash"]
        if expected_prev is not None and record["prev_hash"] != expected_prev:
            return seq
        if not hmac.compare_digest(entry_hash(record["prev_hash"], entry, record["details"]), record["hash"]):
            return seq
        previous = record
    return None


def _chained(row: AuditEntry) -> ChainedEntry:
    return ChainedEntry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        outcome=row.outcome,
        details=json.loads(row.details),
        subject_seal=row.subject_seal,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
