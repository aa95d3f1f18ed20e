"""POST /api/v1/unis/logins through the Flask test client: UNIS-3 .. UNIS-12, UNIS-2025-bio, EDS-14."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from cryptography import x509

from pki import gost, oids
from pki.iin import Sex, make_iin, mask, parse_iin
from pki.keys import load_pkcs12
from tests.api.conftest import bearer, scenarios
from tests.api.support import assert_problem, attestation, cms_login, credentials, xml_login


def _challenge(client):
    response = client.post("/api/v1/unis/challenges")
    assert response.status_code == 201
    return response.get_json()


def _login(client, body):
    response = client.post("/api/v1/unis/logins", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _login_as(client, fixture_dir, name, **options):
    challenge = _challenge(client)
    body = cms_login(challenge, *credentials(fixture_dir.path, name), **options)
    return _login(client, body)


def _unblock(client, tokens, fixture_dir, name):
    """Put a scenario's account back to active (UNIS-12 tests block it)."""
    iin = scenarios(fixture_dir)[name]["iin"]
    headers = bearer(tokens["nca_operator"])
    account = client.post("/api/v1/unis/accounts/lookup", json={"iin": iin}, headers=headers).get_json()
    if account["status"] == "blocked":
        client.post(f"/api/v1/unis/accounts/{account['account_id']}/unblock", headers=headers)
    return account["account_id"]


def test_unis8_challenge_is_32_random_bytes_valid_5_minutes(client, clock):
    challenge = _challenge(client)
    assert len(base64.b64decode(challenge["nonce"])) == 32
    expires = dt.datetime.fromisoformat(challenge["expires_at"])
    assert expires - clock() == dt.timedelta(minutes=5)
    assert challenge["nonce"] in challenge["xml_to_sign"]


@pytest.mark.parametrize("detached", [True, False], ids=["detached", "attached"])
def test_unis8_cms_login_with_an_auth_key_is_accepted(client, fixture_dir, detached):
    decision = _login_as(client, fixture_dir, "individual_auth_rsa", detached=detached)
    assert decision["decision"] == "accepted" and decision["reasons"] == []
    assert decision["verdict"]["indication"] == "TOTAL_PASSED"
    assert decision["account"]["status"] == "active"
    assert decision["account"]["iin_masked"] == mask(scenarios(fixture_dir)["individual_auth_rsa"]["iin"])


def test_unis8_pem_cms_login_is_accepted(client, fixture_dir):
    challenge = _challenge(client)
    body = cms_login(challenge, *credentials(fixture_dir.path, "individual_auth_ecdsa"))
    der = base64.b64decode(body["cms"])
    body["cms"] = "-----BEGIN CMS-----\n" + base64.encodebytes(der).decode() + "-----END CMS-----\n"
    assert _login(client, body)["decision"] == "accepted"


def test_unis8_xmldsig_login_is_accepted(client, fixture_dir):
    challenge = _challenge(client)
    decision = _login(client, xml_login(challenge, *credentials(fixture_dir.path, "individual_single_key")))
    assert decision["decision"] == "accepted", decision["reasons"]
    assert decision["verdict"]["kind"] == "xml"


@pytest.mark.parametrize("name", ["individual_auth_rsa", "foreign_root"])
def test_unis9_10_replayed_challenge_is_refused(client, fixture_dir, name):
    challenge = _challenge(client)
    body = cms_login(challenge, *credentials(fixture_dir.path, name))
    _login(client, body)
    replay = _login(client, body)
    assert replay["decision"] == "refused"
    assert replay["reasons"][0] == "challenge_used"
    assert replay["account"] is None  # nothing about the account for an unauthenticated attempt


def test_unis9_10_expired_challenge_is_refused(client, fixture_dir, clock):
    challenge = _challenge(client)
    body = cms_login(challenge, *credentials(fixture_dir.path, "individual_auth_rsa"))
    clock.at += dt.timedelta(minutes=5)
    decision = _login(client, body)
    assert decision["decision"] == "refused" and decision["reasons"][0] == "challenge_expired"


