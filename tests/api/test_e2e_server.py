"""End to end against the REAL server: ``kzpki serve`` (gunicorn, 2 workers) as a subprocess on a free port,
with a data directory prepared by ``kzpki fixtures`` and ``kzpki unis import-accounts``.

- a challenge signed with a fixture AUTH key by our own code (pki.cms) and by ``openssl cms -sign``;
- EVERY scenario of the fixtures manifest through the HTTP API, by CMS and by XMLDSig, with the decision
  and main reason code the manifest expects;
- ``openssl ocsp`` against the live ``/ocsp/`` reports good / revoked, with and without a nonce.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.api.support import attestation, cms_login, credentials, xml_login
from tests.servers import RunningServer, free_port, kzpki, running_server, server_env

OPENSSL = "openssl"


class Server:
    def __init__(self, running: RunningServer, fixtures: Path, manifest: dict[str, Any]) -> None:
        self.running, self.fixtures, self.manifest = running, fixtures, manifest
        self.base_url, self.env = running.base_url, running.env

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        return self.running.call(method, path, body, token)

    def challenge(self) -> dict[str, Any]:
        status, body = self.call("POST", "/api/v1/unis/challenges")
        assert status == 201
        return body

    def login(self, body: dict[str, Any]) -> dict[str, Any]:
        status, decision = self.call("POST", "/api/v1/unis/logins", body)
        assert status == 200, decision
        return decision


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("e2e-home")
    port = free_port()
    fixtures = home / "fixtures"
    env = server_env(home, port, KZPKI_BIOMETRIC_CERTS=str(fixtures / "biometric" / "cert.pem"))
    kzpki(env, "fixtures", "--out", str(fixtures))
    kzpki(env, "unis", "import-accounts", str(fixtures / "manifest.json"))
    with running_server(env, port, workers=2) as running:
        yield Server(running, fixtures, json.loads((fixtures / "manifest.json").read_text()))


def _scenario(server: Server, name: str) -> dict[str, Any]:
    return next(s for s in server.manifest["scenarios"] if s["name"] == name)


def test_e2e_unis8_login_signed_by_our_own_cms_code(server):
    challenge = server.challenge()
    decision = server.login(cms_login(challenge, *credentials(server.fixtures, "individual_auth_rsa")))
    assert decision["decision"] == "accepted", decision["reasons"]
    assert decision["verdict"]["signers"][0]["revocation"]["source"] == "registry"


@pytest.mark.parametrize("detached", [False, True], ids=["attached", "detached"])
def test_e2e_unis8_login_signed_by_openssl_cms(server, tmp_path, detached):
    challenge = server.challenge()
    nonce = tmp_path / "nonce.bin"
    nonce.write_bytes(base64.b64decode(challenge["nonce"]))
    files = server.fixtures / "scenarios" / "individual_auth_rsa"
    signed = tmp_path / "login.cms"
    command = [OPENSSL, "cms", "-sign", "-binary", "-nosmimecap", "-md", "sha256", "-in", str(nonce),
               "-signer", str(files / "cert.pem"), "-inkey", str(files / "key.pem"), "-outform", "DER",
               "-out", str(signed)]  # fmt: skip
    if not detached:
        command.insert(4, "-nodetach")
    subprocess.run(command, check=True, capture_output=True, timeout=30)
    body = {"challenge_id": challenge["challenge_id"], "cms": base64.b64encode(signed.read_bytes()).decode()}
    decision = server.login(body)
    assert decision["decision"] == "accepted", decision["reasons"]
    replay = server.login(body)
    assert replay["reasons"][0] == "challenge_used"


def _login_body(server: Server, scenario: dict[str, Any], form: str) -> dict[str, Any]:
    challenge = server.challenge()
    key, certificate = credentials(server.fixtures, scenario["name"])
    body = xml_login(challenge, key, certificate) if form == "xml" else cms_login(challenge, key, certificate)
    if scenario["needs_biometric"]:
        now = dt.datetime.now(dt.UTC)
        body["biometric"] = attestation(server.fixtures, scenario["iin"], challenge["challenge_id"], now)
    return body


def _unblock_unis12_account(server: Server, token: str) -> None:
    """The UNIS-12 scenario blocks its account; an operator lifts the block before the next round."""
    scenario = _scenario(server, "token_issued_over_a_year_ago")
    status, account = server.call("POST", "/api/v1/unis/accounts/lookup", {"iin": scenario["iin"]}, token)
    assert status == 200
    if account["status"] == "blocked":
        status, _ = server.call("POST", f"/api/v1/unis/accounts/{account['account_id']}/unblock", None, token)
        assert status == 200


@pytest.fixture(scope="module")
def operator_token(server) -> str:
    output = kzpki(
        server.env, "operators", "add", "--name", "e2e-operator", "--role", "operator", "--ca", "nca"
    )
    return output.strip().splitlines()[-1]


@pytest.mark.parametrize("form", ["cms", "xml"])
def test_e2e_every_fixture_scenario_gets_its_expected_decision(server, operator_token, form):
    _unblock_unis12_account(server, operator_token)
    mismatches = []
    for scenario in server.manifest["scenarios"]:
        decision = server.login(_login_body(server, scenario, form))
        expected = scenario["expected"]
        got = (decision["decision"], decision["reasons"][0] if decision["reasons"] else None)
        if got != (expected["decision"], expected["reason"]):
            mismatches.append((scenario["name"], got, expected))
    assert not mismatches
    blocked = server.login(_login_body(server, _scenario(server, "token_issued_over_a_year_ago"), form))
    assert blocked["reasons"] == ["account_blocked", "eds_not_reissued"]  # UNIS-12: blocked until lifted


def test_e2e_notary_attestation_from_the_cli(server):
    scenario = _scenario(server, "notary_biometric")
    challenge = server.challenge()
    body = cms_login(challenge, *credentials(server.fixtures, "notary_biometric"))
    body["biometric"] = kzpki(
        server.env, "unis", "attest",
        "--key", str(server.fixtures / "biometric" / "key.pem"),
        "--cert", str(server.fixtures / "biometric" / "cert.pem"),
        "--iin", scenario["iin"], "--challenge-id", challenge["challenge_id"],
    ).strip()  # fmt: skip
    assert server.login(body)["decision"] == "accepted"


@pytest.mark.parametrize(
    ("name", "status"),
    [("individual_auth_rsa", "good"), ("revoked_key_compromise", "revoked"), ("on_hold", "revoked")],
)
@pytest.mark.parametrize("nonce", [True, False], ids=["nonce", "no_nonce"])
def test_e2e_openssl_ocsp_against_the_live_server(server, name, status, nonce):
    ca = server.fixtures / "ca"
    command = [OPENSSL, "ocsp", "-issuer", str(ca / "nca.pem"),
               "-cert", str(server.fixtures / "scenarios" / name / "cert.pem"),
               "-url", f"{server.base_url}/ocsp/", "-CAfile", str(ca / "root.pem")]  # fmt: skip
    if not nonce:
        command.append("-no_nonce")
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "Response verify OK" in result.stderr
    assert f"cert.pem: {status}" in result.stdout
    if status == "revoked":
        assert "Reason:" in result.stdout or name == "on_hold"
