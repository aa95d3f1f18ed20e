"""RFC 5280 6.3 beyond the CRL fast path (EDS-18, UNIS-11), on NIST PKITS material.

The fast path judges complete CRLs of the issuer's own key; separate CRL keys, IDP scopes, onlySomeReasons
and indirect CRLs send the whole path to the full validator, and an undetermined status (reasons not all
covered) never passes: a login fails closed, a document that asks for revocation only "if available" reports
the check skipped with a warning, never passed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pki.reasons import Reason
from tests.data_paths import CONFORMANCE
from verifier import (
    Purpose,
    RevocationMethods,
    RevocationRequirement,
    StaticRevocationSource,
    Verdict,
    VerificationPolicy,
    Verifier,
)
from verifier.certificate import Cert
from verifier.pkix import Authority
from verifier.revocation.crl_header import crl_number_problem, read_crl_header
from verifier.revocation.crl_scope import crl_reason, leaf_point_reason
from verifier.verdict import Check, CheckId, CheckStatus

PKITS = CONFORMANCE / "pkits"
AT = dt.datetime(2022, 5, 1, tzinfo=dt.UTC)
ANCHOR = (PKITS / "certs" / "TrustAnchorRootCertificate.crt").read_bytes()
ANCHOR_CRL = (PKITS / "crls" / "TrustAnchorRootCRL.crl").read_bytes()


def _cert(name: str) -> bytes:
    return (PKITS / "certs" / f"{name}.crt").read_bytes()


def _crl(name: str) -> bytes:
    return (PKITS / "crls" / f"{name}.crl").read_bytes()


def _inspect(
    leaf: str, cas: list[str], crls: list[str], purpose: Purpose = Purpose.LOGIN, **changes: object
) -> Verdict:
    policy = VerificationPolicy(
        trust_anchors=(ANCHOR,),
        purpose=purpose,
        revocation_methods=RevocationMethods.CRL,
        ocsp_nonce=False,
        **changes,  # type: ignore[arg-type]
    )
    verifier = Verifier(policy, StaticRevocationSource([ANCHOR_CRL, *map(_crl, crls)]))
    return verifier.inspect_certificate(_cert(leaf), at=AT, extra_certificates=[_cert(c) for c in cas])


def _revocation(verdict: Verdict) -> Check:
    return next(c for c in verdict.checks if c.id is CheckId.REVOCATION)


REASONS_CA = ["onlySomeReasonsCA3Cert"]
BOTH_HALVES = ["onlySomeReasonsCA3compromiseCRL", "onlySomeReasonsCA3otherreasonsCRL"]


def test_eds18_reasons_covered_by_two_crls_together_mean_not_revoked() -> None:
    verdict = _inspect("ValidonlySomeReasonsTest18EE", REASONS_CA, BOTH_HALVES)
    check = _revocation(verdict)
    assert check.status is CheckStatus.PASSED, check.message
    assert "6.3" in check.message  # the full validator decided, and the verdict says why


@pytest.mark.parametrize("half", BOTH_HALVES)
def test_unis11_a_crl_covering_only_some_reasons_fails_a_login_closed(half: str) -> None:
    verdict = _inspect("ValidonlySomeReasonsTest18EE", REASONS_CA, [half])
    check = _revocation(verdict)
    assert check.status is CheckStatus.UNKNOWN and check.reason is Reason.REVOCATION_UNKNOWN, check.message
    assert not verdict.passed and not _path_passed(verdict)


def test_eds18_undetermined_revocation_is_skipped_never_passed_when_only_if_available() -> None:
    verdict = _inspect(
        "ValidonlySomeReasonsTest18EE",
        REASONS_CA,
        BOTH_HALVES[:1],
        purpose=Purpose.DOCUMENT,
        document_revocation=RevocationRequirement.IF_AVAILABLE,
    )
    assert _revocation(verdict).status is CheckStatus.SKIPPED
    assert Reason.REVOCATION_UNKNOWN.value in {w.code for w in verdict.warnings}


SEPARATE = [
    "SeparateCertificateandCRLKeysCertificateSigningCACert",
    "SeparateCertificateandCRLKeysCRLSigningCert",
]


def test_eds18_a_crl_signed_by_a_separate_key_of_the_ca_is_used() -> None:
    verdict = _inspect(
        "ValidSeparateCertificateandCRLKeysTest19EE", SEPARATE, ["SeparateCertificateandCRLKeysCRL"]
    )
    assert _path_passed(verdict), verdict.to_json()


def test_eds18_a_separate_crl_key_needs_its_own_certificate_path() -> None:
    verdict = _inspect(
        "ValidSeparateCertificateandCRLKeysTest19EE", SEPARATE[:1], ["SeparateCertificateandCRLKeysCRL"]
    )
    assert _revocation(verdict).status is CheckStatus.UNKNOWN


def test_eds18_a_revoked_separate_crl_signing_certificate_makes_its_crl_unusable() -> None:
    """PKITS 4.4.20: the CRL-signing certificate is itself revoked on the anchor's CRL."""
    verdict = _inspect(
        "InvalidSeparateCertificateandCRLKeysTest20EE",
        [
            "SeparateCertificateandCRLKeysCA2CertificateSigningCACert",
            "SeparateCertificateandCRLKeysCA2CRLSigningCert",
        ],
        ["SeparateCertificateandCRLKeysCA2CRL"],
    )
    assert not _path_passed(verdict) and _revocation(verdict).status is not CheckStatus.PASSED


