"""Judging CRLs (RFC 5280 6.3, EDS-18): each CRL validated once, then read through its serial index.

This is the fast path for complete CRLs of the certificate's own issuer key; what needs more of RFC 5280 6.3
(separate CRL keys, IDP scopes, reasons, indirect CRLs, :mod:`verifier.revocation.crl_scope`) is answered
with ``full_validation`` so that the caller validates the whole path instead. A CRL without a CRL number or
with a critical one is refused (RFC 5280 5.2.3).

Each CRL is validated ONCE per (issuer, CRL number) when first seen, by pyhanko-certvalidator
(signature, issuer, scope, freshness, delta requirement), then parsed ONCE into a
:class:`~verifier.revocation.crl_index.CrlIndex`; every later check is an index lookup plus a
freshness comparison. Delta CRLs are merged with their base (baseCRLNumber <= the full CRL's
number): an entry in the delta wins, removeFromCRL releases a hold, certificateHold means ``on_hold``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import crl as asn1_crl
from pyhanko_certvalidator.errors import (
    CRLNoMatchesError,
    CRLValidationError,
    CRLValidationIndeterminateError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.policy_decl import RevocationCheckingRule
from pyhanko_certvalidator.revinfo.validate_crl import verify_crl

from pki.errors import InvalidInput, KzPkiError, UnsupportedAlgorithm
from pki.reasons import Reason
from pki.signatures import verify_signature
from verifier.certificate import Cert
from verifier.pkix import Authority, make_context, run
from verifier.policy import VerificationPolicy
from verifier.revocation.crl_header import CrlHeader, crl_number_problem, read_crl_header
from verifier.revocation.crl_index import CrlIndex
from verifier.revocation.crl_scope import FullProcessing, crl_reason, entity_reason, leaf_point_reason
from verifier.revocation.outcome import (
    FRESHNESS_FALLBACK,
    NO_ANSWER,
    RevocationOutcome,
    RevocationStatus,
    invalid,
    is_fresh,
    outcome_of,
    unknown,
)
from verifier.revocation.sources import RevocationSource
from verifier.verdict import Notice, RevocationEvidence


@dataclass(frozen=True)
class _Unusable:
    reason: Reason
    message: str


_Loaded = CrlIndex | _Unusable | FullProcessing | None


class CrlChecker:
    """The CRL half of revocation checking: fetches through ``source``, validates, indexes, looks up.

    Holds the CRL indexes; safe to share between threads and between policies (the policy is an
    argument of each call).
    """

    _IDENTITY_SLOTS = 64

    def __init__(self, source: RevocationSource) -> None:
        self.source = source
        self._indexes: dict[tuple[bytes, object, bool], CrlIndex] = {}
        self._by_identity: dict[tuple[int, bytes], tuple[bytes, _Loaded]] = {}
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()

    def check(
        self, leaf: Cert, authority: Authority, at: dt.datetime, policy: VerificationPolicy
    ) -> RevocationOutcome:
        """The status of ``leaf`` at ``at`` according to its issuer's CRLs (full, and delta if any)."""
        try:
            ders = self.source.fetch_crls(leaf.crypto, authority.cert.crypto, at)
        except KzPkiError as exc:
            return unknown(f"CRL: {exc.message}")
        loaded = [self._index(der, ders, leaf, authority, at, policy) for der in ders]
        deferred = _full_processing_reason(loaded, leaf)
        if deferred is not None:
            return dataclasses.replace(unknown(f"CRL: {deferred}"), full_validation=True)
        indexes = [item for item in loaded if isinstance(item, CrlIndex) and _in_scope(item, leaf)]
        fulls = [i for i in indexes if not i.header.is_delta]
        if not fulls:
            unusable = [item for item in loaded if isinstance(item, _Unusable)]
            if unusable:
                return unknown(f"CRL: {unusable[0].message}", unusable[0].reason)
            return dataclasses.replace(NO_ANSWER, message="CRL: no CRL issued by the certificate's issuer")
        full = max(fulls, key=lambda i: i.header.number or 0)
        warnings: list[Notice] = []
        delta = _matching_delta(full, indexes, at, policy.max_clock_skew, warnings)
        if full.header.has_freshest_crl and delta is None and not warnings:
            return unknown("CRL: the full CRL requires a delta CRL (Freshest CRL) and none is available")
        try:
            entry = delta.lookup(leaf.serial) if delta is not None else None
            if entry is None:
                entry = full.lookup(leaf.serial)
        except InvalidInput as exc:
            return invalid(f"CRL: {exc.message}")
        status, revocation_time, reason = RevocationStatus.GOOD, None, None
        if entry is not None and entry[1] != "remove_from_crl" and entry[0] < at:
            revocation_time, reason = entry
            status = RevocationStatus.ON_HOLD if reason == "certificate_hold" else RevocationStatus.REVOKED
        evidence = RevocationEvidence(
            source="crl",
            location=self.source.name,
            status=status.value,
            this_update=full.header.this_update,
            next_update=full.header.next_update,
            crl_number=full.header.number,
            delta_crl_number=None if delta is None else delta.header.number,
            revocation_time=revocation_time,
            reason=reason,
        )
        return dataclasses.replace(outcome_of(status, evidence, "CRL"), warnings=tuple(warnings))

    def _index(
        self,
        der: bytes,
        batch: Sequence[bytes],
        leaf: Cert,
        authority: Authority,
        at: dt.datetime,
        policy: VerificationPolicy,
    ) -> _Loaded:
        """The index of ``der`` if it is a usable CRL of ``authority`` at ``at``; None for another CA's;
        FullProcessing for one the fast path does not judge."""
        skew = policy.max_clock_skew
        identity = (id(der), authority.cert.sha256)
        remembered = self._by_identity.get(identity)
        if remembered is not None and remembered[0] is der:
            result = remembered[1]
            if not isinstance(result, CrlIndex):
                return result
            return result if _usable_at(result.header, at, skew) else _stale(result.header, at, skew)
        try:
            header = read_crl_header(der)
        except InvalidInput as exc:
            return self._remember(identity, der, _Unusable(Reason.REVOCATION_INVALID, exc.message))
        full = crl_reason(header, authority)
        if full is not None:
            return self._remember(identity, der, FullProcessing(full))
        if not _issued_by(header, authority.cert):
            return self._remember(identity, der, None)
        key = (
            authority.cert.sha256,
            header.number if header.number is not None else hashlib.sha256(der).digest(),
            header.is_delta,
        )
        index = self._indexes.get(key)
        if index is None:
            if not _usable_at(header, at, skew):
                return _stale(header, at, skew)
            with self._load_lock:  # one load at a time: a 20 MB CRL is parsed once, not once per thread
                index = self._indexes.get(key)
                if index is None:
                    loaded = _validate_and_index(der, header, batch, leaf, authority, at, skew)
                    if isinstance(loaded, _Unusable):
                        # not remembered: the verdict may change with the rest of the batch (a delta)
                        return loaded
                    self._indexes[key] = index = loaded
        self._remember(identity, der, index)
        return index if _usable_at(header, at, skew) else _stale(header, at, skew)

    def _remember(self, identity: tuple[int, bytes], der: bytes, result: _Loaded) -> _Loaded:
        with self._lock:
            if len(self._by_identity) >= self._IDENTITY_SLOTS:
                self._by_identity.clear()
            self._by_identity[identity] = (der, result)
        return result


