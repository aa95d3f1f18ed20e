"""JSON Web Tokens (RFC 7519) as compact JWS (RFC 7515) made and checked with EDS keys: NCANode's ``/jwt``.

Algorithms (:data:`ALGORITHMS`): RS256/384/512 (RSASSA-PKCS1-v1_5, RFC 7518 3.3), ES256/384/512 (ECDSA on
P-256/P-384/P-521, RFC 7518 3.4, the curve fixed by the name) and the Kazakh GOST names NCANode accepts:
``GG2015`` (GOST R 34.10-2015 with the key's own hash: Streebog-512 for a 512-bit key, Streebog-256 for a
256-bit one) and ``GG2004`` (GOST 34.310-2004 with GOST R 34.11-94). A GOST signature is written as the NCA's
libraries write a GOST signature value (r||s, each half little-endian; gost.md "Byte layouts"), the JWS
signing input being ``base64url(header) . base64url(payload)`` as for every algorithm. No other algorithm is
ever accepted: not ``none``, not HMAC (a certificate's public key must never serve as an HMAC secret).

The JOSE encoding is PyJWT's (:class:`jwt.PyJWS`), with the two GOST algorithms registered beside its own.
No clock here: :func:`time_claims_problem` takes the instant to judge ``exp``, ``nbf`` and ``iat`` at.

Errors: InvalidInput ``malformed_jwt`` for a token that is not a compact JWS with a JSON object header and
payload; UnsupportedAlgorithm ``unsupported_algorithm`` for an algorithm not in :data:`ALGORITHMS`;
InvalidInput ``key_algorithm_mismatch`` when the signing key cannot make that algorithm's signatures.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import Algorithm
from jwt.exceptions import DecodeError, InvalidKeyError, InvalidSignatureError, PyJWTError

from pki import gost, oids
from pki.errors import ErrorCode, GostError, InvalidInput, UnsupportedAlgorithm
from pki.keys import PrivateKey, PublicKey

_T = TypeVar("_T")
SigningKey = PrivateKey | gost.GostPrivateKey
VerifyingKey = PublicKey | gost.GostPublicKey

_GOST_KEYS: dict[str, frozenset[str]] = {
    "GG2015": frozenset({oids.KZ_GOST2015_512_KEY, oids.KZ_GOST2015_256_KEY}),
    "GG2004": frozenset({oids.KZ_GOST2004_KEY}),
}
_EC_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "ES256": ec.SECP256R1,
    "ES384": ec.SECP384R1,
    "ES512": ec.SECP521R1,
}
_RSA = ("RS256", "RS384", "RS512")
_GOST_KEY_NAMES = {
    oids.KZ_GOST2015_512_KEY: "GOST R 34.10-2015 512-bit",
    oids.KZ_GOST2015_256_KEY: "GOST R 34.10-2015 256-bit",
    oids.KZ_GOST2004_KEY: "GOST 34.310-2004",
}
ALGORITHMS: tuple[str, ...] = (*_GOST_KEYS, *_EC_CURVES, *_RSA)  # NCANode's list, in its order


class _GostAlgorithm(Algorithm):
    """A Kazakh GOST JWS algorithm for PyJWT: the keys of ``key_oids``, signatures in the NCA layout."""

    def __init__(self, key_oids: frozenset[str]) -> None:
        self._key_oids = key_oids

    def prepare_key(self, key: Any) -> gost.GostPrivateKey | gost.GostPublicKey:
        if isinstance(key, gost.GostPrivateKey | gost.GostPublicKey) and key.key_oid in self._key_oids:
            return key
        raise InvalidKeyError("not a GOST key of this algorithm")

    def sign(self, msg: bytes, key: Any) -> bytes:
        return gost.sign(key, msg)

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        try:
            return gost.verify(key, key.signature_oid, msg, sig)
        except GostError:
            return False

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Any:
        raise NotImplementedError("GOST keys have no JWK form")

    @staticmethod
    def from_jwk(jwk: str | dict[str, Any]) -> Any:
        raise NotImplementedError("GOST keys have no JWK form")


def _jws() -> jwt.PyJWS:
    jws = jwt.PyJWS(algorithms=[*_EC_CURVES, *_RSA])  # PyJWT's own, every other one (none, HS*) removed
    for name, key_oids in _GOST_KEYS.items():
        jws.register_algorithm(name, _GostAlgorithm(key_oids))
    return jws


_JWS = _jws()


@dataclass(frozen=True)
class DecodedJwt:
    """What a token says: its header and claims (as sent), and whether its signature verifies under the key
    it was checked with (``problem`` says why not, None when it does)."""

    header: dict[str, Any]
    claims: dict[str, Any]
    problem: str | None

    @property
    def signature_valid(self) -> bool:
        return self.problem is None


def encode(claims: Mapping[str, Any], key: SigningKey, algorithm: str, *, typ: str = "JWT") -> str:
    """The compact JWS of ``claims`` (a JSON object, in the given order) signed by ``key`` with ``algorithm``;
    the header is ``{"alg", "typ"}``. Raises UnsupportedAlgorithm or InvalidInput (module docstring)."""
    _check_algorithm(algorithm)
    problem = _key_problem(algorithm, key)
    if problem is not None:
        raise InvalidInput(ErrorCode.KEY_ALGORITHM_MISMATCH, problem)
    payload = json.dumps(dict(claims), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"alg": algorithm, "typ": typ}
    signing_key: Any = key  # PyJWT's hints name its own key types; the registered GOST algorithms take ours
    return _JWS.encode(payload, signing_key, algorithm=algorithm, headers=headers, sort_headers=False)


def decode(token: str, key: VerifyingKey) -> DecodedJwt:
    """The header and claims of ``token`` and whether its signature verifies under ``key`` with the algorithm
    its header names. Raises InvalidInput ``malformed_jwt`` for a token that does not decode and
    UnsupportedAlgorithm for an algorithm not in :data:`ALGORITHMS`; a signature that does not verify, or a
    key of another type than the algorithm's, is a :class:`DecodedJwt` with a ``problem``."""
    header = _parsed(_JWS.get_unverified_header, token)
    algorithm = header.get("alg")
    if not isinstance(algorithm, str):
        raise InvalidInput(ErrorCode.MALFORMED_JWT, "the token's header names no algorithm (alg)")
    _check_algorithm(algorithm)
    problem = _key_problem(algorithm, key)
    payload: bytes | None = None
    if problem is None:
        verifying_key: Any = key  # as in encode
        try:
            payload = _JWS.decode_complete(token, verifying_key, algorithms=[algorithm])["payload"]
        except InvalidSignatureError:
            problem = "the token's signature does not verify with the certificate's key"
        except DecodeError as exc:
            raise _malformed(exc) from None
        except PyJWTError as exc:  # a key PyJWT refuses for the algorithm (e.g. too short)
            problem = f"the token's signature cannot be checked with the certificate's key: {exc}"
    if payload is None:  # not verified: read for the answer only
        payload = _parsed(_unverified_payload, token)
    claims = _json_object(payload)
    return DecodedJwt(header=header, claims=claims, problem=problem)


