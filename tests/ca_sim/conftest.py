"""Fixtures shared by the register's tests: a fresh ECDSA hierarchy and register per test, and one leaf of
nca recorded in it (``tests.ca_sim.revocation_support``). A module that needs another hierarchy (RSA,
another creation time) defines its own ``pki``, which takes precedence in that module."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509

from tests.ca_sim.revocation_support import Pki, issue_leaf, make_pki


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path)


@pytest.fixture
def leaf(pki: Pki) -> x509.Certificate:
    return issue_leaf(pki)