def test_eds18_indirect_crl_named_by_the_crl_issuer_field_is_used() -> None:
    """PKITS 4.14.28: the certificate's distribution point names a cRLIssuer whose indirect CRL covers it."""
    verdict = _inspect(
        "ValidcRLIssuerTest28EE",
        ["indirectCRLCA3Cert", "indirectCRLCA3cRLIssuerCert"],
        ["indirectCRLCA3CRL", "indirectCRLCA3cRLIssuerCRL"],
    )
    assert _path_passed(verdict), verdict.to_json()


def test_eds18_which_crls_leave_the_fast_path() -> None:
    good_ca = Cert.load(_cert("GoodCACert"))
    assert leaf_point_reason(Cert.load(_cert("ValidCertificatePathTest1EE"))) is None
    assert "CRL issuer" in (leaf_point_reason(Cert.load(_cert("ValidcRLIssuerTest28EE"))) or "")
    assert crl_reason(read_crl_header(_crl("GoodCACRL")), _authority(good_ca)) is None
    separate_ca = Cert.load(_cert("SeparateCertificateandCRLKeysCertificateSigningCACert"))
    reason = crl_reason(read_crl_header(_crl("SeparateCertificateandCRLKeysCRL")), _authority(separate_ca))
    assert reason is not None and "another key" in reason
    reasons_ca = Cert.load(_cert("onlySomeReasonsCA3Cert"))
    assert "some reasons" in (crl_reason(read_crl_header(_crl(BOTH_HALVES[0])), _authority(reasons_ca)) or "")


def test_rfc5280_5_2_3_every_pkits_crl_has_a_non_critical_crl_number() -> None:
    """The CRL-number rule (x509-limbo crl::crlnumber-missing / -critical) refuses none of PKITS's CRLs."""
    for path in sorted((PKITS / "crls").glob("*.crl")):
        assert crl_number_problem(read_crl_header(path.read_bytes())) is None, path.name


def _path_passed(verdict: Verdict) -> bool:
    """The RFC 5280 path-level checks (the PKITS certificates carry no EDS identity, so the login is refused
    for other reasons whatever the path)."""
    path = [c for c in verdict.checks if c.id in (CheckId.CHAIN, CheckId.VALIDITY, CheckId.REVOCATION)]
    return len(path) == 3 and all(c.status is CheckStatus.PASSED for c in path)


def _authority(ca: Cert) -> Authority:
    return Authority(ca, (Cert.load(ANCHOR), ca), None, None, needs_full_path=False)
