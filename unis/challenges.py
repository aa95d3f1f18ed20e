"""One-time login challenges (UNIS-8, UNIS-9/10): a fresh random nonce, short-lived, consumed exactly once.

Consumption is a single conditional ``UPDATE ... SET used_at = :at WHERE challenge_id = :id AND
used_at IS NULL AND expires_at > :at``: the database decides which of two concurrent logins with the
same challenge wins, on SQLite and PostgreSQL alike, and the loser sees ``challenge_used``. A challenge
is consumed by the first login that names it, whatever that login's outcome, so a failed attempt
cannot be retried with the same nonce.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import LargeBinary, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from pki.reasons import Reason
from unis.db import Base, UtcDateTime

NONCE_BYTES = 32  # UNIS-8: 256 bits of randomness per challenge


class ChallengeRow(Base):
    __tablename__ = "unis_challenges"

    challenge_id: Mapped[str] = mapped_column(String(43), primary_key=True)
    nonce: Mapped[bytes] = mapped_column(LargeBinary(NONCE_BYTES))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class Challenge:
    """A challenge as handed to the client: sign ``nonce`` (the raw 32 bytes) before ``expires_at``."""

    challenge_id: str
    nonce: bytes
    created_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class Consumption:
    """The outcome of :func:`consume_challenge`.

    ``reason`` is None when this call consumed the challenge, else ``challenge_unknown``,
    ``challenge_expired`` or ``challenge_used``. ``nonce`` is known whenever the challenge exists
    (so a replay's signature can still be evaluated and recorded).
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


def consume_challenge(sm: sessionmaker[Session], challenge_id: str, *, at: dt.datetime) -> Consumption:
    """Consume ``challenge_id`` at ``at`` atomically, exactly once (UNIS-9/10: no replay).

    An expired challenge is not consumed (it is dead anyway). Never raises for an unknown id.
    """
    if not challenge_id or len(challenge_id) > 43:
        return Consumption(Reason.CHALLENGE_UNKNOWN, None)
    with sm.begin() as session:
        consumed = session.execute(
            update(ChallengeRow)
            .where(
                ChallengeRow.challenge_id == challenge_id,
                ChallengeRow.used_at.is_(None),
                ChallengeRow.expires_at > at,
            )
            .values(used_at=at)
            .returning(ChallengeRow.nonce)
        ).scalar_one_or_none()
        if consumed is not None:
            return Consumption(None, consumed)
        row = session.execute(
            select(ChallengeRow.nonce, ChallengeRow.used_at).where(ChallengeRow.challenge_id == challenge_id)
        ).one_or_none()
    if row is None:
        return Consumption(Reason.CHALLENGE_UNKNOWN, None)
    nonce, used_at = row
    return Consumption(Reason.CHALLENGE_USED if used_at is not None else Reason.CHALLENGE_EXPIRED, nonce)


def purge_challenges(sm: sessionmaker[Session], *, expired_before: dt.datetime) -> int:
    """Delete challenges expired before ``expired_before``; returns how many (login records keep the ids)."""
    with sm.begin() as session:
        result = session.execute(delete(ChallengeRow).where(ChallengeRow.expires_at < expired_before))
        return int(getattr(result, "rowcount", 0) or 0)
