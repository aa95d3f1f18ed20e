"""Malformed requests to every endpoint: each a 4xx application/problem+json with a stable code, never a 500.

Covers garbage base64, truncated DER, wrong JSON types, oversized bodies, hostile XML (DTD, XXE, billion
laughs), wrong media types and methods, plus a Hypothesis fuzz of arbitrary JSON bodies.
"""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import bearer, scenarios
from tests.api.support import assert_problem, cms_login, credentials

XXE = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<unisLogin><nonce>&x;</nonce></unisLogin>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>'
)


@pytest.fixture(scope="module")
def garbage(fixture_dir):
    certificate = (
        fixture_dir.path / scenarios(fixture_dir)["individual_auth_rsa"]["files"]["cert_der"]
    ).read_bytes()
    return {
        "truncated_certificate": base64.b64encode(certificate[:200]).decode(),
        "certificate": base64.b64encode(certificate).decode(),
    }


def _challenge_id(client):
    return client.post("/api/v1/unis/challenges").get_json()["challenge_id"]


RANDOM_DER = base64.b64encode(b"\x30\x82\xff\xff" + b"\x00" * 20).decode()
LOGIN_CASES = [
    ("not_json", "{challenge", "malformed_json"),
    ("deep_nesting", "[" * 100_000 + "]" * 100_000, "malformed_json"),
    ("array", [], "expected_json_object"),
    ("missing_challenge", {}, "missing_field"),
    ("challenge_not_string", {"challenge_id": 5, "cms": "AAAA"}, "wrong_type"),
    ("neither_cms_nor_xml", {"challenge_id": "x"}, "invalid_value"),
    ("both_cms_and_xml", {"challenge_id": "x", "cms": "AAAA", "xml": "<a/>"}, "invalid_value"),
    ("cms_not_string", {"challenge_id": "x", "cms": ["AAAA"]}, "wrong_type"),
    ("garbage_base64", {"challenge_id": "x", "cms": "@@not base64@@"}, "invalid_base64"),
    ("empty_cms", {"challenge_id": "x", "cms": ""}, "invalid_value"),
    ("random_der", {"challenge_id": "x", "cms": RANDOM_DER}, "malformed_signature"),
    ("xml_not_well_formed", {"challenge_id": "x", "xml": "<unisLogin><nonce>"}, "malformed_signature"),
    ("xml_xxe", {"challenge_id": "x", "xml": XXE}, "xml_forbidden"),
    ("xml_billion_laughs", {"challenge_id": "x", "xml": BILLION_LAUGHS}, "xml_forbidden"),
    ("xml_not_string", {"challenge_id": "x", "xml": {"a": 1}}, "wrong_type"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "body", "code"), LOGIN_CASES, ids=[c[0] for c in LOGIN_CASES])
def test_malformed_login_bodies_are_400_problems(client, case, body, code):
    if isinstance(body, str):
        response = client.post("/api/v1/unis/logins", data=body, content_type="application/json")
    else:
        if "challenge_id" in body and body["challenge_id"] == "x":
            body = {**body, "challenge_id": _challenge_id(client)}
        response = client.post("/api/v1/unis/logins", json=body)
    assert_problem(response, 400, code)


def test_login_with_a_certificate_instead_of_a_cms_is_400(client, garbage):
    body = {"challenge_id": _challenge_id(client), "cms": garbage["certificate"]}
    assert_problem(client.post("/api/v1/unis/logins", json=body), 400, "malformed_signature")


