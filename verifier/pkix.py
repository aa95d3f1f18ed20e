"""pyhanko-certvalidator, plugged in: our signature dispatch, our policy, one error mapping.

pyhanko-certvalidator is the authority on CA certificates and on every CRL / OCSP object when
the verifier first loads it, and it runs whole path validations when the fast path cannot
(and for the differential test and the benchmark). This module is the only place that
translates between it and the verifier:

- :class:`PkiSignatureValidator` routes every signature check of pyhanko-certvalidator through
  :func:`pki.signatures.verify_signature`, so GOST plugs in there without a fork;
- :func:`make_context` builds a ``ValidationContext`` from the policy with the explicit
  revocation rules (never the legacy ``hard-fail`` mode, which ignores a supplied CRL for a
  certificate without a CRL distribution point);
- :func:`failure_of` maps its exceptions to our reason codes and to the check they concern;
- :class:`UnconstrainedView` hides name constraints from it: the verifier evaluates them itself, for
  every name form (:mod:`verifier.name_constraints`), where pyhanko-certvalidator 0.33 raises on
  IP-address and otherName constraints and takes malformed names at face value;
- :class:`PathBudget` bounds the signature checks of one validation (counted in
  :class:`PkiSignatureValidator`) and the candidate paths its builder considers;
- :class:`AnchorAwarePath` works around one limitation: a CRL signed by a trust anchor that is not
  self-signed (the NCA CA configured as the anchor, its root left out, as the interop material
  prescribes) has no findable issuer path in pyhanko-certvalidator 0.33
  (``ValidationPath.truncate_to_issuer_and_append`` looks for the anchor's own issuer), so such CRLs
  were never usable. The subclass recognises the anchor itself; everything else is unchanged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from asn1crypto import algos, keys
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.authority import AuthorityWithCert, CertTrustAnchor
from pyhanko_certvalidator.errors import (
    AlgorithmNotSupported,
    DisallowedAlgorithmError,
    ExpiredError,
    InsufficientRevinfoError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
    StaleRevinfoError,
    ValidationError,
)
from pyhanko_certvalidator.path import ValidationPath
from pyhanko_certvalidator.policy_decl import (
    DEFAULT_WEAK_HASH_ALGOS,
    CertRevTrustPolicy,
    DisallowWeakAlgorithmsPolicy,
    PKIXValidationParams,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.sig_validate import (
    DEFAULT_VALIDATION_CONTEXT,
    SignatureValidationContext,
    SignatureValidator,
)
from pyhanko_certvalidator.validate import async_validate_path

from pki import oids
from pki.errors import InvalidInput, UnsupportedAlgorithm
from pki.reasons import Reason
from pki.signatures import verify_signature
from verifier.certificate import Cert, StableCertificate
from verifier.policy import RevocationMethods

_T = TypeVar("_T")

RULES: dict[RevocationMethods, RevocationCheckingRule] = {
    RevocationMethods.OCSP_OR_CRL: RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
    RevocationMethods.OCSP: RevocationCheckingRule.OCSP_REQUIRED,
    RevocationMethods.CRL: RevocationCheckingRule.CRL_REQUIRED,
}


class BudgetExhausted(ValidationError):
    """A validation used up its :class:`PathBudget` (a path-building denial of service)."""


@dataclass
class PathBudget:
    """What one certificate validation may spend: partial candidate paths considered while building
    (``paths``) and signature verifications (``signatures``). The counters say what was spent."""

    max_paths: int
    max_signatures: int
    paths: int = 0
    signatures: int = 0

    @property
    def exhausted(self) -> bool:
        """True once a spend went beyond its limit (then nothing more is tried)."""
        return self.paths > self.max_paths or self.signatures > self.max_signatures

    def spend_path(self) -> None:
        """Count one candidate path; raises BudgetExhausted beyond ``max_paths``."""
        self.paths += 1
        if self.paths > self.max_paths:
            raise BudgetExhausted(f"path building gave up after {self.max_paths} candidate paths")

    def spend_signature(self) -> None:
        """Count one signature verification; raises BudgetExhausted beyond ``max_signatures``."""
        self.signatures += 1
        if self.signatures > self.max_signatures:
            raise BudgetExhausted(f"path validation gave up after {self.max_signatures} signature checks")


class KeyView(StableCertificate):
    """A certificate whose ``public_key`` is its working public key: a DSA key without parameters shows
    the parameters it inherits from its issuer (RFC 3279 2.3.2, RFC 5280 6.1.4 (d-f)), so whatever it
    signed (the next certificate, a CRL) verifies with the whole key. The DER, and so the signed part,
    is the certificate's own."""

    _working_key: keys.PublicKeyInfo | None = None

    @property
    def public_key(self) -> keys.PublicKeyInfo:
        return self._working_key if self._working_key is not None else super().public_key

    @classmethod
    def of(cls, cert: Cert, working_key: keys.PublicKeyInfo | None = None) -> KeyView:
        view = cls.load(cert.der)
        assert isinstance(view, cls)
        view._working_key = working_key
        return view


