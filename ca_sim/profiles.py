"""Issuance profiles as data: what each kind of certificate contains, field by field, with its rule id.

The values follow the NCA's public certificate profile (``nca-profile.md``): key usage, extended key
usage and policies per kind, validity terms, the URL layout of the distribution points. A reader can
check every field against rules.md (EDS-15 and the rules it points to) line by line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from pki import oids
from pki.calendar import add_years


class CertificateKind(StrEnum):
    """The kinds of certificate the simulated CAs issue. The value is the wire name (manifest, API)."""

    INDIVIDUAL_AUTH = "individual_auth"
    INDIVIDUAL_SIGN = "individual_sign"
    INDIVIDUAL_SINGLE_KEY = "individual_single_key"
    LEGAL_AUTH = "legal_auth"
    LEGAL_SIGN = "legal_sign"
    CIVIL_SERVANT = "civil_servant"
    INFORMATION_SYSTEM = "information_system"
    OCSP_RESPONDER = "ocsp_responder"
    TIME_STAMP_AUTHORITY = "time_stamp_authority"
    CA = "ca"


class SubjectType(StrEnum):
    """Whose data the subject DN carries (EDS-15: data identifying the owner)."""

    INDIVIDUAL = "individual"  # IIN, names
    LEGAL_ENTITY_EMPLOYEE = "legal_entity_employee"  # IIN, names, O + BIN
    CIVIL_SERVANT = "civil_servant"  # IIN, names, state body + BIN
    SERVICE = "service"  # a CA, OCSP responder or time-stamping authority: CN + C only


class LegalRole(StrEnum):
    """A legal-entity employee's role, carried in the EKU under 1.2.398.3.3.4.1.2 (nca-profile.md)."""

    FIRST_HEAD = "first_head"
    SIGNING_RIGHT = "signing_right"
    FINANCIAL_SIGNING_RIGHT = "financial_signing_right"
    HR = "hr"
    EMPLOYEE = "employee"

    @property
    def oid(self) -> str:
        return _ROLE_OIDS[self]


_ROLE_OIDS = {
    LegalRole.FIRST_HEAD: oids.ROLE_FIRST_HEAD,
    LegalRole.SIGNING_RIGHT: oids.ROLE_SIGNING_RIGHT,
    LegalRole.FINANCIAL_SIGNING_RIGHT: oids.ROLE_FINANCIAL_SIGNING_RIGHT,
    LegalRole.HR: oids.ROLE_HR,
    LegalRole.EMPLOYEE: oids.ROLE_EMPLOYEE,
}


class KeyStorage(StrEnum):
    """The EDS means holding the private key (EDS-15.1), which also fixes the validity term."""

    FILE = "file"
    TOKEN = "token"  # noqa: S105 - a kind of device, not a secret
    ID_CARD = "id_card"

    @property
    def description(self) -> str:
        """The UTF8String written into the key-storage-means extension."""
        return _STORAGE_DESCRIPTIONS[self]


_STORAGE_DESCRIPTIONS = {
    KeyStorage.FILE: "file (PKCS#12)",
    KeyStorage.TOKEN: "token",
    KeyStorage.ID_CARD: "ID card",
}


class KeyUsageBit(StrEnum):
    """RFC 5280 keyUsage bits, named as ``cryptography.x509.KeyUsage`` names its arguments."""

    DIGITAL_SIGNATURE = "digital_signature"
    NON_REPUDIATION = "content_commitment"
    KEY_ENCIPHERMENT = "key_encipherment"
    KEY_AGREEMENT = "key_agreement"
    KEY_CERT_SIGN = "key_cert_sign"
    CRL_SIGN = "crl_sign"


@dataclass(frozen=True)
class Validity:
    """A validity term in calendar years plus days, applied to notBefore."""

    years: int = 0
    days: int = 0

    def not_after(self, not_before: dt.datetime) -> dt.datetime:
        """notBefore moved by the term; 29 February + whole years lands on 1 March (pki.calendar)."""
        return add_years(not_before, self.years) + dt.timedelta(days=self.days)


