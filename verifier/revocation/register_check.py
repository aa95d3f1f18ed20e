"""Judging a status read from the issuing CA's own register (EDS-18, UNIS-11).

The register is the authority the CA's CRLs and OCSP answers are made from; a source that can read it
directly (:class:`verifier.revocation.sources.RegisterStatusSource`) gives the current status with no
signed object in between. The rules:

- the issuer is not a CA of that register (``read_status`` returns None): no answer here, the checker
  goes on to OCSP and CRLs;
- the register could not be read (a :class:`pki.errors.KzPkiError`, e.g. the database is down): UNKNOWN,
  ``revocation_unknown``, and NO fallback to OCSP or CRLs: both are made from the same register, and a
  CRL held in memory may predate a change, so "every login sees the current status" (UNIS-11) would not
  hold. Revocation fails closed;
- good / revoked / on hold as read; a certificate the register does not hold (``not_issued``) is UNKNOWN
  (``revocation_unknown``), as an OCSP ``unknown`` is.

The evidence says what was consulted: source ``registry``, the register (``location``), the instant the
status is "as of" (``this_update``) and the CA's status version the read reflects (``status_version``).
"""

from __future__ import annotations

import datetime as dt

from pki.errors import KzPkiError
from pki.reasons import Reason
from verifier.certificate import Cert
from verifier.pkix import Authority
from verifier.revocation.outcome import RevocationOutcome, RevocationStatus, outcome_of, unknown
from verifier.revocation.sources import RegisterState, RegisterStatusSource
from verifier.verdict import RevocationEvidence

METHOD = "registry"
_STATUSES = {
    RegisterState.GOOD: RevocationStatus.GOOD,
    RegisterState.REVOKED: RevocationStatus.REVOKED,
    RegisterState.ON_HOLD: RevocationStatus.ON_HOLD,
    RegisterState.NOT_ISSUED: RevocationStatus.UNKNOWN,
}


def check_register(
    source: RegisterStatusSource, leaf: Cert, authority: Authority, at: dt.datetime
) -> RevocationOutcome | None:
    """The status of ``leaf`` (issued by ``authority``) at ``at`` from its CA's register; None when the
    issuer is not a CA of ``source``'s register (see the module docstring). Never raises a KzPkiError."""
    try:
        read = source.read_status(leaf.crypto, authority.cert.crypto, at)
    except KzPkiError as exc:
        return unknown(f"{METHOD}: the register could not be read ({exc.message}); revocation fails closed")
    if read is None:
        return None
    status = _STATUSES[read.state]
    evidence = RevocationEvidence(
        source=METHOD,
        location=read.location,
        status=status.value,
        this_update=read.read_at,
        revocation_time=read.revocation_time,
        reason=read.reason,
        status_version=read.status_version,
    )
    if read.state is RegisterState.NOT_ISSUED:
        return RevocationOutcome(
            status,
            Reason.REVOCATION_UNKNOWN,
            f"{METHOD}: the CA's register holds no such certificate (status version {read.status_version})",
            evidence,
        )
    outcome = outcome_of(status, evidence, METHOD)
    suffix = f" (the register as of {at.isoformat()}, status version {read.status_version})"
    return RevocationOutcome(outcome.status, outcome.reason, outcome.message + suffix, evidence)
