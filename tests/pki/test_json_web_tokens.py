"""JSON Web Tokens (pki.json_web_tokens): RS*/ES* tokens judged by jwcrypto (an independent JOSE library)
in both directions, GOST tokens (GG2015, GG2004) by gostcrypto over the JWS signing input, and the refusals:
no ``none``, no HMAC, no key of another type, no undecodable token, time claims on the given instant."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from gostcrypto import gostsignature
from hypothesis import given, settings
from hypothesis import strategies as st
from jwcrypto import jwk, jws

from pki import json_web_tokens as tokens
from pki import oids
from pki.errors import ErrorCode, InvalidInput, KzPkiError, UnsupportedAlgorithm
from pki.gost import digest, hash_oid_for_signature
from tests.pki.test_gost_signature import GOSTCRYPTO_CURVES, KEYS, _be_pub

CLAIMS = {"cbin": "012345678909", "mcheck": "DS", "iat": 1631925900, "exp": 1631929500, "name": "Әлия"}
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEYS = {"ES256": ec.SECP256R1(), "ES384": ec.SECP384R1(), "ES512": ec.SECP521R1()}
NOW = dt.datetime(2021, 9, 18, 1, 0, tzinfo=dt.UTC)  # between CLAIMS' iat and exp


def _jwk(public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey) -> jwk.JWK:
    return jwk.JWK.from_pem(public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))


def _segments(token: str) -> tuple[dict, dict, bytes]:
    header, payload, signature = token.split(".")
    pad = lambda part: base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))  # noqa: E731
    return json.loads(pad(header)), json.loads(pad(payload)), pad(signature)


def _keys() -> list[tuple[str, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey]]:
    found: list[tuple[str, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey]] = [
        (name, RSA_KEY) for name in ("RS256", "RS384", "RS512")
    ]
    found += [(name, ec.generate_private_key(curve)) for name, curve in EC_KEYS.items()]
    return found


@pytest.mark.parametrize(("algorithm", "key"), _keys(), ids=lambda v: v if isinstance(v, str) else "")
def test_rs_and_es_tokens_verify_with_jwcrypto_and_back(algorithm, key):
    token = tokens.encode(CLAIMS, key, algorithm)
    header, payload, _ = _segments(token)
    assert header == {"alg": algorithm, "typ": "JWT"} and payload == CLAIMS
    checked = jws.JWS()
    checked.deserialize(token)
    checked.verify(_jwk(key.public_key()), alg=algorithm)  # raises when it does not verify
    assert json.loads(checked.payload) == CLAIMS
    theirs = jws.JWS(json.dumps(CLAIMS).encode())
    private = jwk.JWK.from_pyca(key)
    theirs.add_signature(private, alg=algorithm, protected=json.dumps({"alg": algorithm, "typ": "JWT"}))
    decoded = tokens.decode(theirs.serialize(compact=True), key.public_key())
    assert decoded.signature_valid and decoded.claims == CLAIMS and decoded.header["alg"] == algorithm


def _gost_verifies(token: str, key_oid: str) -> bool:
    """gostcrypto's verdict on a GOST token: its signature (r||s, little-endian halves) over the signing
    input, with the digest of the key type."""
    signing_input = token.rsplit(".", 1)[0].encode()
    _, _, signature = _segments(token)
    mode, params = GOSTCRYPTO_CURVES[key_oid]
    size = len(signature) // 2
    key = KEYS[key_oid]
    signature_oid = key.signature_oid
    h = digest(hash_oid_for_signature(signature_oid), signing_input)
    big_endian = signature[:size][::-1] + signature[size:][::-1]
    other = gostsignature.new(mode, params)
    return bool(other.verify(_be_pub(key.public_key(), size), bytearray(h[::-1]), bytearray(big_endian)))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("algorithm", "key_oid"),
    [
        ("GG2015", oids.KZ_GOST2015_512_KEY),
        ("GG2015", oids.KZ_GOST2015_256_KEY),
        ("GG2004", oids.KZ_GOST2004_KEY),
    ],
    ids=["GG2015-512", "GG2015-256", "GG2004"],
)
def test_gost_tokens_verify_with_gostcrypto(algorithm, key_oid):
    key = KEYS[key_oid]
    token = tokens.encode(CLAIMS, key, algorithm)
    assert _segments(token)[0] == {"alg": algorithm, "typ": "JWT"}
    assert _gost_verifies(token, key_oid)
    assert tokens.decode(token, key.public_key()).signature_valid
    header, _, signature = token.split(".")
    forged = f"{header}.{base64.urlsafe_b64encode(b'{}').decode().rstrip('=')}.{signature}"
    assert not _gost_verifies(forged, key_oid)
    assert tokens.decode(forged, key.public_key()).problem == (
        "the token's signature does not verify with the certificate's key"
    )


def test_gost_2015_token_is_not_checked_with_a_2004_key():
    token = tokens.encode({"a": 1}, KEYS[oids.KZ_GOST2015_512_KEY], "GG2015")
    decoded = tokens.decode(token, KEYS[oids.KZ_GOST2004_KEY].public_key())
    assert not decoded.signature_valid and "GOST 34.310-2004" in (decoded.problem or "")


def test_a_tampered_or_foreign_token_does_not_verify():
    token = tokens.encode(CLAIMS, RSA_KEY, "RS256")
    header, _, signature = token.split(".")
    altered = base64.urlsafe_b64encode(json.dumps({**CLAIMS, "mcheck": "XX"}).encode()).decode().rstrip("=")
    assert not tokens.decode(f"{header}.{altered}.{signature}", RSA_KEY.public_key()).signature_valid
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert not tokens.decode(token, other.public_key()).signature_valid
    assert "ECDSA" in (
        tokens.decode(token, ec.generate_private_key(ec.SECP256R1()).public_key()).problem or ""
    )


def test_es256_needs_p256():
    with pytest.raises(InvalidInput) as refused:
        tokens.encode(CLAIMS, ec.generate_private_key(ec.SECP384R1()), "ES256")
    assert refused.value.code == ErrorCode.KEY_ALGORITHM_MISMATCH


@pytest.mark.parametrize(
    ("algorithm", "key"), [("GG2015", RSA_KEY), ("RS256", KEYS[oids.KZ_GOST2015_512_KEY])]
)
def test_a_key_of_another_type_is_refused_when_signing(algorithm, key):
    with pytest.raises(InvalidInput) as refused:
        tokens.encode(CLAIMS, key, algorithm)
    assert refused.value.code == ErrorCode.KEY_ALGORITHM_MISMATCH


def _unsigned(header: dict) -> str:
    encode = lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode().rstrip("=")  # noqa: E731
    return f"{encode(header)}.{encode(CLAIMS)}."


@pytest.mark.parametrize("algorithm", ["none", "HS256", "PS256", "EdDSA"])
def test_other_algorithms_are_refused_both_ways(algorithm):
    with pytest.raises(UnsupportedAlgorithm) as refused:
        tokens.encode(CLAIMS, RSA_KEY, algorithm)
    assert refused.value.code == ErrorCode.UNSUPPORTED_ALGORITHM
    with pytest.raises(UnsupportedAlgorithm):
        tokens.decode(_unsigned({"alg": algorithm, "typ": "JWT"}), RSA_KEY.public_key())


def test_an_hmac_token_keyed_with_the_public_key_is_refused():
    """The algorithm-confusion attack: HS256 with the certificate's public key as the HMAC secret."""
    secret = jwk.JWK(kty="oct", k=base64.urlsafe_b64encode(
        RSA_KEY.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    ).decode().rstrip("="))  # fmt: skip
    forged = jws.JWS(json.dumps(CLAIMS).encode())
    forged.add_signature(secret, alg="HS256", protected=json.dumps({"alg": "HS256"}))
    with pytest.raises(UnsupportedAlgorithm):
        tokens.decode(forged.serialize(compact=True), RSA_KEY.public_key())


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c",
        "e30.e30",
        "bnVsbA.e30.",
        _unsigned({"typ": "JWT"}),
        "e30.WzFd.",
        "e30.bm90IGpzb24.",
    ],
)
def test_undecodable_tokens_are_malformed(token):
    with pytest.raises(InvalidInput) as refused:
        tokens.decode(token, RSA_KEY.public_key())
    assert refused.value.code == ErrorCode.MALFORMED_JWT


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=120).map(lambda b: base64.urlsafe_b64encode(b).decode()))
def test_any_text_is_a_result_or_a_domain_error(text):
    try:
        decoded = tokens.decode(text, RSA_KEY.public_key())
    except KzPkiError as exc:
        assert exc.code in (ErrorCode.MALFORMED_JWT, ErrorCode.UNSUPPORTED_ALGORITHM)
    else:
        assert not decoded.signature_valid


@pytest.mark.parametrize(
    ("claims", "problem"),
    [
        (CLAIMS, None),
        ({}, None),
        ({**CLAIMS, "exp": NOW.timestamp()}, "the token expired at 2021-09-18T01:00:00+00:00"),
        ({"exp": NOW.timestamp() + 1}, None),
        ({"nbf": NOW.timestamp() + 1}, "the token is not valid before 2021-09-18T01:00:01+00:00"),
        ({"nbf": NOW.timestamp()}, None),
        ({"iat": NOW.timestamp() + 60}, "the token was issued in the future (2021-09-18T01:01:00+00:00)"),
        ({"exp": "tomorrow"}, "the exp claim is not a NumericDate (seconds since 1970)"),
        ({"exp": True}, "the exp claim is not a NumericDate (seconds since 1970)"),
        ({"iat": float("nan")}, "the iat claim is not a NumericDate (seconds since 1970)"),
        ({"exp": 10**30}, None),
    ],
)
def test_time_claims_are_judged_at_the_given_instant(claims, problem):
    assert tokens.time_claims_problem(claims, NOW) == problem
