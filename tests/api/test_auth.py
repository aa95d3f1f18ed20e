"""Operator authentication and authorisation (401/403 per role and CA scope), every refusal audited."""

from __future__ import annotations

import pytest

from tests.api.conftest import bearer
from tests.api.support import assert_problem

REVOKE = ("/api/v1/ca/{ca}/certificates/1f/hold", {"document_ref": "order 7"})


def _refusals(services, after):
    return [e for e in services.audit.entries(after_seq=after, limit=1000) if e.outcome == "refused"]


def _last_seq(services):
    entries = services.audit.entries(after_seq=0, limit=100000)
    return entries[-1].seq if entries else 0


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_token"),
        ({"Authorization": "Bearer not-a-real-token"}, "invalid_token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing_token"),
        ({"Authorization": "Bearer " + "x" * 500}, "missing_token"),
    ],
    ids=["none", "unknown", "basic", "oversized"],
)
def test_missing_or_wrong_token_is_401_and_audited(client, services, headers, code):
    before = _last_seq(services)
    response = client.post("/api/v1/unis/accounts", json={}, headers=headers)
    assert_problem(response, 401, code)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert any(e.details.get("code") == code for e in _refusals(services, before))


@pytest.mark.parametrize(
    ("token", "ca", "code"),
    [
        ("tester", "nca", "role_forbidden"),  # a tester never revokes
        ("gov_operator", "nca", "ca_out_of_scope"),  # an operator of gov cannot touch nca
        ("auditor", "nca", "role_forbidden"),
        ("security_officer", "gov", "role_forbidden"),
    ],
)
def test_role_and_ca_scope_refusals_are_403_and_audited(client, services, tokens, token, ca, code):
    before = _last_seq(services)
    path, body = REVOKE
    response = client.post(path.format(ca=ca), json=body, headers=bearer(tokens[token]))
    assert_problem(response, 403, code)
    refusals = _refusals(services, before)
    assert refusals and refusals[-1].actor == f"api-{token}" and refusals[-1].details["code"] == code


def test_operator_of_the_ca_may_act(client, tokens):
    path, body = REVOKE
    # allowed: the serial is simply unknown to the register
    assert_problem(client.post(path.format(ca="nca"), json=body, headers=bearer(tokens["nca_operator"])), 404)


@pytest.mark.parametrize("token", ["tester", "auditor", "security_officer"])
def test_only_operators_manage_unis_accounts(client, tokens, token):
    response = client.get("/api/v1/unis/accounts", headers=bearer(tokens[token]))
    assert_problem(response, 403, "role_forbidden")


@pytest.mark.parametrize("token", ["nca_operator", "tester"])
def test_login_records_are_for_auditors(client, tokens, token):
    assert_problem(
        client.get("/api/v1/unis/login-records", headers=bearer(tokens[token])), 403, "role_forbidden"
    )


def test_neither_a_gov_operator_nor_a_tester_issues_nca_certificates_in_production(client, tokens):
    application = {"kind": "individual_auth", "iin": "850412300992"}
    refused = client.post("/api/v1/ca/applications", json=application, headers=bearer(tokens["gov_operator"]))
    assert_problem(refused, 403, "ca_out_of_scope")
    # a tester account exists only for test deployments (tests/api/test_test_issuance.py)
    tested = client.post("/api/v1/ca/applications", json=application, headers=bearer(tokens["tester"]))
    assert_problem(tested, 403, "test_mode_only")


def test_account_changes_are_audited_with_masked_iins(client, services, tokens):
    before = _last_seq(services)
    iin = "850412300992"
    client.post("/api/v1/unis/accounts/lookup", json={"iin": iin}, headers=bearer(tokens["nca_operator"]))
    entries = services.audit.entries(after_seq=before, limit=100)
    assert entries and entries[-1].action == "unis_lookup_account" and entries[-1].outcome == "refused"
    assert iin not in repr(entries)
