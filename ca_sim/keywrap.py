"""CA and OCSP-responder private keys sealed under a key-encryption key from the CA passphrase (EDS-21).

The envelope, per store (one database's ``ca_keys`` table):

- **Key-encryption key (KEK)**: PBKDF2-HMAC-SHA256 (RFC 8018 5.2) of the CA passphrase with the store's
  16-octet random salt and :data:`PBKDF2_ITERATIONS` = 600,000 iterations, 32 octets. 600,000 is the
  OWASP Password Storage Cheat Sheet's figure for PBKDF2-HMAC-SHA256 (2023, the current recommendation);
  one derivation took about 0.09 s (``cryptography``/OpenSSL) on the 2-core development machine.
- **Each key**: its PKCS#8 DER sealed with AES-256-GCM under the KEK (96-bit random nonce, 128-bit tag), the
  key's label (:func:`key_label`: CA, purpose, generation) as associated data, so a ciphertext moved to
  another row does not open, and any change to it, or a wrong passphrase, fails the tag
  (``bad_passphrase``).
- **Stored** as DER ``WrappedKey ::= SEQUENCE { kdf AlgorithmIdentifier (id-PBKDF2 with PBKDF2-params:
  salt, iterationCount, keyLength, prf hmacWithSHA256), aead OBJECT IDENTIFIER (id-aes256-GCM),
  nonce OCTET STRING, ciphertext OCTET STRING (with the tag) }``: the cost parameters travel with every key.

Every key of a store is sealed under the same salt (:meth:`ca_sim.keystore.KeyStore.wrapping_key`) and a
derivation is cached per process for its (passphrase, salt, iterations) (:func:`_derive`), so loading a
hierarchy's six keys costs one derivation, not six, and later renewals none. The slow step is what an
attacker holding the database must pay per passphrase guess.

Older releases stored PKCS#8 ``EncryptedPrivateKeyInfo`` with PBES2 (PBKDF2-HMAC-SHA256 at 2,048
iterations, AES-256-CBC). :func:`open_private_key` still reads those, and :func:`is_current` says they
(and any envelope below today's cost) are due to be re-wrapped, which ``ca_sim.keystore`` does when a
hierarchy is loaded. Nothing here writes the old format.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Any, ClassVar

from asn1crypto import algos, core
from asn1crypto import keys as asn1_keys
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from ca_sim.signing import CaPrivateKey
from pki import gost, keys
from pki.errors import ErrorCode, InvalidInput

PBKDF2_ITERATIONS = 600_000  # OWASP Password Storage Cheat Sheet (2023), PBKDF2-HMAC-SHA256
# A stored envelope naming more iterations than this is refused as malformed: a tampered row must not
# make every start spend hours deriving.
MAX_PBKDF2_ITERATIONS = 10_000_000
SALT_OCTETS = 16
KEK_OCTETS = 32  # AES-256
NONCE_OCTETS = 12  # the GCM nonce length NIST SP 800-38D recommends
AES256_GCM_OID = "2.16.840.1.101.3.4.1.46"
_DERIVATIONS_CACHED = 32


class WrappedKey(core.Sequence):
    """The stored envelope of one key (see the module docstring)."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("kdf", algos.KdfAlgorithm),
        ("aead", core.ObjectIdentifier),
        ("nonce", core.OctetString),
        ("ciphertext", core.OctetString),
    ]


def key_label(ca_id: str, purpose: str, generation: int) -> bytes:
    """The associated data binding a sealed key to its row: ``ca_keys/<ca>/<purpose>/<generation>``."""
    return f"ca_keys/{ca_id}/{purpose}/{generation}".encode("ascii")


@dataclass(frozen=True)
class WrappingKey:
    """A store's key-encryption key: the salt and iteration count it was derived with, and the key."""

    salt: bytes
    iterations: int
    secret: bytes = field(repr=False)

    @classmethod
    def derive(cls, passphrase: bytes, salt: bytes, iterations: int = PBKDF2_ITERATIONS) -> WrappingKey:
        """The KEK of ``passphrase`` for ``salt`` (cached per process).

        Raises InvalidInput(``empty_passphrase``): a CA key is never stored unencrypted (EDS-21).
        """
        if not passphrase:
            raise InvalidInput(
                ErrorCode.EMPTY_PASSPHRASE, "a CA key passphrase is required (EDS-21: no key in clear)"
            )
        return cls(salt, iterations, _derive(passphrase, salt, iterations))

    @classmethod
    def create(cls, passphrase: bytes) -> WrappingKey:
        """A KEK with a fresh random salt at today's cost, for a store that holds no key yet."""
        return cls.derive(passphrase, os.urandom(SALT_OCTETS))

    def seal(self, key: CaPrivateKey, label: bytes) -> bytes:
        """DER :class:`WrappedKey` of ``key`` (PKCS#8 DER) sealed under this KEK with ``label`` bound."""
        return self.seal_secret(_pkcs8_of(key), label)

    def seal_secret(self, plain: bytes, label: bytes) -> bytes:
        """DER :class:`WrappedKey` of any secret octets (an operator's TOTP secret) under this KEK, with
        ``label`` (the row it belongs to) bound as associated data; opened by :func:`open_secret`."""
        nonce = os.urandom(NONCE_OCTETS)
        ciphertext = AESGCM(self.secret).encrypt(nonce, plain, label)
        return WrappedKey(
            {
                "kdf": {
                    "algorithm": "pbkdf2",
                    "parameters": {
                        "salt": algos.Pbkdf2Salt(name="specified", value=self.salt),
                        "iteration_count": self.iterations,
                        "key_length": KEK_OCTETS,
                        "prf": {"algorithm": "sha256", "parameters": None},
                    },
                },
                "aead": AES256_GCM_OID,
                "nonce": nonce,
                "ciphertext": ciphertext,
            }
        ).dump()


