"""What the signature formats (CMS, XMLDSig, time-stamp tokens) need of the verifier: a policy and the
certificate checks. The formats depend on this protocol, never on :mod:`verifier.engine`, which
implements it and dispatches to them (no import circle)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pki.cms import NOTHING_CARRIED, CarriedRevocation
from verifier.certificate import Cert
from verifier.policy import VerificationPolicy
from verifier.verdict import Check, Indication, Notice, SignerReport, Verdict, conclude


@dataclass(frozen=True)
class CertificateEvaluation:
    """The checks of one certificate (chain, validity, key usage, revocation, identity) and its report."""

    checks: tuple[Check, ...]
    notices: tuple[Notice, ...]
    report: SignerReport

    @property
    def passed(self) -> bool:
        """True when these checks alone would make a passing verdict (:func:`verifier.verdict.conclude`)."""
        return conclude(self.checks)[0] is Indication.TOTAL_PASSED


class CertificateEvaluator(Protocol):
    """A policy and the checks every signer certificate goes through (:class:`verifier.engine.Verifier`)."""

    @property
    def policy(self) -> VerificationPolicy: ...

    def evaluate_certificate(
        self,
        cert: Cert,
        extra: Sequence[Cert],
        at: dt.datetime,
        signer: int | None,
        *,
        existed_at: dt.datetime | None = None,
        carried: CarriedRevocation = NOTHING_CARRIED,
    ) -> CertificateEvaluation:
        """The checks of ``cert`` at ``at`` (``extra``: candidate issuers that came with the signature), or
        as of ``existed_at`` before it (past signature validation); ``carried`` is the revocation data the
        signature carries."""
        ...

    def verify_timestamp(
        self,
        token: bytes,
        *,
        at: dt.datetime,
        data: bytes | None = None,
        extra_certificates: Sequence[bytes] = (),
        carried: CarriedRevocation = NOTHING_CARRIED,
    ) -> Verdict:
        """The verdict on the RFC 3161 time-stamp token ``token`` over ``data`` at ``at`` (its TSA judged
        for purpose ``timestamp``; ``carried``: revocation data that came with the token, for its TSA)."""
        ...
