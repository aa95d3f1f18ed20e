"""Certification paths (EDS-10): built to the trust anchors and validated, candidate by candidate.

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
furthest is reported. The trust store (:mod:`verifier.chain`) validates CA paths this way once and caches
them; a leaf whose path the fast path does not implement is validated whole here, which is also what the
differential test compares the fast path against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator.errors import PathError, ValidationError
from pyhanko_certvalidator.policy_decl import PKIXValidationParams, RevocationCheckingRule
from pyhanko_certvalidator.validate import SUPPORTED_EXTENSIONS

from pki import oids
from pki.errors import InvalidInput
from pki.reasons import Reason
from verifier.certificate import Cert
from verifier.name_constraints import NameConstraintViolation, check_path
from verifier.pkix import (
    BudgetExhausted,
    Failure,
    PathBudget,
    failure_of,
    make_context,
    run,
    validate_candidate,
)
from verifier.policy import RFC5280_PROFILE, ProfileCompatibility, VerificationPolicy
from verifier.profile import Role, profile_problem

_FULL_PATH_EXTENSIONS = frozenset(
    {
        oids.EXT_NAME_CONSTRAINTS,
        oids.EXT_POLICY_CONSTRAINTS,
        oids.EXT_POLICY_MAPPINGS,
        oids.EXT_INHIBIT_ANY_POLICY,
    }
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
    # signature OIDs accepted beyond the default table (verifier.policy.CryptographicConstraints)
    legacy: frozenset[str] = frozenset()
    # the RFC 5280 section 4 rules relaxed (verifier.policy.ProfileCompatibility; default: none)
    profile: ProfileCompatibility = RFC5280_PROFILE


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
            f"no path to a trust anchor: the issuer {target.issuer_name.rfc4514_string()} is no known CA",
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
        legacy=settings.legacy,
    )
    deferred = role is Role.CA and settings.defer_full_paths and has_full_path_features(path)
    try:
        run(validate_candidate(path, structural, settings.params))
    except BudgetExhausted:
        raise
    except (ValidationError, PathError) as exc:
        if not deferred:
            return 0, _on_chain(failure_of(exc))
    except Exception as exc:
        return 0, Failure(Reason.CHAIN_INVALID, f"the path cannot be processed: {exc}", "chain")
    problem = path_problem(
        path, role, settings.at, settings.skew, names=not deferred, compatibility=settings.profile
    )
    if problem is not None:
        return 1, Failure(Reason.CHAIN_INVALID, problem, "chain")
    target = path[-1]
    if not valid_at(target, settings.at, settings.skew):
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
            legacy=settings.legacy,
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
    path: Sequence[Cert],
    role: Role,
    at: dt.datetime,
    skew: dt.timedelta,
    *,
    names: bool = True,
    compatibility: ProfileCompatibility,
) -> str | None:
    """Stage 2 for ``path`` (anchor first, the target last in ``role``): profile (with the rules
    ``compatibility`` relaxes), CA validity, and (``names``) name constraints."""
    for index, cert in enumerate(path):
        cert_role = Role.ANCHOR if index == 0 else role if index == len(path) - 1 else Role.CA
        problem = profile_problem(cert, cert_role, SUPPORTED_EXTENSION_OIDS, compatibility=compatibility)
        if problem is not None:
            return f"{describe(cert, cert_role)}: {problem}"
        if cert_role is not Role.LEAF and index < len(path) - 1 and not valid_at(cert, at, skew):
            return (
                f"{describe(cert, cert_role)} is valid only from {cert.not_before.isoformat()} "
                f"to {cert.not_after.isoformat()}"
            )
    if not names:
        return None
    try:
        check_path([(c.asn1, c.crypto) for c in path], ends_in_leaf=role is Role.LEAF)
    except NameConstraintViolation as exc:
        return str(exc)
    return None


def valid_at(cert: Cert, at: dt.datetime, skew: dt.timedelta) -> bool:
    """Validity at whole-second granularity (see :func:`verifier.certificate_rules.check_validity`)."""
    at = at.replace(microsecond=0)
    return cert.not_before - skew <= at <= cert.not_after + skew


def describe(cert: Cert, role: Role) -> str:
    """``cert`` as messages name it in ``role``."""
    if role is Role.LEAF:
        return "the certificate"
    kind = "the trust anchor" if role is Role.ANCHOR else "the CA certificate"
    return f"{kind} '{cert.display_name}'"


def has_full_path_features(path: Sequence[Cert]) -> bool:
    """True if a certificate of ``path`` has an extension processed over the whole path (name or policy
    constraints, policy mappings, inhibitAnyPolicy)."""
    return any(_FULL_PATH_EXTENSIONS & {oid for oid, _ in c.raw_extensions_list} for c in path)
