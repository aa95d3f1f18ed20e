"""The chain to the trust anchors (EDS-10), key usage for the purpose, and the fast path's caching."""

from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography import x509

import verifier.paths as paths_module
from pki.names import Organization
from pki.reasons import Reason
from tests.verifier.conftest import T0, Issued, MiniPki
from verifier import Indication, Purpose, SubIndication
from verifier.certificate import Cert
from verifier.pkix import Failure


def test_eds10_certificate_from_a_foreign_root_is_no_certificate_chain_found(
    pki: MiniPki, foreign_root: Issued
) -> None:
    leaf = pki.leaf(issuer=foreign_root)
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(leaf.der, at=T0)
    assert verdict.indication is Indication.INDETERMINATE
    assert verdict.sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
    assert verdict.reasons == (Reason.UNTRUSTED_ROOT,)


def test_foreign_ca_certificate_supplied_with_the_signature_is_not_trusted(
    pki: MiniPki, foreign_root: Issued
) -> None:
    impostor_ca = pki.ca("TEST NCA (SIM)", foreign_root)  # same name as our nca, another key and root
    leaf = pki.leaf(issuer=impostor_ca)
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(
        leaf.der, at=T0, extra_certificates=[impostor_ca.der]
    )
    assert not verdict.passed
    assert verdict.reasons[0] in {Reason.UNTRUSTED_ROOT, Reason.CHAIN_INVALID}


def _tampered(der: bytes) -> bytes:
    """``der`` with one byte of its signature value changed (the ECDSA s integer stays well formed)."""
    altered = bytearray(der)
    altered[-10] ^= 0x01
    return bytes(altered)


def test_leaf_whose_signature_does_not_verify_with_its_issuer_fails_the_chain(pki: MiniPki) -> None:
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(_tampered(pki.leaf().der), at=T0)
    assert verdict.reasons == (Reason.CHAIN_INVALID,)
    assert "signature" in next(c for c in verdict.checks if c.id == "chain").message


def test_expired_certificate_is_total_failed_expired(pki: MiniPki) -> None:
    leaf = pki.leaf(not_before=T0 - dt.timedelta(days=400), not_after=T0 - dt.timedelta(days=35))
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(leaf.der, at=T0)
    assert verdict.indication is Indication.TOTAL_FAILED
    assert verdict.sub_indication is SubIndication.EXPIRED
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,)


def test_not_yet_valid_certificate_is_total_failed_not_yet_valid(pki: MiniPki) -> None:
    leaf = pki.leaf(not_before=T0 + dt.timedelta(days=1), not_after=T0 + dt.timedelta(days=366))
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(leaf.der, at=T0)
    assert verdict.sub_indication is SubIndication.NOT_YET_VALID
    assert verdict.reasons == (Reason.CERTIFICATE_NOT_YET_VALID,)


def test_validity_bounds_allow_the_configured_clock_skew_only(pki: MiniPki) -> None:
    leaf = pki.leaf(not_before=T0 - dt.timedelta(days=365), not_after=T0 - dt.timedelta(seconds=20))
    verifier = pki.verifier(crls=[pki.crl()], max_clock_skew=dt.timedelta(seconds=30))
    assert verifier.inspect_certificate(leaf.der, at=T0).passed
    assert (
        verifier.inspect_certificate(leaf.der, at=T0 + dt.timedelta(seconds=11)).reasons[0]
        is Reason.CERTIFICATE_EXPIRED
    )


@pytest.mark.parametrize(
    ("kind", "purpose", "allowed"),
    [
        ("auth", Purpose.LOGIN, True),
        ("single", Purpose.LOGIN, True),
        ("sign", Purpose.LOGIN, False),  # a legacy SIGN key is refused for login
        ("sign", Purpose.DOCUMENT, True),
        ("single", Purpose.DOCUMENT, True),
        ("auth", Purpose.DOCUMENT, False),  # no nonRepudiation
        ("gov", Purpose.DOCUMENT, True),  # state-bodies leaves may lack an EKU
    ],
)
def test_eds10_key_usage_must_allow_the_purpose(
    pki: MiniPki, kind: str, purpose: Purpose, allowed: bool
) -> None:
    organization = Organization("ӘДІЛЕТ МИНИСТРЛІГІ (SIM)", "990140004654") if kind == "gov" else None
    leaf = pki.leaf(kind, organization=organization)
    verdict = pki.verifier(crls=[pki.crl()], purpose=purpose).inspect_certificate(leaf.der, at=T0)
    key_usage = next(c for c in verdict.checks if c.id == "key_usage")
    assert (key_usage.status.value == "passed") is allowed, key_usage.message
    if not allowed:
        assert key_usage.reason is Reason.WRONG_KEY_USAGE


