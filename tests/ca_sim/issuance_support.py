"""A small CA environment with fixed dates for the issuance tests: its own SQLite file and P-256 hierarchy."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy.orm import Session, sessionmaker

import ca_sim.fixtures  # noqa: F401  (all ca_sim tables registered)
from api.database import open_database
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.court_orders import CourtOrders
from ca_sim.hierarchy import Hierarchy, load_or_create_hierarchy
from ca_sim.issuance import Application, Issuer
from ca_sim.profiles import CertificateKind
from pki import keys
from pki.iin import Sex, make_iin
from tests.databases import database_url

CREATED = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)  # the hierarchy: intermediates valid to 2030
AT = dt.datetime(2025, 6, 1, 10, 30, 15, tzinfo=dt.UTC)
PASSPHRASE = b"issuance tests"
BIRTH = dt.date(1985, 4, 12)


@dataclass
class CaEnv:
    sm: sessionmaker[Session]
    hierarchy: Hierarchy
    audit: AuditLog
    court_orders: CourtOrders
    issuer: Issuer


def make_env(home: Path, key_algorithm: str = "ecdsa") -> CaEnv:
    sm = open_database(database_url(home / "kzpki.db"))
    hierarchy = load_or_create_hierarchy(sm, PASSPHRASE, "http://127.0.0.1:8080", CREATED, key_algorithm)
    audit = AuditLog(sm, derive_head_key(PASSPHRASE))
    court_orders = CourtOrders(sm, audit)
    return CaEnv(sm, hierarchy, audit, court_orders, Issuer(hierarchy, sm, audit))


def csr_for(key: keys.PrivateKey, subject: x509.Name | None = None) -> bytes:
    name = subject or x509.Name([x509.NameAttribute(x509.NameOID.COUNTRY_NAME, "KZ")])
    builder = x509.CertificateSigningRequestBuilder().subject_name(name)
    return builder.sign(key, hashes.SHA256()).public_bytes(Encoding.DER)


_KEY = keys.generate_private_key(keys.KeyType.P256)
CSR = csr_for(_KEY)


def application(serial: int = 1, **changes: Any) -> Application:
    """A complete, truthful individual AUTH application (born :data:`BIRTH`, male) with a P-256 CSR."""
    base = Application(
        kind=CertificateKind.INDIVIDUAL_AUTH,
        iin=make_iin(BIRTH, Sex.MALE, serial),
        surname="Тестов",
        name="Тест",
        patronymic="Тестович",
        birth_date=BIRTH,
        sex=Sex.MALE,
        csr=CSR,
    )
    return dataclasses.replace(base, **changes)