def time_claims_problem(claims: Mapping[str, Any], at: dt.datetime) -> str | None:
    """Why the token is not valid at ``at`` by its ``exp``, ``nbf`` or ``iat`` claim (RFC 7519 4.1.4-4.1.6,
    NumericDate seconds; no leeway, as NCANode's verifier): expired at or before ``at``, not yet valid, or
    issued after ``at``; None when none of them objects. A present claim that is not a number objects."""
    now = at.timestamp()
    for name in ("exp", "nbf", "iat"):
        if name not in claims:
            continue
        value = claims[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return f"the {name} claim is not a NumericDate (seconds since 1970)"
        when = dt.datetime.fromtimestamp(value, dt.UTC).isoformat() if abs(value) < 1e11 else str(value)
        if name == "exp" and now >= value:
            return f"the token expired at {when}"
        if name == "nbf" and now < value:
            return f"the token is not valid before {when}"
        if name == "iat" and now < value:
            return f"the token was issued in the future ({when})"
    return None


def _unverified_payload(token: str) -> bytes:
    payload: bytes = _JWS.decode_complete(token, options={"verify_signature": False})["payload"]
    return payload


def _parsed(read: Callable[[str], _T], token: str) -> _T:
    """``read(token)``, PyJWT's refusal of a token that does not decode raised as ``malformed_jwt``."""
    try:
        return read(token)
    except PyJWTError as exc:
        raise _malformed(exc) from None


def _malformed(exc: PyJWTError) -> InvalidInput:
    return InvalidInput(ErrorCode.MALFORMED_JWT, f"the token is not a compact JWS: {exc}")


def _check_algorithm(algorithm: str) -> None:
    if algorithm not in ALGORITHMS:
        raise UnsupportedAlgorithm(
            ErrorCode.UNSUPPORTED_ALGORITHM,
            f"Unsupported algorithm: {algorithm} (supported: {', '.join(ALGORITHMS)})",
            algorithm=algorithm,
        )


def _key_problem(algorithm: str, key: SigningKey | VerifyingKey) -> str | None:
    """Why ``key`` cannot make or check ``algorithm``'s signatures; None when it can."""
    if algorithm in _GOST_KEYS:
        fits = (
            isinstance(key, gost.GostPrivateKey | gost.GostPublicKey) and key.key_oid in _GOST_KEYS[algorithm]
        )
    elif algorithm in _EC_CURVES:
        fits = isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) and isinstance(
            key.curve, _EC_CURVES[algorithm]
        )
    else:
        fits = isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey)
    return None if fits else f"{algorithm} needs another key type than the {_key_kind(key)} key given"


def _key_kind(key: SigningKey | VerifyingKey) -> str:
    if isinstance(key, gost.GostPrivateKey | gost.GostPublicKey):
        return _GOST_KEY_NAMES.get(key.key_oid, key.key_oid)
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return f"ECDSA {key.curve.name}"
    return "RSA"


def _json_object(payload: bytes) -> dict[str, Any]:
    try:
        value = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(ErrorCode.MALFORMED_JWT, "the token's payload is not JSON") from None
    if not isinstance(value, dict):
        raise InvalidInput(ErrorCode.MALFORMED_JWT, "the token's payload is not a JSON object")
    return value
