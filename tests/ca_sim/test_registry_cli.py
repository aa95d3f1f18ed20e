"""`kzpki operators / audit / crl / registry`: the host administrator's commands on a data directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from api.cli import cli
from api.config import load_settings
from api.database import dispose, open_database
from ca_sim.audit import AuditEntry, AuditLog, derive_head_key
from ca_sim.grounds import Ground
from ca_sim.hierarchy import load_or_create_hierarchy
from ca_sim.operator_tokens import hash_token
from ca_sim.operators import OperatorDirectory
from ca_sim.registry import RevocationRegistry
from ca_sim.revocation_periods import CertState
from pki.errors import Unauthenticated
from tests.ca_sim.revocation_support import Pki, issue_leaf
from tests.databases import database_url

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "KZPKI_HOME": str(tmp_path / "home"),
        "KZPKI_DATABASE_URL": database_url(tmp_path / "home" / "kzpki.db"),
        "KZPKI_CA_PASSPHRASE": "cli test passphrase",
        "KZPKI_KEY_ALGORITHM": "ecdsa",
    }


def _run(env: dict[str, str], *args: str):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _open(env: dict[str, str]):
    settings = load_settings(env)
    sm = open_database(settings.database_url)
    return settings, sm


def test_operators_add_prints_the_token_once_and_it_works(env) -> None:
    result = _run(
        env, "operators", "add", "--name", "alice", "--role", "operator", "--ca", "nca", "--ca", "gov"
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    settings, sm = _open(env)
    try:
        audit = AuditLog(sm, derive_head_key(settings.ca_passphrase))
        operator = OperatorDirectory(sm, audit).authenticate(token, NOW)
        assert operator.name == "alice" and operator.ca_ids == {"nca", "gov"}
        assert audit.entries()[-1].actor.startswith("cli")
    finally:
        dispose(sm)


def test_operators_add_refuses_an_unscoped_operator(env) -> None:
    result = _run(env, "operators", "add", "--name", "bob", "--role", "operator")
    assert result.exit_code == 1 and "invalid_operator" in result.output


def test_operators_disable(env) -> None:
    _run(env, "operators", "add", "--name", "carol", "--role", "auditor")
    assert _run(env, "operators", "disable", "--name", "carol").exit_code == 0
    assert _run(env, "operators", "disable", "--name", "nobody").exit_code == 1


def test_audit_verify_names_the_broken_entry(env) -> None:
    for name in ("a1", "a2", "a3"):
        _run(env, "operators", "add", "--name", name, "--role", "auditor")
    intact = _run(env, "audit", "verify")
    assert intact.exit_code == 0 and "6 entries" in intact.output  # each: add_operator, its credentials
    _settings, sm = _open(env)
    with sm.begin() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(target="someone-else"))
    dispose(sm)
    broken = _run(env, "audit", "verify")
    assert broken.exit_code == 1 and "entry 2" in broken.output


def test_crl_publish_writes_the_files_of_the_urls(env) -> None:
    result = _run(env, "crl", "publish", "--ca", "nca")
    assert result.exit_code == 0, result.output
    crl_dir = Path(env["KZPKI_HOME"]) / "crl"
    assert sorted(p.name for p in crl_dir.glob("*.crl")) == ["nca_d_ecdsa.crl", "nca_ecdsa.crl"]
    assert _run(env, "crl", "publish").exit_code == 0
    assert len(list(crl_dir.glob("*.crl"))) == 6


def _old_revocation(env: dict[str, str]) -> int:
    """A certificate revoked six years ago, in a hierarchy created eight years ago."""
    settings, sm = _open(env)
    created = NOW - dt.timedelta(days=365 * 8)
    hierarchy = load_or_create_hierarchy(
        sm, settings.ca_passphrase, settings.public_base_url, created, "ecdsa"
    )
    audit = AuditLog(sm, derive_head_key(settings.ca_passphrase))
    registry = RevocationRegistry(sm, audit)
    leaf = issue_leaf(Pki(sm, hierarchy, audit, registry, Path(env["KZPKI_HOME"])), at=created)
    registry.revoke(
        "nca", leaf.serial_number, Ground.NAME_CHANGE, NOW - dt.timedelta(days=365 * 6), "op", "d"
    )
    dispose(sm)
    return leaf.serial_number


def test_eds16_registry_archive_is_a_dry_run_by_default(env) -> None:
    serial = _old_revocation(env)
    before = (NOW - dt.timedelta(days=365 * 5 + 2)).date().isoformat()
    dry = _run(env, "registry", "archive", "--before", before)
    assert dry.exit_code == 0 and f"{serial:x}" in dry.output and "would move 1" in dry.output
    applied = _run(env, "registry", "archive", "--before", before, "--apply")
    assert applied.exit_code == 0 and "moved 1" in applied.output
    assert "would move 0" in _run(env, "registry", "archive", "--before", before).output
    _settings, sm = _open(env)
    assert RevocationRegistry(sm).status("nca", serial, NOW).state is CertState.REVOKED
    dispose(sm)


def test_eds16_registry_archive_refuses_younger_than_five_years(env) -> None:
    _old_revocation(env)
    result = _run(env, "registry", "archive", "--before", (NOW - dt.timedelta(days=300)).date().isoformat())
    assert result.exit_code == 1 and "retention_period" in result.output


def test_registry_revoke_hold_release(env) -> None:
    settings, sm = _open(env)
    hierarchy = load_or_create_hierarchy(sm, settings.ca_passphrase, settings.public_base_url, NOW, "ecdsa")
    audit = AuditLog(sm, derive_head_key(settings.ca_passphrase))
    registry = RevocationRegistry(sm, audit)
    a, b = (
        issue_leaf(Pki(sm, hierarchy, audit, registry, Path(env["KZPKI_HOME"])), at=NOW) for _ in range(2)
    )
    common = ["--ca", "nca", "--document", "letter 7", "--requested-by", "owner"]
    held = _run(env, "registry", "hold", "--serial", f"{a.serial_number:x}", *common)
    assert held.exit_code == 0, held.output
    assert _run(env, "registry", "release", "--serial", f"{a.serial_number:x}", *common).exit_code == 0
    revoked = _run(
        env, "registry", "revoke", "--serial", f"{b.serial_number:x}", "--ground", "key_compromise", *common
    )
    assert revoked.exit_code == 0 and "keyCompromise" in revoked.output
    again = _run(
        env, "registry", "revoke", "--serial", f"{b.serial_number:x}", "--ground", "owner_death", *common
    )
    assert again.exit_code == 1 and "already_revoked" in again.output
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)  # the CLI used the wall clock
    assert registry.status("nca", a.serial_number, later).state is CertState.GOOD
    assert registry.status("nca", b.serial_number, later).state is CertState.REVOKED
    assert audit.verify_chain().ok
    dispose(sm)


def test_eds21_operators_list_token_and_revoke_print_no_secret_and_revoke_at_once(env) -> None:
    first = _run(env, "operators", "add", "--name", "dana", "--role", "auditor", "--days", "30")
    assert first.exit_code == 0, first.output
    token = first.output.strip().splitlines()[-1]
    second = _run(env, "operators", "token", "--name", "dana", "--days", "7")
    assert second.exit_code == 0, second.output
    listed = _run(env, "operators", "list")
    assert listed.exit_code == 0, listed.output
    rows = [line.split() for line in listed.output.strip().splitlines()[1:]]
    assert [(r[0], r[1], r[-1]) for r in rows] == [("1", "dana", "active"), ("2", "dana", "active")]
    assert token not in listed.output and hash_token(token) not in listed.output
    revoked = _run(env, "operators", "revoke", "1")
    assert revoked.exit_code == 0 and "token 1 of operator dana revoked" in revoked.output
    assert _run(env, "operators", "list").output.strip().splitlines()[1].split()[-1] == "revoked"
    assert _run(env, "operators", "revoke", "1").exit_code == 1  # token_revoked
    assert _run(env, "operators", "revoke", "99").exit_code == 1  # unknown_token
    settings, sm = _open(env)
    try:
        audit = AuditLog(sm, derive_head_key(settings.ca_passphrase))
        with pytest.raises(Unauthenticated) as caught:
            OperatorDirectory(sm, audit).authenticate(token, NOW)
        assert caught.value.code == "token_revoked"
        actions = [e.action for e in audit.entries()]
        assert actions[-3:] == ["issue_operator_token", "revoke_operator_token", "authenticate"]
    finally:
        dispose(sm)
