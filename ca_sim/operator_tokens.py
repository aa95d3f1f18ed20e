"""Operator bearer tokens: each with an expiry, listed without secrets, revocable one by one (EDS-21, PD-22).

A token is ``secrets.token_urlsafe(32)`` (256 random bits), shown once when it is made and stored only as
its SHA-256 (a slow password hash adds nothing for 256-bit random secrets). Each belongs to one operator
account (an account may hold several, e.g. while one replaces another) and lives
:data:`DEFAULT_TOKEN_LIFETIME` unless the host administrator gives another lifetime (1 day to
:data:`MAX_TOKEN_LIFETIME`); from ``expires_at`` on it is refused ``token_expired``, after a revocation
``token_revoked``. :class:`TokenInfo` is what may be shown about a token: never the token or its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ca_sim.db import Base, UtcDateTime
from pki.errors import ErrorCode, InvalidInput

DEFAULT_TOKEN_LIFETIME = dt.timedelta(days=90)  # a quarter: the cadence of an access review
MAX_TOKEN_LIFETIME = dt.timedelta(days=366)
ACTOR_CHARS = 80  # "cli:<login name>" or an operator name


class OperatorToken(Base):
    """One bearer token of an operator: its SHA-256 (hex), when it was made, expires and was revoked."""

    __tablename__ = "operator_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    revoked_by: Mapped[str | None] = mapped_column(String(ACTOR_CHARS), default=None)


class TokenStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    DISABLED = "disabled"  # the operator account was disabled


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown about a token (``kzpki operators list``): no secret, no hash."""

    id: int
    operator: str
    role: str
    ca_ids: tuple[str, ...]
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    account_active: bool

    def status(self, at: dt.datetime) -> TokenStatus:
        """The token's state at ``at``: disabled and revoked first, then expired (from ``expires_at`` on)."""
        if not self.account_active:
            return TokenStatus.DISABLED
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if at >= self.expires_at:
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE


def hash_token(token: str) -> str:
    """The hex SHA-256 stored in place of a bearer token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_lifetime(lifetime: dt.timedelta) -> dt.timedelta:
    """``lifetime`` when it lies within 1 day .. :data:`MAX_TOKEN_LIFETIME`.

    Raises InvalidInput(``invalid_operator``, field ``lifetime``) otherwise.
    """
    if not dt.timedelta(days=1) <= lifetime <= MAX_TOKEN_LIFETIME:
        raise InvalidInput(
            ErrorCode.INVALID_OPERATOR,
            f"a token lives 1 to {MAX_TOKEN_LIFETIME.days} days",
            field="lifetime",
        )
    return lifetime
