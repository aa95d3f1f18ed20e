"""The chain to the trust anchors (EDS-10): CA paths validated once, leaves checked on a fast path.

Paths are built here (:func:`build_paths`: issuer by name and key identifier, anchors first, no
certificate twice, at most ``max_intermediates`` logical CAs, every partial path counted against a
:class:`~verifier.pkix.PathBudget`) and each candidate is validated by :func:`validate_target`:

1. pyhanko-certvalidator runs RFC 5280 6.1 with revocation off and validity left to step 2
   (signatures, names, basic constraints, key usage, policies with the 6.1.1 inputs, critical
   extensions), so that no revocation gap can stop it before the later certificates are checked;
2. the verifier's own rules: the RFC 5280 profile of every certificate by its role
   (:mod:`verifier.profile`), the validity of the anchor and of each CA, name constraints of every
   form (:mod:`verifier.name_constraints`), the path length bound;
3. the target's own validity (reported as the ``validity`` check for a leaf);
4. only then, when asked, revocation (pyhanko-certvalidator again, with the policy's rules).

The first candidate that passes every stage wins; otherwise the failure of the candidate that got
furthest is reported. A CA path validated that way is cached as an
:class:`~verifier.pkix.Authority` for the window in which it holds; the per-login fast path then
checks only the leaf against its issuer (signature, profile, extended key usage, path length).
Paths with a feature the fast path does not implement are validated whole (:func:`validate_target` for
the leaf), which is also what the differential test compares the fast path against.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator.errors import PathError, ValidationError
from pyhanko_certvalidator.policy_decl import PKIXValidationParams, RevocationCheckingRule
from pyhanko_certvalidator.validate import SUPPORTED_EXTENSIONS

from pki import oids
from pki.errors import InvalidInput, KzPkiError, UnsupportedAlgorithm
from pki.reasons import Reason
from verifier.certificate import Cert, issued_by_key
from verifier.name_constraints import NameConstraintViolation, check_path
from verifier.pkix import (
    Authority,
    BudgetExhausted,
    Failure,
    PathBudget,
    failure_of,
    make_context,
    run,
    validate_candidate,
)
from verifier.policy import VerificationPolicy
from verifier.profile import Role, profile_problem
from verifier.revocation import RevocationSource, crl_number_problem, read_crl_header

_T = TypeVar("_T")
_EXT_NAME_CONSTRAINTS = "2.5.29.30"
_EXT_POLICY_CONSTRAINTS = "2.5.29.36"
_EXT_POLICY_MAPPINGS = "2.5.29.33"
_EXT_INHIBIT_ANY_POLICY = "2.5.29.54"
_FULL_PATH_EXTENSIONS = frozenset(
    {_EXT_NAME_CONSTRAINTS, _EXT_POLICY_CONSTRAINTS, _EXT_POLICY_MAPPINGS, _EXT_INHIBIT_ANY_POLICY}
)


def _dotted(name: str) -> str | None:
    """An extension name of asn1crypto as a dotted OID (None for a name it does not map)."""
    if name[0].isdigit():
        return name
    try:
        return str(asn1_x509.ExtensionId.unmap(name))
    except ValueError:
        return None  # e.g. "qc_statements": pyhanko-certvalidator lists its OID as well


# pyhanko-certvalidator's list of critical extensions it processes, as dotted OIDs.
SUPPORTED_EXTENSION_OIDS = frozenset(filter(None, map(_dotted, SUPPORTED_EXTENSIONS)))


@dataclass(frozen=True)
class PathSettings:
    """The inputs of one path validation besides the target certificate."""

    anchors: tuple[Cert, ...]
    others: tuple[Cert, ...]
    at: dt.datetime
    skew: dt.timedelta
    ee_rule: RevocationCheckingRule
    ca_rule: RevocationCheckingRule
    crls: tuple[bytes, ...] = ()
    ocsps: tuple[bytes, ...] = ()
    params: PKIXValidationParams | None = None
    max_intermediates: int = 8
    budget: PathBudget = field(default_factory=lambda: PathBudget(16, 64))
    # A CA path with name constraints or policy processing is judged with its leaf only (RFC 5280 6.1
    # processes both over the whole path; a self-issued CA judged as the last certificate is not what
    # it is in the leaf's path): its stage 1-2 failures then mark the authority needs_full_path.
    defer_full_paths: bool = False


def params_of(policy: VerificationPolicy) -> PKIXValidationParams | None:
    """The RFC 5280 6.1.1 initial inputs of ``policy`` for pyhanko-certvalidator (None: the defaults)."""
    if policy.default_policy_inputs:
        return None
    return PKIXValidationParams(
        user_initial_policy_set=frozenset(
            "any_policy" if p == oids.ANY_POLICY else p for p in policy.user_initial_policy_set
        ),
        initial_explicit_policy=policy.initial_explicit_policy,
        initial_policy_mapping_inhibit=policy.initial_policy_mapping_inhibit,
        initial_any_policy_inhibit=policy.initial_any_policy_inhibit,
    )


def budget_of(policy: VerificationPolicy) -> PathBudget:
    """A fresh path budget with ``policy``'s limits."""
    return PathBudget(policy.max_candidate_paths, policy.max_signature_checks)


