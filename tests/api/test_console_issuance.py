"""Issuance in the console (EDS-14, EDS-14-1): an operator of the National CA issues an individual's
certificate from the applicant's PKCS#10 request through the review step; the law's refusals are refusal
pages with their codes; operators of another CA neither see the form nor issue."""

from __future__ import annotations

import datetime as dt
import re

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from api.console import issuance_views
from ca_sim.certstore import serial_from_hex
from ca_sim.fixtures import make_csr
from ca_sim.issuance import profile_for
from pki import keys
from pki.iin import Sex, make_iin
from tests.api.console_support import console_client, csrf_of, refused_code

FORM = "/console/certificates/new"


def _csr_pem(key: keys.PrivateKey) -> str:
    return x509.load_der_x509_csr(make_csr(key)).public_bytes(Encoding.PEM).decode("ascii")


def _post(client, step: str, **fields: str):
    data = {"csrf_token": csrf_of(client.get(FORM)), "step": step, **fields}
    return client.post(FORM, data=data)


def _application(iin: str, born: dt.date, sex: Sex, csr: str) -> dict[str, str]:
    return {
        "kind": "individual_auth",
        "iin": iin,
        "surname": "Консолев",
        "name": "Ерлан",
        "birth_date": born.isoformat(),
        "sex": sex.value,
        "csr": csr,
    }


def test_every_individual_kind_is_issued_by_the_ca_the_form_is_authorised_on() -> None:
    assert {profile_for(k).issuer for k in issuance_views.KINDS} == {issuance_views.ISSUING_CA}


def test_eds14_an_operator_reviews_then_issues_a_certificate_for_the_key_of_the_request(
    app, services, tokens, clock
):
    client = console_client(app, tokens["nca_operator"])
    assert 'id="issue"' in client.get("/console/certificates").get_data(as_text=True)
    key = keys.generate_private_key(keys.KeyType.RSA2048)
    iin = make_iin(dt.date(1991, 4, 12), Sex.MALE, 4410)
    fields = _application(iin, dt.date(1991, 4, 12), Sex.MALE, _csr_pem(key))

    review = _post(client, "review", **fields)
    page = review.get_data(as_text=True)
    assert review.status_code == 200
    assert re.search(r'id="review-key">RSA 2048 bits<', page) and f'id="review-iin">{iin}<' in page
    assert 'id="review-surname">КОНСОЛЕВ<' in page  # as the certificate will say it (upper case)
    audit_before = len(services.audit.entries(limit=100000))
    assert not [e for e in services.audit.entries(limit=100000)[audit_before:] if e.action == "issue"]

    issued = _post(client, "confirm", **fields)
    assert issued.status_code == 303 and issued.headers["Location"].endswith("?done=issue")
    ca_id, serial = issued.headers["Location"].split("?")[0].split("/")[-2:]
    stored = services.certificates.get(ca_id, serial_from_hex(serial))
    assert ca_id == "nca" and stored.certificate.public_key() == key.public_key()
    assert iin in stored.certificate.subject.rfc4514_string()
    shown = client.get(issued.headers["Location"]).get_data(as_text=True)
    assert 'id="done"' in shown
    entries = services.audit.entries(limit=100000)[audit_before:]
    issuances = [(e.action, e.outcome, e.target) for e in entries if e.action == "issue"]
    assert issuances == [("issue", "success", f"nca:{serial}")]


def test_eds14_an_applicant_under_16_is_refused_with_its_code_and_nothing_is_issued(
    app, services, tokens, clock
):
    client = console_client(app, tokens["nca_operator"])
    born = clock().date() - dt.timedelta(days=15 * 366)
    young = make_iin(born, Sex.FEMALE, 4411)
    fields = _application(young, born, Sex.FEMALE, _csr_pem(keys.generate_private_key(keys.KeyType.P256)))
    assert _post(client, "review", **fields).status_code == 200  # the review shows it; issuing refuses
    refused = _post(client, "confirm", **fields)
    assert refused.status_code == 422 and refused_code(refused) == "under_age"


def test_a_request_that_is_not_pkcs10_is_refused_at_the_review(app, tokens, clock):
    client = console_client(app, tokens["nca_operator"])
    iin = make_iin(dt.date(1990, 1, 1), Sex.MALE, 4412)
    broken = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
    refused = _post(client, "review", **_application(iin, dt.date(1990, 1, 1), Sex.MALE, broken))
    assert refused.status_code == 400 and refused_code(refused) == "malformed_csr"


def test_an_operator_of_another_ca_neither_sees_nor_uses_the_form(app, tokens, clock):
    client = console_client(app, tokens["gov_operator"])
    assert 'id="issue"' not in client.get("/console/certificates").get_data(as_text=True)
    page = client.get(FORM)
    assert page.status_code == 403 and refused_code(page) == "ca_out_of_scope"


def test_names_with_control_characters_are_refused_as_the_api_refuses_them(app, tokens, clock):
    client = console_client(app, tokens["nca_operator"])
    born = dt.date(1980, 5, 5)
    fields = _application(make_iin(born, Sex.MALE, 4413), born, Sex.MALE, "unused")
    refused = _post(client, "review", **{**fields, "surname": "КОН\x00СОЛЕВ"})
    assert refused.status_code == 400 and refused_code(refused) == "invalid_characters"
    missing = _post(client, "review", **{**fields, "name": "   "})
    assert missing.status_code == 400 and refused_code(missing) == "invalid_value"


def test_a_tester_issues_through_the_api_not_the_console(app, tokens, clock):
    page = console_client(app, tokens["tester"]).get(FORM)
    assert page.status_code == 403 and refused_code(page) == "role_forbidden"
