"""The append-only, hash-chained audit log (personal-data law Art. 22; EDS-21).

Every operator action and every refused request is one :class:`AuditEntry`. Entries are numbered
1, 2, 3, ... without gaps; each entry's ``hash`` is SHA-256 over the previous entry's hash and the
canonical JSON of the entry (sorted keys, no spaces, UTF-8), so editing, inserting, reordering or
deleting an entry breaks the chain from that entry on.

Deleting the LAST entries would leave a shorter chain that is still internally consistent, so a separate
head record keeps the number and hash of the last entry, authenticated with HMAC-SHA256 under a key only
the service knows (derive it from the CA passphrase with :func:`derive_head_key`). A truncated log, a
replaced last entry, and even a chain rewritten from scratch by someone with database access but without
the key are all detected by :meth:`AuditLog.verify_chain`, which names the first bad entry.

Entries about a person (PD-22, PD-24) carry a *subject reference*: HMAC-SHA256 of the IIN under a key
derived from the head key, so the owner's own entries can be found exactly (not by the four digits a
masked IIN keeps) while the log itself holds no IIN. The chain does not cover the reference itself but a
*seal*, SHA-256 over a random per-entry salt and the reference. Retention (PD-18,
:meth:`AuditLog.anonymise_before`) erases reference and salt and keeps the seal: the entry can no longer
be tied to anyone, and :meth:`AuditLog.verify_chain` still verifies every entry, as before.

Entries never hold a full IIN: every string written is scrubbed with :func:`pki.iin.mask` for any
standalone 12-digit number (an IIN or BIN, with or without the ``IIN``/``BIN`` prefix). Keys and passwords
must never be passed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.db import Base, UtcDateTime, lock_row
from pki.calendar import ensure_utc, iso_time
from pki.iin import mask

GENESIS_HASH = "0" * 64
_HEAD_ID = 1
# A standalone 12-digit number (IIN/BIN), optionally prefixed as in the NCA subject ("IIN123456789012").
# Bounded by non-alphanumerics so that runs of digits inside hex serials and hashes are left alone.
_TWELVE_DIGITS = re.compile(r"(?<![0-9A-Za-z])((?:IIN|BIN)?)(\d{12})(?![0-9A-Za-z])")


class Outcome(StrEnum):
    """How the recorded request ended."""

    SUCCESS = "success"
    REFUSED = "refused"  # authentication, authorisation, conflict, not found, rule refusal


class AuditEntry(Base):
    """One audit record. ``details`` is canonical JSON text; ``hash`` chains it to ``prev_hash``."""

    __tablename__ = "audit_entries"
    __table_args__ = (  # the auditors' filters, in seq order (ca_sim.audit_search)
        Index("ix_audit_entries_actor_seq", "actor", "seq"),
        Index("ix_audit_entries_target_seq", "target", "seq"),
    )

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    target: Mapped[str] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # PD-24: HMAC of the IIN the entry is about (None: about nobody, or anonymised under PD-18)
    subject_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    subject_salt: Mapped[str | None] = mapped_column(String(32))
    subject_seal: Mapped[str | None] = mapped_column(String(64))  # in the chain; survives anonymisation


class AuditHead(Base):
    """The single head record: number and hash of the last entry, with an HMAC over both."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class AuditRecord:
    """An entry as read back, for auditors."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    target: str
    outcome: str
    details: dict[str, Any]
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": iso_time(self.at),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "outcome": self.outcome,
            "details": self.details,
        }


@dataclass(frozen=True)
class ChainReport:
    """The result of :meth:`AuditLog.verify_chain`.

    ``broken_seq`` is the number of the first entry found bad (for a deletion: the number that is
    missing); ``problem`` says what was found, in words; both are None when ``ok``.
    """

    ok: bool
    entries: int
    broken_seq: int | None = None
    problem: str | None = None


def derive_head_key(secret: bytes) -> bytes:
    """The 32-byte HMAC key for the head record, derived from a service secret (e.g. the CA passphrase)."""
    return hmac.new(secret, b"kzpki audit head v1", hashlib.sha256).digest()


def scrub(value: str) -> str:
    """``value`` with every standalone 12-digit number (IIN/BIN) masked to its last four digits."""
    return _TWELVE_DIGITS.sub(lambda m: m.group(1) + mask(m.group(2)), value)


def _scrub_json(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, Mapping):
        return {scrub(str(k)): _scrub_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub_json(v) for v in value]
    if isinstance(value, dt.datetime):
        return ensure_utc(value).isoformat()
    return value


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _seal(salt: str, subject_ref: str) -> str:
    return hashlib.sha256(f"{salt}:{subject_ref}".encode("ascii")).hexdigest()


def entry_hash(prev_hash: str, entry: AuditEntry, details: Any) -> str:
    """The SHA-256 (hex) chaining ``entry`` (its ``details`` given parsed) to ``prev_hash``."""
    document: dict[str, Any] = {
        "seq": entry.seq,
        "at": ensure_utc(entry.at).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "outcome": entry.outcome,
        "details": details,
    }
    if entry.subject_seal is not None:  # entries about nobody hash exactly as before subjects existed
        document["subject_seal"] = entry.subject_seal
    return hashlib.sha256(prev_hash.encode("ascii") + _canonical_json(document).encode("utf-8")).hexdigest()


class AuditLog:
    """The audit log over ``sessionmaker``; ``head_key`` authenticates the head record (32 random bytes or
    :func:`derive_head_key` of a service secret). Thread- and process-safe: appends are serialised on the
    head record's row lock.
    """

    def __init__(self, sm: sessionmaker[Session], head_key: bytes) -> None:
        if len(head_key) < 16:
            raise ValueError("the audit head key must be at least 16 bytes")
        self._sm = sm
        self._head_key = head_key
        self._subject_key = hmac.new(head_key, b"kzpki audit subject v1", hashlib.sha256).digest()

    def subject_ref(self, iin: str) -> str:
        """The pseudonymous reference entries about ``iin`` carry (HMAC-SHA256, hex; PD-24)."""
        return hmac.new(self._subject_key, iin.encode("utf-8"), hashlib.sha256).hexdigest()

    def record(
        self,
        actor: str,
        action: str,
        target: str,
        outcome: Outcome | str,
        details: Mapping[str, Any] | None,
        at: dt.datetime,
        subject: str | None = None,
    ) -> int:
        """Append one entry in its own transaction and return its number.

        ``actor`` is who acted (an operator name, ``anonymous``, ``system``), ``action`` a snake_case verb
        (``revoke``, ``login``, ``authenticate``...), ``target`` what it acted on (``nca:<serial hex>``),
        ``outcome`` :class:`Outcome`, ``details`` JSON-able facts (datetimes become ISO strings), ``at``
        tz-aware. Every string is scrubbed of full IINs. ``subject`` is the IIN of the person the entry is
        about (stored only as :meth:`subject_ref`). Raises ValueError for a naive ``at``.
        """
        with self._sm.begin() as session:
            return self.record_in(session, actor, action, target, outcome, details, at, subject)

    def record_in(
        self,
        session: Session,
        actor: str,
        action: str,
        target: str,
        outcome: Outcome | str,
        details: Mapping[str, Any] | None,
        at: dt.datetime,
        subject: str | None = None,
    ) -> int:
        """:meth:`record` inside the caller's transaction, so the entry commits or rolls back with the action.

        Takes the head record's lock: call it before other reads in a SQLite transaction (see
        :func:`ca_sim.db.lock_row`) or after the transaction's first write.
        """
        head = lock_row(
            session,
            AuditHead,
            {"seq": 0, "hash": GENESIS_HASH, "mac": self._mac(0, GENESIS_HASH)},
            id=_HEAD_ID,
        )
        clean_details = _scrub_json(dict(details or {}))
        entry = AuditEntry(
            seq=head.seq + 1,
            at=ensure_utc(at),
            actor=scrub(actor)[:200],
            action=action[:100],
            target=scrub(target)[:300],
            outcome=Outcome(outcome).value,
            details=_canonical_json(clean_details),
            prev_hash=head.hash,
        )
        if subject is not None:
            entry.subject_ref = self.subject_ref(subject)
            entry.subject_salt = secrets.token_hex(16)
            entry.subject_seal = _seal(entry.subject_salt, entry.subject_ref)
        entry.hash = entry_hash(head.hash, entry, clean_details)
        session.add(entry)
        head.seq, head.hash, head.mac = entry.seq, entry.hash, self._mac(entry.seq, entry.hash)
        session.flush()
        return entry.seq

    def entries(self, after_seq: int = 0, limit: int = 100) -> list[AuditRecord]:
        """Up to ``limit`` entries numbered above ``after_seq``, oldest first (for auditors)."""
        with self._sm() as session:
            rows = session.scalars(
                select(AuditEntry).where(AuditEntry.seq > after_seq).order_by(AuditEntry.seq).limit(limit)
            ).all()
            return [
                AuditRecord(
                    r.seq, r.at, r.actor, r.action, r.target, r.outcome, json.loads(r.details), r.hash
                )
                for r in rows
            ]

    def entries_about(self, iin: str, limit: int = 1000) -> list[AuditRecord]:
        """Entries about ``iin`` (by :meth:`subject_ref`, never by masked digits), oldest first (PD-24)."""
        with self._sm() as session:
            rows = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.subject_ref == self.subject_ref(iin))
                .order_by(AuditEntry.seq)
                .limit(limit)
            ).all()
            return [
                AuditRecord(
                    r.seq, r.at, r.actor, r.action, r.target, r.outcome, json.loads(r.details), r.hash
                )
                for r in rows
            ]

    def anonymise_before(self, before: dt.datetime, *, dry_run: bool = True) -> int:
        """PD-18: unlink the entries older than ``before`` from the person they were about.

        Erases each such entry's subject reference and salt; its seal, and so the chain, stay as they were.
        Returns how many entries are (with ``dry_run``: would be) anonymised. Raises ValueError for a naive
        ``before``.
        """
        before = ensure_utc(before)
        old = (AuditEntry.at < before, AuditEntry.subject_ref.is_not(None))
        with self._sm.begin() as session:
            count = session.scalar(select(func.count()).select_from(AuditEntry).where(*old)) or 0
            if not dry_run and count:
                session.execute(update(AuditEntry).where(*old).values(subject_ref=None, subject_salt=None))
        return count

    def verify_chain(self) -> ChainReport:
        """Check every entry and the head; report the first problem found, naming the entry.

        Detects an edited entry (its hash no longer matches its content), an inserted or reordered entry
        (its ``prev_hash`` does not link to the entry before it), a deleted entry (a missing number),
        deleted or replaced last entries (the chain ends before or differs from the head), and a forged
        head (its HMAC is wrong). Reads the log in one pass, streaming.
        """
        with self._sm() as session:
            head = session.get(AuditHead, _HEAD_ID)
            count = 0
            prev_hash = GENESIS_HASH
            for entry in self._stream(session):
                expected = count + 1
                if entry.seq != expected:
                    return ChainReport(False, count, expected, f"entry {expected} is missing (deleted)")
                problem = self._check_entry(entry, prev_hash)
                if problem is not None:
                    return ChainReport(False, count, entry.seq, problem)
                count, prev_hash = entry.seq, entry.hash
            return self._check_head(head, count, prev_hash)

    def _check_entry(self, entry: AuditEntry, prev_hash: str) -> str | None:
        if entry.prev_hash != prev_hash:
            return f"entry {entry.seq} does not link to entry {entry.seq - 1} (inserted, reordered or edited)"
        try:
            details = json.loads(entry.details)
        except ValueError:
            return f"entry {entry.seq} has unreadable details (edited)"
        if not hmac.compare_digest(entry_hash(prev_hash, entry, details), entry.hash):
            return f"entry {entry.seq} does not match its hash (edited)"
        if entry.subject_ref is not None and (
            entry.subject_salt is None
            or entry.subject_seal is None
            or not hmac.compare_digest(_seal(entry.subject_salt, entry.subject_ref), entry.subject_seal)
        ):
            return f"entry {entry.seq} names a subject its seal does not cover (edited)"
        return None

    def _check_head(self, head: AuditHead | None, count: int, last_hash: str) -> ChainReport:
        if head is None:
            if count == 0:
                return ChainReport(True, 0)
            return ChainReport(False, count, count, "the head record is missing")
        if not hmac.compare_digest(self._mac(head.seq, head.hash), head.mac):
            return ChainReport(
                False, count, head.seq, "the head record is not authentic (forged or wrong key)"
            )
        if head.seq > count:
            return ChainReport(
                False, count, count + 1, f"entries {count + 1} to {head.seq} are missing (deleted)"
            )
        if head.seq < count:
            return ChainReport(
                False, count, head.seq + 1, f"entries {head.seq + 1} to {count} were appended outside the log"
            )
        if not hmac.compare_digest(head.hash, last_hash):
            return ChainReport(False, count, count, f"entry {count} differs from the head record (replaced)")
        return ChainReport(True, count)

    @staticmethod
    def _stream(session: Session) -> Iterator[AuditEntry]:
        statement = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000)
        yield from session.scalars(statement)

    def _mac(self, seq: int, entry_hash: str) -> str:
        return hmac.new(self._head_key, f"{seq}:{entry_hash}".encode("ascii"), hashlib.sha256).hexdigest()
