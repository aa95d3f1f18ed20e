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
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.api.support import attestation, cms_login, credentials, xml_login

ROOT = Path(__file__).resolve().parents[2]
OPENSSL = "openssl"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, base_url: str, fixtures: Path, manifest: dict[str, Any], env: dict[str, str]) -> None:
        self.base_url, self.fixtures, self.manifest, self.env = base_url, fixtures, manifest, env

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def challenge(self) -> dict[str, Any]:
        status, body = self.call("POST", "/api/v1/unis/challenges")
        assert status == 201
        return body

    def login(self, body: dict[str, Any]) -> dict[str, Any]:
        status, decision = self.call("POST", "/api/v1/unis/logins", body)
        assert status == 200, decision
        return decision


def _kzpki(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "api", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("e2e-home")
    port = _free_port()
    fixtures = home / "fixtures"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KZPKI_HOME": str(home),
        "KZPKI_CA_PASSPHRASE": "e2e passphrase",
        "KZPKI_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "KZPKI_BIOMETRIC_CERTS": str(fixtures / "biometric" / "cert.pem"),
    }
    env.pop("KZPKI_DATABASE_URL", None)
    _kzpki(env, "fixtures", "--out", str(fixtures))
    _kzpki(env, "unis", "import-accounts", str(fixtures / "manifest.json"))
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            output = process.stdout.read().decode() if process.stdout else ""
            process.kill()
            pytest.fail(f"kzpki serve did not start:\n{output}")
        time.sleep(0.1)
    manifest = json.loads((fixtures / "manifest.json").read_text())
    yield Server(base_url, fixtures, manifest, env)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if process.stdout:
        process.stdout.close()


def _scenario(server: Server, name: str) -> dict[str, Any]:
    return next(s for s in server.manifest["scenarios"] if s["name"] == name)


def test_e2e_unis8_login_signed_by_our_own_cms_code(server):
    challenge = server.challenge()
    decision = server.login(cms_login(challenge, *credentials(server.fixtures, "individual_auth_rsa")))
    assert decision["decision"] == "accepted", decision["reasons"]
    assert decision["verdict"]["signers"][0]["revocation"]["source"] == "ocsp"


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
    output = _kzpki(
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
    body["biometric"] = _kzpki(
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
