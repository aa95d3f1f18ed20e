"""NCANode's /jwt/encode and /jwt/decode (its commit 9f642fe) with our fixture PKCS#12 keys: the tokens we
sign verify with jwcrypto (an independent JOSE library) under the certificate's key; decode says valid only
when the signature, the time claims and the certificate all hold, and why not otherwise. The genuine NCA
GOST key's GG2015 tokens are in tests/api/test_ncanode_compat.py."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from jwcrypto import jwk, jws

from tests.api.conftest import scenarios

CLAIMS = {"cbin": "012345678909", "mcheck": "DS", "note": "құжат"}


def _key(fixture_dir, name="individual_sign_rsa"):
    files = scenarios(fixture_dir)[name]["files"]
    p12 = base64.b64encode((fixture_dir.path / files["p12"]).read_bytes()).decode()
    return {"key": p12, "password": files["p12_password"]}, (fixture_dir.path / files["cert_pem"]).read_text()


def _encode(client, key, claims, alg="RS256"):
    return client.post(
        "/jwt/encode", json={**key, "jwt": {"header": {"alg": alg, "typ": "JWT"}, "payload": claims}}
    )


def _now(clock) -> int:
    return int(clock.at.timestamp())


def _refused(response, code):
    assert response.status_code == 400 and response.mimetype == "application/json"
    answer = response.get_json()
    assert answer["status"] == 400 and answer["details"] == code, answer
    return answer["message"]


def test_encode_then_decode_round_trip_and_jwcrypto_agrees(client, fixture_dir, clock):
    key, certificate = _key(fixture_dir)
    claims = {**CLAIMS, "iat": _now(clock) - 5, "exp": _now(clock) + 600, "dropped": None}
    answer = _encode(client, key, claims).get_json()
    assert (
        set(answer) == {"status", "message", "jwt"} and answer["status"] == 200 and answer["message"] == "OK"
    )
    checked = jws.JWS()
    checked.deserialize(answer["jwt"])
    checked.verify(jwk.JWK.from_pem(certificate.encode()), alg="RS256")  # raises unless it verifies
    expected = {k: v for k, v in claims.items() if v is not None}  # null claims are left out, as NCANode
    assert json.loads(checked.payload) == expected
    decoded = client.post("/jwt/decode", json={"jwt": answer["jwt"], "key": certificate}).get_json()
    assert decoded == {
        "status": 200,
        "message": "OK",
        "valid": True,
        "jwt": {"header": {"alg": "RS256", "typ": "JWT"}, "payload": expected},
    }


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        (lambda now: {"exp": now - 1}, "the token expired at"),
        (lambda now: {"nbf": now + 3600}, "the token is not valid before"),
        (lambda now: {"iat": now + 3600}, "the token was issued in the future"),
    ],
    ids=["expired", "not-yet", "issued-later"],
)
def test_decode_judges_the_time_claims_now(client, fixture_dir, clock, claims, why):
    key, certificate = _key(fixture_dir)
    token = _encode(client, key, {**CLAIMS, **claims(_now(clock))}).get_json()["jwt"]
    decoded = client.post("/jwt/decode", json={"jwt": token, "key": certificate}).get_json()
    assert decoded["valid"] is False and decoded["message"].startswith(why)
    assert decoded["jwt"]["payload"]["cbin"] == CLAIMS["cbin"]  # the claims are still shown


def test_a_tampered_token_or_another_certificate_is_invalid(client, fixture_dir):
    key, certificate = _key(fixture_dir)
    token = _encode(client, key, CLAIMS).get_json()["jwt"]
    header, _, signature = token.split(".")
    payload = base64.urlsafe_b64encode(json.dumps({**CLAIMS, "mcheck": "XX"}).encode()).decode().rstrip("=")
    tampered = client.post("/jwt/decode", json={"jwt": f"{header}.{payload}.{signature}", "key": certificate})
    answer = tampered.get_json()
    assert tampered.status_code == 200 and answer["valid"] is False
    assert answer["message"] == "the token's signature does not verify with the certificate's key"
    _, other = _key(fixture_dir, "individual_single_key")
    assert client.post("/jwt/decode", json={"jwt": token, "key": other}).get_json()["valid"] is False


def test_a_certificate_of_no_trusted_ca_makes_a_good_signature_invalid(client, clock):
    """NCANode checks only the signature; kzpki also judges the certificate, and says why."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "self-made")])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
        .serial_number(7).not_valid_before(clock.at - dt.timedelta(days=1))
        .not_valid_after(clock.at + dt.timedelta(days=30)).sign(private, hashes.SHA256())
    )  # fmt: skip
    theirs = jws.JWS(json.dumps(CLAIMS).encode())
    theirs.add_signature(jwk.JWK.from_pyca(private), alg="RS256", protected=json.dumps({"alg": "RS256"}))
    body = {"jwt": theirs.serialize(compact=True), "key": certificate.public_bytes(Encoding.PEM).decode()}
    answer = client.post("/jwt/decode", json=body).get_json()
    assert answer["valid"] is False and "chain" in answer["message"]
    assert answer["jwt"] == {"header": {"alg": "RS256", "typ": None}, "payload": CLAIMS}


def test_encode_refusals(client, fixture_dir):
    key, _ = _key(fixture_dir)
    message = _refused(_encode(client, key, CLAIMS, alg="HS256"), "unsupported_algorithm")
    assert message.startswith("Unsupported algorithm: HS256")
    assert "RSA" in _refused(_encode(client, key, CLAIMS, alg="GG2015"), "key_algorithm_mismatch")
    wrong = {**key, "password": "wrong"}
    assert (
        _refused(_encode(client, wrong, CLAIMS), "bad_password") == "Key reading error: Password incorrect."
    )
    no_header = client.post("/jwt/encode", json={**key, "jwt": {"payload": CLAIMS}})
    assert no_header.status_code == 400 and no_header.get_json()["details"] == "missing_field"


def test_decode_refusals(client, fixture_dir):
    _, certificate = _key(fixture_dir)
    assert _refused(
        client.post("/jwt/decode", json={"jwt": "not.a.jwt", "key": certificate}), "malformed_jwt"
    )
    unsigned = "eyJhbGciOiJub25lIn0.eyJhIjoxfQ."
    refused = client.post("/jwt/decode", json={"jwt": unsigned, "key": certificate})
    assert _refused(refused, "unsupported_algorithm").startswith("Unsupported algorithm: none")
    junk_key = client.post("/jwt/decode", json={"jwt": unsigned, "key": base64.b64encode(b"junk").decode()})
    assert junk_key.status_code == 400