def test_login_truncated_cms_is_400(client, fixture_dir):
    body = cms_login(
        client.post("/api/v1/unis/challenges").get_json(),
        *credentials(fixture_dir.path, "individual_auth_rsa"),
    )
    der = base64.b64decode(body["cms"])
    body["cms"] = base64.b64encode(der[: len(der) // 2]).decode()
    assert_problem(client.post("/api/v1/unis/logins", json=body), 400, "malformed_signature")


def test_login_garbage_biometric_is_400(client, fixture_dir):
    body = cms_login(
        client.post("/api/v1/unis/challenges").get_json(), *credentials(fixture_dir.path, "notary_biometric")
    )
    body["biometric"] = "%%%"
    assert_problem(client.post("/api/v1/unis/logins", json=body), 400, "invalid_base64")


def test_wrong_media_type_is_415(client):
    response = client.post(
        "/api/v1/unis/logins", data="challenge_id=x", content_type="application/x-www-form-urlencoded"
    )
    assert_problem(response, 415, "unsupported_media_type")


def test_oversized_body_is_413(client, services):
    limit = services.settings.max_body_bytes
    body = json.dumps({"challenge_id": "x", "cms": "A" * (limit + 10)})
    body_problem = assert_problem(
        client.post("/api/v1/unis/logins", data=body, content_type="application/json"),
        413,
        "request_too_large",
    )
    assert body_problem["max_bytes"] == limit
    assert_problem(
        client.post("/ocsp/", data=b"\x30" * (limit + 1), content_type="application/ocsp-request"), 413
    )


def test_unknown_path_and_wrong_method(client):
    assert_problem(client.get("/api/v1/nothing-here"), 404, "no_such_endpoint")
    response = client.get("/api/v1/unis/logins")
    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


SUSPEND = "/api/v1/unis/accounts/{id}/suspension"
REVOKE_1F = "/api/v1/ca/nca/certificates/1f/revocation"
OPERATOR_CASES = [
    ("/api/v1/unis/accounts", {"iin": "abc", "role": "notary", "chamber": "x"}, "invalid_iin"),
    ("/api/v1/unis/accounts", {"iin": "800101300000", "role": "king", "chamber": "x"}, "invalid_value"),
    ("/api/v1/unis/accounts", {"iin": "800101300000", "role": "notary", "chamber": "x" * 201},
     "invalid_value"),
    ("/api/v1/unis/accounts", {"iin": 800101300000, "role": "notary", "chamber": "x"}, "wrong_type"),
    ("/api/v1/unis/accounts/lookup", {"iin": None}, "missing_field"),
    (SUSPEND, {"reason": "holiday"}, "invalid_value"),
    (SUSPEND, {"reason": "leave", "until": "tomorrow"}, "invalid_datetime"),
    (SUSPEND, {"reason": "leave", "until": "2030-01-01T00:00:00"}, "invalid_datetime"),
    (SUSPEND, {"reason": "leave", "until": "2000-01-01T00:00:00Z"},
     "invalid_suspension_end"),
    ("/api/v1/unis/accounts/{id}/block", {"reason": 7}, "wrong_type"),
    ("/api/v1/unis/accounts/{id}/termination", {}, "missing_field"),
    ("/api/v1/ca/applications", {"kind": "ca"}, "invalid_value"),
    ("/api/v1/ca/applications", {"kind": "individual_auth", "birth_date": 19850412}, "wrong_type"),
    ("/api/v1/ca/applications", {"kind": "individual_auth", "birth_date": "1985-02-30"}, "invalid_value"),
    ("/api/v1/ca/applications", {"kind": "individual_auth", "organization": "ACME"}, "wrong_type"),
    ("/api/v1/ca/applications", {"kind": "individual_auth", "roles": "ceo"}, "wrong_type"),
    ("/api/v1/ca/applications", {"kind": "individual_auth", "csr": "***"}, "invalid_base64"),
    (REVOKE_1F.replace("1f", "zz"), {"ground": "key_compromise", "document_ref": "d"}, "malformed_serial"),
    (REVOKE_1F, {"ground": "boredom", "document_ref": "d"}, "invalid_value"),
    (REVOKE_1F, {"ground": "key_compromise"}, "missing_field"),
    (REVOKE_1F,
     {"ground": "key_compromise", "document_ref": "d", "invalidity_date": 3}, "wrong_type"),
    ("/api/v1/ca/nca/certificates/1f/hold", {"document_ref": ""}, "invalid_value"),
    ("/api/v1/ca/nca/certificates/1f/release", [], "expected_json_object"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "code"), OPERATOR_CASES)
def test_malformed_operator_bodies_are_400_problems(client, tokens, path, body, code):
    account_id = client.post(
        "/api/v1/unis/accounts/lookup",
        json={"iin": "0" * 12},
        headers=bearer(tokens["nca_operator"]),
    )
    assert account_id.status_code == 404
    listed = client.get("/api/v1/unis/accounts", headers=bearer(tokens["nca_operator"])).get_json()[
        "accounts"
    ]
    response = client.post(
        path.replace("{id}", str(listed[0]["account_id"])), json=body, headers=bearer(tokens["nca_operator"])
    )
    assert_problem(response, 400, code)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"limit": "abc"}, "invalid_value"),
        ({"limit": "0"}, "invalid_value"),
        ({"account_id": "-1"}, "invalid_value"),
    ],
)
def test_malformed_query_parameters_are_400(client, tokens, query, code):
    response = client.get("/api/v1/unis/login-records", query_string=query, headers=bearer(tokens["auditor"]))
    assert_problem(response, 400, code)


