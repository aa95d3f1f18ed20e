"""Prometheus metrics, served at ``GET /metrics`` in the text exposition format (``prometheus_client``).

Counted by the process that handled the request (names and labels are part of the operations contract):

- ``kzpki_logins_total{decision, reason}``: UNIS login decisions; ``reason`` is the main (first) reason code
  of a refusal (``pki.reasons.Reason``), ``none`` for an acceptance.
- ``kzpki_verification_duration_seconds{operation}``: histogram of the verifier's time per call, in
  seconds (a monotonic clock): ``login`` (the whole login decision), ``certificate``, ``cms``, ``xml``,
  ``timestamp``.
- ``kzpki_ocsp_requests_total{cache, source}``: OCSP answers by :class:`ca_sim.ocsp.CacheUse` (``hit``,
  ``miss``, ``bypass``: nonce or several certificates, ``error``) and ``source``: ``http`` (``/ocsp``) or
  ``in_process`` (the login verifier's own status check, UNIS-11).
- ``kzpki_revocations_total{ground}``: revocations and holds made through the API or the console, by legal
  ground (``ca_sim.grounds.Ground``, EDS-17/EDS-18), counted once committed by a listener of the services'
  register (``api.services``); a refused change is not counted.

Read from the register at each scrape (so the same answer from every worker and instance):
``kzpki_crl_entries{ca, kind}``, ``kzpki_crl_size_bytes{ca, kind}`` and ``kzpki_crl_age_seconds{ca,
kind}`` (seconds from the latest published CRL's thisUpdate to the service clock's now) for ``kind``
``full`` and ``delta``.

Labels carry enumeration values and CA ids only: never an IIN, a name, a serial number or a path.

Multi-process mode (gunicorn): ``prometheus_client`` chooses at import whether values live in memory or in
files under ``PROMETHEUS_MULTIPROC_DIR``; ``kzpki serve`` sets that to a private directory before any
worker imports this module (:mod:`api.observability.multiprocess`), and a scrape answered by any worker
merges the files of all of them. Without it (tests, one process) the values are this process's.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from ca_sim.crl_ledger import CrlKind
from ca_sim.grounds import Ground
from ca_sim.ocsp import CacheUse
from ca_sim.registry import RevocationRegistry
from pki.reasons import Reason

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# The counters of this process (in multi-process mode their values are in files; see the module docstring).
_PROCESS = CollectorRegistry()
LOGINS = Counter(
    "kzpki_logins", "UNIS login decisions by decision and main reason code.", ["decision", "reason"],
    registry=_PROCESS,
)  # fmt: skip
VERIFICATION_SECONDS = Histogram(
    "kzpki_verification_duration_seconds", "Time of one verification, in seconds.", ["operation"],
    registry=_PROCESS,
)  # fmt: skip
OCSP_REQUESTS = Counter(
    "kzpki_ocsp_requests", "OCSP answers by cache use and source.", ["cache", "source"], registry=_PROCESS
)
TIME_STAMPS = Counter(
    "kzpki_time_stamps", "RFC 3161 answers of the TSA at /tsp: granted, or the failInfo of a rejection.",
    ["outcome"], registry=_PROCESS,
)  # fmt: skip
REVOCATIONS = Counter(
    "kzpki_revocations", "Revocations and holds made through the API or the console, by legal ground.",
    ["ground"], registry=_PROCESS,
)  # fmt: skip


def count_login(decision: str, reasons: Iterable[Reason]) -> None:
    """One login decision (``accepted`` / ``refused``) and its main reason (the first one, if any)."""
    main = next(iter(reasons), None)
    LOGINS.labels(decision=decision, reason="none" if main is None else main.value).inc()


@contextmanager
def timed_verification(operation: str) -> Iterator[None]:
    """Observe the block's duration (seconds, monotonic) as one ``operation`` verification, also when it
    raises (a refused input took that long too)."""
    with VERIFICATION_SECONDS.labels(operation=operation).time():
        yield


def count_ocsp(use: CacheUse, source: str) -> None:
    """One OCSP answer produced as ``use`` for ``source`` (``http`` or ``in_process``)."""
    OCSP_REQUESTS.labels(cache=use.value, source=source).inc()


def count_time_stamp(outcome: str) -> None:
    """One answer of the TSA at ``/tsp``: ``granted`` or the rejection's PKIFailureInfo bit name."""
    TIME_STAMPS.labels(outcome=outcome).inc()


def count_revocation(ground: Ground) -> None:
    """One revocation or hold made, on ``ground``."""
    REVOCATIONS.labels(ground=ground.value).inc()


class CrlCollector:
    """The CRL gauges, read from the register at scrape time. DER sizes are remembered per CRL number
    (a CRL never changes once recorded), so a scrape reads a CRL's DER once."""

    def __init__(self, registry: RevocationRegistry, ca_ids: Iterable[str]) -> None:
        self._registry = registry
        self._ca_ids = tuple(ca_ids)
        self._sizes: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def gauges(self, at: dt.datetime) -> list[Metric]:
        """The CRL gauge families as of ``at`` (tz-aware); a CA without a CRL of a kind has no sample."""
        entries = GaugeMetricFamily("kzpki_crl_entries", "Entries of the latest CRL.", labels=["ca", "kind"])
        size = GaugeMetricFamily("kzpki_crl_size_bytes", "DER size of the latest CRL.", labels=["ca", "kind"])
        age = GaugeMetricFamily(
            "kzpki_crl_age_seconds", "Seconds since the latest CRL's thisUpdate.", labels=["ca", "kind"]
        )
        for ca_id in self._ca_ids:
            publication = self._registry.crls.publication(ca_id)
            for kind, record in ((CrlKind.FULL, publication.full), (CrlKind.DELTA, publication.delta)):
                if record is None:
                    continue
                labels = [ca_id, kind.value]
                entries.add_metric(labels, record.entries)
                size.add_metric(labels, self._size(ca_id, record.crl_number))
                age.add_metric(labels, (at - record.this_update).total_seconds())
        return [entries, size, age]

    def _size(self, ca_id: str, crl_number: int) -> int:
        key = (ca_id, crl_number)
        with self._lock:
            known = self._sizes.get(key)
        if known is not None:
            return known
        der = self._registry.crls.crl_der(ca_id, crl_number)
        size = 0 if der is None else len(der)
        with self._lock:
            if len(self._sizes) > 4 * len(self._ca_ids) + 16:  # only the latest numbers are ever asked
                self._sizes.clear()
            self._sizes[key] = size
        return size


class _Snapshot:
    """A collector answering fixed metric families (what :class:`CrlCollector` read for this scrape)."""

    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> list[Metric]:
        return self._families


def exposition(crls: CrlCollector, at: dt.datetime, *, multiprocess: bool) -> bytes:
    """The text exposition of every metric as of ``at``: the counters of all workers (``multiprocess``)
    or of this process, and the CRL gauges."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess:
        MultiProcessCollector(registry)
    else:
        registry.register(_PROCESS)
    registry.register(_Snapshot(crls.gauges(at)))
    return generate_latest(registry)
