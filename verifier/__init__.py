"""Signature and certificate verification with a structured ETSI-style verdict.

Imports only ``pki`` (and third-party packages); never reads the CA database: revocation data
comes through a :class:`~verifier.revocation.RevocationSource`.

Public API::

    from verifier import Verifier, VerificationPolicy, Purpose, StaticRevocationSource
    verifier = Verifier(VerificationPolicy(trust_anchors=(root_der,)), source)
    verdict = verifier.verify_cms(cms_bytes, at=now)         # or verify_xml / inspect_certificate
    verdict.indication, verdict.reasons, verdict.to_json()
"""

from verifier.engine import Verifier
from verifier.policy import Purpose, RevocationMethods, RevocationRequirement, VerificationPolicy
from verifier.revocation import (
    HttpRevocationSource,
    InProcessRevocationSource,
    OcspAnswer,
    RevocationSource,
    StaticRevocationSource,
    build_ocsp_request,
)
from verifier.verdict import CheckStatus, Indication, SubIndication, Verdict

__all__ = [
    "CheckStatus",
    "HttpRevocationSource",
    "InProcessRevocationSource",
    "Indication",
    "OcspAnswer",
    "Purpose",
    "RevocationMethods",
    "RevocationRequirement",
    "RevocationSource",
    "StaticRevocationSource",
    "SubIndication",
    "Verdict",
    "VerificationPolicy",
    "Verifier",
    "build_ocsp_request",
]