def _full_processing_reason(loaded: Sequence[_Loaded], leaf: Cert) -> str | None:
    """Why ``leaf``'s CRLs need RFC 5280 6.3 beyond this fast path (see crl_scope), or None."""
    for item in loaded:
        if isinstance(item, FullProcessing):
            return item.reason
        if isinstance(item, CrlIndex) and (reason := entity_reason(item.header, leaf)) is not None:
            return reason
    return leaf_point_reason(leaf)


def _issued_by(header: CrlHeader, ca: Cert) -> bool:
    """Whether the CRL names ``ca`` as its issuer (by name, and by key identifier when both carry one)."""
    if header.issuer_der != ca.subject_der and header.issuer_key != ca.subject_key:
        return False
    return (
        header.authority_key_id is None
        or ca.key_identifier is None
        or header.authority_key_id == ca.key_identifier
    )


def _in_scope(index: CrlIndex, leaf: Cert) -> bool:
    urls = index.header.scope_urls
    return urls is None or bool(urls.intersection(leaf.crl_urls))


def _matching_delta(
    full: CrlIndex, indexes: list[CrlIndex], at: dt.datetime, skew: dt.timedelta, warnings: list[Notice]
) -> CrlIndex | None:
    candidates = [
        i
        for i in indexes
        if i.header.is_delta
        and i.header.authority_key_id == full.header.authority_key_id
        and (i.header.base_number or 0) <= (full.header.number or 0)
    ]
    fresh = [i for i in candidates if _usable_at(i.header, at, skew)]
    if candidates and not fresh:
        warnings.append(Notice("delta_crl_stale", "the delta CRL is past its nextUpdate and was not used"))
    return max(fresh, key=lambda i: i.header.number or 0) if fresh else None


