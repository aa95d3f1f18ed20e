"""PDF signatures (ISO 32000-1 12.8, PAdES baseline of ETSI EN 319 142-1): read them out, sign.

pyHanko handles the PDF side: the incremental update that adds a signature field, the ``/ByteRange``
placeholder, and reading a signed file's revisions and which of them each signature covers. The CMS
inside is ours (:func:`pki.cms_signing.sign_cms`, verified by :mod:`verifier`), so GOST keys sign and
verify like RSA and ECDSA, which pyHanko's own signer (hashlib digests only) cannot do.

What we sign is what NCANode's ``/pdf/sign`` makes: an invisible signature field, ``/SubFilter
/ETSI.CAdES.detached``, a detached CMS over the byte range with signingCertificateV2 and without a
signing-time attribute (PAdES: the time is the dictionary's ``/M``), reason, location and contact info
when given, saved as an incremental update so earlier signatures stay intact.

Reading reports, per signature (document time stamps, ``/SubFilter /ETSI.RFC3161`` in a ``/DocTimeStamp``
dictionary, among them: their contents are an RFC 3161 token over the byte range, ISO 32000-2 12.8.5): the
CMS, the bytes its byte range covers, how much of the file that is (:class:`Coverage`) and what the later
revisions changed (:class:`LaterChanges`, pyHanko's difference analysis). A filled signature field whose
``/SubFilter`` pyHanko does not read (``adbe.x509.rsa_sha1``, a raw PKCS#1 value) is listed too, after the
others, with its contents as they are and coverage ``unread``, so that no signature of a file goes unseen.
Every failure to read a file (not a PDF, encrypted, broken cross-references, a signature dictionary without
contents, streams that decompress beyond :data:`DECODE_LIMITS`) is InvalidInput ``malformed_pdf``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from asn1crypto import parser as asn1_parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.decode_limits import DecodeLimits, DocumentDecodeBudget, StreamDecodeLimits
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from pki import cms, cms_signing, gost
from pki.calendar import ensure_utc
from pki.errors import ErrorCode, InvalidInput
from pki.keys import PrivateKey, certificate_der

# pyHanko logs what it finds wrong with a document as warnings, some with the exception's traceback (a
# modification after signing, a /SubFilter it does not know): this module reports those findings itself,
# and a traceback must not reach a command's stderr. pyHanko's errors still reach the logging configuration.
logging.getLogger("pyhanko").setLevel(logging.ERROR)
_log = logging.getLogger(__name__)

MAX_SIGNATURES = 32  # each one (document time stamps too) is digested and diffed against the later revisions
DOCUMENT_TIMESTAMP = "ETSI.RFC3161"  # the /SubFilter of a document time stamp (ISO 32000-2 12.8.5)
_MiB = 1024 * 1024
# What decompressing an untrusted file may produce (a deflate bomb in 1 MB of request expands ~1000 times):
# 32 MiB per stream, and for the whole file 64 MiB or 32 times its size, whichever is larger. pyHanko's
# defaults for untrusted input (256 MiB) are meant for a desktop, not for a worker serving the public.
DECODE_LIMITS = DecodeLimits(
    per_stream=StreamDecodeLimits(max_output_size=32 * _MiB),
    document_budget=DocumentDecodeBudget(base_allowance=64 * _MiB, max_ratio=32),
)
# Readers parse the hex placeholder of the CMS a digit at a time (pyHanko: ~0.6 us a digit), so the space
# kept is the size of a trial CMS by the same key (detached: its size does not depend on the content) plus
# this slack for an ECDSA signature's DER, a byte or two longer at random.
CMS_SLACK_BYTES = 16


class Coverage(StrEnum):
    """How much of the file a signature's byte range covers (pyHanko's coverage levels)."""

    WHOLE_FILE = "whole_file"  # the last revision: nothing was added after it
    WHOLE_REVISION = "whole_revision"  # its revision; later revisions follow (see LaterChanges)
    PARTIAL = "partial"  # neither: bytes of its own revision are left unsigned
    UNREAD = "unread"  # a /SubFilter pyHanko does not read (adbe.x509.rsa_sha1): not evaluated


class LaterChanges(StrEnum):
    """What the revisions after a signature's own changed (pyHanko's modification levels)."""

    NONE = "none"
    ARCHIVAL = "archival"  # validation data and document time stamps (PAdES LTA)
    SIGNATURES_AND_FORMS = "signatures_and_forms"  # more signatures, form fields filled in
    OTHER = "other"  # anything else: the signed content may have been altered
    UNREAD = "unread"  # not evaluated: the signature's /SubFilter is one pyHanko does not read


_COVERAGE = {
    SignatureCoverageLevel.ENTIRE_FILE: Coverage.WHOLE_FILE,
    SignatureCoverageLevel.ENTIRE_REVISION: Coverage.WHOLE_REVISION,
}
_CHANGES = {
    ModificationLevel.NONE: LaterChanges.NONE,
    ModificationLevel.LTA_UPDATES: LaterChanges.ARCHIVAL,
    ModificationLevel.FORM_FILLING: LaterChanges.SIGNATURES_AND_FORMS,
}


@dataclass(frozen=True)
class PdfSignature:
    """One signature of a PDF as read from its signature dictionary. ``signed_at`` is the ``/M`` entry
    (UTC; the signer's claim, not evidence), None when absent or unreadable."""

    field_name: str
    cms: bytes = field(repr=False)
    signed_bytes: bytes = field(repr=False)
    coverage: Coverage
    later_changes: LaterChanges
    sub_filter: str | None
    reason: str | None
    location: str | None
    contact_info: str | None
    signed_at: dt.datetime | None


@dataclass(frozen=True)
class SignedPdf:
    """What a PDF holds for its verification: its signatures (document time stamps included, the first
    first) and the CRLs and OCSP responses of its Document Security Store (PAdES-LT: the ``/DSS``
    dictionary's ``/CRLs`` and ``/OCSPs`` streams, ETSI EN 319 142-1 5.4.2), decoded, at most
    :data:`MAX_VALIDATION_STREAMS` of each. Nothing decides here whether they are genuine: each counts only
    once the verifier has checked it."""

    signatures: list[PdfSignature]
    revocation: cms.CarriedRevocation = field(repr=False)


MAX_VALIDATION_STREAMS = 64  # CRL and OCSP streams read from a Document Security Store (more are left out)


def read_pdf(pdf: bytes) -> SignedPdf:
    """The signatures and the DSS revocation data of ``pdf``, from one reading of the file. A DSS stream
    that cannot be read is left out (it could only have vouched for a signer).

    Raises InvalidInput ``malformed_pdf`` when the file cannot be read or holds more than
    :data:`MAX_SIGNATURES` signatures. No signatures is an empty list.
    """
    with _reading():
        reader = PdfFileReader(io.BytesIO(pdf), strict=False, decode_limits=DECODE_LIMITS)
        if reader.encrypted:
            raise InvalidInput(ErrorCode.MALFORMED_PDF, "the PDF is encrypted; send it decrypted")
        embedded = reader.embedded_signatures
        read = {str(signature.field_name) for signature in embedded}
        unread = [
            (str(name), value.get_object())
            for name, value, _ in fields.enumerate_sig_fields(reader, filled_status=True)
            if str(name) not in read
        ]
        count = len(embedded) + len(unread)
        if count > MAX_SIGNATURES:
            raise InvalidInput(
                ErrorCode.MALFORMED_PDF, f"the PDF has {count} signatures; at most {MAX_SIGNATURES}"
            )
        signatures = [_signature(pdf, signature) for signature in embedded] + [
            _unread_signature(name, dictionary) for name, dictionary in unread
        ]
    return SignedPdf(
        signatures, cms.CarriedRevocation(_dss_streams(reader, "/CRLs"), _dss_streams(reader, "/OCSPs"))
    )


def read_signatures(pdf: bytes) -> list[PdfSignature]:
    """The signatures of :func:`read_pdf`; raises as it does."""
    return read_pdf(pdf).signatures


def _dss_streams(reader: PdfFileReader, name: str) -> tuple[bytes, ...]:
    """The decoded streams of the DSS array ``name`` (``/CRLs``, ``/OCSPs``), each once; () without."""
    found: list[bytes] = []
    try:
        store = reader.root.get("/DSS")
        references = list(store.get_object().get(name, ())) if store is not None else []
    except Exception:  # a broken DSS dictionary: nothing from it (see read_pdf)
        return ()
    for reference in references[:MAX_VALIDATION_STREAMS]:
        try:
            stream = reference.get_object()
            if isinstance(stream, generic.StreamObject):
                found.append(bytes(stream.data))
        except Exception:  # a broken stream: left out (see read_pdf)
            _log.info("a %s stream of the PDF's DSS cannot be read; it is left out", name)
    return tuple(dict.fromkeys(found))


def _signature(pdf: bytes, embedded: EmbeddedPdfSignature) -> PdfSignature:
    start, first, second, second_length = (int(n) for n in embedded.byte_range)
    signed_bytes = pdf[start : start + first] + pdf[second : second + second_length]
    level = embedded.evaluate_signature_coverage()
    coverage = _COVERAGE.get(level, Coverage.PARTIAL)
    # What pyHanko's difference analysis reads; its compute_integrity_info would set it, but digests with
    # hashlib, which has no GOST hash.
    embedded.coverage = level  # type: ignore[assignment]
    if coverage is Coverage.WHOLE_FILE:
        changes = LaterChanges.NONE
    elif coverage is Coverage.PARTIAL:
        changes = LaterChanges.OTHER
    else:
        result = embedded.evaluate_modifications(DEFAULT_DIFF_POLICY)
        if isinstance(result, SuspiciousModification):
            changes = LaterChanges.OTHER
        else:
            changes = _CHANGES.get(result.modification_level, LaterChanges.OTHER)
    dictionary = embedded.sig_object
    return PdfSignature(
        field_name=str(embedded.field_name),
        cms=_without_padding(bytes(embedded.pkcs7_content)),
        signed_bytes=signed_bytes,
        coverage=coverage,
        later_changes=changes,
        sub_filter=_text(dictionary, "/SubFilter"),
        reason=_text(dictionary, "/Reason"),
        location=_text(dictionary, "/Location"),
        contact_info=_text(dictionary, "/ContactInfo"),
        signed_at=embedded.self_reported_timestamp,
    )


def _unread_signature(name: str, dictionary: generic.DictionaryObject) -> PdfSignature:
    """A signature pyHanko's reader skips (its /SubFilter is none it knows): its entries, not evaluated."""
    contents = dictionary.get("/Contents")
    return PdfSignature(
        field_name=name,
        cms=bytes(contents.original_bytes) if isinstance(contents, generic.ByteStringObject) else b"",
        signed_bytes=b"",
        coverage=Coverage.UNREAD,
        later_changes=LaterChanges.UNREAD,
        sub_filter=_text(dictionary, "/SubFilter"),
        reason=_text(dictionary, "/Reason"),
        location=_text(dictionary, "/Location"),
        contact_info=_text(dictionary, "/ContactInfo"),
        signed_at=None,
    )


def _without_padding(contents: bytes) -> bytes:
    """The CMS in a signature's ``/Contents``: the reserved space is zero-filled after the DER value
    (ISO 32000-1 12.8.1), so the zeros after the first complete value are cut. Anything else after it is
    kept, and the CMS then fails to decode as the malformed signature it is."""
    try:
        header_, body, trailer = asn1_parser.parse(contents, strict=False)[3:6]
    except ValueError:
        return contents
    end = len(header_) + len(body) + len(trailer)
    return contents[:end] if not contents[end:].strip(b"\0") else contents


def _text(dictionary: generic.DictionaryObject, key: str) -> str | None:
    """A text or name entry of a PDF dictionary as a string (a name without its slash), None if absent."""
    value = dictionary.get(key)
    if value is None:
        return None
    return str(value).removeprefix("/") if isinstance(value, generic.NameObject) else str(value)


def sign_pdf(
    pdf: bytes,
    private_key: PrivateKey | gost.GostPrivateKey,
    certificate: x509.Certificate,
    *,
    at: dt.datetime,
    stamp: cms_signing.TimeStamper | None = None,
    reason: str | None = None,
    location: str | None = None,
    contact_info: str | None = None,
) -> bytes:
    """``pdf`` with one more signature (PAdES ``ETSI.CAdES.detached``, an invisible field named
    ``Signature<n>``), dated ``at`` (the dictionary's ``/M``), as an incremental update; with ``stamp``,
    its CMS carries a signature time stamp (PAdES B-T, :func:`pki.cms_signing.with_signature_time_stamps`).

    Raises InvalidInput ``malformed_pdf`` when the file cannot be read or updated (encrypted, broken).
    """
    with _reading():
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False, decode_limits=DECODE_LIMITS)
        if writer.prev.encrypted:
            raise InvalidInput(ErrorCode.MALFORMED_PDF, "the PDF is encrypted; send it decrypted")
        taken = {str(name) for name, _, _ in fields.enumerate_sig_fields(writer.prev, filled_status=None)}
        name = next(f"Signature{n}" for n in range(1, len(taken) + 2) if f"Signature{n}" not in taken)
        metadata = PdfSignatureMetadata(
            field_name=name,
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            contact_info=contact_info,
            md_algorithm="sha256",  # pyHanko's own digest, unused: the CMS below digests the byte range
        )
        placeholder = signers.ExternalSigner(
            signing_cert=asn1_x509.Certificate.load(certificate_der(certificate)), cert_registry=None
        )
        session = PdfSigner(metadata, signer=placeholder).init_signing_session(writer)
        session.system_time = ensure_utc(at)  # the /M entry; pyHanko would take its own clock
        validation = asyncio.run(session.perform_presign_validation(writer))
        trial = _signed(b"", private_key, certificate, stamp)
        reserved = 2 * (len(trial) + CMS_SLACK_BYTES)  # hex: two digits a byte
        document = session.prepare_tbs_document(validation_info=validation, bytes_reserved=reserved)
        output = io.BytesIO()
        prepared, _ = document.digest_tbs_document(output=output)
        prepared_bytes = output.getvalue()
        covered = (
            prepared_bytes[: prepared.reserved_region_start] + prepared_bytes[prepared.reserved_region_end :]
        )
        prepared.fill_with_cms(output, _signed(covered, private_key, certificate, stamp))
        return bytes(output.getvalue())


def _signed(
    covered: bytes,
    private_key: PrivateKey | gost.GostPrivateKey,
    certificate: x509.Certificate,
    stamp: cms_signing.TimeStamper | None,
) -> bytes:
    """The detached CMS of a PAdES signature over ``covered``: no signing-time attribute (PAdES), and a
    signature time stamp when ``stamp`` is given."""
    signature = cms_signing.sign_cms(covered, private_key, certificate, signing_time=None, detached=True)
    return signature if stamp is None else cms_signing.with_signature_time_stamps(signature, stamp)


@contextmanager
def _reading() -> Iterator[None]:
    """pyHanko's errors on a file it cannot read, as InvalidInput ``malformed_pdf``.

    A PDF parser meets hostile input here, and pyHanko raises its PdfError family but also KeyError,
    TypeError, ValueError, IndexError or AssertionError on broken structures; all mean "unreadable".
    Our own InvalidInput passes through unchanged.
    """
    try:
        yield
    except InvalidInput:
        raise
    except Exception as exc:  # any failure of the parser is an unreadable file (see above)
        raise InvalidInput(
            ErrorCode.MALFORMED_PDF, f"the PDF cannot be read: {type(exc).__name__}: {exc}"[:300]
        ) from None
