"""One-time login challenges (UNIS-8, UNIS-9/10): issued without a database write, consumed exactly once.

A challenge is self-describing and signed with a key only the service holds (HMAC-SHA256, derived from
the service secret so that every worker and every instance sharing the database derives the same one):

- the id is 32 bytes, base64url without padding (43 characters): the expiry (8 bytes, microseconds
  since the Unix epoch, big-endian), 8 random bytes, then the first 16 bytes of HMAC(key, "id" || the
  first 16 bytes);
- the nonce the user signs is HMAC(key, "nonce" || the id's first 16 bytes): 32 bytes that nobody
  without the key can predict or choose (UNIS-8).

So issuing a challenge costs two HMACs and no database access, and any process can open a challenge
another one issued. A forged or altered id fails its tag (``challenge_unknown``), an old one its
expiry (``challenge_expired``).

Single use is enforced when the challenge is consumed, by ONE insert of its id into
``unis_used_challenges`` (primary key) with ``ON CONFLICT DO NOTHING``: of two concurrent logins with the
same challenge the database lets exactly one row in, on SQLite (the write lock) and PostgreSQL (the
unique index) alike, and the other sees ``challenge_used``. The login issues it first in the one
transaction that also records the attempt and applies any UNIS-12 block (:mod:`unis.login`). Rows
are kept until the challenge has expired (an expired id is refused by its expiry alone), then
purged (:meth:`Challenges.purge`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import cast

from sqlalchemy import String, Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from pki.reasons import Reason
from storage import Prepared, core
from unis.db import Base, UtcDateTime

NONCE_BYTES = 32  # UNIS-8: what the user signs, 256 bits
MAX_ID_CHARS = 43  # the id's 32 bytes in base64url
_ID_BYTES = 32
_BODY_BYTES = 16  # expiry (8) + random (8): what the tag covers
_TAG_BYTES = 16
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def derive_challenge_key(secret: bytes) -> bytes:
    """The 32-byte challenge key derived from a service secret (e.g. the CA passphrase)."""
    return hmac.new(secret, b"kzpki unis challenge v1", hashlib.sha256).digest()


class ConsumedChallengeRow(Base):
    """A challenge that a login has used (UNIS-9/10), kept until it has expired."""

    __tablename__ = "unis_used_challenges"

    challenge_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


_TABLE = cast(Table, ConsumedChallengeRow.__table__)
# The hot path's statement, built once per dialect (Core: no ORM unit of work per login).
# RETURNING tells the winner (a row back) from the loser (none) on every backend: psycopg reports no
# rowcount (-1) for this statement, so counting rows would refuse every login on PostgreSQL.
_CONSUME: dict[str, Prepared] = {  # once per login: run on the driver (storage.prepared)
    name: Prepared(
        dialect.insert(_TABLE)
        .on_conflict_do_nothing(index_elements=["challenge_id"])
        .returning(_TABLE.c.challenge_id)
    )
    for name, dialect in (("sqlite", sqlite), ("postgresql", postgresql))
}


@dataclass(frozen=True)
class Challenge:
    """A challenge as handed to the client: sign ``nonce`` (the raw 32 bytes) before ``expires_at``."""

    challenge_id: str
    nonce: bytes
    created_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class ChallengeState:
    """What :meth:`Challenges.open` found, without any database access.

    ``reason`` is None when the challenge is genuine and unexpired at the time asked, else
    ``challenge_unknown`` (not one of ours) or ``challenge_expired``; whether it was used is known only
    when it is consumed. ``nonce`` and ``expires_at`` are set whenever the challenge is genuine (so an
    expired challenge's signature can still be evaluated and recorded).
    """

    reason: Reason | None
    nonce: bytes | None
    expires_at: dt.datetime | None


class Challenges:
    """Issues, opens and consumes challenges with ``key``; the consumed ones live in ``sm``'s database.

    Thread-safe; share one per process. ``key`` must be the same in every process that serves logins
    (see :func:`derive_challenge_key`).
    """

    def __init__(self, sm: sessionmaker[Session], key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the challenge key must be at least 16 bytes")
        self._sm = sm
        self._key = key

    def issue(self, *, at: dt.datetime, ttl: dt.timedelta) -> Challenge:
        """A new challenge valid from ``at`` (aware) for ``ttl`` (UNIS-9/10: short-lived). No I/O."""
        expires_at = at + ttl
        micros = (expires_at - _EPOCH) // dt.timedelta(microseconds=1)
        body = micros.to_bytes(8, "big") + secrets.token_bytes(_BODY_BYTES - 8)
        raw = body + self._mac(b"id", body)[:_TAG_BYTES]
        challenge_id = base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
        return Challenge(challenge_id, self._mac(b"nonce", body), at, expires_at)

    def open(self, challenge_id: str, *, at: dt.datetime) -> ChallengeState:
        """The state of ``challenge_id`` at ``at`` from the id alone. Never raises for any string.

        Only the canonical spelling of an id is genuine (base64 leaves spare bits in its last
        character), so that one challenge cannot be consumed twice under two spellings.
        """
        if len(challenge_id) != MAX_ID_CHARS:
            return ChallengeState(Reason.CHALLENGE_UNKNOWN, None, None)
        try:
            raw = base64.urlsafe_b64decode(challenge_id + "=")
        except (binascii.Error, ValueError):
            return ChallengeState(Reason.CHALLENGE_UNKNOWN, None, None)
        body, tag = raw[:_BODY_BYTES], raw[_BODY_BYTES:]
        canonical = base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") == challenge_id
        if (
            not canonical
            or len(raw) != _ID_BYTES
            or not hmac.compare_digest(tag, self._mac(b"id", body)[:_TAG_BYTES])
        ):
            return ChallengeState(Reason.CHALLENGE_UNKNOWN, None, None)
        expires_at = _EPOCH + dt.timedelta(microseconds=int.from_bytes(body[:8], "big"))
        nonce = self._mac(b"nonce", body)
        if expires_at <= at:
            return ChallengeState(Reason.CHALLENGE_EXPIRED, nonce, expires_at)
        return ChallengeState(None, nonce, expires_at)

    @staticmethod
    def consume(
        db: Session | Connection, challenge_id: str, expires_at: dt.datetime, *, at: dt.datetime
    ) -> bool:
        """Mark the opened, unexpired challenge ``challenge_id`` used inside the caller's transaction
        (``db``: its Session or Connection).

        True for exactly one caller per challenge, however many race for it (one conditional insert;
        see the module docstring). Issue it first in the transaction so that SQLite takes its write
        lock at once.
        """
        connection = core(db)
        statement = _CONSUME[connection.dialect.name]
        row = {"challenge_id": challenge_id, "expires_at": expires_at, "used_at": at}
        return statement.first(connection, row) is not None

    def purge(self, *, expired_before: dt.datetime) -> int:
        """Forget consumed challenges expired before ``expired_before`` (their expiry refuses them anyway);
        returns how many. Login records keep the ids."""
        with self._sm.begin() as session:
            result = session.execute(delete(_TABLE).where(_TABLE.c.expires_at < expired_before))
            return int(getattr(result, "rowcount", 0) or 0)

    def _mac(self, label: bytes, body: bytes) -> bytes:
        return hmac.new(self._key, label + body, hashlib.sha256).digest()
