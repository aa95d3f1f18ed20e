"""Real GOST material nobody here made (interop/ncanode-gost-test): every object gets the outcome its README
states, a copy with one flipped byte in its signed part fails, and the genuine NCA test keys log in.

Configuration as the issue prescribes: the GOST test root as trust anchor with the NCA CA as intermediate,
test-PKI mode, the NCA CA's CRL as revocation source. The root's own CRL (covering the NCA CA certificate)
is not part of the material, so CA revocation is not checked (``check_ca_revocation=False``); with it on, a
login fails closed (tested below). Validation times are fixed: the material's windows, never the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from asn1crypto import cms as asn1_cms
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy.orm import Session, sessionmaker

from api.database import dispose, open_database
from pki import gost, oids, xmldsig
from pki.cms_signing import sign_cms
from pki.keys import certificate_der, load_certificate
from pki.reasons import Reason
from pki.signatures import verify_signature
from tests.data_paths import INTEROP_GOST, INTEROP_RSA
from tests.databases import database_url
from tests.verifier.test_fixture_scenarios import _fast_outcome, _full_outcome
from unis.accounts import Accounts, Role
from unis.challenges import Challenge
from unis.login import (
    Decision,
    LoginAttempt,
    LoginDecision,
    LoginService,
    SignatureFormat,
    xml_login_document,
)
from unis.policy import LoginPolicy
from verifier import (
    Indication,
    OcspAnswer,
    Purpose,
    StaticRevocationSource,
    SubIndication,
    VerificationPolicy,
    Verifier,
)
from verifier.certificate import Cert
from verifier.pkix import Authority
from verifier.revocation import RevocationStatus
from verifier.verdict import CheckStatus, Verdict

PASSWORD = "Qwerty12"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # inside the 2026 leaves' life and the 2026-08-11 CRL
IN_2022 = dt.datetime(2022, 9, 1, tzinfo=dt.UTC)  # inside the 2022 CMS signer's life and the small CRL
IN_2004_CRL = dt.datetime(
    2022, 5, 1, tzinfo=dt.UTC
)  # inside the 2004 CA's CRL window (2022-03-29 + 6 months)
TEST_IIN = "123456789011"


def _der(path: Path) -> bytes:
    return certificate_der(load_certificate(path.read_bytes()))


def _policy(purpose: Purpose, **changes: object) -> VerificationPolicy:
    settings: dict[str, object] = {"test_pki": True, "check_ca_revocation": False, **changes}
    return VerificationPolicy(
        trust_anchors=(_der(INTEROP_GOST / "root_test_gost_2022.cer"),),
        intermediates=(_der(INTEROP_GOST / "nca_gost2022_test.cer"),),
        purpose=purpose,
        **settings,  # type: ignore[arg-type]
    )


def _verifier(
    purpose: Purpose = Purpose.DOCUMENT, crl: str = "nca_gost2022_test.crl", **changes: object
) -> Verifier:
    crls = [(INTEROP_GOST / crl).read_bytes()]
    return Verifier(_policy(purpose, **changes), StaticRevocationSource(crls=crls))


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _check(verdict: Verdict, check_id: str, signer: int | None = None) -> CheckStatus:
    return next(c.status for c in verdict.checks if c.id == check_id and c.signer == signer)


# --- certificates: the README's outcomes -------------------------------------------------------------

README_OUTCOMES = {
    "individual_valid.cer": None,
    "individual_revoked.cer": Reason.ON_HOLD,
    "legal_valid_head.cer": None,
    "legal_revoked_head.cer": Reason.ON_HOLD,
    "legal_valid_employee.cer": Reason.REVOKED,  # superseded in the 2026-08-11 CRL despite its name
    "legal_valid_infosystem.cer": Reason.REVOKED,
}


@pytest.mark.parametrize(("certificate", "expected"), README_OUTCOMES.items())
def test_eds_10_eds_18_gost_2015_certificates_get_the_readme_outcome(
    certificate: str, expected: Reason | None
) -> None:
    verdict = _verifier().inspect_certificate((INTEROP_GOST / certificate).read_bytes(), at=NOW)
    assert _check(verdict, "chain") is CheckStatus.PASSED, verdict.to_json()  # GOST-512 signatures verified
    if expected is None:
        assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
        assert Reason.TEST_IDENTITY.value in {n.code for n in verdict.warnings}
    else:
        assert verdict.reasons == (expected,), verdict.to_json()
        evidence = verdict.signers[0].revocation
        assert evidence is not None and evidence.source == "crl"
        assert evidence.this_update is not None and evidence.this_update.date() == dt.date(2026, 8, 11)


@pytest.mark.parametrize("certificate", sorted(README_OUTCOMES))
def test_eds_10_fast_path_agrees_with_pyhanko_certvalidator_on_gost_chains(certificate: str) -> None:
    """The GOST signature check is plugged into pyhanko-certvalidator (verifier.pkix), so a full path
    validation reaches the same decision as the fast path."""
    verifier = _verifier()
    der = _der(INTEROP_GOST / certificate)
    fast = _fast_outcome(verifier.inspect_certificate(der, at=NOW))
    assert fast == _full_outcome(verifier.validate_with_certvalidator(Cert(der), [], NOW))


def test_eds_10_root_is_self_signed_and_issues_the_nca_ca_in_gost_2015_512() -> None:
    root = Cert(_der(INTEROP_GOST / "root_test_gost_2022.cer"))
    ca = Cert(_der(INTEROP_GOST / "nca_gost2022_test.cer"))
    for cert, issuer in ((root, root), (ca, root)):
        tbs = cert.asn1["tbs_certificate"].dump()
        signature = cert.asn1["signature_value"].native
        algorithm = cert.asn1["signature_algorithm"]
        assert algorithm["algorithm"].dotted == oids.KZ_GOST2015_512_SIGNATURE
        assert verify_signature(issuer.spki_der, algorithm, tbs, signature)
        assert not verify_signature(issuer.spki_der, algorithm, _flip(tbs, len(tbs) // 2), signature)


def test_eds_10_gost_certificate_with_a_flipped_byte_in_its_signed_part_is_refused() -> None:
    der = _der(INTEROP_GOST / "individual_valid.cer")
    subject = Cert(der).subject_der
    tampered = der.replace(subject, _flip(subject, len(subject) - 3), 1)  # inside the TBS, still decodable
    verdict = _verifier().inspect_certificate(tampered, at=NOW)
    assert verdict.reasons[0] is Reason.CHAIN_INVALID
    assert "does not verify" in next(c.message for c in verdict.checks if c.id == "chain")


def test_eds_10_gost_2004_chain_verifies_and_agrees_with_pyhanko_certvalidator() -> None:
    anchor = _der(INTEROP_GOST / "nca_gost2004_test.crt")
    policy = VerificationPolicy(trust_anchors=(anchor,), purpose=Purpose.DOCUMENT, test_pki=True)
    verifier = Verifier(
        policy, StaticRevocationSource(crls=[(INTEROP_GOST / "nca_gost2004_test.crl").read_bytes()])
    )
    der = _der(INTEROP_GOST / "ceo_valid_sign_2004_gost.cer")
    verdict = verifier.inspect_certificate(der, at=IN_2004_CRL)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert _full_outcome(verifier.validate_with_certvalidator(Cert(der), [], IN_2004_CRL)) is None


# --- CRLs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("crl", "issuer", "entries"),
    [
        ("nca_gost2022_test.crl", "nca_gost2022_test.cer", 195),
        ("nca_gost2022_test_small.crl", "nca_gost2022_test.cer", 6),
        ("nca_gost2004_test.crl", "nca_gost2004_test.crt", 31),
    ],
)
def test_eds_18_gost_crls_verify_and_a_flipped_byte_does_not(crl: str, issuer: str, entries: int) -> None:
    data = asn1_crl.CertificateList.load((INTEROP_GOST / crl).read_bytes())
    tbs = data["tbs_cert_list"].dump()
    key = Cert(_der(INTEROP_GOST / issuer)).spki_der
    algorithm, signature = data["signature_algorithm"], data["signature"].native
    assert len(data["tbs_cert_list"]["revoked_certificates"]) == entries
    assert verify_signature(key, algorithm, tbs, signature)
    assert not verify_signature(key, algorithm, _flip(tbs, len(tbs) - 40), signature)


def test_eds_18_a_tampered_gost_crl_is_never_used() -> None:
    crl = (INTEROP_GOST / "nca_gost2022_test.crl").read_bytes()
    signature = asn1_crl.CertificateList.load(crl)["signature"].native
    tampered = _flip(crl, crl.index(signature) + 5)
    policy = _policy(Purpose.LOGIN)
    verifier = Verifier(policy, StaticRevocationSource(crls=[tampered]))
    verdict = verifier.inspect_certificate((INTEROP_GOST / "individual_valid.cer").read_bytes(), at=NOW)
    assert verdict.reasons == (Reason.REVOCATION_INVALID,), verdict.to_json()


def test_unis_11_login_fails_closed_without_the_roots_crl_for_the_nca_ca() -> None:
    verifier = _verifier(Purpose.LOGIN, check_ca_revocation=True)
    verdict = verifier.inspect_certificate((INTEROP_GOST / "individual_valid.cer").read_bytes(), at=NOW)
    assert not verdict.passed and verdict.reasons[0] is Reason.REVOCATION_UNKNOWN


# --- OCSP responses (GOST responders) ---------------------------------------------------------------


class _Recorded(StaticRevocationSource):
    """One recorded OCSP response, as the answer to any request (it carries no nonce of ours)."""

    def __init__(self, response: bytes) -> None:
        super().__init__()
        self._response = response

    def fetch_ocsp(self, certificate, issuer, nonce, at):  # type: ignore[no-untyped-def]
        return OcspAnswer(self._response, None, "recorded")


def _stand_in_leaf(ca: Cert, serial: int, at: dt.datetime) -> Cert:
    """A certificate with the serial the response names, from ``ca`` by name and key id, with an OCSP URL.

    The revocation check judges the response, never the leaf's own signature (the chain check does that),
    so a stand-in signed by a throwaway key exercises the responder's GOST signature and authorisation.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "stand-in")]))
        .issuer_name(ca.subject_name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(at - dt.timedelta(days=30))
        .not_valid_after(at + dt.timedelta(days=30))
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        x509.AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier("http://ocsp.invalid/"),
                    )
                ]
            ),
            critical=False,
        )
    )
    if ca.key_identifier is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier(ca.key_identifier, None, None), critical=False
        )
    return Cert(builder.sign(key, hashes.SHA256()).public_bytes(Encoding.DER))


