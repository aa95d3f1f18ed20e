"""Helpers for the API tests: scenario credentials, login signatures (CMS, XMLDSig), problem checks."""

from __future__ import annotations

import base64
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509

from pki import gost, xmldsig
from pki.cms_signing import sign_cms
from pki.iin import parse_iin
from pki.keys import PrivateKey, load_certificate, load_pkcs12, load_private_key
from unis.biometric import mint_attestation

PROBLEM = "application/problem+json"
PKCS12_PASSWORD = "Qwerty12"  # meets the CA's PKCS#12 password policy


def issue_with_account(
    server: Any, token: str, iin: str, surname: str, name: str
) -> tuple[str, PrivateKey, x509.Certificate, x509.Certificate]:
    """Through a running server's API (``tests.servers.RunningServer``): an individual's authentication
    certificate with a server-generated P-256 key, and an active UNIS account for ``iin``. Returns the
    serial (hex), the key, the certificate and its issuer."""
    parsed = parse_iin(iin)
    application = {
        "kind": "individual_auth",
        "iin": iin,
        "surname": surname,
        "name": name,
        "birth_date": parsed.birth_date.isoformat(),
        "sex": parsed.sex.value,
        "generate_key": "p256",
        "pkcs12_password": PKCS12_PASSWORD,
    }
    status, issued = server.call("POST", "/api/v1/ca/applications", application, token)
    assert status == 201, issued
    account = {"iin": iin, "role": "justice_employee", "chamber": "Astana"}
    status, body = server.call("POST", "/api/v1/unis/accounts", account, token)
    assert status == 201, body
    key, certificate, _ = load_pkcs12(base64.b64decode(issued["pkcs12"]), PKCS12_PASSWORD.encode())
    issuer = x509.load_pem_x509_certificate(issued["chain_pem"][0].encode())
    return issued["serial"], key, certificate, issuer


@cache
def credentials(fixtures: Path, scenario_or_dir: str) -> tuple[PrivateKey, x509.Certificate]:
    """The key and certificate of a fixture scenario (or of ``biometric``)."""
    directory = fixtures / ("biometric" if scenario_or_dir == "biometric" else f"scenarios/{scenario_or_dir}")
    key = load_private_key((directory / "key.pem").read_bytes())
    return key, load_certificate((directory / "cert.pem").read_bytes())


def cms_login(
    challenge: dict[str, Any],
    key: PrivateKey | gost.GostPrivateKey,
    certificate: x509.Certificate,
    *,
    detached: bool = True,
) -> dict[str, Any]:
    """The login body signing the challenge's nonce with CMS, as NCALayer does."""
    nonce = base64.b64decode(challenge["nonce"])
    signature = sign_cms(nonce, key, certificate, signing_time=dt.datetime.now(dt.UTC), detached=detached)
    return {"challenge_id": challenge["challenge_id"], "cms": base64.b64encode(signature).decode()}


def xml_login(challenge: dict[str, Any], key: PrivateKey, certificate: x509.Certificate) -> dict[str, Any]:
    """The login body with an enveloped XMLDSig of the challenge's ``xml_to_sign``."""
    signed = xmldsig.sign_enveloped(challenge["xml_to_sign"].encode(), key, certificate)
    return {"challenge_id": challenge["challenge_id"], "xml": signed.decode("utf-8")}


def attestation(
    fixtures: Path, iin: str, challenge_id: str, checked_at: dt.datetime, result: str = "passed"
) -> str:
    """A base64 biometric attestation signed by the fixtures' biometric service."""
    key, certificate = credentials(fixtures, "biometric")
    der = mint_attestation(
        private_key=key, certificate=certificate, iin=iin, challenge_id=challenge_id, checked_at=checked_at,
        result=result,
    )  # fmt: skip
    return base64.b64encode(der).decode()


def assert_problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """``response`` is an RFC 9457 problem with ``status`` (and ``code``); returns the body."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status and isinstance(body["code"], str) and body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    if code is not None:
        assert body["code"] == code, body
    return body
