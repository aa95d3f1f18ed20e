"""Where a CA key meets the bytes it signs: the one place that knows signature algorithms.

Two questions are answered here and nowhere else in ``ca_sim``:

- which signature ``AlgorithmIdentifier`` a CA key produces (:meth:`TbsSigner.algorithm_identifier`);
- how it signs a to-be-signed structure (:meth:`TbsSigner.sign`).

RSA keys sign sha256WithRSAEncryption (PKCS#1 v1.5) and ECDSA keys ecdsa-with-SHA256, as the NCA
profile says; GOST R 34.10-2015 keys (``pki.gost.GostPrivateKey``) sign with the Kazakh signature OID of
their key type, explicit NULL parameters and the r||s little-endian layout (gost.md). Keys
``cryptography`` can use take its fast path (:func:`sign_certificate` hands the builder to
``cryptography``); GOST keys, and any certificate whose subject key ``cryptography`` cannot hold (a GOST
SubjectPublicKeyInfo, passed as DER), go through :func:`assemble_certificate`, which takes the builder's
unsigned TBS, writes the subject key and the signer's AlgorithmIdentifier into it, signs those exact
bytes and assembles the certificate. CRL and OCSP builders use :func:`signer_for` the same way.
"""

from __future__ import annotations

from typing import Protocol, Union

from asn1crypto import algos, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from pki import gost, keys, oids
from pki.errors import ErrorCode, UnsupportedAlgorithm

# A CA private key: RSA or ECDSA (cryptography) or GOST R 34.10 (pki.gost).
CaPrivateKey = Union[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, gost.GostPrivateKey]


class TbsSigner(Protocol):
    """Signs to-be-signed bytes (TBSCertificate, TBSCertList, ResponseData) with one CA key."""

    def algorithm_identifier(self) -> bytes:
        """DER of the signature AlgorithmIdentifier this signer produces."""
        ...

    def sign(self, tbs: bytes) -> bytes:
        """The signature value over ``tbs`` exactly as given (the content of the BIT STRING)."""
        ...


class _CryptographySigner:
    """RSA PKCS#1 v1.5 / ECDSA with SHA-256 through ``cryptography``."""

    def __init__(self, key: keys.PrivateKey) -> None:
        self._key = key
        oid = oids.SHA256_WITH_RSA if isinstance(key, rsa.RSAPrivateKey) else oids.ECDSA_WITH_SHA256
        # RFC 4055: sha256WithRSAEncryption carries an explicit NULL; RFC 5758: ECDSA carries none.
        parameters = core.Null() if isinstance(key, rsa.RSAPrivateKey) else core.Void()
        self._algorithm = algos.SignedDigestAlgorithm({"algorithm": oid, "parameters": parameters}).dump()

    def algorithm_identifier(self) -> bytes:
        return self._algorithm

    def sign(self, tbs: bytes) -> bytes:
        return keys.sign_bytes(self._key, tbs)


class _GostSigner:
    """GOST R 34.10-2015 / 34.310-2004 through ``pki.gost``: Kazakh OID, explicit NULL, r||s little-endian."""

    def __init__(self, key: gost.GostPrivateKey) -> None:
        self._key = key
        # gost.md "Byte layouts": signature AlgorithmIdentifiers carry an explicit NULL parameter.
        self._algorithm = algos.SignedDigestAlgorithm(
            {"algorithm": key.signature_oid, "parameters": core.Null()}
        ).dump()

    def algorithm_identifier(self) -> bytes:
        return self._algorithm

    def sign(self, tbs: bytes) -> bytes:
        return gost.sign(self._key, tbs)


def signer_for(key: CaPrivateKey) -> TbsSigner:
    """The :class:`TbsSigner` for ``key``.

    Raises UnsupportedAlgorithm(``unsupported_ca_key``) for a key type no signer exists for
    (RSA, ECDSA and GOST have one).
    """
    if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        return _CryptographySigner(key)
    if isinstance(key, gost.GostPrivateKey):
        return _GostSigner(key)
    raise UnsupportedAlgorithm(
        ErrorCode.UNSUPPORTED_CA_KEY, f"no signer for CA keys of type {type(key).__name__}"
    )


def sign_certificate(
    builder: x509.CertificateBuilder, key: CaPrivateKey, subject_public_key_info: bytes | None = None
) -> x509.Certificate:
    """Sign ``builder`` with ``key``: ``cryptography``'s own signing for RSA/ECDSA, else the TBS path.

    ``subject_public_key_info`` (DER), when given, replaces the builder's placeholder public key: the
    way to certify a key ``cryptography`` cannot represent (GOST). Raises
    UnsupportedAlgorithm(``unsupported_ca_key``) when no signer exists for ``key``.
    """
    if subject_public_key_info is None and isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        return builder.sign(key, hashes.SHA256())
    return assemble_certificate(builder, signer_for(key), subject_public_key_info)


def assemble_certificate(
    builder: x509.CertificateBuilder, signer: TbsSigner, subject_public_key_info: bytes | None = None
) -> x509.Certificate:
    """Build the certificate by signing the TBS bytes with ``signer`` (the generic, algorithm-neutral path).

    The builder's unsigned TBS (RFC 9925) gets the signer's AlgorithmIdentifier in its ``signature``
    field and, when given, ``subject_public_key_info`` (DER) in place of its public key; the resulting
    DER TBS is signed as is and wrapped with the same AlgorithmIdentifier.
    """
    unsigned = builder.create_unsigned()
    algorithm = algos.SignedDigestAlgorithm.load(signer.algorithm_identifier())
    tbs = asn1_x509.TbsCertificate.load(unsigned.tbs_certificate_bytes)
    tbs["signature"] = algorithm
    if subject_public_key_info is not None:
        tbs["subject_public_key_info"] = asn1_x509.PublicKeyInfo.load(subject_public_key_info)
    tbs_der = tbs.dump()
    certificate = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": algorithm,
            "signature_value": signer.sign(tbs_der),
        }
    )
    return x509.load_der_x509_certificate(certificate.dump())
