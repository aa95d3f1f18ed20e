"""CA and OCSP-responder private keys at rest: sealed in the database, never in clear (EDS-21).

Each row's ``encrypted_key`` is a ``ca_sim.keywrap`` envelope (AES-256-GCM under a key-encryption key
derived from the CA passphrase with PBKDF2-HMAC-SHA256 at 600,000 iterations, the parameters stored with
the key). Every key of one store shares one salt (:meth:`KeyStore.wrapping_key`), so a process derives
once. :meth:`KeyStore.upgrade_wrapping` re-wraps keys an older release stored (PBES2 at 2,048 iterations)
or any below today's cost; ``ca_sim.hierarchy`` runs it on every load. The passphrase itself never reaches
the database; nothing else in ``ca_sim`` serialises CA keys.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import LargeBinary, String, UniqueConstraint, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.db import Base, UtcDateTime
from ca_sim.keywrap import (
    PBKDF2_ITERATIONS,
    WrappingKey,
    is_current,
    key_label,
    open_private_key,
    wrapping_parameters,
)
from ca_sim.signing import CaPrivateKey

_LOG = logging.getLogger(__name__)


class KeyPurpose:
    """What a stored key does: sign certificates and CRLs (``ca``), OCSP responses (``ocsp``) or RFC 3161
    time-stamp tokens (``tsa``)."""

    CA = "ca"
    OCSP = "ocsp"
    TSA = "tsa"


class StoredKey(Base):
    """A CA's key or one generation of a delegated signer's key (OCSP responder, TSA), with its certificate.

    (ca_id, purpose, generation) is unique: two processes creating the same key at once collide on it
    and the loser loads the winner's key.
    """

    __tablename__ = "ca_keys"
    __table_args__ = (UniqueConstraint("ca_id", "purpose", "generation", name="uq_ca_keys_generation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ca_id: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(8))
    generation: Mapped[int]
    key_algorithm: Mapped[str] = mapped_column(String(16))
    certificate_der: Mapped[bytes] = mapped_column(LargeBinary)
    encrypted_key: Mapped[bytes] = mapped_column(LargeBinary)  # ca_sim.keywrap.WrappedKey, DER
    not_after: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    @property
    def label(self) -> bytes:
        """The associated data its key is sealed with (``ca_sim.keywrap.key_label``)."""
        return key_label(self.ca_id, self.purpose, self.generation)

    def private_key(self, passphrase: bytes) -> CaPrivateKey:
        """The key of this row. Raises InvalidInput(``bad_passphrase`` / ``malformed_key``)."""
        return open_private_key(self.encrypted_key, passphrase, self.label)


class KeyStore:
    """The stored CA and OCSP-responder keys over ``sm``: every query on :class:`StoredKey` rows.

    Rows come back detached (read in a short session of their own) and still sealed: callers open
    them with :meth:`StoredKey.private_key`.
    """

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm

    def ca_keys(self) -> list[StoredKey]:
        """The CA keys, one per CA once the hierarchy exists (none before)."""
        with self._sm() as session:
            return list(session.scalars(select(StoredKey).where(StoredKey.purpose == KeyPurpose.CA)))

    def latest_delegate_key(self, ca_id: str, purpose: str) -> StoredKey | None:
        """The newest generation of ``ca_id``'s delegated signer key for ``purpose`` (``KeyPurpose.OCSP``
        or ``KeyPurpose.TSA``), or None before the first."""
        newest = (
            select(func.max(StoredKey.generation))
            .where(StoredKey.ca_id == ca_id, StoredKey.purpose == purpose)
            .scalar_subquery()
        )
        statement = select(StoredKey).where(
            StoredKey.ca_id == ca_id, StoredKey.purpose == purpose, StoredKey.generation == newest
        )
        with self._sm() as session:
            return session.scalars(statement).one_or_none()

    @staticmethod
    def add_in(session: Session, *rows: StoredKey) -> None:
        """Add ``rows`` in the caller's transaction and flush at once, so the unique (CA, purpose,
        generation) decides a race between processes here, before anything else is written
        (sqlalchemy IntegrityError for the loser)."""
        session.add_all(rows)
        session.flush()

    def wrapping_key(self, passphrase: bytes) -> WrappingKey:
        """The key-encryption key new keys of this store are sealed under: that of its stored envelopes at
        today's cost (one salt per store), or a fresh one when it holds none yet.

        Raises InvalidInput(``empty_passphrase``).
        """
        with self._sm() as session:
            for data in session.scalars(select(StoredKey.encrypted_key).order_by(StoredKey.id)):
                parameters = wrapping_parameters(data)
                if parameters is not None and parameters[1] >= PBKDF2_ITERATIONS:
                    return WrappingKey.derive(passphrase, *parameters)
        return WrappingKey.create(passphrase)

    def upgrade_wrapping(self, passphrase: bytes) -> int:
        """Re-wrap every stored key sealed below today's cost (an older release's PBES2 at 2,048
        iterations, or an envelope with fewer than ``PBKDF2_ITERATIONS``) under :meth:`wrapping_key`.
        Returns how many rows this call changed.

        One transaction; each row is replaced only if it still holds the bytes read, so processes upgrading
        one store at once change each row once (the others find it done). Raises InvalidInput
        (``bad_passphrase`` / ``malformed_key``) when an outdated key does not open: nothing is changed.
        """
        with self._sm() as session:
            outdated = [
                row for row in session.scalars(select(StoredKey)) if not is_current(row.encrypted_key)
            ]
        if not outdated:
            return 0
        opened = [(row, row.private_key(passphrase)) for row in outdated]
        kek = self.wrapping_key(passphrase)
        changed = 0
        with self._sm.begin() as session:
            for row, key in opened:
                replaced = session.execute(
                    update(StoredKey)
                    .where(StoredKey.id == row.id, StoredKey.encrypted_key == row.encrypted_key)
                    .values(encrypted_key=kek.seal(key, row.label))
                    .returning(StoredKey.id)
                ).first()
                changed += replaced is not None
        _LOG.info(
            "re-wrapped %d CA/OCSP keys with PBKDF2-HMAC-SHA256 (%d iterations) and AES-256-GCM",
            changed,
            kek.iterations,
        )
        return changed
