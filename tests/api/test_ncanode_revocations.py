"""NCANode's ``revocations`` for certificates of our own CAs: the status comes from the CA's register (what
its OCSP responder and CRLs are made from), and is listed for each method ``revocationCheck`` names, in
NCANode's order (``CertificateWrapper.toCertificateInfo``: the CRL's entry, then OCSP's), so that a client
that asked for OCSP reads ``by: OCSP``. Answers from a CRL or an OCSP response of another CA are listed
once, by that method (tests/api/test_ncanode_compat.py)."""

from __future__ import annotations

import base64

import pytest

from tests.api.conftest import scenarios

NOT_LISTED = {
    "CRL": {"revoked": False, "by": "CRL", "revocationTime": None, "reason": None},
    "OCSP": {"revoked": False, "by": "OCSP", "revocationTime": None, "reason": "OK"},
}


def _info(client, fixture_dir, scenario, methods):
    der = (fixture_dir.path / scenarios(fixture_dir)[scenario]["files"]["cert_der"]).read_bytes()
    body = {"certs": [base64.b64encode(der).decode()], "revocationCheck": methods}
    response = client.post("/x509/info", json=body)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    (signer,) = answer["signers"]
    return answer, signer


@pytest.mark.parametrize(
    "methods", [["OCSP"], ["CRL"], ["OCSP", "CRL"], ["CRL", "OCSP"]], ids=lambda m: "+".join(m)
)
def test_a_good_certificate_of_our_ca_is_listed_by_each_method_asked_for(client, fixture_dir, methods):
    answer, signer = _info(client, fixture_dir, "individual_sign_rsa", methods)
    assert answer["valid"] is True and signer["valid"] is True
    assert signer["revocations"] == [NOT_LISTED[m] for m in ("CRL", "OCSP") if m in methods]


def test_a_revoked_certificate_of_our_ca_is_revoked_by_both_methods_with_one_time(client, fixture_dir):
    answer, signer = _info(client, fixture_dir, "revoked_key_compromise", ["OCSP", "CRL"])
    assert answer["valid"] is False and signer["valid"] is False
    crl, ocsp = signer["revocations"]
    assert crl["by"] == "CRL" and crl["revoked"] is True and crl["reason"] == "KEY_COMPROMISE"
    assert ocsp["by"] == "OCSP" and ocsp["revoked"] is True and ocsp["reason"] == "OK"
    assert crl["revocationTime"] is not None and crl["revocationTime"] == ocsp["revocationTime"]


def test_without_revocation_check_nothing_is_listed(client, fixture_dir):
    _, signer = _info(client, fixture_dir, "individual_sign_rsa", [])
    assert signer["revocations"] == []