def test_intermediate_that_is_not_a_ca_breaks_the_chain(pki: MiniPki) -> None:
    not_a_ca = pki.ca("NOT A CA (SIM)", pki.root, ca=False)
    leaf = pki.leaf(issuer=not_a_ca)
    root_crl = pki.crl(issuer=pki.root)
    verdict = pki.verifier(crls=[root_crl]).inspect_certificate(
        leaf.der, at=T0, extra_certificates=[not_a_ca.der]
    )
    assert verdict.reasons == (Reason.CHAIN_INVALID,)


def test_path_length_constraint_of_an_intermediate_is_enforced(pki: MiniPki) -> None:
    no_sub_cas = pki.ca("PATHLEN ZERO (SIM)", pki.root, path_length=0)
    sub = pki.ca("SUB CA (SIM)", no_sub_cas)
    leaf = pki.leaf(issuer=sub)
    crls = [pki.crl(issuer=pki.root), pki.crl(issuer=no_sub_cas), pki.crl(issuer=sub)]
    verdict = pki.verifier(crls=crls).inspect_certificate(
        leaf.der, at=T0, extra_certificates=[no_sub_cas.der, sub.der]
    )
    assert verdict.reasons == (Reason.CHAIN_INVALID,)


def test_eds18_ca_revoked_by_the_root_crl_breaks_every_chain_below_it(pki: MiniPki) -> None:
    ca = pki.ca("REVOKED CA (SIM)", pki.root)
    leaf = pki.leaf(issuer=ca)
    root_crl = pki.crl(
        [(ca.cert.serial_number, T0 - dt.timedelta(days=1), x509.ReasonFlags.ca_compromise)], issuer=pki.root
    )
    verifier = pki.verifier(crls=[pki.crl(issuer=ca)])
    verifier = type(verifier)(verifier.policy, pki.static_source([root_crl, pki.crl(issuer=ca)]))
    verdict = verifier.inspect_certificate(leaf.der, at=T0, extra_certificates=[ca.der])
    assert verdict.indication is Indication.TOTAL_FAILED and verdict.reasons == (Reason.REVOKED,)
    assert next(c for c in verdict.checks if c.reason is Reason.REVOKED).id == "chain"


def test_unsupported_critical_extension_in_the_leaf_breaks_the_chain(pki: MiniPki) -> None:
    odd = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.3.4.5.6"), b"\x05\x00")
    leaf = pki.leaf(extra=[(odd, True)])
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(leaf.der, at=T0)
    assert verdict.reasons == (Reason.CHAIN_INVALID,)


