"""EDS-15: what the issued certificates contain, checked against the nca-profile.md table."""

from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID

from ca_sim.certificates import new_serial
from ca_sim.issuance import IssuedCertificate
from ca_sim.profiles import CertificateKind, KeyStorage, LegalRole, Validity
from pki import oids
from pki.names import Organization
from tests.ca_sim.issuance_support import AT, CaEnv, application, make_env

COMPANY = Organization('ТОО "ҚАЗАҚ ТЕСТ"', "940140000385")
STATE_BODY = Organization("ӘДІЛЕТ МИНИСТРЛІГІ", "990140004654")
ALL_KU = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> CaEnv:
    return make_env(tmp_path_factory.mktemp("profiles"))


def _issue(env: CaEnv, kind: CertificateKind, **changes: object) -> IssuedCertificate:
    if kind in (CertificateKind.LEGAL_AUTH, CertificateKind.LEGAL_SIGN):
        changes.setdefault("organization", COMPANY)
        changes.setdefault("roles", (LegalRole.FIRST_HEAD,))
    if kind is CertificateKind.CIVIL_SERVANT:
        changes.setdefault("organization", STATE_BODY)
    return env.issuer.issue(application(kind=kind, **changes), AT)  # type: ignore[arg-type]


def _key_usage(certificate: x509.Certificate) -> set[str]:
    extension = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert extension.critical
    return {name for name in ALL_KU if getattr(extension.value, name)}


def _eku(certificate: x509.Certificate) -> list[str] | None:
    try:
        extension = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return None
    assert not extension.critical
    return [o.dotted_string for o in extension.value]


def _policies(certificate: x509.Certificate) -> list[str]:
    extension = certificate.extensions.get_extension_for_class(x509.CertificatePolicies)
    for policy in extension.value:
        assert policy.policy_qualifiers == ["http://127.0.0.1:8080/cps"]  # CPS qualifier
    return [p.policy_identifier.dotted_string for p in extension.value]


# nca-profile.md "Key usage, extended key usage and policies", row by row.
@pytest.mark.parametrize(
    ("kind", "key_usage", "eku", "policies"),
    [
        (
            CertificateKind.INDIVIDUAL_SIGN,
            {"digital_signature", "content_commitment"},
            [oids.EKU_EMAIL_PROTECTION, oids.ROLE_INDIVIDUAL],
            [oids.POLICY_INDIVIDUAL_SIGN],
        ),
        (
            CertificateKind.INDIVIDUAL_AUTH,
            {"digital_signature", "key_encipherment"},
            [oids.EKU_CLIENT_AUTH, oids.ROLE_INDIVIDUAL],
            [oids.POLICY_INDIVIDUAL_AUTH],
        ),
        (
            CertificateKind.LEGAL_SIGN,
            {"digital_signature", "content_commitment"},
            [oids.EKU_EMAIL_PROTECTION, oids.ROLE_LEGAL_ENTITY, oids.ROLE_FIRST_HEAD],
            [oids.POLICY_LEGAL_SIGN],
        ),
        (
            CertificateKind.LEGAL_AUTH,
            {"digital_signature", "key_encipherment"},
            [oids.EKU_CLIENT_AUTH, oids.ROLE_LEGAL_ENTITY, oids.ROLE_FIRST_HEAD],
            [oids.POLICY_LEGAL_AUTH],
        ),
        (
            CertificateKind.INDIVIDUAL_SINGLE_KEY,
            {"digital_signature", "content_commitment", "key_agreement"},
            [oids.EKU_EMAIL_PROTECTION, oids.ROLE_INDIVIDUAL],
            [oids.POLICY_SINGLE_KEY],
        ),
        (
            CertificateKind.CIVIL_SERVANT,
            {"digital_signature", "content_commitment"},
            None,
            [oids.POLICY_GOV_USER],
        ),
    ],
)
def test_eds15_key_usage_eku_and_policies_follow_the_nca_profile(
    env: CaEnv, kind: CertificateKind, key_usage: set[str], eku: list[str] | None, policies: list[str]
) -> None:
    certificate = _issue(env, kind).certificate
    assert _key_usage(certificate) == key_usage
    assert _eku(certificate) == eku
    assert _policies(certificate) == policies
    with pytest.raises(x509.ExtensionNotFound):
        certificate.extensions.get_extension_for_class(x509.BasicConstraints)


@pytest.mark.parametrize(
    "role, oid",
    [
        (LegalRole.FIRST_HEAD, oids.ROLE_FIRST_HEAD),
        (LegalRole.SIGNING_RIGHT, oids.ROLE_SIGNING_RIGHT),
        (LegalRole.FINANCIAL_SIGNING_RIGHT, oids.ROLE_FINANCIAL_SIGNING_RIGHT),
        (LegalRole.HR, oids.ROLE_HR),
        (LegalRole.EMPLOYEE, oids.ROLE_EMPLOYEE),
    ],
)
def test_eds15_legal_entity_roles_are_in_the_eku(env: CaEnv, role: LegalRole, oid: str) -> None:
    certificate = _issue(env, CertificateKind.LEGAL_SIGN, roles=(role,)).certificate
    assert _eku(certificate) == [oids.EKU_EMAIL_PROTECTION, oids.ROLE_LEGAL_ENTITY, oid]


