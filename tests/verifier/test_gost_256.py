"""GOST R 34.10-2015 256-bit: round trip only. No genuine NCA 256-bit object exists (gost.md: the curve
TC26-256-A is reported, unconfirmed), so a verdict that meets one says so in its warnings."""

from __future__ import annotations

import datetime as dt

from cryptography import x509

from ca_sim import profiles
from ca_sim.hierarchy import Hierarchy
from pki import gost, oids
from pki.cms_signing import sign_cms
from pki.iin import Sex, make_iin
from pki.keys import certificate_der
from pki.names import Person, build_subject
from pki.reasons import Reason
from tests.conftest import SESSION_AT
from verifier import (
    Indication,
    Purpose,
    RevocationRequirement,
    StaticRevocationSource,
    VerificationPolicy,
    Verifier,
)

WARNING = "gost_256_unconfirmed"


def _leaf(hierarchy: Hierarchy, key: gost.GostPrivateKey) -> x509.Certificate:
    person = Person("ТЕСТОВ", "АЙДАР", "СЕРІКҰЛЫ", make_iin(dt.date(1985, 4, 12), Sex.MALE, 77))
    profile = profiles.INDIVIDUAL_SINGLE_KEY
    return hierarchy.minter("nca").mint(
        profile,
        build_subject(person),
        key.public_key(),
        SESSION_AT,
        profile.validity(profiles.KeyStorage.FILE).not_after(SESSION_AT),
        storage=profiles.KeyStorage.FILE,
    )


def _verifier(hierarchy: Hierarchy) -> Verifier:
    policy = VerificationPolicy(
        trust_anchors=(certificate_der(hierarchy.root.certificate),),
        intermediates=tuple(certificate_der(hierarchy.get(ca).certificate) for ca in ("gov", "nca")),
        purpose=Purpose.DOCUMENT,
        document_revocation=RevocationRequirement.IF_AVAILABLE,
        check_ca_revocation=False,
    )
    return Verifier(policy, StaticRevocationSource())


def test_eds_10_gost_256_signature_round_trips_with_an_unconfirmed_curve_warning(
    ca_hierarchy: Hierarchy,
) -> None:
    key = gost.GostPrivateKey.generate(oids.KZ_GOST2015_256_KEY)
    certificate = _leaf(ca_hierarchy, key)
    at = SESSION_AT + dt.timedelta(minutes=1)
    cms = sign_cms(b"document", key, certificate, signing_time=at)
    verdict = _verifier(ca_hierarchy).verify_cms(cms, at=at)
    assert verdict.signers[0].signature_algorithm == oids.KZ_GOST2015_256_SIGNATURE
    signature = next(c for c in verdict.checks if c.id == "signature")
    assert signature.reason is None, verdict.to_json()
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert WARNING in {n.code for n in verdict.warnings}


def test_eds_10_gost_256_tampered_signature_fails_and_512_keys_carry_no_warning(
    ca_hierarchy: Hierarchy,
) -> None:
    at = SESSION_AT + dt.timedelta(minutes=1)
    key = gost.GostPrivateKey.generate(oids.KZ_GOST2015_256_KEY)
    cms = sign_cms(b"document", key, _leaf(ca_hierarchy, key), signing_time=at)
    wrong = gost.GostPrivateKey.generate(oids.KZ_GOST2015_256_KEY)
    forged = sign_cms(b"document", wrong, _leaf(ca_hierarchy, key), signing_time=at)
    assert cms != forged
    verdict = _verifier(ca_hierarchy).verify_cms(forged, at=at)
    assert verdict.reasons[0] is Reason.SIGNATURE_INVALID
    other = gost.GostPrivateKey.generate(oids.KZ_GOST2015_512_KEY)
    verdict = _verifier(ca_hierarchy).verify_cms(
        sign_cms(b"document", other, _leaf(ca_hierarchy, other), signing_time=at), at=at
    )
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert WARNING not in {n.code for n in verdict.warnings}
