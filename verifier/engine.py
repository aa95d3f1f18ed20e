"""The :class:`Verifier`: a policy, its trust anchors and the caches, and the certificate checks shared
by CMS, XML and certificate inspection.

Construct one per service (it is thread-safe) and call it with the validation time ``at``::

    verifier = Verifier(VerificationPolicy(trust_anchors=(root_der,)), HttpRevocationSource({"pki.gov.kz"}))
    verdict = verifier.verify_cms(cms_der, at=now)

``with_policy`` gives a verifier for another purpose sharing the caches (validated CA paths,
CRL indexes, OCSP answers).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Sequence

from pyhanko_certvalidator.policy_decl import RevocationCheckingRule

from pki import oids
from pki.calendar import bounded_instant
from pki.cms import NOTHING_CARRIED, CarriedRevocation
from pki.pdf import PdfSignature, read_pdf
from pki.reasons import Reason
from verifier import cms, timestamp, wsse, xml
from verifier.certificate import Cert
from verifier.certificate_rules import check_key_usage, check_validity
from verifier.certificate_summary import summary_of
from verifier.chain import TrustStore
from verifier.evaluation import CertificateEvaluation
from verifier.guard import guarded
from verifier.identity import check_identity, read_identity
from verifier.paths import validate_target
from verifier.pdf import PdfSignatureVerdict, verify_pdf_signature, verify_pdf_signatures
from verifier.pkix import RULES, Authority, Failure
from verifier.policy import Purpose, VerificationPolicy
from verifier.profile import Role
from verifier.revocation import RevocationChecker, RevocationOutcome, RevocationSource, RevocationStatus
from verifier.revocation.outcome import unknown
from verifier.verdict import (
    CertificateSummary,
    Check,
    CheckId,
    CheckStatus,
    Notice,
    RevocationEvidence,
    SignerReport,
    Verdict,
)

# gost.md: no genuine NCA GOST R 34.10-2015 256-bit object exists; its curve is reported, not confirmed.
_UNCONFIRMED_ALGORITHMS = frozenset({oids.KZ_GOST2015_256_KEY, oids.KZ_GOST2015_256_SIGNATURE})
_GOST_256_WARNING = (
    "GOST R 34.10-2015 256-bit in the certificate path: verified with the reported curve TC26-256-A, "
    "which no genuine NCA sample confirms"
)


class Verifier:
    """Verifies CMS and XML signatures and certificates under one :class:`VerificationPolicy`."""

    def __init__(self, policy: VerificationPolicy, revocation_source: RevocationSource) -> None:
        self.policy = policy
        self.trust = TrustStore(policy, revocation_source)
        self.revocation = RevocationChecker(policy, revocation_source)

    def with_policy(self, policy: VerificationPolicy) -> Verifier:
        """A verifier for ``policy`` (e.g. another purpose) sharing this one's caches where they apply."""
        clone = Verifier.__new__(Verifier)
        clone.policy = policy
        clone.trust = self.trust.with_policy(policy)
        clone.revocation = self.revocation.with_policy(policy)
        return clone

    def for_purpose(self, purpose: Purpose) -> Verifier:
        return self.with_policy(dataclasses.replace(self.policy, purpose=purpose))

    def verify_cms(
        self,
        data: bytes,
        *,
        at: dt.datetime,
        detached_content: bytes | None = None,
        extra_certificates: Sequence[bytes] = (),
        carried: CarriedRevocation = NOTHING_CARRIED,
    ) -> Verdict:
        """Verify CMS SignedData (DER, PEM or base64) at ``at``; see :func:`verifier.cms.verify_cms`.
        ``carried``: revocation data that came with the signature outside the CMS (a PDF's DSS), read as
        the CMS's own (for documents, never for logins).

        Raises only the KzPkiError it documents; any other failure is a ``processing_error`` verdict
        (:mod:`verifier.guard`), as for every method here."""
        at = bounded_instant(at)
        extra = _certs(extra_certificates)
        return guarded(
            "cms",
            self.policy.purpose,
            at,
            lambda: cms.verify_cms(
                self,
                data,
                at=at,
                detached_content=detached_content,
                extra=extra,
                carried=carried,
            ),
        )

    def verify_xml(
        self, data: bytes, *, at: dt.datetime, extra_certificates: Sequence[bytes] = ()
    ) -> Verdict:
        """Verify an enveloped XMLDSig at ``at``; see :func:`verifier.xml.verify_xml`."""
        at = bounded_instant(at)
        extra = _certs(extra_certificates)
        return guarded("xml", self.policy.purpose, at, lambda: xml.verify_xml(self, data, at=at, extra=extra))

    def verify_wsse(
        self, data: bytes, *, at: dt.datetime, extra_certificates: Sequence[bytes] = ()
    ) -> Verdict:
        """Verify a SOAP envelope's WS-Security signature at ``at``; see :func:`verifier.wsse.verify_wsse`."""
        at = bounded_instant(at)
        extra = _certs(extra_certificates)
        return guarded(
            "wsse", self.policy.purpose, at, lambda: wsse.verify_wsse(self, data, at=at, extra=extra)
        )

    def verify_pdf(self, document: bytes, *, at: dt.datetime) -> tuple[PdfSignatureVerdict, ...]:
        """Every signature of the PDF ``document`` at ``at`` (document time stamps too), the first first; see
        :mod:`verifier.pdf`. Raises InvalidInput ``malformed_pdf`` when the file cannot be read (an empty
        tuple is a PDF without signatures)."""
        at = bounded_instant(at)
        signed = read_pdf(document)
        dss = signed.revocation if self.policy.reads_embedded_revocation_data else NOTHING_CARRIED

        def judge(signature: PdfSignature, when: dt.datetime) -> PdfSignatureVerdict:
            def verify(cms_der: bytes, signed_bytes: bytes) -> Verdict:
                return self.verify_cms(cms_der, at=when, detached_content=signed_bytes, carried=dss)

            def verify_stamp(token: bytes, signed_bytes: bytes) -> Verdict:
                return self.verify_timestamp(token, at=when, data=signed_bytes, carried=dss)

            return verify_pdf_signature(signature, verify, verify_stamp, purpose=self.policy.purpose, at=when)

        return verify_pdf_signatures(
            signed.signatures, judge, at=at, archive_time_stamps=self.policy.past_signature_validation
        )

    def verify_timestamp(
        self,
        token: bytes,
        *,
        at: dt.datetime,
        data: bytes | None = None,
        extra_certificates: Sequence[bytes] = (),
        carried: CarriedRevocation = NOTHING_CARRIED,
    ) -> Verdict:
        """Verify an RFC 3161 time-stamp token at ``at`` (purpose ``timestamp`` whatever this verifier's);
        ``data`` is what was time-stamped; ``carried``: revocation data that came with it (a PDF's DSS, a
        signature's own), for its TSA. See :func:`verifier.timestamp.verify_timestamp`."""
        verifier = self if self.policy.purpose is Purpose.TIMESTAMP else self.for_purpose(Purpose.TIMESTAMP)
        at = bounded_instant(at)
        extra = _certs(extra_certificates)
        return guarded(
            "timestamp",
            Purpose.TIMESTAMP,
            at,
            lambda: timestamp.verify_timestamp(
                verifier, token, at=at, data=data, extra=extra, carried=carried
            ),
        )

    def inspect_certificate(
        self, certificate: bytes, *, at: dt.datetime, extra_certificates: Sequence[bytes] = ()
    ) -> Verdict:
        """A certificate on its own (PEM or DER): identity, roles, key usage, validity, chain and status.

        Raises InvalidInput(``malformed_certificate``) for input that is not a certificate, and, as every
        method here, InvalidInput(``datetime_out_of_range``) for an ``at`` outside [1950, 9000) UTC
        (``pki.calendar.bounded_instant``: checks add periods to it, which would overflow near year 9999).
        """
        at = bounded_instant(at)
        cert = Cert.load(certificate)
        extra = _certs(extra_certificates)

        def inspect() -> Verdict:
            evaluation = self.evaluate_certificate(cert, extra, at, signer=None)
            return Verdict(
                kind="certificate",
                purpose=self.policy.purpose,
                validation_time=at,
                checks=evaluation.checks,
                signers=(evaluation.report,),
                warnings=evaluation.notices,
            )

        return guarded("certificate", self.policy.purpose, at, inspect)

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
        """The checks every signer certificate goes through, in order: chain, validity, key usage,
        revocation, then the identity rules. The fast path unless the CA path needs pyhanko-certvalidator.
        ``carried``: the revocation data the signature carries, beside the source's.

        ``existed_at`` (past signature validation, before ``at``): the certificate is judged as of that
        instant, when a time stamp proves the signature existed. Its CA path is the one validated at ``at``
        with the data current then (a CA certificate unrevoked at ``at`` was unrevoked before), each of its
        certificates issued by ``existed_at``; the certificate's own validity, revocation
        (:meth:`RevocationChecker.check_as_of`) and identity are judged as of ``existed_at``, and the
        report's ``validated_at`` says so. A path that needs a whole validation, which runs at one instant,
        fails the chain check then."""
        policy = self.policy
        judged_at = at if existed_at is None else existed_at
        checks: list[Check] = []
        notices: list[Notice] = []
        evidence: RevocationEvidence | None = None
        chain: tuple[CertificateSummary, ...] = ()
        validity = check_validity(cert, judged_at, policy.max_clock_skew, signer)
        issuer = self.trust.issuer_of(cert, extra, at)
        past_path = False
        if existed_at is not None and isinstance(issuer, Failure):
            # ETSI EN 319 102-1 5.6.2.1, past certificate validation: a CA path that no longer validates (a
            # CA certificate expired, or revoked after the proven existence) is validated as of that
            # existence, on the revocation data valid then (the source's, or the CRLs the signature carries)
            then = self.trust.issuer_of(cert, extra, existed_at, carried_crls=carried.crls)
            if isinstance(then, Authority) and not self._ca_revoked_by(then, extra, at, existed_at, carried):
                issuer, past_path = then, True
        if existed_at is not None and isinstance(issuer, Authority):
            issuer = _existing_at(issuer, existed_at, policy.max_clock_skew)
        if isinstance(issuer, Authority) and issuer.needs_full_path:
            chain_check, validity, revocation = self._full_path_checks(
                cert, extra, issuer, at, signer, carried=carried
            )
            checks.append(chain_check)
        else:
            failure = issuer if isinstance(issuer, Failure) else self.trust.check_leaf(cert, issuer)
            if failure is None and isinstance(issuer, Authority):
                as_of = existed_at if past_path else None
                checks.append(_passed(CheckId.CHAIN, _chain_message(issuer, as_of), signer))
                chain = _chain_summaries(issuer)
            else:
                assert failure is not None
                checks.append(
                    Check(CheckId.CHAIN, CheckStatus.FAILED, failure.message, failure.reason, signer)
                )
            revocation = None
            if isinstance(issuer, Authority) and failure is None and validity.status is CheckStatus.PASSED:
                if existed_at is None:
                    revocation = self.revocation.check(cert, issuer, at, carried)
                else:
                    revocation = self.revocation.check_as_of(cert, issuer, at, existed_at, carried)
                if revocation.full_validation and existed_at is not None:
                    revocation = unknown(f"{revocation.message}; not judged as of {existed_at.isoformat()}")
                elif revocation.full_validation:  # RFC 5280 6.3 beyond the fast path: the path, in full
                    checks[-1], validity, revocation = self._full_path_checks(
                        cert, extra, issuer, at, signer, why=revocation.message, carried=carried
                    )
        checks.append(validity)
        checks.append(check_key_usage(cert, policy, signer))
        if revocation is None:
            checks.append(
                Check(
                    CheckId.REVOCATION,
                    CheckStatus.SKIPPED,
                    "not checked: no valid path at the validation time",
                    None,
                    signer,
                )
            )
        else:
            checks.append(self._revocation_check(revocation, signer, notices))
            evidence = revocation.evidence
        path = issuer.path if isinstance(issuer, Authority) else ()
        if any(c.algorithm_oids & _UNCONFIRMED_ALGORITHMS for c in (cert, *path)):
            notices.append(Notice("gost_256_unconfirmed", _GOST_256_WARNING, signer))
        identity = read_identity(cert, judged_at)
        identity_checks, identity_notices = check_identity(identity, policy, signer)
        checks.extend(identity_checks)
        notices.extend(identity_notices)
        report = SignerReport(
            index=signer or 0,
            certificate=summary_of(cert),
            identity=identity,
            chain=chain,
            revocation=evidence,
            signing_time=None,
            signature_algorithm=None,
            validated_at=existed_at,
        )
        return CertificateEvaluation(tuple(checks), tuple(notices), report)

    def _ca_revoked_by(
        self,
        authority: Authority,
        extra: Sequence[Cert],
        at: dt.datetime,
        existed_at: dt.datetime,
        carried: CarriedRevocation,
    ) -> bool:
        """Whether the data valid at ``at`` says a CA certificate of ``authority``'s path (validated as of
        ``existed_at``) was revoked or held by ``existed_at``: a CRL issued before a revocation stays valid
        a while after it, and a CA expired since may still be listed today (CRL latency)."""
        for ca in authority.path[1:]:
            issuer = self.trust.issuer_of(ca, extra, existed_at, carried_crls=carried.crls)
            if not isinstance(issuer, Authority):
                return True  # its own issuer no longer validates then: no path as of then either
            if self.revocation.check(ca, issuer, at, carried).revoked_by(existed_at):
                return True
        return False

    def validate_with_certvalidator(
        self, cert: Cert, extra: Sequence[Cert], at: dt.datetime, carried: CarriedRevocation = NOTHING_CARRIED
    ) -> tuple[Cert, ...] | Failure:
        """The same decision (chain, validity, revocation) by pyhanko-certvalidator alone, with the
        revocation data the source gives (and ``carried``) and the policy's explicit revocation rules."""
        nonce = os.urandom(16) if self.policy.ocsp_nonce else None
        crls, ocsps = self.trust.revocation_material(cert, extra, at, nonce)
        crls = [*crls, *(der for der in carried.crls if der not in crls)]
        ocsps = [*ocsps, *(der for der in carried.ocsp_responses if der not in ocsps)]
        ca_rule = (
            RevocationCheckingRule.CRL_REQUIRED
            if self.policy.check_ca_revocation
            else RevocationCheckingRule.NO_CHECK
        )
        settings = dataclasses.replace(
            self.trust.settings(extra, at),
            ee_rule=RULES[self.policy.revocation_methods],
            ca_rule=ca_rule,
            crls=tuple(crls),
            ocsps=tuple(ocsps),
        )
        return validate_target(cert, Role.LEAF, settings)

    def _full_path_checks(
        self,
        cert: Cert,
        extra: Sequence[Cert],
        issuer: Authority,
        at: dt.datetime,
        signer: int | None,
        why: str | None = None,
        carried: CarriedRevocation = NOTHING_CARRIED,
    ) -> tuple[Check, Check, RevocationOutcome | None]:
        """The chain, validity and revocation of ``cert`` by one whole validation (pyhanko-certvalidator);
        ``why`` the whole path is validated, when the fast path's revocation check asked for it."""
        result = self.validate_with_certvalidator(cert, extra, at, carried)
        validity = check_validity(cert, at, self.policy.max_clock_skew, signer)
        by = "pyhanko-certvalidator" if why is None else f"{why}; RFC 5280 6.3 by pyhanko-certvalidator"
        if not isinstance(result, Failure):
            good = RevocationOutcome(RevocationStatus.GOOD, None, f"{by}: the certificate is not revoked")
            return _passed(CheckId.CHAIN, _chain_message(issuer), signer), validity, good
        if result.check == "validity":
            return _passed(CheckId.CHAIN, _chain_message(issuer), signer), validity, None
        if result.check == "revocation":
            status = {
                Reason.REVOKED: RevocationStatus.REVOKED,
                Reason.ON_HOLD: RevocationStatus.ON_HOLD,
            }.get(result.reason, RevocationStatus.UNKNOWN)
            outcome = RevocationOutcome(status, result.reason, f"{by}: {result.message}")
            return _passed(CheckId.CHAIN, _chain_message(issuer), signer), validity, outcome
        return Check(CheckId.CHAIN, CheckStatus.FAILED, result.message, result.reason, signer), validity, None

    def _revocation_check(
        self, outcome: RevocationOutcome, signer: int | None, notices: list[Notice]
    ) -> Check:
        notices.extend(dataclasses.replace(n, signer=signer) for n in outcome.warnings)
        if outcome.status is RevocationStatus.GOOD:
            return _passed(CheckId.REVOCATION, outcome.message, signer)
        assert outcome.reason is not None
        if outcome.status is RevocationStatus.UNKNOWN:
            if not self.policy.revocation_required:
                notices.append(
                    Notice(outcome.reason.value, f"revocation not established: {outcome.message}", signer)
                )
                return Check(CheckId.REVOCATION, CheckStatus.SKIPPED, outcome.message, None, signer)
            return Check(CheckId.REVOCATION, CheckStatus.UNKNOWN, outcome.message, outcome.reason, signer)
        return Check(CheckId.REVOCATION, CheckStatus.FAILED, outcome.message, outcome.reason, signer)