def test_unis9_10_an_expired_challenge_fails_even_unused_and_a_fresh_one_works(client, fixture_dir, clock):
    challenge = _challenge(client)
    body = cms_login(challenge, *credentials(fixture_dir.path, "individual_auth_rsa"))
    clock.at += dt.timedelta(minutes=4, seconds=59)
    assert _login(client, body)["decision"] == "accepted"


def test_unknown_challenge_is_refused(client, fixture_dir):
    challenge = {**_challenge(client), "challenge_id": "never-issued"}
    decision = _login(client, cms_login(challenge, *credentials(fixture_dir.path, "individual_auth_rsa")))
    assert decision["reasons"][0] == "challenge_unknown"


@pytest.mark.parametrize("form", ["detached", "attached", "xml"])
def test_unis8_signature_for_another_challenge_is_refused(client, fixture_dir, form):
    signed_for, presented = _challenge(client), _challenge(client)
    key, certificate = credentials(fixture_dir.path, "individual_auth_rsa")
    if form == "xml":
        body = xml_login(signed_for, key, certificate)
    else:
        body = cms_login(signed_for, key, certificate, detached=form == "detached")
    body["challenge_id"] = presented["challenge_id"]
    decision = _login(client, body)
    assert decision["decision"] == "refused"
    assert decision["reasons"][0] == "challenge_mismatch"
    assert decision["account"] is None


def test_unis4_certificate_iin_without_an_account_is_refused(client, fixture_dir):
    decision = _login_as(client, fixture_dir, "no_account")
    assert decision["reasons"] == ["account_not_found"]
    assert decision["account"] is None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("account_suspended", "account_suspended"),
        ("account_blocked", "account_blocked"),
        ("account_terminated", "account_terminated"),
    ],
)
def test_unis5_5_1_6_inactive_accounts_are_refused_each_with_its_code(client, fixture_dir, name, reason):
    decision = _login_as(client, fixture_dir, name)
    assert decision["decision"] == "refused" and decision["reasons"] == [reason]
    assert decision["account"]["temporary"] is (reason == "account_suspended")


def test_unis5_1_suspension_with_an_end_date_lapses(client, fixture_dir, tokens, clock):
    headers = bearer(tokens["nca_operator"])
    iin = scenarios(fixture_dir)["kazakh_letters_name"]["iin"]
    account = client.post("/api/v1/unis/accounts/lookup", json={"iin": iin}, headers=headers).get_json()
    until = clock() + dt.timedelta(minutes=2)
    response = client.post(
        f"/api/v1/unis/accounts/{account['account_id']}/suspension",
        json={"reason": "sick_leave", "until": until.isoformat()},
        headers=headers,
    )
    assert response.status_code == 200 and response.get_json()["status"] == "suspended"
    assert _login_as(client, fixture_dir, "kazakh_letters_name")["reasons"] == ["account_suspended"]
    clock.at = until
    assert _login_as(client, fixture_dir, "kazakh_letters_name")["decision"] == "accepted"


def test_unis12_certificate_older_than_a_year_is_refused_and_blocks_the_account(client, fixture_dir, tokens):
    account_id = _unblock(client, tokens, fixture_dir, "token_issued_over_a_year_ago")
    decision = _login_as(client, fixture_dir, "token_issued_over_a_year_ago")
    assert decision["decision"] == "refused" and decision["reasons"] == ["eds_not_reissued"]
    assert decision["account_blocked"] is True
    assert decision["account"]["status"] == "blocked"
    assert decision["account"]["status_reason"] == "eds_not_reissued"
    headers = bearer(tokens["nca_operator"])
    history = client.get(f"/api/v1/unis/accounts/{account_id}", headers=headers).get_json()["history"]
    assert history[-1]["action"] == "blocked" and history[-1]["actor"] == "unis-login"
    again = _login_as(client, fixture_dir, "token_issued_over_a_year_ago")
    assert again["reasons"] == ["account_blocked", "eds_not_reissued"]
    assert again["account_blocked"] is False
    _unblock(client, tokens, fixture_dir, "token_issued_over_a_year_ago")


