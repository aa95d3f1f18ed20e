"""State-body documents (DD-8) and Open Access grants (DD-9, DD-14), through the HTTP API."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import re

import pytest
import zxingcpp
from PIL import Image

from ca_sim.fixtures import make_csr
from ca_sim.grounds import Ground
from ca_sim.issuance import Application
from ca_sim.profiles import CertificateKind, LegalRole
from documents.service import DocumentFormat, DocumentService
from documents.store import DocumentRow
from pki.cms_signing import sign_cms
from pki.errors import Refused
from pki.iin import Sex, make_iin, mask
from pki.keys import KeyType, generate_private_key
from pki.names import Organization
from tests.api.conftest import scenarios
from tests.api.documents_support import (
    CIVIL_SERVANT,
    DOCUMENTS,
    OWNER,
    document_xml,
    owner_proof,
    signed_cms,
    signed_xml,
)
from tests.api.support import assert_problem, credentials

PUBLIC_BASE = "http://127.0.0.1:8080"


def _owner_iin(fixture_dir) -> str:
    return scenarios(fixture_dir)[OWNER]["iin"]


def _submit(client, body) -> dict:
    response = client.post(DOCUMENTS, json=body)
    assert response.status_code == 201, response.get_data(as_text=True)[:2000]
    return response.get_json()


def _civil_servant_document(client, fixture_dir, **fields) -> dict:
    document = document_xml(_owner_iin(fixture_dir), **fields)
    return _submit(client, signed_cms(document, *credentials(fixture_dir.path, CIVIL_SERVANT)))


def _grant(client, fixture_dir, document_id, **term) -> dict:
    response = client.post(
        f"{DOCUMENTS}/{document_id}/grants", json=owner_proof(client, fixture_dir.path, **term)
    )
    assert response.status_code == 201, response.get_data(as_text=True)[:2000]
    return response.get_json()


def _open(client, url: str):
    assert url.startswith(PUBLIC_BASE + "/d/")
    return client.get(url.removeprefix(PUBLIC_BASE))


def _issue_signer(services, at, kind, organisation, roles=()):
    """A fresh key and certificate of ``kind`` for an employee of ``organisation``, issued at ``at``."""
    key = generate_private_key(KeyType.P256)
    born = dt.date(1979, 3, 3)
    application = Application(
        kind=kind,
        iin=make_iin(born, Sex.FEMALE, 5502),
        surname="ҚЫЗМЕТШІ",
        name="ЖАНАР",
        birth_date=born,
        sex=Sex.FEMALE,
        organization=organisation,
        roles=roles,
        csr=make_csr(key),
    )
    return key, services.issuer.issue(application, at).certificate


def _mine(client, fixture_dir, document_id) -> dict:
    response = client.post(f"{DOCUMENTS}/mine", json=owner_proof(client, fixture_dir.path))
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return next(d for d in response.get_json()["documents"] if d["document_id"] == document_id)


# --- DD-8: only state bodies' signatures, verified in document mode --------------------------------------


def test_dd8_a_civil_servants_cms_document_is_verified_and_stored_with_its_verdict(client, fixture_dir):
    document = _civil_servant_document(client, fixture_dir, date_of_birth="1985-04-12")
    verdict = document["verdict"]
    assert verdict["indication"] == "TOTAL_PASSED" and verdict["purpose"] == "document"
    passed = {c["id"] for c in verdict["checks"] if c["status"] == "passed"}
    assert {"signature", "chain", "validity", "key_usage", "revocation", "bin"} <= passed
    (signer,) = document["signers"]
    civil_servant = scenarios(fixture_dir)[CIVIL_SERVANT]
    assert signer["kind"] == "civil_servant" and signer["bin"] == "990140004654"
    assert signer["organisation"] == "ӘДІЛЕТ МИНИСТРЛІГІ (SIM)"
    assert signer["iin_masked"] == mask(civil_servant["iin"])
    assert document["owner_iin_masked"] == mask(_owner_iin(fixture_dir))
    assert document["title"] == "Свидетельство о рождении (SIM)"
    text = str(document)
    assert civil_servant["iin"] not in text and _owner_iin(fixture_dir) not in text  # PD-22


def test_dd8_an_xmldsig_document_of_a_civil_servant_is_accepted_and_shown(client, fixture_dir):
    document = document_xml(_owner_iin(fixture_dir), title="Справка о несудимости (SIM)", record="none")
    stored = _submit(client, signed_xml(document, *credentials(fixture_dir.path, CIVIL_SERVANT)))
    assert stored["signature_format"] == "xml" and stored["verdict"]["indication"] == "TOTAL_PASSED"
    grant = _grant(client, fixture_dir, stored["document_id"], continuous=True)
    html = _open(client, grant["url"]).get_data(as_text=True)
    assert "Справка о несудимости (SIM)" in html and "<td>none</td>" in html
    assert html.count("TOTAL_PASSED") == 2


@pytest.mark.parametrize("scenario", ["individual_single_key", "individual_sign_rsa"])
def test_dd8_an_individuals_certificate_is_refused_as_not_a_state_bodys(client, fixture_dir, scenario):
    document = document_xml(_owner_iin(fixture_dir))
    response = client.post(DOCUMENTS, json=signed_cms(document, *credentials(fixture_dir.path, scenario)))
    assert_problem(response, 422, "not_state_body")


def test_dd8_a_tampered_document_is_refused(client, fixture_dir):
    signed = signed_xml(
        document_xml(_owner_iin(fixture_dir), grade="4"), *credentials(fixture_dir.path, CIVIL_SERVANT)
    )
    tampered = {"xml": signed["xml"].replace(">4</field>", ">5</field>")}
    body = assert_problem(client.post(DOCUMENTS, json=tampered), 422, "document_not_verified")
    assert body["reasons"] == ["content_mismatch"], body  # the reference digest no longer matches

    cms = base64.b64decode(
        signed_cms(
            document_xml(_owner_iin(fixture_dir), grade="4"), *credentials(fixture_dir.path, CIVIL_SERVANT)
        )["cms"]
    )
    assert cms.count(b">4</field>") == 1
    forged = {"cms": base64.b64encode(cms.replace(b">4</field>", b">5</field>")).decode()}
    assert_problem(client.post(DOCUMENTS, json=forged), 422, "document_not_verified")


def test_dd8_a_revoked_signer_at_signing_time_is_refused(client, fixture_dir):
    document = document_xml(_owner_iin(fixture_dir))
    body = signed_cms(document, *credentials(fixture_dir.path, "revoked_key_compromise"))
    problem = assert_problem(client.post(DOCUMENTS, json=body), 422, "document_not_verified")
    assert "revoked" in problem["reasons"]


def test_dd8_a_document_without_its_owner_or_detached_is_malformed(client, fixture_dir):
    key, certificate = credentials(fixture_dir.path, CIVIL_SERVANT)
    no_owner = b"<digitalDocument><title>x</title></digitalDocument>"
    assert_problem(
        client.post(DOCUMENTS, json=signed_cms(no_owner, key, certificate)), 400, "malformed_document"
    )
    not_a_document = b"<letter><title>x</title></letter>"
    assert_problem(
        client.post(DOCUMENTS, json=signed_cms(not_a_document, key, certificate)), 400, "malformed_document"
    )


def test_dd8_the_same_signed_document_is_stored_once(client, fixture_dir):
    body = signed_cms(
        document_xml(_owner_iin(fixture_dir), n="once"), *credentials(fixture_dir.path, CIVIL_SERVANT)
    )
    first = _submit(client, body)
    again = assert_problem(client.post(DOCUMENTS, json=body), 409, "document_exists")
    assert again["document_id"] == first["document_id"]


def test_dd8_a_state_organisations_legal_entity_certificate_is_accepted_others_refused(services, clock):
    """The DD-8 policy at the domain: a legal-entity certificate counts only for an authorised BIN."""
    organisation = Organization('"ҰЛТТЫҚ АҚПАРАТТЫҚ ТЕХНОЛОГИЯЛАР" АҚ (SIM)', "940140000385")
    roles = (LegalRole.FIRST_HEAD, LegalRole.SIGNING_RIGHT)
    key, certificate = _issue_signer(services, clock(), CertificateKind.LEGAL_SIGN, organisation, roles)
    signature = sign_cms(
        document_xml(make_iin(dt.date(1996, 3, 15), Sex.FEMALE, 123)),
        key,
        certificate,
        signing_time=None,
    )
    base = services.documents
    with pytest.raises(Refused) as refused:
        base.submit(DocumentFormat.CMS, signature, clock())
    assert refused.value.code == "not_state_body"
    authorised = DocumentService(
        services.sessionmaker,
        services.document_verifier,
        dataclasses.replace(base.policy, state_organisation_bins=frozenset({organisation.bin})),
    )
    stored = authorised.submit(DocumentFormat.CMS, signature, clock())
    assert stored.signers[0].kind == "state_organisation" and stored.signers[0].bin == organisation.bin


# --- DD-9: consent; DD-14: Open Access by URL and QR code ---------------------------------------------


def test_dd9_nobody_but_the_owner_can_grant_or_list_a_document(client, fixture_dir):
    document = _civil_servant_document(client, fixture_dir, n="dd9")
    other = "individual_auth_ecdsa"
    response = client.post(
        f"{DOCUMENTS}/{document['document_id']}/grants",
        json=owner_proof(client, fixture_dir.path, other, continuous=True),
    )
    assert_problem(response, 404, "document_not_found")
    listed = client.post(f"{DOCUMENTS}/mine", json=owner_proof(client, fixture_dir.path, other)).get_json()
    assert document["document_id"] not in [d["document_id"] for d in listed["documents"]]
    assert _mine(client, fixture_dir, document["document_id"])["grants"] == []  # nothing shared yet


def test_dd9_a_grant_needs_a_proof_of_possession(client, fixture_dir):
    document = _civil_servant_document(client, fixture_dir, n="proof")
    body = owner_proof(client, fixture_dir.path, "revoked_key_compromise", continuous=True)
    response = client.post(f"{DOCUMENTS}/{document['document_id']}/grants", json=body)
    assert_problem(response, 401, "possession_not_proven")


def test_dd14_the_url_shows_the_document_signer_and_verdicts_and_the_view_is_recorded(client, fixture_dir):
    document = _civil_servant_document(client, fixture_dir, iin_of_father="760101300017", n="view")
    grant = _grant(client, fixture_dir, document["document_id"], continuous=True)
    assert grant["access"] == "continuous" and grant["state"] == "active" and grant["expires_at"] is None
    page = _open(client, grant["url"])
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    civil_servant = scenarios(fixture_dir)[CIVIL_SERVANT]
    assert "Свидетельство о рождении (SIM)" in html and "ӘДІЛЕТ МИНИСТРЛІГІ (SIM)" in html
    assert mask(civil_servant["iin"]) in html and mask(_owner_iin(fixture_dir)) in html
    for full in (civil_servant["iin"], _owner_iin(fixture_dir), "760101300017"):
        assert full not in html  # PD-22: no full IIN on the shared page
    assert html.count("TOTAL_PASSED") == 2  # at signing time and now
    assert page.headers["Cache-Control"] == "no-store"
    mine = _mine(client, fixture_dir, document["document_id"])
    assert [(v["grant_id"], v["outcome"]) for v in mine["views"]] == [(grant["grant_id"], "shown")]


def test_dd14_a_temporary_grant_ends_exactly_at_its_expiry(client, fixture_dir, clock):
    document = _civil_servant_document(client, fixture_dir, n="expiry")
    expires = (clock.at + dt.timedelta(hours=1)).replace(microsecond=0)
    grant = _grant(client, fixture_dir, document["document_id"], expires_at=expires.isoformat())
    assert grant["access"] == "temporary" and grant["expires_at"] == expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    clock.at = expires - dt.timedelta(seconds=1)
    assert _open(client, grant["url"]).status_code == 200
    clock.at = expires
    gone = _open(client, grant["url"])
    assert gone.status_code == 410 and gone.mimetype == "text/html"
    assert "Свидетельство" not in gone.get_data(as_text=True)  # not the document
    mine = _mine(client, fixture_dir, document["document_id"])
    assert [v["outcome"] for v in mine["views"]] == ["shown", "expired"]
    assert mine["grants"][0]["state"] == "expired"


def test_dd14_an_expiry_in_the_past_is_refused(client, fixture_dir, clock):
    document = _civil_servant_document(client, fixture_dir, n="past")
    body = owner_proof(client, fixture_dir.path, expires_at=(clock.at - dt.timedelta(seconds=1)).isoformat())
    response = client.post(f"{DOCUMENTS}/{document['document_id']}/grants", json=body)
    assert_problem(response, 400, "invalid_grant_expiry")
    neither = owner_proof(client, fixture_dir.path)
    assert_problem(client.post(f"{DOCUMENTS}/{document['document_id']}/grants", json=neither), 400)


def test_dd9_a_revoked_grant_shows_the_document_no_more(client, fixture_dir):
    document = _civil_servant_document(client, fixture_dir, n="revoke")
    grant = _grant(client, fixture_dir, document["document_id"], continuous=True)
    kept = _grant(client, fixture_dir, document["document_id"], continuous=True)
    revocation = f"{DOCUMENTS}/grants/{grant['grant_id']}/revocation"
    other = client.post(revocation, json=owner_proof(client, fixture_dir.path, "individual_auth_ecdsa"))
    assert_problem(other, 404, "grant_not_found")  # only the owner withdraws
    revoked = client.post(revocation, json=owner_proof(client, fixture_dir.path))
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "revoked"
    assert _open(client, grant["url"]).status_code == 410
    assert _open(client, kept["url"]).status_code == 200  # other grants stand
    assert_problem(
        client.post(revocation, json=owner_proof(client, fixture_dir.path)), 409, "grant_already_revoked"
    )
    outcomes = [
        (v["grant_id"], v["outcome"]) for v in _mine(client, fixture_dir, document["document_id"])["views"]
    ]
    assert outcomes == [(grant["grant_id"], "revoked"), (kept["grant_id"], "shown")]


def test_dd14_an_unknown_or_malformed_link_is_a_404_page(client):
    for token in ("A" * 43, "short", "x" * 300):
        page = client.get(f"/d/{token}")
        assert page.status_code == 404 and page.mimetype == "text/html"


def test_dd14_signer_revoked_later_is_shown_beside_the_signing_time_verdict(
    client, fixture_dir, services, clock
):
    state_body = Organization("ӘДІЛЕТ МИНИСТРЛІГІ (SIM)", "990140004654")
    key, certificate = _issue_signer(services, clock(), CertificateKind.CIVIL_SERVANT, state_body)
    clock.at += dt.timedelta(seconds=5)
    document = _submit(client, signed_cms(document_xml(_owner_iin(fixture_dir), n="later"), key, certificate))
    grant = _grant(client, fixture_dir, document["document_id"], continuous=True)
    clock.at += dt.timedelta(minutes=1)
    services.registry.revoke(
        "gov", certificate.serial_number, Ground.KEY_COMPROMISE, clock(), "tests", "dd14-later"
    )
    clock.at += dt.timedelta(minutes=1)
    html = _open(client, grant["url"]).get_data(as_text=True)
    signed_row, now_row = re.findall(r'<td class="(passed|failed)">([A-Z_]+)', html)
    assert signed_row == ("passed", "TOTAL_PASSED")
    assert now_row[0] == "failed" and now_row[1] != "TOTAL_PASSED"
    assert "revoked" in html and "revoked after the document was signed" in html
    mine = _mine(client, fixture_dir, document["document_id"])
    assert mine["verdict"]["indication"] == "TOTAL_PASSED"  # the stored signing-time verdict stands
    assert mine["views"][-1]["current_indication"] != "TOTAL_PASSED"


def test_dd14_a_document_tampered_in_storage_fails_the_current_verdict(client, fixture_dir, services):
    document = _civil_servant_document(client, fixture_dir, grade="4", n="stored")
    grant = _grant(client, fixture_dir, document["document_id"], continuous=True)
    with services.sessionmaker.begin() as session:
        row = session.get(DocumentRow, document["document_id"])
        row.signature = row.signature.replace(b">4</field>", b">5</field>")
    html = _open(client, grant["url"]).get_data(as_text=True)
    assert '<td class="failed">' in html


def test_dd14_the_qr_code_reads_back_as_the_url(client, fixture_dir):
    document = _civil_servant_document(client, fixture_dir, n="qr")
    grant = _grant(client, fixture_dir, document["document_id"], continuous=True)
    image = Image.open(io.BytesIO(base64.b64decode(grant["qr_png"])))
    (barcode,) = zxingcpp.read_barcodes(image)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == grant["url"]
    assert grant["qr_svg"].startswith("<svg") and "</svg>" in grant["qr_svg"]
    token = grant["url"].rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 random bits, base64url
    assert token not in str(_mine(client, fixture_dir, document["document_id"]))  # shown once, never again


def test_pd24_dd14_the_owners_documents_grants_and_views_are_in_what_is_held_about_them(client, fixture_dir):
    document = _civil_servant_document(client, fixture_dir, n="pd24")
    grant = _grant(client, fixture_dir, document["document_id"], continuous=True)
    assert _open(client, grant["url"]).status_code == 200
    report = client.post("/api/v1/subjects/me", json=owner_proof(client, fixture_dir.path)).get_json()
    held = next(d for d in report["documents"] if d["document_id"] == document["document_id"])
    assert [g["grant_id"] for g in held["grants"]] == [grant["grant_id"]]
    assert [v["outcome"] for v in held["views"]] == ["shown"]
    actions = {e["action"] for e in report["access_log"]}
    assert {"document_submit", "document_grant"} <= actions  # PD-22: recorded about the owner
    other = client.post(
        "/api/v1/subjects/me", json=owner_proof(client, fixture_dir.path, "individual_auth_ecdsa")
    )
    assert document["document_id"] not in [d["document_id"] for d in other.get_json()["documents"]]
