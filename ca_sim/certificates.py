"""Turning a profile, an issuer and a subject into a signed X.509 certificate.

:class:`CertificateMinter` holds one issuer's key and keeps, per (profile, roles, key storage), a builder
template with the issuer name and every extension that does not depend on the subject, so issuing a
certificate only adds the subject, its key, serial, validity and key identifier before signing (the
issuance hot path; ``cryptography`` builders are immutable, so templates are shared safely).

Subject keys ``cryptography`` cannot hold (GOST, ``pki.gost.GostPublicKey``) take the same path: the
builder gets a fixed placeholder key and ``ca_sim.signing`` writes the real SubjectPublicKeyInfo into the
TBS before it is signed (:func:`subject_public_key_parts`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any, ClassVar

from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID

from ca_sim.profiles import CaUrls, KeyStorage, LegalRole, Profile
from ca_sim.signing import CaPrivateKey, sign_certificate
from pki import gost, oids
from pki.key_usage import KEY_USAGE_ARGUMENTS
from pki.keys import PublicKey

_Extension = tuple[x509.ExtensionType, bool]

# A subject public key: one ``cryptography`` holds, or a GOST one.
SubjectPublicKey = PublicKey | gost.GostPublicKey

# Stands in for a GOST subject key in the builder; never reaches a signed certificate (replaced in the TBS).
_PLACEHOLDER_KEY = ec.derive_private_key(1, ec.SECP256R1()).public_key()


class _RawSubjectPublicKeyInfo(core.Sequence):
    """SubjectPublicKeyInfo read without interpreting the algorithm (asn1crypto refuses the GOST OIDs)."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("algorithm", core.Any),
        ("subject_public_key", core.OctetBitString),
    ]


def _key_bits(spki_der: bytes) -> bytes:
    """The subjectPublicKey BIT STRING value (no unused-bits octet) of a DER SubjectPublicKeyInfo."""
    return _RawSubjectPublicKeyInfo.load(spki_der)["subject_public_key"].contents[1:]


def subject_key_bits(certificate_der: bytes) -> bytes:
    """The subjectPublicKey BIT STRING value (no unused-bits octet) of a DER certificate, for any key
    algorithm: what OCSP issuerKeyHash and responder byKey hash (RFC 6960 4.1.1, 4.2.1)."""
    # The SubjectPublicKeyInfo is taken as raw DER: asn1crypto parses it lazily, and only _key_bits reads it.
    tbs = asn1_x509.Certificate.load(certificate_der)["tbs_certificate"]
    return _key_bits(tbs["subject_public_key_info"].dump())


def key_identifier_of(public_key: SubjectPublicKey) -> bytes:
    """The subjectKeyIdentifier of ``public_key``: SHA-1 of the subjectPublicKey BIT STRING (RFC 5280
    4.2.1.2 method 1), for GOST keys as for the others."""
    if isinstance(public_key, gost.GostPublicKey):
        return hashlib.sha1(_key_bits(public_key.to_spki_der()), usedforsecurity=False).digest()
    return x509.SubjectKeyIdentifier.from_public_key(public_key).digest


def subject_public_key_parts(public_key: SubjectPublicKey) -> tuple[PublicKey, bytes | None]:
    """(key for the ``cryptography`` builder, DER SubjectPublicKeyInfo to write into the TBS or None)."""
    if isinstance(public_key, gost.GostPublicKey):
        return _PLACEHOLDER_KEY, public_key.to_spki_der()
    return public_key, None


def new_serial() -> int:
    """A serial of exactly 20 random octets whose first octet is 0x10-0x7F.

    nca-profile.md: 20 random bytes, first byte >= 0x10. RFC 5280 4.1.2.2: positive and at most 20
    octets in DER, so the first octet also stays below 0x80 (no leading zero octet needed).
    """
    first = 0x10 + secrets.randbelow(0x70)
    return int.from_bytes(bytes([first]) + secrets.token_bytes(19), "big")


def truncate_to_second(value: dt.datetime) -> dt.datetime:
    """X.509 times have one-second resolution: drop the microseconds so what is stored is what is signed."""
    return value.replace(microsecond=0)


@dataclass(frozen=True)
class IssuerKey:
    """What a certificate needs from its issuer: name, signing key, key identifier and public URLs."""

    name: x509.Name
    private_key: CaPrivateKey = field(repr=False)
    key_identifier: bytes
    urls: CaUrls
    cps_url: str


