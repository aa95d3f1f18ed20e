"""Shared set-up for the revocation tests: a real hierarchy in a fresh migrated database, leaves it issued."""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from sqlalchemy.orm import Session, sessionmaker

from api.database import dispose, open_database
from ca_sim import profiles
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.certstore import record_certificate
from ca_sim.hierarchy import Hierarchy, load_or_create_hierarchy
from ca_sim.registry import RevocationRegistry
from pki import keys
from pki.iin import Sex, make_iin
from pki.names import Person, build_subject
from tests.databases import copy_database, database_url

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
PASSPHRASE = b"test passphrase"
_serials = itertools.count(1)


@dataclass
class Pki:
    sm: sessionmaker[Session]
    hierarchy: Hierarchy
    audit: AuditLog
    registry: RevocationRegistry
    home: Path


def make_pki(home: Path, key_algorithm: str = "ecdsa", at: dt.datetime = T0) -> Pki:
    """A hierarchy (created at ``at``), its audit log and registry, in ``home/kzpki.db``.

    The hierarchy is made once per (algorithm, time) and its database file copied for each caller,
    so each test starts from a fresh database without paying for CA key generation again.
    """
    template, hierarchy = _template(key_algorithm, at)
    home.mkdir(parents=True, exist_ok=True)
    sm = open_database(copy_database(template, home / "kzpki.db"))
    audit = AuditLog(sm, derive_head_key(PASSPHRASE))
    return Pki(sm, hierarchy, audit, RevocationRegistry(sm, audit), home)


_templates: dict[tuple[str, dt.datetime], tuple[Path, Hierarchy]] = {}
_template_root = tempfile.TemporaryDirectory(prefix="kzpki-revocation-")


def _template(key_algorithm: str, at: dt.datetime) -> tuple[Path, Hierarchy]:
    key = (key_algorithm, at)
    if key not in _templates:
        path = Path(_template_root.name) / f"{key_algorithm}-{at.timestamp():.0f}.db"
        sm = open_database(database_url(path))
        hierarchy = load_or_create_hierarchy(sm, PASSPHRASE, "http://127.0.0.1:8080", at, key_algorithm)
        dispose(sm)  # checkpoints the WAL into the file
        _templates[key] = (path, hierarchy)
    return _templates[key]


def issue_leaf(
    pki: Pki, ca_id: str = "nca", at: dt.datetime = T0, iin: str | None = None
) -> x509.Certificate:
    """A leaf with a P-256 key issued by ``ca_id`` at ``at`` and recorded in the register."""
    n = next(_serials)
    iin = iin or make_iin(dt.date(1990, 1, 1), Sex.MALE, n % 10000)
    person = Person("ТЕСТОВ", f"ТЕСТ{n}", "ТЕСТОВИЧ", iin)
    key = keys.generate_private_key(keys.KeyType.P256)
    profile = profiles.CIVIL_SERVANT if ca_id == "gov" else profiles.INDIVIDUAL_AUTH
    certificate = pki.hierarchy.minter(ca_id).mint(
        profile,
        build_subject(person),
        key.public_key(),
        at,
        profile.validity(profiles.KeyStorage.FILE).not_after(at),
        storage=profiles.KeyStorage.FILE,
    )
    with pki.sm.begin() as session:
        record_certificate(session, ca_id, certificate, profile.kind.value, at, iin=iin)
    return certificate
