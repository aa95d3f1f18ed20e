"""A certificate as the verifier sees it, and the rules that read one certificate on its own.

:class:`Cert` keeps the DER and parses lazily with asn1crypto (what pyhanko-certvalidator reads)
and ``cryptography`` (what revocation sources receive), each at most once. The key-usage rule
(EDS-10 scope, UNIS-3) lives here: it looks at nothing but the certificate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cached_property

from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from pki import oids
from pki.errors import InvalidInput
from pki.reasons import Reason
from verifier.policy import Purpose, VerificationPolicy
from verifier.verdict import CertificateSummary, Check, CheckStatus


class _RawExtension(core.Sequence):
    """An Extension whose value stays an uninterpreted OCTET STRING."""

    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("extn_id", core.ObjectIdentifier),
        ("critical", core.Boolean, {"default": False}),
        ("extn_value", core.OctetString),
    ]


class _RawExtensions(core.SequenceOf):
    _child_spec = _RawExtension


class Cert:
    """One certificate, parsed on demand. Equality and hashing follow the DER."""

    __slots__ = ("__dict__", "der")

    def __init__(self, der: bytes, asn1: asn1_x509.Certificate | None = None) -> None:
        self.der = der
        if asn1 is not None:
            self.__dict__["asn1"] = asn1

    @classmethod
    def load(cls, data: bytes) -> Cert:
        """A certificate from PEM or DER. Raises InvalidInput(``malformed_certificate``)."""
        der = data
        if data.lstrip().startswith(b"-----"):
            try:
                der = x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
            except ValueError:
                raise InvalidInput("malformed_certificate", "the certificate PEM cannot be decoded") from None
        cert = cls(der)
        try:
            cert.asn1.subject  # noqa: B018 - parse now: undecodable input is the caller's error
            cert.asn1.public_key  # noqa: B018
        except (ValueError, TypeError):
            raise InvalidInput("malformed_certificate", "the certificate DER cannot be decoded") from None
        return cert

    @classmethod
    def from_asn1(cls, certificate: asn1_x509.Certificate) -> Cert:
        return cls(certificate.dump(), certificate)

    @cached_property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.der)

    @cached_property
    def crypto(self) -> x509.Certificate:
        try:
            return x509.load_der_x509_certificate(self.der)
        except ValueError:
            raise InvalidInput("malformed_certificate", "the certificate DER cannot be decoded") from None

    @cached_property
    def sha256(self) -> bytes:
        return hashlib.sha256(self.der).digest()

    @cached_property
    def spki_der(self) -> bytes:
        return bytes(self.asn1.public_key.dump())

    @cached_property
    def subject_key(self) -> str:
        """Lookup key of the subject name (asn1crypto's normalised form, as pyhanko compares names)."""
        return str(self.asn1.subject.hashable)

    @cached_property
    def issuer_key(self) -> str:
        return str(self.asn1.issuer.hashable)

    @cached_property
    def raw_extensions(self) -> dict[str, tuple[bool, bytes]]:
        """Extension OID -> (critical, extnValue contents), read without interpreting any value.

        For certificates whose extension values asn1crypto / ``cryptography`` refuse (the real
        NCA OCSP responder's empty id-pkix-ocsp-nocheck).
        """
        field = self.asn1["tbs_certificate"]["extensions"]
        if isinstance(field, core.Void):
            return {}
        extensions = _RawExtensions.load(field.untag().dump())
        return {e["extn_id"].dotted: (bool(e["critical"].native), e["extn_value"].native) for e in extensions}

    @cached_property
    def not_before(self) -> dt.datetime:
        return self.asn1["tbs_certificate"]["validity"]["not_before"].native

    @cached_property
    def not_after(self) -> dt.datetime:
        return self.asn1["tbs_certificate"]["validity"]["not_after"].native

    @cached_property
    def key_usage(self) -> frozenset[str]:
        """asn1crypto names (digital_signature, non_repudiation, ...); empty when the extension is absent."""
        value = self.asn1.key_usage_value
        return frozenset(value.native) if value is not None else frozenset()

    @cached_property
    def has_key_usage(self) -> bool:
        return self.asn1.key_usage_value is not None

    @cached_property
    def extended_key_usage(self) -> tuple[str, ...] | None:
        """Dotted EKU OIDs; None when the extension is absent (then no EKU restriction applies)."""
        value = self.asn1.extended_key_usage_value
        return None if value is None else tuple(purpose.dotted for purpose in value)

    @cached_property
    def policies(self) -> tuple[str, ...]:
        value = self.asn1.certificate_policies_value
        return () if value is None else tuple(p["policy_identifier"].dotted for p in value)

    @cached_property
    def serial_hex(self) -> str:
        return format(self.asn1.serial_number, "X")

    @property
    def serial(self) -> int:
        return int(self.asn1.serial_number)

    @property
    def key_identifier(self) -> bytes | None:
        return self.asn1.key_identifier

    @property
    def authority_key_identifier(self) -> bytes | None:
        return self.asn1.authority_key_identifier

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cert) and other.der == self.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"Cert(serial={self.serial_hex}, subject={self.asn1.subject.human_friendly!r})"


def summarize(cert: Cert) -> CertificateSummary:
    """The verdict's view of ``cert``."""
    crypto = cert.crypto
    return CertificateSummary(
        subject=crypto.subject.rfc4514_string(),
        issuer=crypto.issuer.rfc4514_string(),
        serial=cert.serial_hex,
        not_before=cert.not_before,
        not_after=cert.not_after,
        sha256=cert.sha256.hex(),
        key_usage=tuple(sorted(cert.key_usage)),
        extended_key_usage=cert.extended_key_usage or (),
        policies=cert.policies,
        signature_algorithm=cert.asn1["signature_algorithm"]["algorithm"].dotted,
    )


def check_validity(cert: Cert, at: dt.datetime, skew: dt.timedelta, signer: int | None) -> Check:
    """notBefore <= at <= notAfter, each bound widened by ``skew`` (pyhanko-certvalidator's rule)."""
    if at + skew < cert.not_before:
        return Check(
            "validity",
            CheckStatus.FAILED,
            f"the certificate is valid only from {cert.not_before.isoformat()}",
            Reason.CERTIFICATE_NOT_YET_VALID,
            signer,
        )
    if at - skew > cert.not_after:
        return Check(
            "validity",
            CheckStatus.FAILED,
            f"the certificate expired at {cert.not_after.isoformat()}",
            Reason.CERTIFICATE_EXPIRED,
            signer,
        )
    return Check(
        "validity", CheckStatus.PASSED, "the certificate is valid at the validation time", None, signer
    )


def check_key_usage(cert: Cert, policy: VerificationPolicy, signer: int | None) -> Check:
    """EDS-10 scope: the key may be used for ``policy.purpose`` (nca-profile.md "Key usage").

    Login (UNIS-3, UNIS-8): the current single-key profile (policy 1.2.398.3.3.2) with
    digitalSignature, or digitalSignature plus an EKU with clientAuth (the AUTH key) or no EKU at
    all (state-bodies CA leaves). A SIGN key (EKU without clientAuth) is refused.
    Document: nonRepudiation, or the single-key profile with digitalSignature.
    """
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
            "key_usage", CheckStatus.PASSED, f"the key may be used for {policy.purpose.value}", None, signer
        )
    return Check(
        "key_usage",
        CheckStatus.FAILED,
        f"{policy.purpose.value} needs {wanted}; the certificate has key usage "
        f"{sorted(usage)} and extended key usage {list(cert.extended_key_usage or ())}",
        Reason.WRONG_KEY_USAGE,
        signer,
    )