def _ocsp_status(
    response_name: str, anchor: str, intermediates: tuple[str, ...], response: bytes | None = None
):  # type: ignore[no-untyped-def]
    data = response if response is not None else (INTEROP_GOST / response_name).read_bytes()
    single = asn1_ocsp.OCSPResponse.load(data).basic_ocsp_response["tbs_response_data"]["responses"][0]
    produced = (
        asn1_ocsp.OCSPResponse.load(data).basic_ocsp_response["tbs_response_data"]["produced_at"].native
    )
    at = produced + dt.timedelta(minutes=1)
    policy = VerificationPolicy(
        trust_anchors=(_der(INTEROP_GOST / anchor),),
        intermediates=tuple(_der(INTEROP_GOST / i) for i in intermediates),
        test_pki=True,
        check_ca_revocation=False,
    )
    verifier = Verifier(policy, _Recorded(data))
    ca = Cert(_der(INTEROP_GOST / (intermediates[-1] if intermediates else anchor)))
    leaf = _stand_in_leaf(ca, single["cert_id"]["serial_number"].native, at)
    authority = verifier.trust.issuer_of(leaf, [], at)
    assert isinstance(authority, Authority), authority
    return verifier.revocation.check(leaf, authority, at)


GOST_2015_CA = ("root_test_gost_2022.cer", ("nca_gost2022_test.cer",))
GOST_2004_CA = ("nca_gost2004_test.crt", ())


