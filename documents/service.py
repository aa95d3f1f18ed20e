"""The document service: submission by a state body (DD-8), Open Access grants by the owner (DD-9, DD-14),
and the third party's view with the verdict re-checked at view time.

Time semantics: every call takes ``at`` (UTC). A document is verified at the instant it is submitted: that
is its signing-time verdict (revocation at signing time), since the signature existed no later than its
receipt, whatever the signer's unauthenticated signing-time attribute claims. At each view the stored
signature is verified again at the view's instant (the current verdict), so a later revocation of the
signer's certificate is shown beside the signing-time verdict. A grant is open from its creation up to,
not including, ``expires_at``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from documents.content import DocumentContent, masked_json, parse_content
from documents.policy import DocumentPolicy
from documents.signer import state_body_signer
from documents.store import DocumentRow, Grant, GrantRow, GrantState, StoredDocument, View, ViewRow
from pki.calendar import ensure_utc
from pki.errors import Conflict, ErrorCode, Gone, InvalidInput, NotFound, Refused
from verifier import Purpose, Verdict, Verifier


class DocumentFormat(StrEnum):
    CMS = "cms"  # attached CMS SignedData whose content is the document
    XML = "xml"  # the document with enveloped XMLDSig signatures


class ViewOutcome(StrEnum):
    SHOWN = "shown"
    EXPIRED = "expired"  # refused: the temporary grant had ended (DD-14)
    REVOKED = "revoked"  # refused: the owner had withdrawn the grant (DD-9)


@dataclass(frozen=True)
class IssuedGrant:
    """A new grant and its token: the token exists only here (the service keeps its SHA-256)."""

    grant: Grant
    token: str


@dataclass(frozen=True)
class OwnedDocument:
    """One of the owner's documents, with every grant and every view of it."""

    document: StoredDocument
    grants: tuple[Grant, ...]
    views: tuple[View, ...]

    def to_json(self, at: dt.datetime) -> dict[str, Any]:
        """The document (no full IIN) with its grants' states at ``at`` and every view."""
        return {
            **self.document.to_json(),
            "grants": [g.to_json(at) for g in self.grants],
            "views": [v.to_json() for v in self.views],
        }


@dataclass(frozen=True)
class SharedDocument:
    """What a grant shows a third party: the document as signed, its signing-time verdict (stored) and the
    verdict at ``viewed_at``. ``content`` is None when the stored signature no longer yields a document."""

    document: StoredDocument
    content: DocumentContent | None
    current: Verdict
    viewed_at: dt.datetime
    revoked_since_signing: bool  # a signer's certificate was revoked after the document was signed