def test_eds15_legal_entity_subject_carries_organisation_and_bin(env: CaEnv) -> None:
    certificate = _issue(env, CertificateKind.LEGAL_AUTH).certificate
    values = {a.oid.dotted_string: a.value for a in certificate.subject}
    assert values[oids.ORGANIZATION] == COMPANY.name
    assert values[oids.ORGANIZATIONAL_UNIT] == "BIN" + COMPANY.bin


def test_eds15_individual_subject_layout(env: CaEnv) -> None:
    app = application(email="test@example.kz")
    certificate = env.issuer.issue(app, AT).certificate
    assert [(a.oid.dotted_string, a.value) for a in certificate.subject] == [
        (oids.COMMON_NAME, "ТЕСТОВ ТЕСТ"),
        (oids.SURNAME, "ТЕСТОВ"),
        (oids.SERIAL_NUMBER, "IIN" + app.iin),
        (oids.COUNTRY, "KZ"),
        (oids.GIVEN_NAME, "ТЕСТОВИЧ"),
        (oids.EMAIL_ADDRESS, "test@example.kz"),
    ]
    raw = asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
    string_types = {
        a["type"].dotted: type(getattr(a["value"], "chosen", a["value"]))
        for rdn in raw.subject.chosen
        for a in rdn
    }
    # As the real NCA encodes them: names UTF8String, serialNumber and C PrintableString.
    assert string_types == {
        oids.COMMON_NAME: core.UTF8String,
        oids.SURNAME: core.UTF8String,
        oids.SERIAL_NUMBER: core.PrintableString,
        oids.COUNTRY: core.PrintableString,
        oids.GIVEN_NAME: core.UTF8String,
        oids.EMAIL_ADDRESS: asn1_x509.EmailAddress,  # an IA5String
    }


def test_eds15_serial_is_20_random_octets_first_at_least_0x10(env: CaEnv) -> None:
    serials = [new_serial() for _ in range(2000)]
    assert len(set(serials)) == len(serials)
    for serial in serials:
        octets = serial.to_bytes(20, "big")
        assert 0x10 <= octets[0] <= 0x7F  # >= 0x10 (nca-profile.md) and positive in 20 DER octets
    assert min(s.to_bytes(20, "big")[0] for s in serials) < 0x20  # the whole range is used
    assert max(s.to_bytes(20, "big")[0] for s in serials) > 0x70
    certificate = env.issuer.issue(application(), AT).certificate
    raw = asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
    assert len(raw["tbs_certificate"]["serial_number"].contents) == 20


def test_eds15_validity_one_year_to_the_second_for_key_files(env: CaEnv) -> None:
    certificate = env.issuer.issue(application(), AT).certificate
    assert certificate.not_valid_before_utc == AT
    assert certificate.not_valid_after_utc == AT.replace(year=AT.year + 1)


def test_eds15_validity_three_years_for_tokens(env: CaEnv) -> None:
    for storage in (KeyStorage.TOKEN, KeyStorage.ID_CARD):
        certificate = env.issuer.issue(application(key_storage=storage), AT).certificate
        assert certificate.not_valid_after_utc == AT.replace(year=AT.year + 3)


def test_eds15_validity_from_29_february_ends_on_1_march() -> None:
    start = dt.datetime(2024, 2, 29, 13, 14, 15, tzinfo=dt.UTC)
    assert Validity(years=1).not_after(start) == dt.datetime(2025, 3, 1, 13, 14, 15, tzinfo=dt.UTC)


def test_issued_times_drop_microseconds(env: CaEnv) -> None:
    certificate = env.issuer.issue(application(), AT.replace(microsecond=654321)).certificate
    assert certificate.not_valid_before_utc == AT


def test_eds15_1_key_storage_means_is_recorded(env: CaEnv) -> None:
    for storage, text in ((KeyStorage.FILE, "file (PKCS#12)"), (KeyStorage.TOKEN, "token")):
        certificate = env.issuer.issue(application(key_storage=storage), AT).certificate
        extension = certificate.extensions.get_extension_for_oid(
            x509.ObjectIdentifier(oids.EXT_KEY_STORAGE_MEANS)
        )
        assert not extension.critical
        assert isinstance(extension.value, x509.UnrecognizedExtension)
        assert core.UTF8String.load(extension.value.value).native == text


def test_eds15_distribution_points_and_issuer_urls(env: CaEnv) -> None:
    certificate = env.issuer.issue(application(), AT).certificate
    suffix = "ecdsa"  # the issuance tests' hierarchy is ECDSA
    crl = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert [n.value for n in crl[0].full_name or []] == [f"http://127.0.0.1:8080/crl/nca_{suffix}.crl"]
    delta = certificate.extensions.get_extension_for_oid(ExtensionOID.FRESHEST_CRL).value
    assert isinstance(delta, x509.FreshestCRL)
    assert [n.value for n in delta[0].full_name or []] == [f"http://127.0.0.1:8080/crl/nca_d_{suffix}.crl"]
    aia = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert [(d.access_method, d.access_location.value) for d in aia] == [
        (AuthorityInformationAccessOID.CA_ISSUERS, f"http://127.0.0.1:8080/cert/nca_{suffix}.cer"),
        (AuthorityInformationAccessOID.OCSP, "http://127.0.0.1:8080/ocsp/"),
    ]
    aki = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == env.hierarchy.get("nca").key_identifier
    ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ski == x509.SubjectKeyIdentifier.from_public_key(certificate.public_key())
