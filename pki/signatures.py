"""Signature verification behind ONE dispatch table: signature algorithm OID -> verifier function.

Every signature the project checks (certificates, CRLs, OCSP responses, CMS signer infos,
XMLDSig SignedInfo) goes through :func:`verify_signature`, so supporting a new algorithm
(GOST R 34.10-2015 / 34.310-2004 from :mod:`pki.gost`) is one entry in
:data:`SIGNATURE_VERIFIERS`.

Supported (nca-profile.md "Algorithms", gost.md): RSA PKCS#1 v1.5 and RSA-PSS with SHA-2, ECDSA with
SHA-2, and the three Kazakh GOST signatures (R 34.10-2015 512- and 256-bit, 34.310-2004) through
:mod:`pki.gost`. SHA-1 and MD5 signatures and RSA keys under 2048 bits are refused as unsupported
(the same constraints as pyhanko-certvalidator's default algorithm policy, so the verifier's fast
path and a full path validation agree). DSA with SHA-1 or SHA-256 (:data:`LEGACY_SIGNATURE_VERIFIERS`)
verifies only for a caller that names it in ``legacy``: a validation policy's explicit choice for
historic documents (``verifier.policy.CryptographicConstraints``), never a default. Loaded public
keys are cached by their DER encoding: the CA keys are used over and over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, ClassVar, cast

from asn1crypto import algos, core, keys
from cryptography.exceptions import InvalidSignature
from cryptography.exceptions import UnsupportedAlgorithm as CryptographyUnsupported
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa

from pki import gost, oids
from pki.errors import ErrorCode, InvalidInput, UnsupportedAlgorithm

MIN_RSA_BITS = 2048

# Digest algorithm OID -> cryptography hash class. SHA-1 is deliberately absent for signatures.
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    oids.SHA256: hashes.SHA256,
    oids.SHA384: hashes.SHA384,
    oids.SHA512: hashes.SHA512,
}


@dataclass(frozen=True)
class SignatureInput:
    """What a verifier function receives. ``digest_algorithm`` is a dotted OID or None.

    ``digest_algorithm`` matters only for AlgorithmIdentifiers that name a key type without a
    hash (CMS signer infos with ``rsaEncryption`` or ``id-ecPublicKey``).
    """

    public_key_info: keys.PublicKeyInfo
    algorithm: algos.SignedDigestAlgorithm
    signed_data: bytes | memoryview
    signature: bytes
    digest_algorithm: str | None


SignatureVerifier = Callable[[SignatureInput], bool]


def verify_signature(
    public_key_info: bytes | keys.PublicKeyInfo,
    signature_algorithm: str | bytes | algos.SignedDigestAlgorithm,
    signed_data: bytes | memoryview,
    signature: bytes,
    *,
    digest_algorithm: str | None = None,
    legacy: frozenset[str] = frozenset(),
) -> bool:
    """True if ``signature`` over ``signed_data`` verifies with the key in ``public_key_info``.

    ``signed_data`` may be a memoryview into a larger buffer: a national-scale CRL's TBSCertList is ~50 MB,
    and slicing it into bytes copies it while holding the interpreter (28 ms that a login waiting for the
    CRL's index on another thread could not run).

    ``public_key_info`` is a SubjectPublicKeyInfo (DER or asn1crypto); ``signature_algorithm``
    a dotted OID (algorithms without parameters), the DER of an AlgorithmIdentifier or an
    asn1crypto ``SignedDigestAlgorithm``. For ECDSA ``signature`` is the DER ``Ecdsa-Sig-Value``.

    Returns False when the signature does not verify (including a key of another type than the
    algorithm's). Raises :class:`UnsupportedAlgorithm` (code ``unsupported_algorithm``) for an
    algorithm not in :data:`SIGNATURE_VERIFIERS` (e.g. GOST until :mod:`pki.gost` is wired in),
    SHA-1/MD5, an RSA key under :data:`MIN_RSA_BITS` bits or a GOST key on a parameter set we do
    not know; :class:`InvalidInput` (``malformed_key``) when the key cannot be decoded (for GOST
    also a point off its curve; for DSA a key without its parameters: the caller gives the key with
    the parameters it inherits, RFC 3279 2.3.2).

    ``legacy``: dotted OIDs of :data:`LEGACY_SIGNATURE_VERIFIERS` the caller's policy accepts as well.
    """
    spki = public_key_info if isinstance(public_key_info, keys.PublicKeyInfo) else _spki(public_key_info)
    algorithm = _algorithm(signature_algorithm)
    oid = algorithm["algorithm"].dotted
    verifier = SIGNATURE_VERIFIERS.get(oid)
    if verifier is None and oid in legacy:
        verifier = LEGACY_SIGNATURE_VERIFIERS.get(oid)
    if verifier is None:
        raise UnsupportedAlgorithm(
            ErrorCode.UNSUPPORTED_ALGORITHM, f"signature algorithm {oid} is not supported", algorithm=oid
        )
    return verifier(SignatureInput(spki, algorithm, signed_data, signature, digest_algorithm))


def is_supported(signature_algorithm_oid: str) -> bool:
    """True if :func:`verify_signature` has a verifier for this signature algorithm OID."""
    return signature_algorithm_oid in SIGNATURE_VERIFIERS


def load_public_key(public_key_info_der: bytes) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    """The ``cryptography`` key for a DER SubjectPublicKeyInfo (cached; RSA-PSS keys load as RSA).

    Raises InvalidInput(``malformed_key``) or UnsupportedAlgorithm for other key types.
    """
    return _load_public_key(public_key_info_der)


def load_any_public_key(
    public_key_info_der: bytes,
) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey | gost.GostPublicKey:
    """The key of a DER SubjectPublicKeyInfo: a Kazakh GOST key (:mod:`pki.gost`), else as
    :func:`load_public_key`, which says what it raises (for a GOST key on unknown parameters too)."""
    return _gost_key(public_key_info_der) or _load_public_key(public_key_info_der)


@lru_cache(maxsize=4096)
def _load_public_key(der: bytes) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    spki = _spki(der)
    if spki["algorithm"]["algorithm"].dotted == oids.RSASSA_PSS:
        # cryptography loads RSA-PSS-only keys as plain RSA once the OID says so (as pyhanko does).
        spki = spki.copy()
        spki["algorithm"] = {"algorithm": "rsa"}
        der = spki.dump(force=True)
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, CryptographyUnsupported):
        raise UnsupportedAlgorithm(
            ErrorCode.UNSUPPORTED_ALGORITHM,
            f"public key algorithm {spki['algorithm']['algorithm'].dotted} is not supported",
        ) from None
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise UnsupportedAlgorithm(
                ErrorCode.UNSUPPORTED_ALGORITHM,
                f"RSA key of {key.key_size} bits is too small (< {MIN_RSA_BITS})",
            )
        return key
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key
    raise UnsupportedAlgorithm(
        ErrorCode.UNSUPPORTED_ALGORITHM, f"public key type {type(key).__name__} is not supported"
    )


class _OpaqueKeyInfo(keys.PublicKeyInfo):
    """A SubjectPublicKeyInfo whose key bits stay an opaque BIT STRING.

    asn1crypto raises KeyError when it types the key of an algorithm it does not know (the GOST ones)
    unless pyhanko-certvalidator, once imported, has patched it; nothing here needs the key typed
    (``cryptography`` and :mod:`pki.gost` decode the DER), so the outcome never depends on imports.
    """

    _spec_callbacks: ClassVar[dict[str, Callable[[Any], tuple[type, None]]]] = {
        "public_key": lambda _info: (core.OctetBitString, None)
    }


@lru_cache(maxsize=4096)
def _spki(der: bytes) -> keys.PublicKeyInfo:
    try:
        spki = _OpaqueKeyInfo.load(der)
        spki["algorithm"]
    except (ValueError, TypeError):
        raise InvalidInput(ErrorCode.MALFORMED_KEY, "the SubjectPublicKeyInfo cannot be decoded") from None
    return spki


@lru_cache(maxsize=256)
def _algorithm_from_oid(oid: str) -> algos.SignedDigestAlgorithm:
    return algos.SignedDigestAlgorithm({"algorithm": oid})


def _algorithm(value: str | bytes | algos.SignedDigestAlgorithm) -> algos.SignedDigestAlgorithm:
    if isinstance(value, algos.SignedDigestAlgorithm):
        return value
    if isinstance(value, str):
        return _algorithm_from_oid(value)
    try:
        algorithm = algos.SignedDigestAlgorithm.load(value)
        algorithm["algorithm"].dotted  # noqa: B018 - force the parse
    except (ValueError, TypeError):
        raise InvalidInput(
            ErrorCode.MALFORMED_SIGNATURE, "the signature AlgorithmIdentifier cannot be decoded"
        ) from None
    return algorithm


def _hash(digest_oid: str | None, what: str) -> hashes.HashAlgorithm:
    hash_class = _HASHES.get(digest_oid or "")
    if hash_class is None:
        raise UnsupportedAlgorithm(
            ErrorCode.UNSUPPORTED_ALGORITHM,
            f"digest algorithm {digest_oid} is not allowed for {what}",
            algorithm=digest_oid,
        )
    return hash_class()


def _crypto_key(spki: keys.PublicKeyInfo) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey | None:
    """The ``cryptography`` key, or None for a GOST key (a key of another type than RSA's or ECDSA's)."""
    if spki["algorithm"]["algorithm"].dotted in oids.GOST_KEY_ALGORITHMS:
        return None
    return _load_public_key(spki.dump())


def _rsa_key(spki: keys.PublicKeyInfo) -> rsa.RSAPublicKey | None:
    key = _crypto_key(spki)
    return key if isinstance(key, rsa.RSAPublicKey) else None


def _ec_key(spki: keys.PublicKeyInfo) -> ec.EllipticCurvePublicKey | None:
    key = _crypto_key(spki)
    return key if isinstance(key, ec.EllipticCurvePublicKey) else None


def _holds(verification: Callable[[], object]) -> bool:
    """True when ``verification`` (a ``cryptography`` ``verify`` call) returns, False when it raises
    InvalidSignature."""
    try:
        verification()
    except InvalidSignature:
        return False
    return True


def _as_bytes(data: bytes | memoryview) -> bytes:
    """``data`` typed as cryptography's RSA stubs type it (its ``verify`` reads any buffer)."""
    return cast(bytes, data)


def _pkcs1v15(digest_oid: str | None) -> SignatureVerifier:
    """RSASSA-PKCS1-v1_5 with a fixed digest (``None``: the digest comes from the caller, as in CMS)."""

    def verify(s: SignatureInput) -> bool:
        chosen = _hash(digest_oid or s.digest_algorithm, "RSA PKCS#1 v1.5")
        key = _rsa_key(s.public_key_info)
        return key is not None and _holds(
            partial(key.verify, s.signature, _as_bytes(s.signed_data), padding.PKCS1v15(), chosen)
        )

    return verify


def _ecdsa(digest_oid: str | None) -> SignatureVerifier:
    """ECDSA with a fixed digest (``None``: the digest comes from the caller, as in CMS)."""

    def verify(s: SignatureInput) -> bool:
        chosen = _hash(digest_oid or s.digest_algorithm, "ECDSA")
        key = _ec_key(s.public_key_info)
        return key is not None and _holds(partial(key.verify, s.signature, s.signed_data, ec.ECDSA(chosen)))

    return verify


def _rsassa_pss(s: SignatureInput) -> bool:
    """RSASSA-PSS with the parameters of the AlgorithmIdentifier (RFC 4055); MGF1 only, trailer 1."""
    params = s.algorithm["parameters"]
    if not isinstance(params, algos.RSASSAPSSParams):
        raise InvalidInput(ErrorCode.MALFORMED_SIGNATURE, "RSASSA-PSS parameters are missing")
    chosen = _hash(params["hash_algorithm"]["algorithm"].dotted, "RSASSA-PSS")
    mgf = params["mask_gen_algorithm"]
    if mgf["algorithm"].native != "mgf1":
        raise UnsupportedAlgorithm(ErrorCode.UNSUPPORTED_ALGORITHM, "RSASSA-PSS supports MGF1 only")
    mgf_hash = _hash(mgf["parameters"]["algorithm"].dotted, "MGF1")
    if params["trailer_field"].native not in (None, "trailer_field_bc"):
        raise UnsupportedAlgorithm(ErrorCode.UNSUPPORTED_ALGORITHM, "RSASSA-PSS trailer field must be 1")
    key = _rsa_key(s.public_key_info)
    if key is None:
        return False
    pss = padding.PSS(mgf=padding.MGF1(mgf_hash), salt_length=params["salt_length"].native)
    return _holds(partial(key.verify, s.signature, _as_bytes(s.signed_data), pss, chosen))


@lru_cache(maxsize=4096)
def _gost_key(der: bytes) -> gost.GostPublicKey | None:
    """The GOST key of a DER SubjectPublicKeyInfo; None for a key of another algorithm."""
    try:
        return gost.GostPublicKey.from_spki_der(der)
    except gost.GostError as exc:
        if exc.code == ErrorCode.UNSUPPORTED_ALGORITHM:
            return None
        if exc.code == ErrorCode.UNSUPPORTED_PARAMETERS:
            raise UnsupportedAlgorithm(ErrorCode.UNSUPPORTED_ALGORITHM, f"GOST key: {exc}") from None
        raise InvalidInput(ErrorCode.MALFORMED_KEY, f"GOST key: {exc}") from None


def _gost(s: SignatureInput) -> bool:
    """GOST R 34.10 in the Kazakh layout (gost.md); the hash is the one of the signature OID.

    A key of another type than the signature OID's (an RSA key, or a 2004 key under a 2015 OID) is False.
    """
    key = _gost_key(s.public_key_info.dump())
    oid = s.algorithm["algorithm"].dotted
    if key is None or key.signature_oid != oid:
        return False
    return gost.verify(key, oid, bytes(s.signed_data), s.signature)


@lru_cache(maxsize=256)
def _dsa_key(der: bytes) -> dsa.DSAPublicKey | None:
    """The DSA key of a DER SubjectPublicKeyInfo; None for a key of another algorithm."""
    spki = _spki(der)
    if spki["algorithm"]["algorithm"].dotted != oids.DSA_KEY:
        return None
    if spki["algorithm"]["parameters"].native is None:
        raise InvalidInput(
            ErrorCode.MALFORMED_KEY, "the DSA key has no parameters (they are inherited from its issuer)"
        )
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, CryptographyUnsupported):
        raise InvalidInput(ErrorCode.MALFORMED_KEY, "the DSA key cannot be decoded") from None
    return key if isinstance(key, dsa.DSAPublicKey) else None


def _dsa(digest_oid: str) -> SignatureVerifier:
    """DSA over ``digest_oid`` (RFC 3279 2.2.2, RFC 5758 3.1); the signature a DER Dss-Sig-Value."""
    chosen: type[hashes.HashAlgorithm] = hashes.SHA1 if digest_oid == oids.SHA1 else _HASHES[digest_oid]

    def verify(s: SignatureInput) -> bool:
        key = _dsa_key(s.public_key_info.dump())
        return key is not None and _holds(partial(key.verify, s.signature, s.signed_data, chosen()))

    return verify


# Signatures no default accepts (SHA-1; DSA, which neither the NCA nor current profiles use): verified
# only for a caller naming them in ``legacy`` (verify_signature).
LEGACY_SIGNATURE_VERIFIERS: dict[str, SignatureVerifier] = {
    oids.DSA_WITH_SHA1: _dsa(oids.SHA1),
    oids.DSA_WITH_SHA256: _dsa(oids.SHA256),
}

# THE dispatch table: signature AlgorithmIdentifier OID -> verifier.
SIGNATURE_VERIFIERS: dict[str, SignatureVerifier] = {
    oids.RSA_ENCRYPTION: _pkcs1v15(None),  # CMS signer infos: digest from digestAlgorithm
    oids.SHA256_WITH_RSA: _pkcs1v15(oids.SHA256),
    oids.SHA384_WITH_RSA: _pkcs1v15(oids.SHA384),
    oids.SHA512_WITH_RSA: _pkcs1v15(oids.SHA512),
    oids.RSASSA_PSS: _rsassa_pss,
    oids.EC_PUBLIC_KEY: _ecdsa(None),  # CMS signer infos: digest from digestAlgorithm
    oids.ECDSA_WITH_SHA256: _ecdsa(oids.SHA256),
    oids.ECDSA_WITH_SHA384: _ecdsa(oids.SHA384),
    oids.ECDSA_WITH_SHA512: _ecdsa(oids.SHA512),
    **dict.fromkeys(oids.GOST_SIGNATURE_ALGORITHMS, _gost),
}
