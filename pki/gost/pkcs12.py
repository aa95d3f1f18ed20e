"""Legacy PKCS#12 (RFC 7292) holding a GOST key, as NCALayer / the NCA issue them.

What the NCA test .p12 files contain (established by decrypting them): a SHA-1 HMAC over the
AuthenticatedSafe (1024 iterations); a ``data`` SafeContents with one pkcs8ShroudedKeyBag encrypted with
pbeWithSHAAnd3-KeyTripleDES-CBC (1024 iterations) holding the GOST PKCS#8 key of :mod:`pki.gost.keys`;
and an ``encryptedData`` SafeContents encrypted with pbeWithSHAAnd40BitRC2-CBC holding the certificate
bag. Both PBE schemes derive key and IV with the RFC 7292 Appendix B KDF over SHA-1 from the password as
a NUL-terminated big-endian BMPString. 3DES comes from ``cryptography``; RC2 with 40 effective bits is
not in ``cryptography`` and is done by :mod:`pki.gost.rc2`.

Reading requires the MAC (password-integrity mode): a wrong password fails the MAC check and raises
GostError("bad_password") before anything is decrypted, so a wrong password never yields garbage.

Writing (:func:`dump_pkcs12`, for our own simulated CAs) uses the same layout, except that the
certificate bag is encrypted with 3DES too (RC2 is decrypt-only here).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable

from asn1crypto import cms, keys, pkcs12, x509
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, modes

from pki import oids
from pki.errors import ErrorCode, GostError
from pki.gost.keys import GostPrivateKey, GostPublicKey
from pki.gost.rc2 import rc2_cbc_decrypt

__all__ = ["dump_pkcs12", "load_pkcs12"]

_MAX_ITERATIONS = 1_000_000  # refuse files that would make the SHA-1 KDF run for minutes

_KDF_KEY, _KDF_IV, _KDF_MAC = 1, 2, 3


def _bmp_password(password: str) -> bytes:
    return password.encode("utf-16-be") + b"\x00\x00"


def _kdf(password: bytes, salt: bytes, iterations: int, purpose: int, length: int) -> bytes:
    """The RFC 7292 Appendix B.2 key derivation with SHA-1 (u = 20, v = 64)."""
    if not 0 < iterations <= _MAX_ITERATIONS:
        raise GostError(ErrorCode.MALFORMED_PKCS12, f"unsupported PKCS#12 iteration count {iterations}")
    v = 64

    def repeat(b: bytes, n: int) -> bytes:  # b repeated and cut to n bytes
        return (b * -(-n // len(b)))[:n] if b else b""

    def stretch(b: bytes) -> bytes:  # b repeated to the next multiple of v bytes
        return repeat(b, v * -(-len(b) // v))

    i = bytearray(stretch(salt) + stretch(password))
    out = b""
    while len(out) < length:
        a = bytes([purpose]) * v + bytes(i)
        for _ in range(iterations):
            a = hashlib.sha1(a).digest()  # noqa: S324 -- RFC 7292 legacy KDF, SHA-1 by definition
        out += a
        b = int.from_bytes(repeat(a, v), "big") + 1
        for j in range(0, len(i), v):
            i[j : j + v] = ((int.from_bytes(i[j : j + v], "big") + b) % (1 << (8 * v))).to_bytes(v, "big")
    return out[:length]


def _decrypt(algorithm: keys.EncryptionAlgorithm, ciphertext: bytes, password: bytes) -> bytes:
    """Decrypt a PKCS#12 PBE-encrypted blob and strip its PKCS#7 padding."""
    oid = algorithm["algorithm"].dotted
    params = algorithm["parameters"]
    salt, iterations = params["salt"].native, params["iterations"].native
    iv = _kdf(password, salt, iterations, _KDF_IV, 8)
    if oid == oids.PKCS12_PBE_SHA1_3DES:
        key = _kdf(password, salt, iterations, _KDF_KEY, 24)
        decryptor = Cipher(TripleDES(key), modes.CBC(iv)).decryptor()
        if len(ciphertext) % 8:
            raise GostError(ErrorCode.MALFORMED_PKCS12, "3DES ciphertext is not a whole number of blocks")
        plain = decryptor.update(ciphertext) + decryptor.finalize()
    elif oid == oids.PKCS12_PBE_SHA1_RC2_40:
        try:
            plain = rc2_cbc_decrypt(_kdf(password, salt, iterations, _KDF_KEY, 5), 40, iv, ciphertext)
        except ValueError as exc:
            raise GostError(ErrorCode.MALFORMED_PKCS12, str(exc)) from None
    else:
        raise GostError(ErrorCode.MALFORMED_PKCS12, f"unsupported PKCS#12 encryption {oid}")
    unpadder = padding.PKCS7(64).unpadder()
    try:
        return unpadder.update(plain) + unpadder.finalize()
    except ValueError:
        raise GostError(
            ErrorCode.MALFORMED_PKCS12, "bad padding after decryption (the MAC was correct)"
        ) from None


