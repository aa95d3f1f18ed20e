"""Where a CA key meets the bytes it signs: the one place that knows signature algorithms.

Two questions are answered here and nowhere else in ``ca_sim``:

- which signature ``AlgorithmIdentifier`` a CA key produces (:meth:`TbsSigner.algorithm_identifier`);
- how it signs a to-be-signed structure (:meth:`TbsSigner.sign`).

RSA keys sign sha256WithRSAEncryption (PKCS#1 v1.5) and ECDSA keys ecdsa-with-SHA256, as the NCA
profile says. Keys ``cryptography`` can use take its fast path (:func:`sign_certificate` hands the
builder to ``cryptography``); any other key (the GOST seam: add a branch to :func:`signer_for` that
returns a :class:`TbsSigner` for ``pki.gost.GostPrivateKey``) goes through :func:`assemble_certificate`,
which takes the builder's unsigned TBS, writes the signer's AlgorithmIdentifier into it, signs those
exact bytes and assembles the certificate. CRL and OCSP builders can use :func:`signer_for` the same way.
"""

from __future__ import annotations

from typing import Protocol, Union

from asn1crypto import algos, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from pki import keys, oids
from pki.errors import UnsupportedAlgorithm

# A CA private key. GOST keys (pki.gost.GostPrivateKey) join this union when the GOST signer lands.
CaPrivateKey = Union[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey]


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

    def __init__(self, key: CaPrivateKey) -> None:
        self._key = key
        oid = oids.SHA256_WITH_RSA if isinstance(key, rsa.RSAPrivateKey) else oids.ECDSA_WITH_SHA256
        # RFC 4055: sha256WithRSAEncryption carries an explicit NULL; RFC 5758: ECDSA carries none.
        parameters = core.Null() if isinstance(key, rsa.RSAPrivateKey) else core.Void()
        self._algorithm = algos.SignedDigestAlgorithm({"algorithm": oid, "parameters": parameters}).dump()

    def algorithm_identifier(self) -> bytes:
        return self._algorithm

    def sign(self, tbs: bytes) -> bytes:
        return keys.sign_bytes(self._key, tbs)


def signer_for(key: CaPrivateKey) -> TbsSigner:
    """The :class:`TbsSigner` for ``key``.

    Raises UnsupportedAlgorithm(``unsupported_ca_key``) for a key type no signer exists for
    (RSA and ECDSA today; GOST is added here).
    """
    if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        return _CryptographySigner(key)
    raise UnsupportedAlgorithm("unsupported_ca_key", f"no signer for CA keys of type {type(key).__name__}")


def sign_certificate(builder: x509.CertificateBuilder, key: CaPrivateKey) -> x509.Certificate:
    """Sign ``builder`` with ``key``: ``cryptography``'s own signing for RSA/ECDSA, else the TBS path.

    Raises UnsupportedAlgorithm(``unsupported_ca_key``) when no signer exists for ``key``.
    """
    if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        return builder.sign(key, hashes.SHA256())
    return assemble_certificate(builder, signer_for(key))


def assemble_certificate(builder: x509.CertificateBuilder, signer: TbsSigner) -> x509.Certificate:
    """Build the certificate by signing the TBS bytes with ``signer`` (the generic, algorithm-neutral path).

    The builder's unsigned TBS (RFC 9925) gets the signer's AlgorithmIdentifier in its ``signature``
    field; the resulting DER TBS is signed as is and wrapped with the same AlgorithmIdentifier.
    """
    unsigned = builder.create_unsigned()
    algorithm = algos.SignedDigestAlgorithm.load(signer.algorithm_identifier())
    tbs = asn1_x509.TbsCertificate.load(unsigned.tbs_certificate_bytes)
    tbs["signature"] = algorithm
    tbs_der = tbs.dump()
    certificate = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": algorithm,
            "signature_value": signer.sign(tbs_der),
        }
    )
    return x509.load_der_x509_certificate(certificate.dump())
