"""Biometric attestations for notaries' logins (UNIS-2025-bio).

From 21 Nov 2025 a notary's access needs a passed biometric check. The biometric service states
the result as a CMS SignedData (RFC 5652, attached content, signed attributes) whose content is
the canonical JSON (sorted keys, no spaces, UTF-8)::

    {"challenge_id": "...", "checked_at": "2025-11-21T09:00:00Z", "iin": "...", "result": "passed"}

signed with the service's key. We trust exactly the certificates we are configured with (pinned,
no chain building): an attestation binds the IIN of the login certificate, this login's challenge
and a time no more than :attr:`unis.policy.LoginPolicy.biometric_max_age` old.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509

from pki import cms, cms_signing, oids
from pki.calendar import iso_time
from pki.errors import KzPkiError
from pki.keys import PrivateKey, certificate_der
from pki.reasons import Reason
from pki.signatures import verify_signature

MAX_ATTESTATION_BYTES = 64 * 1024
_FIELDS = frozenset({"challenge_id", "checked_at", "iin", "result"})


@dataclass(frozen=True)
class BiometricCheck:
    """The outcome of checking one attestation. ``reason`` is None exactly when it passed."""

    reason: Reason | None
    message: str
    checked_at: dt.datetime | None = None
    service_certificate_sha256: str | None = None

    @property
    def passed(self) -> bool:
        return self.reason is None

    def to_json(self) -> dict[str, Any]:
        checked_at = None if self.checked_at is None else self.checked_at.replace(microsecond=0)
        return {
            "status": "passed" if self.reason is None else "failed",
            "reason": None if self.reason is None else self.reason.value,
            "message": self.message,
            "checked_at": iso_time(checked_at),
            "service_certificate_sha256": self.service_certificate_sha256,
        }


def attestation_content(
    *, iin: str, challenge_id: str, checked_at: dt.datetime, result: str = "passed"
) -> bytes:
    """The canonical JSON statement the biometric service signs (``checked_at`` tz-aware, whole seconds)."""
    statement = {
        "challenge_id": challenge_id,
        "checked_at": iso_time(checked_at.replace(microsecond=0)),
        "iin": iin,
        "result": result,
    }
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode("utf-8")


def mint_attestation(
    *,
    private_key: PrivateKey,
    certificate: x509.Certificate,
    iin: str,
    challenge_id: str,
    checked_at: dt.datetime,
    result: str = "passed",
) -> bytes:
    """A DER CMS attestation as the biometric service issues it (for tests and ``kzpki unis attest``)."""
    content = attestation_content(iin=iin, challenge_id=challenge_id, checked_at=checked_at, result=result)
    return cms_signing.sign_cms(content, private_key, certificate, signing_time=checked_at)


def check_attestation(
    attestation: bytes | None,
    *,
    trusted: Sequence[x509.Certificate],
    iin: str,
    challenge_id: str,
    at: dt.datetime,
    max_age: dt.timedelta,
    clock_skew: dt.timedelta,
) -> BiometricCheck:
    """Check ``attestation`` (DER, or base64 of it) for a login of ``iin`` with ``challenge_id`` at ``at``.

    Never raises for bad input: a missing attestation gives ``biometric_missing``; an undecodable one,
    a signer not among ``trusted`` (or outside its validity at ``at``), a bad signature, another IIN or
    challenge, a result other than ``passed`` or a time after ``at + clock_skew`` give
    ``biometric_invalid``; one checked more than ``max_age`` before ``at`` gives ``biometric_stale``.
    """
    if not attestation:
        return BiometricCheck(Reason.BIOMETRIC_MISSING, "a notary's login needs a biometric attestation")
    if len(attestation) > MAX_ATTESTATION_BYTES:
        return _invalid("the biometric attestation is too large")
    try:
        der = attestation if attestation[:1] == b"\x30" else base64.b64decode(attestation, validate=True)
        signed_data = cms.load_signed_data(der)
    except (KzPkiError, binascii.Error, ValueError):
        return _invalid("the biometric attestation is not a CMS SignedData")
    signer_infos = list(signed_data["signer_infos"])
    if len(signer_infos) != 1:
        return _invalid("the biometric attestation must have exactly one signer")
    signer_info = signer_infos[0]
    pinned = {certificate_der(c): c for c in trusted}
    signer_certificate = cms.find_signer_certificate(
        signer_info, [asn1_x509.Certificate.load(der) for der in pinned]
    )
    if signer_certificate is None:
        return _invalid("the biometric attestation is not signed by a trusted biometric service")
    service = pinned[signer_certificate.dump()]
    fingerprint = signer_certificate.sha256.hex()
    if not service.not_valid_before_utc <= at <= service.not_valid_after_utc:
        return _invalid("the biometric service certificate is not valid at the login time")
    content = cms.encapsulated_content(signed_data)
    if content is None or not _signature_holds(signer_info, signer_certificate, content):
        return _invalid("the biometric attestation's signature does not verify")
    statement = _parse_statement(content)
    if statement is None:
        return _invalid("the biometric statement is not the expected JSON object")
    checked_at = statement["checked_at"]
    if not hmac.compare_digest(statement["iin"], iin):
        return _invalid("the biometric attestation is for another person", checked_at, fingerprint)
    if not hmac.compare_digest(statement["challenge_id"], challenge_id):
        return _invalid("the biometric attestation is for another login challenge", checked_at, fingerprint)
    if statement["result"] != "passed":
        return _invalid("the biometric check did not pass", checked_at, fingerprint)
    if checked_at > at + clock_skew:
        return _invalid("the biometric attestation is dated in the future", checked_at, fingerprint)
    if at - checked_at > max_age:
        return BiometricCheck(
            Reason.BIOMETRIC_STALE,
            f"the biometric check is older than {int(max_age.total_seconds())} s; repeat it",
            checked_at,
            fingerprint,
        )
    return BiometricCheck(None, "biometric check passed", checked_at, fingerprint)


def _signature_holds(signer_info: Any, certificate: asn1_x509.Certificate, content: bytes) -> bool:
    digest_oid = signer_info["digest_algorithm"]["algorithm"].dotted
    try:
        signed = cms.signed_attributes_der(signer_info)
        if signed is None:
            signed = content
        else:
            digests = cms.attribute_values(signer_info, oids.ATTR_MESSAGE_DIGEST)
            if not digests or len(digests) != 1 or digests[0].native != cms.digest(digest_oid, content):
                return False
        return verify_signature(
            certificate.public_key.dump(),
            signer_info["signature_algorithm"],
            signed,
            signer_info["signature"].native,
            digest_algorithm=digest_oid,
        )
    except (KzPkiError, ValueError, TypeError):
        return False


def _parse_statement(content: bytes) -> dict[str, Any] | None:
    try:
        statement = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(statement, dict) or set(statement) != _FIELDS:
        return None
    if not all(isinstance(statement[k], str) for k in _FIELDS):
        return None
    try:
        checked_at = dt.datetime.fromisoformat(statement["checked_at"])
    except ValueError:
        return None
    if checked_at.tzinfo is None:
        return None
    return {**statement, "checked_at": checked_at.astimezone(dt.UTC)}


def _invalid(
    message: str, checked_at: dt.datetime | None = None, fingerprint: str | None = None
) -> BiometricCheck:
    return BiometricCheck(Reason.BIOMETRIC_INVALID, message, checked_at, fingerprint)
