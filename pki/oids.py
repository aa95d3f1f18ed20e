"""Every object identifier the project uses, in one place.

Names follow the standards that define them (RFC 5280, RFC 6960, RFC 5652, the
NCA public certificate profile). Values are dotted strings; wrap them with
``cryptography.x509.ObjectIdentifier`` or compare against asn1crypto's
``.dotted`` where needed.
"""

from __future__ import annotations

from typing import Final

# --- Subject attributes (match by OID, never by abbreviation: nca-profile.md) ---
COMMON_NAME: Final = "2.5.4.3"
SURNAME: Final = "2.5.4.4"
SERIAL_NUMBER: Final = "2.5.4.5"  # "IIN" + 12 digits
COUNTRY: Final = "2.5.4.6"
LOCALITY: Final = "2.5.4.7"
STATE_OR_PROVINCE: Final = "2.5.4.8"
ORGANIZATION: Final = "2.5.4.10"
ORGANIZATIONAL_UNIT: Final = "2.5.4.11"  # "BIN" + 12 digits
GIVEN_NAME: Final = "2.5.4.42"  # the patronymic, in the NCA profile
EMAIL_ADDRESS: Final = "1.2.840.113549.1.9.1"
DOMAIN_COMPONENT: Final = "0.9.2342.19200300.100.1.25"

# --- Certificate policies (EDS-15, nca-profile.md) ---
ANY_POLICY: Final = "2.5.29.32.0"  # RFC 5280 4.2.1.4 anyPolicy
ANY_EKU: Final = "2.5.29.37.0"  # RFC 5280 4.2.1.12 anyExtendedKeyUsage
POLICY_NCA_CA: Final = "1.2.398.3.3.1.1"
POLICY_SINGLE_KEY: Final = "1.2.398.3.3.2"  # current single-key profile (GOST 2015 generation)
POLICY_LEGAL_SIGN: Final = "1.2.398.3.3.2.1"
POLICY_LEGAL_AUTH: Final = "1.2.398.3.3.2.2"
POLICY_INDIVIDUAL_SIGN: Final = "1.2.398.3.3.2.3"
POLICY_INDIVIDUAL_AUTH: Final = "1.2.398.3.3.2.4"
POLICY_GOV_ARC: Final = "1.2.398.3.2"
POLICY_GOV_USER: Final = "1.2.398.3.2.1"

# --- Role EKUs under 1.2.398.3.3.4 (nca-profile.md) ---
ROLE_INDIVIDUAL: Final = "1.2.398.3.3.4.1.1"
ROLE_LEGAL_ENTITY: Final = "1.2.398.3.3.4.1.2"
ROLE_FIRST_HEAD: Final = "1.2.398.3.3.4.1.2.1"
ROLE_SIGNING_RIGHT: Final = "1.2.398.3.3.4.1.2.2"
ROLE_FINANCIAL_SIGNING_RIGHT: Final = "1.2.398.3.3.4.1.2.3"
ROLE_HR: Final = "1.2.398.3.3.4.1.2.4"
ROLE_EMPLOYEE: Final = "1.2.398.3.3.4.1.2.5"
ROLE_ARC: Final = "1.2.398.3.3.4"

ROLE_NAMES: Final[dict[str, str]] = {
    ROLE_INDIVIDUAL: "individual",
    ROLE_LEGAL_ENTITY: "legal_entity",
    ROLE_FIRST_HEAD: "first_head",
    ROLE_SIGNING_RIGHT: "signing_right",
    ROLE_FINANCIAL_SIGNING_RIGHT: "financial_signing_right",
    ROLE_HR: "hr",
    ROLE_EMPLOYEE: "employee",
}

# --- Standard extended key usages ---
EKU_SERVER_AUTH: Final = "1.3.6.1.5.5.7.3.1"
EKU_CLIENT_AUTH: Final = "1.3.6.1.5.5.7.3.2"
EKU_EMAIL_PROTECTION: Final = "1.3.6.1.5.5.7.3.4"
EKU_TIME_STAMPING: Final = "1.3.6.1.5.5.7.3.8"
EKU_OCSP_SIGNING: Final = "1.3.6.1.5.5.7.3.9"