def test_unknown_account_and_register_entries_are_404(client, tokens):
    headers = bearer(tokens["nca_operator"])
    assert_problem(client.get("/api/v1/unis/accounts/999999", headers=headers), 404, "account_not_found")
    assert_problem(client.get("/api/v1/unis/accounts/abc", headers=headers), 404, "no_such_endpoint")
    assert_problem(client.get("/api/v1/register/nca/1f"), 404, "unknown_certificate")
    assert_problem(client.get("/api/v1/register/xyz/1f"), 404, "unknown_ca")
    assert_problem(client.get("/api/v1/register/nca/not-hex"), 400, "malformed_serial")
    assert_problem(client.get("/crl/nothing.crl"), 404, "unknown_crl")
    assert_problem(client.get("/cert/nothing.cer"), 404, "unknown_ca_certificate")


def test_malformed_inspect_and_verify_bodies(client, garbage):
    cases = [
        ("/api/v1/certificates/inspect", {"certificate": "!!"}, "invalid_base64"),
        (
            "/api/v1/certificates/inspect",
            {"certificate": garbage["truncated_certificate"]},
            "malformed_certificate",
        ),
        (
            "/api/v1/certificates/inspect",
            {"certificate": garbage["certificate"], "purpose": "fun"},
            "invalid_value",
        ),
        (
            "/api/v1/certificates/inspect",
            {"certificate": garbage["certificate"], "at": "yesterday"},
            "invalid_datetime",
        ),
        ("/api/v1/signatures/verify", {"cms": "%%%"}, "invalid_base64"),
        ("/api/v1/signatures/verify", {"cms": garbage["certificate"]}, "malformed_signature"),
        ("/api/v1/signatures/verify", {"cms": garbage["certificate"], "data": 5}, "wrong_type"),
        ("/api/v1/signatures/verify", {"xml": XXE}, "xml_forbidden"),
        ("/api/v1/signatures/verify", {"xml": BILLION_LAUGHS}, "xml_forbidden"),
        ("/api/v1/signatures/verify", {"xml": "<a>"}, "malformed_signature"),
        ("/api/v1/signatures/verify", {}, "invalid_value"),
    ]
    for path, body, code in cases:
        assert_problem(client.post(path, json=body), 400, code)


def test_ocsp_garbage_gets_the_rfc6960_malformed_request_answer(client):
    response = client.post("/ocsp/", data=b"garbage", content_type="application/ocsp-request")
    assert response.status_code == 400 and response.mimetype == "application/ocsp-response"
    assert response.data == bytes.fromhex("3003 0a01 01")
    for garbled in ("@@@notbase64", "MEMw%0AQTA/", "%0A", "a%0D%0Ab"):  # line breaks too: not a routing 404
        got = client.get("/ocsp/" + garbled)
        assert got.status_code == 400 and got.data == bytes.fromhex("3003 0a01 01"), garbled
    assert_problem(client.post("/ocsp/", data=b"x", content_type="text/plain"), 415, "unsupported_media_type")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
FIELD_NAMES = st.sampled_from(
    ["challenge_id", "cms", "xml", "biometric", "certificate", "purpose", "at", "data", "iin", "role",
     "chamber", "kind", "csr", "reason", "until", "ground", "document_ref"]
)  # fmt: skip
BODIES = st.one_of(JSON_VALUES, st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=5))
FUZZED = [
    "/api/v1/unis/logins",
    "/api/v1/certificates/inspect",
    "/api/v1/signatures/verify",
    "/api/v1/unis/accounts",
    "/api/v1/ca/applications",
    "/api/v1/ca/nca/certificates/1f/revocation",
]


@pytest.mark.parametrize("path", FUZZED)
def test_arbitrary_json_never_gives_a_500(app, tokens, path):
    client = app.test_client()
    headers = bearer(tokens["nca_operator"])

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(body=BODIES)
    def check(body):
        response = client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)
        assert response.status_code < 500, response.get_data(as_text=True)
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json"

    check()