def _usable_at(header: CrlHeader, at: dt.datetime, skew: dt.timedelta) -> bool:
    return is_fresh(header.this_update, header.next_update, at, FRESHNESS_FALLBACK, skew)


def _stale(header: CrlHeader, at: dt.datetime, skew: dt.timedelta) -> _Unusable:
    if at + skew < header.this_update:
        return _Unusable(
            Reason.REVOCATION_UNKNOWN,
            f"the CRL was issued after the validation time ({header.this_update.isoformat()})",
        )
    bound = header.next_update.isoformat() if header.next_update else "its thisUpdate + 30 minutes"
    return _Unusable(Reason.REVOCATION_STALE, f"the CRL is past its nextUpdate ({bound})")


def _validate_and_index(
    der: bytes,
    header: CrlHeader,
    batch: Sequence[bytes],
    leaf: Cert,
    authority: Authority,
    at: dt.datetime,
    skew: dt.timedelta,
) -> CrlIndex | _Unusable:
    problem = _header_problem(der, header, batch)
    if problem is None:
        problem = (
            _delta_signature_problem(der, authority)
            if header.is_delta
            else _full_crl_problem(der, batch, leaf, authority, at, skew)
        )
    if problem is not None:
        return problem
    try:
        return CrlIndex.build(header, der)
    except InvalidInput as exc:
        return _Unusable(Reason.REVOCATION_INVALID, exc.message)


def _header_problem(der: bytes, header: CrlHeader, batch: Sequence[bytes]) -> _Unusable | None:
    if header.has_freshest_crl and not any(read_crl_header(d).is_delta for d in batch if d is not der):
        return _Unusable(
            Reason.REVOCATION_UNKNOWN, "the CRL requires a delta CRL (Freshest CRL) and none is available"
        )
    number_problem = crl_number_problem(header)
    if number_problem is not None:
        return _Unusable(Reason.REVOCATION_INVALID, number_problem)
    if header.unknown_critical:
        return _Unusable(
            Reason.REVOCATION_INVALID, f"unknown critical CRL extension(s) {sorted(header.unknown_critical)}"
        )
    return None


def _delta_signature_problem(der: bytes, authority: Authority) -> _Unusable | None:
    """pyhanko-certvalidator judges a delta only with a full CRL naming it; its signature is checked here."""
    crl = asn1_crl.CertificateList.load(der)
    try:
        valid = verify_signature(
            authority.spki_der,
            crl["signature_algorithm"],
            crl["tbs_cert_list"].dump(),
            crl["signature"].native,
            legacy=authority.legacy,
        )
    except UnsupportedAlgorithm as exc:
        return _Unusable(Reason.REVOCATION_INVALID, f"delta CRL: {exc.message}")
    if not valid:
        return _Unusable(
            Reason.REVOCATION_INVALID, "the delta CRL signature does not verify with the CA's key"
        )
    return None


def _full_crl_problem(
    der: bytes, batch: Sequence[bytes], leaf: Cert, authority: Authority, at: dt.datetime, skew: dt.timedelta
) -> _Unusable | None:
    """pyhanko-certvalidator's verdict on the full CRL ``der`` as evidence about ``leaf``."""
    context = make_context(
        anchors=[authority.anchor],
        others=authority.path[1:],
        at=at,
        skew=skew,
        # verify_crl is called directly, so these rules only govern the re-validation of the
        # CRL issuer's own path, whose revocation the trust store has already checked.
        ee_rule=RevocationCheckingRule.NO_CHECK,
        ca_rule=RevocationCheckingRule.NO_CHECK,
        crls=[der, *(d for d in batch if d is not der)],
        legacy=authority.legacy,
    )
    try:
        run(verify_crl(leaf.asn1, authority.validation_path(leaf), context))
    except RevokedError:
        pass  # the CRL is valid; the leaf's status is read from the index like everyone's
    except CRLValidationIndeterminateError as exc:
        return _Unusable(Reason.REVOCATION_INVALID, "; ".join(str(f[0]) for f in exc.failures) or str(exc))
    except (CRLNoMatchesError, CRLValidationError, PathValidationError, ValueError) as exc:
        return _Unusable(Reason.REVOCATION_INVALID, str(exc))
    return None