def test_unis_11_gost_2015_ocsp_revoked_on_hold_from_a_delegated_responder() -> None:
    outcome = _ocsp_status("ocsp_response_ceo_2015_revoked.bin", *GOST_2015_CA)
    assert outcome.status is RevocationStatus.ON_HOLD, outcome.message
    assert outcome.evidence is not None and outcome.evidence.revocation_time == dt.datetime(
        2022, 7, 27, 10, 25, 30, tzinfo=dt.UTC
    )


def test_unis_11_gost_2015_ocsp_for_a_serial_never_issued_is_revoked() -> None:
    """RFC 6960 2.2 (extended revoke): "revoked", certificateHold, 1970-01-01 means "never issued"."""
    outcome = _ocsp_status("ocsp_response_individual_2015.bin", *GOST_2015_CA)
    assert outcome.status is RevocationStatus.REVOKED and outcome.reason is Reason.REVOKED
    assert "never issued" in outcome.message


def test_unis_11_gost_2004_ocsp_revoked_superseded() -> None:
    outcome = _ocsp_status("ocsp_response_ceo_sign_2004_revoked.bin", *GOST_2004_CA)
    assert outcome.status is RevocationStatus.REVOKED, outcome.message
    assert outcome.evidence is not None and outcome.evidence.reason == "superseded"