@dataclass(frozen=True)
class Profile:
    """One kind of certificate, as data. Fields cite the rule that requires them."""

    kind: CertificateKind
    # rules.md "Who the CAs are": nca issues to individuals and legal entities, gov to civil servants,
    # root certifies the CAs' keys. None: every CA issues it for itself (its OCSP responder).
    issuer: str | None
    # EDS-15: data identifying the owner (IIN; O and BIN for legal entities and state bodies).
    subject: SubjectType
    # EDS-15 scope of use; nca-profile.md key usage table (always critical).
    key_usage: frozenset[KeyUsageBit]
    # EDS-15 scope of use; nca-profile.md EKU column (empty: no EKU extension, as gov leaves may have).
    extended_key_usage: tuple[str, ...]
    # EDS-15 scope of use: nca-profile.md roles under 1.2.398.3.3.4.1.2 follow the fixed EKU entries.
    roles_in_extended_key_usage: bool
    # EDS-15 scope and restrictions of use: certificatePolicies with a CPS qualifier (nca-profile.md).
    policies: tuple[str, ...]
    # EDS-15: validity term; nca-profile.md: key files 1 year to the second.
    file_validity: Validity
    # nca-profile.md: tokens and ID cards 3 years (None: the same term as a key file).
    token_validity: Validity | None = None
    # RFC 5280 4.2.1.9 (CA certificates): basicConstraints cA, and the path length below it.
    ca: bool = False
    path_length: int | None = None
    # RFC 3161 2.3: a time-stamping authority's extended key usage is marked critical.
    extended_key_usage_critical: bool = False
    # RFC 6960 4.2.2.2.1: a delegated OCSP responder's certificate is not itself checked.
    ocsp_nocheck: bool = False
    # EDS-15: CRL distribution point, Freshest CRL (delta), OCSP and issuer-certificate URLs.
    revocation_pointers: bool = True
    # EDS-15.1: data on the EDS means used to make the private key (private extension).
    records_key_storage: bool = True
    # Delegated signers (OCSP responder, TSA): the hierarchy issues the next generation when the current
    # certificate has less than this left (None: never renewed automatically).
    renewal_margin: dt.timedelta | None = None

    def validity(self, storage: KeyStorage | None = None) -> Validity:
        """The term for a key kept in ``storage`` (nca-profile.md: file 1 year, token / ID card 3 years).

        ``None`` (CA and responder keys, kept by the CA) gives :attr:`file_validity`.
        """
        if storage is None or storage is KeyStorage.FILE or self.token_validity is None:
            return self.file_validity
        return self.token_validity

    def extended_key_usage_for(self, roles: tuple[LegalRole, ...]) -> tuple[str, ...]:
        """The EKU OIDs for a holder with ``roles`` (roles only count where the profile carries them)."""
        if not self.roles_in_extended_key_usage:
            return self.extended_key_usage
        return self.extended_key_usage + tuple(role.oid for role in roles)

    def as_test_certificate(self) -> Profile:
        """This profile for a tester's certificate: its policies plus the test-certificate policy, which
        production verification refuses (the tester role exists only in test mode; ``ca_sim.operators``)."""
        return replace(self, policies=(*self.policies, oids.POLICY_SIM_TEST_CERTIFICATE))


_ONE_YEAR = Validity(years=1)  # nca-profile.md: notAfter = notBefore + 1 year, to the second
_THREE_YEARS = Validity(years=3)  # nca-profile.md: tokens / ID cards

_SIGN_USAGE = frozenset({KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.NON_REPUDIATION})
_AUTH_USAGE = frozenset({KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.KEY_ENCIPHERMENT})


def _user_profile(
    kind: CertificateKind,
    subject: SubjectType,
    key_usage: frozenset[KeyUsageBit],
    extended_key_usage: tuple[str, ...],
    policy: str,
    *,
    issuer: str = "nca",
    roles_in_extended_key_usage: bool = False,
) -> Profile:
    """A person's certificate (nca-profile.md): one policy, key files 1 year, tokens and ID cards 3 years."""
    return Profile(
        kind=kind,
        issuer=issuer,
        subject=subject,
        key_usage=key_usage,
        extended_key_usage=extended_key_usage,
        roles_in_extended_key_usage=roles_in_extended_key_usage,
        policies=(policy,),
        file_validity=_ONE_YEAR,
        token_validity=_THREE_YEARS,
    )


