"""NCANode v3 compatibility on the genuine NCA test material: NCANode-format requests, and the whole
response JSON compared member by member with the answer NCANode gives for that material, written by hand
from its DTOs and services (``CertificateWrapper.toCertificateInfo``, ``CrlService``, ``CmsService``,
``KalkanWrapper``). Where kzpki deliberately differs (README "NCANode compatibility"), the expected
NCANode answer is changed in exactly those members, named in the test.

The service runs with the NCA test roots as extra anchors, in test-PKI mode, with the interop CRLs as its
revocation source (no network), and a clock set inside the material's validity.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime as dt
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from api.app import create_app
from api.services import build_services
from bench.bench_documents import one_page_pdf as blank_pdf
from tests.api import contract
from tests.api.conftest import SettableClock
from tests.data_paths import INTEROP_GOST, INTEROP_RSA
from tests.databases import database_url
from verifier import StaticRevocationSource, Verifier

GOST_NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # inside the 2026 GOST leaves and their CRL
RSA_2021 = dt.datetime(2021, 6, 1, tzinfo=dt.UTC)  # inside the 4279390A... RSA key's validity
TEST_PERSON = {
    "commonName": "ТЕСТОВ ТЕСТ",
    "lastName": "ТЕСТОВИЧ",
    "surName": "ТЕСТОВ",
    "iin": "123456789011",
    "country": "KZ",
    "dn": "GIVENNAME=ТЕСТОВИЧ, C=KZ, SERIALNUMBER=IIN123456789011, SURNAME=ТЕСТОВ, CN=ТЕСТОВ ТЕСТ",
}
GOST_CA = {
    "commonName": "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",
    "country": "KZ",
    "dn": "C=KZ, CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",  # encoded CN, C: the JDK prints C first
}
RSA_CA = {"commonName": "ҰКО 3.0 (RSA TEST)", "country": "KZ", "dn": "CN=ҰКО 3.0 (RSA TEST), C=KZ"}


@pytest.fixture(scope="module")
def nca(api_settings, tmp_path_factory):
    """A kzpki service trusting the NCA test hierarchies, with a settable clock."""
    settings = dataclasses.replace(
        api_settings,
        home=tmp_path_factory.mktemp("ncanode"),
        database_url=database_url(tmp_path_factory.mktemp("ncanode-db") / "kzpki.db"),
        test_pki=True,
        extra_anchor_paths=(INTEROP_RSA / "nca_rsa_test.crt", INTEROP_GOST / "root_test_gost_2022.cer"),
    )
    clock = SettableClock(GOST_NOW)
    services = build_services(settings, clock)
    policy = dataclasses.replace(
        services.document_verifier.policy,
        intermediates=(
            *services.document_verifier.policy.intermediates,
            (INTEROP_GOST / "nca_gost2022_test.cer").read_bytes(),
        ),
        check_ca_revocation=False,  # the interop set has no CRL of the test roots
    )
    crls = [
        (INTEROP_RSA / "nca_rsa_test.crl").read_bytes(),
        (INTEROP_GOST / "nca_gost2022_test.crl").read_bytes(),
    ]
    services = dataclasses.replace(services, document_verifier=Verifier(policy, StaticRevocationSource(crls)))
    app = create_app(settings, clock=clock, services=services)
    contract.install(app)
    return app.test_client(), clock


@pytest.fixture(autouse=True)
def _nca_contract(nca):
    """The NCANode answers keep their documented models too (tests/api/contract.py)."""
    app = nca[0].application
    contract.take_violations(app)
    yield
    assert not contract.take_violations(app)


def _b64(path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def _certificate(path) -> x509.Certificate:
    raw = path.read_bytes()
    return (
        x509.load_pem_x509_certificate(raw)
        if raw.startswith(b"-----")
        else x509.load_der_x509_certificate(raw)
    )


def _spki_b64(path) -> str:
    """SubjectPublicKeyInfo as NCANode's publicKey: RSA through cryptography; GOST keys (which cryptography
    cannot load) cut out of the TBSCertificate by their DER header."""
    cert = _certificate(path)
    try:
        return base64.b64encode(
            cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        ).decode()
    except Exception:
        from asn1crypto import x509 as asn1

        return base64.b64encode(
            asn1.Certificate.load(cert.public_bytes(Encoding.DER)).public_key.dump()
        ).decode()


def _info(path, *, valid: bool, not_before: str, not_after: str, serial: str, key_usage: str, sign_alg: str,
          issuer: dict[str, str], revocations: list[dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    """NCANode's CertificateInfo for the certificate at ``path`` (NON_NULL: absent members omitted)."""
    return {
        "valid": valid,
        "revocations": revocations,
        "notBefore": not_before,
        "notAfter": not_after,
        "keyUsage": key_usage,
        "serialNumber": serial,
        "signAlg": sign_alg,
        "keyUser": ["INDIVIDUAL"],
        "publicKey": _spki_b64(path),
        "signature": base64.b64encode(_certificate(path).signature).decode(),
        "subject": TEST_PERSON,
        "issuer": issuer,
    }


