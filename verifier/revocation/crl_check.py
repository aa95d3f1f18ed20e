"""Judging CRLs (RFC 5280 6.3, EDS-18): each CRL validated once, then read through its serial index.

This is the fast path for complete CRLs of the certificate's own issuer key; what needs more of RFC 5280 6.3
(separate CRL keys, IDP scopes, reasons, indirect CRLs, :mod:`verifier.revocation.crl_scope`) is answered
with ``full_validation`` so that the caller validates the whole path instead. A CRL without a CRL number or
with a critical one is refused (RFC 5280 5.2.3).

Each CRL is validated ONCE per (issuer, CRL number, signature) when first seen, with the checks
pyhanko-certvalidator's ``verify_crl`` makes on such a CRL (RFC 5280 6.3.3 b, e-g, whose inputs the fast path
restricts to one case): issuer name and key identifier (b.1, f), keyUsage cRLSign of the issuer's
certificate (f), the signature over the TBSCertList with the issuer's key through our signature table (g),
no unknown critical CRL extension (e), a CRL number (5.2.3), a delta when the CRL announces one (c);
freshness (thisUpdate/nextUpdate, with the policy's skew) and the distribution-point scope (b.2) are judged
at each use, since they depend on the time and the certificate. Unlike ``verify_crl`` nothing decodes the
entries for this (asn1crypto takes seconds and a gigabyte for a million entries): the DER is walked once
into a :class:`~verifier.revocation.crl_index.CrlIndex`; every later check is an index lookup plus a
freshness comparison.

Large CRLs are validated and indexed off the request path (:mod:`verifier.revocation.crl_builds`). While a
new CRL is being prepared a check uses the CA's previous CRLs if they are still usable at the validation
time; a login waits at most 50 ms for the new one when there are none, and then its revocation status is
unknown: "being prepared", which refuses the login (fail-closed, UNIS-11) and asks to try again. A
verification for any other purpose (documents, time-stamps, the CLI) waits for the index.

Delta CRLs are indexed like full ones and laid over their base (baseCRLNumber <= the full CRL's number)
without rebuilding it: an entry in the delta wins, removeFromCRL releases a hold, certificateHold means
``on_hold``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from pki.errors import InvalidInput, KzPkiError, UnsupportedAlgorithm
from pki.reasons import Reason
from pki.signatures import verify_signature
from verifier.certificate import Cert
from verifier.pkix import Authority
from verifier.policy import Purpose, VerificationPolicy
from verifier.revocation.crl_builds import INLINE_LIMIT, LOGIN_WAIT, CrlBuilds
from verifier.revocation.crl_der import read_layout
from verifier.revocation.crl_header import CrlHeader, crl_number_problem, read_crl_header
from verifier.revocation.crl_index import CrlEntry, CrlIndex
from verifier.revocation.crl_scope import FullProcessing, crl_reason, entity_reason, leaf_point_reason
from verifier.revocation.outcome import (
    EMBEDDED,
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


@dataclass(frozen=True)
class _Pending:
    """A new CRL of the CA (``ca``: its :func:`_ca_identity`) still being indexed in the background."""

    ca: bytes
    size: int


_Loaded = CrlIndex | _Unusable | FullProcessing | _Pending | None
_Built = CrlIndex | _Unusable
# (_ca_identity, CRL number, delta?, the signature's last octets): one CRL, whatever its bytes object
_Key = tuple[bytes, int, bool, bytes]
_KEPT_PER_KIND = 2  # indexes kept per CA and kind (full, delta): the latest and the one before


class CrlChecker:
    """The CRL half of revocation checking: fetches through ``source``, validates, indexes, looks up.

    Holds the CRL indexes (at most two per CA and kind, the latest by CRL number and the one before); safe
    to share between threads and between policies (the policy is an argument of each call). CRLs larger
    than ``inline_limit`` octets are indexed on a background thread; a login waits at most
    ``login_wait`` seconds for one (see the module docstring).
    """

    _IDENTITY_SLOTS = 64

    def __init__(
        self, source: RevocationSource, *, inline_limit: int = INLINE_LIMIT, login_wait: float = LOGIN_WAIT
    ) -> None:
        self.source = source
        self.login_wait = login_wait
        self._indexes: dict[_Key, _Built] = {}
        self._latest: dict[tuple[bytes, bool], CrlIndex] = {}
        self._by_identity: dict[tuple[int, bytes], tuple[bytes, _Loaded]] = {}
        self._lock = threading.Lock()
        self._builds: CrlBuilds[_Built] = CrlBuilds(inline_limit=inline_limit)

    def check(
        self,
        leaf: Cert,
        authority: Authority,
        at: dt.datetime,
        policy: VerificationPolicy,
        embedded: Sequence[bytes] = (),
    ) -> RevocationOutcome:
        """The status of ``leaf`` at ``at`` according to its issuer's CRLs (full, and delta if any): those of
        the source and ``embedded`` (DER CRLs the signature carries), each checked alike (issuer, signature,
        scope, validity at ``at``); the evidence's location says when the full CRL was an embedded one."""
        try:
            fetched = list(self.source.fetch_crls(leaf.crypto, authority.cert.crypto, at))
        except KzPkiError as exc:
            if not embedded:
                return unknown(f"CRL: {exc.message}")
            fetched = []
        ders = [*fetched, *(der for der in embedded if der not in fetched)]
        loaded = [self._index(der, ders, authority, at, policy) for der in ders]
        deferred = _full_processing_reason(loaded, leaf)
        if deferred is not None:
            return dataclasses.replace(unknown(f"CRL: {deferred}"), full_validation=True)
        indexes = [item for item in loaded if isinstance(item, CrlIndex)]
        pending = [item for item in loaded if isinstance(item, _Pending)]
        if pending:  # the CA's previous CRLs stand in while the new ones are being indexed
            indexes.extend(
                i for i in self._previous(authority, at, policy.max_clock_skew) if i not in indexes
            )
        indexes = [i for i in indexes if _in_scope(i, leaf)]
        fulls = [i for i in indexes if not i.header.is_delta]
        if not fulls:
            if pending:
                return unknown(
                    f"CRL: the revocation data is being prepared (a new CRL of {pending[0].size} octets is "
                    "being indexed and no earlier one is usable); try again shortly"
                )
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
            entry = entry_in_force(full, delta, leaf.serial)
        except InvalidInput as exc:
            return invalid(f"CRL: {exc.message}")
        status, revocation_time, reason = RevocationStatus.GOOD, None, None
        if entry is not None and entry.revocation_time < at:
            revocation_time, reason = entry.revocation_time, entry.reason
            status = RevocationStatus.ON_HOLD if reason == "certificate_hold" else RevocationStatus.REVOKED
        evidence = RevocationEvidence(
            source="crl",
            location=EMBEDDED if any(full.der == der for der in embedded) else self.source.name,
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
        authority: Authority,
        at: dt.datetime,
        policy: VerificationPolicy,
    ) -> _Loaded:
        """The index of ``der`` if it is a usable CRL of ``authority`` at ``at``; None for another CA's;
        FullProcessing for one the fast path does not judge; _Pending while it is being indexed."""
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
        problem = _header_problem(der, header, batch)
        if problem is not None:
            return problem  # not remembered: the verdict may change with the rest of the batch (a delta)
        assert header.number is not None  # checked by _header_problem
        key: _Key = (_ca_identity(authority), header.number, header.is_delta, der[-32:])
        built = self._indexes.get(key)
        if built is None:
            if not _usable_at(header, at, skew):
                return _stale(header, at, skew)
            built = self._builds.obtain(
                key,
                len(der),
                lambda: self._store(key, _validate_and_index(der, header, authority)),
                lambda: self._indexes.get(key),
                lambda exc: self._store(
                    key, _Unusable(Reason.REVOCATION_INVALID, "the CRL cannot be indexed")
                ),
                self._wait(authority, header, at, policy),
            )
            if built is None:
                return _Pending(_ca_identity(authority), len(der))
        self._remember(identity, der, built)
        if isinstance(built, _Unusable):
            return built
        return built if _usable_at(header, at, skew) else _stale(header, at, skew)

    def _wait(
        self, authority: Authority, header: CrlHeader, at: dt.datetime, policy: VerificationPolicy
    ) -> float | None:
        """Seconds to wait for a new CRL's index: none for a login the CA's previous CRL of the same
        kind still answers, ``login_wait`` for other logins, no bound for other purposes."""
        if policy.purpose is not Purpose.LOGIN:
            return None
        previous = self._latest.get((_ca_identity(authority), header.is_delta))
        if previous is not None and _usable_at(previous.header, at, policy.max_clock_skew):
            return 0.0
        return self.login_wait

    def _store(self, key: _Key, built: _Built) -> _Built:
        """Keep ``built`` under ``key``; the latest index per CA and kind, and at most two of them."""
        ca, number, is_delta, _ = key
        with self._lock:
            self._indexes[key] = built
            if not isinstance(built, CrlIndex):
                return built
            latest = self._latest.get((ca, is_delta))
            if latest is None or (latest.header.number or 0) <= number:
                self._latest[(ca, is_delta)] = built
            kept = sorted(
                (
                    k
                    for k, v in self._indexes.items()
                    if k[0] == ca and k[2] == is_delta and isinstance(v, CrlIndex)
                ),
                key=lambda k: k[1],
            )
            for old in kept[:-_KEPT_PER_KIND]:
                del self._indexes[old]
            self._by_identity.clear()  # may hold an index just dropped
        return built

    def _previous(self, authority: Authority, at: dt.datetime, skew: dt.timedelta) -> list[CrlIndex]:
        """The CA's latest full and delta indexes that are usable at ``at``."""
        with self._lock:
            latest = [self._latest.get((_ca_identity(authority), kind)) for kind in (False, True)]
        return [i for i in latest if i is not None and _usable_at(i.header, at, skew)]

    def _remember(self, identity: tuple[int, bytes], der: bytes, result: _Loaded) -> _Loaded:
        with self._lock:
            if len(self._by_identity) >= self._IDENTITY_SLOTS:
                self._by_identity.clear()
            self._by_identity[identity] = (der, result)
        return result