# --- Extensions ---
EXT_OCSP_NOCHECK: Final = "1.3.6.1.5.5.7.48.1.5"
EXT_FRESHEST_CRL: Final = "2.5.29.46"
EXT_DELTA_CRL_INDICATOR: Final = "2.5.29.27"
EXT_CRL_NUMBER: Final = "2.5.29.20"
EXT_CRL_REASON: Final = "2.5.29.21"
EXT_INVALIDITY_DATE: Final = "2.5.29.24"
EXT_AUTHORITY_KEY_IDENTIFIER: Final = "2.5.29.35"
EXT_SUBJECT_KEY_IDENTIFIER: Final = "2.5.29.14"
EXT_KEY_USAGE: Final = "2.5.29.15"
EXT_SUBJECT_ALT_NAME: Final = "2.5.29.17"
EXT_BASIC_CONSTRAINTS: Final = "2.5.29.19"
EXT_CRL_DISTRIBUTION_POINTS: Final = "2.5.29.31"
EXT_CERTIFICATE_POLICIES: Final = "2.5.29.32"
EXT_EXTENDED_KEY_USAGE: Final = "2.5.29.37"
EXT_NAME_CONSTRAINTS: Final = "2.5.29.30"
EXT_POLICY_MAPPINGS: Final = "2.5.29.33"
EXT_POLICY_CONSTRAINTS: Final = "2.5.29.36"
EXT_INHIBIT_ANY_POLICY: Final = "2.5.29.54"
EXT_AUTHORITY_INFO_ACCESS: Final = "1.3.6.1.5.5.7.1.1"
# A private extension recording the EDS means that made the key (EDS-15.1: "data on the EDS means").
EXT_KEY_STORAGE_MEANS: Final = "1.2.398.3.3.5.1"
# A certificate policy in the same private arc marking a TEST certificate (issued for a tester, on a test
# deployment): production verification refuses it, as production refuses the NCA's test identities.
POLICY_SIM_TEST_CERTIFICATE: Final = "1.2.398.3.3.5.2"

# --- OCSP ---
OCSP_NONCE: Final = "1.3.6.1.5.5.7.48.1.2"
OCSP_BASIC: Final = "1.3.6.1.5.5.7.48.1.1"
RI_OCSP_RESPONSE: Final = "1.3.6.1.5.5.7.16.2"  # RFC 5940: an OCSPResponse in a CMS crls field

# --- CMS content types and attributes (RFC 5652, RFC 5035) ---
CMS_DATA: Final = "1.2.840.113549.1.7.1"
CMS_SIGNED_DATA: Final = "1.2.840.113549.1.7.2"
CMS_TST_INFO: Final = "1.2.840.113549.1.9.16.1.4"
ATTR_CONTENT_TYPE: Final = "1.2.840.113549.1.9.3"
ATTR_MESSAGE_DIGEST: Final = "1.2.840.113549.1.9.4"
ATTR_SIGNING_TIME: Final = "1.2.840.113549.1.9.5"
ATTR_SIGNING_CERTIFICATE: Final = "1.2.840.113549.1.9.16.2.12"
ATTR_SIGNING_CERTIFICATE_V2: Final = "1.2.840.113549.1.9.16.2.47"
ATTR_SIGNATURE_TIME_STAMP: Final = "1.2.840.113549.1.9.16.2.14"  # RFC 3161 Appendix A, unsigned
ATTR_REVOCATION_VALUES: Final = "1.2.840.113549.1.9.16.2.24"  # CAdES-X-L (ETSI TS 101 733 6.3.4), unsigned
# adbe-revocationInfoArchival (ISO 32000-1 12.8.3.3.2), a signed attribute
ATTR_ADOBE_REVOCATION_INFO: Final = "1.2.840.113583.1.1.8"

# --- The NCA's time-stamp policies (Kalkan's KNCAObjectIdentifiers; NCANode's TsaPolicy names them) ---
TSA_GOST_POLICY: Final = "1.2.398.3.3.2.6.1"
TSA_GOSTGT_POLICY: Final = "1.2.398.3.3.2.6.2"
TSA_GOST2015_POLICY: Final = "1.2.398.3.3.2.6.4"

# --- Standard algorithms ---
SHA1: Final = "1.3.14.3.2.26"
SHA256: Final = "2.16.840.1.101.3.4.2.1"
SHA384: Final = "2.16.840.1.101.3.4.2.2"
SHA512: Final = "2.16.840.1.101.3.4.2.3"
RSA_ENCRYPTION: Final = "1.2.840.113549.1.1.1"
SHA256_WITH_RSA: Final = "1.2.840.113549.1.1.11"
SHA384_WITH_RSA: Final = "1.2.840.113549.1.1.12"
SHA512_WITH_RSA: Final = "1.2.840.113549.1.1.13"
RSASSA_PSS: Final = "1.2.840.113549.1.1.10"
EC_PUBLIC_KEY: Final = "1.2.840.10045.2.1"
ECDSA_WITH_SHA256: Final = "1.2.840.10045.4.3.2"
ECDSA_WITH_SHA384: Final = "1.2.840.10045.4.3.3"
ECDSA_WITH_SHA512: Final = "1.2.840.10045.4.3.4"
# DSA (RFC 3279 2.2.2, RFC 5758 3.1): accepted only where a policy names them (verifier.policy)
DSA_KEY: Final = "1.2.840.10040.4.1"
DSA_WITH_SHA1: Final = "1.2.840.10040.4.3"
DSA_WITH_SHA256: Final = "2.16.840.1.101.3.4.3.2"

