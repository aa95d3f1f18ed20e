"""RFC 3161 time-stamp tokens: a CMS SignedData over a TSTInfo, signed by a time-stamping authority.

Checks, in order: ``content`` (the eContentType is id-ct-TSTInfo and the TSTInfo decodes), ``signers``
(exactly one, RFC 3161 2.4.2), ``signed_attributes`` (present: RFC 5652 5.3 for any content but id-data,
and they carry the ESS attribute), the signer checks of :func:`verifier.cms.verify_signer` (signature,
message digest, signed content type equal to id-ct-TSTInfo, and an ESS signing-certificate attribute
naming the TSA's certificate, which RFC 3161 2.4.1 makes mandatory), the TSA certificate's chain, validity
and revocation at ``at`` with key usage for purpose ``timestamp`` (RFC 3161 2.3; no EDS-owner identity
checks), then ``tsa_name`` (the TSTInfo's tsa field, when present, is a name of the TSA's certificate),
``gen_time`` (not after ``at``, within the TSA certificate's validity) and ``message_imprint`` (the
imprint is the hash of the data, with the imprint's own hash algorithm, when the data is given).
RSA, ECDSA and GOST tokens alike.

The genuine NCA token (``tsp_token_2004.bin``, GOST 34.310-2004, genTime 2022-09-18) follows RFC 3161 2.3:
its TSA certificate ("СЕРВИС МЕТКИ ВРЕМЕНИ", issued by "ҰКО 3.0 (GOST TEST)") has one extended key usage,
id-kp-timeStamping, marked critical, and no keyUsage extension at all (allowed: RFC 5280 4.2.1.3 makes it
optional). Its signed attributes are hashed with GOST R 34.11-94 (Test S-box) and carry the version 1 ESS
signingCertificate (SHA-1 certificate hash, no issuerSerial); its imprint is SHA-1 and it has no tsa field.
Its subject also holds a (test) IIN and BIN, which mean nothing for a TSA: none is checked here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509

from pki import oids
from pki.cms import (
    NOTHING_CARRIED,
    CarriedRevocation,
    digest,
    embedded_certificate_ders,
    encapsulated_content,
    load_signed_data,
    signed_attributes_der,
)
from pki.errors import ErrorCode, InvalidInput, UnsupportedAlgorithm
from pki.reasons import Reason
from verifier.certificate import Cert
from verifier.cms import signer_certificate, verify_signer
from verifier.embedded import embedded_certs
from verifier.evaluation import CertificateEvaluator
from verifier.verdict import Check, CheckId, CheckStatus, Notice, SignerReport, TimestampInfo, Verdict


def verify_timestamp(
    verifier: CertificateEvaluator,
    token: bytes,
    *,
    at: dt.datetime,
    data: bytes | None,
    extra: Sequence[Cert],
    carried: CarriedRevocation = NOTHING_CARRIED,
) -> Verdict:
    """Verify the time-stamp token ``token`` (DER, PEM or base64 ContentInfo) at ``at``.

    ``verifier`` has purpose ``timestamp``. ``data`` is what was time-stamped (None: the imprint is not
    compared). ``carried``: revocation data that came with the token (a PDF's DSS), for the TSA's
    certificate beside the source's. Raises InvalidInput (``malformed_signature``,
    ``signature_too_large``) for input that is not CMS SignedData; everything else is a verdict.
    """
    policy = verifier.policy
    if len(token) > policy.max_signature_bytes:
        raise InvalidInput(
            ErrorCode.SIGNATURE_TOO_LARGE, f"the token exceeds {policy.max_signature_bytes} bytes"
        )
    signed_data = load_signed_data(token)
    content_type = signed_data["encap_content_info"]["content_type"].dotted
    content = encapsulated_content(signed_data)
    decoded = _decode(content) if content_type == oids.CMS_TST_INFO and content is not None else None
    info = None if decoded is None else decoded[1]

    def verdict(
        checks: list[Check], report: SignerReport | None = None, notices: Sequence[Notice] = ()
    ) -> Verdict:
        signers = () if report is None else (report,)
        return Verdict("timestamp", policy.purpose, at, tuple(checks), signers, tuple(notices), data, info)

    if decoded is None:
        message = f"the token's content ({content_type}) is not a decodable TSTInfo (RFC 3161 2.4.2)"
        return verdict([Check(CheckId.CONTENT, CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE)])
    tst_info, info = decoded
    checks = [Check(CheckId.CONTENT, CheckStatus.PASSED, "a TSTInfo")]
    signer_infos = list(signed_data["signer_infos"])
    if len(signer_infos) != 1:
        message = f"a time-stamp token has exactly one signer, this one has {len(signer_infos)}"
        checks.append(Check(CheckId.SIGNERS, CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE))
        return verdict(checks)
    checks.append(Check(CheckId.SIGNERS, CheckStatus.PASSED, "one signer, the TSA"))
    signer_info = signer_infos[0]
    checks.append(_signed_attributes_check(signed_attributes_der(signer_info) is not None))
    candidates = [*embedded_certs(embedded_certificate_ders(signed_data)), *extra]
    signer_checks, notices, report = verify_signer(
        verifier, 0, signer_info, content, content_type, candidates, at, carried
    )
    checks.extend(_ess_required(c) for c in signer_checks)
    tsa_certificate = signer_certificate(signer_info, candidates)
    checks.append(_tsa_name_check(tst_info["tsa"], tsa_certificate))
    checks.append(_gen_time_check(info, tsa_certificate, at, verifier.policy.max_clock_skew))
    checks.append(_imprint_check(info, data))
    return verdict(checks, report, notices)


def _decode(content: bytes) -> tuple[tsp.TSTInfo, TimestampInfo] | None:
    """The TSTInfo and what the verdict reports of it; None when ``content`` is no DER TSTInfo."""
    try:
        value = tsp.TSTInfo.load(content, strict=True)
        imprint = value["message_imprint"]
        return value, TimestampInfo(
            gen_time=value["gen_time"].native,
            policy=value["policy"].dotted,
            serial=value["serial_number"].native,
            imprint_algorithm=imprint["hash_algorithm"]["algorithm"].dotted,
            imprint=imprint["hashed_message"].native,
            nonce=value["nonce"].native,
        )
    except (ValueError, TypeError, KeyError):
        return None


def _signed_attributes_check(present: bool) -> Check:
    if present:
        return Check(CheckId.SIGNED_ATTRIBUTES, CheckStatus.PASSED, "the signer signs attributes")
    message = (
        "the TSA's SignerInfo has no signed attributes: no signed content type (RFC 5652 5.3) and no ESS "
        "signing-certificate attribute (RFC 3161 2.4.1)"
    )
    return Check(CheckId.SIGNED_ATTRIBUTES, CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE, 0)


def _ess_required(check: Check) -> Check:
    """RFC 3161 2.4.1: the signing-certificate attribute MUST be present (absent is a failure here)."""
    if check.id != CheckId.SIGNING_CERTIFICATE or check.status is not CheckStatus.SKIPPED:
        return check
    message = "a time-stamp token must carry the ESS signing-certificate attribute (RFC 3161 2.4.1)"
    return Check(
        CheckId.SIGNING_CERTIFICATE, CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE, check.signer
    )


def _tsa_name_check(tsa: object, cert: Cert | None) -> Check:
    """RFC 3161 2.4.2: a tsa field, when present, MUST be one of the subject names of the TSA's certificate
    (its subject, or an entry of its subjectAltName)."""
    if not isinstance(tsa, asn1_x509.GeneralName):  # absent (asn1crypto's Void)
        return Check(CheckId.TSA_NAME, CheckStatus.SKIPPED, "the token does not name its TSA")
    if cert is None:
        return Check(CheckId.TSA_NAME, CheckStatus.SKIPPED, "not checked: the TSA's certificate is missing")
    subject_alt_name = cert.asn1.subject_alt_name_value
    names = [asn1_x509.GeneralName({"directory_name": cert.asn1.subject}), *(subject_alt_name or ())]
    if any(_same_name(tsa, name) for name in names):
        return Check(CheckId.TSA_NAME, CheckStatus.PASSED, "the token names its TSA's certificate", None, 0)
    message = f"the token names the TSA {tsa.native!r}, not the signer's certificate (RFC 3161 2.4.2)"
    return Check(CheckId.TSA_NAME, CheckStatus.FAILED, message, Reason.SIGNING_CERTIFICATE_MISMATCH, 0)


def _same_name(a: asn1_x509.GeneralName, b: asn1_x509.GeneralName) -> bool:
    """RFC 5280 7.1 name matching for directory names (asn1crypto's Name equality), exact otherwise."""
    if a.name != b.name:
        return False
    return bool(a.chosen == b.chosen) if a.name == "directory_name" else bool(a.native == b.native)


def _gen_time_check(info: TimestampInfo, cert: Cert | None, at: dt.datetime, skew: dt.timedelta) -> Check:
    """genTime is not after ``at`` and lies within the TSA certificate's validity (a TSA cannot stamp a
    time at which its certificate was not valid); each bound widened by ``skew``."""
    gen_time = info.gen_time
    if gen_time > at + skew:
        message = f"the token's genTime {gen_time.isoformat()} is after the validation time"
        return Check(CheckId.GEN_TIME, CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE)
    if cert is not None and gen_time + skew < cert.not_before:
        message = (
            f"genTime {gen_time.isoformat()} precedes the TSA certificate ({cert.not_before.isoformat()})"
        )
        return Check(CheckId.GEN_TIME, CheckStatus.FAILED, message, Reason.CERTIFICATE_NOT_YET_VALID, 0)
    if cert is not None and gen_time - skew > cert.not_after:
        message = f"genTime {gen_time.isoformat()} is after the TSA certificate expired"
        return Check(CheckId.GEN_TIME, CheckStatus.FAILED, message, Reason.CERTIFICATE_EXPIRED, 0)
    return Check(CheckId.GEN_TIME, CheckStatus.PASSED, f"time-stamped at {gen_time.isoformat()}")


def _imprint_check(info: TimestampInfo, data: bytes | None) -> Check:
    if data is None:
        return Check(
            CheckId.MESSAGE_IMPRINT, CheckStatus.SKIPPED, "no data supplied: the imprint is not compared"
        )
    try:
        matches = digest(info.imprint_algorithm, data) == info.imprint
    except UnsupportedAlgorithm as exc:
        return Check(CheckId.MESSAGE_IMPRINT, CheckStatus.UNKNOWN, exc.message, Reason.UNSUPPORTED_ALGORITHM)
    if not matches:
        message = "the data's hash differs from the token's message imprint (other data)"
        return Check(CheckId.MESSAGE_IMPRINT, CheckStatus.FAILED, message, Reason.CONTENT_MISMATCH)
    return Check(CheckId.MESSAGE_IMPRINT, CheckStatus.PASSED, "the token time-stamps this data")
