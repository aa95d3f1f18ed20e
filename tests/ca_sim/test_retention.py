"""PD-18 retention and PD-22/PD-24 subject links in the audit log, without breaking the hash chain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from api.cli import cli
from api.config import load_settings
from api.database import dispose, open_database
from ca_sim.audit import AuditEntry, AuditLog, Outcome, derive_head_key
from pki.iin import Sex, make_iin
from unis.records import LoginRecord, LoginRecordRow, LoginRecords

NOW = dt.datetime.now(dt.UTC)
OWNER = make_iin(dt.date(1984, 5, 6), Sex.FEMALE, 4411)
OTHER = make_iin(dt.date(1990, 1, 2), Sex.MALE, 4411)  # the same last digits are possible: never a key


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"KZPKI_HOME": str(tmp_path / "home"), "KZPKI_CA_PASSPHRASE": "retention test passphrase"}


@pytest.fixture
def opened(env):
    settings = load_settings(env)
    sm = open_database(settings.database_url)
    yield sm, AuditLog(sm, derive_head_key(settings.ca_passphrase))
    dispose(sm)


def _record(sm, at: dt.datetime) -> None:
    with sm.begin() as session:
        LoginRecords.add_in(
            session,
            LoginRecord(
                at, "c", "********" + OWNER[-4:], None, "accepted", [], "cms", None, None, None, None
            ),
        )


def test_pd24_audit_entries_about_a_person_are_found_by_a_keyed_reference_not_masked_digits(opened) -> None:
    _, audit = opened
    audit.record("op", "unis_lookup_account", f"iin:{OWNER}", Outcome.SUCCESS, None, NOW, subject=OWNER)
    audit.record("op", "unis_lookup_account", f"iin:{OTHER}", Outcome.SUCCESS, None, NOW, subject=OTHER)
    mine = audit.entries_about(OWNER)
    assert [(e.actor, e.action) for e in mine] == [("op", "unis_lookup_account")]
    assert OWNER not in mine[0].target  # masked in the log itself (PD-22)
    assert audit.verify_chain().ok


def test_pd18_anonymising_keeps_the_chain_verifiable_and_unlinks_the_owner(opened) -> None:
    _, audit = opened
    audit.record("op", "issue", "nca:01", Outcome.SUCCESS, None, NOW - dt.timedelta(days=2000), subject=OWNER)
    audit.record("op", "issue", "nca:02", Outcome.SUCCESS, None, NOW, subject=OWNER)
    assert audit.anonymise_before(NOW - dt.timedelta(days=1000)) == 1  # dry run
    assert len(audit.entries_about(OWNER)) == 2
    assert audit.anonymise_before(NOW - dt.timedelta(days=1000), dry_run=False) == 1
    assert [e.target for e in audit.entries_about(OWNER)] == ["nca:02"]
    report = audit.verify_chain()
    assert report.ok and report.entries == 2


def test_pd24_moving_an_entry_onto_another_person_is_detected(opened) -> None:
    sm, audit = opened
    audit.record("op", "issue", "nca:01", Outcome.SUCCESS, None, NOW, subject=OWNER)
    with sm.begin() as session:
        session.execute(update(AuditEntry).values(subject_ref=audit.subject_ref(OTHER)))
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == 1 and "subject" in (report.problem or "")


def test_pd18_retention_apply_is_a_dry_run_by_default_then_destroys_and_unlinks(env, opened) -> None:
    sm, audit = opened
    _record(sm, NOW - dt.timedelta(days=4 * 365))
    _record(sm, NOW - dt.timedelta(days=10))
    audit.record(
        "op", "issue", "nca:01", Outcome.SUCCESS, None, NOW - dt.timedelta(days=6 * 365), subject=OWNER
    )
    audit.record("op", "issue", "nca:02", Outcome.SUCCESS, None, NOW - dt.timedelta(days=10), subject=OWNER)

    runner = CliRunner()
    dry = runner.invoke(cli, ["retention", "apply"], env=env, catch_exceptions=False)
    assert dry.exit_code == 0, dry.output
    assert "would destroy 1 login records" in dry.output and "would anonymise 1 audit entries" in dry.output
    with sm() as session:
        assert session.scalar(select(func.count()).select_from(LoginRecordRow)) == 2

    done = runner.invoke(cli, ["retention", "apply", "--apply"], env=env, catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert "destroyed 1 login records" in done.output and "anonymised 1 audit entries" in done.output
    with sm() as session:
        assert session.scalar(select(func.count()).select_from(LoginRecordRow)) == 1
    assert [e.target for e in audit.entries_about(OWNER)] == ["nca:02"]
    runs = [e for e in audit.entries() if e.action == "retention_apply"]
    assert [r.details["dry_run"] for r in runs] == [True, False]  # both runs audited
    verified = runner.invoke(cli, ["audit", "verify"], env=env, catch_exceptions=False)
    assert verified.exit_code == 0, verified.output


def test_pd18_retention_terms_are_configurable(env, opened) -> None:
    sm, _ = opened
    _record(sm, NOW - dt.timedelta(days=40))
    result = CliRunner().invoke(
        cli, ["retention", "apply"], env={**env, "KZPKI_RETENTION_LOGIN_DAYS": "30"}, catch_exceptions=False
    )
    assert "would destroy 1 login records older than 30 days" in result.output
    result = CliRunner().invoke(
        cli, ["retention", "apply", "--login-days", "60"], env=env, catch_exceptions=False
    )
    assert "would destroy 0 login records older than 60 days" in result.output
