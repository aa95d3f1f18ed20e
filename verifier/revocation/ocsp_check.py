"""Judging OCSP responses (RFC 6960 3.2 and 4.2.2.2, EDS-18, UNIS-11).

Each response is checked when fetched, as pyhanko-certvalidator does: the signature; the responder
is the CA, or a delegate the CA issued with OCSPSigning, valid, and unless it carries
id-pkix-ocsp-nocheck not revoked; the CertID; freshness from thisUpdate when nextUpdate is absent.
Our nonce must be echoed, and the answer is reused for ``policy.ocsp_cache_ttl``.

This is done here, not by pyhanko-certvalidator, because the real NCA's responder certificate
carries id-pkix-ocsp-nocheck with an empty value instead of NULL, which neither asn1crypto nor
``cryptography`` parse, so pyhanko-certvalidator cannot read the NCA's responses at all. The
differential tests show both agree wherever pyhanko-certvalidator can parse.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509

from pki import oids
from pki.errors import InvalidInput, KzPkiError, UnsupportedAlgorithm
from pki.reasons import Reason
from pki.signatures import verify_signature
from verifier.certificate import Cert, issued_by_key
from verifier.pkix import Authority
from verifier.policy import VerificationPolicy
from verifier.revocation.ocsp_response import ParsedOcsp, matching_single_response, parse_ocsp
from verifier.revocation.outcome import (
    EMBEDDED,
    NO_ANSWER,
    NOT_ISSUED_TIME,
    RevocationOutcome,
    RevocationStatus,
    invalid,
    is_fresh,
    outcome_of,
    unknown,
)
from verifier.revocation.sources import OcspAnswer, RevocationSource
from verifier.verdict import RevocationEvidence

# Extensions a delegated responder certificate may mark critical (RFC 5280 ones we process or ignore safely).
_RESPONDER_EXTENSIONS = frozenset(
    {
        oids.EXT_SUBJECT_KEY_IDENTIFIER,
        oids.EXT_KEY_USAGE,
        oids.EXT_SUBJECT_ALT_NAME,
        oids.EXT_BASIC_CONSTRAINTS,
        oids.EXT_CRL_DISTRIBUTION_POINTS,
        oids.EXT_CERTIFICATE_POLICIES,
        oids.EXT_AUTHORITY_KEY_IDENTIFIER,
        oids.EXT_EXTENDED_KEY_USAGE,
        oids.EXT_FRESHEST_CRL,
        oids.EXT_OCSP_NOCHECK,
        oids.EXT_AUTHORITY_INFO_ACCESS,
    }
)

# The status of a delegated responder's own certificate (by its issuer's CRL), asked when it lacks nocheck.
ResponderStatus = Callable[[Cert, Authority, dt.datetime], RevocationOutcome]


@dataclass(frozen=True)
class _OcspRecord:
    """A validated OCSP answer, reusable for ``ocsp_cache_ttl`` while fresh."""

    status: RevocationStatus
    revocation_time: dt.datetime | None
    reason: str | None
    this_update: dt.datetime
    next_update: dt.datetime | None
    produced_at: dt.datetime | None
    fetched_at: dt.datetime
    location: str
    nonce_verified: bool
    response_sha256: bytes
    # The delegated responder's validity when its authorisation needs nothing time-dependent but that
    # (the CA itself: None bounds; a delegate with id-pkix-ocsp-nocheck); None: re-validate every time.
    responder_window: tuple[dt.datetime | None, dt.datetime | None] | None


class OcspChecker:
    """The OCSP half of revocation checking: asks ``source``, judges the answer, caches it.

    Safe to share between threads and between policies (the policy is an argument of each call).
    """

    def __init__(self, source: RevocationSource) -> None:
        self.source = source
        self._cache: dict[tuple[bytes, int], _OcspRecord] = {}

    def check(
        self,
        leaf: Cert,
        authority: Authority,
        at: dt.datetime,
        policy: VerificationPolicy,
        responder_status: ResponderStatus,
    ) -> RevocationOutcome:
        """The status of ``leaf`` at ``at`` according to its OCSP responder."""
        key = (authority.cert.sha256, leaf.serial)
        cached = self._cache.get(key)
        if cached is not None and _reusable(cached, at, policy):
            return _outcome_of_record(cached, at, from_cache=True)
        nonce = os.urandom(16) if policy.ocsp_nonce else None
        try:
            answer = self.source.fetch_ocsp(leaf.crypto, authority.cert.crypto, nonce, at)
        except KzPkiError as exc:
            return unknown(f"OCSP: {exc.message}")
        if answer is None:
            return dataclasses.replace(NO_ANSWER, message="OCSP: no response available")
        response_sha256 = hashlib.sha256(answer.response).digest()
        if (
            answer.nonce is None
            and cached is not None
            and _same_response_still_valid(cached, response_sha256, at, policy)
        ):
            # the very response validated before (e.g. a responder's pre-signed answer): only time moved
            record: _OcspRecord | RevocationOutcome = dataclasses.replace(cached, fetched_at=at)
        else:
            record = _load(answer, leaf, authority, at, policy, responder_status)
        if isinstance(record, RevocationOutcome):
            return record
        self._cache[key] = record
        return _outcome_of_record(record, at, from_cache=False)

    def check_carried(
        self,
        leaf: Cert,
        authority: Authority,
        at: dt.datetime,
        policy: VerificationPolicy,
        responder_status: ResponderStatus,
        responses: Sequence[bytes],
    ) -> RevocationOutcome | None:
        """The status of ``leaf`` at ``at`` by the first of ``responses`` (DER OCSPResponses a signature
        carries) that is about it and validates as a fetched one does (CertID, freshness at ``at``, the
        responder's authorisation, the signature; there is no nonce of ours to echo); None when none does.
        Nothing is cached: a response a signature carries answers for that signature only."""
        for response in responses:
            record = _load(
                OcspAnswer(response, None, EMBEDDED), leaf, authority, at, policy, responder_status
            )
            if isinstance(record, _OcspRecord):
                return _outcome_of_record(record, at, from_cache=False)
        return None


def _fresh(
    this_update: dt.datetime, next_update: dt.datetime | None, at: dt.datetime, policy: VerificationPolicy
) -> bool:
    return is_fresh(this_update, next_update, at, policy.ocsp_max_age, policy.max_clock_skew)


def _same_response_still_valid(
    record: _OcspRecord, response_sha256: bytes, at: dt.datetime, policy: VerificationPolicy
) -> bool:
    if record.response_sha256 != response_sha256 or record.responder_window is None:
        return False
    skew = policy.max_clock_skew
    not_before, not_after = record.responder_window
    responder_valid = (not_before is None or at + skew >= not_before) and (
        not_after is None or at - skew <= not_after
    )
    return (
        responder_valid
        and at + skew >= record.this_update
        and _fresh(record.this_update, record.next_update, at, policy)
    )


def _reusable(record: _OcspRecord, at: dt.datetime, policy: VerificationPolicy) -> bool:
    return record.fetched_at <= at <= record.fetched_at + policy.ocsp_cache_ttl and _fresh(
        record.this_update, record.next_update, at, policy
    )


def _outcome_of_record(record: _OcspRecord, at: dt.datetime, *, from_cache: bool) -> RevocationOutcome:
    status = record.status
    if (
        status is not RevocationStatus.GOOD
        and record.revocation_time is not None
        and record.revocation_time > at
    ):
        status = RevocationStatus.UNKNOWN  # revoked after `at`: pyhanko-certvalidator gives no verdict either
    evidence = RevocationEvidence(
        source="ocsp",
        location=record.location,
        status=status.value,
        this_update=record.this_update,
        next_update=record.next_update,
        produced_at=record.produced_at,
        revocation_time=record.revocation_time,
        reason=record.reason,
        nonce_verified=record.nonce_verified,
        from_cache=from_cache,
    )
    return outcome_of(status, evidence, "OCSP")


def _load(
    answer: OcspAnswer,
    leaf: Cert,
    authority: Authority,
    at: dt.datetime,
    policy: VerificationPolicy,
    responder_status: ResponderStatus,
) -> _OcspRecord | RevocationOutcome:
    """RFC 6960 3.2 on one response: CertID, nonce, freshness, responder authorisation, signature."""
    try:
        parsed = parse_ocsp(answer.response)
    except InvalidInput as exc:
        return invalid(f"OCSP: {exc.message}")
    if parsed.status != "successful":
        return unknown(f"OCSP: the responder answered {parsed.status}")
    single = matching_single_response(parsed, leaf, authority.cert)
    if isinstance(single, RevocationOutcome):
        return single
    if answer.nonce is not None and not parsed.echoes(answer.nonce):
        return invalid("OCSP: the response does not echo our nonce (replayed or forged)")
    this_update, next_update = single["this_update"].native, single["next_update"].native
    if at + policy.max_clock_skew < this_update:
        return unknown("OCSP: the response is newer than the validation time")
    if not _fresh(this_update, next_update, at, policy):
        return unknown(
            f"OCSP: the response of {this_update.isoformat()} is not fresh at the validation time",
            Reason.REVOCATION_STALE,
        )
    responder = _authorised_responder(parsed, authority, at, policy, responder_status)
    if isinstance(responder, str):
        return invalid(f"OCSP: {responder}")
    try:
        valid = verify_signature(responder.spki_der, parsed.signature_algorithm, parsed.tbs, parsed.signature)
    except (UnsupportedAlgorithm, InvalidInput) as exc:
        return invalid(f"OCSP: the response signature cannot be checked: {exc.message}")
    if not valid:
        return invalid("OCSP: the response signature does not verify (forged or altered)")
    status = _cert_status(single)
    if status is None:
        return unknown("OCSP: the responder does not know the certificate")
    status_value, revocation_time, reason = status
    return _OcspRecord(
        status=status_value,
        revocation_time=revocation_time,
        reason=reason,
        this_update=this_update,
        next_update=next_update,
        produced_at=parsed.produced_at,
        fetched_at=at,
        location=answer.location,
        nonce_verified=answer.nonce is not None,
        response_sha256=hashlib.sha256(answer.response).digest(),
        responder_window=_responder_window(responder, authority.cert),
    )


def _cert_status(
    single: asn1_ocsp.SingleResponse,
) -> tuple[RevocationStatus, dt.datetime | None, str | None] | None:
    """(status, revocation time, reason) of a SingleResponse; None for "unknown"."""
    name = single["cert_status"].name
    if name == "good":
        return RevocationStatus.GOOD, None, None
    if name != "revoked":
        return None
    info = single["cert_status"].chosen
    revocation_time = info["revocation_time"].native
    reason = info["revocation_reason"].native or "unspecified"
    if reason != "certificate_hold" or revocation_time == NOT_ISSUED_TIME:
        return RevocationStatus.REVOKED, revocation_time, reason  # RFC 6960 2.2: 1970 hold = never issued
    return RevocationStatus.ON_HOLD, revocation_time, reason


def _authorised_responder(
    parsed: ParsedOcsp,
    authority: Authority,
    at: dt.datetime,
    policy: VerificationPolicy,
    responder_status: ResponderStatus,
) -> Cert | str:
    """The certificate that signed the response, if it may answer for ``authority`` (RFC 6960 4.2.2.2).

    Either the CA itself, or a delegate the CA issued with the OCSPSigning EKU, valid at
    ``at``, without unknown critical extensions and, unless it carries id-pkix-ocsp-nocheck,
    not revoked according to the CA's CRL. Returns a problem description otherwise.
    """
    ca = authority.cert
    responder = next((c for c in [*parsed.certs, ca] if parsed.names_responder(c)), None)
    if responder is None:
        return "the responder's certificate is not available"
    if responder.spki_der == ca.spki_der and (
        responder.subject_der == ca.subject_der or responder.subject_key == ca.subject_key
    ):
        return ca
    problem = _delegate_problem(responder, ca)
    if problem is None:
        skew = policy.max_clock_skew
        if at + skew < responder.not_before or at - skew > responder.not_after:
            problem = "the responder certificate is not valid at the validation time"
    if problem is None and oids.EXT_OCSP_NOCHECK not in responder.raw_extensions:
        status = responder_status(responder, authority, at)
        if status.status is not RevocationStatus.GOOD:
            problem = f"the responder certificate's own status: {status.message}"
    return responder if problem is None else problem


def _delegate_problem(responder: Cert, ca: Cert) -> str | None:
    """Why ``responder`` is not a delegate ``ca`` authorised to sign OCSP responses, or None."""
    if not responder.issued_by_name(ca):
        return "the responder is neither the CA nor a delegate issued by it (unauthorised responder)"
    extensions = responder.raw_extensions
    eku = extensions.get(oids.EXT_EXTENDED_KEY_USAGE)
    purposes = [] if eku is None else [p.dotted for p in asn1_x509.ExtKeyUsageSyntax.load(eku[1])]
    if oids.EKU_OCSP_SIGNING not in purposes:
        return "the responder certificate lacks the OCSPSigning EKU (unauthorised responder)"
    unknown_critical = sorted(
        oid for oid, (critical, _) in extensions.items() if critical and oid not in _RESPONDER_EXTENSIONS
    )
    if unknown_critical:
        return f"the responder certificate has unsupported critical extension(s) {unknown_critical}"
    try:
        signed = issued_by_key(ca.spki_der, responder)
    except (UnsupportedAlgorithm, InvalidInput) as exc:
        return f"the responder certificate's signature cannot be checked: {exc.message}"
    if not signed:
        return "the responder certificate is not signed by the CA (unauthorised responder)"
    return None


def _responder_window(responder: Cert, ca: Cert) -> tuple[dt.datetime | None, dt.datetime | None] | None:
    """When ``responder``'s authorisation holds by time alone: always for the CA, its validity for a
    nocheck delegate; None for a delegate whose own revocation status must be checked each time."""
    if responder is ca:
        return (None, None)
    if oids.EXT_OCSP_NOCHECK in responder.raw_extensions:
        return (responder.not_before, responder.not_after)
    return None
