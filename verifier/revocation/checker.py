"""The revocation checker (EDS-18, UNIS-11): which method to ask, in which order, and what an absent
answer means.

The order and the fallbacks mirror pyhanko-certvalidator's explicit rules (CRL_OR_OCSP_REQUIRED,
OCSP_REQUIRED, CRL_REQUIRED), so the fast path and a full validation agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from functools import partial

from pki.cms import NOTHING_CARRIED, CarriedRevocation
from verifier.certificate import Cert
from verifier.pkix import Authority
from verifier.policy import RevocationMethods, VerificationPolicy
from verifier.revocation.crl_check import CrlChecker
from verifier.revocation.ocsp_check import OcspChecker, ResponderStatus
from verifier.revocation.outcome import NO_ANSWER, RevocationOutcome, RevocationStatus
from verifier.revocation.register_check import check_register
from verifier.revocation.sources import RegisterStatusSource, RevocationSource


class RevocationChecker:
    """Decides a leaf certificate's revocation status at ``at`` from a :class:`RevocationSource`.

    Holds the CRL indexes and the OCSP answer cache (in its :class:`CrlChecker` and
    :class:`OcspChecker`); safe to share between threads.
    """

    def __init__(
        self,
        policy: VerificationPolicy,
        source: RevocationSource,
        *,
        crl: CrlChecker | None = None,
        ocsp: OcspChecker | None = None,
    ) -> None:
        self._policy = policy
        self._crl = crl or CrlChecker(source)
        self._ocsp = ocsp or OcspChecker(source)
        self._register = source if isinstance(source, RegisterStatusSource) else None

    def with_policy(self, policy: VerificationPolicy) -> RevocationChecker:
        """A checker for another policy sharing this one's CRL indexes and OCSP answers."""
        return RevocationChecker(policy, self._crl.source, crl=self._crl, ocsp=self._ocsp)

    def check(
        self, leaf: Cert, authority: Authority, at: dt.datetime, carried: CarriedRevocation = NOTHING_CARRIED
    ) -> RevocationOutcome:
        """The status of ``leaf`` (issued by ``authority``) at ``at``, by the policy's methods.

        OCSP first when the certificate names a responder (a revoked answer decides at once, a good
        one ends the check unless only CRLs count), then the CRL; a good CRL answer outweighs an
        unusable OCSP one. An UNKNOWN outcome carries the messages of every method tried; one with
        ``full_validation`` asks the caller to validate the whole path (CRLs the fast path does not judge).
        A source that reads the issuing CA's register directly is asked before either, and its answer
        (including "could not read": fail closed) is final (:mod:`verifier.revocation.register_check`).
        ``carried`` (what a signature carries): its CRLs join the source's, each checked as they are; when
        neither method answers, an OCSP response of it that validates for ``leaf`` at ``at`` (no nonce of
        ours: freshness decides) does. The source's own answer always comes first: a response a signer
        keeps from before a revocation cannot outweigh the CA's current data.
        """
        if self._register is not None:
            read = check_register(self._register, leaf, authority, at)
            if read is not None:
                return read
        methods = self._policy.revocation_methods
        failures: list[RevocationOutcome] = []
        if methods is not RevocationMethods.CRL and leaf.ocsp_urls:
            outcome = self._ocsp.check(leaf, authority, at, self._policy, self._responder_status(carried))
            if outcome.status is not RevocationStatus.UNKNOWN:
                return outcome
            failures.append(outcome)
        elif methods is RevocationMethods.OCSP:
            failures.append(
                dataclasses.replace(
                    NO_ANSWER, message="the certificate names no OCSP responder", matched=True
                )
            )
        if methods is not RevocationMethods.OCSP:
            outcome = self._crl_status(leaf, authority, at, carried.crls)
            if outcome.status is not RevocationStatus.UNKNOWN or outcome.full_validation:
                return outcome
            failures.append(outcome)
        if carried.ocsp_responses and methods is not RevocationMethods.CRL:
            answered = self._ocsp.check_carried(
                leaf, authority, at, self._policy, self._responder_status(carried), carried.ocsp_responses
            )
            if answered is not None:
                return answered
        matched = [f for f in failures if f.matched] or failures
        first = matched[0]
        message = "; ".join(f.message for f in matched)
        return RevocationOutcome(
            RevocationStatus.UNKNOWN, first.reason, message, first.evidence, first.warnings
        )

    def check_as_of(
        self,
        leaf: Cert,
        authority: Authority,
        at: dt.datetime,
        existed_at: dt.datetime,
        carried: CarriedRevocation = NOTHING_CARRIED,
    ) -> RevocationOutcome:
        """The status of ``leaf`` at ``existed_at``, before the validation time ``at`` (past signature
        validation): from the data valid at ``existed_at`` (the register, or CRLs and OCSP answers of that
        time the source holds) when it decides; otherwise, for a certificate still valid at ``at``, from the
        data valid at ``at``, issued while the certificate was valid (a CRL need not list an expired one,
        RFC 5280 3.3): not revoked at ``at``, or revoked only after ``existed_at`` (EDS-18: a revocation takes
        effect when registered), is not revoked at ``existed_at``. "Good" by the data of then still yields to
        data valid at ``at`` that says the certificate was revoked (or held) by ``existed_at``: a CRL issued
        before a revocation stays valid a while after it (CRL latency). Never raises."""
        then = self.check(leaf, authority, existed_at, carried)
        if then.status is RevocationStatus.GOOD and not then.full_validation:
            now = self.check(leaf, authority, at, carried)
            if now.revoked_by(existed_at):
                message = f"{now.message}, by {existed_at.isoformat()}: newer data than '{then.message}'"
                return dataclasses.replace(now, message=message)
        expired = leaf.not_after + self._policy.max_clock_skew < at
        if then.status is not RevocationStatus.UNKNOWN or then.full_validation or expired:
            return then
        now = self.check(leaf, authority, at, carried)
        since = f"so not at {existed_at.isoformat()} either"
        if now.status is RevocationStatus.GOOD:
            return dataclasses.replace(now, message=f"{now.message}; {since}")
        revoked_at = None if now.evidence is None else now.evidence.revocation_time
        if now.status is not RevocationStatus.UNKNOWN and revoked_at is not None and revoked_at > existed_at:
            message = f"{now.message}, after {existed_at.isoformat()}: not revoked then"
            return RevocationOutcome(RevocationStatus.GOOD, None, message, now.evidence, now.warnings)
        return then if now.status is RevocationStatus.UNKNOWN else now

    def _crl_status(
        self, cert: Cert, authority: Authority, at: dt.datetime, embedded: Sequence[bytes] = ()
    ) -> RevocationOutcome:
        return self._crl.check(cert, authority, at, self._policy, embedded)

    def _responder_status(self, carried: CarriedRevocation) -> ResponderStatus:
        """A delegated OCSP responder's own status, by its issuer's CRLs (``carried``'s among them)."""
        return partial(self._crl_status, embedded=carried.crls)
