"""Issuing a certificate from an application, with the refusals of EDS-14-1 and EDS-14.

The registration authority part decides (:func:`check_documents`, the court-order list,
:func:`check_age`), the CA part signs (``ca_sim.certificates``), the register stores
(``ca_sim.certstore``). Checks run in the order of EDS-14-1, each refusal a
:class:`pki.errors.Refused` with a stable code and the offending field in ``data["field"]``:

1. ``incomplete_application``: a required field is missing (EDS-14-1 (1));
2. ``false_information``: the IIN or BIN fails its checksum or is malformed, the IIN's birth date or sex
   differs from the application, the CSR names someone else (EDS-14-1 (2));
3. ``court_decision``: a court order in force against the IIN (EDS-14-1 (3));
4. ``under_age``: younger than 16 on the issue date (EDS-14, EDS-14-1 (4)); 29 February birthdays turn
   16 on 1 March in non-leap years. The issue date is the UTC date of ``at``.

Undecodable CSRs raise InvalidInput(``malformed_csr``); a CSR whose signature does not verify with its
own key (no proof of possession) is Refused(``proof_of_possession_failed``); keys other than RSA >= 2048
bits or ECDSA P-256 raise UnsupportedAlgorithm(``unsupported_key_algorithm``). GOST subject keys are
issued on the "generate the key for me" path only (:data:`GostKeyType`: the CA makes a GOST R 34.10-2015
512-bit key and returns it with an NCA-style PKCS#12 from ``pki.gost.dump_pkcs12``); GOST CSRs are not
accepted (``cryptography`` cannot check their proof of possession).

A refused application writes nothing but its audit record. An issued certificate, its register entry and
its audit record are written in one transaction.

:class:`Lenient` exists for the fixtures generator ONLY: it lets deliberately broken certificates be made
(bad IIN checksum, under age, back-dated or post-dated validity). Nothing else passes it.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from cryptography import exceptions as crypto_exceptions
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from sqlalchemy.orm import Session, sessionmaker

from ca_sim.audit import AuditLog, Outcome
from ca_sim.certificates import SubjectPublicKey, new_serial, truncate_to_second
from ca_sim.certstore import record_certificate, serial_to_hex
from ca_sim.court_orders import order_in_force
from ca_sim.hierarchy import Hierarchy
from ca_sim.pkcs12_password import PKCS12_PASSWORD_POLICY
from ca_sim.profiles import CertificateKind, KeyStorage, LegalRole, Profile, SubjectType, profile_for
from pki import gost, keys, oids
from pki.calendar import ensure_utc, kz_date
from pki.errors import Conflict, ErrorCode, InvalidInput, KzPkiError, Refused, UnsupportedAlgorithm
from pki.iin import Iin, Sex, mask, parse_bin, parse_iin
from pki.names import IIN_PREFIX, Organization, Person, build_subject

MINIMUM_AGE = 16  # EDS-14
_ORGANIZATION_SUBJECTS = (SubjectType.LEGAL_ENTITY_EMPLOYEE, SubjectType.CIVIL_SERVANT)


class GostKeyType(enum.Enum):
    """GOST subject keys the CA can generate: the key OID of each (gost.md)."""

    GOST2015_512 = oids.KZ_GOST2015_512_KEY  # the NCA's current generation


# What "generate the key for me" can ask for.
GeneratedKeyType = keys.KeyType | GostKeyType
# A subject private key the CA generated.
SubjectPrivateKey = keys.PrivateKey | gost.GostPrivateKey


@dataclass(frozen=True)
class Application:
    """An application for a certificate: the applicant's identity documents and the key to certify.

    Either ``csr`` (PKCS#10, DER or PEM: the applicant keeps the key) or ``generate_key`` (the CA makes
    a key of that type and returns it in a PKCS#12 under ``pkcs12_password``). ``organization`` is the
    legal entity (for ``legal_*`` and ``information_system``) or the state body (for ``civil_servant``),
    with its BIN; ``roles`` are the legal-entity roles (nca-profile.md) for ``legal_*`` kinds.
    ``birth_date`` and ``sex`` are as written on the identity document; they must agree with the IIN.
    """

    kind: CertificateKind
    iin: str
    surname: str
    name: str
    patronymic: str = ""
    birth_date: dt.date | None = None
    sex: Sex | None = None
    email: str | None = None
    organization: Organization | None = None
    roles: tuple[LegalRole, ...] = ()
    key_storage: KeyStorage = KeyStorage.FILE
    csr: bytes | None = field(default=None, repr=False)
    generate_key: GeneratedKeyType | None = None
    pkcs12_password: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Lenient:
    """Fixtures generator ONLY: make a certificate the law forbids, to test that verifiers refuse it.

    Skips the IIN/BIN checksum and the age rule, the issuer-validity check, and replaces notBefore
    with ``not_before`` (back-dated: expired or issued long ago; post-dated: not yet valid). Incomplete
    applications, mismatching birth date or sex, and court orders are still refused.
    """

    not_before: dt.datetime | None = None


@dataclass(frozen=True)
class IssuedCertificate:
    """The result of an issuance. ``private_key``/``pkcs12`` only when the CA generated the key."""

    ca_id: str
    kind: CertificateKind
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]  # issuing CA first, root last
    private_key: SubjectPrivateKey | None = field(default=None, repr=False)
    pkcs12: bytes | None = field(default=None, repr=False)

    @property
    def serial(self) -> int:
        return self.certificate.serial_number


def check_documents(
    application: Application, *, lenient: bool = False
) -> tuple[Iin, x509.CertificateSigningRequest | None]:
    """EDS-14-1 (1) and (2): the application is complete and truthful.

    Returns the parsed IIN and the decoded CSR (None when the CA is to generate the key). Raises
    Refused(``incomplete_application`` / ``false_information``), InvalidInput for fields that do not
    belong to the kind, and the CSR errors of the module docstring. ``lenient`` skips the IIN/BIN
    checksums (fixtures only).
    """
    check_complete(application, profile_for(application.kind))
    csr = None if application.csr is None else load_csr(application.csr)
    return check_truthful(application, csr, lenient=lenient), csr


def check_complete(application: Application, profile: Profile) -> None:
    """EDS-14-1 (1): every document the kind needs is there, and nothing that does not belong to it; a
    generated key's PKCS#12 password meets ``ca_sim.pkcs12_password`` (EDS-21, InvalidInput
    ``weak_password``)."""
    required: list[tuple[str, object]] = [
        ("iin", application.iin),
        ("surname", application.surname),
        ("name", application.name),
        ("birth_date", application.birth_date),
        ("sex", application.sex),
    ]
    needs_organization = profile.subject in _ORGANIZATION_SUBJECTS
    if needs_organization:
        organization = application.organization
        required.append(("organization", organization))
        if organization is not None:
            required.append(("organization.name", organization.name))
            required.append(("organization.bin", organization.bin))
        if profile.roles_in_extended_key_usage:
            required.append(("roles", application.roles))
    for name, value in required:
        if value is None or (
            isinstance(value, (str, tuple)) and not (value.strip() if isinstance(value, str) else value)
        ):
            raise Refused(ErrorCode.INCOMPLETE_APPLICATION, f"the application lacks {name}", field=name)
    if application.organization is not None and not needs_organization:
        raise InvalidInput(
            ErrorCode.UNEXPECTED_FIELD,
            f"a {profile.kind.value} certificate names no organisation",
            field="organization",
        )
    if application.roles and not profile.roles_in_extended_key_usage:
        raise InvalidInput(
            ErrorCode.UNEXPECTED_FIELD, f"a {profile.kind.value} certificate carries no roles", field="roles"
        )
    if (application.csr is None) == (application.generate_key is None):
        raise Refused(
            ErrorCode.INCOMPLETE_APPLICATION,
            "csr / generate_key: give a CSR or ask the CA to generate the key (one of them)",
            field="csr",
        )
    if application.generate_key is not None:
        if not application.pkcs12_password:
            raise Refused(
                ErrorCode.INCOMPLETE_APPLICATION,
                "the application lacks pkcs12_password, the password of the PKCS#12 the CA returns",
                field="pkcs12_password",
            )
        if application.key_storage is not KeyStorage.FILE:
            raise InvalidInput(
                ErrorCode.UNEXPECTED_FIELD,
                "a key the CA generates is delivered as a PKCS#12 file",
                field="key_storage",
            )
        PKCS12_PASSWORD_POLICY.check(application.pkcs12_password, application.iin or "")


def check_truthful(
    application: Application, csr: x509.CertificateSigningRequest | None, *, lenient: bool = False
) -> Iin:
    """EDS-14-1 (2): the IIN (and BIN) are well formed and agree with the application and ``csr``.

    Returns the parsed IIN. Raises Refused(``false_information``) naming the field.
    """
    try:
        iin = parse_iin(application.iin, require_checksum=not lenient)
    except InvalidInput as exc:
        raise Refused(ErrorCode.FALSE_INFORMATION, f"iin: {exc.message}", field="iin") from None
    if iin.birth_date != application.birth_date:
        raise Refused(
            ErrorCode.FALSE_INFORMATION,
            "birth_date differs from the birth date encoded in the IIN",
            field="birth_date",
        )
    if iin.sex != application.sex:
        raise Refused(ErrorCode.FALSE_INFORMATION, "sex differs from the sex encoded in the IIN", field="sex")
    if application.organization is not None:
        try:
            parse_bin(application.organization.bin, require_checksum=not lenient)
        except InvalidInput as exc:
            raise Refused(
                ErrorCode.FALSE_INFORMATION, f"organization.bin: {exc.message}", field="organization.bin"
            ) from None
    if csr is not None:
        _check_csr_subject(csr, application)
    return iin


def check_age(iin: Iin, at: dt.datetime) -> None:
    """EDS-14: the owner is at least 16 on Kazakhstan's date of ``at`` (KZ-TIME; 29 Feb: 16 on 1 Mar)."""
    day = kz_date(at)
    age = iin.age_at(at)
    if age < MINIMUM_AGE:
        raise Refused(
            ErrorCode.UNDER_AGE,
            f"birth_date: the applicant is {age} on {day.isoformat()}; EDS-14 requires {MINIMUM_AGE}",
            field="birth_date",
            age=age,
        )