def test_unis12_a_forged_login_does_not_block_anyone(client, fixture_dir, tokens):
    """Only an authenticated signer can trigger the automatic block."""
    _unblock(client, tokens, fixture_dir, "token_issued_over_a_year_ago")
    challenge, other = _challenge(client), _challenge(client)
    body = cms_login(challenge, *credentials(fixture_dir.path, "token_issued_over_a_year_ago"))
    body["challenge_id"] = other["challenge_id"]
    decision = _login(client, body)
    assert decision["reasons"] == ["challenge_mismatch", "content_mismatch"]
    assert decision["account_blocked"] is False


def _notary_login(client, fixture_dir, *, biometric_age=None, challenge_id=None, result="passed", clock=None):
    challenge = _challenge(client)
    body = cms_login(challenge, *credentials(fixture_dir.path, "notary_biometric"))
    if biometric_age is not None:
        iin = scenarios(fixture_dir)["notary_biometric"]["iin"]
        body["biometric"] = attestation(
            fixture_dir.path, iin, challenge_id or challenge["challenge_id"], clock() - biometric_age, result
        )
    return _login(client, body)


def test_unis2025bio_notary_with_a_fresh_attestation_is_accepted(client, fixture_dir, clock):
    decision = _notary_login(client, fixture_dir, biometric_age=dt.timedelta(minutes=4), clock=clock)
    assert decision["decision"] == "accepted", decision["reasons"]
    assert decision["biometric"]["status"] == "passed"


def test_unis2025bio_notary_without_an_attestation_is_refused(client, fixture_dir):
    assert _notary_login(client, fixture_dir)["reasons"] == ["biometric_missing"]


def test_unis2025bio_notary_with_a_stale_attestation_is_refused(client, fixture_dir, clock):
    decision = _notary_login(client, fixture_dir, biometric_age=dt.timedelta(minutes=6), clock=clock)
    assert decision["reasons"] == ["biometric_stale"]


@pytest.mark.parametrize("change", ["other_challenge", "failed"])
def test_unis2025bio_attestation_must_bind_this_login_and_pass(client, fixture_dir, clock, change):
    decision = _notary_login(
        client,
        fixture_dir,
        biometric_age=dt.timedelta(seconds=10),
        challenge_id="another-challenge" if change == "other_challenge" else None,
        result="failed" if change == "failed" else "passed",
        clock=clock,
    )
    assert decision["reasons"] == ["biometric_invalid"]


def test_unis2025bio_non_notaries_need_no_attestation(client, fixture_dir):
    assert _login_as(client, fixture_dir, "individual_auth_ecdsa")["biometric"] is None


@pytest.mark.parametrize("name", ["under_16_today", "turns_16_tomorrow"])
def test_eds14_owner_under_16_is_refused(client, fixture_dir, name):
    decision = _login_as(client, fixture_dir, name)
    assert decision["reasons"][0] == "under_age" and decision["account"] is None


def test_eds14_owner_exactly_16_is_accepted(client, fixture_dir):
    assert _login_as(client, fixture_dir, "exactly_16_today")["decision"] == "accepted"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("revoked_key_compromise", "revoked"),
        ("on_hold", "on_hold"),
        ("individual_sign_rsa", "wrong_key_usage"),
        ("legal_first_head", "not_individual"),
        ("foreign_root", "untrusted_root"),
        ("expired", "certificate_expired"),
    ],
)
def test_unis3_11_verdict_failures_refuse_the_login(client, fixture_dir, name, reason):
    decision = _login_as(client, fixture_dir, name)
    assert decision["decision"] == "refused" and decision["reasons"][0] == reason


def test_every_login_attempt_is_recorded_with_a_masked_iin(client, fixture_dir, tokens):
    challenge = _challenge(client)
    body = cms_login(challenge, *credentials(fixture_dir.path, "revoked_key_compromise"))
    _login(client, body)
    _login(client, body)  # the replay is recorded too
    response = client.get(
        "/api/v1/unis/login-records",
        query_string={"challenge_id": challenge["challenge_id"]},
        headers=bearer(tokens["auditor"]),
    )
    assert response.status_code == 200
    records = response.get_json()["records"]
    assert [r["reasons"][0] for r in records] == ["challenge_used", "revoked"]  # newest first
    iin = scenarios(fixture_dir)["revoked_key_compromise"]["iin"]
    assert all(r["iin_masked"] == mask(iin) for r in records)
    assert iin not in response.get_data(as_text=True)
    first = records[-1]
    assert first["certificate"]["serial"] == scenarios(fixture_dir)["revoked_key_compromise"]["serial"]
    evidence = first["details"]["revocation"]
    assert evidence["status"] == "revoked" and evidence["source"] == "registry" and evidence["reason"]


