"""The UNIS login decision (UNIS-3 .. UNIS-12, UNIS-2025-bio, EDS-14) on top of the verifier's verdict.

A login is a signature over a fresh challenge's nonce (UNIS-8): a CMS SignedData over the 32 nonce
bytes (attached or detached), or an enveloped XMLDSig of :func:`xml_login_document`. The decision:

1. the challenge is genuine (its HMAC tag), unexpired and unused; it is consumed atomically by this
   attempt, whatever the outcome (UNIS-9/10: ``challenge_unknown`` / ``challenge_expired`` /
   ``challenge_used``; :mod:`unis.challenges`);
2. the signed content is this challenge's nonce (``challenge_mismatch``);
3. the verifier's verdict (purpose ``login``) passes: signature, chain to our roots, validity, an
   individual's AUTH-capable key (UNIS-3), revocation fail-closed (UNIS-11), IIN, age (EDS-14);
   its reasons are carried over in check order;
4. belt and braces on the verdict: its age check (EDS-14, the limit set once, in the verifier's
   policy) and a revocation check actually passed (UNIS-11: no evidence, no login);
5. only for an authenticated signer (1-4 passed, so nobody learns about another person's account
   with a forged or replayed login): the IIN has an account (UNIS-4) and it is active (suspended:
   temporary, UNIS-5-1; blocked / terminated: UNIS-5/6); the certificate was issued no more than
   ``max_certificate_age_years`` before the login, on Kazakh dates (UNIS-12, KZ-TIME: otherwise
   refused AND the account is blocked with reason ``eds_not_reissued`` until an operator lifts it);
   a notary brings a valid, fresh biometric attestation (UNIS-2025-bio).

Every attempt, including an undecodable one, is recorded (:mod:`unis.records`) with the masked IIN.
An evaluated attempt costs ONE write transaction: consume the challenge, read the account (once), apply
any UNIS-12 block, append the record. It runs on ONE connection (one pool checkout), lent first to the
verifier's read of the register (:func:`storage.lending`): the read sees every change committed before it
starts, as on a connection of its own, and the same single commit ends the attempt.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from xml.sax.saxutils import escape

from cryptography import x509
from lxml import etree
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from pki import xmldsig
from pki.calendar import ensure_utc, iso_time, years_elapsed
from pki.errors import ErrorCode, InvalidInput, Unauthenticated
from pki.iin import mask
from pki.reasons import Reason
from storage import engine_of, lending, serialised_writes
from unis.accounts import (
    Account,
    Accounts,
    AccountStatus,
    BlockReason,
)
from unis.biometric import BiometricCheck, check_attestation
from unis.challenges import MAX_ID_CHARS, Challenge, Challenges, ChallengeState
from unis.policy import LoginPolicy
from unis.records import LoginRecord, LoginRecords
from verifier import Purpose, Verdict, Verifier
from verifier.verdict import CheckId, CheckStatus

AUTO_BLOCK_ACTOR = "unis-login"  # who the UNIS-12 automatic block is recorded as
_STATUS_REASONS = {
    AccountStatus.SUSPENDED: Reason.ACCOUNT_SUSPENDED,
    AccountStatus.BLOCKED: Reason.ACCOUNT_BLOCKED,
    AccountStatus.TERMINATED: Reason.ACCOUNT_TERMINATED,
}


class SignatureFormat(StrEnum):
    CMS = "cms"
    XML = "xml"


class Decision(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"


@dataclass(frozen=True)
class LoginAttempt:
    """What the client sent: the challenge id, the signature (CMS DER/PEM/base64 or XML bytes), and for
    notaries the biometric attestation (DER or base64)."""

    challenge_id: str
    signature_format: SignatureFormat
    signature: bytes = field(repr=False)
    biometric: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class LoginDecision:
    """The answer. ``reasons`` is empty exactly when accepted; the first reason is the main one."""

    decision: Decision
    reasons: tuple[Reason, ...]
    challenge_id: str
    decided_at: dt.datetime
    account: Account | None
    verdict: Verdict | None
    biometric: BiometricCheck | None
    account_blocked: bool  # UNIS-12: this attempt blocked the account

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "reasons": [r.value for r in self.reasons],
            "challenge_id": self.challenge_id,
            "decided_at": iso_time(self.decided_at),
            "account": None if self.account is None else self.account.to_json(self.decided_at),
            "account_blocked": self.account_blocked,
            "biometric": None if self.biometric is None else self.biometric.to_json(),
            "verdict": None if self.verdict is None else self.verdict.to_dict(),
        }


def xml_login_document(challenge: Challenge) -> bytes:
    """The small XML document an XMLDSig login signs (enveloped): the challenge id and the base64 nonce."""
    nonce = base64.b64encode(challenge.nonce).decode("ascii")
    return (
        f"<unisLogin><challengeId>{escape(challenge.challenge_id)}</challengeId>"
        f"<nonce>{nonce}</nonce></unisLogin>"
    ).encode()


class LoginService:
    """Challenges and login decisions over ``sm``, ``verifier`` (purpose login) and ``policy``.

    ``challenge_key`` signs the challenges (:func:`unis.challenges.derive_challenge_key`: the same in every
    process serving logins). ``biometric_services`` are the biometric service certificates we trust
    (pinned) for UNIS-2025-bio. Thread-safe; share one per process.
    """

    def __init__(
        self,
        sm: sessionmaker[Session],
        verifier: Verifier,
        policy: LoginPolicy,
        *,
        challenge_key: bytes,
        biometric_services: Sequence[x509.Certificate] = (),
    ) -> None:
        if verifier.policy.purpose is not Purpose.LOGIN:
            raise ValueError("the login service needs a verifier with purpose 'login'")
        self.policy = policy
        self._engine = engine_of(sm)  # the login's one transaction is Core on a Connection (no Session)
        self._challenges = Challenges(sm, challenge_key)
        self._verifier = verifier
        self._biometric_services = tuple(biometric_services)

    def create_challenge(self, at: dt.datetime) -> Challenge:
        """A new challenge valid from ``at`` for ``policy.challenge_ttl`` (UNIS-9/10). No database access."""
        return self._challenges.issue(at=ensure_utc(at), ttl=self.policy.challenge_ttl)

    def log_in(self, attempt: LoginAttempt, at: dt.datetime) -> LoginDecision:
        """Decide ``attempt`` at ``at`` and record it.

        The challenge is opened (its tag and expiry, no I/O), the signature evaluated (the register read on
        the attempt's one connection), then ONE transaction on that connection consumes the challenge (if
        this attempt wins it), reads the account (for an authenticated signer), applies an automatic
        UNIS-12 block and appends the record; an attempt that loses a concurrent race for its challenge,
        or replays it, is refused ``challenge_used`` and shown no account. On a SQLite file the transaction
        waits for its writer turn (:class:`storage.serialised_writes`) instead of SQLite's busy handler.

        Raises :class:`InvalidInput` (after recording the attempt, without consuming the challenge) only
        when the signature cannot be decoded at all (``malformed_signature``, ``signature_too_large``,
        ``xml_forbidden``); every evaluated attempt is a :class:`LoginDecision`.
        """
        at = ensure_utc(at)
        state = self._challenges.open(attempt.challenge_id, at=at)
        with self._engine.connect() as connection:
            try:
                verdict, reasons = self._authenticate(connection, attempt, state, at)
            except InvalidInput as exc:
                with serialised_writes(self._engine):
                    self._record_in(connection, attempt, at, [exc.code], None, _AccountOutcome())
                    connection.commit()
                raise
            with serialised_writes(self._engine):  # the one write transaction, in turn with other logins
                outcome, final = self._decide_in(connection, attempt, state, at, verdict, reasons)
                connection.commit()
        return LoginDecision(
            decision=Decision.REFUSED if final else Decision.ACCEPTED,
            reasons=final,
            challenge_id=attempt.challenge_id,
            decided_at=at,
            account=outcome.account,
            verdict=verdict,
            biometric=outcome.biometric,
            account_blocked=outcome.blocked,
        )

    def _decide_in(
        self,
        connection: Connection,
        attempt: LoginAttempt,
        state: ChallengeState,
        at: dt.datetime,
        verdict: Verdict,
        reasons: list[Reason],
    ) -> tuple[_AccountOutcome, tuple[Reason, ...]]:
        """The write transaction of :meth:`log_in` on ``connection`` (uncommitted): consume the challenge,
        read the account, apply an automatic UNIS-12 block, append the record; the account outcome and the
        final reasons."""
        challenge_reason = self._consume_in(connection, attempt, state, at)
        outcome = _AccountOutcome()
        if challenge_reason is None and not reasons and verdict.passed:
            outcome = self._account_outcome(connection, verdict, attempt, at)
        final = tuple(
            dict.fromkeys([*([challenge_reason] if challenge_reason else []), *reasons, *outcome.reasons])
        )
        account = outcome.account
        if outcome.block and account is not None:
            blocked = Accounts.block_in(
                connection, account, BlockReason.EDS_NOT_REISSUED, at, AUTO_BLOCK_ACTOR
            )
            if blocked is not None:
                outcome = dataclasses.replace(outcome, account=blocked, blocked=True)
        self._record_in(connection, attempt, at, [r.value for r in final], verdict, outcome)
        return outcome, final

    def _consume_in(
        self, connection: Connection, attempt: LoginAttempt, state: ChallengeState, at: dt.datetime
    ) -> Reason | None:
        """Why the attempt's challenge does not count (unknown, expired, or used: a replay, or a concurrent
        attempt took it first), consuming it in ``connection``'s transaction when it is genuine and fresh;
        None when this attempt consumed it."""
        if state.reason is None and state.expires_at is not None:
            if not self._challenges.consume(connection, attempt.challenge_id, state.expires_at, at=at):
                return Reason.CHALLENGE_USED
        return state.reason

    def prove_possession(self, attempt: LoginAttempt, at: dt.datetime) -> Possession:
        """The signer of a fresh challenge, authenticated exactly as a login is, without the account rules.

        For the owner's own requests (PD-24 subject access, DD-9 consent): the same challenge, signature,
        chain, revocation (fail-closed) and identity checks as :meth:`log_in`, and the challenge is consumed
        (no replay). No login record is written. Raises :class:`Unauthenticated`
        (``possession_not_proven``, with the reason codes) when any check fails, and :class:`InvalidInput`
        for an undecodable signature.
        """
        at = ensure_utc(at)
        state = self._challenges.open(attempt.challenge_id, at=at)
        with self._engine.connect() as connection:
            verdict, reasons = self._authenticate(connection, attempt, state, at)
            with serialised_writes(self._engine):
                challenge_reason = self._consume_in(connection, attempt, state, at)
                connection.commit()
        final = [*([challenge_reason] if challenge_reason else []), *reasons]
        signer = verdict.signer
        identity = None if signer is None else signer.identity
        if final or not verdict.passed or identity is None or not identity.iin or signer is None:
            codes = [r.value for r in dict.fromkeys(final)] or ["signature_not_valid"]
            raise Unauthenticated(
                ErrorCode.POSSESSION_NOT_PROVEN,
                f"the signed challenge does not prove possession of a valid key: {', '.join(codes)}",
                reasons=codes,
            )
        return Possession(iin=identity.iin, verdict=verdict)

    def _authenticate(
        self, connection: Connection, attempt: LoginAttempt, state: ChallengeState, at: dt.datetime
    ) -> tuple[Verdict, list[Reason]]:
        """The signature over the challenge and the verdict's rules: the verdict and the reasons it fails.

        ``connection`` (the attempt's one connection) is lent to the verifier's register read
        (:func:`storage.lending`), which then needs no checkout of its own; nothing is written on it here.
        Raises :class:`InvalidInput` for an undecodable signature."""
        with lending(connection):
            verdict = self._verify(attempt, state.nonce, at)
        reasons: list[Reason] = []
        if state.nonce is not None and not _signs_nonce(verdict, attempt, state.nonce):
            reasons.append(Reason.CHALLENGE_MISMATCH)
        reasons.extend(verdict.reasons)
        reasons.extend(self._verdict_backstops(verdict))
        return verdict, reasons

    def _account_outcome(
        self, connection: Connection, verdict: Verdict, attempt: LoginAttempt, at: dt.datetime
    ) -> _AccountOutcome:
        """UNIS-4/5/5-1/6, UNIS-12 and UNIS-2025-bio for an authenticated signer, reading the account once
        inside the login's transaction."""
        signer = verdict.signer
        if signer is None or signer.identity is None or not signer.identity.iin or signer.certificate is None:
            return _AccountOutcome()
        iin = signer.identity.iin
        account = Accounts.find_in(connection, iin)
        if account is None:
            return _AccountOutcome(reasons=(Reason.ACCOUNT_NOT_FOUND,))
        reasons: list[Reason] = []
        status_reason = _STATUS_REASONS.get(account.status_at(at))
        if status_reason is not None:
            reasons.append(status_reason)
        stale = years_elapsed(signer.certificate.not_before, at, self.policy.max_certificate_age_years)
        if stale:
            reasons.append(Reason.EDS_NOT_REISSUED)
        biometric = None
        if account.role in self.policy.biometric_roles:
            biometric = self._check_biometric(attempt, iin, at)
            if biometric.reason is not None:
                reasons.append(biometric.reason)
        return _AccountOutcome(account, tuple(reasons), biometric, block=stale)

    def _verify(self, attempt: LoginAttempt, nonce: bytes | None, at: dt.datetime) -> Verdict:
        if attempt.signature_format is SignatureFormat.CMS:
            return self._verifier.verify_cms(attempt.signature, at=at, detached_content=nonce)
        verdict = self._verifier.verify_xml(attempt.signature, at=at)  # the document's one parse
        # The verifier's one answer to a DTD, an entity or an oversize document is its failed ``xml``
        # check; for a login that means the request could not be evaluated at all, a malformed request.
        for check in verdict.checks:
            if check.id == CheckId.XML and check.reason is Reason.XML_FORBIDDEN:
                raise InvalidInput(ErrorCode.XML_FORBIDDEN, check.message)
        return verdict

    def _verdict_backstops(self, verdict: Verdict) -> list[Reason]:
        """EDS-14 and UNIS-11 on the verdict's own checks: when the owner's age is known, a passed verdict
        must carry a PASSED ``age`` check (the age limit has one source, the verifier's policy) and, when
        required, a PASSED ``revocation`` check (no evidence, no login)."""
        if not verdict.passed:
            return []
        passed = {c.id for c in verdict.checks if c.status is CheckStatus.PASSED}
        identity = None if verdict.signer is None else verdict.signer.identity
        found: list[Reason] = []
        if identity is not None and identity.age is not None and CheckId.AGE not in passed:
            found.append(Reason.UNDER_AGE)
        if self.policy.require_revocation_evidence and CheckId.REVOCATION not in passed:
            found.append(Reason.REVOCATION_UNKNOWN)
        return found

    def _check_biometric(self, attempt: LoginAttempt, iin: str, at: dt.datetime) -> BiometricCheck:
        return check_attestation(
            attempt.biometric,
            trusted=self._biometric_services,
            iin=iin,
            challenge_id=attempt.challenge_id,
            at=at,
            max_age=self.policy.biometric_max_age,
            clock_skew=self.policy.biometric_clock_skew,
        )

    def _record_in(
        self,
        connection: Connection,
        attempt: LoginAttempt,
        at: dt.datetime,
        reasons: list[str],
        verdict: Verdict | None,
        outcome: _AccountOutcome,
    ) -> None:
        """Append the login record inside the caller's transaction."""
        signer = None if verdict is None else verdict.signer
        identity = None if signer is None else signer.identity
        certificate = None if signer is None else signer.certificate
        account, biometric = outcome.account, outcome.biometric
        details: dict[str, Any] = {
            "checks": [] if verdict is None else [_check_json(c) for c in verdict.checks],
            "warnings": [] if verdict is None else [w.code for w in verdict.warnings],
            "revocation": None
            if signer is None or signer.revocation is None
            else signer.revocation.to_json(),
            "biometric": None if biometric is None else biometric.to_json(),
            "account_blocked": outcome.blocked,
        }
        LoginRecords.add_in(
            connection,
            LoginRecord(
                at=at,
                challenge_id=attempt.challenge_id[:MAX_ID_CHARS] or None,
                iin_masked=None if identity is None or identity.iin is None else mask(identity.iin),
                account_id=None if account is None else account.account_id,
                decision=(Decision.REFUSED if reasons else Decision.ACCEPTED).value,
                reasons=reasons,
                signature_format=attempt.signature_format.value,
                certificate_issuer=None if certificate is None else certificate.issuer[:500],
                certificate_serial=None if certificate is None else certificate.serial.lower(),
                certificate_sha256=None if certificate is None else certificate.sha256,
                indication=None if verdict is None else verdict.indication.value,
                details=details,
            ),
        )


@dataclass(frozen=True)
class Possession:
    """Who proved possession of their key (:meth:`LoginService.prove_possession`): the IIN and the verdict."""

    iin: str
    verdict: Verdict


@dataclass(frozen=True)
class _AccountOutcome:
    """The account part of a decision; empty for an unauthenticated attempt (no account shown)."""

    account: Account | None = None
    reasons: tuple[Reason, ...] = ()
    biometric: BiometricCheck | None = None
    block: bool = False  # UNIS-12: block the account
    blocked: bool = False  # UNIS-12: this attempt blocked it (``account`` is then the blocked account)


def _signs_nonce(verdict: Verdict, attempt: LoginAttempt, nonce: bytes) -> bool:
    """True if what the verdict says was signed is exactly ``nonce`` (UNIS-8)."""
    content = verdict.signed_content
    if content is None:
        return False
    if attempt.signature_format is SignatureFormat.XML:
        signed_nonce = _nonce_in_document(content)
        return signed_nonce is not None and hmac.compare_digest(signed_nonce, nonce)
    # Detached: the nonce was supplied, so a wrong message digest means another content was signed.
    return hmac.compare_digest(content, nonce) and Reason.CONTENT_MISMATCH not in verdict.reasons


def _nonce_in_document(document: bytes) -> bytes | None:
    """The base64 ``nonce`` child of the signed document's root element, decoded; None if not exactly one."""
    try:
        root = xmldsig.parse_xml(document).getroot()
    except InvalidInput:
        return None
    found = [c for c in root if isinstance(c.tag, str) and etree.QName(c).localname == "nonce"]
    if len(found) != 1:
        return None
    try:
        return base64.b64decode("".join((found[0].text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def _check_json(check: Any) -> dict[str, Any]:
    return {
        "id": check.id,
        "status": check.status.value,
        "reason": None if check.reason is None else check.reason.value,
    }
