"""Full and delta CRLs per CA (RFC 5280 section 5), their schedule (EDS-18.3) and their publication.

Building. The TBSCertList is written directly in DER around the registry's pre-encoded entries
(``RevocationRegistry.crl_entries``), then signed with the CA key through ``ca_sim.signing``: the cost is
one database read, a few concatenations and one signature, linear in the number of entries (a million
entries in a few seconds, see ``bench/bench_revocation.py``), where a builder that re-encodes every entry
would be several times slower.

Contents. Both kinds carry the CRL number (one increasing sequence per CA shared by full and delta,
RFC 5280 5.2.3, in the order of the CRLs' thisUpdate and of their contents: ``CrlLedger.numbered``)
and the authority key identifier; a full CRL also points to its delta (Freshest CRL,
5.2.6); a delta carries the critical delta CRL indicator with its base's number (5.2.4) and lists every
certificate whose status changed since the base was built: revoked or on hold with reason and
invalidity date, and removeFromCRL for a hold released since the base. No issuing distribution point:
each CRL covers everything its CA issued (the real NCA CRLs have none either), and the root's CRL covers
the ``gov`` and ``nca`` CA certificates (and its own OCSP responder's). Entries archived under EDS-16 leave
the CRLs (their certificates expired long before) but stay revoked in OCSP.

Times (:class:`CrlSchedule`). A full CRL is published at least every 24 hours (EDS-18.3) and announces
its successor 27 hours ahead (nextUpdate, like the real NCA's ~27 h: 3 hours of overlap for relying
parties' caches). A delta is published at least every hour, at once after every status change when
asked for, and always right after a new full CRL; its nextUpdate is 2 hours ahead, or the end of a hold
with an end date if that comes first (the status changes then by itself: the first delta served at or after
it lists removeFromCRL).

Publication. :class:`CrlPublisher` writes the DER files named as in the certificates' URLs
(``<dir>/nca_rsa.crl``, ``<dir>/nca_d_rsa.crl``) atomically (write, then rename), records each CRL in the
registry (the base a delta refers to), and serves the latest one from memory, re-reading a file only
when another process published a newer CRL.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from ca_sim import der
from ca_sim.audit import AuditLog
from ca_sim.crl_ledger import CrlKind, CrlPublication, CrlRecord
from ca_sim.hierarchy import Authority
from ca_sim.registry import RevocationRegistry
from ca_sim.signing import signer_for
from pki import oids
from pki.calendar import ensure_utc
from pki.errors import ErrorCode, NotFound

_CRL_NUMBER_OID = der.object_identifier(oids.EXT_CRL_NUMBER)
_DELTA_INDICATOR_OID = der.object_identifier(oids.EXT_DELTA_CRL_INDICATOR)
_AKI_OID = der.object_identifier(oids.EXT_AUTHORITY_KEY_IDENTIFIER)
_FRESHEST_CRL_OID = der.object_identifier(oids.EXT_FRESHEST_CRL)
_VERSION_2 = der.integer(1)


@dataclass(frozen=True)
class CrlSchedule:
    """When CRLs are published and how long each is announced valid."""

    # EDS-18.3: the register is updated within a day; a full CRL is published at least every 24 hours.
    full_interval: dt.timedelta = dt.timedelta(hours=24)
    # nextUpdate of a full CRL (real NCA ~27 h): 3 hours of overlap with the next one.
    full_validity: dt.timedelta = dt.timedelta(hours=27)
    # A delta is re-published at least this often, and after every status change when served.
    delta_interval: dt.timedelta = dt.timedelta(hours=1)
    # nextUpdate of a delta CRL (the real NCA's is ~7.5 h; ours is shorter for fresher relying parties).
    delta_validity: dt.timedelta = dt.timedelta(hours=2)


DEFAULT_SCHEDULE = CrlSchedule()


@dataclass(frozen=True)
class IssuedCrl:
    """A built CRL: its DER and what was recorded about it."""

    record: CrlRecord
    der: bytes


def issue_crl(
    authority: Authority,
    registry: RevocationRegistry,
    kind: CrlKind,
    at: dt.datetime,
    schedule: CrlSchedule = DEFAULT_SCHEDULE,
) -> IssuedCrl:
    """Build and sign ``authority``'s CRL of ``kind`` as of ``at`` (thisUpdate = ``at``, or the thisUpdate
    of the CA's last numbered CRL when that is later: numbers follow time, ``CrlLedger.numbered``); the
    record to keep is returned with it (``CrlLedger.record_crl``).

    The number, the delta's base and the entries are read in one transaction holding the CA's state row
    lock; the signature is made after it. A delta is relative to the most recent full CRL recorded at or
    before its thisUpdate; raises NotFound (``no_base_crl``, no number used) when there is none. Raises
    UnsupportedAlgorithm for a CA key without a signer.
    """
    ca_id = authority.ca_id
    base: CrlRecord | None = None
    with registry.crls.numbered(ca_id, at) as taken:
        number, at = taken.number, taken.this_update
        if kind is CrlKind.FULL:
            entries, version = registry.crl_entries(ca_id, at, taken.session)
        else:
            base = registry.crls.latest_crl(ca_id, CrlKind.FULL, at, taken.session)
            if base is None:
                raise NotFound(ErrorCode.NO_BASE_CRL, f"{ca_id} has no full CRL to base a delta CRL on")
            entries, version = registry.delta_crl_entries(ca_id, base.this_update, at, taken.session)
    if base is None:
        next_update = at + schedule.full_validity
        extensions = [_crl_number(number), _authority_key_identifier(authority), _freshest_crl(authority)]
    else:
        next_update = at + schedule.delta_validity
        scheduled = registry.next_scheduled_end(ca_id, at)  # a hold ending by itself: the next delta then
        if scheduled is not None and scheduled < next_update:
            next_update = scheduled
        extensions = [
            _crl_number(number),
            _authority_key_identifier(authority),
            der.extension(_DELTA_INDICATOR_OID, True, der.integer(base.crl_number)),
        ]
    crl_der = _sign_crl(authority, at, next_update, entries, extensions)
    record = CrlRecord(
        ca_id,
        number,
        kind,
        at,
        next_update,
        None if base is None else base.crl_number,
        version,
        len(entries),
    )
    return IssuedCrl(record, crl_der)


def build_full_crl(authority: Authority, registry: RevocationRegistry, at: dt.datetime) -> bytes:
    """The DER of a new full CRL of ``authority`` as of ``at`` (see :func:`issue_crl`; not recorded as
    published: use :class:`CrlPublisher` for CRLs that relying parties get)."""
    return issue_crl(authority, registry, CrlKind.FULL, at).der


def build_delta_crl(authority: Authority, registry: RevocationRegistry, at: dt.datetime) -> bytes:
    """The DER of a new delta CRL of ``authority`` as of ``at``, on its latest published full CRL."""
    return issue_crl(authority, registry, CrlKind.DELTA, at).der


def _sign_crl(
    authority: Authority,
    this_update: dt.datetime,
    next_update: dt.datetime,
    entries: list[bytes],
    extensions: list[bytes],
) -> bytes:
    """CertificateList DER: TBSCertList (v2) around ``entries``, signed by the CA key (RFC 5280 5.1)."""
    signer = signer_for(authority.private_key)
    algorithm = signer.algorithm_identifier()
    parts = [
        _VERSION_2,
        algorithm,
        _issuer_name(authority.certificate),
        der.time(this_update),
        der.time(next_update),
    ]
    if entries:  # RFC 5280 5.1.2.6: absent when there are no revoked certificates
        parts.append(der.sequence(*entries))
    parts.append(der.explicit(0, der.sequence(*extensions)))
    tbs = der.sequence(*parts)
    return der.sequence(tbs, algorithm, der.bit_string(signer.sign(tbs)))


@lru_cache(maxsize=16)
def _issuer_name(ca_certificate: x509.Certificate) -> bytes:
    """The CA's subject as encoded in its certificate (a CRL issuer must match it octet for octet)."""
    tbs = asn1_x509.Certificate.load(ca_certificate.public_bytes(Encoding.DER))["tbs_certificate"]
    return tbs["subject"].dump()


