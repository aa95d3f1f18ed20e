"""Public endpoints: CA certificates, CRLs, OCSP, the register lookup (EDS-23: no personal data), health,
and the OpenAPI document covering every route."""

from __future__ import annotations

import base64
import datetime as dt
import re
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from tests.api.conftest import scenarios
from tests.api.support import credentials
from tests.data_paths import INTEROP_GOST


def _path(url: str) -> str:
    return urlsplit(url).path


def test_ca_certificates_are_served_at_their_aia_urls(client, fixture_dir):
    _, leaf = credentials(fixture_dir.path, "individual_auth_rsa")
    aia = leaf.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    ca_issuers = next(d for d in aia if d.access_method == x509.AuthorityInformationAccessOID.CA_ISSUERS)
    response = client.get(_path(ca_issuers.access_location.value))
    assert response.status_code == 200 and response.mimetype == "application/pkix-cert"
    nca = x509.load_der_x509_certificate(response.data)
    leaf.verify_directly_issued_by(nca)


@pytest.mark.parametrize("extension", [x509.CRLDistributionPoints, x509.FreshestCRL])
def test_eds18_crls_are_served_signed_with_caching_headers_matching_next_update(
    client, fixture_dir, services, extension
):
    _, leaf = credentials(fixture_dir.path, "individual_auth_rsa")
    points = leaf.extensions.get_extension_for_class(extension).value
    response = client.get(_path(points[0].full_name[0].value))
    assert response.status_code == 200 and response.mimetype == "application/pkix-crl"
    crl = x509.load_der_x509_crl(response.data)
    assert crl.is_signature_valid(services.hierarchy.get("nca").certificate.public_key())
    assert parsedate_to_datetime(response.headers["Expires"]) == crl.next_update_utc
    assert parsedate_to_datetime(response.headers["Last-Modified"]) == crl.last_update_utc
    max_age = int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1))
    assert abs(max_age - (crl.next_update_utc - services.clock()).total_seconds()) <= 1
    again = client.get(
        _path(points[0].full_name[0].value), headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_eds18_full_crl_lists_the_revoked_fixture(client, fixture_dir):
    revoked = scenarios(fixture_dir)["revoked_key_compromise"]
    crl = x509.load_der_x509_crl(client.get("/crl/nca_rsa.crl").data)
    entry = crl.get_revoked_certificate_by_serial_number(int(revoked["serial"], 16))
    assert entry is not None
    assert (
        entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        == x509.ReasonFlags.key_compromise
    )


def _ocsp_request(fixture_dir, name, nonce=None):
    _, leaf = credentials(fixture_dir.path, name)
    issuer = x509.load_pem_x509_certificate((fixture_dir.path / "ca" / "nca.pem").read_bytes())
    builder = ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, hashes.SHA256())
    if nonce:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("individual_auth_rsa", ocsp.OCSPCertStatus.GOOD),
        ("revoked_key_compromise", ocsp.OCSPCertStatus.REVOKED),
    ],
)
def test_ocsp_post_and_get_answer_the_registry_status(client, fixture_dir, name, status):
    request_der = _ocsp_request(fixture_dir, name, nonce=b"0123456789abcdef")
    posted = client.post("/ocsp/", data=request_der, content_type="application/ocsp-request")
    assert posted.status_code == 200 and posted.mimetype == "application/ocsp-response"
    answer = ocsp.load_der_ocsp_response(posted.data)
    assert answer.certificate_status == status
    assert answer.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == b"0123456789abcdef"
    encoded = base64.b64encode(_ocsp_request(fixture_dir, name)).decode()
    got = client.get("/ocsp/" + encoded.replace("/", "%2F"))
    assert got.status_code == 200
    assert ocsp.load_der_ocsp_response(got.data).certificate_status == status


def test_eds23_public_answers_hold_no_personal_data(client, fixture_dir):
    revoked = scenarios(fixture_dir)["revoked_key_compromise"]
    response = client.get(f"/api/v1/register/nca/{revoked['serial']}")
    assert response.status_code == 200
    entry = response.get_json()
    assert set(entry) == {"ca_id", "serial", "status", "reason", "revocation_time", "hold_until"}
    assert entry["status"] == "revoked" and entry["reason"] == "keyCompromise"
    _, leaf = credentials(fixture_dir.path, "revoked_key_compromise")
    surname = leaf.subject.get_attributes_for_oid(x509.NameOID.SURNAME)[0].value
    ocsp_answer = client.post(
        "/ocsp/",
        data=_ocsp_request(fixture_dir, "revoked_key_compromise"),
        content_type="application/ocsp-request",
    ).data
    for public in (response.data, ocsp_answer, client.get("/crl/nca_rsa.crl").data):
        assert revoked["iin"].encode() not in public
        assert surname.encode() not in public


def test_register_lookup_of_a_hold(client, fixture_dir):
    held = scenarios(fixture_dir)["on_hold"]
    entry = client.get(f"/api/v1/register/nca/{held['serial']}").get_json()
    assert entry["status"] == "on_hold" and entry["reason"] == "certificateHold"


def test_health(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_inspect_and_document_verify_give_verdicts(client, fixture_dir):
    from pki.cms_signing import sign_cms

    key, certificate = credentials(fixture_dir.path, "individual_auth_rsa")
    der = certificate.public_bytes(serialization.Encoding.DER)
    inspected = client.post(
        "/api/v1/certificates/inspect", json={"certificate": base64.b64encode(der).decode()}
    )
    assert inspected.status_code == 200 and inspected.get_json()["kind"] == "certificate"
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    as_login = client.post("/api/v1/certificates/inspect", json={"certificate": pem, "purpose": "login"})
    assert as_login.get_json()["indication"] == "TOTAL_PASSED"
    signed = sign_cms(b"a document", key, certificate, signing_time=dt.datetime.now(dt.UTC))
    verdict = client.post(
        "/api/v1/signatures/verify", json={"cms": base64.b64encode(signed).decode()}
    ).get_json()
    assert verdict["purpose"] == "document"
    assert "wrong_key_usage" in verdict["reasons"]  # an AUTH key does not sign documents (EDS-10 scope)


def test_rfc3161_timestamp_tokens_are_verified_over_http(client):
    """The genuine NCA GOST-2004 token: its signature verifies; its CA is no anchor of this service."""
    token = (INTEROP_GOST / "tsp_token_2004.bin").read_bytes()
    body = {"token": base64.b64encode(token).decode(), "at": "2022-09-18T13:21:00Z"}
    verdict = client.post("/api/v1/timestamps/verify", json=body).get_json()
    assert verdict["kind"] == "timestamp" and verdict["timestamp"]["gen_time"] == "2022-09-18T13:20:14Z"
    assert {c["id"]: c["status"] for c in verdict["checks"]}["signature"] == "passed"
    assert verdict["reasons"] == ["untrusted_root"]
    garbage = client.post("/api/v1/timestamps/verify", json={"token": "not base64!"})
    assert garbage.status_code == 400 and garbage.get_json()["code"] == "invalid_base64"
