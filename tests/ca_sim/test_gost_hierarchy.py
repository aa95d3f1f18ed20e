"""The GOST R 34.10-2015 512-bit hierarchy (issue 6): certificates, CRLs and OCSP responses signed with
GOST verify with ``pki.gost`` and with the independent ``gostcrypto`` (big-endian, Russian layout:
converted here); CA keys are encrypted at rest; leaves in the single-key profile come with a GOST .p12."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from asn1crypto import algos, core, ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from gostcrypto import gosthash, gostsignature
from sqlalchemy import select

from api.database import dispose, open_database
from ca_sim.certificates import subject_key_bits
from ca_sim.crl import CrlPublisher, build_full_crl
from ca_sim.fixtures import generate_fixtures
from ca_sim.grounds import Ground
from ca_sim.issuance import Application, GostKeyType, Issuer
from ca_sim.keystore import KeyPurpose, StoredKey
from ca_sim.keywrap import WrappedKey
from ca_sim.ocsp import OcspResponder
from ca_sim.profiles import CertificateKind
from ca_sim.revocation_periods import CertState
from ca_sim.scenarios import GOST_SCENARIOS
from pki import gost, oids
from pki.errors import InvalidInput
from pki.iin import Sex, make_iin
from pki.reasons import Reason
from tests.ca_sim.revocation_support import PASSPHRASE, T0, Pki, issue_leaf, make_pki
from tests.databases import database_url
from verifier import (
    Indication,
    InProcessRevocationSource,
    RevocationMethods,
    StaticRevocationSource,
    VerificationPolicy,
    Verifier,
)

GOST_SIG = oids.KZ_GOST2015_512_SIGNATURE


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("gost"), "gost")


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(Encoding.DER)


def _public_key(certificate: x509.Certificate) -> gost.GostPublicKey:
    spki = asn1_x509.Certificate.load(_der(certificate))["tbs_certificate"]["subject_public_key_info"]
    return gost.GostPublicKey.from_spki_der(spki.dump())


def _algorithm(der: bytes) -> algos.SignedDigestAlgorithm:
    """The outer signatureAlgorithm of a certificate, CRL or BasicOCSPResponse (2nd element)."""
    return algos.SignedDigestAlgorithm.load(core.Sequence.load(der)[1].dump())


def _assert_kazakh_gost_algorithm(der: bytes) -> None:
    algorithm = _algorithm(der)
    assert algorithm["algorithm"].dotted == GOST_SIG
    assert algorithm["parameters"].dump() == b"\x05\x00"  # gost.md: explicit NULL


def _gostcrypto_verifies(public_key: gost.GostPublicKey, tbs: bytes, signature: bytes) -> bool:
    """gostcrypto's verdict, with its own Streebog-512 and curve constants; it wants the key, the digest
    and each signature half big-endian (the Kazakh layout is little-endian: reversed here)."""
    n = 64
    params = gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"]
    verifier = gostsignature.new(gostsignature.MODE_512, params)
    h = bytes(gosthash.new("streebog512", data=bytearray(tbs)).digest())
    key_be = bytearray(public_key.x.to_bytes(n, "big") + public_key.y.to_bytes(n, "big"))
    signature_be = bytearray(signature[:n][::-1] + signature[n:][::-1])  # Kazakh r||s LE -> r||s BE
    return bool(verifier.verify(key_be, bytearray(h[::-1]), signature_be))


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 1]) + data[index + 1 :]


# --- certificates ---


def test_gost_hierarchy_certificates_are_gost_2015_512_signed_by_their_issuer(pki: Pki) -> None:
    hierarchy = pki.hierarchy
    root = hierarchy.root.certificate
    root_key = _public_key(root)
    assert root_key.key_oid == oids.KZ_GOST2015_512_KEY and root_key.bits == 512
    for ca_id in ("root", "gov", "nca"):
        certificate = hierarchy.get(ca_id).certificate
        _assert_kazakh_gost_algorithm(_der(certificate))
        assert gost.verify(root_key, GOST_SIG, certificate.tbs_certificate_bytes, certificate.signature)
        assert not gost.verify(
            root_key, GOST_SIG, _flip(certificate.tbs_certificate_bytes, 40), certificate.signature
        )
        # The SKI is the SHA-1 of the GOST subjectPublicKey (RFC 5280 4.2.1.2 method 1).
        ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        digest = hashes.Hash(hashes.SHA1())
        digest.update(subject_key_bits(_der(certificate)))
        assert ski == digest.finalize()
        assert hierarchy.get(ca_id).urls.crl_url.endswith(f"/crl/{ca_id}_gost.crl")
        responder = hierarchy.ocsp_responder(ca_id)
        assert isinstance(responder.private_key, gost.GostPrivateKey)
        ca_key = _public_key(certificate)
        assert gost.verify(
            ca_key, GOST_SIG, responder.certificate.tbs_certificate_bytes, responder.certificate.signature
        )


def test_gost_certificates_verify_with_gostcrypto(pki: Pki) -> None:
    root = pki.hierarchy.root.certificate
    nca = pki.hierarchy.get("nca").certificate
    assert _gostcrypto_verifies(_public_key(root), nca.tbs_certificate_bytes, nca.signature)
    assert not _gostcrypto_verifies(_public_key(root), _flip(nca.tbs_certificate_bytes, 50), nca.signature)


def test_single_key_leaf_with_generated_gost_key_and_p12(pki: Pki) -> None:
    issuer = Issuer(pki.hierarchy, pki.sm, pki.audit)
    birth = dt.date(1985, 4, 12)
    application = Application(
        kind=CertificateKind.INDIVIDUAL_SINGLE_KEY,
        iin=make_iin(birth, Sex.MALE, 4242),
        surname="ТЕСТОВ",
        name="АЙДАР",
        birth_date=birth,
        sex=Sex.MALE,
        generate_key=GostKeyType.GOST2015_512,
        pkcs12_password=b"Qwerty12",
    )
    issued = issuer.issue(application, T0, requested_by="test")
    assert isinstance(issued.private_key, gost.GostPrivateKey)
    assert _public_key(issued.certificate) == issued.private_key.public_key()
    nca_key = _public_key(pki.hierarchy.get("nca").certificate)
    certificate = issued.certificate
    assert gost.verify(nca_key, GOST_SIG, certificate.tbs_certificate_bytes, certificate.signature)
    policies = certificate.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert [p.policy_identifier.dotted_string for p in policies] == [oids.POLICY_SINGLE_KEY]
    assert issued.pkcs12 is not None
    key, certificate_der = gost.load_pkcs12(issued.pkcs12, "Qwerty12")
    assert key == issued.private_key and certificate_der == _der(certificate)


# --- CRLs and OCSP ---


def test_gost_crl_verifies_with_pki_gost_and_gostcrypto(pki: Pki) -> None:
    leaf = issue_leaf(pki)
    pki.registry.revoke("nca", leaf.serial_number, Ground.KEY_COMPROMISE, T0, "test", "doc-1")
    authority = pki.hierarchy.get("nca")
    crl = x509.load_der_x509_crl(build_full_crl(authority, pki.registry, T0 + dt.timedelta(seconds=1)))
    _assert_kazakh_gost_algorithm(crl.public_bytes(Encoding.DER))
    assert crl.get_revoked_certificate_by_serial_number(leaf.serial_number) is not None
    ca_key = _public_key(authority.certificate)
    assert gost.verify(ca_key, GOST_SIG, crl.tbs_certlist_bytes, crl.signature)
    assert not gost.verify(ca_key, GOST_SIG, _flip(crl.tbs_certlist_bytes, 30), crl.signature)
    assert _gostcrypto_verifies(ca_key, crl.tbs_certlist_bytes, crl.signature)


def _ocsp_request(issuer: x509.Certificate, serial: int) -> bytes:
    def sha1(data: bytes) -> bytes:
        digest = hashes.Hash(hashes.SHA1())
        digest.update(data)
        return digest.finalize()

    cert_id = {
        "hash_algorithm": {"algorithm": "sha1"},
        "issuer_name_hash": sha1(issuer.subject.public_bytes()),
        "issuer_key_hash": sha1(subject_key_bits(_der(issuer))),
        "serial_number": serial,
    }
    return ocsp.OCSPRequest({"tbs_request": {"request_list": [{"req_cert": cert_id}]}}).dump()


def test_gost_ocsp_response_signed_by_gost_delegated_responder(pki: Pki) -> None:
    leaf = issue_leaf(pki)
    at = T0 + dt.timedelta(seconds=2)
    pki.registry.revoke("nca", leaf.serial_number, Ground.HOLD, at, "test", "doc-2")
    nca = pki.hierarchy.get("nca").certificate
    response = ocsp.OCSPResponse.load(
        OcspResponder(pki.hierarchy, pki.registry).respond(_ocsp_request(nca, leaf.serial_number), at)
    )
    assert response["response_status"].native == "successful"
    basic = response["response_bytes"]["response"].parsed
    _assert_kazakh_gost_algorithm(basic.dump())
    (single,) = basic["tbs_response_data"]["responses"]
    assert single["cert_status"].name == "revoked"
    assert single["cert_status"].chosen["revocation_reason"].native == "certificate_hold"
    (responder_der,) = [c.dump() for c in basic["certs"]]
    responder = x509.load_der_x509_certificate(responder_der)
    assert responder == pki.hierarchy.ocsp_responder("nca").certificate
    responder_key = _public_key(responder)
    tbs = basic["tbs_response_data"].dump()
    signature = basic["signature"].native
    assert gost.verify(responder_key, GOST_SIG, tbs, signature)
    assert not gost.verify(responder_key, GOST_SIG, _flip(tbs, 20), signature)
    assert _gostcrypto_verifies(responder_key, tbs, signature)
    # The responder certificate itself is signed by the nca CA key.
    assert gost.verify(_public_key(nca), GOST_SIG, responder.tbs_certificate_bytes, responder.signature)


# --- keys at rest (EDS-21) ---


def test_eds21_gost_ca_keys_are_sealed_at_rest(pki: Pki) -> None:
    with pki.sm() as session:
        rows = session.execute(select(StoredKey)).scalars().all()
    assert {row.purpose for row in rows} == {KeyPurpose.CA, KeyPurpose.OCSP}
    for row in rows:
        assert row.key_algorithm == "gost"
        params = WrappedKey.load(row.encrypted_key)["kdf"]["parameters"]
        assert params["iteration_count"].native >= 600_000
        assert params["prf"]["algorithm"].native == "sha256"
        key = row.private_key(PASSPHRASE)
        assert isinstance(key, gost.GostPrivateKey)
        scalar = key.d.to_bytes(64, "little")
        assert scalar not in row.encrypted_key and scalar[::-1] not in row.encrypted_key
    root = pki.hierarchy.root
    assert isinstance(root.private_key, gost.GostPrivateKey)
    assert root.private_key.public_key() == _public_key(root.certificate)


def test_eds21_wrong_passphrase_refused_for_gost_keys(pki: Pki) -> None:
    with pki.sm() as session:
        row = session.execute(select(StoredKey).where(StoredKey.ca_id == "root")).scalars().first()
    assert row is not None
    with pytest.raises(InvalidInput) as caught:
        row.private_key(b"not the passphrase")
    assert caught.value.code == "bad_passphrase"


def test_gost_hierarchy_reloads_from_the_database(pki: Pki) -> None:
    from ca_sim.hierarchy import load_or_create_hierarchy

    sm = open_database(database_url(pki.home / "kzpki.db"))
    try:
        again = load_or_create_hierarchy(sm, PASSPHRASE, "http://127.0.0.1:8080", T0, "gost")
        assert again.root.certificate == pki.hierarchy.root.certificate
        assert again.root.private_key == pki.hierarchy.root.private_key
        with pytest.raises(InvalidInput) as caught:
            load_or_create_hierarchy(sm, b"wrong", "http://127.0.0.1:8080", T0, "gost")
        assert caught.value.code == "bad_passphrase"
    finally:
        dispose(sm)


# --- fixtures (kzpki fixtures with a GOST data directory) ---


def test_gost_fixture_scenarios_have_gost_keys_and_p12(tmp_path: Path) -> None:
    gost_pki = make_pki(tmp_path / "home", "gost")
    out = tmp_path / "out"
    issuer = Issuer(gost_pki.hierarchy, gost_pki.sm, gost_pki.audit)
    at = T0 + dt.timedelta(days=1)
    manifest = generate_fixtures(out, at, gost_pki.hierarchy, issuer, gost_pki.registry)
    by_name = {s["name"]: s for s in manifest["scenarios"]}
    assert set(by_name) == set(GOST_SCENARIOS)
    assert by_name["individual_single_key"]["kind"] == CertificateKind.INDIVIDUAL_SINGLE_KEY.value
    assert by_name["on_hold"]["expected"] == {"decision": "refused", "reason": "on_hold"}
    assert by_name["legal_first_head"]["expected"]["reason"] == "not_individual"
    nca_key = _public_key(gost_pki.hierarchy.get("nca").certificate)
    for entry in manifest["scenarios"]:
        files = entry["files"]
        key, certificate_der = gost.load_pkcs12((out / files["p12"]).read_bytes(), files["p12_password"])
        assert certificate_der is not None and certificate_der == (out / files["cert_der"]).read_bytes()
        certificate = x509.load_der_x509_certificate(certificate_der)
        assert _public_key(certificate) == key.public_key()
        assert gost.verify(nca_key, GOST_SIG, certificate.tbs_certificate_bytes, certificate.signature)
        pem = (out / files["key_pem"]).read_text()
        assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    status = gost_pki.registry.status("nca", int(by_name["on_hold"]["serial"], 16), at)
    assert status.state is CertState.REVOKED and status.reason is x509.ReasonFlags.certificate_hold


# --- our verifier (issue 6, verifier side): runs once pki.signatures dispatches GOST ---


def test_verifier_accepts_a_gost_chain_and_sees_its_revocations(pki: Pki) -> None:
    valid, revoked = issue_leaf(pki), issue_leaf(pki)
    at = T0 + dt.timedelta(hours=1)
    pki.registry.revoke("nca", revoked.serial_number, Ground.KEY_COMPROMISE, at, "test", "doc-3")
    later = at + dt.timedelta(seconds=1)
    published = CrlPublisher(pki.hierarchy.authorities, pki.registry, pki.home / "crl").publish(later)
    crls = [crl.der for crl in published]  # full and delta CRLs of every CA
    policy = VerificationPolicy(trust_anchors=(_der(pki.hierarchy.root.certificate),))
    verifier = Verifier(policy, StaticRevocationSource(crls=crls))
    nca = _der(pki.hierarchy.get("nca").certificate)
    verdict = verifier.inspect_certificate(_der(valid), at=later, extra_certificates=[nca])
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    verdict = verifier.inspect_certificate(_der(revoked), at=later, extra_certificates=[nca])
    assert verdict.indication is not Indication.TOTAL_PASSED
    assert Reason.REVOKED in verdict.reasons


def test_verifier_checks_a_gost_chain_through_the_gost_ocsp_responder(pki: Pki) -> None:
    """EDS-18 / UNIS-11 over OCSP: the delegated GOST responder's answers verify, good and revoked."""
    valid, revoked = issue_leaf(pki), issue_leaf(pki)
    at = T0 + dt.timedelta(hours=1)
    pki.registry.revoke("nca", revoked.serial_number, Ground.KEY_COMPROMISE, at, "test", "doc-4")
    later = at + dt.timedelta(seconds=1)
    policy = VerificationPolicy(
        trust_anchors=(_der(pki.hierarchy.root.certificate),),
        intermediates=(
            _der(pki.hierarchy.get("gov").certificate),
            _der(pki.hierarchy.get("nca").certificate),
        ),
        revocation_methods=RevocationMethods.OCSP,
        check_ca_revocation=False,
    )
    responder = OcspResponder(pki.hierarchy, pki.registry)
    verifier = Verifier(policy, InProcessRevocationSource(ocsp=responder.respond))
    verdict = verifier.inspect_certificate(_der(valid), at=later)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    evidence = verdict.signers[0].revocation
    assert evidence is not None and evidence.source == "ocsp"
    verdict = verifier.inspect_certificate(_der(revoked), at=later)
    assert Reason.REVOKED in verdict.reasons