def _ca_identity(authority: Authority) -> bytes:
    """The CA as its CRLs are validated: its certificate and the legacy signature algorithms the
    policy accepts (a CRL validated under a document policy's legacy algorithms is not a login's)."""
    return authority.cert.sha256 + ",".join(sorted(authority.legacy)).encode()


def entry_in_force(full: CrlIndex, delta: CrlIndex | None, serial: int) -> CrlEntry | None:
    """The entry that decides ``serial``'s status: the delta's over its base's (RFC 5280 5.2.4), None when
    neither lists it or the delta removes it from the CRL (removeFromCRL: a hold released).

    Raises InvalidInput (``crl_entry``, ``malformed_crl``) as :meth:`CrlIndex.lookup`.
    """
    entry = delta.lookup(serial) if delta is not None else None
    if entry is None:
        entry = full.lookup(serial)
    return None if entry is None or entry.removed else entry


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


def _validate_and_index(der: bytes, header: CrlHeader, authority: Authority) -> _Built:
    """The index of the CRL ``der`` of ``authority`` (header checks done), or why it is unusable:
    keyUsage cRLSign of the issuer's certificate and the signature (RFC 5280 6.3.3 f, g), then the entries."""
    key_usage = authority.cert.asn1.key_usage_value
    if key_usage and "crl_sign" not in key_usage.native:
        return _Unusable(
            Reason.REVOCATION_INVALID, "the CA's certificate does not allow CRL signing (keyUsage cRLSign)"
        )
    kind = "delta CRL" if header.is_delta else "CRL"
    try:
        layout = read_layout(der)
        valid = verify_signature(
            authority.spki_der,
            layout.algorithm,
            memoryview(der)[layout.tbs_start : layout.tbs_end],
            layout.signature,
            legacy=authority.legacy,
        )
        if not valid:
            return _Unusable(
                Reason.REVOCATION_INVALID, f"the {kind} signature does not verify with the CA's key"
            )
        return CrlIndex.build(header, der, layout)
    except UnsupportedAlgorithm as exc:
        return _Unusable(Reason.REVOCATION_INVALID, f"{kind}: {exc.message}")
    except InvalidInput as exc:
        return _Unusable(Reason.REVOCATION_INVALID, exc.message)


def _header_problem(der: bytes, header: CrlHeader, batch: Sequence[bytes]) -> _Unusable | None:
    if header.has_freshest_crl and not any(_is_delta(d) for d in batch if d is not der):
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


def _is_delta(der: bytes) -> bool:
    try:
        return read_crl_header(der).is_delta
    except InvalidInput:
        return False