def test_ca_path_is_validated_by_certvalidator_once_then_served_from_cache(
    pki: MiniPki, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = paths_module.run
    monkeypatch.setattr(paths_module, "run", lambda coroutine: calls.append(1) or original(coroutine))
    verifier = pki.verifier(crls=[pki.crl()])
    for n in range(5):
        assert verifier.inspect_certificate(pki.leaf().der, at=T0 + dt.timedelta(minutes=n)).passed
    assert len(calls) == 2  # one CA validation: the path without revocation, then its revocation
    other_purpose = verifier.for_purpose(Purpose.DOCUMENT)
    other_purpose.inspect_certificate(pki.leaf("sign").der, at=T0)
    assert len(calls) == 2  # same anchors: the validated CA is shared


def test_fast_path_agrees_with_full_certvalidator_on_the_broken_certificates(
    pki: MiniPki, foreign_root: Issued
) -> None:
    """The differential test over the failure modes this PKI can make (the fixture scenarios have theirs)."""
    leaf_ok = pki.leaf()
    revoked = pki.leaf()
    held = pki.leaf()
    crl = pki.crl(
        [
            (revoked.cert.serial_number, T0 - dt.timedelta(days=1), x509.ReasonFlags.key_compromise),
            (held.cert.serial_number, T0 - dt.timedelta(days=1), x509.ReasonFlags.certificate_hold),
        ],
        number=77,
    )
    stale = pki.crl(number=78, this_update=T0 - dt.timedelta(days=3), next_update=T0 - dt.timedelta(days=1))
    cases = {
        "good": (leaf_ok, [crl]),
        "revoked": (revoked, [crl]),
        "on_hold": (held, [crl]),
        "expired": (
            pki.leaf(not_before=T0 - dt.timedelta(days=400), not_after=T0 - dt.timedelta(days=35)),
            [crl],
        ),
        "not_yet_valid": (pki.leaf(not_before=T0 + dt.timedelta(days=1)), [crl]),
        "foreign": (pki.leaf(issuer=foreign_root), [crl]),
        "stale_crl": (leaf_ok, [stale]),
        "no_crl": (leaf_ok, []),
        "forged_leaf": (Issued(leaf_ok.key, x509.load_der_x509_certificate(_tampered(leaf_ok.der))), [crl]),
        "foreign_key_same_issuer_name": (pki.leaf(issuer=Issued(foreign_root.key, pki.nca.cert)), [crl]),
    }
    from tests.verifier.test_fixture_scenarios import _fast_outcome, _full_outcome
    from verifier import RevocationMethods

    for name, (leaf, crls) in cases.items():
        verifier = pki.verifier(crls=crls, revocation_methods=RevocationMethods.CRL, purpose=Purpose.DOCUMENT)
        fast = _fast_outcome(verifier.inspect_certificate(leaf.der, at=T0))
        full_result = verifier.validate_with_certvalidator(Cert(leaf.der), [], T0)
        assert fast == _full_outcome(full_result), (name, fast, full_result)
        assert (fast is None) == (name == "good"), name
    assert isinstance(full_result, Failure)


def test_ca_with_name_constraints_is_left_to_a_full_certvalidator_validation(pki: MiniPki) -> None:
    constrained = pki.ca("CONSTRAINED CA (SIM)", pki.root)
    # re-issue it with a nameConstraints extension (the fast path leaves such paths to pyhanko-certvalidator)
    builder = (
        x509.CertificateBuilder()
        .subject_name(constrained.cert.subject)
        .issuer_name(pki.root.cert.subject)
        .public_key(constrained.key.public_key())
        .serial_number(pki.next_serial())
        .not_valid_before(constrained.cert.not_valid_before_utc)
        .not_valid_after(constrained.cert.not_valid_after_utc)
    )
    for extension in constrained.cert.extensions:
        builder = builder.add_extension(extension.value, critical=extension.critical)
    excluded = [x509.DNSName("forbidden.example")]
    builder = builder.add_extension(
        x509.NameConstraints(permitted_subtrees=None, excluded_subtrees=excluded), critical=True
    )
    from cryptography.hazmat.primitives import hashes

    ca = Issued(constrained.key, builder.sign(pki.root.key, hashes.SHA256()))
    good, revoked = pki.leaf(issuer=ca), pki.leaf(issuer=ca)
    crl = pki.crl(
        [(revoked.cert.serial_number, T0 - dt.timedelta(days=1), x509.ReasonFlags.key_compromise)], issuer=ca
    )
    verifier = type(pki.verifier())(pki.policy(), pki.static_source([crl]))
    authority = verifier.trust.issuer_of(Cert(good.der), [Cert(ca.der)], T0)
    assert not isinstance(authority, Failure) and authority.needs_full_path
    assert verifier.inspect_certificate(good.der, at=T0, extra_certificates=[ca.der]).passed
    verdict = verifier.inspect_certificate(revoked.der, at=T0, extra_certificates=[ca.der])
    assert verdict.reasons == (Reason.REVOKED,)


def _with_validity(der: bytes, not_after: object) -> bytes:
    """``der`` with another notAfter (the signature no longer matters: only the encoding is read)."""
    certificate = asn1_x509.Certificate.load(der)
    certificate["tbs_certificate"]["validity"]["not_after"] = not_after
    return certificate.dump(force=True)


def test_rfc5280_4_1_2_5_validity_times_must_be_in_their_der_form(pki: MiniPki) -> None:
    der = pki.leaf().der
    assert Cert(der).validity_encoding_valid
    later = dt.datetime(2051, 1, 1, tzinfo=dt.UTC)
    assert Cert(_with_validity(der, asn1_x509.Time({"general_time": later}))).validity_encoding_valid
    fraction = asn1_x509.Time({"general_time": later + dt.timedelta(microseconds=500_000)})
    assert not Cert(_with_validity(der, fraction)).validity_encoding_valid  # 20510101000000.5Z
    with pytest.raises(ValueError):  # not a time at all
        Cert(_with_validity(der, core.Integer(5))).validity_encoding_valid
