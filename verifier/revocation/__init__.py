"""Revocation (EDS-18, UNIS-11): where the answers come from and how they are judged.

- :mod:`~verifier.revocation.sources`: the :class:`RevocationSource` interface and its HTTP,
  static, in-process and register-status implementations (the verifier never reads the CA database
  itself: a register read is a function the wiring hands it);
- :mod:`~verifier.revocation.register_check`: a status read from the issuing CA's register judged
  (fail-closed when it cannot be read);
- :mod:`~verifier.revocation.crl_header` and :mod:`~verifier.revocation.crl_index`: a CRL read
  without its entries, and a validated CRL parsed once into a serial index;
- :mod:`~verifier.revocation.crl_check`: CRLs validated once by pyhanko-certvalidator, deltas merged;
- :mod:`~verifier.revocation.crl_scope`: which CRLs need RFC 5280 6.3 beyond that fast path (separate
  CRL keys, IDP scopes, reasons, indirect CRLs): the whole path is then validated in full;
- :mod:`~verifier.revocation.ocsp_response` and :mod:`~verifier.revocation.ocsp_check`: OCSP
  responses read, then judged by RFC 6960 3.2 / 4.2.2.2;
- :mod:`~verifier.revocation.outcome`: the status and evidence a check concludes, the freshness rule;
- :mod:`~verifier.revocation.checker`: :class:`RevocationChecker`, which asks OCSP and CRLs in the
  order pyhanko-certvalidator's explicit rules prescribe.
"""

from verifier.revocation.checker import RevocationChecker
from verifier.revocation.crl_header import CrlHeader, crl_number_problem, read_crl_header
from verifier.revocation.crl_index import CrlEntry, CrlIndex
from verifier.revocation.outcome import (
    FRESHNESS_FALLBACK,
    NOT_ISSUED_TIME,
    RevocationOutcome,
    RevocationStatus,
)
from verifier.revocation.sources import (
    HttpRevocationSource,
    InProcessRevocationSource,
    OcspAnswer,
    RegisterRead,
    RegisterState,
    RegisterStatus,
    RegisterStatusSource,
    RegistryRevocationSource,
    RevocationSource,
    StaticRevocationSource,
    build_ocsp_request,
)

__all__ = [
    "FRESHNESS_FALLBACK",
    "NOT_ISSUED_TIME",
    "CrlEntry",
    "CrlHeader",
    "CrlIndex",
    "HttpRevocationSource",
    "InProcessRevocationSource",
    "OcspAnswer",
    "RegisterRead",
    "RegisterState",
    "RegisterStatus",
    "RegisterStatusSource",
    "RegistryRevocationSource",
    "RevocationChecker",
    "RevocationOutcome",
    "RevocationSource",
    "RevocationStatus",
    "StaticRevocationSource",
    "build_ocsp_request",
    "crl_number_problem",
    "read_crl_header",
]
