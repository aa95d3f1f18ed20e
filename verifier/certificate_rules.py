"""The rules that read one certificate on its own: its validity at a time and its key usage (EDS-10, UNIS-3).

Each gives one :class:`~verifier.verdict.Check` of the verdict; neither looks at anything but the
certificate and the policy (the path is :mod:`verifier.chain`'s).
"""

from __future__ import annotations

import datetime as dt

from pki import oids
from pki.errors import InvalidInput
from pki.reasons import Reason
from verifier.certificate import Cert
from verifier.policy import Purpose, VerificationPolicy
from verifier.verdict import Check, CheckId, CheckStatus

__all__ = ["check_key_usage", "check_validity"]


def check_validity(cert: Cert, at: dt.datetime, skew: dt.timedelta, signer: int | None) -> Check:
    """notBefore <= at <= notAfter, each bound widened by ``skew`` (exact by default: RFC 5280 4.1.2.5).

    ``at`` is compared at the granularity of the encoding, whole seconds (x509-limbo's
    notafter/notbefore-fractional cases; pyca/cryptography and Go do the same).
    """
    at = at.replace(microsecond=0)
    if at + skew < cert.not_before:
        return Check(
            CheckId.VALIDITY,
            CheckStatus.FAILED,
            f"the certificate is valid only from {cert.not_before.isoformat()}",
            Reason.CERTIFICATE_NOT_YET_VALID,
            signer,
        )
    if at - skew > cert.not_after:
        return Check(
            CheckId.VALIDITY,
            CheckStatus.FAILED,
            f"the certificate expired at {cert.not_after.isoformat()}",
            Reason.CERTIFICATE_EXPIRED,
            signer,
        )
    return Check(
        CheckId.VALIDITY, CheckStatus.PASSED, "the certificate is valid at the validation time", None, signer
    )


def check_key_usage(cert: Cert, policy: VerificationPolicy, signer: int | None) -> Check:
    """EDS-10 scope: the key may be used for ``policy.purpose`` (nca-profile.md "Key usage").

    Login (UNIS-3, UNIS-8): the current single-key profile (policy 1.2.398.3.3.2) with
    digitalSignature, or digitalSignature plus an EKU with clientAuth (the AUTH key) or no EKU at
    all (state-bodies CA leaves). A SIGN key (EKU without clientAuth) is refused.
    Document: nonRepudiation, or the single-key profile with digitalSignature.
    Time stamp (RFC 3161 2.3): an extended key usage of id-kp-timeStamping only, marked critical.
    """
    try:
        cert.extensions  # noqa: B018 - undecodable extensions: no usage can be read
    except InvalidInput as exc:
        return Check(CheckId.KEY_USAGE, CheckStatus.FAILED, exc.message, Reason.WRONG_KEY_USAGE, signer)
    if policy.purpose is Purpose.TIMESTAMP:
        return _check_tsa_usage(cert, signer)
    usage = cert.key_usage
    digital_signature = "digital_signature" in usage or not cert.has_key_usage
    single_key = bool(policy.single_key_policies.intersection(cert.policies)) and digital_signature
    if policy.purpose is Purpose.LOGIN:
        eku = cert.extended_key_usage
        allowed = single_key or (digital_signature and (eku is None or oids.EKU_CLIENT_AUTH in eku))
        wanted = "an authentication key (digitalSignature with clientAuth) or the single-key profile"
    else:
        allowed = single_key or "non_repudiation" in usage or not cert.has_key_usage
        wanted = "a signing key (nonRepudiation) or the single-key profile"
    if allowed:
        return Check(
            CheckId.KEY_USAGE,
            CheckStatus.PASSED,
            f"the key may be used for {policy.purpose.value}",
            None,
            signer,
        )
    return Check(
        CheckId.KEY_USAGE,
        CheckStatus.FAILED,
        f"{policy.purpose.value} needs {wanted}; the certificate has key usage "
        f"{sorted(usage)} and extended key usage {list(cert.extended_key_usage or ())}",
        Reason.WRONG_KEY_USAGE,
        signer,
    )


def _check_tsa_usage(cert: Cert, signer: int | None) -> Check:
    """RFC 3161 2.3: one extended key usage, id-kp-timeStamping, critical; RFC 5280 4.2.1.3: a keyUsage,
    when present (the NCA's TSA certificate has none), allows signing (digitalSignature or nonRepudiation)."""
    extension = cert.extensions.get(oids.EXT_EXTENDED_KEY_USAGE)
    tsa_eku = (
        extension is not None and extension.critical and cert.extended_key_usage == (oids.EKU_TIME_STAMPING,)
    )
    signs = not cert.has_key_usage or bool({"digital_signature", "non_repudiation"} & cert.key_usage)
    if tsa_eku and signs:
        return Check(
            CheckId.KEY_USAGE,
            CheckStatus.PASSED,
            "a time-stamping authority's key (RFC 3161 2.3)",
            None,
            signer,
        )
    return Check(
        CheckId.KEY_USAGE,
        CheckStatus.FAILED,
        "a time-stamp needs a certificate whose only extended key usage is id-kp-timeStamping, critical "
        f"(RFC 3161 2.3), and a key usage that allows signing; it has extended key usage "
        f"{list(cert.extended_key_usage or ())}"
        f"{'' if extension is None else ' (critical)' if extension.critical else ' (not critical)'} "
        f"and key usage {sorted(cert.key_usage) if cert.has_key_usage else 'absent'}",
        Reason.WRONG_KEY_USAGE,
        signer,
    )