class DocumentService:
    """Documents over ``sm``, verified by ``verifier`` (purpose document) under ``policy``.

    ``test_identities`` (test-PKI mode) accepts owner IINs with a wrong check digit. Thread-safe."""

    def __init__(
        self,
        sm: sessionmaker[Session],
        verifier: Verifier,
        policy: DocumentPolicy,
        *,
        test_identities: bool = False,
    ) -> None:
        if verifier.policy.purpose is not Purpose.DOCUMENT:
            raise ValueError("the document service needs a verifier with purpose 'document'")
        self.policy = policy
        self._sm = sm
        self._verifier = verifier
        self._test_identities = test_identities

    # --- DD-8: a state body submits -----------------------------------------------------------------

    def submit(self, document_format: DocumentFormat, signature: bytes, at: dt.datetime) -> StoredDocument:
        """Verify ``signature`` (attached CMS or XMLDSig) at ``at`` and store it with its verdict.

        Raises Refused ``document_not_verified`` (with the reason codes) when the verdict does not pass,
        Refused ``not_state_body`` when a signer is not an authorised state body (DD-8), InvalidInput
        ``malformed_document`` when the signed content is not a digital document (or a CMS is detached),
        Conflict ``document_exists`` (with ``document_id``) for a signature already submitted."""
        at = ensure_utc(at)
        verdict = self._verify(document_format, signature, at)
        if not verdict.passed:
            codes = [r.value for r in verdict.reasons] or ["signature_not_valid"]
            raise Refused(
                ErrorCode.DOCUMENT_NOT_VERIFIED,
                f"the document's signature does not verify in document mode: {', '.join(codes)} (DD-8)",
                reasons=codes,
            )
        signers = tuple(state_body_signer(s, self.policy) for s in verdict.signers)
        if verdict.signed_content is None:
            raise InvalidInput(ErrorCode.MALFORMED_DOCUMENT, "a detached CMS: attach the document to it")
        content = self._content(verdict.signed_content)
        row = DocumentRow(
            signature_sha256=hashlib.sha256(signature).hexdigest(),
            submitted_at=at,
            signature_format=document_format.value,
            signature=signature,
            title=content.title,
            document_type=None if content.document_type is None else content.document_type[:100],
            owner_iin=content.owner_iin,
            signers=[s.to_json() for s in signers],
            verdict=masked_json(verdict.to_dict()),  # PD-22: shown to the owner, no full IIN
            indication=verdict.indication.value,
        )
        try:
            with self._sm.begin() as session:
                session.add(row)
                session.flush()
                return StoredDocument.of(row)
        except IntegrityError:
            with self._sm() as session:
                existing = session.scalar(
                    select(DocumentRow.id).where(DocumentRow.signature_sha256 == row.signature_sha256)
                )
            raise Conflict(
                ErrorCode.DOCUMENT_EXISTS, "this signed document was already submitted", document_id=existing
            ) from None

    # --- DD-9, DD-14: the owner's grants ------------------------------------------------------------

    def documents_of(self, owner_iin: str) -> list[OwnedDocument]:
        """The documents naming ``owner_iin``, newest first, each with its grants and their views."""
        with self._sm() as session:
            rows = session.scalars(
                select(DocumentRow).where(DocumentRow.owner_iin == owner_iin).order_by(DocumentRow.id.desc())
            ).all()
            owned = []
            for row in rows:
                grants = session.scalars(
                    select(GrantRow).where(GrantRow.document_id == row.id).order_by(GrantRow.id)
                ).all()
                views = session.scalars(
                    select(ViewRow).where(ViewRow.grant_id.in_([g.id for g in grants])).order_by(ViewRow.id)
                ).all()
                owned.append(
                    OwnedDocument(
                        StoredDocument.of(row),
                        tuple(Grant.of(g) for g in grants),
                        tuple(View.of(v) for v in views),
                    )
                )
        return owned

    def grant(
        self, document_id: int, owner_iin: str, at: dt.datetime, expires_at: dt.datetime | None
    ) -> IssuedGrant:
        """DD-9 consent: a new grant on the owner's document, until ``expires_at`` (temporary) or until
        revoked (None: continuous, DD-14).

        Raises NotFound ``document_not_found`` for a document that is not ``owner_iin``'s (nobody learns of
        another person's documents) and InvalidInput ``invalid_grant_expiry`` for an expiry not after
        ``at`` or beyond ``policy.max_grant_term``."""
        at = ensure_utc(at)
        if expires_at is not None:
            expires_at = ensure_utc(expires_at)
            if expires_at <= at or expires_at - at > self.policy.max_grant_term:
                raise InvalidInput(
                    ErrorCode.INVALID_GRANT_EXPIRY,
                    f"expires_at must be after now and within {self.policy.max_grant_term.days} days",
                    field="expires_at",
                )
        token = secrets.token_urlsafe(self.policy.token_bytes)
        with self._sm.begin() as session:
            document = session.get(DocumentRow, document_id)
            if document is None or document.owner_iin != owner_iin:
                raise NotFound(ErrorCode.DOCUMENT_NOT_FOUND, "no such document of yours")
            row = GrantRow(
                document_id=document_id, token_sha256=token_hash(token), created_at=at, expires_at=expires_at
            )
            session.add(row)
            session.flush()
            return IssuedGrant(Grant.of(row), token)

    def revoke_grant(self, grant_id: int, owner_iin: str, at: dt.datetime) -> Grant:
        """DD-9: withdraw consent at ``at``; the URL stops showing the document from then on.

        Raises NotFound ``grant_not_found`` for a grant on a document that is not ``owner_iin``'s and
        Conflict ``grant_already_revoked``."""
        at = ensure_utc(at)
        with self._sm.begin() as session:
            row = session.get(GrantRow, grant_id, with_for_update=True)
            document = None if row is None else session.get(DocumentRow, row.document_id)
            if row is None or document is None or document.owner_iin != owner_iin:
                raise NotFound(ErrorCode.GRANT_NOT_FOUND, "no such grant on a document of yours")
            if row.revoked_at is not None:
                raise Conflict(ErrorCode.GRANT_ALREADY_REVOKED, "this grant was already revoked")
            row.revoked_at = at
            session.flush()
            return Grant.of(row)

    # --- DD-14: the third party's view --------------------------------------------------------------

    def open(self, token: str, at: dt.datetime) -> SharedDocument:
        """The document behind ``token`` at ``at``, its signature verified again at ``at``; the view is
        recorded (shown or refused).

        Raises NotFound ``grant_not_found`` for a token that names no grant, Gone ``grant_expired`` /
        ``grant_revoked`` (after recording the refused view) for a grant that no longer gives access."""
        at = ensure_utc(at)
        with self._sm() as session:
            row = session.scalar(select(GrantRow).where(GrantRow.token_sha256 == token_hash(token)))
            if row is None:
                raise NotFound(ErrorCode.GRANT_NOT_FOUND, "this link gives access to no document")
            grant = Grant.of(row)
            document_row = session.get(DocumentRow, grant.document_id)
            assert document_row is not None  # a foreign key
            document = StoredDocument.of(document_row)
            document_format, signature = DocumentFormat(document_row.signature_format), document_row.signature
        state = grant.state_at(at)
        if state is not GrantState.ACTIVE:
            outcome = ViewOutcome.REVOKED if state is GrantState.REVOKED else ViewOutcome.EXPIRED
            self._record_view(grant.grant_id, at, outcome, None)
            if outcome is ViewOutcome.REVOKED:
                raise Gone(ErrorCode.GRANT_REVOKED, "the owner has withdrawn access to this document")
            raise Gone(ErrorCode.GRANT_EXPIRED, "access to this document has ended")
        current = self._verify(document_format, signature, at)
        content = None
        if current.signed_content is not None:
            try:
                content = self._content(current.signed_content)
            except InvalidInput:
                content = None  # the stored signature no longer carries a document: the verdict says why
        self._record_view(grant.grant_id, at, ViewOutcome.SHOWN, current.indication.value)
        return SharedDocument(document, content, current, at, _revoked_since(current, document.submitted_at))

    def _record_view(
        self, grant_id: int, at: dt.datetime, outcome: ViewOutcome, indication: str | None
    ) -> None:
        with self._sm.begin() as session:
            row = ViewRow(grant_id=grant_id, at=at, outcome=outcome.value, current_indication=indication)
            session.add(row)

    def _verify(self, document_format: DocumentFormat, signature: bytes, at: dt.datetime) -> Verdict:
        if document_format is DocumentFormat.CMS:
            return self._verifier.verify_cms(signature, at=at)
        return self._verifier.verify_xml(signature, at=at)

    def _content(self, signed: bytes) -> DocumentContent:
        return parse_content(
            signed,
            test_identities=self._test_identities,
            max_title_chars=self.policy.max_title_chars,
            max_fields=self.policy.max_fields,
        )


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a grant's token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _revoked_since(verdict: Verdict, signed_at: dt.datetime) -> bool:
    """True when the current verdict's revocation evidence revokes a signer after ``signed_at``."""
    for signer in verdict.signers:
        evidence = signer.revocation
        if evidence is not None and evidence.status == "revoked":
            if evidence.revocation_time is None or evidence.revocation_time > signed_at:
                return True
    return False