@pytest.mark.parametrize(
    ("name", "ca"),
    [
        ("ocsp_response_ceo_2015_revoked.bin", GOST_2015_CA),
        ("ocsp_response_individual_2015.bin", GOST_2015_CA),
        ("ocsp_response_ceo_sign_2004_revoked.bin", GOST_2004_CA),
    ],
)
def test_unis_11_gost_ocsp_response_with_a_flipped_signature_byte_is_invalid(
    name: str, ca: tuple[str, tuple[str, ...]]
) -> None:
    data = (INTEROP_GOST / name).read_bytes()
    signature = asn1_ocsp.OCSPResponse.load(data).basic_ocsp_response["signature"].native
    outcome = _ocsp_status(name, *ca, response=_flip(data, data.index(signature) + 7))
    assert outcome.status is RevocationStatus.UNKNOWN and outcome.reason is Reason.REVOCATION_INVALID
    assert "does not verify" in outcome.message


# --- CMS: one GOST and one RSA signer -------------------------------------------------------------------


def _cms_verifier() -> Verifier:
    policy = dataclasses.replace(
        _policy(Purpose.DOCUMENT),
        trust_anchors=(
            _der(INTEROP_GOST / "root_test_gost_2022.cer"),
            _der(INTEROP_RSA / "nca_rsa_test.crt"),
        ),
    )
    crls = [
        (INTEROP_GOST / "nca_gost2022_test_small.crl").read_bytes(),
        (INTEROP_RSA / "nca_rsa_test.crl").read_bytes(),
    ]
    return Verifier(policy, StaticRevocationSource(crls=crls))


CMS_FILES = [
    ("cms_gost2015_and_rsa_attached_test123.cms", None),
    ("cms_gost2015_and_rsa_detached_test123.cms", b"test123"),
]


@pytest.mark.parametrize(("name", "detached"), CMS_FILES)
def test_eds_10_both_signers_of_the_gost_and_rsa_cms_verify(name: str, detached: bytes | None) -> None:
    """The two certificates never overlap in time (the RSA one expired in January 2022, the GOST one starts
    in July 2022), so the whole CMS cannot pass on any date; each signer's cryptography does."""
    verdict = _cms_verifier().verify_cms(
        (INTEROP_GOST / name).read_bytes(), at=IN_2022, detached_content=detached
    )
    assert [s.signature_algorithm for s in verdict.signers] == [
        oids.KZ_GOST2015_512_SIGNATURE,
        oids.SHA256_WITH_RSA,
    ]
    for signer in (0, 1):
        for check_id in ("algorithm", "content_type", "message_digest", "signature"):
            assert _check(verdict, check_id, signer) is CheckStatus.PASSED, (signer, check_id)
    for check_id in ("chain", "validity", "revocation"):  # the GOST signer is valid on this date
        assert _check(verdict, check_id, 0) is CheckStatus.PASSED, check_id
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,)  # the RSA signer's certificate only


def _signer_signature(cms: bytes, index: int) -> bytes:
    return asn1_cms.ContentInfo.load(cms)["content"]["signer_infos"][index]["signature"].native


@pytest.mark.parametrize(("name", "detached"), CMS_FILES)
def test_eds_10_gost_cms_signer_with_a_flipped_signature_byte_is_sig_crypto_failure(
    name: str, detached: bytes | None
) -> None:
    cms = (INTEROP_GOST / name).read_bytes()
    tampered = _flip(cms, cms.index(_signer_signature(cms, 0)) + 10)
    verdict = _cms_verifier().verify_cms(tampered, at=IN_2022, detached_content=detached)
    assert _check(verdict, "signature", 0) is CheckStatus.FAILED
    assert _check(verdict, "signature", 1) is CheckStatus.PASSED
    assert verdict.indication is Indication.TOTAL_FAILED
    assert verdict.sub_indication is SubIndication.SIG_CRYPTO_FAILURE


def test_eds_10_gost_cms_with_altered_content_fails_both_digests() -> None:
    cms = (INTEROP_GOST / "cms_gost2015_and_rsa_attached_test123.cms").read_bytes()
    tampered = cms.replace(b"test123", b"test124", 1)
    verdict = _cms_verifier().verify_cms(tampered, at=IN_2022)
    assert _check(verdict, "message_digest", 0) is CheckStatus.FAILED
    assert _check(verdict, "message_digest", 1) is CheckStatus.FAILED
    assert verdict.sub_indication is SubIndication.HASH_FAILURE


# --- XMLDSig with the genuine keys (the genuine RSA+GOST document: test_interop_gost_xml.py) ---