def test_malformed_login_is_recorded_and_answered_400(client, tokens):
    challenge = _challenge(client)
    response = client.post(
        "/api/v1/unis/logins", json={"challenge_id": challenge["challenge_id"], "cms": "MIIBCgKCAQEA"}
    )
    assert_problem(response, 400, "malformed_signature")
    records = client.get(
        "/api/v1/unis/login-records",
        query_string={"challenge_id": challenge["challenge_id"]},
        headers=bearer(tokens["auditor"]),
    ).get_json()["records"]
    assert records[0]["reasons"] == ["malformed_signature"]


def _issue_with_account(client, headers, kind: str, generate_key: str, iin: str) -> dict:
    """A certificate whose key the CA generates (PKCS#12 password Qwerty12), and an active account for it."""
    application = {
        "kind": kind,
        "iin": iin,
        "surname": "ЖАҢАБАЕВ",
        "name": "ТЕСТ",
        "birth_date": parse_iin(iin).birth_date.isoformat(),
        "sex": parse_iin(iin).sex.value,
        "generate_key": generate_key,
        "pkcs12_password": "Qwerty12",
    }
    issued = client.post("/api/v1/ca/applications", json=application, headers=headers)
    assert issued.status_code == 201, issued.get_data(as_text=True)
    created = client.post(
        "/api/v1/unis/accounts",
        json={"iin": iin, "role": "justice_employee", "chamber": "Astana"},
        headers=headers,
    )
    assert created.status_code in (201, 409), created.get_data(as_text=True)
    return issued.get_json()


def test_unis11_revocation_refuses_the_next_login_at_once(client, fixture_dir, tokens, clock):
    """A certificate issued and revoked through the API: the login right after the revocation is refused."""
    headers = bearer(tokens["nca_operator"])
    iin = make_iin(dt.date(1985, 4, 12), Sex.MALE, 4242)
    issued = _issue_with_account(client, headers, "individual_auth", "p256", iin)
    key, certificate, _ = load_pkcs12(base64.b64decode(issued["pkcs12"]), b"Qwerty12")
    assert _login(client, cms_login(_challenge(client), key, certificate))["decision"] == "accepted"
    revoked = client.post(
        f"/api/v1/ca/nca/certificates/{issued['serial']}/revocation",
        json={"ground": "key_compromise", "document_ref": "owner's statement 1"},
        headers=headers,
    )
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    clock.at += dt.timedelta(microseconds=1)  # the next instant (the test clock stands still otherwise)
    decision = _login(client, cms_login(_challenge(client), key, certificate))
    assert decision["reasons"] == ["revoked"]
    assert decision["verdict"]["signers"][0]["revocation"]["from_cache"] is False


def test_unis3_a_gost_2015_512_key_generated_by_the_ca_logs_in_over_http(client, tokens):
    """The real NCA's current generation end to end: the CA generates a GOST R 34.10-2015-512 key in the
    single-key profile, handed out in the NCA's PKCS#12 layout; the challenge signed with it is accepted."""
    headers = bearer(tokens["nca_operator"])
    iin = make_iin(dt.date(1984, 2, 3), Sex.FEMALE, 4343)
    issued = _issue_with_account(client, headers, "individual_single_key", "gost2015_512", iin)
    key, certificate_der = gost.load_pkcs12(base64.b64decode(issued["pkcs12"]), "Qwerty12")
    assert key.key_oid == oids.KZ_GOST2015_512_KEY and certificate_der is not None
    certificate = x509.load_der_x509_certificate(certificate_der)
    decision = _login(client, cms_login(_challenge(client), key, certificate))
    assert decision["decision"] == "accepted", decision
    assert decision["verdict"]["signers"][0]["signature_algorithm"] == oids.KZ_GOST2015_512_SIGNATURE