def _check_mac(pfx: pkcs12.Pfx, auth_safe: bytes, password: bytes) -> None:
    mac_data = pfx["mac_data"]
    if not mac_data:
        raise GostError(
            ErrorCode.MALFORMED_PKCS12, "the PKCS#12 file has no MAC: the password cannot be checked"
        )
    if mac_data["mac"]["digest_algorithm"]["algorithm"].dotted != oids.SHA1:
        raise GostError(ErrorCode.MALFORMED_PKCS12, "only HMAC-SHA-1 PKCS#12 MACs are supported")
    key = _kdf(password, mac_data["mac_salt"].native, mac_data["iterations"].native, _KDF_MAC, 20)
    if not hmac.compare_digest(hmac.digest(key, auth_safe, "sha1"), mac_data["mac"]["digest"].native):
        raise GostError(ErrorCode.BAD_PASSWORD, "wrong PKCS#12 password, or a corrupted file (MAC mismatch)")


def _certificate_of(key: GostPublicKey, certificates: list[bytes]) -> bytes | None:
    """The certificate whose subject public key is ``key``, if any."""
    for der in certificates:
        try:
            spki = x509.Certificate.load(der)["tbs_certificate"]["subject_public_key_info"].dump()
            if GostPublicKey.from_spki_der(spki) == key:
                return der
        except (ValueError, TypeError, KeyError):  # not a GOST certificate (GostError is a ValueError)
            continue
    return None


def load_pkcs12(data: bytes, password: str) -> tuple[GostPrivateKey, bytes | None]:
    """The GOST private key of a PKCS#12 file and the DER certificate that matches it (or None).

    Raises GostError: ``bad_password`` (MAC mismatch), ``malformed_pkcs12`` (undecodable, no MAC, no or
    several key bags, unsupported encryption or MAC), and the key errors of
    :meth:`GostPrivateKey.from_pkcs8_der` (e.g. ``unsupported_algorithm`` for an RSA key).
    """
    pw = _bmp_password(password)
    try:
        pfx = pkcs12.Pfx.load(data, strict=True)
        auth_safe_info = pfx["auth_safe"]
        if auth_safe_info["content_type"].native != "data":
            raise GostError(ErrorCode.MALFORMED_PKCS12, "only password-integrity PKCS#12 files are supported")
        auth_safe = auth_safe_info["content"].native
        _check_mac(pfx, auth_safe, pw)
        key_ders: list[bytes] = []
        certificates: list[bytes] = []
        for info in pkcs12.AuthenticatedSafe.load(auth_safe):
            kind = info["content_type"].native
            if kind == "data":
                contents = info["content"].native
            elif kind == "encrypted_data":
                enc = info["content"]["encrypted_content_info"]
                contents = _decrypt(enc["content_encryption_algorithm"], enc["encrypted_content"].native, pw)
            else:
                raise GostError(ErrorCode.MALFORMED_PKCS12, f"unsupported PKCS#12 content type {kind}")
            for bag in pkcs12.SafeContents.load(contents):
                bag_id = bag["bag_id"].native
                value = bag["bag_value"]
                if bag_id == "pkcs8_shrouded_key_bag":
                    encrypted = value["encrypted_data"].native
                    key_ders.append(_decrypt(value["encryption_algorithm"], encrypted, pw))
                elif bag_id == "cert_bag" and value["cert_id"].native == "x509":
                    certificates.append(bytes(value["cert_value"]))
    except (ValueError, TypeError, KeyError) as exc:
        if isinstance(exc, GostError):
            raise
        raise GostError(ErrorCode.MALFORMED_PKCS12, f"undecodable PKCS#12: {exc}") from None
    if len(key_ders) != 1:
        raise GostError(ErrorCode.MALFORMED_PKCS12, f"expected one shrouded key bag, found {len(key_ders)}")
    key = GostPrivateKey.from_pkcs8_der(key_ders[0])
    return key, _certificate_of(key.public_key(), certificates)