def test_eds_10_real_nca_gost_keys_sign_one_xml_document_in_turn() -> None:
    """NCALayer-style: the genuine individual key signs, then the legal-entity head's key adds a signature."""
    document = b"<contract><item>one</item></contract>"
    for name in ("individual_valid.p12", "legal_valid_head.p12"):
        key, certificate = _p12(name)
        document = xmldsig.sign_enveloped(document, key, certificate)
    verdict = _verifier().verify_xml(document, at=NOW)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert [s.signature_algorithm for s in verdict.signers] == [oids.KZ_GOST2015_512_SIGNATURE] * 2


# --- the genuine NCA test keys log in ------------------------------------------------------------------


def _p12(name: str) -> tuple[gost.GostPrivateKey, x509.Certificate]:
    key, certificate = gost.load_pkcs12((INTEROP_GOST / name).read_bytes(), PASSWORD)
    assert certificate is not None
    return key, x509.load_der_x509_certificate(certificate)


def _challenge_cms(name: str, challenge: bytes) -> bytes:
    """The challenge signed as NCALayer does with a GOST key: CMS, Streebog-512, signed attributes."""
    key, certificate = _p12(name)
    return sign_cms(challenge, key, certificate, signing_time=NOW)


@pytest.mark.parametrize(
    ("p12", "expected"),
    [
        ("individual_valid.p12", None),
        ("individual_revoked.p12", Reason.ON_HOLD),
        ("legal_valid_head.p12", Reason.NOT_INDIVIDUAL),
    ],
)
def test_unis_3_unis_11_real_nca_gost_key_signs_a_login_challenge(p12: str, expected: Reason | None) -> None:
    cms = _challenge_cms(p12, b"\x5a" * 32)
    verdict = _verifier(Purpose.LOGIN).verify_cms(cms, at=NOW)
    assert _check(verdict, "signature", 0) is CheckStatus.PASSED
    if expected is None:
        assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
        assert verdict.signers[0].identity is not None and verdict.signers[0].identity.iin == TEST_IIN
    else:
        assert verdict.reasons == (expected,), verdict.to_json()


@pytest.fixture
def login_service(tmp_path: Path) -> Iterator[tuple[LoginService, sessionmaker[Session]]]:
    sm = open_database(database_url(tmp_path / "unis.db"))
    yield LoginService(sm, _verifier(Purpose.LOGIN), LoginPolicy(), challenge_key=b"k" * 32), sm
    dispose(sm)


def _log_in(
    login_service: tuple[LoginService, sessionmaker[Session]],
    signature_format: SignatureFormat,
    sign: Callable[[Challenge], bytes],
) -> LoginDecision:
    """The whole UNIS decision for the test identity's active account, on a challenge ``sign`` signs."""
    service, sm = login_service
    Accounts(sm).create(
        iin=TEST_IIN,
        role=Role.CHAMBER_EMPLOYEE,
        chamber="test",
        at=NOW,
        actor="test",
        allow_test_identities=True,
    )
    challenge = service.create_challenge(NOW)
    attempt = LoginAttempt(challenge.challenge_id, signature_format, sign(challenge))
    return service.log_in(attempt, NOW + dt.timedelta(seconds=5))


@pytest.mark.parametrize(
    ("p12", "reason"),
    [
        ("individual_valid.p12", None),
        ("individual_revoked.p12", Reason.ON_HOLD),
        ("legal_valid_head.p12", Reason.NOT_INDIVIDUAL),
    ],
)
def test_unis_login_with_the_real_nca_gost_test_keys(
    login_service: tuple[LoginService, sessionmaker[Session]], p12: str, reason: Reason | None
) -> None:
    """The whole UNIS decision (challenge, verdict, account, UNIS-12 certificate age) on genuine keys."""
    decision = _log_in(login_service, SignatureFormat.CMS, lambda c: _challenge_cms(p12, c.nonce))
    if reason is None:
        assert decision.decision is Decision.ACCEPTED, decision.to_json()
    else:
        assert decision.decision is Decision.REFUSED and decision.reasons[0] is reason, decision.to_json()


def test_unis_login_with_the_real_nca_gost_key_over_xmldsig(
    login_service: tuple[LoginService, sessionmaker[Session]],
) -> None:
    key, certificate = _p12("individual_valid.p12")
    decision = _log_in(
        login_service,
        SignatureFormat.XML,
        lambda c: xmldsig.sign_enveloped(xml_login_document(c), key, certificate),
    )
    assert decision.decision is Decision.ACCEPTED, decision.to_json()