def load_csr(data: bytes) -> x509.CertificateSigningRequest:
    """Decode a PKCS#10 request (PEM or DER) and check its proof of possession and key.

    Raises InvalidInput(``malformed_csr``), Refused(``proof_of_possession_failed``),
    UnsupportedAlgorithm(``unsupported_key_algorithm``) (RSA below 2048 bits, curves other than P-256,
    any other algorithm).
    """
    try:
        if keys.is_pem(data):
            csr = x509.load_pem_x509_csr(data)
        else:
            csr = x509.load_der_x509_csr(data)
    except ValueError:
        raise InvalidInput(
            ErrorCode.MALFORMED_CSR, "csr: not a PKCS#10 request (PEM or DER)", field="csr"
        ) from None
    try:
        public_key = csr.public_key()
    except (ValueError, crypto_exceptions.UnsupportedAlgorithm):
        raise UnsupportedAlgorithm(
            ErrorCode.UNSUPPORTED_KEY_ALGORITHM, "csr: the key algorithm is not supported", field="csr"
        ) from None
    _check_key(public_key)
    try:
        valid = csr.is_signature_valid
    except crypto_exceptions.UnsupportedAlgorithm:
        raise UnsupportedAlgorithm(
            ErrorCode.UNSUPPORTED_KEY_ALGORITHM, "csr: the signature algorithm is not supported", field="csr"
        ) from None
    if not valid:
        raise Refused(
            ErrorCode.PROOF_OF_POSSESSION_FAILED,
            "csr: its signature does not verify with its own key (no proof of possession)",
            field="csr",
        )
    return csr


