"""Key generation and (de)serialisation: PEM, DER, PKCS#8 and PKCS#12.

Covers the algorithms ``cryptography`` handles (RSA, ECDSA P-256). GOST keys live
in :mod:`pki.gost`. Errors: undecodable input or a wrong password raise
:class:`pki.errors.InvalidInput` with codes ``malformed_key``, ``bad_password``
or ``malformed_pkcs12``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Union

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from pki.errors import ErrorCode, InvalidInput

PrivateKey = Union[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey]
PublicKey = Union[rsa.RSAPublicKey, ec.EllipticCurvePublicKey]


class KeyType(StrEnum):
    """Key algorithms the simulated CAs and applicants use (nca-profile.md "Algorithms")."""

    RSA2048 = "rsa2048"
    RSA4096 = "rsa4096"
    P256 = "p256"


def generate_private_key(key_type: KeyType) -> PrivateKey:
    """A fresh private key of ``key_type`` (RSA public exponent 65537)."""
    if key_type is KeyType.P256:
        return ec.generate_private_key(ec.SECP256R1())
    size = 4096 if key_type is KeyType.RSA4096 else 2048
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def sign_bytes(key: PrivateKey, data: bytes) -> bytes:
    """Sign ``data`` with RSA PKCS#1 v1.5 or ECDSA, SHA-256 (the NCA profile's choice)."""
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return key.sign(data, ec.ECDSA(hashes.SHA256()))


def private_key_to_pkcs8_pem(key: PrivateKey, password: bytes | None = None) -> bytes:
    """PKCS#8 PEM, encrypted with the best available scheme when ``password`` is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def is_pem(data: bytes | str) -> bool:
    """True when ``data`` is PEM armour (a ``-----BEGIN`` line after any leading whitespace), the one
    test every PEM-or-DER (or PEM-or-base64) reader uses to choose its decoder."""
    if isinstance(data, bytes):
        return data.lstrip().startswith(b"-----BEGIN")
    return data.lstrip().startswith("-----BEGIN")


def load_private_key(data: bytes, password: bytes | None = None) -> PrivateKey:
    """Load a PEM or DER private key (PKCS#8 or traditional), optionally encrypted.

    Raises InvalidInput(``bad_password``) for a wrong or missing password,
    InvalidInput(``malformed_key``) for anything undecodable or of another algorithm. An encrypted key
    that does not decode with the password given is ``bad_password``: about one wrong password in 256
    gets through the CBC padding check and yields garbage, indistinguishable from a corrupted key.
    """
    loader = serialization.load_pem_private_key if is_pem(data) else serialization.load_der_private_key
    try:
        key = loader(data, password)
    except TypeError as exc:  # password missing / given for an unencrypted key
        raise InvalidInput(ErrorCode.BAD_PASSWORD, f"key password problem: {exc}") from None
    except ValueError as exc:
        message = str(exc).lower()
        if "password" in message or "decrypt" in message or (password is not None and b"ENCRYPTED" in data):
            raise InvalidInput(ErrorCode.BAD_PASSWORD, "the key password is wrong") from None
        raise InvalidInput(ErrorCode.MALFORMED_KEY, "the private key cannot be decoded") from None
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise InvalidInput(ErrorCode.MALFORMED_KEY, "only RSA and ECDSA private keys are supported here")
    return key


def to_pkcs12(
    key: PrivateKey,
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
    password: bytes,
    friendly_name: bytes | None = None,
) -> bytes:
    """A PKCS#12 (AES-256 + PBKDF2, HMAC-SHA256 MAC) that OpenSSL 3 and Java's keytool read."""
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password)
    )
    return pkcs12.serialize_key_and_certificates(friendly_name, key, certificate, chain or None, encryption)


def load_pkcs12(data: bytes, password: bytes) -> tuple[PrivateKey, x509.Certificate, list[x509.Certificate]]:
    """Read an RSA/ECDSA PKCS#12: (key, certificate, extra certificates).

    Raises InvalidInput(``bad_password``) or InvalidInput(``malformed_pkcs12``).
    GOST containers need :func:`pki.gost.load_pkcs12` instead.
    """
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError as exc:
        code = ErrorCode.BAD_PASSWORD if "password" in str(exc).lower() else ErrorCode.MALFORMED_PKCS12
        raise InvalidInput(code, f"cannot open the PKCS#12: {exc}") from None
    if key is None or cert is None or not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise InvalidInput(
            ErrorCode.MALFORMED_PKCS12, "the PKCS#12 holds no RSA/ECDSA key with its certificate"
        )
    return key, cert, list(extra)


def load_certificate(data: bytes) -> x509.Certificate:
    """Load a PEM or DER certificate. Raises InvalidInput(``malformed_certificate``)."""
    try:
        if is_pem(data):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise InvalidInput(
            ErrorCode.MALFORMED_CERTIFICATE, "the certificate cannot be decoded (not PEM/DER X.509)"
        ) from None


def certificate_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def certificate_der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)