def _existing_at(authority: Authority, existed_at: dt.datetime, skew: dt.timedelta) -> Authority | Failure:
    """``authority`` (validated at a later time) as the issuer of a certificate judged as of ``existed_at``:
    every certificate of its path must have been valid from then (within the policy's clock ``skew``), and
    the path must not need a whole validation (which runs at one instant only)."""
    if authority.needs_full_path:
        return Failure(
            Reason.CHAIN_INVALID,
            "the CA path needs a whole validation, which is not run as of an earlier time",
            "chain",
        )
    late = [c for c in authority.path if c.not_before - skew > existed_at]
    if late:
        return Failure(
            Reason.CHAIN_INVALID,
            f"the CA certificate '{late[0].asn1.subject.human_friendly}' was issued after "
            f"{existed_at.isoformat()}",
            "chain",
        )
    return authority


def _passed(check_id: CheckId, message: str, signer: int | None) -> Check:
    return Check(check_id, CheckStatus.PASSED, message, None, signer)


def _chain_message(authority: Authority, as_of: dt.datetime | None = None) -> str:
    """The passed chain check's message; ``as_of``: the CA path was validated as of that earlier time."""
    when = "" if as_of is None else f" as of {as_of.isoformat()}"
    issuer = authority.cert.asn1.subject.human_friendly
    return f"issued by '{issuer}', path to the trust anchor validated{when}"


def _chain_summaries(authority: Authority) -> tuple[CertificateSummary, ...]:
    return tuple(summary_of(c) for c in reversed(authority.path))


def _certs(ders: Sequence[bytes]) -> list[Cert]:
    return [Cert.load(der) for der in ders]
