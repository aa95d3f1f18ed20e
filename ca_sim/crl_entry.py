"""One CRL entry (``revokedCertificates`` element) in DER, and the RFC 5280 CRLReason numbers it carries.

The register stores each entry pre-encoded (``ca_sim.revocation_periods``), so a CRL is a concatenation of
entries (``ca_sim.crl``); the OCSP responder writes the same reason numbers (``ca_sim.ocsp``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

from cryptography.x509 import ReasonFlags

from ca_sim import der
from pki import oids

__all__ = ["REASON_CODES", "encode_crl_entry"]

# RFC 5280 5.3.1 CRLReason values (7 is unused).
REASON_CODES: Mapping[ReasonFlags, int] = MappingProxyType(
    {
        ReasonFlags.unspecified: 0,
        ReasonFlags.key_compromise: 1,
        ReasonFlags.ca_compromise: 2,
        ReasonFlags.affiliation_changed: 3,
        ReasonFlags.superseded: 4,
        ReasonFlags.cessation_of_operation: 5,
        ReasonFlags.certificate_hold: 6,
        ReasonFlags.remove_from_crl: 8,
        ReasonFlags.privilege_withdrawn: 9,
        ReasonFlags.aa_compromise: 10,
    }
)

_REASON_CODE_OID = der.object_identifier(oids.EXT_CRL_REASON)
_INVALIDITY_DATE_OID = der.object_identifier(oids.EXT_INVALIDITY_DATE)


def encode_crl_entry(
    serial: int, revocation_time: dt.datetime, reason: ReasonFlags, invalidity_date: dt.datetime | None
) -> bytes:
    """The DER ``revokedCertificates`` element for one certificate (RFC 5280 5.1.2.6, 5.3).

    The reasonCode extension is left out for ``unspecified`` (RFC 5280 5.3.1: SHOULD be absent);
    invalidityDate is a GeneralizedTime. Times are written to the whole second.
    """
    extensions = []
    code = REASON_CODES[reason]
    if code:
        extensions.append(der.extension(_REASON_CODE_OID, False, der.enumerated(code)))
    if invalidity_date is not None:
        extensions.append(der.extension(_INVALIDITY_DATE_OID, False, der.generalized_time(invalidity_date)))
    parts = [der.integer(serial), der.time(revocation_time)]
    if extensions:
        parts.append(der.sequence(*extensions))
    return der.sequence(*parts)
