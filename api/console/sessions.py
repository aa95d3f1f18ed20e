"""Server-side console sessions and the failed sign-in counter (the console's own tables).

A session is created by a successful sign-in: with a login name, password and TOTP code (``method``
``password``, ``ca_sim.operator_credentials``) or with an operator token (``token``). The browser holds only
the session id (256 random bits), signed with a key derived from the CA passphrase; the database holds the
id's SHA-256, the session's CSRF token, its times, and for a token session the operator token sealed with
AES-256-GCM under a key derived from the session id, which the database does not hold: a copy of the table
opens no session and reveals no token. Every request re-checks the operator (``api.console.guard``): the
token is unsealed and authenticated again, a password session's account must still be active, so a
disabled operator or a revoked or expired token ends the session at once.

Times: ``IDLE_TIMEOUT`` since the last request (15 minutes) and ``MAX_LIFETIME`` since sign-in (8 hours,
one working day); an expired session is deleted when next presented. Failed sign-ins are counted per
client address over ``FAILURE_WINDOW``; from ``MAX_FAILURES`` on, sign-ins from it are refused until the
window has passed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Index, LargeBinary, String, delete, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.db import Base, UtcDateTime
from pki.calendar import ensure_utc

IDLE_TIMEOUT = dt.timedelta(minutes=15)
MAX_LIFETIME = dt.timedelta(hours=8)
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES = 5  # per client address and window
_SEAL_CONTEXT = b"kzpki console operator token"
TOKEN_METHOD = "token"  # noqa: S105 - a sign-in method's name: signed in with an operator token
PASSWORD_METHOD = "password"  # noqa: S105 - signed in with name, password and TOTP code


class ConsoleSession(Base):
    """One signed-in console session: the id's SHA-256 (hex), the CSRF token, the sealed operator token."""

    __tablename__ = "console_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    operator: Mapped[str] = mapped_column(String(64))
    csrf_token: Mapped[str] = mapped_column(String(64))
    sealed_token: Mapped[bytes] = mapped_column(LargeBinary)  # empty for a password session
    method: Mapped[str] = mapped_column(String(16), default=TOKEN_METHOD)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class SignInFailure(Base):
    """One failed console sign-in from ``client`` (its address) at ``at``."""

    __tablename__ = "console_sign_in_failures"
    __table_args__ = (Index("ix_console_sign_in_failures_client_at", "client", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class OpenSession:
    """A live session as a request sees it: the operator token (unsealed; None for a password session) and
    the CSRF token."""

    session_id: str
    operator: str
    token: str | None
    csrf_token: str
    created_at: dt.datetime  # the sign-in (UTC)


def _id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def _cipher(session_id: str) -> AESGCM:
    return AESGCM(hmac.new(session_id.encode("ascii"), _SEAL_CONTEXT, hashlib.sha256).digest())


class SessionStore:
    """Console sessions and sign-in failures over ``sm``; each call one short transaction."""

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm

    def create(self, operator: str, token: str | None, at: dt.datetime) -> OpenSession:
        """A new session of ``operator`` (already authenticated by the caller) holding ``token``, or None
        for a session opened with a password and TOTP code."""
        session_id = secrets.token_urlsafe(32)
        id_hash = _id_hash(session_id)
        sealed = b""
        if token is not None:
            nonce = secrets.token_bytes(12)
            associated = id_hash.encode("ascii")
            sealed = nonce + _cipher(session_id).encrypt(nonce, token.encode("utf-8"), associated)
        csrf = secrets.token_urlsafe(32)
        at = ensure_utc(at)
        with self._sm.begin() as session:
            session.add(
                ConsoleSession(
                    id_hash=id_hash,
                    operator=operator,
                    csrf_token=csrf,
                    sealed_token=sealed,
                    method=TOKEN_METHOD if token is not None else PASSWORD_METHOD,
                    created_at=at,
                    last_seen_at=at,
                )
            )
        return OpenSession(session_id, operator, token, csrf, at)

    def resume(self, session_id: str, at: dt.datetime) -> OpenSession | None:
        """The live session ``session_id`` at ``at``, its last-seen time moved to ``at``; None when there is
        none, or it idled past :data:`IDLE_TIMEOUT` or outlived :data:`MAX_LIFETIME` (then it is deleted)."""
        at = ensure_utc(at)
        id_hash = _id_hash(session_id)
        with self._sm.begin() as session:
            row = session.get(ConsoleSession, id_hash)
            if row is None:
                return None
            if at - row.last_seen_at >= IDLE_TIMEOUT or at - row.created_at >= MAX_LIFETIME:
                session.delete(row)
                return None
            token = None
            if row.method != PASSWORD_METHOD:
                nonce, sealed = row.sealed_token[:12], row.sealed_token[12:]
                try:
                    plain = _cipher(session_id).decrypt(nonce, sealed, id_hash.encode("ascii"))
                except InvalidTag:
                    session.delete(row)
                    return None
                token = plain.decode("utf-8")
            session.execute(
                update(ConsoleSession).where(ConsoleSession.id_hash == id_hash).values(last_seen_at=at)
            )
            return OpenSession(session_id, row.operator, token, row.csrf_token, row.created_at)

    def end(self, session_id: str) -> None:
        """Delete the session (sign-out, or its token stopped working)."""
        with self._sm.begin() as session:
            session.execute(delete(ConsoleSession).where(ConsoleSession.id_hash == _id_hash(session_id)))

    def failures(self, client: str, at: dt.datetime) -> int:
        """Failed sign-ins of ``client`` in the :data:`FAILURE_WINDOW` before ``at``."""
        since = ensure_utc(at) - FAILURE_WINDOW
        statement = select(func.count()).where(SignInFailure.client == client, SignInFailure.at > since)
        with self._sm() as session:
            return int(session.scalar(statement) or 0)

    def record_failure(self, client: str, at: dt.datetime) -> None:
        """Count one failed sign-in of ``client``; rows older than the window are purged."""
        at = ensure_utc(at)
        with self._sm.begin() as session:
            session.execute(delete(SignInFailure).where(SignInFailure.at <= at - FAILURE_WINDOW))
            session.add(SignInFailure(client=client[:64], at=at))