def _crl_number(number: int) -> bytes:
    return der.extension(_CRL_NUMBER_OID, False, der.integer(number))


def _authority_key_identifier(authority: Authority) -> bytes:
    return der.extension(_AKI_OID, False, der.sequence(der.tlv(0x80, authority.key_identifier)))


def _freshest_crl(authority: Authority) -> bytes:
    point = x509.DistributionPoint(
        [x509.UniformResourceIdentifier(authority.urls.delta_crl_url)], None, None, None
    )
    return der.extension(_FRESHEST_CRL_OID, False, x509.FreshestCRL([point]).public_bytes())


def crl_file_name(authority: Authority, kind: CrlKind) -> str:
    """The file name in the CRL's URL (``nca_rsa.crl`` / ``nca_d_rsa.crl``)."""
    url = authority.urls.crl_url if kind is CrlKind.FULL else authority.urls.delta_crl_url
    return Path(urlsplit(url).path).name


class CrlPublisher:
    """Publishes the CAs' CRLs into ``directory`` and serves the latest ones.

    Thread-safe; several processes may share ``directory`` and the database. Each publication takes its
    own CRL number and is recorded with its DER in the registry, which is what every process serves; a
    file is replaced (atomically, under a lock) only by the latest CRL of its kind, so two processes
    publishing at once never leave an older CRL on disk.
    """

    def __init__(
        self,
        authorities: Mapping[str, Authority],
        registry: RevocationRegistry,
        directory: Path,
        schedule: CrlSchedule = DEFAULT_SCHEDULE,
        audit: AuditLog | None = None,
    ) -> None:
        self._authorities = dict(authorities)
        self._audit = audit  # records publications asked for by someone (publish(requested_by=...))
        self._registry = registry
        self._directory = directory
        self._schedule = schedule
        self._lock = threading.Lock()
        self._served: dict[tuple[str, CrlKind], IssuedCrl] = {}

    def publish(
        self, at: dt.datetime, ca_ids: Iterable[str] | None = None, *, requested_by: str | None = None
    ) -> list[IssuedCrl]:
        """Publish a full and then a delta CRL now for each of ``ca_ids`` (all CAs by default). With
        ``requested_by`` (an operator, ``cli:<user>``) the publication is audited (``publish_crl``, the CRL
        numbers in the details) when the publisher has an audit log.

        Raises NotFound (``unknown_ca``) for an unknown CA id.
        """
        wanted = self._ca_ids(ca_ids)
        published = []
        for ca_id in wanted:
            published.append(self._publish(ca_id, CrlKind.FULL, at))
            published.append(self._publish(ca_id, CrlKind.DELTA, at))
        if requested_by is not None and self._audit is not None:
            numbers = {f"{i.record.ca_id}:{i.record.kind.value}": i.record.crl_number for i in published}
            details = {"crl_numbers": numbers}
            self._audit.record(requested_by, "publish_crl", ",".join(wanted), "success", details, at)
        return published

    def publish_due(self, at: dt.datetime) -> list[IssuedCrl]:
        """Publish what the schedule says is due at ``at`` (call it periodically, e.g. every minute).

        Per CA: a full CRL when there is none or the last is ``full_interval`` old (EDS-18.3), followed by
        a delta; otherwise a delta when there is none, it is ``delta_interval`` old, its base is not the
        latest full CRL, or a status changed since it was built.
        """
        published = []
        for ca_id in self._ca_ids(None):
            if self._due(self._registry.crls.publication(ca_id), CrlKind.FULL, at):
                published.append(self._publish(ca_id, CrlKind.FULL, at))
            if self._due(self._registry.crls.publication(ca_id), CrlKind.DELTA, at):
                published.append(self._publish(ca_id, CrlKind.DELTA, at))
        return published

    def current(self, ca_id: str, kind: CrlKind, at: dt.datetime) -> IssuedCrl:
        """The CRL to serve for ``ca_id`` at ``at``: the latest published one, publishing first when due.

        So a status change shows in the delta served next (its cost is one delta build), and a full CRL
        is never older than ``full_interval``. Served from memory; a file is re-read only after another
        process published. Raises NotFound (``unknown_ca``).
        """
        self._ca_ids([ca_id])
        publication = self._registry.crls.publication(ca_id)
        if self._due(publication, CrlKind.FULL, at):
            self._publish(ca_id, CrlKind.FULL, at)
            self._publish(ca_id, CrlKind.DELTA, at)
            publication = self._registry.crls.publication(ca_id)
        elif kind is CrlKind.DELTA and self._due(publication, kind, at):
            self._publish(ca_id, kind, at)
            publication = self._registry.crls.publication(ca_id)
        latest = publication.full if kind is CrlKind.FULL else publication.delta
        if latest is None:  # pragma: no cover - published above
            raise NotFound(ErrorCode.NO_CRL, f"{ca_id} has no published {kind.value} CRL")
        with self._lock:
            served = self._served.get((ca_id, kind))
        if served is not None and served.record.crl_number >= latest.crl_number:
            return served
        der = self._registry.crls.crl_der(ca_id, latest.crl_number)
        if der is None:  # superseded while we looked: serve the newer one
            return self.current(ca_id, kind, at)
        return self._remember(IssuedCrl(latest, der))

    def _remember(self, issued: IssuedCrl) -> IssuedCrl:
        """Keep ``issued`` as the CRL to serve unless a newer one is already kept; return the kept one."""
        key = (issued.record.ca_id, issued.record.kind)
        with self._lock:
            served = self._served.get(key)
            if served is None or served.record.crl_number < issued.record.crl_number:
                self._served[key] = served = issued
            return served

    def _due(self, publication: CrlPublication, kind: CrlKind, at: dt.datetime) -> bool:
        at = ensure_utc(at)
        full, delta = publication.full, publication.delta
        if full is None or at - full.this_update >= self._schedule.full_interval:
            return True  # a delta is due too: it needs the new base
        if kind is CrlKind.FULL:
            return False
        if (
            delta is None
            or delta.base_crl_number != full.crl_number
            or at - delta.this_update >= self._schedule.delta_interval
            or delta.status_version != publication.status_version
        ):
            return True
        scheduled = self._registry.next_scheduled_end(full.ca_id, delta.this_update)
        return scheduled is not None and scheduled <= at  # a hold ended by itself since the last delta

    def _publish(self, ca_id: str, kind: CrlKind, at: dt.datetime) -> IssuedCrl:
        authority = self._authorities[ca_id]
        issued = issue_crl(authority, self._registry, kind, at, self._schedule)
        self._registry.crls.record_crl(issued.record, issued.der)
        self._write(authority, issued)
        self._remember(issued)
        return issued

    def _write(self, authority: Authority, issued: IssuedCrl) -> None:
        """Replace the file with this CRL unless a newer one of its kind was recorded (its writer will)."""
        self._directory.mkdir(parents=True, exist_ok=True)
        path = self._directory / crl_file_name(authority, issued.record.kind)
        with open(self._directory / f".{path.name}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            publication = self._registry.crls.publication(authority.ca_id)
            latest = publication.full if issued.record.kind is CrlKind.FULL else publication.delta
            if latest is not None and latest.crl_number > issued.record.crl_number:
                return
            temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            temporary.write_bytes(issued.der)
            os.replace(temporary, path)

    def _ca_ids(self, ca_ids: Iterable[str] | None) -> list[str]:
        wanted = list(self._authorities) if ca_ids is None else list(ca_ids)
        for ca_id in wanted:
            if ca_id not in self._authorities:
                raise NotFound(ErrorCode.UNKNOWN_CA, f"no CA {ca_id!r}")
        return wanted
