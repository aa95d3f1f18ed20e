"""The chain to the trust anchors (EDS-10): CA paths validated once, leaves checked on a fast path.

pyhanko-certvalidator validates each CA certificate's path to a configured anchor (signatures,
validity, basic constraints, key usage, policies, the CA's revocation through its issuer's CRL)
the first time the CA is needed at a validation time outside its cached window. The per-login
fast path then checks only the leaf against its already-validated issuer: the signature
(through :mod:`pki.signatures`), the issuer name and key identifier, unsupported critical
extensions and the path length the CA allows, exactly the steps RFC 5280 6.1 runs for the last
certificate of a path. Paths with name constraints or policy constraints/mappings are handed
to pyhanko-certvalidator whole (:func:`validate_fully`), which is also what the differential
test compares the fast path against.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator.errors import PathError, ValidationError
from pyhanko_certvalidator.policy_decl import RevocationCheckingRule
from pyhanko_certvalidator.validate import SUPPORTED_EXTENSIONS

from pki.errors import InvalidInput, KzPkiError, UnsupportedAlgorithm
from pki.reasons import Reason
from verifier.certificate import Cert, issued_by_key
from verifier.pkix import Authority, Failure, failure_of, make_context, run, validate_path
from verifier.policy import VerificationPolicy
from verifier.revocation import RevocationSource, read_crl_header

_MAX_DEPTH = 8
_T = TypeVar("_T")


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


class TrustStore:
    """The trust anchors, the known CA certificates and the CA paths validated so far.

    Safe to share between threads; one per anchor set (see :meth:`with_policy`).
    """

    def __init__(self, policy: VerificationPolicy, source: RevocationSource) -> None:
        self._policy = policy
        self._source = source
        self.anchors = tuple(Cert.load(der) for der in policy.trust_anchors)
        self.intermediates = tuple(Cert.load(der) for der in policy.intermediates)
        self._anchor_authorities = {
            a.der: Authority(a, (a,), None, None, needs_full_path=False) for a in self.anchors
        }
        self._validated: dict[bytes, list[Authority]] = {}
        self._lock = threading.Lock()

    def with_policy(self, policy: VerificationPolicy) -> TrustStore:
        """A store for ``policy``: this one (and its cache) when the anchors and CA settings agree."""
        same = (
            policy.trust_anchors == self._policy.trust_anchors
            and policy.intermediates == self._policy.intermediates
            and policy.check_ca_revocation == self._policy.check_ca_revocation
            and policy.max_clock_skew == self._policy.max_clock_skew
        )
        if not same:
            return TrustStore(policy, self._source)
        clone = TrustStore.__new__(TrustStore)
        clone.__dict__.update(self.__dict__)
        clone._policy = policy
        return clone

    def issuer_of(self, leaf: Cert, extra: Sequence[Cert], at: dt.datetime) -> Authority | Failure:
        """The validated CA that issued ``leaf``, valid at ``at``, or why there is none.

        ``extra`` are certificates that came with the signature (candidates, never trusted as such).
        """
        candidates = self._candidates(leaf, extra)
        if not candidates:
            return Failure(
                Reason.UNTRUSTED_ROOT,
                f"no path to a trust anchor: the issuer {leaf.crypto.issuer.rfc4514_string()} is no known CA",
                "chain",
            )
        failures: list[Failure] = []
        for candidate in candidates:
            anchor = self._anchor_authorities.get(candidate.der)
            if anchor is not None:
                return anchor
            cached = next((a for a in self._validated.get(candidate.der, ()) if a.covers(at)), None)
            if cached is not None:
                return cached
            result = self._validate_ca(candidate, extra, at)
            if isinstance(result, Authority):
                with self._lock:
                    self._validated.setdefault(candidate.der, []).append(result)
                return result
            failures.append(result)
        return failures[0]

    def check_leaf(self, leaf: Cert, authority: Authority) -> Failure | None:
        """The RFC 5280 6.1 steps for the last certificate of the path, against its validated issuer."""
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
        try:
            unsupported = leaf.critical_extensions - SUPPORTED_EXTENSION_OIDS
        except InvalidInput as exc:
            return Failure(Reason.CHAIN_INVALID, exc.message, "chain")
        if unsupported:
            return Failure(
                Reason.CHAIN_INVALID,
                f"the certificate has unsupported critical extension(s) {sorted(unsupported)}",
                "chain",
            )
        return None

    def all_certificates(self, extra: Iterable[Cert] = ()) -> list[Cert]:
        """Anchors, configured intermediates and ``extra``, for building paths."""
        return [*self.anchors, *self.intermediates, *extra]

    def _candidates(self, leaf: Cert, extra: Sequence[Cert]) -> list[Cert]:
        """Certificates named as ``leaf``'s issuer, anchors first (pyhanko's find_issuing_authority rule)."""
        key_id = leaf.authority_key_identifier
        pool = [c for c in self.all_certificates(extra) if c.der != leaf.der]
        # Names are compared by encoding first (the usual case, cheap), normalised only when that finds none.
        named = [c for c in pool if c.subject_der == leaf.issuer_der] or [
            c for c in pool if leaf.issued_by_name(c)
        ]
        found: list[Cert] = []
        for candidate in named:
            if candidate in found or (
                key_id and candidate.key_identifier and candidate.key_identifier != key_id
            ):
                continue
            found.append(candidate)
        return found

    def _validate_ca(self, ca: Cert, extra: Sequence[Cert], at: dt.datetime) -> Authority | Failure:
        """Let pyhanko-certvalidator validate ``ca``'s path at ``at``, then check it may issue a leaf."""
        skew = self._policy.max_clock_skew
        rule = (
            RevocationCheckingRule.CRL_REQUIRED
            if self._policy.check_ca_revocation
            else RevocationCheckingRule.NO_CHECK
        )
        crls = self._ca_crls(ca, extra, at) if self._policy.check_ca_revocation else []
        context = make_context(
            anchors=self.anchors,
            others=[*self.intermediates, *extra],
            at=at,
            skew=skew,
            ee_rule=rule,
            ca_rule=rule,
            crls=crls,
        )
        try:
            path = run(validate_path(ca, context))
        except (ValidationError, PathError) as exc:
            failure = failure_of(exc)
            return Failure(failure.reason, f"the issuing CA certificate: {failure.message}", "chain")
        certs = [Cert.from_asn1(c) for c in path.iter_certs(include_root=True)]
        problem = _issuer_problem(certs)
        if problem is not None:
            return Failure(Reason.CHAIN_INVALID, problem, "chain")
        below_anchor = certs[1:]
        valid_from = max(c.not_before for c in below_anchor) - skew
        valid_until = min(c.not_after for c in below_anchor) + skew
        for der in crls:
            header = read_crl_header(der)
            valid_from = max(valid_from, header.this_update - skew)
            if header.next_update is not None:
                valid_until = min(valid_until, header.next_update + skew)
        needs_full_path = any(
            c.asn1.name_constraints_value is not None
            or c.asn1.policy_constraints_value is not None
            or c.asn1.policy_mappings_value is not None
            or c.asn1.inhibit_any_policy_value is not None
            for c in below_anchor
        )
        return Authority(ca, tuple(certs), valid_from, valid_until, needs_full_path)

    def _ca_crls(self, ca: Cert, extra: Sequence[Cert], at: dt.datetime) -> list[bytes]:
        """CRLs for every non-anchor certificate on the way from ``ca`` up to an anchor."""
        crls: list[bytes] = []
        for current, issuer in self._walk_up(ca, extra):
            crls.extend(self._quietly(self._source.fetch_crls, current.crypto, issuer.crypto, at) or ())
        return crls

    def revocation_material(
        self, leaf: Cert, extra: Sequence[Cert], at: dt.datetime, nonce: bytes | None
    ) -> tuple[list[bytes], list[bytes]]:
        """(CRLs, OCSP responses) the source has for ``leaf`` and every CA above it, for a whole path
        validation by pyhanko-certvalidator; what cannot be fetched is left for it to report missing."""
        crls: list[bytes] = []
        ocsps: list[bytes] = []
        for current, issuer in self._walk_up(leaf, extra):
            crls.extend(self._quietly(self._source.fetch_crls, current.crypto, issuer.crypto, at) or ())
            if current is leaf:
                answer = self._quietly(self._source.fetch_ocsp, leaf.crypto, issuer.crypto, nonce, at)
                if answer is not None:
                    ocsps.append(answer.response)
        return crls, ocsps

    def _walk_up(self, start: Cert, extra: Sequence[Cert]) -> Iterator[tuple[Cert, Cert]]:
        """(certificate, its issuer) from ``start`` up to a trust anchor, at most ``_MAX_DEPTH`` steps."""
        current = start
        for _ in range(_MAX_DEPTH):
            if current.der in self._anchor_authorities:
                return
            issuer = next(iter(self._candidates(current, extra)), None)
            if issuer is None:
                return
            yield current, issuer
            current = issuer

    @staticmethod
    def _quietly(fetch: Callable[..., _T], *args: object) -> _T | None:
        try:
            return fetch(*args)
        except KzPkiError:
            return None  # missing data: pyhanko-certvalidator then reports the revocation information missing


