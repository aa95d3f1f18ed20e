"""The chain to the trust anchors (EDS-10): CA paths validated once, leaves checked on a fast path.

A CA path validated by :func:`verifier.paths.validate_target` is cached by the :class:`TrustStore` as an
:class:`~verifier.pkix.Authority` for the window in which it holds; the per-login fast path then
checks only the leaf against its issuer (signature, profile, extended key usage, path length).
Paths with a feature the fast path does not implement are validated whole (:mod:`verifier.paths`).
The store also walks up from a certificate to an anchor to gather the revocation data of a whole path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from pyhanko_certvalidator.policy_decl import RevocationCheckingRule

from pki import oids
from pki.errors import InvalidInput, KzPkiError, UnsupportedAlgorithm
from pki.reasons import Reason
from verifier.certificate import Cert, issued_by_key
from verifier.paths import (
    SUPPORTED_EXTENSION_OIDS,
    PathSettings,
    budget_of,
    describe,
    has_full_path_features,
    issuers_of,
    params_of,
    validate_target,
)
from verifier.pkix import Authority, Failure, PathBudget
from verifier.policy import VerificationPolicy
from verifier.profile import Role, profile_problem
from verifier.revocation import RevocationSource, crl_number_problem, read_crl_header

_T = TypeVar("_T")


def _needs_full_path(path: Sequence[Cert], policy: VerificationPolicy) -> bool:
    """True if ``path`` (anchor first) has a feature the leaf fast path does not implement."""
    return not policy.default_policy_inputs or has_full_path_features(path)


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
        problem = profile_problem(
            anchor, Role.ANCHOR, SUPPORTED_EXTENSION_OIDS, compatibility=self._policy.profile_compatibility
        )
        if problem is not None:
            return Failure(Reason.CHAIN_INVALID, f"{describe(anchor, Role.ANCHOR)}: {problem}", "chain")
        skew = self._policy.max_clock_skew
        return Authority(
            anchor,
            (anchor,),
            anchor.not_before - skew,
            anchor.not_after + skew,
            needs_full_path=_needs_full_path((anchor,), self._policy),
            legacy=self._policy.legacy_signatures,
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
            and policy.legacy_signatures == self._policy.legacy_signatures
            and policy.profile_compatibility == self._policy.profile_compatibility
        )
        if not same:
            return TrustStore(policy, self._source)
        clone = TrustStore.__new__(TrustStore)
        clone.__dict__.update(self.__dict__)
        clone._policy = policy
        return clone

    def issuer_of(
        self,
        leaf: Cert,
        extra: Sequence[Cert],
        at: dt.datetime,
        budget: PathBudget | None = None,
        *,
        carried_crls: Sequence[bytes] = (),
    ) -> Authority | Failure:
        """The validated CA that issued ``leaf``, valid at ``at``, or why there is none.

        ``extra`` are certificates that came with the signature (candidates, never trusted as such);
        ``budget`` bounds the work (a fresh one with the policy's limits when None). ``carried_crls``: CRLs
        that came with the signature, for the CA certificates' revocation beside the source's (each
        counts only once its issuer's signature over it verifies); a CA validated with them is not kept
        for other validations, which must not depend on what one signer brought (UNIS-11).
        """
        budget = budget_of(self._policy) if budget is None else budget
        candidates = issuers_of(leaf, self.all_certificates(extra))
        if not candidates:
            return Failure(
                Reason.UNTRUSTED_ROOT,
                f"no path to a trust anchor: the issuer {leaf.issuer_name.rfc4514_string()} is no known CA",
                "chain",
            )
        failures: list[Failure] = []
        for candidate in candidates:
            if budget.exhausted:  # a same-subject mesh: the first exhausted candidate's failure stands
                break
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
                result = self._validate_ca(candidate, extra, at, budget, carried_crls)
                if isinstance(result, Authority):
                    if not carried_crls:
                        with self._lock:
                            self._validated.setdefault(candidate.der, []).append(result)
                    return result
            failures.append(result)
        return failures[0]

    def _anchor_expired(self, anchor: Cert) -> Failure:
        return Failure(
            Reason.CHAIN_INVALID,
            f"{describe(anchor, Role.ANCHOR)} is valid only from {anchor.not_before.isoformat()} "
            f"to {anchor.not_after.isoformat()}",
            "chain",
        )

    def check_leaf(self, leaf: Cert, authority: Authority) -> Failure | None:
        """The RFC 5280 6.1 steps for the last certificate of the path, against its validated issuer:
        signature, profile (:mod:`verifier.profile`), the extended key usage the policy requires, and
        the path length bound."""
        try:
            valid = issued_by_key(authority.spki_der, leaf, self._policy.legacy_signatures)
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
        problem = profile_problem(
            leaf, Role.LEAF, SUPPORTED_EXTENSION_OIDS, compatibility=self._policy.profile_compatibility
        ) or self.usage_problem(leaf)
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
            legacy=self._policy.legacy_signatures,
            profile=self._policy.profile_compatibility,
        )

    def _validate_ca(
        self,
        ca: Cert,
        extra: Sequence[Cert],
        at: dt.datetime,
        budget: PathBudget,
        carried_crls: Sequence[bytes] = (),
    ) -> Authority | Failure:
        """Validate ``ca``'s path at ``at`` (:func:`validate_target`) with the source's CRLs and
        ``carried_crls``, then check it may issue a leaf."""
        skew = self._policy.max_clock_skew
        rule = (
            RevocationCheckingRule.CRL_REQUIRED
            if self._policy.check_ca_revocation
            else RevocationCheckingRule.NO_CHECK
        )
        crls = []
        if self._policy.check_ca_revocation:
            crls = self._ca_crls(ca, extra, at)
            crls += [der for der in carried_crls if _conforming_crl(der) and der not in crls]
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
            self._policy.legacy_signatures,
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