def issuers_of(cert: Cert, pool: Iterable[Cert]) -> list[Cert]:
    """Certificates of ``pool`` named as ``cert``'s issuer whose key identifier does not contradict its
    authority key identifier, in ``pool`` order (pyhanko's find_issuing_authority rule)."""
    try:
        key_id = cert.authority_key_identifier
    except InvalidInput:
        key_id = None
    candidates = [c for c in pool if c.der != cert.der]
    # Names are compared by encoding first (the usual case, cheap), normalised only when that finds none.
    named = [c for c in candidates if c.subject_der == cert.issuer_der] or [
        c for c in candidates if cert.issued_by_name(c)
    ]
    found: list[Cert] = []
    for candidate in named:
        try:
            candidate_id = candidate.key_identifier
        except InvalidInput:
            candidate_id = None
        if candidate in found or (key_id and candidate_id and candidate_id != key_id):
            continue
        found.append(candidate)
    return found


def build_paths(
    target: Cert, anchors: Sequence[Cert], others: Sequence[Cert], max_intermediates: int, budget: PathBudget
) -> Iterator[tuple[Cert, ...]]:
    """Candidate paths for ``target``, trust anchor first, depth first with anchors tried first.

    A path holds no certificate twice nor two with the same subject and key, and at most
    ``max_intermediates`` CA certificates that are not self-issued. Every partial path counts against
    ``budget`` (raises BudgetExhausted when it runs out).
    """
    anchor_set = set(anchors)
    anchor_keys = {(a.subject_der, a.spki_der) for a in anchors}
    # A CA with an anchor's name and key is that anchor for path building (CVE-2024-0567: cross-signed
    # copies of a trusted root are never needed, and following them only multiplies the paths).
    pool = [
        *anchors,
        *(c for c in others if c not in anchor_set and (c.subject_der, c.spki_der) not in anchor_keys),
    ]

    def extend(chain: list[Cert], logical: int) -> Iterator[tuple[Cert, ...]]:
        for issuer in issuers_of(chain[-1], pool):
            budget.spend_path()
            if issuer in anchor_set:
                yield (issuer, *reversed(chain))
                continue
            seen = {(c.subject_der, c.spki_der) for c in chain}
            if issuer in chain or (issuer.subject_der, issuer.spki_der) in seen:
                continue
            depth = logical + (0 if issuer.self_issued else 1)
            if depth > max_intermediates or len(chain) > 2 * max_intermediates + 2:
                continue
            yield from extend([*chain, issuer], depth)

    yield from extend([target], 0)


def validate_target(target: Cert, role: Role, settings: PathSettings) -> tuple[Cert, ...] | Failure:
    """Validate ``target`` (a leaf, or a CA for the cache) as the module doc describes: the path,
    trust anchor first, or the failure of the candidate that got furthest."""
    best: tuple[int, Failure] | None = None
    try:
        for path in build_paths(
            target, settings.anchors, settings.others, settings.max_intermediates, settings.budget
        ):
            stage, failure = _validate_candidate(path, role, settings)
            if failure is None:
                return path
            if best is None or stage > best[0]:
                best = (stage, failure)
    except BudgetExhausted as exc:
        return Failure(Reason.CHAIN_INVALID, str(exc), "chain")
    if best is None:
        return Failure(
            Reason.UNTRUSTED_ROOT,
            f"no path to a trust anchor: the issuer {target.crypto.issuer.rfc4514_string()} is no known CA",
            "chain",
        )
    return best[1]


