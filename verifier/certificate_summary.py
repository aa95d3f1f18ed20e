"""The verdict's summary of a certificate (:class:`~verifier.verdict.CertificateSummary`), memoised by DER."""

from __future__ import annotations

from pki.errors import InvalidInput
from verifier.certificate import Cert
from verifier.memo import Memo, small_der
from verifier.verdict import CertificateSummary

__all__ = ["summarize", "summary_of"]

_SUMMARIES: Memo[bytes, CertificateSummary] = Memo(4096, admit=small_der)


def summary_of(cert: Cert) -> CertificateSummary:
    """:func:`summarize` memoised by DER (a pure function of the certificate), computed from ``cert`` on a
    miss (the caller's parse is reused)."""
    return _SUMMARIES.get(cert.der, lambda: summarize(cert))


def summarize(cert: Cert) -> CertificateSummary:
    """The verdict's view of ``cert`` (extension-derived fields empty when the extensions cannot be
    decoded: the chain check reports that)."""
    crypto = cert.crypto
    try:
        cert.extensions  # noqa: B018
    except InvalidInput:
        return CertificateSummary(
            subject=cert.display_name,
            issuer=cert.issuer_name.rfc4514_string(),
            serial=cert.serial_hex,
            not_before=cert.not_before,
            not_after=cert.not_after,
            sha256=cert.sha256.hex(),
            key_usage=(),
            extended_key_usage=(),
            policies=(),
            signature_algorithm=crypto.signature_algorithm_oid.dotted_string,
        )
    return CertificateSummary(
        subject=cert.subject_name.rfc4514_string(),
        issuer=cert.issuer_name.rfc4514_string(),
        serial=cert.serial_hex,
        not_before=cert.not_before,
        not_after=cert.not_after,
        sha256=cert.sha256.hex(),
        key_usage=tuple(sorted(cert.key_usage)),
        extended_key_usage=cert.extended_key_usage or (),
        policies=cert.policies,
        signature_algorithm=crypto.signature_algorithm_oid.dotted_string,
    )