def _issuer_problem(path: list[Cert]) -> str | None:
    """RFC 5280 6.1.4 (k, l, m, n) for each CA below the anchor, the last one issuing one more certificate."""
    remaining = len(path)  # the non-anchor CAs plus the leaf to come
    for cert in path[1:]:
        asn1 = cert.asn1
        if not asn1.ca:
            return f"the issuing certificate '{asn1.subject.human_friendly}' is not a CA"
        if not asn1.self_issued:
            if remaining == 0:
                return "the path exceeds the maximum path length"
            remaining -= 1
        if asn1.max_path_length is not None and asn1.max_path_length < remaining:
            remaining = asn1.max_path_length
        if asn1.key_usage_value is not None and "key_cert_sign" not in asn1.key_usage_value.native:
            return f"the CA certificate '{asn1.subject.human_friendly}' may not sign certificates"
    return None


def validate_fully(
    leaf: Cert,
    *,
    anchors: Sequence[Cert],
    others: Sequence[Cert],
    at: dt.datetime,
    skew: dt.timedelta,
    ee_rule: RevocationCheckingRule,
    ca_rule: RevocationCheckingRule,
    crls: Sequence[bytes] = (),
    ocsps: Sequence[bytes] = (),
) -> tuple[Cert, ...] | Failure:
    """A whole path validation by pyhanko-certvalidator alone: the path (anchor first) or the failure.

    Used where the fast path does not apply, by the differential test and by the benchmark.
    """
    context = make_context(
        anchors=anchors,
        others=others,
        at=at,
        skew=skew,
        ee_rule=ee_rule,
        ca_rule=ca_rule,
        crls=crls,
        ocsps=ocsps,
    )
    try:
        path = run(validate_path(leaf, context))
    except (ValidationError, PathError) as exc:
        return failure_of(exc)
    return tuple(Cert.from_asn1(c) for c in path.iter_certs(include_root=True))