# --- Kazakh GOST algorithms (gost.md) ---
# GOST 34.310-2004 (previous generation; curve CryptoPro-A, hash GOST R 34.11-94 Test S-box)
KZ_GOST2004_KEY: Final = "1.2.398.3.10.1.1.1.1"
KZ_GOST2004_SIGNATURE: Final = "1.2.398.3.10.1.1.1.2"
KZ_GOST2004_PARAMSET: Final = "1.2.398.3.10.1.1.1.1.1"
KZ_GOST2004_DIGEST_PARAMS: Final = "1.2.398.3.10.1.3.1.1.0"
KZ_GOST3411_94: Final = "1.2.398.3.10.1.3.1"
# GOST R 34.10-2015, 256-bit (curve TC26-256-A, Streebog-256; never seen in real data)
KZ_GOST2015_256_KEY: Final = "1.2.398.3.10.1.1.2.1"
KZ_GOST2015_256_SIGNATURE: Final = "1.2.398.3.10.1.1.2.3.1"
KZ_GOST2015_256_PARAMSET: Final = "1.2.398.3.10.1.1.2.1.1"
KZ_STREEBOG_256: Final = "1.2.398.3.10.1.3.2"
# GOST R 34.10-2015, 512-bit (curve TC26-512-A, Streebog-512; what the NCA issues today)
KZ_GOST2015_512_KEY: Final = "1.2.398.3.10.1.1.2.2"
KZ_GOST2015_512_SIGNATURE: Final = "1.2.398.3.10.1.1.2.3.2"
KZ_GOST2015_512_PARAMSET: Final = "1.2.398.3.10.1.1.2.2.1"
KZ_STREEBOG_512: Final = "1.2.398.3.10.1.3.3"
# Legacy PKCS#12 PBE schemes of the NCA GOST .p12 files (RFC 7292 Appendix C)
PKCS12_PBE_SHA1_3DES: Final = "1.2.840.113549.1.12.1.3"  # pbeWithSHAAnd3-KeyTripleDES-CBC
PKCS12_PBE_SHA1_RC2_40: Final = "1.2.840.113549.1.12.1.6"  # pbeWithSHAAnd40BitRC2-CBC

GOST_SIGNATURE_ALGORITHMS: Final = frozenset(
    {KZ_GOST2004_SIGNATURE, KZ_GOST2015_256_SIGNATURE, KZ_GOST2015_512_SIGNATURE}
)
GOST_KEY_ALGORITHMS: Final = frozenset({KZ_GOST2004_KEY, KZ_GOST2015_256_KEY, KZ_GOST2015_512_KEY})
GOST_HASH_ALGORITHMS: Final = frozenset({KZ_GOST3411_94, KZ_STREEBOG_256, KZ_STREEBOG_512})

# XMLDSig algorithm URIs used by NCALayer for GOST (gost.md)
XMLDSIG_GOST2015_512_SIGNATURE: Final = (
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512"
)
XMLDSIG_GOST2015_512_DIGEST: Final = "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512"
# The 256-bit and 34.310-2004 URIs as Kalkan/NCANode name them (NCANode KalkanUtil.getSignMethodByOID,
# kalkan xmldsig DOMSignatureMethod); no genuine XML sample of either exists.
XMLDSIG_GOST2015_256_SIGNATURE: Final = (
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256"
)
XMLDSIG_GOST2015_256_DIGEST: Final = "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256"
XMLDSIG_GOST2004_SIGNATURE: Final = "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311"
XMLDSIG_GOST2004_DIGEST: Final = "http://www.w3.org/2001/04/xmldsig-more#gost34311"

POLICY_NAMES: Final[dict[str, str]] = {  # the words an operator is shown for each policy (nca-profile.md)
    ANY_POLICY: "any policy",
    POLICY_NCA_CA: "NCA certification authority",
    POLICY_SINGLE_KEY: "single key (signing and authentication)",
    POLICY_LEGAL_SIGN: "legal entity, signing",
    POLICY_LEGAL_AUTH: "legal entity, authentication",
    POLICY_INDIVIDUAL_SIGN: "individual, signing",
    POLICY_INDIVIDUAL_AUTH: "individual, authentication",
    POLICY_GOV_ARC: "state bodies",
    POLICY_GOV_USER: "civil servant",
    POLICY_SIM_TEST_CERTIFICATE: "test certificate (refused by production verification)",
}
