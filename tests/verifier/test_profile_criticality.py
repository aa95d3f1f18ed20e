"""RFC 5280's "MUST mark critical" rules for the policy-processing extensions of CA certificates
(verifier.profile): policyConstraints (4.2.1.11), relaxed by name for RFC 3280 CAs
(``verifier.policy.RFC3280_COMPATIBLE``), and inhibitAnyPolicy (4.2.1.14), never relaxed.

Each rule is checked through the public API (``inspect_certificate``: the trust store validates and
caches the CA, the leaf's path then goes to the full validator) and through the full validator alone
(``validate_target``, what the differential and invariant tests compare against): both must refuse.
"""

from __future__ import annotations

import dataclasses

import pytest
from cryptography import x509

from pki.reasons import Reason
from tests.verifier.conftest import T0, Issued, MiniPki, self_signed_root
from verifier import Purpose, RevocationRequirement, StaticRevocationSource, VerificationPolicy, Verifier
from verifier.certificate import Cert
from verifier.paths import validate_target
from verifier.pkix import Failure
from verifier.policy import RFC3280_COMPATIBLE, RFC5280_PROFILE, ProfileCompatibility
from verifier.profile import Role
from verifier.verdict import CheckStatus

# inhibitPolicyMapping only: constrains nothing on these paths (no policy mappings), so the verdict is
# decided by the extension's criticality alone
POLICY_CONSTRAINTS = x509.PolicyConstraints(require_explicit_policy=None, inhibit_policy_mapping=0)
INHIBIT_ANY_POLICY = x509.InhibitAnyPolicy(0)


def _chain(verifier: Verifier, leaf: Issued, extra: tuple[Issued, ...]) -> tuple[CheckStatus, str]:
    verdict = verifier.inspect_certificate(leaf.der, at=T0, extra_certificates=[e.der for e in extra])
    chain = next(c for c in verdict.checks if c.id == "chain")
    if chain.status is CheckStatus.FAILED:
        assert chain.reason is Reason.CHAIN_INVALID, chain
    return chain.status, chain.message or ""


def _full_path(verifier: Verifier, leaf: Issued, extra: tuple[Issued, ...]) -> Failure | None:
    settings = verifier.trust.settings([Cert.load(e.der) for e in extra], T0)
    result = validate_target(Cert.load(leaf.der), Role.LEAF, settings)
    return result if isinstance(result, Failure) else None


def _ca_with(pki: MiniPki, extension: x509.ExtensionType, critical: bool) -> tuple[Issued, Issued]:
    ca = pki.ca("TEST POLICY CA (SIM)", pki.root, extra=[(extension, critical)])
    return ca, pki.leaf(issuer=ca)


def _verifier(pki: MiniPki, ca: Issued, profile: ProfileCompatibility) -> Verifier:
    return pki.verifier(crls=[pki.crl(issuer=ca)], profile_compatibility=profile)


def _assert_refused(verifier: Verifier, leaf: Issued, ca: Issued, extension: str, section: str) -> None:
    """Both the chain check and the full validator refuse ``leaf`` under ``ca``, naming the rule."""
    status, message = _chain(verifier, leaf, (ca,))
    assert status is CheckStatus.FAILED
    assert f"{extension} extension must be critical (RFC 5280 {section})" in message
    failure = _full_path(verifier, leaf, (ca,))
    assert failure is not None and f"RFC 5280 {section}" in failure.message, failure


def test_rfc5280_4_2_1_11_a_non_critical_policy_constraints_on_an_intermediate_is_refused_by_default(
    pki: MiniPki,
) -> None:
    ca, leaf = _ca_with(pki, POLICY_CONSTRAINTS, critical=False)
    _assert_refused(_verifier(pki, ca, RFC5280_PROFILE), leaf, ca, "policyConstraints", "4.2.1.11")


def test_rfc5280_4_2_1_11_the_rfc3280_relaxation_accepts_a_non_critical_policy_constraints(
    pki: MiniPki,
) -> None:
    ca, leaf = _ca_with(pki, POLICY_CONSTRAINTS, critical=False)
    verifier = _verifier(pki, ca, RFC3280_COMPATIBLE)
    assert _chain(verifier, leaf, (ca,))[0] is CheckStatus.PASSED
    assert _full_path(verifier, leaf, (ca,)) is None
    # the CA path validated under the relaxation is not reused by a strict policy's verifier
    strict = verifier.with_policy(dataclasses.replace(verifier.policy, profile_compatibility=RFC5280_PROFILE))
    assert _chain(strict, leaf, (ca,))[0] is CheckStatus.FAILED


def test_rfc5280_4_2_1_11_a_critical_policy_constraints_is_accepted_by_default(pki: MiniPki) -> None:
    ca, leaf = _ca_with(pki, POLICY_CONSTRAINTS, critical=True)
    verifier = _verifier(pki, ca, RFC5280_PROFILE)
    assert _chain(verifier, leaf, (ca,))[0] is CheckStatus.PASSED
    assert _full_path(verifier, leaf, (ca,)) is None


@pytest.mark.parametrize(
    ("profile", "accepted"), [(RFC5280_PROFILE, False), (RFC3280_COMPATIBLE, True)], ids=["5280", "3280"]
)
def test_rfc5280_4_2_1_11_the_trust_anchor_s_policy_constraints_must_be_critical_too(
    pki: MiniPki, profile: ProfileCompatibility, accepted: bool
) -> None:
    root = self_signed_root("TEST PC ROOT (SIM)", extra=[(POLICY_CONSTRAINTS, False)])
    leaf = pki.leaf(issuer=root)
    policy = VerificationPolicy(
        trust_anchors=(root.der,),
        purpose=Purpose.DOCUMENT,
        document_revocation=RevocationRequirement.IF_AVAILABLE,
        profile_compatibility=profile,
    )
    verifier = Verifier(policy, StaticRevocationSource())
    status, message = _chain(verifier, leaf, ())
    assert (status is CheckStatus.PASSED) is accepted, message
    if not accepted:
        assert "the trust anchor" in message and "RFC 5280 4.2.1.11" in message
    assert (_full_path(verifier, leaf, ()) is None) is accepted


@pytest.mark.parametrize("profile", [RFC5280_PROFILE, RFC3280_COMPATIBLE], ids=["5280", "3280"])
def test_rfc5280_4_2_1_14_a_non_critical_inhibit_any_policy_is_refused_under_either_profile(
    pki: MiniPki, profile: ProfileCompatibility
) -> None:
    ca, leaf = _ca_with(pki, INHIBIT_ANY_POLICY, critical=False)
    _assert_refused(_verifier(pki, ca, profile), leaf, ca, "inhibitAnyPolicy", "4.2.1.14")


def test_rfc5280_4_2_1_14_a_critical_inhibit_any_policy_is_accepted(pki: MiniPki) -> None:
    ca, leaf = _ca_with(pki, INHIBIT_ANY_POLICY, critical=True)
    verifier = _verifier(pki, ca, RFC5280_PROFILE)
    assert _chain(verifier, leaf, (ca,))[0] is CheckStatus.PASSED
    assert _full_path(verifier, leaf, (ca,)) is None
