"""The verification policy: a frozen value, each field citing the rule it implements (rules.md).

A :class:`VerificationPolicy` is reused across calls; the per-call inputs (the signature, the
validation time ``at``) are arguments of :class:`verifier.engine.Verifier` methods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from pki import oids


class Purpose(StrEnum):
    """What the signature is for: a UNIS login (UNIS-3, UNIS-8), a signed document (EDS-10), or a
    time-stamp token (RFC 3161: the signer must be a time-stamping authority)."""

    LOGIN = "login"
    DOCUMENT = "document"
    TIMESTAMP = "timestamp"


class RevocationMethods(StrEnum):
    """Which answers count (pyhanko-certvalidator rule in brackets, used by the full path too)."""

    OCSP_OR_CRL = (
        "ocsp_or_crl"  # OCSP first when the certificate names a responder, else a CRL [CRL_OR_OCSP_REQUIRED]
    )
    OCSP = "ocsp"  # [OCSP_REQUIRED]
    CRL = "crl"  # [CRL_REQUIRED]


class RevocationRequirement(StrEnum):
    """For documents and time stamps: whether a missing revocation answer refuses (logins always need one,
    UNIS-11)."""

    REQUIRED = "required"  # no usable answer -> INDETERMINATE
    IF_AVAILABLE = "if_available"  # checked when an answer exists; otherwise skipped with a warning


@dataclass(frozen=True)
class CryptographicConstraints:
    """Which signature algorithms a validation accepts beyond the default table of
    :mod:`pki.signatures` (RSA and ECDSA with SHA-2, RSA-PSS, GOST; no SHA-1, no DSA).

    EDS-10 asks that a document's signature be verified as it stood; for historic material signed with
    algorithms retired since (DSA, SHA-1), the EU approach (ETSI TS 119 312 and the cryptographic
    constraints of an ETSI EN 319 102-1 validation policy, as the DSS library applies them) is a named
    constraint in the validation policy that accepts them for that validation, never a global switch.
    A login (UNIS-8, UNIS-11) accepts none: :class:`VerificationPolicy` refuses these constraints for
    the login purpose, so SHA-1 and DSA are refused there whatever else is configured.
    """

    # dotted signature OIDs of pki.signatures.LEGACY_SIGNATURE_VERIFIERS accepted in certificates and CRLs
    legacy_signature_algorithms: frozenset[str] = frozenset()


# The default: nothing beyond the table.
CURRENT_ALGORITHMS = CryptographicConstraints()
# EDS-10 document mode for historic signatures: DSA (RFC 3279 2.2.2, with its parameters inherited from
# the issuer, RFC 3279 2.3.2) with SHA-1 or SHA-256, e.g. NIST PKITS 4.1.4 and 4.1.5.
HISTORIC_DSA = CryptographicConstraints(frozenset({oids.DSA_WITH_SHA1, oids.DSA_WITH_SHA256}))


@dataclass(frozen=True)
class ProfileCompatibility:
    """Which RFC 5280 section 4 rules for CA certificates a validation relaxes for material issued
    under an earlier profile (each field names the rule and the text that allowed otherwise).

    The default relaxes nothing. Like :class:`CryptographicConstraints`, a relaxation is a named value
    of the validation policy chosen for that validation (e.g. historic documents, or NIST PKITS,
    written for RFC 3280), never a global switch.
    """

    # RFC 5280 4.2.1.11: conforming CAs MUST mark policyConstraints critical; RFC 3280 4.2.1.12 allowed
    # it critical or non-critical. False: a CA certificate of the path (the trust anchor included)
    # whose policyConstraints is not critical is refused; True: accepted and processed as if critical.
    noncritical_policy_constraints: bool = False


# The default: every rule of RFC 5280 section 4 the verifier checks (verifier.profile).
RFC5280_PROFILE = ProfileCompatibility()
# CAs issued under RFC 3280 (2002-2008), e.g. NIST PKITS: a non-critical policyConstraints is accepted.
# inhibitAnyPolicy and name constraints stay critical-only (RFC 3280 4.2.1.15 and 4.2.1.11 required it too).
RFC3280_COMPATIBLE = ProfileCompatibility(noncritical_policy_constraints=True)


@dataclass(frozen=True)
class VerificationPolicy:
    """Everything the verifier decides by. Construct once; share between threads.

    ``trust_anchors`` are DER certificates (EDS-10: only the configured roots are trusted);
    ``intermediates`` are CA certificates to build paths with, validated against the anchors
    like any certificate found in a signature.
    """

    trust_anchors: tuple[bytes, ...]  # EDS-10: the Kazakh root(s); e.g. the NCA test CA in test-PKI mode
    purpose: Purpose = Purpose.LOGIN  # UNIS-3/UNIS-8 (login) or EDS-10 document signing
    intermediates: tuple[bytes, ...] = ()  # EDS-10: path building help, never trusted by itself
    test_pki: bool = False  # nca-profile.md: accept the NCA's test identities, with a warning
    revocation_methods: RevocationMethods = RevocationMethods.OCSP_OR_CRL  # UNIS-11, EDS-18
    document_revocation: RevocationRequirement = RevocationRequirement.REQUIRED  # digital-documents rules
    check_ca_revocation: bool = True  # EDS-18: the root's CRL covers the gov and nca CA certificates
    ocsp_nonce: bool = True  # UNIS-11: a fresh answer bound to our request (RFC 8954 nonce)
    ocsp_cache_ttl: dt.timedelta = dt.timedelta(
        seconds=60
    )  # UNIS-11: how long a validated OCSP answer is reused
    # UNIS-11: freshness of an OCSP answer without nextUpdate (the NCA omits it), counted from
    # thisUpdate. The default equals pyhanko-certvalidator's fixed fallback, so the fast path and a
    # full pyhanko-certvalidator validation (the differential test) agree.
    ocsp_max_age: dt.timedelta = dt.timedelta(minutes=30)
    # RFC 5280 4.1.2.5: validity is exact by default. A grace (e.g. for relying parties whose clocks drift)
    # is a named choice: it widens every validity and freshness bound (certificates, CRLs, OCSP answers).
    max_clock_skew: dt.timedelta = dt.timedelta(0)
    min_age_years: int = 16  # EDS-14: the owner is 16 or older on the validation date
    max_signature_bytes: int = 1024 * 1024  # size cap for CMS / XML input
    # EDS-10 scope: the policies of the current "single key" profile, accepted for both purposes.
    single_key_policies: frozenset[str] = field(default_factory=lambda: frozenset({oids.POLICY_SINGLE_KEY}))

    # RFC 5280 6.1.1 (c, e, f, g): the four initial inputs of path validation. Any non-default value sends
    # every path through the full validator (the fast path assumes the defaults).
    user_initial_policy_set: frozenset[str] = frozenset({oids.ANY_POLICY})
    initial_explicit_policy: bool = False
    initial_policy_mapping_inhibit: bool = False
    initial_any_policy_inhibit: bool = False
    # RFC 5280 4.2.1.12: when set, the end-entity certificate's extended key usage, if present, must
    # contain one of these purposes (or anyExtendedKeyUsage). Empty: no requirement beyond ``purpose``.
    required_extended_key_usage: frozenset[str] = frozenset()
    max_intermediates: int = 8  # path length bound: CA certificates between the anchor and the leaf
    # Path-building budget per validation (denial of service: same-subject CA meshes, RFC 4158 8.2).
    max_candidate_paths: int = 16
    max_signature_checks: int = 64
    # EDS-10: algorithms accepted beyond the default table (documents only; a login accepts none).
    cryptographic_constraints: CryptographicConstraints = CURRENT_ALGORITHMS
    # RFC 5280 4.2.1.11 / RFC 3280 4.2.1.12: the profile rules relaxed for CAs of an earlier profile
    # (default: none; RFC3280_COMPATIBLE accepts a non-critical policyConstraints).
    profile_compatibility: ProfileCompatibility = RFC5280_PROFILE
    # EDS-10, ETSI EN 319 102-1 5.6.2.4 (past signature validation): for documents, a verified signature
    # time stamp proves the signature existed at its genTime, so a signer whose certificate does not pass
    # at the validation time (expired, revoked since) is judged as of that genTime instead (its validity,
    # revocation status, identity then; Verifier.evaluate_certificate). Never for a login (UNIS-3,
    # UNIS-11: the key must be usable at the login itself): see :attr:`past_signature_validation`.
    signature_time_stamp_existence: bool = True

    def __post_init__(self) -> None:
        if not self.trust_anchors:
            raise ValueError("a verification policy needs at least one trust anchor (EDS-10)")
        if self.max_clock_skew < dt.timedelta(0):
            raise ValueError("max_clock_skew cannot be negative")
        if self.purpose is Purpose.LOGIN and self.cryptographic_constraints.legacy_signature_algorithms:
            raise ValueError("a login policy accepts no legacy signature algorithm (SHA-1, DSA): UNIS-8")
        if not self.user_initial_policy_set:
            raise ValueError("user_initial_policy_set needs at least one policy (anyPolicy for any)")

    @property
    def default_policy_inputs(self) -> bool:
        """True when the RFC 5280 6.1.1 initial inputs are the defaults (any policy, nothing inhibited)."""
        return (
            self.user_initial_policy_set == frozenset({oids.ANY_POLICY})
            and not self.initial_explicit_policy
            and not self.initial_policy_mapping_inhibit
            and not self.initial_any_policy_inhibit
        )

    @property
    def revocation_required(self) -> bool:
        """True when a missing answer must refuse: always for logins (UNIS-11), by choice for documents and
        time stamps."""
        return self.purpose is Purpose.LOGIN or self.document_revocation is RevocationRequirement.REQUIRED

    @property
    def past_signature_validation(self) -> bool:
        """True when a signer may be judged as of its verified signature time stamp: documents only, when
        :attr:`signature_time_stamp_existence` is set."""
        return self.purpose is Purpose.DOCUMENT and self.signature_time_stamp_existence

    @property
    def reads_embedded_revocation_data(self) -> bool:
        """True when the CRLs and OCSP responses the signature carries (its ``crls`` field, CAdES
        revocationValues, adbe-revocationInfoArchival, a PDF's DSS) may count as revocation data, once
        checked like any other: not for logins, whose revocation is the CA's data at the login itself
        (UNIS-11), never what the signer brings."""
        return self.purpose is not Purpose.LOGIN

    @property
    def legacy_signatures(self) -> frozenset[str]:
        """The legacy signature OIDs this policy accepts (empty for a login)."""
        return self.cryptographic_constraints.legacy_signature_algorithms