def _pbe(password: bytes, iterations: int) -> tuple[dict[str, object], Callable[[bytes], bytes]]:
    """A fresh pbeWithSHAAnd3-KeyTripleDES-CBC AlgorithmIdentifier and its encryption function."""
    salt = os.urandom(20)
    key = _kdf(password, salt, iterations, _KDF_KEY, 24)
    iv = _kdf(password, salt, iterations, _KDF_IV, 8)

    def encrypt(plain: bytes) -> bytes:
        padder = padding.PKCS7(64).padder()
        encryptor = Cipher(TripleDES(key), modes.CBC(iv)).encryptor()
        return encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()

    params = {"salt": salt, "iterations": iterations}
    return {"algorithm": oids.PKCS12_PBE_SHA1_3DES, "parameters": params}, encrypt


def dump_pkcs12(
    private_key: GostPrivateKey, certificate: bytes | None, password: str, *, iterations: int = 2048
) -> bytes:
    """A PKCS#12 file with ``private_key`` (and ``certificate``, DER) readable by :func:`load_pkcs12`.

    Layout as the NCA's (module docstring), 3DES for both bags; localKeyId is the SHA-1 of the
    certificate (or of the SubjectPublicKeyInfo when there is none). Random salts from ``os.urandom``.
    """
    pw = _bmp_password(password)
    local_id = hashlib.sha1(certificate or private_key.public_key().to_spki_der()).digest()  # noqa: S324
    attributes = [{"type": "local_key_id", "values": [local_id]}]
    algorithm, encrypt = _pbe(pw, iterations)
    shrouded = keys.EncryptedPrivateKeyInfo(
        {"encryption_algorithm": algorithm, "encrypted_data": encrypt(private_key.to_pkcs8_der())}
    )
    key_bags = pkcs12.SafeContents(
        [{"bag_id": "pkcs8_shrouded_key_bag", "bag_value": shrouded, "bag_attributes": attributes}]
    )
    infos = [cms.ContentInfo({"content_type": "data", "content": key_bags.dump()})]
    if certificate is not None:
        cert_bag = pkcs12.CertBag({"cert_id": "x509", "cert_value": x509.Certificate.load(certificate)})
        cert_bags = pkcs12.SafeContents(
            [{"bag_id": "cert_bag", "bag_value": cert_bag, "bag_attributes": attributes}]
        )
        algorithm, encrypt = _pbe(pw, iterations)
        encrypted = cms.EncryptedData(
            {
                "version": "v0",
                "encrypted_content_info": {
                    "content_type": "data",
                    "content_encryption_algorithm": algorithm,
                    "encrypted_content": encrypt(cert_bags.dump()),
                },
            }
        )
        infos.append(cms.ContentInfo({"content_type": "encrypted_data", "content": encrypted}))
    auth_safe = pkcs12.AuthenticatedSafe(infos).dump()
    mac_salt = os.urandom(20)
    mac_key = _kdf(pw, mac_salt, iterations, _KDF_MAC, 20)
    return pkcs12.Pfx(
        {
            "version": "v3",
            "auth_safe": {"content_type": "data", "content": auth_safe},
            "mac_data": {
                "mac": {
                    "digest_algorithm": {"algorithm": "sha1"},
                    "digest": hmac.digest(mac_key, auth_safe, "sha1"),
                },
                "mac_salt": mac_salt,
                "iterations": iterations,
            },
        }
    ).dump()
