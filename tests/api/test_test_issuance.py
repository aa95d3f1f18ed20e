"""Test issuance cannot impersonate (README "Threat model"): the tester role exists only on a test deployment,
and what a tester gets issued there carries the test-certificate policy, which production refuses.

Both deployments run over the SAME database and CA keys here (the worst case: a test instance left
pointing at production data), so only the test-certificate policy keeps the production login safe.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt

import pytest
from click.testing import CliRunner
from cryptography import x509
from flask.testing import FlaskClient

from api.app import create_app
from api.cli import cli
from pki import oids
from pki.iin import Sex, make_iin, parse_iin
from pki.keys import load_pkcs12
from tests.api.conftest import bearer
from tests.api.support import assert_problem, cms_login


@pytest.fixture(scope="module")
def test_deployment(app, api_settings, session_clock) -> FlaskClient:
    """A test-mode instance (KZPKI_TEST_PKI=1) on the production app's database."""
    return create_app(dataclasses.replace(api_settings, test_pki=True), clock=session_clock).test_client()


def _login(client: FlaskClient, key, certificate) -> dict:
    challenge = client.post("/api/v1/unis/challenges").get_json()
    response = client.post("/api/v1/unis/logins", json=cms_login(challenge, key, certificate))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _application(iin: str) -> dict:
    parsed = parse_iin(iin)
    return {
        "kind": "individual_auth",
        "iin": iin,
        "surname": "БӨТЕН",
        "name": "АДАМ",
        "birth_date": parsed.birth_date.isoformat(),
        "sex": parsed.sex.value,
        "generate_key": "p256",
        "pkcs12_password": "Qwerty12",
    }


def test_a_testers_certificate_for_someone_elses_iin_never_logs_in_on_production(
    client, test_deployment, tokens
):
    someone = make_iin(dt.date(1979, 5, 6), Sex.MALE, 4545)  # a real person with a UNIS account
    account = {"iin": someone, "role": "justice_employee", "chamber": "Astana"}
    created = client.post("/api/v1/unis/accounts", json=account, headers=bearer(tokens["nca_operator"]))
    assert created.status_code == 201, created.get_data(as_text=True)

    issued = test_deployment.post(
        "/api/v1/ca/applications", json=_application(someone), headers=bearer(tokens["tester"])
    )
    assert issued.status_code == 201, issued.get_data(as_text=True)
    key, certificate, _ = load_pkcs12(base64.b64decode(issued.get_json()["pkcs12"]), b"Qwerty12")
    policies = certificate.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert oids.POLICY_SIM_TEST_CERTIFICATE in {p.policy_identifier.dotted_string for p in policies}

    production = _login(client, key, certificate)
    assert production["decision"] == "refused"
    assert production["reasons"] == ["test_certificate"]
    failed = [c for c in production["verdict"]["checks"] if c["status"] == "failed"]
    assert [c["id"] for c in failed] == ["test_certificate"]

    tested = _login(test_deployment, key, certificate)  # where it belongs: accepted, with a warning
    assert tested["decision"] == "accepted", tested["reasons"]
    assert "test_certificate" in {w["code"] for w in tested["verdict"]["warnings"]}


def test_an_operators_certificate_carries_no_test_policy(client, tokens):
    iin = make_iin(dt.date(1981, 7, 8), Sex.FEMALE, 4646)
    issued = client.post(
        "/api/v1/ca/applications", json=_application(iin), headers=bearer(tokens["nca_operator"])
    )
    assert issued.status_code == 201, issued.get_data(as_text=True)
    certificate = x509.load_pem_x509_certificate(issued.get_json()["certificate_pem"].encode())
    policies = certificate.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert oids.POLICY_SIM_TEST_CERTIFICATE not in {p.policy_identifier.dotted_string for p in policies}


def test_production_refuses_the_tester_role_at_issuance_and_creation(client, tokens, api_settings):
    refused = client.post(
        "/api/v1/ca/applications",
        json=_application(make_iin(dt.date(1982, 1, 2), Sex.MALE, 4747)),
        headers=bearer(tokens["tester"]),
    )
    assert_problem(refused, 403, "test_mode_only")
    env = {
        "KZPKI_HOME": str(api_settings.home),
        "KZPKI_DATABASE_URL": api_settings.database_url,
        "KZPKI_CA_PASSPHRASE": api_settings.ca_passphrase.decode(),
    }
    result = CliRunner(env=env).invoke(cli, ["operators", "add", "--name", "tess-prod", "--role", "tester"])
    assert result.exit_code == 1 and "test_mode_only" in result.output