def _validate_candidate(
    path: tuple[Cert, ...], role: Role, settings: PathSettings
) -> tuple[int, Failure | None]:
    """(stage reached, failure or None) for one candidate path."""
    structural = make_context(
        anchors=settings.anchors,
        others=settings.others,
        at=settings.at,
        skew=_ignore_validity(settings.at),
        ee_rule=RevocationCheckingRule.NO_CHECK,
        ca_rule=RevocationCheckingRule.NO_CHECK,
        budget=settings.budget,
    )
    deferred = role is Role.CA and settings.defer_full_paths and _has_full_path_features(path)
    try:
        run(validate_candidate(path, structural, settings.params))
    except BudgetExhausted:
        raise
    except (ValidationError, PathError) as exc:
        if not deferred:
            return 0, _on_chain(failure_of(exc))
    except Exception as exc:
        return 0, Failure(Reason.CHAIN_INVALID, f"the path cannot be processed: {exc}", "chain")
    problem = path_problem(path, role, settings.at, settings.skew, names=not deferred)
    if problem is not None:
        return 1, Failure(Reason.CHAIN_INVALID, problem, "chain")
    target = path[-1]
    if not _valid_at(target, settings.at, settings.skew):
        reason = (
            Reason.CERTIFICATE_EXPIRED if settings.at > target.not_after else Reason.CERTIFICATE_NOT_YET_VALID
        )
        message = (
            f"the certificate is valid from {target.not_before.isoformat()} to {target.not_after.isoformat()}"
        )
        return 2, Failure(reason, message, "validity" if role is Role.LEAF else "chain")
    if deferred or (
        settings.ee_rule is RevocationCheckingRule.NO_CHECK
        and settings.ca_rule is RevocationCheckingRule.NO_CHECK
    ):
        return 3, None
    try:
        context = make_context(
            anchors=settings.anchors,
            others=settings.others,
            at=settings.at,
            skew=settings.skew,
            ee_rule=settings.ee_rule,
            ca_rule=settings.ca_rule,
            crls=settings.crls,
            ocsps=settings.ocsps,
            budget=settings.budget,
        )
        run(validate_candidate(path, context, settings.params))
    except BudgetExhausted:
        raise
    except (ValidationError, PathError) as exc:
        failure = failure_of(exc)
        return 3, failure if role is Role.LEAF else _on_chain(failure)
    except Exception as exc:
        failure = Failure(
            Reason.REVOCATION_INVALID, f"the revocation data cannot be processed: {exc}", "revocation"
        )
        return 3, failure if role is Role.LEAF else _on_chain(failure)
    return 3, None


def _on_chain(failure: Failure) -> Failure:
    return Failure(failure.reason, failure.message, "chain")


def _ignore_validity(at: dt.datetime) -> dt.timedelta:
    """A time tolerance that makes pyhanko-certvalidator's validity test always hold (stage 2 does it)."""
    room = min(dt.datetime.max.replace(tzinfo=dt.UTC) - at, at - dt.datetime.min.replace(tzinfo=dt.UTC))
    return max(dt.timedelta(0), min(dt.timedelta(days=365 * 400), room - dt.timedelta(days=2)))


def path_problem(
    path: Sequence[Cert], role: Role, at: dt.datetime, skew: dt.timedelta, *, names: bool = True
) -> str | None:
    """Stage 2 for ``path`` (anchor first, the target last in ``role``): profile, CA validity, and
    (``names``) name constraints."""
    for index, cert in enumerate(path):
        cert_role = Role.ANCHOR if index == 0 else role if index == len(path) - 1 else Role.CA
        problem = profile_problem(cert, cert_role, SUPPORTED_EXTENSION_OIDS)
        if problem is not None:
            return f"{_describe(cert, cert_role)}: {problem}"
        if cert_role is not Role.LEAF and index < len(path) - 1 and not _valid_at(cert, at, skew):
            return (
                f"{_describe(cert, cert_role)} is valid only from {cert.not_before.isoformat()} "
                f"to {cert.not_after.isoformat()}"
            )
    if not names:
        return None
    try:
        check_path([(c.asn1, c.crypto) for c in path], ends_in_leaf=role is Role.LEAF)
    except NameConstraintViolation as exc:
        return str(exc)
    return None


def _valid_at(cert: Cert, at: dt.datetime, skew: dt.timedelta) -> bool:
    """Validity at whole-second granularity (see :func:`verifier.certificate.check_validity`)."""
    at = at.replace(microsecond=0)
    return cert.not_before - skew <= at <= cert.not_after + skew


