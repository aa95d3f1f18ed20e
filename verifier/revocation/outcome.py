"""What a revocation check concludes: the status, its reason code and evidence, and the freshness rule.

Shared by the CRL and OCSP judges (:mod:`verifier.revocation.crl_check`,
:mod:`verifier.revocation.ocsp_check`) and the checker that chooses between them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from pyhanko_certvalidator.policy_decl import FRESHNESS_FALLBACK_VALIDITY_DEFAULT

from pki.reasons import Reason
from verifier.verdict import Notice, RevocationEvidence

# How long a CRL without nextUpdate counts as fresh after its thisUpdate (pyhanko-certvalidator's default).
FRESHNESS_FALLBACK = FRESHNESS_FALLBACK_VALIDITY_DEFAULT
# RFC 6960 2.2 (extended revoke): "revoked", certificateHold, at this instant means "never issued".
NOT_ISSUED_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EMBEDDED = "carried with the signature"  # the evidence location of data a CMS or a PDF carried


class RevocationStatus(StrEnum):
    GOOD = "good"
    REVOKED = "revoked"
    ON_HOLD = "on_hold"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RevocationOutcome:
    """The status used for a decision. ``reason`` is set for every status but GOOD."""

    status: RevocationStatus
    reason: Reason | None
    message: str
    evidence: RevocationEvidence | None = None
    warnings: tuple[Notice, ...] = ()
    matched: bool = True  # False: the method had no answer about this certificate at all
    # Set with UNKNOWN when the CRLs need RFC 5280 6.3 beyond the fast path (verifier.revocation.crl_scope):
    # the caller validates the whole path instead (never reports this outcome as the status).
    full_validation: bool = False

    def revoked_by(self, instant: dt.datetime) -> bool:
        """Whether this says revoked or on hold with effect by ``instant`` (or from an unknown time)."""
        if self.status not in (RevocationStatus.REVOKED, RevocationStatus.ON_HOLD):
            return False
        revoked_at = None if self.evidence is None else self.evidence.revocation_time
        return revoked_at is None or revoked_at <= instant


NO_ANSWER = RevocationOutcome(RevocationStatus.UNKNOWN, Reason.REVOCATION_UNKNOWN, "no answer", matched=False)


def unknown(message: str, reason: Reason = Reason.REVOCATION_UNKNOWN) -> RevocationOutcome:
    """No status established (data missing, stale or too new), with ``reason``."""
    return RevocationOutcome(RevocationStatus.UNKNOWN, reason, message)


def invalid(message: str) -> RevocationOutcome:
    """No status established because the revocation data itself is unusable (forged, malformed...)."""
    return unknown(message, Reason.REVOCATION_INVALID)


def is_fresh(
    this_update: dt.datetime,
    next_update: dt.datetime | None,
    at: dt.datetime,
    max_age: dt.timedelta,
    skew: dt.timedelta,
) -> bool:
    """pyhanko-certvalidator's DEFAULT freshness rule with ``skew`` as its tolerance: ``at`` lies within
    [thisUpdate, nextUpdate], or [thisUpdate, thisUpdate + ``max_age``] when there is no nextUpdate."""
    until = next_update if next_update is not None else this_update + max_age
    return not (at + skew < this_update) and not (at - skew > until)


def outcome_of(status: RevocationStatus, evidence: RevocationEvidence, method: str) -> RevocationOutcome:
    """The outcome for a status read from ``method`` ("CRL" or "OCSP"), with a message a person can read."""
    if status is RevocationStatus.GOOD:
        return RevocationOutcome(status, None, f"{method}: the certificate is not revoked", evidence)
    if status is RevocationStatus.ON_HOLD:
        return RevocationOutcome(
            status, Reason.ON_HOLD, f"{method}: the certificate is on hold (suspended)", evidence
        )
    if status is RevocationStatus.REVOKED and evidence.revocation_time == NOT_ISSUED_TIME:
        return RevocationOutcome(
            status, Reason.REVOKED, f"{method}: the CA never issued this certificate (RFC 6960 2.2)", evidence
        )
    if status is RevocationStatus.REVOKED:
        when = evidence.revocation_time.isoformat() if evidence.revocation_time else "?"
        return RevocationOutcome(
            status,
            Reason.REVOKED,
            f"{method}: the certificate was revoked at {when} ({evidence.reason})",
            evidence,
        )
    return RevocationOutcome(
        status,
        Reason.REVOCATION_UNKNOWN,
        f"{method}: the certificate was revoked after the validation time",
        evidence,
    )
