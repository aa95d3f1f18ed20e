"""One-time login challenges (UNIS-8, UNIS-9/10): a fresh random nonce, short-lived, consumed exactly once.

Consumption is a single conditional ``UPDATE ... SET used_at = :at WHERE challenge_id = :id AND
used_at IS NULL AND expires_at > :at``: the database decides which of two concurrent logins with the
same challenge wins, on SQLite and PostgreSQL alike, and the loser sees ``challenge_used``. The login
reads the challenge (:func:`read_challenge`), evaluates the signature, then consumes it in the same
transaction that records the attempt (:func:`consume_challenge`), so a login costs one write. A
challenge is consumed by the first evaluated login that names it, whatever that login's outcome, so a
failed attempt cannot be retried with the same nonce.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import cast

from sqlalchemy import LargeBinary, String, Table, bindparam, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from pki.reasons import Reason
from unis.db import Base, UtcDateTime

NONCE_BYTES = 32  # UNIS-8: 256 bits of randomness per challenge
MAX_ID_CHARS = 43


class ChallengeRow(Base):
    __tablename__ = "unis_challenges"

    challenge_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS), primary_key=True)
    nonce: Mapped[bytes] = mapped_column(LargeBinary(NONCE_BYTES))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# The hot path's statements, built once (Core: no ORM unit of work per login).
_TABLE = cast(Table, ChallengeRow.__table__)
_READ = select(_TABLE.c.nonce, _TABLE.c.expires_at, _TABLE.c.used_at).where(
    _TABLE.c.challenge_id == bindparam("challenge_id")
)
_CONSUME = (
    update(_TABLE)
    .where(
        _TABLE.c.challenge_id == bindparam("wanted_id"),
        _TABLE.c.used_at.is_(None),
        _TABLE.c.expires_at > bindparam("at"),
    )
    .values(used_at=bindparam("at"))
)


@dataclass(frozen=True)
class Challenge:
    """A challenge as handed to the client: sign ``nonce`` (the raw 32 bytes) before ``expires_at``."""

    challenge_id: str
    nonce: bytes
    created_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class ChallengeState:
    """What :func:`read_challenge` found.

    ``reason`` is None when the challenge is usable at the time asked (exists, unexpired, unused), else
    ``challenge_unknown``, ``challenge_expired`` or ``challenge_used``. ``nonce`` is known whenever the
    challenge exists (so a replay's signature can still be evaluated and recorded).
    """

    reason: Reason | None
    nonce: bytes | None


def create_challenge(sm: sessionmaker[Session], *, at: dt.datetime, ttl: dt.timedelta) -> Challenge:
    """Store and return a new challenge valid from ``at`` for ``ttl`` (UNIS-9/10: short-lived)."""
    challenge = Challenge(
        challenge_id=secrets.token_urlsafe(24),
        nonce=secrets.token_bytes(NONCE_BYTES),
        created_at=at,
        expires_at=at + ttl,
    )
    with sm.begin() as session:
        session.add(
            ChallengeRow(
                challenge_id=challenge.challenge_id,
                nonce=challenge.nonce,
                created_at=challenge.created_at,
                expires_at=challenge.expires_at,
                used_at=None,
            )
        )
    return challenge


def read_challenge(sm: sessionmaker[Session], challenge_id: str, *, at: dt.datetime) -> ChallengeState:
    """The state of ``challenge_id`` at ``at``, without consuming it. Never raises for an unknown id."""
    if not challenge_id or len(challenge_id) > MAX_ID_CHARS:
        return ChallengeState(Reason.CHALLENGE_UNKNOWN, None)
    with sm() as session:
        row = session.connection().execute(_READ, {"challenge_id": challenge_id}).one_or_none()
    if row is None:
        return ChallengeState(Reason.CHALLENGE_UNKNOWN, None)
    nonce, expires_at, used_at = row
    if used_at is not None:
        return ChallengeState(Reason.CHALLENGE_USED, nonce)
    if expires_at <= at:
        return ChallengeState(Reason.CHALLENGE_EXPIRED, nonce)
    return ChallengeState(None, nonce)


def consume_challenge(session: Session, challenge_id: str, *, at: dt.datetime) -> bool:
    """Consume ``challenge_id`` at ``at`` inside the caller's transaction: True for exactly one caller.

    One conditional UPDATE (unused and unexpired at ``at``), so of two concurrent logins with the same
    challenge only one is told True, on SQLite (the write lock) and PostgreSQL (the row lock) alike
    (UNIS-9/10: no replay). Issue it first in the transaction so that SQLite takes its write lock at once.
    """
    result = session.connection().execute(_CONSUME, {"wanted_id": challenge_id, "at": at})
    return bool(getattr(result, "rowcount", 0) == 1)


def purge_challenges(sm: sessionmaker[Session], *, expired_before: dt.datetime) -> int:
    """Delete challenges expired before ``expired_before``; returns how many (login records keep the ids)."""
    with sm.begin() as session:
        result = session.execute(delete(ChallengeRow).where(ChallengeRow.expires_at < expired_before))
        return int(getattr(result, "rowcount", 0) or 0)
