"""The signed attributes of a CMS SignerInfo and their checks: content-type, message-digest and
signing-certificate (RFC 5652 11.1-11.3, RFC 5035 5.4), each a :class:`~verifier.verdict.Check` of the
signer at ``index``; ``verifier.cms`` runs them for every signer that has signed attributes."""

from __future__ import annotations

import datetime as dt

from pki import oids
from pki.cms import SignedAttributes, digest, first_cert_id
from pki.errors import UnsupportedAlgorithm
from pki.reasons import Reason
from verifier.certificate import Cert
from verifier.verdict import Check, CheckId, CheckStatus

__all__ = ["attribute_checks", "signing_time"]


def attribute_checks(
    attributes: SignedAttributes,
    cert: Cert,
    content: bytes | None,
    content_type: str,
    digest_oid: str | None,
    index: int,
) -> list[Check]:
    """content-type, message-digest and signing-certificate (RFC 5652 11.1, 11.2; RFC 5035)."""
    return [
        _content_type_check(attributes, content_type, index),
        _message_digest_check(attributes, content, digest_oid, index),
        _signing_certificate_check(attributes, cert, index),
    ]


def _content_type_check(attributes: SignedAttributes, content_type: str, index: int) -> Check:
    """RFC 5652 11.1: one content-type attribute, naming the type of the content."""
    types = attributes.values(oids.ATTR_CONTENT_TYPE)
    if types is None or len(types) != 1:
        return _not_once(CheckId.CONTENT_TYPE, "content-type", index)
    if types[0].dotted != content_type:
        message = f"the signed content-type {types[0].dotted} differs from the content's {content_type}"
        return Check(CheckId.CONTENT_TYPE, CheckStatus.FAILED, message, Reason.CONTENT_MISMATCH, index)
    return Check(CheckId.CONTENT_TYPE, CheckStatus.PASSED, "the content type is signed", None, index)


def _message_digest_check(
    attributes: SignedAttributes, content: bytes | None, digest_oid: str | None, index: int
) -> Check:
    """RFC 5652 11.2: one message-digest attribute, the digest of the content (skipped without either)."""
    digests = attributes.values(oids.ATTR_MESSAGE_DIGEST)
    if digests is None or len(digests) != 1:
        return _not_once(CheckId.MESSAGE_DIGEST, "message-digest", index)
    if content is None or digest_oid is None:
        message = "not checked: no content or no usable digest"
        return Check(CheckId.MESSAGE_DIGEST, CheckStatus.SKIPPED, message, None, index)
    matches = digests[0].native == digest(digest_oid, content)
    return Check.of_digest(CheckId.MESSAGE_DIGEST, matches, "content", "message-digest", index)


def _not_once(check_id: CheckId, attribute: str, index: int) -> Check:
    message = f"the {attribute} signed attribute must be present exactly once"
    return Check(check_id, CheckStatus.FAILED, message, Reason.MALFORMED_SIGNATURE, index)


def _signing_certificate_check(attributes: SignedAttributes, cert: Cert, index: int) -> Check:
    """signingCertificateV2 (or v1) names the signer's certificate (RFC 5035 5.4).

    The certificate hash is what binds the attribute to a certificate: it covers the issuer and
    serial too, so the optional issuerSerial (a lookup hint) adds nothing once the hash matches.
    """
    values = attributes.values(oids.ATTR_SIGNING_CERTIFICATE_V2)
    version = "signingCertificateV2"
    if values is None:
        values = attributes.values(oids.ATTR_SIGNING_CERTIFICATE)
        version = "signingCertificate"
    if values is None:
        return Check(
            CheckId.SIGNING_CERTIFICATE, CheckStatus.SKIPPED, "no signing-certificate attribute", None, index
        )
    try:
        hash_oid, cert_hash = first_cert_id(values[0])
        matches = cert_hash == digest(hash_oid, cert.der)
    except (ValueError, TypeError, KeyError, IndexError, UnsupportedAlgorithm):
        return Check(
            CheckId.SIGNING_CERTIFICATE,
            CheckStatus.FAILED,
            f"the {version} attribute cannot be read",
            Reason.MALFORMED_SIGNATURE,
            index,
        )
    if not matches:
        return Check(
            CheckId.SIGNING_CERTIFICATE,
            CheckStatus.FAILED,
            f"{version} names another certificate than the signer's",
            Reason.SIGNING_CERTIFICATE_MISMATCH,
            index,
        )
    return Check(
        CheckId.SIGNING_CERTIFICATE,
        CheckStatus.PASSED,
        f"{version} names the signer's certificate",
        None,
        index,
    )


def signing_time(attributes: SignedAttributes) -> dt.datetime | None:
    """The signingTime attribute's value (RFC 5652 11.3), None when absent or unreadable."""
    try:
        values = attributes.values(oids.ATTR_SIGNING_TIME)
        return None if not values else values[0].native
    except (ValueError, TypeError):
        return None
