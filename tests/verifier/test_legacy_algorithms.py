"""DSA and SHA-1 (EDS-10 document mode, UNIS-8 login): accepted only where a policy names them.

The material is NIST PKITS 4.1.4 (a DSA CA signing with dsa-with-sha1) and 4.1.5 (a DSA CA whose key
inherits its parameters from the CA above, RFC 3279 2.3.2), from tests/data/conformance.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pki import oids
from pki.errors import UnsupportedAlgorithm
from pki.signatures import verify_signature
from tests.data_paths import CONFORMANCE
from verifier import Purpose, RevocationRequirement, StaticRevocationSource, VerificationPolicy, Verifier
from verifier.certificate import Cert
from verifier.policy import HISTORIC_DSA, RevocationMethods
from verifier.verdict import CheckStatus

CERTS = CONFORMANCE / "pkits" / "certs"
AT = dt.datetime(2022, 5, 1, tzinfo=dt.UTC)
ANCHOR = (CERTS / "TrustAnchorRootCertificate.crt").read_bytes()
DSA_CA = (CERTS / "DSACACert.crt").read_bytes()
DSA_LEAF = (CERTS / "ValidDSASignaturesTest4EE.crt").read_bytes()
INHERITED_CA = (CERTS / "DSAParametersInheritedCACert.crt").read_bytes()
INHERITED_LEAF = (CERTS / "ValidDSAParameterInheritanceTest5EE.crt").read_bytes()


def _policy(purpose: Purpose, **fields: object) -> VerificationPolicy:
    return VerificationPolicy(
        trust_anchors=(ANCHOR,),
        purpose=purpose,
        revocation_methods=RevocationMethods.CRL,
        document_revocation=RevocationRequirement.IF_AVAILABLE,
        check_ca_revocation=False,
        ocsp_nonce=False,
        **fields,  # type: ignore[arg-type]
    )


def _chain(policy: VerificationPolicy, leaf: bytes, *cas: bytes) -> tuple[CheckStatus, str | None]:
    verdict = Verifier(policy, StaticRevocationSource()).inspect_certificate(
        leaf, at=AT, extra_certificates=cas
    )
    chain = next(c for c in verdict.checks if c.id == "chain")
    return chain.status, None if chain.reason is None else chain.reason.value


def test_unis8_a_login_policy_cannot_accept_sha1_or_dsa() -> None:
    with pytest.raises(ValueError, match="legacy"):
        _policy(Purpose.LOGIN, cryptographic_constraints=HISTORIC_DSA)
    document = _policy(Purpose.DOCUMENT, cryptographic_constraints=HISTORIC_DSA)
    with pytest.raises(ValueError, match="legacy"):
        dataclasses.replace(document, purpose=Purpose.LOGIN)  # what Verifier.for_purpose does


def test_unis8_a_login_refuses_a_dsa_sha1_certificate() -> None:
    assert _chain(_policy(Purpose.LOGIN), DSA_LEAF, DSA_CA) == (
        CheckStatus.FAILED,
        "unsupported_algorithm",
    )


def test_eds10_documents_refuse_dsa_by_default() -> None:
    status, _ = _chain(_policy(Purpose.DOCUMENT), DSA_LEAF, DSA_CA)
    assert status is CheckStatus.FAILED


def test_eds10_historic_dsa_policy_accepts_dsa_sha1() -> None:
    policy = _policy(Purpose.DOCUMENT, cryptographic_constraints=HISTORIC_DSA)
    assert _chain(policy, DSA_LEAF, DSA_CA) == (CheckStatus.PASSED, None)


def test_rfc3279_2_3_2_dsa_parameters_are_inherited_from_the_issuer() -> None:
    policy = _policy(Purpose.DOCUMENT, cryptographic_constraints=HISTORIC_DSA)
    assert _chain(policy, INHERITED_LEAF, DSA_CA, INHERITED_CA) == (CheckStatus.PASSED, None)
    # without the inherited parameters the intermediate's key cannot verify what it signed
    leaf = Cert(INHERITED_LEAF)
    with pytest.raises(Exception, match="parameters"):
        verify_signature(
            Cert(INHERITED_CA).spki_der,
            leaf.asn1["signature_algorithm"],
            leaf.asn1["tbs_certificate"].dump(),
            leaf.asn1["signature_value"].native,
            legacy=HISTORIC_DSA.legacy_signature_algorithms,
        )


def test_dsa_sha1_signatures_verify_only_when_named() -> None:
    leaf, issuer = Cert(DSA_LEAF), Cert(DSA_CA)
    arguments = (
        issuer.spki_der,
        leaf.asn1["signature_algorithm"],
        leaf.asn1["tbs_certificate"].dump(),
        leaf.asn1["signature_value"].native,
    )
    with pytest.raises(UnsupportedAlgorithm):
        verify_signature(*arguments)
    assert verify_signature(*arguments, legacy=frozenset({oids.DSA_WITH_SHA1}))
    assert not verify_signature(
        *arguments[:3], b"\x30\x06\x02\x01\x01\x02\x01\x01", legacy=frozenset({oids.DSA_WITH_SHA1})
    )