class CertificateMinter:
    """Signs certificates for one issuer, reusing the subject-independent extensions.

    Thread-safe: the cache only ever gains immutable entries.
    """

    def __init__(self, issuer: IssuerKey) -> None:
        self.issuer = issuer
        self._templates: dict[
            tuple[Profile, tuple[LegalRole, ...], KeyStorage | None], x509.CertificateBuilder
        ] = {}

    def mint(
        self,
        profile: Profile,
        subject: x509.Name,
        public_key: SubjectPublicKey,
        not_before: dt.datetime,
        not_after: dt.datetime,
        *,
        roles: tuple[LegalRole, ...] = (),
        storage: KeyStorage | None = None,
        serial: int | None = None,
    ) -> x509.Certificate:
        """A certificate for ``subject``/``public_key`` in ``profile``, signed by the issuer.

        ``not_before``/``not_after`` are tz-aware and used to the second (microseconds dropped);
        ``serial`` defaults to :func:`new_serial`. ``storage`` is recorded when the profile records
        the key storage means (EDS-15.1). ``public_key`` may be a GOST key (:func:`subject_public_key_parts`).
        Raises UnsupportedAlgorithm for a CA key without a signer.
        """
        builder_key, spki = subject_public_key_parts(public_key)
        builder = (
            self._template(profile, roles, storage)
            .subject_name(subject)
            .public_key(builder_key)
            .serial_number(new_serial() if serial is None else serial)
            .not_valid_before(truncate_to_second(not_before))
            .not_valid_after(truncate_to_second(not_after))
            .add_extension(x509.SubjectKeyIdentifier(key_identifier_of(public_key)), critical=False)
        )
        return sign_certificate(builder, self.issuer.private_key, spki)

    def _template(
        self, profile: Profile, roles: tuple[LegalRole, ...], storage: KeyStorage | None
    ) -> x509.CertificateBuilder:
        """The builder with the issuer and the subject-independent extensions, built once per key."""
        key = (profile, roles, storage if profile.records_key_storage else None)
        template = self._templates.get(key)
        if template is None:
            template = x509.CertificateBuilder().issuer_name(self.issuer.name)
            for extension, critical in _profile_extensions(self.issuer, profile, roles, key[2]):
                template = template.add_extension(extension, critical=critical)
            self._templates[key] = template
        return template


def _profile_extensions(
    issuer: IssuerKey, profile: Profile, roles: tuple[LegalRole, ...], storage: KeyStorage | None
) -> list[_Extension]:
    """The extensions of ``profile`` that are the same for every subject, in the real NCA order."""
    extensions: list[_Extension] = []
    if profile.ca:
        extensions.append((x509.BasicConstraints(ca=True, path_length=profile.path_length), True))
    wanted = {bit.value for bit in profile.key_usage}
    bits = {name: name in wanted for name in KEY_USAGE_ARGUMENTS}
    extensions.append((x509.KeyUsage(encipher_only=False, decipher_only=False, **bits), True))
    eku = profile.extended_key_usage_for(roles)
    if eku:
        usage = x509.ExtendedKeyUsage([x509.ObjectIdentifier(o) for o in eku])
        extensions.append((usage, profile.extended_key_usage_critical))
    extensions.append(
        (x509.AuthorityKeyIdentifier(issuer.key_identifier, None, None), False),
    )
    if profile.policies:
        policies = [
            x509.PolicyInformation(x509.ObjectIdentifier(p), [issuer.cps_url]) for p in profile.policies
        ]
        extensions.append((x509.CertificatePolicies(policies), False))
    if profile.revocation_pointers:
        extensions.append((x509.CRLDistributionPoints([_distribution_point(issuer.urls.crl_url)]), False))
        extensions.append((x509.FreshestCRL([_distribution_point(issuer.urls.delta_crl_url)]), False))
        access = [
            x509.AccessDescription(
                AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(issuer.urls.cert_url)
            ),
            x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(issuer.urls.ocsp_url)
            ),
        ]
        extensions.append((x509.AuthorityInformationAccess(access), False))
    if profile.ocsp_nocheck:
        extensions.append((x509.OCSPNoCheck(), False))
    if storage is not None:
        means = core.UTF8String(storage.description).dump()
        extensions.append(
            (x509.UnrecognizedExtension(x509.ObjectIdentifier(oids.EXT_KEY_STORAGE_MEANS), means), False)
        )
    return extensions


def _distribution_point(url: str) -> x509.DistributionPoint:
    return x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(url)], relative_name=None, reasons=None, crl_issuer=None
    )