def _check_key(public_key: object) -> None:
    if isinstance(public_key, rsa.RSAPublicKey) and public_key.key_size >= 2048:
        return
    if isinstance(public_key, ec.EllipticCurvePublicKey) and isinstance(public_key.curve, ec.SECP256R1):
        return
    raise UnsupportedAlgorithm(
        ErrorCode.UNSUPPORTED_KEY_ALGORITHM,
        "csr: keys must be RSA of at least 2048 bits or ECDSA P-256",
        field="csr",
    )


def _check_csr_subject(csr: x509.CertificateSigningRequest, application: Application) -> None:
    """A CSR that names an owner must name the applicant (its subject is otherwise ignored)."""
    for attribute in csr.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER):
        if attribute.value != IIN_PREFIX + application.iin:
            raise Refused(ErrorCode.FALSE_INFORMATION, "csr: its subject names another IIN", field="csr")
    for attribute in csr.subject.get_attributes_for_oid(NameOID.SURNAME):
        if str(attribute.value).strip().upper() != application.surname.strip().upper():
            raise Refused(ErrorCode.FALSE_INFORMATION, "csr: its subject names another surname", field="csr")


class Issuer:
    """Issues end-entity certificates of the hierarchy's CAs, refusing per EDS-14-1.

    Thread-safe. ``audit`` records every issuance and every refusal.
    """

    def __init__(self, hierarchy: Hierarchy, sessionmaker: sessionmaker[Session], audit: AuditLog) -> None:
        self._hierarchy = hierarchy
        self._sessionmaker = sessionmaker
        self._audit = audit

    def issue(
        self,
        application: Application,
        at: dt.datetime,
        *,
        requested_by: str = "system",
        lenient: Lenient | None = None,
        test_certificate: bool = False,
    ) -> IssuedCertificate:
        """Check ``application`` at ``at``, then sign, register and return the certificate.

        notBefore is ``at`` (to the second) and notAfter follows the kind's profile and key storage
        (nca-profile.md: 1 year to the second for key files, 3 years for tokens). ``requested_by`` is the
        operator recorded in the audit log. ``lenient``: fixtures generator only (see :class:`Lenient`).
        ``test_certificate``: issued for a tester (test deployments only): the certificate carries the
        test-certificate policy, so no production verification accepts it (``Profile.as_test_certificate``).

        The court-order list (3), the age rule (4), the signature and the register entry share one
        transaction that starts with the audit record's lock, so the court-order check and the write
        see the same state and one issuance costs one commit.

        Raises the refusals of the module docstring; Conflict(``issuer_not_valid``) when the issuing
        CA's certificate does not cover the new certificate's validity.
        """
        at = ensure_utc(at)
        profile = profile_for(application.kind)
        if test_certificate:
            profile = profile.as_test_certificate()
        ca_id = profile.issuer
        assert ca_id is not None  # end-entity profiles name their CA
        not_before = truncate_to_second(
            at if lenient is None or lenient.not_before is None else lenient.not_before
        )
        not_after = profile.validity(application.key_storage).not_after(not_before)
        serial = new_serial()
        try:
            iin, csr = check_documents(application, lenient=lenient is not None)
            if lenient is None:
                self._check_issuer_covers(ca_id, not_before, not_after)
            subject = _subject(application)
            private_key: SubjectPrivateKey | None = None
            if csr is None:
                assert application.generate_key is not None  # check_complete: one or the other
                private_key = _generate_subject_key(application.generate_key)
                public_key: SubjectPublicKey = private_key.public_key()
            else:
                public_key = _csr_public_key(csr)
            details: dict[str, Any] = {
                "kind": profile.kind.value,
                "iin": mask(iin.value),
                "not_before": not_before,
                "not_after": not_after,
                "key_storage": application.key_storage.value,
                "lenient": lenient is not None,
                "test_certificate": test_certificate,
            }
            target = f"{ca_id}:{serial_to_hex(serial)}"
            with self._sessionmaker.begin() as session:
                self._audit.record_in(
                    session, requested_by, "issue", target, Outcome.SUCCESS, details, at, subject=iin.value
                )
                order = order_in_force(session, iin.value, at)
                if order is not None:
                    raise Refused(
                        ErrorCode.COURT_DECISION,
                        f"iin: a court decision in force ({order.document_ref}) forbids issuing",
                        field="iin",
                    )
                if lenient is None:
                    check_age(iin, at)
                certificate = self._hierarchy.minter(ca_id).mint(
                    profile,
                    subject,
                    public_key,
                    not_before,
                    not_after,
                    roles=application.roles,
                    storage=application.key_storage,
                    serial=serial,
                )
                record_certificate(session, ca_id, certificate, profile.kind.value, at, iin=iin.value)
        except KzPkiError as exc:
            self._record_refusal(application, requested_by, exc, at)
            raise
        chain = self._hierarchy.chain(ca_id)
        pkcs12 = None
        if private_key is not None:
            assert application.pkcs12_password is not None
            pkcs12 = build_pkcs12(private_key, certificate, chain, application.pkcs12_password)
        return IssuedCertificate(ca_id, profile.kind, certificate, chain, private_key, pkcs12)

    def _check_issuer_covers(self, ca_id: str, not_before: dt.datetime, not_after: dt.datetime) -> None:
        ca_certificate = self._hierarchy.get(ca_id).certificate
        if not_before < ca_certificate.not_valid_before_utc or not_after > ca_certificate.not_valid_after_utc:
            raise Conflict(
                ErrorCode.ISSUER_NOT_VALID,
                f"the {ca_id} CA certificate (valid {ca_certificate.not_valid_before_utc:%Y-%m-%d} to "
                f"{ca_certificate.not_valid_after_utc:%Y-%m-%d}) does not cover the requested validity",
                ca_id=ca_id,
            )

    def _record_refusal(
        self, application: Application, requested_by: str, exc: KzPkiError, at: dt.datetime
    ) -> None:
        details = {
            "code": exc.code,
            "field": exc.data.get("field"),
            "kind": application.kind.value,
            "iin": mask(application.iin or ""),
        }
        target = f"application:{application.kind.value}"
        subject = application.iin or None
        self._audit.record(requested_by, "issue", target, Outcome.REFUSED, details, at, subject=subject)