def wrapping_parameters(data: bytes) -> tuple[bytes, int] | None:
    """(salt, iterations) of the envelope ``data``, or None when it is no :class:`WrappedKey` (the old
    PBES2 format, or damaged bytes). Raises nothing."""
    try:
        envelope = WrappedKey.load(data)
        params = envelope["kdf"]["parameters"]
        salt, iterations = params["salt"].native, params["iteration_count"].native
        supported = (
            envelope["kdf"]["algorithm"].native == "pbkdf2"
            and params["prf"]["algorithm"].native == "sha256"
            and envelope["aead"].dotted == AES256_GCM_OID
        )
    except (ValueError, TypeError, KeyError):
        return None
    if not supported or not isinstance(salt, bytes) or not isinstance(iterations, int):
        return None
    return salt, iterations


def is_current(data: bytes) -> bool:
    """True when ``data`` is an envelope at today's cost (at least :data:`PBKDF2_ITERATIONS`)."""
    parameters = wrapping_parameters(data)
    return parameters is not None and parameters[1] >= PBKDF2_ITERATIONS


def open_private_key(data: bytes, passphrase: bytes, label: bytes) -> CaPrivateKey:
    """The key sealed in ``data`` (an envelope, or the old PBES2 format) for the row ``label``.

    Raises InvalidInput(``bad_passphrase``) when ``passphrase`` does not open it (or the ciphertext or its
    label was changed), InvalidInput(``malformed_key``) when the bytes are in neither format or name an
    iteration count beyond :data:`MAX_PBKDF2_ITERATIONS`.
    """
    if not passphrase:
        raise InvalidInput(ErrorCode.BAD_PASSPHRASE, "the CA key passphrase is empty")
    parameters = wrapping_parameters(data)
    plain = _open_pbes2(data, passphrase) if parameters is None else _open_envelope(data, passphrase, label)
    return _load_pkcs8(plain)


def open_secret(data: bytes, passphrase: bytes, label: bytes) -> bytes:
    """The octets :meth:`WrappingKey.seal_secret` sealed in ``data`` for the row ``label``.

    Raises InvalidInput(``bad_passphrase``) when the passphrase, the ciphertext or the label does not
    match, InvalidInput(``malformed_key``) when ``data`` is no envelope.
    """
    if not passphrase or wrapping_parameters(data) is None:
        raise InvalidInput(ErrorCode.MALFORMED_KEY, "the stored secret is no sealed envelope")
    return _open_envelope(data, passphrase, label)


def _open_envelope(data: bytes, passphrase: bytes, label: bytes) -> bytes:
    envelope = WrappedKey.load(data)
    params = envelope["kdf"]["parameters"]
    salt, iterations = params["salt"].native, params["iteration_count"].native
    nonce, ciphertext = envelope["nonce"].native, envelope["ciphertext"].native
    if not 1 <= iterations <= MAX_PBKDF2_ITERATIONS or len(nonce) != NONCE_OCTETS:
        raise InvalidInput(ErrorCode.MALFORMED_KEY, "the stored key's envelope parameters are out of range")
    kek = WrappingKey.derive(passphrase, salt, iterations)
    try:
        return AESGCM(kek.secret).decrypt(nonce, ciphertext, label)
    except InvalidTag:
        raise _bad_passphrase() from None


def _open_pbes2(data: bytes, passphrase: bytes) -> bytes:
    """The DER PKCS#8 in an older release's PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) EncryptedPrivateKeyInfo.

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
        raise InvalidInput(ErrorCode.MALFORMED_KEY, "the stored key is in no known format") from None
    if not supported or not isinstance(salt, bytes) or len(iv) != 16 or len(ciphertext) % 16:
        raise InvalidInput(
            ErrorCode.MALFORMED_KEY, "the stored key is not PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC"
        )
    if not 1 <= iterations <= MAX_PBKDF2_ITERATIONS:
        raise InvalidInput(ErrorCode.MALFORMED_KEY, "the stored key's iteration count is out of range")
    decryptor = Cipher(algorithms.AES(_derive(passphrase, salt, iterations)), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        padded = decryptor.update(ciphertext) + decryptor.finalize()
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise _bad_passphrase() from None


@functools.lru_cache(maxsize=_DERIVATIONS_CACHED)
def _derive(passphrase: bytes, salt: bytes, iterations: int) -> bytes:
    """PBKDF2-HMAC-SHA256, 32 octets; cached, so a process pays each (passphrase, salt, cost) once."""
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=KEK_OCTETS, salt=salt, iterations=iterations)
    return kdf.derive(passphrase)


def _pkcs8_of(key: CaPrivateKey) -> bytes:
    if isinstance(key, gost.GostPrivateKey):
        return key.to_pkcs8_der()
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load_pkcs8(plain: bytes) -> CaPrivateKey:
    """RSA, ECDSA or GOST from DER PKCS#8. What opens but is no key came from a wrong passphrase that left
    valid CBC padding (old format only: the GCM tag rules that out for envelopes)."""
    try:
        return gost.GostPrivateKey.from_pkcs8_der(plain)
    except gost.GostError as exc:
        if exc.code != ErrorCode.UNSUPPORTED_ALGORITHM:  # a GOST module error other than "not a GOST key"
            raise _bad_passphrase() from None
    try:
        return keys.load_private_key(plain)
    except InvalidInput:
        raise _bad_passphrase() from None


def _bad_passphrase() -> InvalidInput:
    return InvalidInput(ErrorCode.BAD_PASSPHRASE, "the CA key passphrase does not open the stored keys")
