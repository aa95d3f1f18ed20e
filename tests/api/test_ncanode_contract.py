"""The NCANode-document check of ``tests/api/ncanode_contract.py`` judges: a genuine answer passes, and a
member of the wrong type, outside its enum or not a date-time is named."""

from __future__ import annotations

import base64
import json

from tests.api.ncanode_contract import ncanode_problems
from tests.data_paths import INTEROP_RSA


def _x509_info(client) -> dict:
    certificate = (INTEROP_RSA / "individual_valid_sign_2004_rsa.cer").read_bytes()
    response = client.post("/x509/info", json={"certs": [base64.b64encode(certificate).decode()]})
    assert response.status_code == 200
    return response.get_json()


def test_a_genuine_answer_meets_ncanodes_document(client):
    answer = _x509_info(client)
    assert answer["signers"][0]["keyUsage"] == "SIGN"
    assert ncanode_problems("POST", "/x509/info", 200, json.dumps(answer).encode()) is None


def test_a_member_off_ncanodes_document_is_named(client):
    answer = _x509_info(client)
    signer = answer["signers"][0]
    for member, value, expected in (
        ("keyUsage", "SIGNING", "signers/0/keyUsage"),
        ("notBefore", "2021-06-01 12:00", "signers/0/notBefore"),
        ("valid", "true", "signers/0/valid"),
        ("keyUser", ["INDIVIDUAL", "NOTARY"], "signers/0/keyUser/1"),
    ):
        broken = {**answer, "signers": [{**signer, member: value}]}
        problems = ncanode_problems("POST", "/x509/info", 200, json.dumps(broken).encode())
        assert problems is not None and problems.startswith(expected), (member, problems)


def test_only_ncanodes_paths_and_200_answers_are_judged():
    assert ncanode_problems("POST", "/x509/info", 400, b'{"status": 400}') is None
    assert ncanode_problems("POST", "/api/v1/signatures/verify", 200, b'{"valid": "x"}') is None
    assert ncanode_problems("GET", "/actuator/health/liveness", 200, b'{"status": "UP"}') is None
    assert ncanode_problems("GET", "/actuator", 200, b'{"_links": {"self": {"href": 1}}}') is not None