def _compare(actual: Any, expected: Any, where: str = "$") -> None:
    """Member by member, recursively (a failure names the member's path), then whole."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), where
        for key in expected:
            _compare(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            _compare(a, e, f"{where}[{index}]")
    assert actual == expected, where


GOST_VALID = dict(
    not_before="2026-05-08T06:45:13.000+00:00", not_after="2027-05-08T06:45:13.000+00:00",
    serial="6c425659bd2fc6dc587b871aede1857727cf8451", key_usage="SIGN", sign_alg="ECGOST3410-2015-512",
    issuer=GOST_CA,
)  # fmt: skip
NOT_LISTED = {"revoked": False, "by": "CRL", "revocationTime": None, "reason": None}


def test_x509_info_gost_2015_valid_with_crl(nca):
    client, clock = nca
    clock.at = GOST_NOW
    body = {"certs": [_b64(INTEROP_GOST / "individual_valid.cer")], "revocationCheck": ["CRL"]}
    response = client.post("/x509/info", json=body)
    assert response.status_code == 200 and response.mimetype == "application/json"
    expected = {
        "status": 200,
        "message": "OK",
        "valid": True,
        "signers": [
            _info(INTEROP_GOST / "individual_valid.cer", valid=True, revocations=[NOT_LISTED], **GOST_VALID)
        ],
    }
    _compare(response.get_json(), expected)


def test_x509_info_gost_2015_on_hold_in_the_crl(nca):
    client, clock = nca
    clock.at = GOST_NOW
    path = INTEROP_GOST / "individual_revoked.cer"
    from asn1crypto import crl as asn1_crl  # cryptography refuses this genuine CRL (inner/outer algorithms)

    crl = asn1_crl.CertificateList.load((INTEROP_GOST / "nca_gost2022_test.crl").read_bytes())
    serial = _certificate(path).serial_number
    (entry,) = [
        e for e in crl["tbs_cert_list"]["revoked_certificates"] if e["user_certificate"].native == serial
    ]
    revoked_at = entry["revocation_date"].native.strftime("%Y-%m-%dT%H:%M:%S.000+00:00")
    body = {"certs": [_b64(path)], "revocationCheck": ["CRL"]}
    answer = client.post("/x509/info", json=body).get_json()
    listed = {"revoked": True, "by": "CRL", "revocationTime": revoked_at, "reason": "CERTIFICATE_HOLD"}
    expected = {
        "status": 200,
        "message": "OK",
        "valid": False,
        "signers": [
            _info(path, valid=False, revocations=[listed], **{
                **GOST_VALID, "not_before": "2026-05-08T06:47:24.000+00:00",
                "not_after": "2027-05-08T06:47:24.000+00:00",
                "serial": "3acea55cbcdf38c861fb3f341854c53ec9ed6ecd",
            })
        ],
    }  # fmt: skip
    # Deliberate difference: where the answer is invalid, message says why (NCANode: "OK").
    expected["message"] = "kzpki: revocation: CRL: the certificate is on hold (suspended) (on_hold)"
    _compare(answer, expected)


def test_x509_info_an_entry_that_is_no_certificate_is_null(nca):
    client, clock = nca
    clock.at = GOST_NOW
    body = {"certs": [_b64(INTEROP_GOST / "individual_valid.cer"), "AAAA"], "revocationCheck": ["CRL"]}
    answer = client.post("/x509/info", json=body).get_json()
    assert answer["signers"][1] is None and answer["valid"] is False
    assert answer["message"] == "[1]: Invalid certificate given."  # NCANode's CERT_INVALID text


def test_cms_verify_rsa_attached_as_of_2021(nca):
    client, clock = nca
    clock.at = RSA_2021
    path = INTEROP_RSA / "individual_valid_sign_2004_rsa.p12"
    from pki.pkcs12 import open_pkcs12

    entry, _ = open_pkcs12(path.read_bytes(), "Qwerty12")
    answer = client.post(
        "/cms/verify", json={"cms": _b64(INTEROP_RSA / "signed_attached_lol_kek.cms")}
    ).get_json()
    certificate = entry.certificate
    info = {
        "valid": True,
        "revocations": [],  # NCANode: no revocation method asked for, none listed
        "notBefore": "2021-01-18T13:09:14.000+00:00",
        "notAfter": "2022-01-18T13:09:14.000+00:00",
        "keyUsage": "SIGN",
        "serialNumber": "4279390a141f5353a62947b61ed65e81741467d1",
        "signAlg": "SHA256withRSA",
        "keyUser": ["INDIVIDUAL"],
        "publicKey": base64.b64encode(
            certificate.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        ).decode(),
        "signature": base64.b64encode(certificate.signature).decode(),
        "subject": TEST_PERSON,
        "issuer": RSA_CA,
    }
    expected = {
        "status": 200,
        "message": "OK",
        "valid": True,
        "signers": [{"certificates": [info], "tsp": None}],
    }
    # Deliberate difference: kzpki checks revocation even when none is asked for; no CRL or OCSP answer of
    # the material covers 2021-06-01, so kzpki cannot say valid (NCANode checks no revocation and says true).
    different = copy.deepcopy(expected)
    different["valid"] = False
    different["signers"][0]["certificates"][0]["valid"] = False
    assert answer["message"].startswith("kzpki: signer 0: revocation: ")
    assert answer["message"].endswith("(revocation_unknown)")
    different["message"] = answer["message"]
    _compare(answer, different)


def test_cms_extract_rsa_attached(nca):
    client, _ = nca
    answer = client.post("/cms/extract", json={"cms": _b64(INTEROP_RSA / "signed_attached_lol_kek.cms")})
    _compare(
        answer.get_json(), {"status": 200, "message": "OK", "data": base64.b64encode(b"lol_kek").decode()}
    )


def test_cms_extract_of_a_detached_cms_is_ncanodes_400(nca):
    client, _ = nca
    cms = _b64(INTEROP_GOST / "cms_gost2015_and_rsa_detached_test123.cms")
    response = client.post("/cms/extract", json={"cms": cms})
    assert response.status_code == 400
    _compare(
        response.get_json(),
        {"status": 400, "message": "CMS doesn't have signed content", "details": "no_signed_content"},
    )


def test_cms_verify_two_signers_gost_and_rsa_detached(nca):
    client, clock = nca
    clock.at = dt.datetime(2022, 9, 1, tzinfo=dt.UTC)
    body = {"cms": _b64(INTEROP_GOST / "cms_gost2015_and_rsa_detached_test123.cms"),
            "data": base64.b64encode(b"test123").decode()}  # fmt: skip
    answer = client.post("/cms/verify", json=body).get_json()
    assert [len(s["certificates"]) for s in answer["signers"]] == [1, 1]
    algorithms = sorted(s["certificates"][0]["signAlg"] for s in answer["signers"])
    assert algorithms == ["ECGOST3410-2015-512", "SHA256withRSA"]
    assert all(s["tsp"] is None for s in answer["signers"])
    assert answer["valid"] is False and answer["message"].startswith("kzpki: ")


def test_xml_verify_rsa_enveloped_as_of_2021(nca):
    client, clock = nca
    clock.at = RSA_2021
    answer = client.post(
        "/xml/verify", json={"xml": (INTEROP_RSA / "signed_enveloped.xml").read_text()}
    ).get_json()
    assert set(answer) == {"status", "message", "valid", "signers"}
    (signer,) = answer["signers"]
    assert signer["serialNumber"] == "4279390a141f5353a62947b61ed65e81741467d1"
    assert signer["subject"] == TEST_PERSON and signer["issuer"] == RSA_CA
    assert answer["valid"] is False and answer["message"].endswith("(revocation_unknown)")  # as for the CMS


def test_pkcs12_aliases_gost(nca):
    client, _ = nca
    body = {"keys": [{"key": _b64(INTEROP_GOST / "individual_valid.p12"), "password": "Qwerty12"}]}
    _compare(
        client.post("/pkcs12/aliases", json=body).get_json(),
        {"status": 200, "message": "OK", "aliases": [["ec425659bd2fc6dc587b871aede1857727cf8451"]]},
    )


def test_pkcs12_info_gost_valid(nca):
    client, clock = nca
    clock.at = GOST_NOW
    body = {"keys": [{"key": _b64(INTEROP_GOST / "individual_valid.p12"), "password": "Qwerty12"}],
            "revocationCheck": ["CRL"]}  # fmt: skip
    expected = {
        "status": 200,
        "message": "OK",
        "valid": True,
        "signers": [
            _info(INTEROP_GOST / "individual_valid.cer", valid=True, revocations=[NOT_LISTED], **GOST_VALID)
        ],
    }
    _compare(client.post("/pkcs12/info", json=body).get_json(), expected)


def test_pkcs12_wrong_password_is_a_400_not_ncanodes_500(nca):
    client, _ = nca
    body = {"keys": [{"key": _b64(INTEROP_GOST / "individual_valid.p12"), "password": "wrong"}]}
    response = client.post("/pkcs12/aliases", json=body)
    # NCANode answers 500 {status: 500, message: "signers[0]: Key reading error: Password incorrect."}.
    # Deliberate difference: input errors are 400 here, with our code in details.
    assert response.status_code == 400
    _compare(
        response.get_json(),
        {
            "status": 400,
            "message": "signers[0]: Key reading error: Password incorrect.",
            "details": "bad_password",
        },
    )


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("/cms/verify", {}, "missing_field"),
        ("/cms/verify", {"cms": "@@"}, "invalid_base64"),
        ("/cms/verify", {"cms": "AAAA", "revocationCheck": ["OCSP", "LDAP"]}, "invalid_value"),
        ("/x509/info", {"certs": "AAAA"}, "wrong_type"),
        ("/xml/verify", {"xml": "<a>\u0000</a>"}, "invalid_characters"),
        ("/cms/sign", {"data": "AAAA", "signers": []}, "invalid_value"),
    ],
)
def test_invalid_requests_are_ncanode_error_responses(nca, path, body, code):
    client, _ = nca
    response = client.post(path, json=body)
    assert response.status_code == 400 and response.mimetype == "application/json"
    answer = response.get_json()
    assert answer["status"] == 400 and answer["message"] and answer["details"] == code


def test_cms_and_xml_sign_with_the_genuine_gost_2015_key_verify(nca):
    client, clock = nca
    clock.at = GOST_NOW
    key = {"key": _b64(INTEROP_GOST / "individual_valid.p12"), "password": "Qwerty12"}
    data = base64.b64encode("құжат".encode()).decode()
    signed = client.post("/cms/sign", json={"data": data, "signers": [key]}).get_json()
    assert signed["status"] == 200, signed
    answer = client.post("/cms/verify", json={"cms": signed["cms"], "revocationCheck": ["CRL"]}).get_json()
    assert answer["valid"] is True, answer["message"]
    (signer,) = answer["signers"]
    assert signer["certificates"][0]["signAlg"] == "ECGOST3410-2015-512"
    assert signer["certificates"][0]["revocations"] == [NOT_LISTED]
    xml = client.post("/xml/sign", json={"xml": "<a><b>test</b></a>", "signers": [key]}).get_json()["xml"]
    verified = client.post("/xml/verify", json={"xml": xml, "revocationCheck": ["CRL"]}).get_json()
    assert verified["valid"] is True, verified["message"]
    assert verified["signers"][0]["serialNumber"] == "6c425659bd2fc6dc587b871aede1857727cf8451"


def test_wsse_sign_with_the_genuine_gost_2015_key_verifies(nca):
    client, clock = nca
    clock.at = GOST_NOW
    envelope = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        "<soap:Body><ping>құжат</ping></soap:Body></soap:Envelope>"
    )
    body = {"xml": envelope, "key": _b64(INTEROP_GOST / "individual_valid.p12"), "password": "Qwerty12"}
    signed = client.post("/wsse/sign", json=body).get_json()
    assert signed["status"] == 200, signed
    assert (
        'Algorithm="urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512"'
        in (signed["xml"])
    )
    verified = client.post("/wsse/verify", json={"xml": signed["xml"], "revocationCheck": ["CRL"]}).get_json()
    assert verified["valid"] is True, verified["message"]
    (signer,) = verified["signers"]
    assert signer["serialNumber"] == "6c425659bd2fc6dc587b871aede1857727cf8451"
    assert signer["signAlg"] == "ECGOST3410-2015-512" and signer["revocations"] == [NOT_LISTED]


def test_pdf_sign_with_the_genuine_gost_2015_key_verifies(nca):
    client, clock = nca
    clock.at = GOST_NOW
    signer = {"key": _b64(INTEROP_GOST / "individual_valid.p12"), "password": "Qwerty12"}
    body = {"pdf": base64.b64encode(blank_pdf()).decode(), "signers": [{"signer": signer, "reason": "құжат"}]}
    signed = client.post("/pdf/sign", json=body).get_json()
    assert signed["status"] == 200, signed
    verified = client.post("/pdf/verify", json={"pdf": signed["pdf"], "revocationCheck": ["CRL"]}).get_json()
    assert verified["valid"] is True, verified["message"]
    (info,) = verified["signers"]
    assert info["reason"] == "құжат" and info["digestAlgorithm"] == "1.2.398.3.10.1.3.3"
    assert info["certificate"]["serialNumber"] == "6c425659bd2fc6dc587b871aede1857727cf8451"
    assert info["certificate"]["revocations"] == [NOT_LISTED]


def test_jwt_gg2015_with_the_genuine_gost_2015_key(nca):
    """GG2015 (NCANode's GOST JWT) made with the NCA's GOST test key; decode with its certificate is valid
    (signature, and the certificate chains to the GOST test root, not on the CRL); a token made for its
    key does not verify with another GOST certificate."""
    client, clock = nca
    clock.at = GOST_NOW
    key = {"key": _b64(INTEROP_GOST / "individual_valid.p12"), "password": "Qwerty12"}
    now = int(GOST_NOW.timestamp())
    claims = {"cbin": "012345678909", "mcheck": "DS", "iat": now, "exp": now + 3600}
    body = {**key, "jwt": {"header": {"alg": "GG2015", "typ": "JWT"}, "payload": claims}}
    token = client.post("/jwt/encode", json=body).get_json()["jwt"]
    certificate = _b64(INTEROP_GOST / "individual_valid.cer")
    decoded = client.post("/jwt/decode", json={"jwt": token, "key": certificate}).get_json()
    assert decoded["valid"] is True, decoded["message"]
    assert decoded["jwt"] == {"header": {"alg": "GG2015", "typ": "JWT"}, "payload": claims}
    rs256 = {**body, "jwt": {**body["jwt"], "header": {"alg": "RS256", "typ": "JWT"}}}
    refused = client.post("/jwt/encode", json=rs256)
    assert refused.status_code == 400 and refused.get_json()["details"] == "key_algorithm_mismatch"
    other = _b64(INTEROP_GOST / "legal_valid_employee.cer")
    assert client.post("/jwt/decode", json={"jwt": token, "key": other}).get_json()["valid"] is False
