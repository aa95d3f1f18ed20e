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
    max_clock_skew: dt.timedelta = dt.timedelta(seconds=30)  # tolerance on every validity / freshness bound
    min_age_years: int = 16  # EDS-14: the owner is 16 or older on the validation date
    max_signature_bytes: int = 1024 * 1024  # size cap for CMS / XML input
    # EDS-10 scope: the policies of the current "single key" profile, accepted for both purposes.
    single_key_policies: frozenset[str] = field(default_factory=lambda: frozenset({oids.POLICY_SINGLE_KEY}))

    def __post_init__(self) -> None:
        if not self.trust_anchors:
            raise ValueError("a verification policy needs at least one trust anchor (EDS-10)")

    @property
    def revocation_required(self) -> bool:
        """True when a missing answer must refuse: always for logins (UNIS-11), by choice for documents and
        time stamps."""
        return self.purpose is Purpose.LOGIN or self.document_revocation is RevocationRequirement.REQUIRED
