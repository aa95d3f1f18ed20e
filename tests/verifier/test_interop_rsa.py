"""Real material nobody here made: the NCA's RSA test hierarchy (interop/ncanode-rsa-test). The GOST
material is in test_interop_gost.py.

Every case also goes through a full pyhanko-certvalidator validation (CRL_REQUIRED), which must agree
with the fast path; the NCA's OCSP response is the documented exception (pyhanko-certvalidator cannot
parse its responder certificate at all, which is why the verifier checks OCSP responses itself).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from pki.cms import embedded_certificates, load_signed_data
from pki.cms_signing import sign_cms
from pki.keys import certificate_der, load_certificate, load_pkcs12
from pki.reasons import Reason
from tests.data_paths import INTEROP_RSA
from tests.verifier.test_fixture_scenarios import _fast_outcome, _full_outcome
from verifier import (
    Indication,
    OcspAnswer,
    Purpose,
    RevocationMethods,
    RevocationRequirement,
    StaticRevocationSource,
    VerificationPolicy,
    Verifier,
)
from verifier.certificate import Cert
from verifier.pkix import Authority, make_context, run, validate_candidate
from verifier.revocation import RevocationStatus

PASSWORD = b"Qwerty12"
IN_2021 = dt.datetime(2021, 6, 1, tzinfo=dt.UTC)  # inside the 4279390A... key's life
IN_2022 = dt.datetime(2022, 6, 1, tzinfo=dt.UTC)  # inside the 2022 keys' life and the CRL's window
OCSP_PRODUCED = dt.datetime(2022, 9, 2, 16, 54, 30, tzinfo=dt.UTC)
OCSP_NONCE = bytes.fromhex("B5E5C9B552CBCAC4")


def _der(path: Path) -> bytes:
    return certificate_der(load_certificate(path.read_bytes()))


def _verifier(*, test_pki: bool = True, purpose: Purpose = Purpose.DOCUMENT, **changes: object) -> Verifier:
    policy = VerificationPolicy(
        trust_anchors=(_der(INTEROP_RSA / "nca_rsa_test.crt"),),
        purpose=purpose,
        test_pki=test_pki,
        **changes,  # type: ignore[arg-type]
    )
    return Verifier(policy, StaticRevocationSource(crls=[(INTEROP_RSA / "nca_rsa_test.crl").read_bytes()]))


def test_nca_attached_cms_verifies_as_of_a_date_inside_the_certificate_life() -> None:
    verifier = _verifier(document_revocation=RevocationRequirement.IF_AVAILABLE)
    verdict = verifier.verify_cms((INTEROP_RSA / "signed_attached_lol_kek.cms").read_bytes(), at=IN_2021)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert verdict.signed_content == b"lol_kek"
    assert verdict.signer.certificate.serial == "4279390A141F5353A62947B61ED65E81741467D1"
    assert verdict.signer.identity.iin == "123456789011"
    assert Reason.TEST_IDENTITY.value in {w.code for w in verdict.warnings}


def test_nca_enveloped_xml_signature_verifies() -> None:
    verifier = _verifier(document_revocation=RevocationRequirement.IF_AVAILABLE)
    verdict = verifier.verify_xml((INTEROP_RSA / "signed_enveloped.xml").read_bytes(), at=IN_2021)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert verdict.signed_content == b"<a><b>test</b></a>"


def test_nca_test_iin_is_refused_in_production_mode_and_accepted_with_a_warning_in_test_pki_mode() -> None:
    cms = (INTEROP_RSA / "signed_attached_lol_kek.cms").read_bytes()
    production = _verifier(test_pki=False, document_revocation=RevocationRequirement.IF_AVAILABLE)
    assert production.verify_cms(cms, at=IN_2021).reasons == (Reason.INVALID_IIN,)
    test_mode = _verifier(document_revocation=RevocationRequirement.IF_AVAILABLE).verify_cms(cms, at=IN_2021)
    assert test_mode.passed and Reason.TEST_IDENTITY.value in {w.code for w in test_mode.warnings}


@pytest.mark.parametrize(
    ("container", "purpose"),
    [
        ("individual_revoked_auth_2004_rsa.p12", Purpose.LOGIN),
        ("individual_revoked_sign_2004_rsa.p12", Purpose.DOCUMENT),
    ],
)
def test_revoked_nca_keys_are_refused_through_the_crl(container: str, purpose: Purpose) -> None:
    key, certificate, _ = load_pkcs12((INTEROP_RSA / container).read_bytes(), PASSWORD)
    cms = sign_cms(b"\x01" * 32, key, certificate, signing_time=IN_2022)
    verdict = _verifier(purpose=purpose).verify_cms(cms, at=IN_2022)
    assert verdict.indication is Indication.TOTAL_FAILED
    assert verdict.reasons == (Reason.REVOKED,)
    assert verdict.signer.revocation.crl_number == 9


def test_valid_nca_auth_certificate_passes_for_login_with_the_crl() -> None:
    verdict = _verifier(purpose=Purpose.LOGIN).inspect_certificate(
        (INTEROP_RSA / "individual_valid_sign_2004_rsa_auth.cer").read_bytes(), at=IN_2022
    )
    assert verdict.passed, verdict.to_json()
    assert verdict.signer.revocation.status == "good"


class _RecordedOcsp(StaticRevocationSource):
    """The NCA's recorded OCSP response, presented as the answer to a request that carried ``nonce``."""

    def __init__(self, response: bytes, nonce: bytes) -> None:
        super().__init__()
        self._answer = OcspAnswer(response, nonce, "recorded")

    def fetch_ocsp(self, certificate, issuer, nonce, at):  # type: ignore[no-untyped-def]
        return self._answer


