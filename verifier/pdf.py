"""PDF signatures (:mod:`pki.pdf`) judged: each one's CMS over its byte range, and what it covers.

A PDF signature is a detached CMS (``/SubFilter`` ETSI.CAdES.detached or adbe.pkcs7.detached; any other
is ``unsupported_algorithm``) over the bytes its ``/ByteRange`` names. Each gets its own verdict
(kind ``pdf``): a ``coverage`` check first, then the CMS verdict's checks (signature, content digest,
chain, validity, key usage, revocation: :func:`verifier.cms.verify_cms` with the byte range as detached
content). ``coverage`` passes when the byte range covers the signature's whole revision and the later
revisions (if any) only add signatures, fill in form fields or add validation data; it fails with
``pdf_partial_coverage`` when bytes of its own revision are left unsigned and with ``pdf_modified`` when a
later revision changed anything else, for the signed content may then no longer be what is shown.
A signature whose contents are no CMS is a failed verdict of its own (``malformed_signature``), never an
error for the whole file. A document time stamp (``/SubFilter /ETSI.RFC3161``, PAdES-LTA) is judged as an
RFC 3161 token (:func:`verifier.timestamp.verify_timestamp`) over its byte range, with the same coverage
check first; its verdict carries the token's TSTInfo.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from pki.calendar import iso_time
from pki.errors import InvalidInput
from pki.pdf import DOCUMENT_TIMESTAMP, Coverage, LaterChanges, PdfSignature
from pki.reasons import Reason
from verifier.policy import Purpose
from verifier.verdict import Check, CheckId, CheckStatus, Verdict

ACCEPTED_SUB_FILTERS = frozenset({"ETSI.CAdES.detached", "adbe.pkcs7.detached"})
_ACCEPTED_CHANGES = frozenset({LaterChanges.NONE, LaterChanges.ARCHIVAL, LaterChanges.SIGNATURES_AND_FORMS})


@dataclasses.dataclass(frozen=True)
class PdfSignatureVerdict:
    """One signature of a PDF and its verdict."""

    signature: PdfSignature
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        """The signature dictionary's entries, what the signature covers, and the verdict's JSON."""
        signature = self.signature
        return {
            "field_name": signature.field_name,
            "sub_filter": signature.sub_filter,
            "reason": signature.reason,
            "location": signature.location,
            "contact_info": signature.contact_info,
            "signed_at": iso_time(signature.signed_at),
            "coverage": signature.coverage.value,
            "later_changes": signature.later_changes.value,
            "verdict": self.verdict.to_dict(),
        }


def verify_pdf_signature(
    signature: PdfSignature,
    verify_cms: Callable[[bytes, bytes], Verdict],
    verify_timestamp: Callable[[bytes, bytes], Verdict],
    *,
    purpose: Purpose,
    at: dt.datetime,
) -> PdfSignatureVerdict:
    """``signature``'s verdict at ``at``: its coverage check, then the checks of ``verify_cms(cms,
    signed_bytes)`` (of ``verify_timestamp(token, signed_bytes)`` for a document time stamp). Never raises
    for what the signature holds."""
    timestamp = signature.sub_filter == DOCUMENT_TIMESTAMP
    if not timestamp and signature.sub_filter not in ACCEPTED_SUB_FILTERS:
        message = (
            f"sub filter {signature.sub_filter} is not supported (a detached CMS or a document time stamp is)"
        )
        unsupported = Check(CheckId.ALGORITHM, CheckStatus.UNKNOWN, message, Reason.UNSUPPORTED_ALGORITHM)
        checks = (
            (unsupported,)
            if signature.coverage is Coverage.UNREAD
            else (coverage_check(signature), unsupported)
        )
        return PdfSignatureVerdict(signature, Verdict("pdf", purpose, at, checks))
    coverage = coverage_check(signature)
    try:
        verdict = (verify_timestamp if timestamp else verify_cms)(signature.cms, signature.signed_bytes)
    except InvalidInput as exc:
        malformed = Check(CheckId.STRUCTURE, CheckStatus.FAILED, exc.message, Reason.MALFORMED_SIGNATURE)
        return PdfSignatureVerdict(signature, Verdict("pdf", purpose, at, (coverage, malformed)))
    return PdfSignatureVerdict(
        signature, dataclasses.replace(verdict, kind="pdf", checks=(coverage, *verdict.checks))
    )


def coverage_check(signature: PdfSignature) -> Check:
    """Whether the signature covers its revision and the later revisions leave the signed content alone."""
    if signature.coverage is Coverage.PARTIAL:
        message = "the byte range leaves bytes of the signature's own revision unsigned"
        return Check(CheckId.COVERAGE, CheckStatus.FAILED, message, Reason.PDF_PARTIAL_COVERAGE)
    if signature.later_changes not in _ACCEPTED_CHANGES:
        message = "a later revision changed the document beyond signatures, form fields and validation data"
        return Check(CheckId.COVERAGE, CheckStatus.FAILED, message, Reason.PDF_MODIFIED)
    if signature.coverage is Coverage.WHOLE_FILE:
        return Check(CheckId.COVERAGE, CheckStatus.PASSED, "the signature covers the whole file")
    message = f"the signature covers its revision; later revisions: {signature.later_changes.value}"
    return Check(CheckId.COVERAGE, CheckStatus.PASSED, message)