class UnconstrainedView(KeyView):
    """A certificate as pyhanko-certvalidator should see it: the same DER, name constraints not shown
    (the verifier checks them itself, see :mod:`verifier.name_constraints`)."""

    @property
    def name_constraints_value(self) -> None:
        return None


def working_keys(path: Sequence[Cert]) -> tuple[keys.PublicKeyInfo | None, ...]:
    """For each certificate of ``path`` (trust anchor first), the key with the DSA parameters it inherits
    from the certificate above (RFC 3279 2.3.2: a DSA key without parameters takes its issuer's, when
    that is a DSA key), or None when its own key is the working key."""
    found: list[keys.PublicKeyInfo | None] = []
    previous: keys.PublicKeyInfo | None = None
    for cert in path:
        key = cert.asn1.public_key
        if (
            previous is not None
            and _is_dsa(key)
            and key["algorithm"]["parameters"].native is None
            and _is_dsa(previous)
            and previous["algorithm"]["parameters"].native is not None
        ):
            key = key.copy()
            key["algorithm"]["parameters"] = previous["algorithm"]["parameters"].copy()
            found.append(key)
        else:
            found.append(None)
        previous = key
    return tuple(found)


def _is_dsa(key: keys.PublicKeyInfo) -> bool:
    return bool(key["algorithm"]["algorithm"].dotted == oids.DSA_KEY)


class UnsupportedSignatureAlgorithm(AlgorithmNotSupported):
    """pyhanko-certvalidator's 'not supported' carrying our UnsupportedAlgorithm as its cause."""


class PkiSignatureValidator(SignatureValidator):
    """Every signature pyhanko-certvalidator checks goes through :func:`pki.signatures.verify_signature`,
    counted against ``budget`` when one is given."""

    def __init__(self, budget: PathBudget | None = None, legacy: frozenset[str] = frozenset()) -> None:
        self._budget = budget
        self._legacy = legacy

    def validate_signature(
        self,
        signature: bytes,
        signed_data: bytes,
        public_key_info: keys.PublicKeyInfo,
        signature_algorithm: algos.SignedDigestAlgorithm,
        context: SignatureValidationContext = DEFAULT_VALIDATION_CONTEXT,
    ) -> None:
        if self._budget is not None:
            self._budget.spend_signature()
        try:
            valid = verify_signature(
                public_key_info, signature_algorithm, signed_data, signature, legacy=self._legacy
            )
        except UnsupportedAlgorithm as exc:
            raise UnsupportedSignatureAlgorithm(exc.message) from exc
        except InvalidInput as exc:
            raise InvalidSignature(exc.message) from exc
        if not valid:
            raise InvalidSignature("the signature does not verify")


SIGNATURE_VALIDATOR = PkiSignatureValidator()


class AnchorAwarePath(ValidationPath):
    """A ValidationPath in which the trust anchor's own certificate is a known CRL issuer (see module doc)."""

    def truncate_to_issuer_and_append(self, cert: asn1_x509.Certificate) -> ValidationPath:
        root = self.trust_anchor.authority
        if isinstance(root, AuthorityWithCert) and root.certificate.dump() == cert.dump():
            return ValidationPath(self.trust_anchor, interm=[], leaf=None)
        return super().truncate_to_issuer_and_append(cert)


@dataclass(frozen=True)
class Authority:
    """A CA certificate whose path to a trust anchor pyhanko-certvalidator validated.

    The validation holds for validation times in [``valid_from``, ``valid_until``] (None: no
    bound). ``needs_full_path`` marks paths with a feature the fast path does not implement (name
    constraints, policy constraints/mappings, inhibitAnyPolicy, non-default RFC 5280 6.1.1 inputs):
    their leaves are validated whole. ``intermediates`` counts the CA certificates below the anchor
    that are not self-issued (the leaf's path length).
    """

    cert: Cert
    path: tuple[Cert, ...]  # trust anchor first, this CA last
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    needs_full_path: bool
    intermediates: int = 0
    # the policy's legacy signature OIDs (verifier.policy.CryptographicConstraints) its checks accept
    legacy: frozenset[str] = field(default=frozenset())

    def covers(self, at: dt.datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= at) and (
            self.valid_until is None or at <= self.valid_until
        )

    @property
    def anchor(self) -> Cert:
        return self.path[0]

    @cached_property
    def spki_der(self) -> bytes:
        """This CA's working public key (DSA parameters inherited along the path, :func:`working_keys`):
        what the certificates and CRLs it signed verify with."""
        inherited = working_keys(self.path)[-1]
        return self.cert.spki_der if inherited is None else bytes(inherited.dump())

    def validation_path(self, leaf: Cert) -> ValidationPath:
        """The pyhanko-certvalidator path anchor -> ... -> this CA -> ``leaf`` (inherited DSA parameters
        shown, :class:`KeyView`)."""
        inherited = working_keys(self.path)
        interm = [
            c.asn1 if key is None else KeyView.of(c, key)
            for c, key in zip(self.path[1:], inherited[1:], strict=True)
        ]
        return AnchorAwarePath(trust_anchor=CertTrustAnchor(self.anchor.asn1), interm=interm, leaf=leaf.asn1)


