"""Benchmark data: a registry filled with many certificates and revocations in seconds (not shipped code).

A real registry gets its rows one issuance and one revocation at a time, each a signed certificate and an
audited transaction; a benchmark of CRLs and OCSP at a million certificates needs only the rows those read.
:func:`fill` bulk-inserts them with SQLAlchemy Core (``executemany`` in batches, in one transaction):

- ``issued_certificates`` rows with the columns a status lookup reads (CA, serial, kind, validity) and no
  certificate DER (the OCSP responder never reads it: a CertID carries the serial, not the certificate);
- ``revocations`` rows (one open period each) with their pre-encoded CRL entry, as
  ``RevocationRegistry.revoke`` writes them, revoked over the three years before ``at`` in time order.

Serials are random 20-octet ones (``ca_sim.certificates.new_serial``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import cast

from cryptography.x509 import ReasonFlags
from sqlalchemy import Table, insert
from sqlalchemy.orm import Session, sessionmaker

from ca_sim.certificates import new_serial
from ca_sim.certstore import CertificateRecord, serial_to_hex
from ca_sim.crl_entry import encode_crl_entry
from ca_sim.grounds import Ground
from ca_sim.revocation_periods import Revocation

__all__ = ["Filled", "fill"]

_BATCH = 50_000
_REASONS = [
    ReasonFlags.superseded,
    ReasonFlags.affiliation_changed,
    ReasonFlags.key_compromise,
    ReasonFlags.cessation_of_operation,
    ReasonFlags.certificate_hold,
]


@dataclass(frozen=True)
class Filled:
    """The serials :func:`fill` registered: still good, and revoked (each revoked before ``at``)."""

    good: list[int]
    revoked: list[int]


def _certificate_row(ca_id: str, serial: int, at: dt.datetime) -> dict[str, object]:
    return {
        "ca_id": ca_id,
        "serial": serial_to_hex(serial),
        "iin": None,
        "kind": "individual_auth",
        "subject_cn": "bench",
        "not_before": at - dt.timedelta(days=3 * 365),
        "not_after": at + dt.timedelta(days=365),
        "issued_at": at - dt.timedelta(days=3 * 365),
        "der": b"",
    }


def _revocation_row(ca_id: str, serial: int, revoked: dt.datetime, n: int) -> dict[str, object]:
    reason = _REASONS[n % len(_REASONS)]
    return {
        "ca_id": ca_id,
        "serial": serial_to_hex(serial),
        "ground": Ground.NAME_CHANGE.value,
        "reason": reason.value,
        "revocation_time": revoked,
        "invalidity_date": None,
        "requested_by": "bench",
        "document_ref": "bench",
        "effective_from": revoked,
        "started_version": 1,
        "entry_der": encode_crl_entry(serial, revoked, reason, None),
    }


def fill(
    sm: sessionmaker[Session], ca_id: str, good: int, revoked: int, at: dt.datetime, seed: int
) -> Filled:
    """Register ``good`` + ``revoked`` certificates of ``ca_id`` and revoke ``revoked`` of them, all
    before ``at`` (whole seconds, UTC), in one transaction; returns their serials.

    Revocation times are random over the three years before ``at`` (``seed`` makes them repeatable) and
    inserted in time order, as a registry appends them. Raises whatever the database raises (a duplicate
    serial: IntegrityError, nothing written).
    """
    rng = random.Random(seed)
    good_serials = [new_serial() for _ in range(good)]
    revoked_serials = [new_serial() for _ in range(revoked)]
    times = sorted(
        at.replace(microsecond=0) - dt.timedelta(seconds=1 + rng.randrange(3 * 365 * 86400))
        for _ in range(revoked)
    )
    certificates = cast(Table, CertificateRecord.__table__)
    revocations = cast(Table, Revocation.__table__)
    with sm.begin() as session:
        connection = session.connection()
        serials = good_serials + revoked_serials
        for start in range(0, len(serials), _BATCH):
            batch = serials[start : start + _BATCH]
            connection.execute(insert(certificates), [_certificate_row(ca_id, s, at) for s in batch])
        for start in range(0, revoked, _BATCH):
            rows = [
                _revocation_row(ca_id, revoked_serials[n], times[n], n)
                for n in range(start, min(start + _BATCH, revoked))
            ]
            connection.execute(insert(revocations), rows)
    return Filled(good_serials, revoked_serials)
