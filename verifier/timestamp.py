"""RFC 3161 time-stamp tokens: a CMS SignedData over a TSTInfo, signed by a time-stamping authority.

Checks, in order: ``content`` (the eContentType is id-ct-TSTInfo and the TSTInfo decodes), ``signers``
(exactly one, RFC 3161 2.4.2), the signer checks of :func:`verifier.cms.verify_signer` (signature, message
digest, content type, and an ESS signing-certificate attribute, which RFC 3161 2.4.1 makes mandatory),
the TSA certificate's chain, validity and revocation at ``at`` with key usage for purpose ``timestamp``
(RFC 3161 2.3), then ``gen_time`` (not after ``at``) and ``message_imprint`` (the imprint is the hash of
the data, when the data is given). RSA, ECDSA and GOST tokens alike: the NCA's GOST-2004 tokens hash
their signed attributes with GOST R 34.11-94 through the same signature table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from asn1crypto import tsp

from pki import oids
from pki.cms import digest, embedded_certificates, encapsulated_content, load_signed_data
from pki.errors import InvalidInput, UnsupportedAlgorithm
from pki.reasons import Reason
from verifier.certificate import Cert
from verifier.cms import verify_signer
from verifier.verdict import Check, CheckStatus, Notice, SignerReport, TimestampInfo, Verdict

if TYPE_CHECKING:
    from verifier.engine import Verifier


def verify_timestamp(
    verifier: Verifier, token: bytes, *, at: dt.datetime, data: bytes | None, extra: Sequence[Cert]
) -> Verdict:
    """Verify the time-stamp token ``token`` (DER, PEM or base64 ContentInfo) at ``at``.

    ``verifier`` has purpose ``timestamp``. ``data`` is what was time-stamped (None: the imprint is not
    compared). Raises InvalidInput (``malformed_signature``, ``signature_too_large``) for input that is
    not CMS SignedData; everything else is a verdict.
    """
    policy = verifier.policy
    if len(token) > policy.max_signature_bytes:
        raise InvalidInput("signature_too_large", f"the token exceeds {policy.max_signature_bytes} bytes")
    signed_data = load_signed_data(token)
    content_type = signed_data["encap_content_info"]["content_type"].dotted
    content = encapsulated_content(signed_data)

    def verdict(
        checks: list[Check], report: SignerReport | None = None, notices: Sequence[Notice] = ()
    ) -> Verdict:
        signers = () if report is None else (report,)
        return Verdict("timestamp", policy.purpose, at, tuple(checks), signers, tuple(notices), data, info)

    info = _tst_info(content) if content_type == oids.CMS_TST_INFO and content is not None else None
    if info is None:
        message = "the token's content is not a decodable TSTInfo (RFC 3161 2.4.2)"
        return verdict([Check("content", CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE)])
    checks = [Check("content", CheckStatus.PASSED, "a TSTInfo")]
    signer_infos = list(signed_data["signer_infos"])
    if len(signer_infos) != 1:
        message = f"a time-stamp token has exactly one signer, this one has {len(signer_infos)}"
        checks.append(Check("signers", CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE))
        return verdict(checks)
    checks.append(Check("signers", CheckStatus.PASSED, "one signer, the TSA"))
    candidates = [*(Cert.from_asn1(c) for c in embedded_certificates(signed_data)), *extra]
    signer_checks, notices, report = verify_signer(
        verifier, 0, signer_infos[0], content, content_type, candidates, at
    )
    checks.extend(_ess_required(c) for c in signer_checks)
    checks.append(_gen_time_check(info, at, verifier.policy.max_clock_skew))
    checks.append(_imprint_check(info, data))
    return verdict(checks, report, notices)


def _tst_info(content: bytes) -> TimestampInfo | None:
    try:
        value = tsp.TSTInfo.load(content, strict=True)
        imprint = value["message_imprint"]
        return TimestampInfo(
            gen_time=value["gen_time"].native,
            policy=value["policy"].dotted,
            serial=value["serial_number"].native,
            imprint_algorithm=imprint["hash_algorithm"]["algorithm"].dotted,
            imprint=imprint["hashed_message"].native,
            nonce=value["nonce"].native,
        )
    except (ValueError, TypeError, KeyError):
        return None


def _ess_required(check: Check) -> Check:
    """RFC 3161 2.4.1: the signing-certificate attribute MUST be present (absent is a failure here)."""
    if check.id != "signing_certificate" or check.status is not CheckStatus.SKIPPED:
        return check
    message = "a time-stamp token must carry the ESS signing-certificate attribute (RFC 3161 2.4.1)"
    return Check("signing_certificate", CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE, check.signer)


def _gen_time_check(info: TimestampInfo, at: dt.datetime, skew: dt.timedelta) -> Check:
    if info.gen_time > at + skew:
        message = f"the token's genTime {info.gen_time.isoformat()} is after the validation time"
        return Check("gen_time", CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE)
    return Check("gen_time", CheckStatus.PASSED, f"time-stamped at {info.gen_time.isoformat()}")


def _imprint_check(info: TimestampInfo, data: bytes | None) -> Check:
    if data is None:
        return Check("message_imprint", CheckStatus.SKIPPED, "no data supplied: the imprint is not compared")
    try:
        matches = digest(info.imprint_algorithm, data) == info.imprint
    except UnsupportedAlgorithm as exc:
        return Check("message_imprint", CheckStatus.UNKNOWN, exc.message, Reason.UNSUPPORTED_ALGORITHM)
    if not matches:
        message = "the data's hash differs from the token's message imprint (other data)"
        return Check("message_imprint", CheckStatus.FAILED, message, Reason.CONTENT_MISMATCH)
    return Check("message_imprint", CheckStatus.PASSED, "the token time-stamps this data")