def _describe(cert: Cert, role: Role) -> str:
    if role is Role.LEAF:
        return "the certificate"
    kind = "the trust anchor" if role is Role.ANCHOR else "the CA certificate"
    return f"{kind} '{cert.display_name}'"


def _needs_full_path(path: Sequence[Cert], policy: VerificationPolicy) -> bool:
    """True if ``path`` (anchor first) has a feature the leaf fast path does not implement."""
    return not policy.default_policy_inputs or _has_full_path_features(path)


def _has_full_path_features(path: Sequence[Cert]) -> bool:
    return any(_FULL_PATH_EXTENSIONS & {oid for oid, _ in c.raw_extensions_list} for c in path)


def _logical_intermediates(path: Sequence[Cert]) -> int:
    return sum(1 for c in path[1:] if not c.self_issued)


class TrustStore:
    """The trust anchors, the known CA certificates and the CA paths validated so far.

    Safe to share between threads; one per anchor set (see :meth:`with_policy`).
    """

    def __init__(self, policy: VerificationPolicy, source: RevocationSource) -> None:
        self._policy = policy
        self._source = source
        self.anchors = tuple(Cert.load(der) for der in policy.trust_anchors)
        self.intermediates = tuple(Cert.load(der) for der in policy.intermediates)
        self._anchor_authorities = {a.der: self._anchor_authority(a) for a in self.anchors}
        self._validated: dict[bytes, list[Authority]] = {}
        self._lock = threading.Lock()
        # pyhanko-certvalidator and asn1crypto parse the shared CA certificates lazily, which is not
        # thread-safe (two threads validating at once raised KeyError from asn1crypto's extension cache):
        # CA validations, rare (memoised per CA), run one at a time.
        self._validation_lock = threading.Lock()

    def _anchor_authority(self, anchor: Cert) -> Authority | Failure:
        problem = profile_problem(anchor, Role.ANCHOR, SUPPORTED_EXTENSION_OIDS)
        if problem is not None:
            return Failure(Reason.CHAIN_INVALID, f"{_describe(anchor, Role.ANCHOR)}: {problem}", "chain")
        skew = self._policy.max_clock_skew
        return Authority(
            anchor,
            (anchor,),
            anchor.not_before - skew,
            anchor.not_after + skew,
            needs_full_path=_needs_full_path((anchor,), self._policy),
        )

    def with_policy(self, policy: VerificationPolicy) -> TrustStore:
        """A store for ``policy``: this one (and its cache) when the anchors and CA settings agree."""
        same = (
            policy.trust_anchors == self._policy.trust_anchors
            and policy.intermediates == self._policy.intermediates
            and policy.check_ca_revocation == self._policy.check_ca_revocation
            and policy.max_clock_skew == self._policy.max_clock_skew
            and params_of(policy) == params_of(self._policy)
            and policy.max_intermediates == self._policy.max_intermediates
        )
        if not same:
            return TrustStore(policy, self._source)
        clone = TrustStore.__new__(TrustStore)
        clone.__dict__.update(self.__dict__)
        clone._policy = policy
        return clone

    def issuer_of(
        self, leaf: Cert, extra: Sequence[Cert], at: dt.datetime, budget: PathBudget | None = None
    ) -> Authority | Failure:
        """The validated CA that issued ``leaf``, valid at ``at``, or why there is none.

        ``extra`` are certificates that came with the signature (candidates, never trusted as such);
        ``budget`` bounds the work (a fresh one with the policy's limits when None).
        """
        budget = budget_of(self._policy) if budget is None else budget
        candidates = issuers_of(leaf, self.all_certificates(extra))
        if not candidates:
            return Failure(
                Reason.UNTRUSTED_ROOT,
                f"no path to a trust anchor: the issuer {leaf.crypto.issuer.rfc4514_string()} is no known CA",
                "chain",
            )
        failures: list[Failure] = []
        for candidate in candidates:
            anchor = self._anchor_authorities.get(candidate.der)
            if isinstance(anchor, Authority) and anchor.covers(at.replace(microsecond=0)):
                return anchor
            if anchor is not None:
                failures.append(anchor if isinstance(anchor, Failure) else self._anchor_expired(candidate))
                continue
            cached = next((a for a in self._validated.get(candidate.der, ()) if a.covers(at)), None)
            if cached is not None:
                return cached
            with self._validation_lock:
                cached = next((a for a in self._validated.get(candidate.der, ()) if a.covers(at)), None)
                if cached is not None:  # validated by another thread meanwhile
                    return cached
                result = self._validate_ca(candidate, extra, at, budget)
                if isinstance(result, Authority):
                    with self._lock:
                        self._validated.setdefault(candidate.der, []).append(result)
                    return result
            failures.append(result)
        return failures[0]

    def _anchor_expired(self, anchor: Cert) -> Failure:
        return Failure(
            Reason.CHAIN_INVALID,
            f"{_describe(anchor, Role.ANCHOR)} is valid only from {anchor.not_before.isoformat()} "
            f"to {anchor.not_after.isoformat()}",
            "chain",
        )

    def check_leaf(self, leaf: Cert, authority: Authority) -> Failure | None:
        """The RFC 5280 6.1 steps for the last certificate of the path, against its validated issuer:
        signature, profile (:mod:`verifier.profile`), the extended key usage the policy requires, and
        the path length bound."""
        try:
            valid = issued_by_key(authority.cert.spki_der, leaf.der)
        except UnsupportedAlgorithm as exc:
            return Failure(
                Reason.UNSUPPORTED_ALGORITHM, f"the certificate's signature: {exc.message}", "chain"
            )
        except InvalidInput as exc:
            return Failure(Reason.CHAIN_INVALID, f"the certificate's signature: {exc.message}", "chain")
        if not valid:
            return Failure(
                Reason.CHAIN_INVALID,
                "the certificate's signature does not verify with its issuer's key",
                "chain",
            )
        problem = profile_problem(leaf, Role.LEAF, SUPPORTED_EXTENSION_OIDS) or self.usage_problem(leaf)
        if problem is not None:
            return Failure(Reason.CHAIN_INVALID, f"the certificate: {problem}", "chain")
        if authority.intermediates > self._policy.max_intermediates:
            return Failure(
                Reason.CHAIN_INVALID,
                f"the path has more than {self._policy.max_intermediates} intermediate CA certificates",
                "chain",
            )
        return None

    def usage_problem(self, leaf: Cert) -> str | None:
        """RFC 5280 4.2.1.12: the leaf's extended key usage allows the purposes the policy requires."""
        wanted = self._policy.required_extended_key_usage
        if not wanted:
            return None
        try:
            usages = leaf.extended_key_usage
        except InvalidInput as exc:
            return exc.message
        if usages is None or oids.ANY_EKU in usages or wanted & set(usages):
            return None
        return f"the extended key usage {list(usages)} allows none of {sorted(wanted)}"

    def all_certificates(self, extra: Iterable[Cert] = ()) -> list[Cert]:
        """Anchors, configured intermediates and ``extra``, for building paths."""
        return [*self.anchors, *self.intermediates, *extra]

    def settings(self, extra: Sequence[Cert], at: dt.datetime) -> PathSettings:
        """The :class:`PathSettings` of this store's policy for a validation at ``at`` with ``extra``
        among the candidate issuers and a fresh budget; revocation not checked (replace the rules, CRLs
        and OCSP responses to check it)."""
        return PathSettings(
            anchors=self.anchors,
            others=(*self.intermediates, *extra),
            at=at,
            skew=self._policy.max_clock_skew,
            ee_rule=RevocationCheckingRule.NO_CHECK,
            ca_rule=RevocationCheckingRule.NO_CHECK,
            params=params_of(self._policy),
            max_intermediates=self._policy.max_intermediates,
            budget=budget_of(self._policy),
        )

    def _validate_ca(
        self, ca: Cert, extra: Sequence[Cert], at: dt.datetime, budget: PathBudget
    ) -> Authority | Failure:
        """Validate ``ca``'s path at ``at`` (:func:`validate_target`), then check it may issue a leaf."""
        skew = self._policy.max_clock_skew
        rule = (
            RevocationCheckingRule.CRL_REQUIRED
            if self._policy.check_ca_revocation
            else RevocationCheckingRule.NO_CHECK
        )
        crls = self._ca_crls(ca, extra, at) if self._policy.check_ca_revocation else []
        settings = dataclasses.replace(
            self.settings(extra, at),
            ee_rule=rule,
            ca_rule=rule,
            crls=tuple(crls),
            budget=budget,
            defer_full_paths=True,
        )
        result = validate_target(ca, Role.CA, settings)
        if isinstance(result, Failure):
            return Failure(result.reason, f"the issuing CA certificate: {result.message}", "chain")
        certs = list(result)
        problem = _issuer_problem(certs)
        if problem is not None:
            return Failure(Reason.CHAIN_INVALID, problem, "chain")
        valid_from = max(c.not_before for c in certs) - skew
        valid_until = min(c.not_after for c in certs) + skew
        for der in crls:
            header = read_crl_header(der)
            valid_from = max(valid_from, header.this_update - skew)
            if header.next_update is not None:
                valid_until = min(valid_until, header.next_update + skew)
        return Authority(
            ca,
            tuple(certs),
            valid_from,
            valid_until,
            _needs_full_path(certs, self._policy),
            _logical_intermediates(certs),
        )

    def _ca_crls(self, ca: Cert, extra: Sequence[Cert], at: dt.datetime) -> list[bytes]:
        """CRLs for every non-anchor certificate on the way from ``ca`` up to an anchor."""
        crls: list[bytes] = []
        for current, issuer in self._walk_up(ca, extra):
            crls.extend(self._usable_crls(current, issuer, at))
        return crls

    def revocation_material(
        self, leaf: Cert, extra: Sequence[Cert], at: dt.datetime, nonce: bytes | None
    ) -> tuple[list[bytes], list[bytes]]:
        """(CRLs, OCSP responses) the source has for ``leaf`` and every CA above it, for a whole path
        validation by pyhanko-certvalidator; what cannot be fetched is left for it to report missing."""
        crls: list[bytes] = []
        ocsps: list[bytes] = []
        for current, issuer in self._walk_up(leaf, extra):
            crls.extend(self._usable_crls(current, issuer, at))
            if current is leaf:
                answer = self._quietly(self._source.fetch_ocsp, leaf.crypto, issuer.crypto, nonce, at)
                if answer is not None:
                    ocsps.append(answer.response)
        return crls, ocsps

    def _walk_up(self, start: Cert, extra: Sequence[Cert]) -> Iterator[tuple[Cert, Cert]]:
        """(certificate, its issuer) from ``start`` up to a trust anchor, at most ``max_intermediates`` + 1
        steps (the first candidate issuer at each step)."""
        current = start
        for _ in range(self._policy.max_intermediates + 1):
            if current.der in self._anchor_authorities:
                return
            issuer = next(iter(issuers_of(current, self.all_certificates(extra))), None)
            if issuer is None:
                return
            yield current, issuer
            current = issuer

    def _usable_crls(self, cert: Cert, issuer: Cert, at: dt.datetime) -> list[bytes]:
        """The source's CRLs for ``cert`` that decode and carry a proper CRL number (the others are no
        evidence: what they should have said is then missing, and reported so)."""
        crls = self._quietly(self._source.fetch_crls, cert.crypto, issuer.crypto, at) or ()
        return [der for der in crls if _conforming_crl(der)]

    @staticmethod
    def _quietly(fetch: Callable[..., _T], *args: object) -> _T | None:
        try:
            return fetch(*args)
        except KzPkiError:
            return None  # missing data: pyhanko-certvalidator then reports the revocation information missing


def _conforming_crl(der: bytes) -> bool:
    """Whether ``der`` decodes as a CRL with a non-critical CRL number (RFC 5280 5.2.3)."""
    try:
        return crl_number_problem(read_crl_header(der)) is None
    except InvalidInput:
        return False


def _issuer_problem(path: list[Cert]) -> str | None:
    """RFC 5280 6.1.4 (k, l, m, n) for each CA below the anchor, the last one issuing one more certificate."""
    remaining = len(path)  # the non-anchor CAs plus the leaf to come
    for cert in path[1:]:
        asn1 = cert.asn1
        if not asn1.ca:
            return f"the issuing certificate '{cert.display_name}' is not a CA"
        if not cert.self_issued:
            if remaining == 0:
                return "the path exceeds the maximum path length"
            remaining -= 1
        if asn1.max_path_length is not None and asn1.max_path_length < remaining:
            remaining = asn1.max_path_length
        if asn1.key_usage_value is not None and "key_cert_sign" not in asn1.key_usage_value.native:
            return f"the CA certificate '{cert.display_name}' may not sign certificates"
    return None
