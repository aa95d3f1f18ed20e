"""CA and OCSP-responder private keys at rest: encrypted PKCS#8 in the database, never in clear (EDS-21).

Keys are written as PKCS#8 ``EncryptedPrivateKeyInfo`` (``cryptography``'s BestAvailableEncryption:
PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) under the configured passphrase. The passphrase itself never
reaches the database. GOST keys (``pki.gost``) need their own branch in :func:`encrypt_private_key` and
:func:`decrypt_private_key` when the GOST signer lands; nothing else in ``ca_sim`` serialises CA keys.
"""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives import serialization
from sqlalchemy import LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ca_sim.db import Base, UtcDateTime
from ca_sim.signing import CaPrivateKey
from pki import keys
from pki.errors import InvalidInput


class KeyPurpose:
    """What a stored key does: sign certificates and CRLs (``ca``) or OCSP responses (``ocsp``)."""

    CA = "ca"
    OCSP = "ocsp"


class StoredKey(Base):
    """A CA's key or one generation of its delegated OCSP responder key, with the certificate for it.

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
    encrypted_key: Mapped[bytes] = mapped_column(LargeBinary)  # PKCS#8 EncryptedPrivateKeyInfo, DER
    not_after: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def encrypt_private_key(key: CaPrivateKey, passphrase: bytes) -> bytes:
    """DER PKCS#8 EncryptedPrivateKeyInfo of ``key`` under ``passphrase``.

    Raises InvalidInput(``empty_passphrase``): a CA key is never stored unencrypted (EDS-21).
    """
    if not passphrase:
        raise InvalidInput("empty_passphrase", "a CA key passphrase is required (EDS-21: no key in clear)")
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )


def decrypt_private_key(data: bytes, passphrase: bytes) -> CaPrivateKey:
    """The key in ``data`` (from :func:`encrypt_private_key`).

    Raises InvalidInput(``bad_passphrase``) when ``passphrase`` does not open it, and
    InvalidInput(``malformed_key``) when the stored bytes are not a key.
    """
    if not passphrase:
        raise InvalidInput("bad_passphrase", "the CA key passphrase is empty")
    try:
        return keys.load_private_key(data, passphrase)
    except InvalidInput as exc:
        if exc.code == "bad_password":
            raise InvalidInput(
                "bad_passphrase", "the CA key passphrase does not open the stored keys"
            ) from None
        raise
