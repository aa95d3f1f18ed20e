"""Readiness (``GET /readyz``): may this instance take traffic now? Three components, each ok or failing:

- ``database``: ``SELECT 1`` through the service's connection pool answers;
- ``ca_keys``: every CA (``root``, ``gov``, ``nca``) is loaded with its private key, and that key is the pair
  of the CA certificate (its key identifier equals the certificate's subjectKeyIdentifier);
- ``crls``: every CA has a published full and delta CRL, neither past its nextUpdate at ``at`` (a relying
  party refuses a stale CRL; EDS-18.3 has them republished well before).

Asking changes nothing (no CRL is published here: the publisher and the CRL endpoint do that). A failing
component's detail names what failed, never a database URL or an exception message (which may hold one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api.clock import iso_time
from ca_sim.certificates import key_identifier_of
from ca_sim.crl_ledger import CrlKind
from ca_sim.hierarchy import CA_IDS, Hierarchy
from ca_sim.registry import RevocationRegistry


@dataclass(frozen=True)
class Component:
    """One component's state: ``ok``, and what was found (for people; no secrets)."""

    name: str
    ok: bool
    detail: str


def readiness(
    sm: sessionmaker[Session], hierarchy: Hierarchy, registry: RevocationRegistry, at: dt.datetime
) -> list[Component]:
    """The three components as of ``at`` (tz-aware UTC), in the order above. CRLs are read from the register,
    so they are reported failing without a query when the database is."""
    database = _database(sm)
    crls = _crls(registry, at) if database.ok else Component("crls", False, "not read: the database fails")
    return [database, _ca_keys(hierarchy), crls]


def _database(sm: sessionmaker[Session]) -> Component:
    try:
        with sm() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return Component("database", False, f"the database does not answer ({type(exc).__name__})")
    return Component("database", True, "answers")


def _ca_keys(hierarchy: Hierarchy) -> Component:
    problems = []
    for ca_id in CA_IDS:
        authority = hierarchy.authorities.get(ca_id)
        if authority is None:
            problems.append(f"{ca_id}: not loaded")
        elif key_identifier_of(authority.private_key.public_key()) != authority.key_identifier:
            problems.append(f"{ca_id}: the loaded key is not the CA certificate's")
    if problems:
        return Component("ca_keys", False, "; ".join(problems))
    return Component("ca_keys", True, f"{', '.join(CA_IDS)} loaded, each the pair of its certificate")


def _crls(registry: RevocationRegistry, at: dt.datetime) -> Component:
    problems, next_updates = [], []
    try:
        publications = {ca_id: registry.crls.publication(ca_id) for ca_id in CA_IDS}
    except SQLAlchemyError as exc:
        return Component("crls", False, f"the register cannot be read ({type(exc).__name__})")
    for ca_id, publication in publications.items():
        for kind, record in ((CrlKind.FULL, publication.full), (CrlKind.DELTA, publication.delta)):
            if record is None:
                problems.append(f"{ca_id}: no {kind.value} CRL published")
            elif record.next_update <= at:
                when = iso_time(record.next_update)
                problems.append(f"{ca_id}: {kind.value} CRL {record.crl_number} past its nextUpdate {when}")
            else:
                next_updates.append(record.next_update)
    if problems:
        return Component("crls", False, "; ".join(problems))
    return Component("crls", True, f"every full and delta CRL current until {iso_time(min(next_updates))}")
