"""CA and OCSP-responder private keys at rest: encrypted PKCS#8 in the database, never in clear (EDS-21).

Keys are written as PKCS#8 ``EncryptedPrivateKeyInfo`` (RFC 5958) with PBES2 (RFC 8018: PBKDF2-HMAC-SHA256,
AES-256-CBC) under the configured passphrase: by ``cryptography``'s BestAvailableEncryption for RSA/ECDSA,
and by :func:`_encrypt_pkcs8` here, in the same format, for GOST keys (whose PKCS#8 ``cryptography``
cannot load). Reading goes through one path for every key: :func:`_decrypt_pkcs8` opens the PBES2
envelope, then the PKCS#8 key OID chooses ``pki.gost`` or ``cryptography``. The passphrase itself never
reaches the database; nothing else in ``ca_sim`` serialises CA keys.
"""

from __future__ import annotations

import datetime as dt
import os

from asn1crypto import algos
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from sqlalchemy import LargeBinary, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.db import Base, UtcDateTime
from ca_sim.signing import CaPrivateKey
from pki import gost, keys
from pki.errors import ErrorCode, InvalidInput

# PBES2 parameters of the GOST envelope: as cryptography's BestAvailableEncryption writes for the others.
_PBKDF2_ITERATIONS = 2048
_SALT_OCTETS = 16
_AES256_KEY_OCTETS = 32


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


class KeyStore:
    """The stored CA and OCSP-responder keys over ``sm``: every query on :class:`StoredKey` rows.

    Rows come back detached (read in a short session of their own) and still encrypted: callers open
    them with :func:`decrypt_private_key`.
    """

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm

    def ca_keys(self) -> list[StoredKey]:
        """The CA keys, one per CA once the hierarchy exists (none before)."""
        with self._sm() as session:
            return list(session.scalars(select(StoredKey).where(StoredKey.purpose == KeyPurpose.CA)))

    def latest_responder_key(self, ca_id: str) -> StoredKey | None:
        """The newest generation of ``ca_id``'s delegated OCSP responder key, or None before the first."""
        newest = (
            select(func.max(StoredKey.generation))
            .where(StoredKey.ca_id == ca_id, StoredKey.purpose == KeyPurpose.OCSP)
            .scalar_subquery()
        )
        statement = select(StoredKey).where(
            StoredKey.ca_id == ca_id, StoredKey.purpose == KeyPurpose.OCSP, StoredKey.generation == newest
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


def encrypt_private_key(key: CaPrivateKey, passphrase: bytes) -> bytes:
    """DER PKCS#8 EncryptedPrivateKeyInfo (PBES2) of ``key`` under ``passphrase``.

    Raises InvalidInput(``empty_passphrase``): a CA key is never stored unencrypted (EDS-21).
    """
    if not passphrase:
        raise InvalidInput(
            ErrorCode.EMPTY_PASSPHRASE, "a CA key passphrase is required (EDS-21: no key in clear)"
        )
    if isinstance(key, gost.GostPrivateKey):
        return _encrypt_pkcs8(key.to_pkcs8_der(), passphrase)
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )


def decrypt_private_key(data: bytes, passphrase: bytes) -> CaPrivateKey:
    """The key in ``data`` (from :func:`encrypt_private_key`): RSA, ECDSA or GOST.

    Raises InvalidInput(``bad_passphrase``) when ``passphrase`` does not open it, and
    InvalidInput(``malformed_key``) when the stored bytes are not an envelope in the format written here.
    """
    if not passphrase:
        raise InvalidInput(ErrorCode.BAD_PASSPHRASE, "the CA key passphrase is empty")
    plain = _decrypt_pkcs8(data, passphrase)
    # What decrypts but is no key came from a wrong passphrase that happened to leave valid padding:
    # the right one always yields the PKCS#8 written by encrypt_private_key.
    try:
        return gost.GostPrivateKey.from_pkcs8_der(plain)
    except gost.GostError as exc:
        if exc.code != ErrorCode.UNSUPPORTED_ALGORITHM:  # a GOST module error other than "not a GOST key"
            raise _bad_passphrase() from None
    try:
        return keys.load_private_key(plain)
    except InvalidInput:
        raise _bad_passphrase() from None


def _encrypt_pkcs8(plain: bytes, passphrase: bytes) -> bytes:
    """EncryptedPrivateKeyInfo of DER PKCS#8 ``plain``: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC (RFC 8018)."""
    salt, iv = os.urandom(_SALT_OCTETS), os.urandom(16)
    key = _pbkdf2(passphrase, salt, _PBKDF2_ITERATIONS)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    return asn1_keys.EncryptedPrivateKeyInfo(
        {
            "encryption_algorithm": {
                "algorithm": "pbes2",
                "parameters": {
                    "key_derivation_func": {
                        "algorithm": "pbkdf2",
                        "parameters": {
                            "salt": algos.Pbkdf2Salt(name="specified", value=salt),
                            "iteration_count": _PBKDF2_ITERATIONS,
                            "prf": {"algorithm": "sha256", "parameters": None},
                        },
                    },
                    "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
                },
            },
            "encrypted_data": ciphertext,
        }
    ).dump()


def _decrypt_pkcs8(data: bytes, passphrase: bytes) -> bytes:
    """The DER PKCS#8 inside a PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) EncryptedPrivateKeyInfo.

    Raises InvalidInput(``malformed_key``) for another structure or scheme, InvalidInput(``bad_passphrase``)
    when the padding does not check out (the passphrase is wrong).
    """
    try:
        info = asn1_keys.EncryptedPrivateKeyInfo.load(data)
        algorithm = info["encryption_algorithm"]
        params = algorithm["parameters"]
        kdf = params["key_derivation_func"]["parameters"]
        scheme = params["encryption_scheme"]
        supported = (
            algorithm["algorithm"].native == "pbes2"
            and params["key_derivation_func"]["algorithm"].native == "pbkdf2"
            and kdf["prf"]["algorithm"].native == "sha256"
            and scheme["algorithm"].native == "aes256_cbc"
        )
        salt, iterations = kdf["salt"].native, kdf["iteration_count"].native
        iv, ciphertext = scheme["parameters"].native, info["encrypted_data"].native
    except (ValueError, TypeError, KeyError):
        raise InvalidInput(ErrorCode.MALFORMED_KEY, "the stored key is no EncryptedPrivateKeyInfo") from None
    if not supported or not isinstance(salt, bytes) or len(iv) != 16 or len(ciphertext) % 16:
        raise InvalidInput(
            ErrorCode.MALFORMED_KEY, "the stored key is not PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC"
        )
    decryptor = Cipher(algorithms.AES(_pbkdf2(passphrase, salt, iterations)), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        padded = decryptor.update(ciphertext) + decryptor.finalize()
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise _bad_passphrase() from None


def _pbkdf2(passphrase: bytes, salt: bytes, iterations: int) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=_AES256_KEY_OCTETS, salt=salt, iterations=iterations)
    return kdf.derive(passphrase)


def _bad_passphrase() -> InvalidInput:
    return InvalidInput(ErrorCode.BAD_PASSPHRASE, "the CA key passphrase does not open the stored keys")