INDIVIDUAL_AUTH = _user_profile(
    CertificateKind.INDIVIDUAL_AUTH,
    SubjectType.INDIVIDUAL,
    key_usage=_AUTH_USAGE,
    extended_key_usage=(oids.EKU_CLIENT_AUTH, oids.ROLE_INDIVIDUAL),
    policy=oids.POLICY_INDIVIDUAL_AUTH,
)

INDIVIDUAL_SIGN = _user_profile(
    CertificateKind.INDIVIDUAL_SIGN,
    SubjectType.INDIVIDUAL,
    key_usage=_SIGN_USAGE,
    extended_key_usage=(oids.EKU_EMAIL_PROTECTION, oids.ROLE_INDIVIDUAL),
    policy=oids.POLICY_INDIVIDUAL_SIGN,
)

# The current generation: one key for signing and authentication (real NCA GOST 2015 leaves).
INDIVIDUAL_SINGLE_KEY = _user_profile(
    CertificateKind.INDIVIDUAL_SINGLE_KEY,
    SubjectType.INDIVIDUAL,
    key_usage=frozenset(
        {KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.NON_REPUDIATION, KeyUsageBit.KEY_AGREEMENT}
    ),
    extended_key_usage=(oids.EKU_EMAIL_PROTECTION, oids.ROLE_INDIVIDUAL),
    policy=oids.POLICY_SINGLE_KEY,
)

LEGAL_AUTH = _user_profile(
    CertificateKind.LEGAL_AUTH,
    SubjectType.LEGAL_ENTITY_EMPLOYEE,
    key_usage=_AUTH_USAGE,
    extended_key_usage=(oids.EKU_CLIENT_AUTH, oids.ROLE_LEGAL_ENTITY),
    policy=oids.POLICY_LEGAL_AUTH,
    roles_in_extended_key_usage=True,
)

LEGAL_SIGN = _user_profile(
    CertificateKind.LEGAL_SIGN,
    SubjectType.LEGAL_ENTITY_EMPLOYEE,
    key_usage=_SIGN_USAGE,
    extended_key_usage=(oids.EKU_EMAIL_PROTECTION, oids.ROLE_LEGAL_ENTITY),
    policy=oids.POLICY_LEGAL_SIGN,
    roles_in_extended_key_usage=True,
)

# The state-bodies CA's user certificates: policy arc 1.2.398.3.2, no EKU (nca-profile.md).
CIVIL_SERVANT = _user_profile(
    CertificateKind.CIVIL_SERVANT,
    SubjectType.CIVIL_SERVANT,
    key_usage=_SIGN_USAGE,
    extended_key_usage=(),
    policy=oids.POLICY_GOV_USER,
    issuer="gov",
)

# A legal entity's information system (e.g. the biometric service signing attestations): signature only.
INFORMATION_SYSTEM = Profile(
    kind=CertificateKind.INFORMATION_SYSTEM,
    issuer="nca",
    subject=SubjectType.LEGAL_ENTITY_EMPLOYEE,
    key_usage=frozenset({KeyUsageBit.DIGITAL_SIGNATURE}),
    extended_key_usage=(oids.ROLE_LEGAL_ENTITY,),
    roles_in_extended_key_usage=False,
    policies=(oids.POLICY_SINGLE_KEY,),
    file_validity=_ONE_YEAR,
)

# Delegated OCSP responder of each of the three CAs (nca-profile.md, RFC 6960 4.2.2.2), issued by the CA
# it answers for; the hierarchy renews it before it expires.
OCSP_RESPONDER = Profile(
    kind=CertificateKind.OCSP_RESPONDER,
    issuer=None,
    subject=SubjectType.SERVICE,
    key_usage=frozenset({KeyUsageBit.DIGITAL_SIGNATURE}),
    extended_key_usage=(oids.EKU_OCSP_SIGNING,),
    roles_in_extended_key_usage=False,
    policies=(),
    file_validity=Validity(days=30),
    ocsp_nocheck=True,
    revocation_pointers=False,
    records_key_storage=False,
    renewal_margin=dt.timedelta(days=7),
)

