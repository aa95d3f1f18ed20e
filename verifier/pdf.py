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

Archive time stamps (PAdES-LTA; ETSI EN 319 102-1 5.6.3, :func:`verify_pdf_signatures`): a document time
stamp that passes proves that every earlier revision, with its signatures, their time stamps and the
validation data, existed at its genTime. A signature (or an earlier document time stamp) that does not
pass now is judged again as of the earliest time so proven: its certificates, its own time stamp's TSA and
their revocation as of then, on the data valid then. A document signed, time-stamped and archived while its
certificates were valid thus still passes after they, and the first TSA's, have expired.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pki.calendar import iso_time
from pki.errors import InvalidInput
from pki.pdf import DOCUMENT_TIMESTAMP, Coverage, LaterChanges, PdfSignature
from pki.reasons import Reason
from verifier.policy import Purpose
from verifier.verdict import Check, CheckId, CheckStatus, Notice, Verdict

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


def verify_pdf_signatures(
    signatures: Sequence[PdfSignature],
    judge: Callable[[PdfSignature, dt.datetime], PdfSignatureVerdict],
    *,
    at: dt.datetime,
    archive_time_stamps: bool,
) -> tuple[PdfSignatureVerdict, ...]:
    """Each of a PDF's ``signatures`` (in revision order) judged at ``at`` by ``judge(signature, time)``;
    with ``archive_time_stamps`` (documents, when past signature validation is on), PAdES-LTA as the module
    docstring says: from the last revision back, one that does not pass at ``at`` is judged again as of the
    earliest genTime of a later document time stamp that passed, and when it passes then, that verdict
    (its validation time that genTime) stands, with a ``validated_as_of_archive_time_stamp`` notice."""
    results = [judge(signature, at) for signature in signatures]
    if not archive_time_stamps:
        return tuple(results)
    proven: dt.datetime | None = None  # the earliest existence a later document time stamp proves
    for index in reversed(range(len(results))):
        result = results[index]
        if not result.verdict.passed and proven is not None:
            again = judge(result.signature, proven)
            if again.verdict.passed:
                message = (
                    f"judged as of {iso_time(proven)}, when a later document time stamp proves this revision "
                    "existed (PAdES-LTA)"
                )
                notices = (*again.verdict.warnings, Notice("validated_as_of_archive_time_stamp", message))
                result = dataclasses.replace(
                    again, verdict=dataclasses.replace(again.verdict, warnings=notices)
                )
                results[index] = result
        stamp = result.verdict.timestamp
        if result.signature.sub_filter == DOCUMENT_TIMESTAMP and result.verdict.passed and stamp is not None:
            proven = stamp.gen_time if proven is None else min(proven, stamp.gen_time)
    return tuple(results)


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
