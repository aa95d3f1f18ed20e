"""A small PKI built with ``cryptography`` for the verifier's failure-mode tests.

Root -> nca -> leaves, a delegated OCSP responder, CRL and OCSP builders with every knob the tests
turn (stale, forged, delta, hold, wrong responder, nonce). P-256 keys keep it fast; it is built once
per session. Validation time is :data:`T0`. The fixture scenarios of ca_sim are tested separately
(test_fixture_scenarios.py); this PKI exists to make the broken objects a real CA never would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID

from pki import keys, oids
from pki.iin import Sex, make_iin
from pki.names import Organization, Person, build_ca_subject, build_subject
from verifier import InProcessRevocationSource, StaticRevocationSource, VerificationPolicy, Verifier

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
BASE = "http://pki.test.kz"
ADULT_IIN = make_iin(dt.date(1985, 4, 12), Sex.MALE, 1234)
ROLE_INDIVIDUAL = x509.ObjectIdentifier(oids.ROLE_INDIVIDUAL)


@dataclass(frozen=True)
class Issued:
    key: keys.PrivateKey
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return keys.certificate_der(self.cert)


@dataclass
class MiniPki:
    root: Issued
    nca: Issued
    responder: Issued
    _serial: int = field(default=1000)

    # --- certificates ---------------------------------------------------------------------------

    def next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def leaf(
        self,
        kind: str = "auth",
        *,
        iin: str = ADULT_IIN,
        organization: Organization | None = None,
        not_before: dt.datetime = T0 - dt.timedelta(days=30),
        not_after: dt.datetime = T0 + dt.timedelta(days=335),
        issuer: Issued | None = None,
        key: keys.PrivateKey | None = None,
        ocsp_url: bool = True,
        base: str = BASE,
        extra: Sequence[tuple[x509.ExtensionType, bool]] = (),
    ) -> Issued:
        """An end-entity certificate of the NCA profile ``kind``: auth, sign, single, legal, gov; or tsa."""
        issuer = issuer or self.nca
        key = key or ec.generate_private_key(ec.SECP256R1())
        subject = build_subject(Person("ТЕСТОВ", "АЙДАР", "СЕРІКҰЛЫ", iin), organization)
        usage = {
            "auth": dict(digital_signature=True, key_encipherment=True),
            "sign": dict(digital_signature=True, content_commitment=True),
            "single": dict(digital_signature=True, content_commitment=True, key_agreement=True),
            "legal": dict(digital_signature=True, key_encipherment=True),
            "gov": dict(digital_signature=True, content_commitment=True),
            "tsa": dict(digital_signature=True, content_commitment=True),
        }[kind]
        eku = {
            "auth": [ExtendedKeyUsageOID.CLIENT_AUTH, ROLE_INDIVIDUAL],
            "sign": [ExtendedKeyUsageOID.EMAIL_PROTECTION, ROLE_INDIVIDUAL],
            "single": [ExtendedKeyUsageOID.EMAIL_PROTECTION, ROLE_INDIVIDUAL],
            "legal": [
                ExtendedKeyUsageOID.CLIENT_AUTH,
                x509.ObjectIdentifier(oids.ROLE_LEGAL_ENTITY),
                x509.ObjectIdentifier(oids.ROLE_FIRST_HEAD),
            ],
            "gov": None,
            "tsa": [ExtendedKeyUsageOID.TIME_STAMPING],
        }[kind]
        policy = {
            "auth": oids.POLICY_INDIVIDUAL_AUTH,
            "sign": oids.POLICY_INDIVIDUAL_SIGN,
            "single": oids.POLICY_SINGLE_KEY,
            "legal": oids.POLICY_LEGAL_AUTH,
            "gov": oids.POLICY_GOV_USER,
            "tsa": oids.POLICY_GOV_USER,
        }[kind]
        builder = _builder(
            subject, issuer.cert.subject, key.public_key(), self.next_serial(), not_before, not_after
        )
        builder = builder.add_extension(_key_usage(**usage), critical=True)
        if eku is not None:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage(eku), critical=kind == "tsa"
            )  # RFC 3161 2.3
        builder = builder.add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]),
            critical=False,
        )
        builder = _authority_extensions(builder, issuer, ocsp_url, base)
        for extension, critical in extra:
            builder = builder.add_extension(extension, critical=critical)
        return Issued(key, builder.sign(issuer.key, hashes.SHA256()))

    def ca(
        self,
        name: str,
        issuer: Issued,
        *,
        ca: bool = True,
        path_length: int | None = None,
        extra: Sequence[tuple[x509.ExtensionType, bool]] = (),
        not_after: dt.datetime = T0 + dt.timedelta(days=2000),
    ) -> Issued:
        """A CA certificate issued by ``issuer``; ``extra``: further (extension, critical) pairs."""
        key = ec.generate_private_key(ec.SECP256R1())
        builder = _builder(
            build_ca_subject(name),
            issuer.cert.subject,
            key.public_key(),
            self.next_serial(),
            T0 - dt.timedelta(days=400),
            not_after,
        )
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        builder = builder.add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        builder = _authority_extensions(builder, issuer, ocsp_url=False)
        for extension, critical in extra:
            builder = builder.add_extension(extension, critical=critical)
        return Issued(key, builder.sign(issuer.key, hashes.SHA256()))

    # --- revocation data ------------------------------------------------------------------------

    def crl(
        self,
        revoked: Sequence[tuple[int, dt.datetime, x509.ReasonFlags | None]] = (),
        *,
        issuer: Issued | None = None,
        signer: keys.PrivateKey | None = None,
        number: int = 1,
        base: int | None = None,
        this_update: dt.datetime = T0 - dt.timedelta(hours=1),
        next_update: dt.datetime | None = T0 + dt.timedelta(hours=26),
        freshest: bool = False,
    ) -> bytes:
        """A CRL of ``issuer`` (default nca); ``base`` makes it a delta CRL; ``signer`` forges it."""
        issuer = issuer or self.nca
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer.cert.subject)
            .last_update(this_update)
            .add_extension(x509.CRLNumber(number), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
            )
        )
        if next_update is not None:
            builder = builder.next_update(next_update)
        if base is not None:
            builder = builder.add_extension(x509.DeltaCRLIndicator(base), critical=True)
        if freshest:
            point = x509.DistributionPoint(
                [x509.UniformResourceIdentifier(f"{BASE}/crl/nca_d.crl")], None, None, None
            )
            builder = builder.add_extension(x509.FreshestCRL([point]), critical=False)
        for serial, when, reason in revoked:
            entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
            if reason is not None:
                entry = entry.add_extension(x509.CRLReason(reason), critical=False)
            builder = builder.add_revoked_certificate(entry.build())
        return builder.sign(signer or issuer.key, hashes.SHA256()).public_bytes(Encoding.DER)

    def ocsp(
        self,
        cert: x509.Certificate,
        status: str = "good",
        *,
        nonce: bytes | None = None,
        this_update: dt.datetime = T0 - dt.timedelta(minutes=1),
        next_update: dt.datetime | None = None,
        revocation_time: dt.datetime = T0 - dt.timedelta(days=1),
        reason: x509.ReasonFlags | None = x509.ReasonFlags.key_compromise,
        responder: Issued | None = None,
        issuer: Issued | None = None,
    ) -> bytes:
        """An OCSP response about ``cert`` signed by ``responder`` (default: the delegated responder)."""
        issuer = issuer or self.nca
        responder = responder or self.responder
        cert_status = {
            "good": ocsp.OCSPCertStatus.GOOD,
            "revoked": ocsp.OCSPCertStatus.REVOKED,
            "unknown": ocsp.OCSPCertStatus.UNKNOWN,
        }[status]
        revoked = status == "revoked"
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert,
                issuer.cert,
                hashes.SHA256(),
                cert_status,
                this_update,
                next_update,
                revocation_time if revoked else None,
                reason if revoked else None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, responder.cert)
        )
        if responder.cert != issuer.cert:
            builder = builder.certificates([responder.cert])
        if nonce is not None:
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        return builder.sign(responder.key, hashes.SHA256()).public_bytes(Encoding.DER)

    def responder_certificate(
        self, *, issuer: Issued | None = None, ocsp_signing: bool = True, nocheck: bool = True
    ) -> Issued:
        issuer = issuer or self.nca
        key = ec.generate_private_key(ec.SECP256R1())
        builder = _builder(
            build_ca_subject("OCSP RESPONDER (TEST)"),
            issuer.cert.subject,
            key.public_key(),
            self.next_serial(),
            T0 - dt.timedelta(days=30),
            T0 + dt.timedelta(days=30),
        )
        builder = builder.add_extension(_key_usage(digital_signature=True), critical=True)
        if ocsp_signing:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False
            )
        if nocheck:
            builder = builder.add_extension(x509.OCSPNoCheck(), critical=False)
        builder = _authority_extensions(builder, issuer, ocsp_url=False)
        return Issued(key, builder.sign(issuer.key, hashes.SHA256()))

    # --- verifier -------------------------------------------------------------------------------

    def policy(self, **changes: object) -> VerificationPolicy:
        policy = VerificationPolicy(trust_anchors=(self.root.der,), intermediates=(self.nca.der,))
        return dataclasses.replace(policy, **changes)  # type: ignore[arg-type]

    def root_crl(self) -> bytes:
        return self.crl(issuer=self.root, number=1)

    def static_source(
        self, crls: Sequence[bytes] = (), ocsps: Sequence[bytes] = ()
    ) -> StaticRevocationSource:
        """A static source that also carries the root's CRL (the nca CA's own status)."""
        return StaticRevocationSource(crls=[self.root_crl(), *crls], ocsp_responses=ocsps)

    def verifier(
        self, crls: Sequence[bytes] = (), ocsps: Sequence[bytes] = (), **changes: object
    ) -> Verifier:
        return Verifier(self.policy(**changes), self.static_source(crls, ocsps))


class ResponderDouble(InProcessRevocationSource):
    """Test double of an OCSP responder + CRL distribution point for ``certificates``: counts calls.

    The response echoes the request's nonce unless ``wrong_nonce`` is set.
    """

    def __init__(
        self,
        pki: MiniPki,
        certificates: Sequence[x509.Certificate],
        status: str = "good",
        crls: Sequence[bytes] = (),
        **ocsp_options: object,
    ) -> None:
        self.pki = pki
        self.known = {c.serial_number: c for c in certificates}
        self.status = status
        self.ocsp_options = ocsp_options
        self.crl_list = [pki.root_crl(), *crls]
        self.ocsp_calls = 0
        self.crl_calls = 0
        self.wrong_nonce = False
        super().__init__(crls=self._crls, ocsp=self._answer)

    def _crls(self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime) -> list[bytes]:
        self.crl_calls += 1
        return self.crl_list

    def _answer(self, request_der: bytes, at: dt.datetime) -> bytes:
        self.ocsp_calls += 1
        request = ocsp.load_der_ocsp_request(request_der)
        nonce = None
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                nonce = extension.value.nonce
        if self.wrong_nonce:
            nonce = b"\x00" * 16
        target = self.known[request.serial_number]
        return self.pki.ocsp(target, self.status, nonce=nonce, **self.ocsp_options)  # type: ignore[arg-type]


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: object,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)  # type: ignore[arg-type]
    )


def _authority_extensions(
    builder: x509.CertificateBuilder, issuer: Issued, ocsp_url: bool, base: str = BASE
) -> x509.CertificateBuilder:
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
        critical=False,  # type: ignore[arg-type]
    )
    points = [
        x509.DistributionPoint([x509.UniformResourceIdentifier(f"{base}/crl/nca.crl")], None, None, None)
    ]
    builder = builder.add_extension(x509.CRLDistributionPoints(points), critical=False)
    if ocsp_url:
        access = [
            x509.AccessDescription(
                x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(f"{base}/ocsp/")
            )
        ]
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
    return builder


def _key_usage(**flags: bool) -> x509.KeyUsage:
    names = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    )
    return x509.KeyUsage(**{name: flags.get(name, False) for name in names})


def self_signed_root(name: str, extra: Sequence[tuple[x509.ExtensionType, bool]] = ()) -> Issued:
    """A self-signed root CA certificate; ``extra``: further (extension, critical) pairs."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = build_ca_subject(name)
    builder = _builder(
        subject, subject, key.public_key(), 1, T0 - dt.timedelta(days=3000), T0 + dt.timedelta(days=3000)
    )
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    builder = builder.add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
    for extension, critical in extra:
        builder = builder.add_extension(extension, critical=critical)
    return Issued(key, builder.sign(key, hashes.SHA256()))


@pytest.fixture(scope="session")
def pki() -> MiniPki:
    root = self_signed_root("TEST ROOT (SIM)")
    partial = MiniPki(root, root, root)
    nca = partial.ca("TEST NCA (SIM)", root)
    partial = MiniPki(root, nca, root, _serial=partial._serial)
    responder = partial.responder_certificate()
    return MiniPki(root, nca, responder, _serial=partial._serial)


@pytest.fixture(scope="session")
def foreign_root() -> Issued:
    return self_signed_root("FOREIGN ROOT (SIM)")
