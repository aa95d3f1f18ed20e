"""CMS SignedData verification (RFC 5652, RFC 5035), every signer, nothing skipped silently.

Checks, in order: ``content`` (attached, or detached with the data supplied), ``signers`` (zero
signers is a failure), then for each signer ``signer_certificate`` (found in the CMS or among
the supplied certificates), ``algorithm``, ``content_type``, ``message_digest``,
``signing_certificate`` (signingCertificateV2 / signingCertificate must name the signer when
present), ``signature``, and the certificate checks of :meth:`Verifier.evaluate_certificate`. A signer's
signature time stamp, once verified, is reported; for documents it also proves when the signature existed,
and a certificate that does not pass now is judged as of then (:func:`_as_of_time_stamp`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from asn1crypto import cms as asn1_cms
from asn1crypto import core

from pki import oids
from pki.cms import (
    DIGESTS,
    NOTHING_CARRIED,
    CarriedRevocation,
    SignedAttributes,
    carried_revocation,
    embedded_certificate_ders,
    encapsulated_content,
    find_signer_certificate,
    load_signed_data,
    signed_attributes_der,
    signer_identifier,
)
from pki.errors import ErrorCode, InvalidInput
from pki.reasons import Reason
from pki.signatures import is_supported, verify_signature
from verifier.certificate import Cert
from verifier.cms_attributes import attribute_checks, signing_time
from verifier.embedded import embedded_certs
from verifier.evaluation import CertificateEvaluation, CertificateEvaluator
from verifier.policy import VerificationPolicy
from verifier.verdict import (
    Check,
    CheckId,
    CheckStatus,
    Notice,
    SignerReport,
    TimestampInfo,
    Verdict,
    signature_check,
)

# SHA-1 is acceptable in an ESSCertID (v1) hash only, never as a message digest.
_MESSAGE_DIGESTS = DIGESTS - {oids.SHA1}


def verify_cms(
    verifier: CertificateEvaluator,
    data: bytes,
    *,
    at: dt.datetime,
    detached_content: bytes | None,
    extra: Sequence[Cert],
    carried: CarriedRevocation = NOTHING_CARRIED,
) -> Verdict:
    """Verify CMS SignedData at ``at``. ``detached_content`` is the data of a detached signature;
    ``carried`` the revocation data that came with it from outside the CMS (a PDF's DSS), counted with what
    the CMS carries when the policy reads them.

    Raises InvalidInput (``malformed_signature``, ``signature_too_large``) for input that is not
    CMS SignedData; everything else is a verdict.
    """
    policy = verifier.policy
    if len(data) > policy.max_signature_bytes:
        raise InvalidInput(
            ErrorCode.SIGNATURE_TOO_LARGE, f"the signature exceeds {policy.max_signature_bytes} bytes"
        )
    signed_data = load_signed_data(data)
    checks: list[Check] = []
    notices: list[Notice] = []
    reports: list[SignerReport] = []
    attached = encapsulated_content(signed_data)
    content = attached if attached is not None else detached_content
    if content is None:
        checks.append(
            Check(
                CheckId.CONTENT,
                CheckStatus.FAILED,
                "detached signature and no signed data supplied",
                Reason.SIGNED_DATA_MISSING,
            )
        )
    elif attached is not None and detached_content is not None and attached != detached_content:
        checks.append(
            Check(
                CheckId.CONTENT,
                CheckStatus.FAILED,
                "the attached content differs from the data supplied",
                Reason.CONTENT_MISMATCH,
            )
        )
    else:
        checks.append(
            Check(
                CheckId.CONTENT,
                CheckStatus.PASSED,
                "attached content" if attached is not None else "detached content",
            )
        )
    signer_infos = list(signed_data["signer_infos"])
    if not signer_infos:
        checks.append(Check(CheckId.SIGNERS, CheckStatus.FAILED, "the CMS has no signer", Reason.NO_SIGNERS))
    else:
        checks.append(Check(CheckId.SIGNERS, CheckStatus.PASSED, f"{len(signer_infos)} signer(s)"))
    candidates = [*embedded_certs(embedded_certificate_ders(signed_data)), *extra]
    content_type = signed_data["encap_content_info"]["content_type"].dotted
    for index, signer_info in enumerate(signer_infos):
        revocation = _carried(policy, signed_data, signer_info, index, notices, carried)
        signer_checks, signer_notices, report = verify_signer(
            verifier, index, signer_info, content, content_type, candidates, at, revocation
        )
        checks.extend(signer_checks)
        notices.extend(signer_notices)
        reports.append(report)
    return Verdict(
        kind="cms",
        purpose=policy.purpose,
        validation_time=at,
        checks=tuple(checks),
        signers=tuple(reports),
        warnings=tuple(notices),
        signed_content=content,
    )


def verify_signer(
    verifier: CertificateEvaluator,
    index: int,
    signer_info: asn1_cms.SignerInfo,
    content: bytes | None,
    content_type: str,
    candidates: list[Cert],
    at: dt.datetime,
    carried: CarriedRevocation = NOTHING_CARRIED,
) -> tuple[list[Check], list[Notice], SignerReport]:
    """The checks of one SignerInfo over ``content`` (``content_type`` is the eContentType), its certificate
    found among ``candidates`` (``carried``: the revocation data the signature carries for it); the
    warnings and the signer's report."""
    # The received encoding of the signed attributes, taken before anything reads values out of them.
    signed_attributes = signed_attributes_der(signer_info)
    checks: list[Check] = []
    notices: list[Notice] = []
    algorithm = signer_info["signature_algorithm"]
    algorithm_oid = algorithm["algorithm"].dotted
    digest_oid = signer_info["digest_algorithm"]["algorithm"].dotted
    attributes = SignedAttributes(signer_info)
    signed_at = signing_time(attributes)
    found = signer_certificate(signer_info, candidates)
    if found is None:
        checks.append(
            Check(
                CheckId.SIGNER_CERTIFICATE,
                CheckStatus.FAILED,
                "the signer's certificate is neither in the CMS nor among the supplied certificates",
                Reason.SIGNER_CERTIFICATE_MISSING,
                index,
            )
        )
        report = SignerReport(index, None, None, (), None, signed_at, algorithm_oid)
        return checks, notices, report
    cert = found
    checks.append(
        Check(
            CheckId.SIGNER_CERTIFICATE, CheckStatus.PASSED, "the signer's certificate is present", None, index
        )
    )
    supported = is_supported(algorithm_oid) and digest_oid in _MESSAGE_DIGESTS
    if supported:
        checks.append(
            Check(CheckId.ALGORITHM, CheckStatus.PASSED, f"{algorithm_oid} with {digest_oid}", None, index)
        )
    else:
        checks.append(
            Check(
                CheckId.ALGORITHM,
                CheckStatus.UNKNOWN,
                f"signature algorithm {algorithm_oid} with digest {digest_oid} is not supported",
                Reason.UNSUPPORTED_ALGORITHM,
                index,
            )
        )
    if signed_attributes is None:
        checks.append(
            Check(
                CheckId.MESSAGE_DIGEST,
                CheckStatus.SKIPPED,
                "no signed attributes: the signature covers the content itself",
                None,
                index,
            )
        )
    else:
        checks.extend(
            attribute_checks(
                attributes, cert, content, content_type, digest_oid if supported else None, index
            )
        )
        if signed_at is not None and signed_at > at + verifier.policy.max_clock_skew:
            notices.append(
                Notice(
                    "signing_time_after_validation", "the signing time is after the validation time", index
                )
            )
    checks.append(
        _signature_check(signer_info, cert, content, signed_attributes, supported, digest_oid, index)
    )
    stamp = None
    if content_type != oids.CMS_TST_INFO:  # a time-stamp token's own signer is not time-stamped
        stamp = _signature_timestamp(verifier, signer_info, at, index, notices, carried)
    evaluation = verifier.evaluate_certificate(cert, candidates, at, index, carried=carried)
    if stamp is not None and verifier.policy.past_signature_validation:
        evaluation = _as_of_time_stamp(
            verifier, evaluation, cert, candidates, stamp.gen_time, at, index, carried
        )
    checks.extend(evaluation.checks)
    notices.extend(evaluation.notices)
    report = SignerReport(
        index=index,
        certificate=evaluation.report.certificate,
        identity=evaluation.report.identity,
        chain=evaluation.report.chain,
        revocation=evaluation.report.revocation,
        signing_time=signed_at,
        signature_algorithm=algorithm_oid,
        signature_timestamp=stamp,
        validated_at=evaluation.report.validated_at,
    )
    return checks, notices, report


def _as_of_time_stamp(
    verifier: CertificateEvaluator,
    present: CertificateEvaluation,
    cert: Cert,
    candidates: list[Cert],
    existed_at: dt.datetime,
    at: dt.datetime,
    index: int,
    carried: CarriedRevocation,
) -> CertificateEvaluation:
    """Past signature validation (ETSI EN 319 102-1 5.6.2.4), for a signer whose certificate checks do not
    pass at ``at`` but whose signature a verified time stamp proves to have existed at ``existed_at``.

    The certificate checks run again as of ``existed_at`` (:meth:`Verifier.evaluate_certificate` with
    ``existed_at``: its own validity, revocation status then and identity; its CA path as validated at
    ``at``). When all of them pass, they judge the signer, with a
    ``validated_as_of_time_stamp`` notice and the report's ``validated_at``; otherwise the checks at ``at``
    stand. A certificate revoked (EDS-18: from its entry in the register) only after ``existed_at`` thus
    passes, one revoked or expired before it does not.
    """
    if present.passed or existed_at >= at:
        return present
    past = verifier.evaluate_certificate(cert, candidates, at, index, existed_at=existed_at, carried=carried)
    if not past.passed:
        return present
    failed = "; ".join(c.message for c in present.checks if c.reason is not None)
    notice = Notice(
        "validated_as_of_time_stamp",
        f"the signer's certificate does not pass at the validation time ({failed}); the signature time "
        f"stamp proves the signature existed at {existed_at.isoformat()}, when it passed",
        index,
    )
    return dataclasses.replace(past, notices=(*past.notices, notice))


def _carried(
    policy: VerificationPolicy,
    signed_data: asn1_cms.SignedData,
    signer_info: asn1_cms.SignerInfo,
    index: int,
    notices: list[Notice],
    outside: CarriedRevocation,
) -> CarriedRevocation:
    """The revocation data the signature carries for this signer (:func:`pki.cms.carried_revocation`) and
    ``outside`` it, when the policy reads them; nothing otherwise. Data of the CMS that does not decode is
    left out with an ``embedded_revocation_data_unreadable`` notice: it could only have vouched for the
    signer."""
    if not policy.reads_embedded_revocation_data:
        return NOTHING_CARRIED
    try:
        inside = carried_revocation(signed_data, signer_info)
    except (ValueError, TypeError, KeyError, IndexError):
        message = "the revocation data the signature carries cannot be decoded; it is not used"
        notices.append(Notice("embedded_revocation_data_unreadable", message, index))
        inside = NOTHING_CARRIED
    return inside + outside


def _signature_timestamp(
    verifier: CertificateEvaluator,
    signer_info: asn1_cms.SignerInfo,
    at: dt.datetime,
    index: int,
    notices: list[Notice],
    carried: CarriedRevocation,
) -> TimestampInfo | None:
    """What the signer's signature time stamp (the unsigned id-aa-signatureTimeStampToken, RFC 3161
    Appendix A) states, when its one token verifies at ``at`` over the signature value, with its TSA's
    chain and revocation (``carried``: the revocation data the signature carries, for the TSA too); None
    when there is none. A token that does not verify (or several) adds a
    ``signature_timestamp_not_verified`` notice: the time stamp proves nothing, and the signature is
    judged as of ``at`` without it."""
    unsigned = signer_info["unsigned_attrs"]
    if isinstance(unsigned, core.Void):
        return None
    tokens = [
        value
        for attribute in unsigned
        if attribute["type"].dotted == oids.ATTR_SIGNATURE_TIME_STAMP
        for value in attribute["values"]
    ]
    if not tokens:
        return None
    if len(tokens) > 1:
        why = f"a signer has one signature time stamp, this one has {len(tokens)}"
    else:
        try:
            stamp = verifier.verify_timestamp(
                tokens[0].dump(), at=at, data=signer_info["signature"].native, carried=carried
            )
        except InvalidInput as exc:  # no time-stamp token at all: the signature itself is still judged
            why = exc.message
        else:
            if stamp.passed and stamp.timestamp is not None:
                return stamp.timestamp
            why = "; ".join(c.message for c in stamp.checks if c.reason is not None) or "it did not pass"
    notices.append(Notice("signature_timestamp_not_verified", f"the signature time stamp: {why}", index))
    return None


def signer_certificate(signer_info: asn1_cms.SignerInfo, candidates: Sequence[Cert]) -> Cert | None:
    """The candidate the SignerIdentifier names: issuer and serial, or subjectKeyIdentifier (RFC 5652 5.3)."""
    serial, named_by = signer_identifier(signer_info)
    if serial is None:
        return next((c for c in candidates if c.key_identifier == named_by), None)
    named = [c for c in candidates if c.serial == serial]
    if not named:
        return None
    issuer_der = named_by
    exact = next((c for c in named if c.issuer_der == issuer_der), None)
    if exact is not None:
        return exact
    # the same issuer name encoded differently: asn1crypto's normalised comparison decides
    by_name = find_signer_certificate(signer_info, [c.asn1 for c in named])
    return next((c for c in named if c.asn1 is by_name), None)


def _signature_check(
    signer_info: asn1_cms.SignerInfo,
    cert: Cert,
    content: bytes | None,
    signed_attributes: bytes | None,
    supported: bool,
    digest_oid: str,
    index: int,
) -> Check:
    signed = signed_attributes if signed_attributes is not None else content
    if not supported:
        return Check(
            CheckId.SIGNATURE, CheckStatus.SKIPPED, "not checked: unsupported algorithm", None, index
        )
    if signed is None:
        return Check(
            CheckId.SIGNATURE, CheckStatus.SKIPPED, "not checked: the signed data is missing", None, index
        )
    return signature_check(
        lambda: verify_signature(
            cert.spki_der,
            signer_info["signature_algorithm"],
            signed,
            signer_info["signature"].native,
            digest_algorithm=digest_oid,
        ),
        index,
    )