def _ocsp_outcome(response: bytes, nonce: bytes):  # type: ignore[no-untyped-def]
    verifier = Verifier(
        VerificationPolicy(trust_anchors=(_der(INTEROP_RSA / "nca_rsa_test.crt"),), test_pki=True),
        _RecordedOcsp(response, nonce),
    )
    cms = (INTEROP_RSA / "signed_attached_lol_kek.cms").read_bytes()
    leaf = Cert(x509.load_der_x509_certificate(_signer_der(cms)).public_bytes(Encoding.DER))
    authority = verifier.trust.issuer_of(leaf, [], OCSP_PRODUCED)
    assert isinstance(authority, Authority)
    return verifier.revocation.check(leaf, authority, OCSP_PRODUCED)


def test_nca_ocsp_response_validates_as_good_with_its_nonce() -> None:
    outcome = _ocsp_outcome((INTEROP_RSA / "ocsp_response_individual_sign_2004.bin").read_bytes(), OCSP_NONCE)
    assert outcome.status is RevocationStatus.GOOD, outcome.message
    evidence = outcome.evidence
    assert evidence.nonce_verified and evidence.next_update is None
    assert evidence.produced_at == dt.datetime(2022, 9, 2, 16, 53, 59, tzinfo=dt.UTC)


def test_nca_ocsp_response_with_another_nonce_or_altered_is_refused() -> None:
    response = (INTEROP_RSA / "ocsp_response_individual_sign_2004.bin").read_bytes()
    assert _ocsp_outcome(response, b"\x00" * 8).reason is Reason.REVOCATION_INVALID
    altered = bytearray(response)
    signature_at = response.index(
        bytes.fromhex("786879ac9d89bc54")
    )  # the response signature (openssl ocsp -text)
    altered[signature_at + 3] ^= 0x01
    assert _ocsp_outcome(bytes(altered), OCSP_NONCE).reason is Reason.REVOCATION_INVALID


def test_certvalidator_cannot_parse_the_nca_ocsp_responder_certificate() -> None:
    """Why OCSP responses are checked by the verifier itself: the NCA encodes id-pkix-ocsp-nocheck with an
    empty value (not NULL), which asn1crypto (under pyhanko-certvalidator) refuses to parse."""
    cms = (INTEROP_RSA / "signed_attached_lol_kek.cms").read_bytes()
    leaf = Cert(_signer_der(cms))
    from pyhanko_certvalidator.policy_decl import RevocationCheckingRule

    anchor = Cert(_der(INTEROP_RSA / "nca_rsa_test.crt"))
    with pytest.raises(ValueError, match="Insufficient data"):
        context = make_context(
            anchors=[anchor],
            others=[],
            at=OCSP_PRODUCED,
            skew=dt.timedelta(days=365),
            ee_rule=RevocationCheckingRule.OCSP_REQUIRED,
            ca_rule=RevocationCheckingRule.NO_CHECK,
            ocsps=[(INTEROP_RSA / "ocsp_response_individual_sign_2004.bin").read_bytes()],
        )
        run(validate_candidate([anchor, leaf], context, None))


def test_fast_path_agrees_with_full_certvalidator_on_the_nca_rsa_certificates() -> None:
    cases = {
        "valid_sign_2021": (_signer_der((INTEROP_RSA / "signed_attached_lol_kek.cms").read_bytes()), IN_2021),
        "valid_sign_2021_in_2022": (
            _signer_der((INTEROP_RSA / "signed_attached_lol_kek.cms").read_bytes()),
            IN_2022,
        ),
        "valid_auth_2022": (_der(INTEROP_RSA / "individual_valid_sign_2004_rsa_auth.cer"), IN_2022),
        "valid_sign_2022": (_der(INTEROP_RSA / "individual_valid_sign_2004_rsa.cer"), IN_2022),
        "revoked_auth": (_p12_der("individual_revoked_auth_2004_rsa.p12"), IN_2022),
        "revoked_sign": (_p12_der("individual_revoked_sign_2004_rsa.p12"), IN_2022),
    }
    verifier = _verifier(revocation_methods=RevocationMethods.CRL)
    seen = set()
    for name, (der, at) in cases.items():
        fast = _fast_outcome(verifier.inspect_certificate(der, at=at))
        full = _full_outcome(verifier.validate_with_certvalidator(Cert(der), [], at))
        assert fast == full, (name, fast, full)
        seen.add(fast)
    assert len(seen) >= 3  # passes, revocations and a too-new CRL were all compared


def _signer_der(cms: bytes) -> bytes:
    return embedded_certificates(load_signed_data(cms))[0].dump()


def _p12_der(name: str) -> bytes:
    _, certificate, _ = load_pkcs12((INTEROP_RSA / name).read_bytes(), PASSWORD)
    return certificate_der(certificate)