# The National CA's time-stamping authority (RFC 3161; the real one answers at tsp.pki.gov.kz), issued by
# nca. RFC 3161 2.3: the only extended key usage is id-kp-timeStamping, critical. Its certificate is
# revocable like any end entity's (CRL and OCSP pointers). A token verifies while the TSA certificate is
# valid, so a generation is replaced a year before it ends: every token stays verifiable for a year.
TIME_STAMP_AUTHORITY = Profile(
    kind=CertificateKind.TIME_STAMP_AUTHORITY,
    issuer="nca",
    subject=SubjectType.SERVICE,
    key_usage=frozenset({KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.NON_REPUDIATION}),
    extended_key_usage=(oids.EKU_TIME_STAMPING,),
    extended_key_usage_critical=True,
    roles_in_extended_key_usage=False,
    policies=(),
    file_validity=Validity(years=3),
    records_key_storage=False,
    renewal_margin=dt.timedelta(days=365),
)

_CA_USAGE = frozenset({KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN})

# The self-signed Root CA (rules.md "Who the CAs are"; nca-profile.md: root 10 years). As the trust
# anchor it has no AIA / CRL DP of its own.
ROOT_CA = Profile(
    kind=CertificateKind.CA,
    issuer="root",
    subject=SubjectType.SERVICE,
    key_usage=_CA_USAGE,
    extended_key_usage=(),
    roles_in_extended_key_usage=False,
    policies=(oids.POLICY_NCA_CA,),
    file_validity=Validity(years=10),
    ca=True,
    revocation_pointers=False,
    records_key_storage=False,
)

# gov and nca, certified by root (nca-profile.md: intermediates 5-7 years; we take 7). They issue
# end-entity certificates only, hence path length 0.
INTERMEDIATE_CA = Profile(
    kind=CertificateKind.CA,
    issuer="root",
    subject=SubjectType.SERVICE,
    key_usage=_CA_USAGE,
    extended_key_usage=(),
    roles_in_extended_key_usage=False,
    policies=(oids.POLICY_NCA_CA,),
    file_validity=Validity(years=7),
    ca=True,
    path_length=0,
    records_key_storage=False,
)

# Issued by the hierarchy itself (ca_sim.hierarchy), never through the issuance API.
HIERARCHY_KINDS = frozenset(
    {CertificateKind.CA, CertificateKind.OCSP_RESPONDER, CertificateKind.TIME_STAMP_AUTHORITY}
)

END_ENTITY_PROFILES: dict[CertificateKind, Profile] = {
    p.kind: p
    for p in (
        INDIVIDUAL_AUTH,
        INDIVIDUAL_SIGN,
        INDIVIDUAL_SINGLE_KEY,
        LEGAL_AUTH,
        LEGAL_SIGN,
        CIVIL_SERVANT,
        INFORMATION_SYSTEM,
    )
}


def profile_for(kind: CertificateKind) -> Profile:
    """The end-entity profile for ``kind``. Raises KeyError for the CA, OCSP and TSA kinds (issued by the
    hierarchy)."""
    return END_ENTITY_PROFILES[kind]


# --- Where the certificates point (nca-profile.md "Validity, distribution points, protocols") ---


@dataclass(frozen=True)
class CaUrls:
    """A CA's public URLs: its certificate, full and delta CRL, and the (shared) OCSP responder."""

    cert_url: str
    crl_url: str
    delta_crl_url: str
    ocsp_url: str


_ALGORITHM_SUFFIXES = {"rsa": "rsa", "ecdsa": "ecdsa", "gost": "gost"}


def build_ca_urls(public_base_url: str, ca_id: str, key_algorithm: str) -> CaUrls:
    """The real NCA layout under ``public_base_url``: ``/cert/nca_rsa.cer``, ``/crl/nca_rsa.crl``,
    ``/crl/nca_d_rsa.crl``, ``/ocsp/`` (suffix ``_ecdsa`` / ``_gost`` for those hierarchies).

    Raises KeyError for an unknown ``key_algorithm``.
    """
    base = public_base_url.rstrip("/")
    suffix = _ALGORITHM_SUFFIXES[key_algorithm]
    return CaUrls(
        cert_url=f"{base}/cert/{ca_id}_{suffix}.cer",
        crl_url=f"{base}/crl/{ca_id}_{suffix}.crl",
        delta_crl_url=f"{base}/crl/{ca_id}_d_{suffix}.crl",
        ocsp_url=f"{base}/ocsp/",
    )


def cps_url(public_base_url: str) -> str:
    """The CPS qualifier of every policy (nca-profile.md: ``http://pki.gov.kz/cps`` in the real PKI)."""
    return public_base_url.rstrip("/") + "/cps"