@dataclass(frozen=True)
class Failure:
    """Why a path (or part of one) did not validate, and which check of the verdict reports it."""

    reason: Reason
    message: str
    check: str  # "chain" | "validity" | "revocation"


def make_context(
    *,
    anchors: Iterable[Cert],
    others: Iterable[Cert],
    at: dt.datetime,
    skew: dt.timedelta,
    ee_rule: RevocationCheckingRule,
    ca_rule: RevocationCheckingRule,
    crls: Sequence[bytes] = (),
    ocsps: Sequence[bytes] = (),
    budget: PathBudget | None = None,
    legacy: frozenset[str] = frozenset(),
) -> ValidationContext:
    """A point-in-time ValidationContext at ``at`` with explicit revocation rules, no fetching.

    Certificates are given as :class:`UnconstrainedView` s; signatures count against ``budget``.
    """
    return ValidationContext(
        trust_roots=[UnconstrainedView.of(a) for a in anchors],
        other_certs=[UnconstrainedView.of(c) for c in others],
        moment=at,
        allow_fetching=False,
        crls=list(crls),
        ocsps=list(ocsps),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy(ee_rule, ca_rule)),
        time_tolerance=skew,
        signature_validator=(
            SIGNATURE_VALIDATOR if budget is None and not legacy else PkiSignatureValidator(budget, legacy)
        ),
        algorithm_usage_policy=_algorithm_policy(legacy),
    )


def _algorithm_policy(legacy: frozenset[str]) -> DisallowWeakAlgorithmsPolicy | None:
    """pyhanko-certvalidator's algorithm screen, opened exactly as far as ``legacy`` (SHA-1 for
    dsa-with-sha1; DSA keys from 1024 bits, what the legacy DSA profiles used, NIST SP 800-131A
    "legacy use" for verification); its defaults (None) otherwise."""
    if not legacy:
        return None
    weak = DEFAULT_WEAK_HASH_ALGOS - ({"sha1"} if oids.DSA_WITH_SHA1 in legacy else set())
    return DisallowWeakAlgorithmsPolicy(weak_hash_algos=weak, dsa_key_size_threshold=1024)


def candidate_path(path: Sequence[Cert]) -> AnchorAwarePath:
    """The pyhanko-certvalidator path for ``path`` (trust anchor first), over unconstrained views."""
    views = [UnconstrainedView.of(c, key) for c, key in zip(path, working_keys(path), strict=True)]
    return AnchorAwarePath(trust_anchor=CertTrustAnchor(views[0]), interm=views[1:-1], leaf=views[-1])


async def validate_candidate(
    path: Sequence[Cert], context: ValidationContext, params: PKIXValidationParams | None
) -> AnchorAwarePath:
    """RFC 5280 6.1 over ``path`` (trust anchor first, at least two certificates) by
    pyhanko-certvalidator; raises its ValidationError."""
    candidate = candidate_path(path)
    await async_validate_path(context, candidate, parameters=params)
    return candidate


def run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run one of pyhanko-certvalidator's coroutines to completion (load-time work only)."""
    return asyncio.run(coroutine)


def failure_of(exc: Exception) -> Failure:
    """Map a pyhanko-certvalidator exception to a :class:`Failure`.

    Problems of the end-entity certificate's own validity or revocation go to the ``validity``
    and ``revocation`` checks; everything about the rest of the path goes to ``chain``.
    """
    on_leaf = bool(getattr(exc, "is_ee_cert", False)) and not getattr(exc, "is_side_validation", False)
    message = str(exc)
    if isinstance(exc, RevokedError):
        reason = Reason.ON_HOLD if exc.reason.native == "certificate_hold" else Reason.REVOKED
        return Failure(reason, message, "revocation" if on_leaf else "chain")
    if isinstance(exc, StaleRevinfoError):
        return Failure(Reason.REVOCATION_STALE, message, "revocation" if on_leaf else "chain")
    if isinstance(exc, InsufficientRevinfoError):
        return Failure(Reason.REVOCATION_UNKNOWN, message, "revocation" if on_leaf else "chain")
    if isinstance(exc, ExpiredError):
        return Failure(Reason.CERTIFICATE_EXPIRED, message, "validity" if on_leaf else "chain")
    if isinstance(exc, NotYetValidError):
        return Failure(Reason.CERTIFICATE_NOT_YET_VALID, message, "validity" if on_leaf else "chain")
    if isinstance(exc, DisallowedAlgorithmError) or _caused_by_unsupported(exc):
        return Failure(Reason.UNSUPPORTED_ALGORITHM, message, "chain")
    if isinstance(exc, PathBuildingError):
        return Failure(Reason.UNTRUSTED_ROOT, message, "chain")
    if isinstance(exc, PathValidationError):
        return Failure(Reason.CHAIN_INVALID, message, "chain")
    return Failure(Reason.CHAIN_INVALID, message or type(exc).__name__, "chain")


def _caused_by_unsupported(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, (UnsupportedSignatureAlgorithm, UnsupportedAlgorithm)):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
