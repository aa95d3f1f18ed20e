"""Where the tests' data lives: ``tests/data/`` inside the repository, so a bare clone runs every test.

Each data folder keeps the README that says where its files come from (origin, licence, facts about them).
A new data set goes in a folder of its own under ``DATA`` with such a README, and gets a constant here.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
INTEROP = DATA / "interop"
INTEROP_RSA = INTEROP / "ncanode-rsa-test"
INTEROP_GOST = INTEROP / "ncanode-gost-test"
CONFORMANCE = DATA / "conformance"  # NIST PKITS and x509-limbo (tests/conformance/)
MIGRATIONS = DATA / "migrations"
NCANODE_API = DATA / "ncanode-api"  # NCANode's own openapi.yml (tests/api/ncanode_contract.py)