def _subject(application: Application) -> x509.Name:
    """The NCA subject DN (nca-profile.md): names upper-cased as the real CA writes them."""
    person = Person(
        surname=application.surname.strip().upper(),
        name=application.name.strip().upper(),
        patronymic=application.patronymic.strip().upper(),
        iin=application.iin,
        email=application.email or None,
    )
    organization = application.organization
    try:
        return build_subject(person, organization)
    except ValueError as exc:
        raise InvalidInput(ErrorCode.NAME_TOO_LONG, f"surname/name: {exc}", field="name") from None


def _csr_public_key(csr: x509.CertificateSigningRequest) -> keys.PublicKey:
    public_key = csr.public_key()
    assert isinstance(public_key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey))  # load_csr checked it
    return public_key


def _generate_subject_key(key_type: GeneratedKeyType) -> SubjectPrivateKey:
    """A fresh subject key of ``key_type`` (GOST: ``pki.gost``; the others: ``cryptography``)."""
    if isinstance(key_type, GostKeyType):
        return gost.GostPrivateKey.generate(key_type.value)
    return keys.generate_private_key(key_type)


def build_pkcs12(
    private_key: SubjectPrivateKey,
    certificate: x509.Certificate,
    chain: tuple[x509.Certificate, ...],
    password: bytes,
) -> bytes:
    """The PKCS#12 handed out with a CA-generated key: the NCA's legacy GOST layout (key and certificate)
    for GOST keys, ``cryptography``'s (key, certificate and chain) for the others."""
    if isinstance(private_key, gost.GostPrivateKey):
        return gost.dump_pkcs12(private_key, keys.certificate_der(certificate), password.decode("utf-8"))
    return keys.to_pkcs12(private_key, certificate, list(chain), password)
