"""PD-24: the owner, proving possession of their key with a signed challenge, sees what is held about them."""

from __future__ import annotations

from pki.iin import mask
from tests.api.conftest import bearer, scenarios
from tests.api.support import assert_problem, cms_login, credentials

ME = "/api/v1/subjects/me"


def _challenge(client):
    response = client.post("/api/v1/unis/challenges")
    assert response.status_code == 201
    return response.get_json()


def _signed(client, fixture_dir, name):
    return cms_login(_challenge(client), *credentials(fixture_dir.path, name))


def test_pd24_owner_sees_certificates_account_login_records_and_who_read_their_data(
    client, fixture_dir, tokens
):
    me = scenarios(fixture_dir)["kazakh_letters_name"]
    other = scenarios(fixture_dir)["individual_auth_ecdsa"]
    login = client.post("/api/v1/unis/logins", json=_signed(client, fixture_dir, "kazakh_letters_name"))
    assert login.get_json()["decision"] == "accepted"
    client.post("/api/v1/unis/logins", json=_signed(client, fixture_dir, "individual_auth_ecdsa"))
    headers = bearer(tokens["nca_operator"])
    looked_up = client.post("/api/v1/unis/accounts/lookup", json={"iin": me["iin"]}, headers=headers)
    assert looked_up.status_code == 200
    client.post("/api/v1/unis/accounts/lookup", json={"iin": other["iin"]}, headers=headers)

    response = client.post(ME, json=_signed(client, fixture_dir, "kazakh_letters_name"))
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert report["iin_masked"] == mask(me["iin"])
    assert me["serial"] in [c["serial"] for c in report["certificates"]]
    assert all(c["status"] == "good" for c in report["certificates"] if c["serial"] == me["serial"])
    assert report["unis_account"]["iin_masked"] == mask(me["iin"])
    assert report["unis_account"]["history"][0]["action"] == "created"
    assert report["login_records"] and all(
        r["iin_masked"] == mask(me["iin"]) for r in report["login_records"]
    )
    readers = [(e["actor"], e["action"]) for e in report["access_log"]]
    assert ("api-nca_operator", "unis_lookup_account") in readers  # PD-22 read, shown to the owner
    assert any(action == "issue" for _, action in readers)  # who issued the certificate
    text = response.get_data(as_text=True)
    assert me["iin"] not in text  # the full IIN is not echoed
    assert other["serial"] not in text and mask(other["iin"]) not in text  # nothing about anyone else
    assert response.headers["Cache-Control"] == "no-store"


def test_pd24_a_revoked_certificate_does_not_prove_possession(client, fixture_dir):
    response = client.post(ME, json=_signed(client, fixture_dir, "revoked_key_compromise"))
    body = assert_problem(response, 401, "possession_not_proven")
    assert "revoked" in body["reasons"]


def test_pd24_the_challenge_is_single_use(client, fixture_dir):
    body = _signed(client, fixture_dir, "individual_auth_rsa")
    assert client.post(ME, json=body).status_code == 200
    assert (
        "challenge_used"
        in assert_problem(client.post(ME, json=body), 401, "possession_not_proven")["reasons"]
    )


def test_pd24_a_signature_over_another_nonce_is_refused(client, fixture_dir):
    first, second = _challenge(client), _challenge(client)
    body = cms_login(first, *credentials(fixture_dir.path, "individual_auth_rsa"))
    body["challenge_id"] = second["challenge_id"]
    assert "challenge_mismatch" in assert_problem(client.post(ME, json=body), 401)["reasons"]


def test_pd24_the_subject_access_itself_is_recorded(client, fixture_dir):
    client.post(ME, json=_signed(client, fixture_dir, "individual_single_key"))
    report = client.post(ME, json=_signed(client, fixture_dir, "individual_single_key")).get_json()
    assert ("subject", "subject_access") in [(e["actor"], e["action"]) for e in report["access_log"]]


def test_pd22_an_unfiltered_read_of_login_records_is_audited_for_every_person_it_returned(
    client, fixture_dir, tokens
):
    """PD-22: an auditor's page of everyone's login records is recorded about each person on it (by their
    account, or by their certificate when they have none), and each sees the read (PD-24)."""
    with_account, without_account = "individual_auth_ecdsa", "no_account"
    for name in (with_account, without_account):
        client.post("/api/v1/unis/logins", json=_signed(client, fixture_dir, name))
    read = client.get(
        "/api/v1/unis/login-records", query_string={"limit": 5}, headers=bearer(tokens["auditor"])
    )
    assert read.status_code == 200 and len(read.get_json()["records"]) >= 2
    for name in (with_account, without_account):
        report = client.post(ME, json=_signed(client, fixture_dir, name)).get_json()
        reads = [e for e in report["access_log"] if e["action"] == "unis_read_login_records"]
        assert reads and reads[-1]["actor"] == "api-auditor", name
        assert reads[-1]["details"]["records"] >= 1
